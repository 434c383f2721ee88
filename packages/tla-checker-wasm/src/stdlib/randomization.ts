/**
 * TLC's standard module Randomization: pseudo-random subsets of a finite set, with the argument
 * checks of TLC's Java implementation (tlc2.module.Randomization). The choices come from
 * {@link randomIn}: a function of the state being evaluated during a search (as TLC, which seeds
 * them by the step's first state), the simulation's seeded source under `--simulate`. They are not
 * TLC's own pseudo-random numbers, so which subsets are chosen differs from TLC's; how many states
 * a search counts follows from the choices as in TLC (a state's successors are chosen once).
 *
 * @module
 */
import { formatValue } from "../values/format.js";
import { setOf } from "../values/sets.js";
import { SetValue, ValueError, tuple, type Val } from "../values/value.js";
import { table, type BuiltinTable } from "./coerce.js";
import { randomIn, randomIndexIn } from "./random-source.js";
import type { Ctx } from "../eval/context.js";

function argError(which: string, op: string, what: string, v: Val): ValueError {
  return new ValueError(`The ${which} argument of ${op} should be a ${what}, but instead it is:\n${formatValue(v)}`);
}

function nonNegative(v: Val, which: string, op: string): number {
  if (typeof v !== "number" || v < 0) throw argError(which, op, "nonnegative integer", v);
  return v;
}

function finiteElems(v: Val, which: string, op: string): readonly Val[] {
  if (!(v instanceof SetValue) || !v.finite) throw argError(which, op, "finite set", v);
  return v.elems();
}

/** `RandomSubset(k, S)`: k distinct elements of S, chosen uniformly. */
function randomSubset(k: number, elems: readonly Val[], c: Ctx): SetValue {
  if (k > elems.length) {
    throw new ValueError(`The first argument of RandomSubset (${k}) is larger than the cardinality of the second (${elems.length})`);
  }
  // A partial Fisher-Yates shuffle: the first k positions are a uniform k-subset.
  const pool = elems.slice();
  for (let i = 0; i < k; i++) {
    const j = i + randomIndexIn(c, pool.length - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return setOf(pool.slice(0, k));
}

/**
 * k coin-tossed subsets of S, each element in each with probability p; duplicates collapse, so the
 * set may have fewer than k elements (as TLC's CoinTossingSubsetEnumerator).
 */
function coinTossedSubsets(k: number, p: number, elems: readonly Val[], c: Ctx): SetValue {
  const out: Val[] = [];
  for (let i = 0; i < k; i++) {
    const chosen: Val[] = [];
    for (const e of elems) if (randomIn(c) < p) chosen.push(e);
    out.push(setOf(chosen));
  }
  return setOf(out);
}

// TLC's Java class also has RandomSubsetSet(k, "p", S), but Randomization.tla does not declare
// it, so SANY rejects a spec that uses it ("Unknown operator"); it is not offered here either.
function checkCount(k: number, size: number, op: string): void {
  // TLC: k subsets of a set of n elements need k <= 2^n.
  if (size < 31 && k > 2 ** size) {
    throw new ValueError(`The first argument of ${op} should be a nonnegative integer no larger than 2^Cardinality(S) = ${2 ** size}, but instead it is:\n${k}`);
  }
}

function randomSetOfSubsets(kv: Val, nv: Val, sv: Val, c: Ctx): SetValue {
  const op = "RandomSetOfSubsets";
  const k = nonNegative(kv, "first", op);
  const n = nonNegative(nv, "second", op);
  const elems = finiteElems(sv, "third", op);
  checkCount(k, elems.length, op);
  if (n > elems.length) throw argError("second", op, "nonnegative integer in range 0..Cardinality(S)", nv);
  return coinTossedSubsets(k, elems.length === 0 ? 0 : n / elems.length, elems, c);
}

/** The Randomization module. */
export const RANDOMIZATION: BuiltinTable = table([
  {
    name: "RandomSubset",
    arity: 2,
    pure: false,
    fn: ([k, s], c) => randomSubset(nonNegative(k!, "first", "RandomSubset"), finiteElems(s!, "second", "RandomSubset"), c),
  },
  {
    name: "RandomSetOfSubsets",
    arity: 3,
    pure: false,
    fn: ([k, n, s], c) => randomSetOfSubsets(k!, n!, s!, c),
  },
  {
    // Randomization.tla's own definition: five cardinalities of RandomSetOfSubsets(k, n, S).
    name: "TestRandomSetOfSubsets",
    arity: 3,
    pure: false,
    fn: ([k, n, s], c) => tuple(Array.from({ length: 5 }, () => randomSetOfSubsets(k!, n!, s!, c).size())),
  },
]);

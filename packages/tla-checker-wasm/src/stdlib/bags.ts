/**
 * Bags: a bag is a function from elements to positive counts.
 *
 * @module
 */
import { formatValue } from "../values/format.js";
import { EMPTY, fcnFromPairs, indexOfSorted, setOf } from "../values/sets.js";
import { Fcn, ValueError, type Val } from "../values/value.js";
import { checked, fcn, int, op, set, table, type BuiltinTable } from "./coerce.js";

function bag(v: Val, name: string): Fcn {
  const f = fcn(v, name);
  for (const n of f.rng) if (typeof n !== "number" || n < 1) throw new ValueError(`${name}: ${formatValue(f)} is not a bag`);
  return f;
}

function count(b: Fcn, e: Val): number {
  const i = indexOfSorted(b.dom, e);
  return i < 0 ? 0 : (b.rng[i] as number);
}

function combine(a: Fcn, b: Fcn, sign: 1 | -1): Fcn {
  const keys: Val[] = [];
  const vals: Val[] = [];
  for (const x of setOf([...a.dom, ...b.dom]).elems()) {
    const n = count(a, x) + sign * count(b, x);
    if (n > 0) {
      keys.push(x);
      vals.push(n);
    }
  }
  return fcnFromPairs(keys, vals);
}

/** The Bags module. */
export const BAGS: BuiltinTable = table([
  { name: "EmptyBag", arity: 0, fn: () => new Fcn([], []) },
  {
    name: "IsABag",
    arity: 1,
    fn: ([b]) => b instanceof Fcn && b.rng.every((n) => typeof n === "number" && n >= 1),
  },
  { name: "SetToBag", arity: 1, fn: ([s]) => { const xs = set(s!, "SetToBag").elems(); return new Fcn(xs, xs.map(() => 1)); } },
  { name: "BagToSet", arity: 1, fn: ([b]) => setOf([...bag(b!, "BagToSet").dom]) },
  { name: "BagIn", arity: 2, fn: ([e, b]) => count(bag(b!, "BagIn"), e!) > 0 },
  { name: "CopiesIn", arity: 2, fn: ([e, b]) => count(bag(b!, "CopiesIn"), e!) },
  { name: "\\oplus", arity: 2, fn: ([a, b]) => combine(bag(a!, "(+)"), bag(b!, "(+)"), 1) },
  { name: "\\ominus", arity: 2, fn: ([a, b]) => combine(bag(a!, "(-)"), bag(b!, "(-)"), -1) },
  {
    name: "BagUnion",
    arity: 1,
    fn: ([s]) => {
      let acc = new Fcn([], []);
      for (const b of set(s!, "BagUnion").elems()) acc = combine(acc, bag(b, "BagUnion"), 1);
      return acc;
    },
  },
  {
    name: "\\sqsubseteq",
    arity: 2,
    fn: ([a, b]) => {
      const x = bag(a!, "\\sqsubseteq");
      const y = bag(b!, "\\sqsubseteq");
      return x.dom.every((e, i) => (x.rng[i] as number) <= count(y, e));
    },
  },
  {
    name: "SubBag",
    arity: 1,
    fn: ([b]) => {
      const x = bag(b!, "SubBag");
      let acc: Fcn[] = [new Fcn([], [])];
      for (let i = 0; i < x.dom.length; i++) {
        const next: Fcn[] = [];
        for (const partial of acc) {
          next.push(partial);
          for (let n = 1; n <= (x.rng[i] as number); n++) next.push(fcnFromPairs([...partial.dom, x.dom[i]!], [...partial.rng, n]));
        }
        acc = next;
      }
      return setOf(acc);
    },
  },
  {
    name: "BagOfAll",
    arity: 2,
    fn: ([f, b]) => {
      const g = op(f!, 1, "BagOfAll");
      const x = bag(b!, "BagOfAll");
      let acc = new Fcn([], []);
      for (let i = 0; i < x.dom.length; i++) acc = combine(acc, new Fcn([g.call([x.dom[i]!])], [x.rng[i]!]), 1);
      return acc;
    },
  },
  {
    name: "BagCardinality",
    arity: 1,
    fn: ([b]) => bag(b!, "BagCardinality").rng.reduce<number>((n, c) => checked(n + (c as number), "+", n, c as number), 0),
  },
]);

void EMPTY;
void int;

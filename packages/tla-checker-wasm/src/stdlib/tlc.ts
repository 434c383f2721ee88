/**
 * The TLC module: Print, PrintT, Assert, `:>`, `@@`, Permutations, SortSeq, ToString,
 * RandomElement, TLCGet/TLCSet (level and integer registers), TLCEval, Any.
 *
 * @module
 */
import { compareValues } from "../values/compare.js";
import { currentProcessState } from "../values/process-state.js";
import { formatValue } from "../values/format.js";
import { PredicateSet, fcnFromPairs, record, setOf } from "../values/sets.js";
import { Fcn, ValueError, tuple, type Val } from "../values/value.js";
import { bool, fcn, int, op, seq, set, table, type BuiltinTable } from "./coerce.js";
import { randomIndexIn } from "./random-source.js";

/** The value `TLCSet(k, v)` last stored in register k, if any (the current model's registers). */
export function register(k: number): Val | undefined {
  return currentProcessState().registers.get(k);
}

/** Store v in register k, as `TLCSet(k, v)`. */
export function setRegister(k: number, v: Val): void {
  currentProcessState().registers.set(k, v);
}

/**
 * `TLCSet(k, v)` with TLC 2.20's keys (tlc2.module.TLCGetSet): a natural number stores v in that
 * register; `"exit"` with TRUE ends the search after the current state (the
 * checker reads {@link ProcessState.exitRequested}); `"-Dname"` sets the property `TLCGet("-Dname")`
 * reads, to v as TLC prints it (Java's `Value.toString`); `"pause"` with TRUE waits for a key press
 * in TLC and is refused here. Any other key is TLC's argument error (named registers `"s:..."`
 * came after TLC 2.20, which refuses them, and so does tla-check).
 */
function tlcSet(k: Val, v: Val): Val {
  if (typeof k === "number" && k >= 0) setRegister(k, v);
  else if (k === "exit") {
    if (v === true) currentProcessState().exitRequested = true;
  } else if (k === "pause") {
    if (v === true) throw new ValueError(`TLCSet("pause", TRUE) suspends TLC until a key is pressed; tla-check does not offer that (interactive)`, "unsupported");
  } else if (typeof k === "string" && k.startsWith("-D")) currentProcessState().properties.set(k.slice(2), formatValue(v));
  else throw new ValueError(`The first argument of TLCSet should be a nonnegative integer, but instead it is: ${formatValue(k)}`);
  return true;
}

const STATS = new Set(["generated", "distinct", "queue", "diameter", "duration", "initial"]);


function print(c: { ec: { print?: (line: string) => void } }, v: Val): void {
  const line = formatValue(v);
  if (c.ec.print) c.ec.print(line);
  else console.log(line);
}

function permutations(s: readonly Val[]): Val[] {
  const out: Val[] = [];
  const perm = s.slice();
  const gen = (k: number): void => {
    if (k === perm.length) {
      out.push(fcnFromPairs(s.slice(), perm.slice()));
      return;
    }
    for (let i = k; i < perm.length; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      gen(k + 1);
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  gen(0);
  return out;
}

/** `f @@ g`: f's values where defined, g's elsewhere. */
export function fcnMerge(f: Fcn, g: Fcn): Fcn {
  const keys: Val[] = [...f.dom];
  const vals: Val[] = [...f.rng];
  for (let i = 0; i < g.dom.length; i++) {
    keys.push(g.dom[i]!);
    vals.push(g.rng[i]!);
  }
  return fcnFromPairs(keys, vals);
}

/** The TLC module. */
export const TLC: BuiltinTable = table([
  {
    name: "Print",
    arity: 2,
    pure: false,
    fn: ([out, v], c) => {
      print(c, out!);
      return v!;
    },
  },
  {
    name: "PrintT",
    arity: 1,
    pure: false,
    fn: ([out], c) => {
      print(c, out!);
      return true;
    },
  },
  {
    name: "Assert",
    arity: 2,
    fn: ([v, out]) => {
      if (bool(v!, "Assert")) return true;
      throw new ValueError(`The first argument of Assert evaluated to FALSE; the second argument was:\n${formatValue(out!)}`, "assert");
    },
  },
  { name: ":>", arity: 2, fn: ([a, b]) => new Fcn([a!], [b!]) },
  { name: "@@", arity: 2, fn: ([f, g]) => fcnMerge(fcn(f!, "@@"), fcn(g!, "@@")) },
  { name: "Permutations", arity: 1, fn: ([s]) => setOf(permutations(set(s!, "Permutations").elems())) },
  {
    name: "SortSeq",
    arity: 2,
    fn: ([s, o]) => {
      const q = seq(s!, "SortSeq");
      const less = op(o!, 2, "SortSeq");
      const items = q.rng.slice();
      items.sort((a, b) => (bool(less.call([a, b]), "SortSeq") ? -1 : bool(less.call([b, a]), "SortSeq") ? 1 : 0));
      return tuple(items);
    },
  },
  { name: "ToString", arity: 1, fn: ([v]) => formatValue(v!) },
  {
    name: "RandomElement",
    arity: 1,
    pure: false,
    fn: ([s], c) => {
      const xs = set(s!, "RandomElement").elems();
      if (xs.length === 0) throw new ValueError("RandomElement of the empty set");
      return xs[randomIndexIn(c, xs.length)]!;
    },
  },
  {
    name: "TLCGet",
    arity: 1,
    pure: false,
    stateful: true,
    fn: ([k], c) => {
      if (k === "level") return c.ec.level;
      if (k === "config") return record([
        ["mode", "bfs"],
        ["depth", -1],
        ["deadlock", currentProcessState().checkDeadlock],
        ["worker", 1],
        ["traces", -1],
        ["seed", "0"],
        ["fingerprint", "0"],
        ["install", ""],
      ]);
      if (typeof k === "string" && STATS.has(k)) {
        const stats = c.ec.stats?.();
        if (!stats) throw new ValueError(`TLCGet(${formatValue(k)}) is not available here`);
        const v = k === "duration" ? Math.floor(stats.durationSeconds) : stats[k as "generated" | "distinct" | "queue" | "diameter" | "initial"];
        return v;
      }
      if (k === "stats") {
        const stats = c.ec.stats?.();
        if (!stats) throw new ValueError(`TLCGet("stats") is not available here`);
        // TLC 2.20's fields (`worker` is the evaluating worker's number, 0 for the first).
        return record([
          ["diameter", stats.diameter],
          ["distinct", stats.distinct],
          ["generated", stats.generated],
          ["queue", stats.queue],
          ["worker", 0],
          ["duration", Math.floor(stats.durationSeconds)],
          ["initial", stats.initial],
        ]);
      }
      if (typeof k === "string" && k.startsWith("-D")) {
        const v = currentProcessState().properties.get(k.slice(2));
        if (v === undefined) throw new ValueError(`TLCGet(${formatValue(k)}): the property ${k.slice(2)} is not set (give it to tla-check as ${k}=value)`);
        return v;
      }
      if (typeof k === "number") {
        const v = register(k);
        if (v === undefined) throw new ValueError(`TLCGet(${formatValue(k)}): register ${formatValue(k)} was never set`);
        return v;
      }
      throw new ValueError(`TLCGet(${formatValue(k!)}) is not supported`);
    },
  },
  {
    name: "TLCSet",
    arity: 2,
    pure: false,
    stateful: true,
    fn: ([k, v]) => tlcSet(k!, v!),
  },
  { name: "TLCEval", arity: 1, fn: ([v]) => v! },
  { name: "Any", arity: 0, fn: () => new PredicateSet("Any", () => true) },
  { name: "JavaTime", arity: 0, pure: false, stateful: true, fn: () => Math.floor(Date.now() / 1000) },
]);

/** Sort helper used by tests and SortSeq users. */
export function sortValues(xs: Val[]): Val[] {
  return xs.sort(compareValues);
}

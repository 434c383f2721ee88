/**
 * CommunityModules operators that TLC evaluates with a Java override (CommunityModules'
 * `modules/tlc2/overrides/*.java`) and tla-check evaluates natively with the override's meaning,
 * by module name and operator, as TLC matches its overrides (module and identifier). Public
 * models are timed with these overrides: evaluated as written, DyadicRationals' `Reduce` finds a
 * GCD by enumerating divisors with nested quantifiers, which made Huang's invariant cost about
 * 40 ms per state.
 *
 * @module
 */
import { int, type Builtin } from "../stdlib/coerce.js";
import { formatValue } from "../values/format.js";
import { record } from "../values/sets.js";
import { Fcn, ValueError, type Val } from "../values/value.js";
import { GRAPHS_OVERRIDES, UNDIRECTED_GRAPHS_OVERRIDES } from "./graph-overrides.js";

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * DyadicRationals' `Reduce(p)`: `p` with numerator and denominator divided by their GCD, as
 * `tlc2.overrides.DyadicRationals.reduce` computes it (`gcd(0, d) = d`, so zero reduces to
 * `[num |-> 0, den |-> 1]` where the TLA+ definition takes the maximum of an empty set).
 */
const REDUCE: Builtin = {
  name: "Reduce",
  arity: 1,
  pure: true,
  fn: ([p]) => {
    const r = p!;
    if (!(r instanceof Fcn) || r.isSeq) throw new ValueError(`Reduce: expected a record, got ${formatValue(r)}`);
    const field = (name: string): number => {
      const i = r.dom.indexOf(name);
      if (i < 0) throw new ValueError(`Reduce: the record ${formatValue(r)} has no field ${name}`);
      return int(r.rng[i]!, "Reduce");
    };
    const num = field("num");
    const den = field("den");
    const g = gcd(num, den);
    if (g === 0) throw new ValueError(`Reduce: ${formatValue(r)} has a zero numerator and denominator`);
    if (g === 1) return r;
    return record([
      ["num", num / g],
      ["den", den / g],
    ]) as Val;
  },
};

const byName = (bs: readonly Builtin[]): ReadonlyMap<string, Builtin> => new Map(bs.map((b) => [b.name, b]));

const OVERRIDES: ReadonlyMap<string, ReadonlyMap<string, Builtin>> = new Map([
  ["DyadicRationals", byName([REDUCE])],
  ["Graphs", byName(GRAPHS_OVERRIDES)],
  ["UndirectedGraphs", byName(UNDIRECTED_GRAPHS_OVERRIDES)],
]);

/** tla-check's native form of `module!name` of the given arity, if TLC overrides it in Java. */
export function communityOverride(module: string, name: string, arity: number): Builtin | undefined {
  const b = OVERRIDES.get(module)?.get(name);
  return b && b.arity === arity ? b : undefined;
}

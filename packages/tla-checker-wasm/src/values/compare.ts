/**
 * Equality and TLC's total order on values. The order decides set enumeration order and therefore
 * which witness CHOOSE picks, so it follows TLC: integers numerically, strings (and model values)
 * by the order in which TLC first saw the token (its `UniqueString` table), sets by cardinality
 * then elements, functions by domain size, then domain, then range.
 *
 * @module
 */
import { Fcn, LazyFcn, ModelValue, OpValue, SetValue, ValueError, type Val } from "./value.js";
import { formatValue } from "./format.js";
import { currentProcessState } from "./process-state.js";

// TLC orders strings and model values by their token number in its intern table. The loader
// fills the table in TLC's order (modules/tlc-intern.ts); strings first seen at run time are
// appended. The table is the current model's (process-state.ts), as TLC's is its process's.

/**
 * Intern `s` in TLC's token order (no-op when already interned); returns its rank, which is TLC's
 * token number where the loader rebuilt TLC's table (numbered from 1, as TLC's).
 */
export function intern(s: string): number {
  const ranks = currentProcessState().ranks;
  let r = ranks.get(s);
  if (r === undefined) {
    r = ranks.size + 1;
    ranks.set(s, r);
  }
  return r;
}

/** Compare strings as TLC does (intern order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return intern(a) - intern(b);
}

/**
 * A model value's rank in TLC's token order, cached on it: a rank never changes once given, and
 * comparing model values (function domains such as `Server`) is on the hot path of applying
 * functions.
 */
function modelValueRank(v: ModelValue): number {
  // Model values are shared by name across models; the cached rank is valid for one table.
  const table = currentProcessState().id;
  if (v.rankTable !== table) {
    v.rank = intern(v.name);
    v.rankTable = table;
  }
  return v.rank;
}

function kindName(v: Val): string {
  switch (typeof v) {
    case "number":
      return "integer";
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    default:
      if (v instanceof SetValue) return "the set";
      if (v instanceof Fcn) return "the function";
      if (v instanceof ModelValue) return "model value";
      return "operator";
  }
}

function eqError(a: Val, b: Val): never {
  const what =
    typeof a === "number"
      ? `integer ${formatValue(a)} with non-integer`
      : typeof a === "string"
        ? `string ${formatValue(a)} with non-string`
        : typeof a === "boolean"
          ? `boolean ${formatValue(a)} with non-boolean`
          : `${kindName(a)} ${formatValue(a)} with the value`;
  throw new ValueError(`Attempted to check equality of ${what}: ${formatValue(b)}`);
}

/** TLA+ equality as TLC evaluates it (an error for values of incomparable kinds). */
export function valueEquals(a: Val, b: Val): boolean {
  if (a === b) return true;
  if (a instanceof LazyFcn) a = a.force();
  if (b instanceof LazyFcn) b = b.force();
  switch (typeof a) {
    case "number":
    case "string":
    case "boolean":
      if (typeof b === typeof a) return false;
      if (b instanceof ModelValue) return false;
      return eqError(a, b);
    default:
      if (a instanceof ModelValue) return false;
      if (b instanceof ModelValue) return false;
      if (a instanceof SetValue) {
        if (!(b instanceof SetValue)) return eqError(a, b);
        return setEquals(a, b);
      }
      if (a instanceof Fcn) {
        if (!(b instanceof Fcn)) return eqError(a, b);
        return fcnEquals(a, b);
      }
      if (a instanceof OpValue) throw new ValueError(`cannot compare the operator ${a.name}`);
      return eqError(a, b);
  }
}

function setEquals(a: SetValue, b: SetValue): boolean {
  if (!a.finite || !b.finite) {
    if (a.finite !== b.finite) return false;
    const sameInfinite = a.describe() === b.describe();
    if (sameInfinite) return true;
    throw new ValueError(`cannot compare the infinite sets ${a.describe()} and ${b.describe()}`);
  }
  const x = a.elems();
  const y = b.elems();
  if (x.length !== y.length) return false;
  if (a.hash !== b.hash) return false;
  for (let i = 0; i < x.length; i++) if (!valueEquals(x[i]!, y[i]!)) return false;
  return true;
}

function fcnEquals(a: Fcn, b: Fcn): boolean {
  const n = a.dom.length;
  if (n !== b.dom.length) return false;
  if (a.hash !== b.hash) return false;
  if (a.dom !== b.dom) for (let i = 0; i < n; i++) if (!valueEquals(a.dom[i]!, b.dom[i]!)) return false;
  for (let i = 0; i < n; i++) if (!valueEquals(a.rng[i]!, b.rng[i]!)) return false;
  return true;
}

function typeRank(v: Val): number {
  switch (typeof v) {
    case "boolean":
      return 1;
    case "number":
      return 2;
    case "string":
      return 3;
    default:
      if (v instanceof ModelValue) return 0;
      if (v instanceof Fcn) return 4;
      if (v instanceof SetValue) return 5;
      return 6;
  }
}

/**
 * TLC's order. Values of different kinds (which TLC refuses to compare) get a fixed kind order so
 * that sorting never fails; model values sort first, as TLC puts them.
 */
export function compareValues(a: Val, b: Val): number {
  if (a === b) return 0;
  if (a instanceof LazyFcn) a = a.force();
  if (b instanceof LazyFcn) b = b.force();
  const ta = typeof a;
  if (ta === "number" && typeof b === "number") return (a as number) - b;
  if (ta === "string" && typeof b === "string") return compareStrings(a as string, b);
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 0:
      return modelValueRank(a as ModelValue) - modelValueRank(b as ModelValue);
    case 4: {
      const fa = a as Fcn;
      const fb = b as Fcn;
      if (fa.dom.length !== fb.dom.length) return fa.dom.length - fb.dom.length;
      if (fa.dom !== fb.dom) {
        for (let i = 0; i < fa.dom.length; i++) {
          const c = compareValues(fa.dom[i]!, fb.dom[i]!);
          if (c !== 0) return c;
        }
      }
      for (let i = 0; i < fa.rng.length; i++) {
        const c = compareValues(fa.rng[i]!, fb.rng[i]!);
        if (c !== 0) return c;
      }
      return 0;
    }
    case 5: {
      if (!(a as SetValue).finite || !(b as SetValue).finite) return compareInfinite(a as SetValue, b as SetValue);
      const x = (a as SetValue).elems();
      const y = (b as SetValue).elems();
      if (x.length !== y.length) return x.length - y.length;
      for (let i = 0; i < x.length; i++) {
        const c = compareValues(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return 0;
    }
    default:
      throw new ValueError("cannot compare operators");
  }
}

/** TLC's order of its infinite built-in sets (Naturals/Integers/Strings `compareTo`): Nat < Int. */
const INFINITE_RANK: Readonly<Record<string, number>> = { Nat: 0, Int: 1, STRING: 2 };

/**
 * Two sets at least one of which is infinite, as TLC orders them without enumerating: Nat, Int
 * and STRING each equal themselves and Nat comes before Int (so `{{Nat}, {Int}}` can be built);
 * any other pair is TLC's comparison error.
 */
function compareInfinite(a: SetValue, b: SetValue): number {
  const ra = a.finite ? undefined : INFINITE_RANK[a.describe()];
  const rb = b.finite ? undefined : INFINITE_RANK[b.describe()];
  if (ra !== undefined && rb !== undefined && (ra === rb || ra + rb === 1)) return ra - rb;
  throw new ValueError(`Attempted to compare ${a.describe()} with ${b.describe()}, which TLC cannot order`);
}

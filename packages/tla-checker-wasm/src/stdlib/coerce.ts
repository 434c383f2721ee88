/**
 * Argument checks shared by the built-in operators: each names the operator and the offending
 * value, as TLC's messages do.
 *
 * @module
 */
import { formatValue } from "../values/format.js";
import { Fcn, OpValue, SetValue, ValueError, type Val } from "../values/value.js";
import type { Expr } from "../ast/types.js";
import type { Ctx } from "../eval/context.js";

/** A built-in operator: its arity and implementation over evaluated arguments. */
export interface Builtin {
  name: string;
  arity: number;
  fn: (args: Val[], c: Ctx) => Val;
  /** Constant-level result for constant arguments (false for Print, RandomElement, TLCGet...). */
  pure?: boolean;
  /** Depends on the search (TLCGet, TLCSet, JavaTime): state level, never evaluated once. */
  stateful?: boolean;
  /** Allocation-free form for pure one-argument built-ins. */
  fn1?: (a: Val) => Val;
  /** Allocation-free form for pure two-argument built-ins. */
  fn2?: (a: Val, b: Val) => Val;
  /**
   * The operator decides when (and whether) to evaluate its arguments: each is a thunk (TLCExt's
   * AssertError evaluates its second argument expecting it to fail). `exprs` are the arguments as
   * written. When present it replaces {@link Builtin.fn} and the built-in is never pure.
   */
  lazy?: (args: ReadonlyArray<() => Val>, c: Ctx, exprs: readonly Expr[]) => Val;
}

/** Add the allocation-free forms to a pure built-in of arity 1 or 2. */
export function withFast(b: Builtin): Builtin {
  if (b.pure === false || b.fn1 || b.fn2) return b;
  const fn = b.fn;
  const noCtx = undefined as unknown as Ctx;
  if (b.arity === 1) return { ...b, fn1: (a) => fn([a], noCtx) };
  if (b.arity === 2) return { ...b, fn2: (a, c) => fn([a, c], noCtx) };
  return b;
}

/** Expect an integer. */
export function int(v: Val, op: string): number {
  if (typeof v === "number") return v;
  throw new ValueError(`${op}: expected an integer, got ${formatValue(v)}`);
}

/** Expect a boolean. */
export function bool(v: Val, op: string): boolean {
  if (typeof v === "boolean") return v;
  throw new ValueError(`${op}: expected a boolean, got ${formatValue(v)}`);
}

/** Expect a set. */
export function set(v: Val, op: string): SetValue {
  if (v instanceof SetValue) return v;
  throw new ValueError(`${op}: expected a set, got ${formatValue(v)}`);
}

/** Expect a function (records, tuples and sequences are functions). */
export function fcn(v: Val, op: string): Fcn {
  if (v instanceof Fcn) return v;
  throw new ValueError(`${op}: expected a function, got ${formatValue(v)}`);
}

/** Expect a sequence (a function with domain 1..n). */
export function seq(v: Val, op: string): Fcn {
  if (v instanceof Fcn && v.isSeq) return v;
  throw new ValueError(`${op}: expected a sequence, got ${formatValue(v)}`);
}

/** Expect a string. */
export function str(v: Val, op: string): string {
  if (typeof v === "string") return v;
  throw new ValueError(`${op}: expected a string, got ${formatValue(v)}`);
}

/** Expect an operator argument of a given arity. */
export function op(v: Val, arity: number, name: string): OpValue {
  if (v instanceof OpValue && v.arity === arity) return v;
  throw new ValueError(`${name}: expected an operator of ${arity} argument(s), got ${formatValue(v)}`);
}

/** Check an arithmetic result stays an exact integer. */
export function checked(n: number, opName: string, a: number, b: number): number {
  if (Number.isSafeInteger(n)) return n;
  throw new ValueError(`Overflow when computing ${a} ${opName} ${b}`);
}

/** A table of built-ins by name. */
export type BuiltinTable = Map<string, Builtin>;

/** Build a table from definitions. */
export function table(defs: Array<Omit<Builtin, "fn"> & { fn?: Builtin["fn"] }>): BuiltinTable {
  return new Map(
    defs.map((d) => {
      if (!d.lazy) return [d.name, withFast({ pure: true, ...d, fn: d.fn! })];
      // Applied as an operator argument the arguments arrive evaluated; the lazy form needs them
      // as written.
      const fn = (): never => {
        throw new ValueError(`${d.name} cannot be passed as an operator argument`);
      };
      return [d.name, { ...d, pure: false, fn: d.fn ?? fn }];
    }),
  );
}

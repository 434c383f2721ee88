/**
 * Runtime structures of compiled code: the evaluation context (current and next state), frames
 * for operator parameters and bound variables, and how value errors get their source location.
 *
 * @module
 */
import type { Span } from "../ast/types.js";
import { TlaError, type EvalContext } from "../model.js";
import { ValueError, type Val } from "../values/value.js";

/**
 * A frame: slot 0 holds the enclosing frame (for LET operators and LAMBDAs that read bound
 * names of the operator they are defined in); parameters and bound variables follow.
 */
export type Frame = unknown[];

/** What compiled code reads while it runs. */
export interface Ctx {
  /** The current state (for Init enumeration: the partial state being built). */
  s: (Val | undefined)[];
  /** The next state being built by action enumeration (null outside actions). */
  n: (Val | undefined)[] | null;
  /** Engine context: level, print, random. */
  ec: EvalContext;
  /** The same context with the next state as current, for `(e)'`; created on demand. */
  primed?: Ctx;
  /**
   * Inside ENABLED: next values chosen for instance variables substituted by expressions that are
   * not variables (`a' = e` with `a <- f(x)`), by substitution binding. TLC treats such a primed
   * instance variable as free there (the mapped expression is not solved for the concrete ones).
   */
  free?: Map<object, Val>;
  /** In `(e)'` inside ENABLED: the {@link free} values, which `e` reads for such instance variables. */
  primedFree?: Map<object, Val>;
  /**
   * When present, every state variable read sets its slot here to 1 (ENABLED sets them all): the
   * engine skips re-checking a pure invariant on a successor whose read variables are the same
   * objects as in its parent, where the invariant held.
   */
  reads?: Uint8Array;
  /** As {@link Ctx.reads}, for the primed variables (next state) an action predicate reads. */
  readsNext?: Uint8Array;
  /**
   * Results of state-level operator calls on this context's state `s`, by operator and argument
   * objects (see `callDef` in compile.ts). Only a context whose `s` is a complete state that does
   * not change while it is used has one (the state whose successors are enumerated); contexts made
   * from it for another state (primed, ENABLED) do not inherit it. Null: the context may have
   * one, made at the first call that is remembered (most states of some models make none).
   */
  opMemo?: Map<object, unknown> | null;
  /**
   * The current state `s` is built in place while this context is used (Init's enumeration, and
   * the primed context of an action, whose `s` is the next state being assigned): a value read
   * from it may change. Other contexts' `s` is a complete state that does not change.
   */
  partial?: true;
}

/** A compiled expression. */
export type C = (c: Ctx, f: Frame) => Val;

/**
 * An operator argument passed by name, for parameters that are primed in the operator's body:
 * `Drop(q) == q' = Tail(q)` applied to a variable assigns that variable, as TLA+ substitution
 * (and TLC) mean. `varSlot` is the state variable the argument is, or -1.
 */
export class Thunk {
  /** The context {@link Thunk.value} was computed in (see {@link Thunk.memo}). */
  private memoCtx: Ctx | null = null;
  private memoValue: Val | undefined = undefined;

  /**
   * @param memo whether the value is remembered for the context it was computed in: 0 never (the
   * argument reads the next state, or calls an impure built-in), 1 when that context's current
   * state does not change (not {@link Ctx.partial}), 2 always (the argument reads no state).
   */
  constructor(
    readonly f: C,
    readonly frame: Frame,
    readonly varSlot: number,
    private readonly memo: 0 | 1 | 2 = 0,
  ) {}

  /**
   * The argument's value in context `c`, computed at most once where {@link Thunk.memo} allows:
   * call by need, as TLC's LazyValue caches an argument. Without it an operator that reads a
   * by-name parameter k times evaluates its argument k times, and a recursive operator passing
   * itself as such an argument (`Add(x, Sum(f, S \ {p}))`, with Add reading its second parameter
   * six times) takes time exponential in the depth of the recursion.
   */
  value(c: Ctx): Val {
    // Keyed by the context even when the argument reads no state: evaluation is per context.
    if (this.memoCtx === c) return this.memoValue!;
    const v = this.f(c, this.frame);
    if (this.memo === 2 || (this.memo === 1 && c.partial !== true)) {
      this.memoCtx = c;
      this.memoValue = v;
    }
    return v;
  }
}

/** The context used by `(e)'`. */
export function primedCtx(c: Ctx): Ctx {
  let p = c.primed;
  if (!p) {
    if (!c.n) throw new ValueError("a primed expression was evaluated outside of an action");
    p = c.free ? { s: c.n, n: null, ec: c.ec, primedFree: c.free, partial: true } : { s: c.n, n: null, ec: c.ec, partial: true };
    if (c.readsNext !== undefined) p.reads = c.readsNext;
    c.primed = p;
  }
  return p;
}

/** Where a compiled node came from, to locate errors. */
export interface Origin {
  file: string;
  source: string;
}

/** The source text of a node (shortened for messages). */
export function spanText(o: Origin, span: Span): string {
  const t = o.source.slice(span.start, span.end).replace(/\s+/g, " ");
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

/** Turn a {@link ValueError} raised inside `span` into a located TlaError; pass others on. */
export function locate(e: unknown, o: Origin, span: Span): unknown {
  if (e instanceof RangeError && e.message.includes("call stack")) {
    // Deep recursion (a RECURSIVE operator or recursive function thousands of levels deep). The
    // first frames that catch it are near the stack's end and may overflow again here; an outer
    // one succeeds and names an expression inside the recursion.
    return new TlaError("eval", `${STACK_OVERFLOW}\n  while evaluating: ${spanText(o, span)}`, {
      file: o.file,
      line: span.line,
      column: span.col,
      endLine: span.endLine,
      endColumn: span.endCol,
    });
  }
  if (e instanceof ValueError) {
    return new TlaError(e.kind, `${e.message}\n  while evaluating: ${spanText(o, span)}`, {
      file: o.file,
      line: span.line,
      column: span.col,
      endLine: span.endLine,
      endColumn: span.endCol,
    });
  }
  return e;
}

/** What a stack overflow during evaluation is reported as. */
export const STACK_OVERFLOW =
  "the evaluation recursed deeper than the JavaScript stack allows (Maximum call stack size exceeded); " +
  "run Node with a larger stack, e.g. node --stack-size=7000 (KB, below `ulimit -s`), as TLC needs a larger -Xss";

/** A located evaluation error. */
export function evalError(o: Origin, span: Span, message: string): TlaError {
  return new TlaError("eval", `${message}\n  while evaluating: ${spanText(o, span)}`, {
    file: o.file,
    line: span.line,
    column: span.col,
    endLine: span.endLine,
    endColumn: span.endCol,
  });
}

/** Wrap a compiled node so value errors inside it are reported at its span. */
export function located(fn: C, o: Origin, span: Span): C {
  return (c, f) => {
    try {
      return fn(c, f);
    } catch (e) {
      throw locate(e, o, span);
    }
  };
}

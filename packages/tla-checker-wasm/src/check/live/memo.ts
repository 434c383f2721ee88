/**
 * Small caches for the atoms of liveness formulas: the behaviour graph asks the same atom about
 * the same state many times (once per solution, once per edge leaving the state).
 *
 * @module
 */
import type { EvalContext, State } from "../../model.js";

/**
 * A state predicate that remembers its last two answers (by state object and context). The graph
 * evaluates the same atom for every solution and every edge leaving a state, interleaved with the
 * states just discovered; ENABLED atoms are costly, so each state pays for each atom about once.
 */
export function memoState(fn: (state: State, ctx: EvalContext) => boolean): (state: State, ctx: EvalContext) => boolean {
  let s0: State | null = null;
  let c0: EvalContext | null = null;
  let v0 = false;
  let s1: State | null = null;
  let c1: EvalContext | null = null;
  let v1 = false;
  return (state, ctx) => {
    if (state === s0 && ctx === c0) return v0;
    if (state === s1 && ctx === c1) return v1;
    const v = fn(state, ctx);
    s1 = s0;
    c1 = c0;
    v1 = v0;
    s0 = state;
    c0 = ctx;
    v0 = v;
    return v;
  };
}

/** An action predicate that remembers its last answer (by the two state objects and context). */
export function memoStep(fn: (from: State, to: State, ctx: EvalContext) => boolean): (from: State, to: State, ctx: EvalContext) => boolean {
  let f0: State | null = null;
  let t0: State | null = null;
  let c0: EvalContext | null = null;
  let v0 = false;
  return (from, to, ctx) => {
    if (from === f0 && to === t0 && ctx === c0) return v0;
    const v = fn(from, to, ctx);
    f0 = from;
    t0 = to;
    c0 = ctx;
    v0 = v;
    return v;
  };
}

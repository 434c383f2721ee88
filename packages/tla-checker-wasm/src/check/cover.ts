/**
 * Traces that together visit every reachable distinct state: the root-to-leaf paths of the BFS
 * spanning tree. Conformance replays them on implementations (model-based testing), so every
 * state of a small model is compared at least once, each through a shortest path. Browser-safe.
 *
 * @module
 */
import type { CompiledModel, EvalContext, State } from "../model.js";
import { makeFingerprinter, fingerprintKey } from "./canonical.js";
import { satisfiesConstraints } from "./explorer.js";
import type { TraceStep } from "./types.js";

/** Options of {@link coveringTraces}. */
export interface CoverOptions {
  /** Refuse models with more distinct states than this (default 100,000): every state is kept. */
  maxStates?: number;
}

/**
 * Root-to-leaf paths of the breadth-first spanning tree of the reachable (constrained) states,
 * in BFS order of their leaves. Symmetry and VIEW are honoured as in the search, so each
 * canonical state is visited once. Throws a RangeError when the model exceeds `maxStates`.
 *
 * @example
 * ```ts
 * const model = await loadModel({ spec: { path: "MCRaft.tla" } });
 * for (const trace of coveringTraces(model)) replay(trace);
 * ```
 */
export function coveringTraces(model: CompiledModel, options: CoverOptions = {}): TraceStep[][] {
  const maxStates = options.maxStates ?? 100_000;
  const fingerprint = makeFingerprinter(model);
  const seen = new Map<bigint, number>();
  const steps: TraceStep[] = [];
  const parent: number[] = [];
  const hasChild: boolean[] = [];
  const levels: number[] = [];
  const ctx = (level: number): EvalContext => ({ level });
  const add = (step: TraceStep, from: number, level: number): void => {
    const key = fingerprintKey(fingerprint, step.state, ctx(level));
    if (seen.has(key)) return;
    if (steps.length >= maxStates) throw new RangeError(`coveringTraces: more than ${maxStates} distinct states`);
    seen.set(key, steps.length);
    steps.push(step);
    parent.push(from);
    levels.push(level);
    hasChild.push(false);
    if (from >= 0) hasChild[from] = true;
  };
  for (const init of model.initStates(ctx(1))) {
    if (satisfiesConstraints(model, null, init.state, ctx(1))) add({ label: init.label, state: init.state }, -1, 1);
  }
  for (let i = 0; i < steps.length; i++) {
    const level = levels[i];
    const from: State = steps[i].state;
    for (const succ of model.successors(from, ctx(level))) {
      if (satisfiesConstraints(model, from, succ.state, ctx(level + 1))) add({ label: succ.label, state: succ.state }, i, level + 1);
    }
  }
  const traces: TraceStep[][] = [];
  for (let i = 0; i < steps.length; i++) {
    if (hasChild[i]) continue;
    const path: TraceStep[] = [];
    for (let p = i; p >= 0; p = parent[p]) path.push(steps[p]);
    traces.push(path.reverse());
  }
  return traces;
}

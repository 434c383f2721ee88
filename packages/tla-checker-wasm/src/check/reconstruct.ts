/**
 * Rebuilding a counterexample from fingerprints, as TLC does: the seen set keeps only each
 * state's fingerprint and its parent's, so we walk the parent links back to an initial state and
 * then re-run `initStates`/`successors` forwards, at each step taking the first state (in the
 * model's deterministic order) that is within the constraints and has the recorded fingerprint.
 * That is the very state the search stored, so the final step can be taken by its position.
 *
 * @module
 */
import type { CompiledModel, EvalContext, State, Successor, TracePath } from "../model.js";
import { fingerprintKey, type Fingerprinter } from "./canonical.js";
import { satisfiesConstraints, successorsUpToError, type StopSite } from "./explorer.js";
import type { FingerprintSet } from "./fingerprint-set.js";
import type { TraceStep } from "./types.js";

/** Bounds the parent walk: a chain longer than the table holds means a corrupt table. */
function chainTo(table: FingerprintSet, key: bigint): bigint[] {
  const chain: bigint[] = [];
  let current: bigint | null = key;
  const bound = table.size + 1;
  while (current !== null) {
    if (chain.length > bound) throw new Error("trace reconstruction: the parent links form a cycle");
    chain.push(current);
    const parent = table.parentOf(current);
    if (parent === undefined) throw new Error(`trace reconstruction: fingerprint ${current.toString(16)} is not in the table`);
    current = parent;
  }
  return chain.reverse();
}

/**
 * The trace from an initial state to the state at `site`.
 *
 * @param context evaluation context for a level (the same the search used).
 */
export function reconstructTrace(
  model: CompiledModel,
  table: FingerprintSet,
  fingerprint: Fingerprinter,
  site: StopSite,
  context: (level: number) => EvalContext,
): TraceStep[] {
  const chain = site.fromKey === null ? [] : chainTo(table, site.fromKey);
  const steps: TraceStep[] = [];
  let previous: TraceStep | null = null;
  // TLCExt's Trace, evaluated again on the way: the path rebuilt so far is the path the search took.
  const path = (): TracePath => ({ variables: model.variables, states: steps.map((step) => step.state) });
  const candidatesAfter = (step: TraceStep | null, level: number): readonly Successor[] => {
    if (step === null) {
      const ctx = context(1);
      ctx.trace = (s0) => ({ variables: model.variables, states: [s0] });
      return successorsUpToError(model, null, ctx);
    }
    const ctx = context(level);
    ctx.trace = path;
    return successorsUpToError(model, step.state, ctx);
  };
  for (let j = 0; j < chain.length; j++) {
    const level = j + 1;
    const candidates = candidatesAfter(previous, j);
    const ctx = context(level);
    ctx.trace = (s0) => ({ variables: model.variables, states: [...path().states, s0] });
    const from: State | null = previous === null ? null : previous.state;
    const found: Successor | undefined = candidates.find(
      (c) => satisfiesConstraints(model, from, c.state, ctx) && fingerprintKey(fingerprint, c.state, ctx) === chain[j],
    );
    if (!found) {
      throw new Error(`trace reconstruction: no state at level ${level} has fingerprint ${chain[j].toString(16)}`);
    }
    previous = { label: found.label, state: found.state };
    steps.push(previous);
  }
  if (site.index !== null) {
    const candidates = candidatesAfter(previous, chain.length);
    const last = candidates[site.index];
    if (!last) throw new Error(`trace reconstruction: state ${site.index} of level ${chain.length + 1} is missing`);
    steps.push({ label: last.label, state: last.state });
  }
  return steps;
}

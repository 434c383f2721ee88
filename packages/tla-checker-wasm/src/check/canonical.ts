/**
 * The fingerprint a state is stored under: of the state itself, of its VIEW when the cfg names
 * one, and with SYMMETRY the smallest fingerprint over all permutations of the state (TLC's
 * canonicalisation), so that symmetric states count once.
 *
 * @module
 */
import type { CompiledModel, EvalContext, State } from "../model.js";
import { tableKey } from "./fingerprint-set.js";

/** Computes the table key of a state. `ctx` is the context VIEW is evaluated in. */
export type Fingerprinter = (state: State, ctx: EvalContext) => bigint;

/** Build the fingerprint function for a model, honouring VIEW and SYMMETRY. */
export function makeFingerprinter(model: CompiledModel): Fingerprinter {
  const values = model.values;
  const view = model.view?.bind(model);
  const plain: Fingerprinter = view
    ? (state, ctx) => tableKey(values.fingerprint(view(state, ctx)))
    : (state) => tableKey(values.fingerprintState(state));
  const perms = model.symmetry;
  if (perms.length === 0) return plain;
  return (state, ctx) => {
    // The identity is always a candidate, whether or not the cfg's permutation set lists it.
    let best = plain(state, ctx);
    for (const perm of perms) {
      const permuted = state.map((v) => values.permute(v, perm));
      const fp = plain(permuted, ctx);
      if (fp < best) best = fp;
    }
    return best;
  };
}

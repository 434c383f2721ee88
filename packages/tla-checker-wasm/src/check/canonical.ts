/**
 * The fingerprint a state is stored under: of the state itself, of its VIEW when the cfg names
 * one, and with SYMMETRY the smallest fingerprint over all permutations of the state (TLC's
 * canonicalisation), so that symmetric states count once.
 *
 * @module
 */
import type { CompiledModel, EvalContext, State, Value, ValueOps } from "../model.js";
import { joinKey, splitKey } from "./fingerprint-set.js";

/**
 * Writes the table key of a state into `out` as two 32-bit halves (`out[0]` low, `out[1]` high,
 * never both zero). `ctx` is the context VIEW is evaluated in.
 */
export type Fingerprinter = (state: State, ctx: EvalContext, out: Uint32Array) => void;

/**
 * Optional fast paths a {@link ValueOps} may offer: the same fingerprints as `fingerprintState` /
 * `fingerprint`, written as 32-bit halves (`out[0]` low, `out[1]` high) so no BigInt is made.
 */
export interface FingerprintFastPaths {
  fingerprintStateInto?(state: State, out: Uint32Array): void;
  fingerprintInto?(v: Value, out: Uint32Array): void;
}

/** Build the fingerprint function for a model, honouring VIEW and SYMMETRY. */
export function makeFingerprinter(model: CompiledModel): Fingerprinter {
  const values = model.values as ValueOps & FingerprintFastPaths;
  const view = model.view?.bind(model);
  let plain: Fingerprinter;
  if (view) {
    plain = values.fingerprintInto
      ? (state, ctx, out) => values.fingerprintInto!(view(state, ctx), out)
      : (state, ctx, out) => splitKey(values.fingerprint(view(state, ctx)), out);
  } else {
    plain = values.fingerprintStateInto
      ? (state, _ctx, out) => values.fingerprintStateInto!(state, out)
      : (state, _ctx, out) => splitKey(values.fingerprintState(state), out);
  }
  const perms = model.symmetry;
  const scratch = new Uint32Array(2);
  const base: Fingerprinter =
    perms.length === 0
      ? plain
      : (state, ctx, out) => {
          // The identity is always a candidate, whether or not the cfg's permutation set lists it.
          plain(state, ctx, out);
          for (const perm of perms) {
            plain(state.map((v) => values.permute(v, perm)), ctx, scratch);
            if (scratch[1] < out[1] || (scratch[1] === out[1] && scratch[0] < out[0])) {
              out[0] = scratch[0];
              out[1] = scratch[1];
            }
          }
        };
  return (state, ctx, out) => {
    base(state, ctx, out);
    if (out[0] === 0 && out[1] === 0) splitKey(0n, out);
  };
}

/** The table key of a state as a bigint (for the cold paths: traces, tests). */
export function fingerprintKey(fingerprint: Fingerprinter, state: State, ctx: EvalContext): bigint {
  const out = new Uint32Array(2);
  fingerprint(state, ctx, out);
  return joinKey(out[0], out[1]);
}

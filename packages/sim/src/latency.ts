/**
 * Latency distributions, in milliseconds, for network links, client links and fsync. Samples are
 * rounded to whole microseconds, the simulator's clock resolution, so virtual times stay exact.
 *
 * @module
 */
import { SimulationConfigError } from "./errors.js";
import type { SeededRng } from "@synod/protocol";

/**
 * How long something takes, in ms.
 * - `constant`: always `ms`.
 * - `uniform`: uniform in `[minMs, maxMs]`.
 * - `normal`: Gaussian around `meanMs` with `stdDevMs`, clamped to `[minMs, maxMs]` (defaults 0, ∞).
 * - `exponential`: `minMs` plus an exponential tail with mean `meanExtraMs`, capped at `maxMs` —
 *   the long tail real networks have.
 *
 * @example `{ type: "uniform", minMs: 1, maxMs: 10 }`
 */
export type LatencyDistribution =
  | { type: "constant"; ms: number }
  | { type: "uniform"; minMs: number; maxMs: number }
  | { type: "normal"; meanMs: number; stdDevMs: number; minMs?: number; maxMs?: number }
  | { type: "exponential"; minMs: number; meanExtraMs: number; maxMs?: number };

function finiteNonNegative(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new SimulationConfigError(path, `expected a finite number >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Check that `value` is a well-formed {@link LatencyDistribution}; throws a
 * {@link SimulationConfigError} naming `path` and the field otherwise.
 */
export function validateLatency(value: unknown, path: string): LatencyDistribution {
  if (typeof value !== "object" || value === null) {
    throw new SimulationConfigError(path, `expected a latency distribution object, got ${JSON.stringify(value)}`);
  }
  const d = value as Record<string, unknown>;
  switch (d.type) {
    case "constant":
      finiteNonNegative(d.ms, `${path}.ms`);
      break;
    case "uniform": {
      const min = finiteNonNegative(d.minMs, `${path}.minMs`);
      const max = finiteNonNegative(d.maxMs, `${path}.maxMs`);
      if (max < min) throw new SimulationConfigError(`${path}.maxMs`, `must be >= minMs (${min}), got ${max}`);
      break;
    }
    case "normal": {
      finiteNonNegative(d.meanMs, `${path}.meanMs`);
      finiteNonNegative(d.stdDevMs, `${path}.stdDevMs`);
      const min = d.minMs === undefined ? 0 : finiteNonNegative(d.minMs, `${path}.minMs`);
      if (d.maxMs !== undefined) {
        const max = finiteNonNegative(d.maxMs, `${path}.maxMs`);
        if (max < min) throw new SimulationConfigError(`${path}.maxMs`, `must be >= minMs (${min}), got ${max}`);
      }
      break;
    }
    case "exponential": {
      const min = finiteNonNegative(d.minMs, `${path}.minMs`);
      finiteNonNegative(d.meanExtraMs, `${path}.meanExtraMs`);
      if (d.maxMs !== undefined) {
        const max = finiteNonNegative(d.maxMs, `${path}.maxMs`);
        if (max < min) throw new SimulationConfigError(`${path}.maxMs`, `must be >= minMs (${min}), got ${max}`);
      }
      break;
    }
    default:
      throw new SimulationConfigError(
        `${path}.type`,
        `expected "constant", "uniform", "normal" or "exponential", got ${JSON.stringify(d.type)}`,
      );
  }
  return value as LatencyDistribution;
}

/** Draw one latency from `d`, in whole microseconds. */
export function sampleLatencyUs(d: LatencyDistribution, rng: SeededRng): number {
  switch (d.type) {
    case "constant":
      return Math.round(d.ms * 1000);
    case "uniform":
      return rng.uniformInt(Math.round(d.minMs * 1000), Math.round(d.maxMs * 1000));
    case "normal": {
      // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - rng.nextFloat();
      const v = rng.nextFloat();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      const ms = Math.min(Math.max(d.meanMs + z * d.stdDevMs, d.minMs ?? 0), d.maxMs ?? Infinity);
      return Math.round(ms * 1000);
    }
    case "exponential": {
      const u = 1 - rng.nextFloat();
      const ms = Math.min(d.minMs - Math.log(u) * d.meanExtraMs, d.maxMs ?? Infinity);
      return Math.round(ms * 1000);
    }
  }
}

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
 * - `pareto`: Pareto with scale `xmMs` (the minimum) and shape `alpha`, capped at `maxMs`: a
 *   power-law tail (`P(X > x) = (xmMs / x)^alpha`), as Bailis et al. fit production latencies.
 * - `mixture`: draws from part `i` with probability `parts[i].weight` (weights sum to 1), e.g.
 *   PBS's fits "91.22% Pareto, 8.78% exponential".
 *
 * @example `{ type: "uniform", minMs: 1, maxMs: 10 }`
 * @example `{ type: "mixture", parts: [{ weight: 0.9122, latency: { type: "pareto", xmMs: 0.235, alpha: 10 } }, { weight: 0.0878, latency: { type: "exponential", minMs: 0, meanExtraMs: 1 / 1.66 } }] }`
 */
export type LatencyDistribution =
  | { type: "constant"; ms: number }
  | { type: "uniform"; minMs: number; maxMs: number }
  | { type: "normal"; meanMs: number; stdDevMs: number; minMs?: number; maxMs?: number }
  | { type: "exponential"; minMs: number; meanExtraMs: number; maxMs?: number }
  | { type: "pareto"; xmMs: number; alpha: number; maxMs?: number }
  | { type: "mixture"; parts: { weight: number; latency: LatencyDistribution }[] };

/** How far a mixture's weights may sum from 1 (they are usually quoted to four digits). */
const WEIGHT_TOLERANCE = 1e-6;

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
    case "pareto": {
      const xm = finiteNonNegative(d.xmMs, `${path}.xmMs`);
      if (xm === 0) throw new SimulationConfigError(`${path}.xmMs`, "must be > 0 (the distribution's minimum)");
      const alpha = finiteNonNegative(d.alpha, `${path}.alpha`);
      if (alpha === 0) throw new SimulationConfigError(`${path}.alpha`, "must be > 0");
      if (d.maxMs !== undefined) {
        const max = finiteNonNegative(d.maxMs, `${path}.maxMs`);
        if (max < xm) throw new SimulationConfigError(`${path}.maxMs`, `must be >= xmMs (${xm}), got ${max}`);
      }
      break;
    }
    case "mixture": {
      if (!Array.isArray(d.parts) || d.parts.length === 0) {
        throw new SimulationConfigError(`${path}.parts`, "expected a non-empty array of { weight, latency }");
      }
      let sum = 0;
      d.parts.forEach((part: unknown, i) => {
        const at = `${path}.parts[${i}]`;
        if (typeof part !== "object" || part === null) throw new SimulationConfigError(at, "expected { weight, latency }");
        const pr = part as Record<string, unknown>;
        const w = finiteNonNegative(pr.weight, `${at}.weight`);
        if (w === 0 || w > 1) throw new SimulationConfigError(`${at}.weight`, `expected a weight in (0, 1], got ${w}`);
        sum += w;
        validateLatency(pr.latency, `${at}.latency`);
      });
      if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
        throw new SimulationConfigError(`${path}.parts`, `weights must sum to 1, got ${sum}`);
      }
      break;
    }
    default:
      throw new SimulationConfigError(
        `${path}.type`,
        `expected "constant", "uniform", "normal", "exponential", "pareto" or "mixture", got ${JSON.stringify(d.type)}`,
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
    case "pareto": {
      // Inverse transform: u in (0, 1] gives xm / u^(1/alpha) >= xm.
      const u = 1 - rng.nextFloat();
      const ms = Math.min(d.xmMs / Math.pow(u, 1 / d.alpha), d.maxMs ?? Infinity);
      return Math.round(ms * 1000);
    }
    case "mixture": {
      const u = rng.nextFloat();
      let acc = 0;
      for (const part of d.parts) {
        acc += part.weight;
        if (u < acc) return sampleLatencyUs(part.latency, rng);
      }
      // Weights summing to just under 1 leave a sliver of u: it belongs to the last part.
      return sampleLatencyUs((d.parts[d.parts.length - 1] as { latency: LatencyDistribution }).latency, rng);
    }
  }
}

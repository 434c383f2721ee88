/**
 * specs/pbft/PBFT.tla (through MCPBFT.tla) at the bounds each conformance check needs. The cfgs
 * are written here; the spec files are not edited. See /work/brief/pbft-contract.md for the
 * contract between the spec and this adapter.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type Size, type SpecPurpose } from "@synod/conformance";

/** The constants of an MCPBFT model. */
export interface PbftBounds {
  /** The Byzantine replicas (a subset of n1..n4). */
  byz: string[];
  /** Client requests q1..qR. */
  requests: number;
  maxView: number;
  maxSeq: number;
  /** Checkpoint period and log size (the implementation's checkpointInterval and logSize). */
  k: number;
  l: number;
}

/** Replicas, as the implementation and the model name them. */
export const REPLICAS = ["n1", "n2", "n3", "n4"];

/** Random walks: n1 Byzantine, three requests, views 0..2, four sequence numbers, K = 2, L = 2. */
export const WALK_BOUNDS: PbftBounds = { byz: ["n1"], requests: 2, maxView: 1, maxSeq: 2, k: 1, l: 1 };
/** The CI coverage model: n1 Byzantine, two requests, one sequence number, no view change, K = L = 1. */
export const CI_COVERAGE_BOUNDS: PbftBounds = { byz: ["n1"], requests: 2, maxView: 0, maxSeq: 1, k: 1, l: 1 };
/** The full coverage model: MCPBFT.cfg's constants (two sequence numbers: watermarks, state transfer). */
export const FULL_COVERAGE_BOUNDS: PbftBounds = { byz: ["n1"], requests: 2, maxView: 0, maxSeq: 2, k: 1, l: 1 };
/**
 * Trace validation: n1 (the primary of view 0) Byzantine. The bounds must not bind, yet they size every
 * successor computation (Next quantifies over views, sequence numbers and requests): views up to
 * 6 and sequence numbers up to 8 hold what a validation run reaches (three requests, a few view
 * changes with null requests); the driver stops proposing when the log could pass them.
 */
export const VALIDATE_BOUNDS: PbftBounds = { byz: ["n1"], requests: 3, maxView: 8, maxSeq: 8, k: 2, l: 4 };

/**
 * TLC's distinct states of the coverage models, without symmetry (the replay enumerates every
 * state): `java -cp tla2tools.jar tlc2.TLC -workers 1 -config C.cfg MCPBFT.tla` with C.cfg =
 * `pbftCfg(CI_COVERAGE_BOUNDS)` plus `CHECK_DEADLOCK FALSE`: 327 distinct (697 generated, depth 13);
 * with `pbftCfg(FULL_COVERAGE_BOUNDS)`: 10,987 distinct (25,441 generated, depth 25).
 */
export const COVERAGE_DISTINCT: Partial<Record<Size, number>> = { ci: 327, full: 10_987 };

/** The cfg text for `bounds`. */
export function pbftCfg(b: PbftBounds): string {
  const reqs = Array.from({ length: b.requests }, (_, k) => `q${k + 1}`);
  return [
    "CONSTANTS",
    ...REPLICAS.map((r) => `    ${r} = ${r}`),
    "    q1 = q1",
    "    q2 = q2",
    "    q3 = q3",
    `    Replica = {${REPLICAS.join(", ")}}`,
    `    Byz = {${b.byz.join(", ")}}`,
    "    F = 1",
    "    ReplicaOrder <- MCReplicaOrder",
    `    Request = {${reqs.join(", ")}}`,
    "    Null = Null",
    "    Bogus = Bogus",
    `    MaxView = ${b.maxView}`,
    `    MaxSeq = ${b.maxSeq}`,
    `    K = ${b.k}`,
    `    L = ${b.l}`,
    "INIT Init",
    "NEXT Next",
    "",
  ].join("\n");
}

/** A loaded PBFT model. */
export interface PbftSpec extends LoadedSpec {
  bounds: PbftBounds;
  /** Request names (`q1`, ...): the values the conformance clients put. */
  requests: string[];
}

/** Where specs/pbft is, relative to the checkout. */
export const PBFT_SPEC_DIR = "specs/pbft";

/** Load MCPBFT.tla with `bounds`. */
export async function loadPbftSpec(bounds: PbftBounds): Promise<PbftSpec> {
  if (bounds.requests > 3) throw new Error(`MCPBFT.tla declares q1..q3 only; asked for ${bounds.requests} requests`);
  const spec = await loadSpec({ dir: specDirNear(import.meta.url, PBFT_SPEC_DIR), module: "MCPBFT.tla", cfg: pbftCfg(bounds), servers: REPLICAS });
  return { ...spec, bounds, requests: Array.from({ length: bounds.requests }, (_, k) => `q${k + 1}`) };
}

/** The bounds a check loads at a size. */
export function boundsFor(purpose: SpecPurpose, size: Size): PbftBounds {
  switch (purpose) {
    case "walks":
      return WALK_BOUNDS;
    case "coverage":
      return size === "full" ? FULL_COVERAGE_BOUNDS : CI_COVERAGE_BOUNDS;
    case "validate":
      return VALIDATE_BOUNDS;
  }
}

/** Node options that make a replica follow a model's constants. */
export function specNodeOptions(b: PbftBounds): { checkpointInterval: number; logSize: number; maxBatchEntries: number; maxInflightBatches: number; specMode: true } {
  return { checkpointInterval: b.k, logSize: b.l, maxBatchEntries: 1, maxInflightBatches: 1_000, specMode: true };
}

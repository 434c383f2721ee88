/**
 * specs/paxos/MultiPaxos.tla at the bounds each conformance check needs. The cfgs are written
 * here (the spec files are not edited): MultiPaxos.tla through MCMultiPaxos.tla and its
 * StateConstraint, as the contract between the two (docs: specs/paxos/README.md) describes.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type Size, type SpecPurpose } from "@synod/conformance";

/** Bounds and constants of a MultiPaxos model (MCMultiPaxos.tla's constants). */
export interface MultiPaxosBounds {
  /** Number of servers (`s1`, `s2`, `s3`; MCMultiPaxos.tla names three). */
  servers: number;
  /** Number of client values (`v1`, `v2`, ...). */
  values: number;
  /** Lease length in ticks (0: no leases). */
  leaseDuration: number;
  /** Clocks of any two servers are at most this far apart. */
  maxDrift: number;
  maxRound: number;
  maxSlot: number;
  maxClock: number;
  maxMessages: number;
  maxCopies: number;
  /** Add MCMultiPaxos.tla's `TwoProposers` constraint (only s1 and s2 run Phase 1). */
  twoProposers?: boolean;
}

/** specs/paxos/MCMultiPaxos.cfg's bounds (the checker's CI model): the full coverage model. */
export const MCMULTIPAXOS_BOUNDS: MultiPaxosBounds = { servers: 3, values: 1, leaseDuration: 0, maxDrift: 0, maxRound: 1, maxSlot: 1, maxClock: 0, maxMessages: 1, maxCopies: 1 };
/** The CI coverage model: MCMultiPaxos.cfg with only two proposers (s3 only accepts and learns). */
export const CI_COVERAGE_BOUNDS: MultiPaxosBounds = { ...MCMULTIPAXOS_BOUNDS, twoProposers: true };
/**
 * Random walks: three rounds, three slots, leases of 3 ticks with drift 1 (so a lease is valid for
 * a tick after a quorum's grant), clocks up to 8 ticks so that bindings expire and leadership can
 * move, three messages in flight.
 */
export const WALK_BOUNDS: MultiPaxosBounds = { servers: 3, values: 2, leaseDuration: 3, maxDrift: 1, maxRound: 3, maxSlot: 3, maxClock: 8, maxMessages: 3, maxCopies: 2 };
/**
 * Trace validation: the spec's successor relation only, so the bounds must never bind. Clocks
 * tick only when the driver says, so drift must not bind either; leases of 3 ticks with that
 * drift leave a margin no lease survives, so a leader that serves a lease read is wrong.
 */
export const VALIDATE_BOUNDS: MultiPaxosBounds = { servers: 3, values: 2, leaseDuration: 3, maxDrift: 100_000, maxRound: 100_000, maxSlot: 100_000, maxClock: 100_000, maxMessages: 100_000, maxCopies: 100_000 };

/**
 * TLC's distinct states of the coverage models: `tlc2.TLC -workers 1 -config C.cfg MCMultiPaxos.tla`
 * in specs/paxos with C.cfg = MCMultiPaxos.cfg (full: 12,558, as in expected.json) and the same
 * with `CONSTRAINT StateConstraint TwoProposers` (CI: 4,844).
 */
export const COVERAGE_DISTINCT: Partial<Record<Size, number>> = { ci: 4_844, full: 12_558 };

/** Server ids as the implementation names them (`s1`, ...), equal to the model values' names. */
export function serverIds(n: number): string[] {
  return Array.from({ length: n }, (_, k) => `s${k + 1}`);
}

/** The cfg text for `bounds`. */
export function multiPaxosCfg(bounds: MultiPaxosBounds): string {
  const names = (prefix: string, n: number): string => Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`).join(", ");
  return [
    "CONSTANTS",
    "    s1 = s1",
    "    s2 = s2",
    "    s3 = s3",
    `    Server = {${names("s", bounds.servers)}}`,
    `    Value = {${names("v", bounds.values)}}`,
    "    NoOp = NoOp",
    "    Nil = Nil",
    "    Rank <- MCRank",
    `    LeaseDuration = ${bounds.leaseDuration}`,
    `    MaxDrift = ${bounds.maxDrift}`,
    `    MaxRound = ${bounds.maxRound}`,
    `    MaxSlot = ${bounds.maxSlot}`,
    `    MaxClock = ${bounds.maxClock}`,
    `    MaxMessages = ${bounds.maxMessages}`,
    `    MaxCopies = ${bounds.maxCopies}`,
    "INIT Init",
    "NEXT Next",
    bounds.twoProposers === true ? "CONSTRAINT StateConstraint TwoProposers" : "CONSTRAINT StateConstraint",
    "",
  ].join("\n");
}

/** A loaded MultiPaxos model: the generic spec plus its bounds and client values. */
export interface MultiPaxosSpec extends LoadedSpec {
  /** The bounds it was loaded with. */
  bounds: MultiPaxosBounds;
  /** Client values' names (`v1`, ...), put as strings by the implementation. */
  values: string[];
}

/** Where specs/paxos is, relative to the checkout. */
export const PAXOS_SPEC_DIR = "specs/paxos";

/** Load MCMultiPaxos.tla with `bounds`. */
export async function loadMultiPaxosSpec(bounds: MultiPaxosBounds): Promise<MultiPaxosSpec> {
  if (bounds.servers < 1 || bounds.servers > 3) throw new Error(`MCMultiPaxos.tla names three servers; asked for ${bounds.servers}`);
  const spec = await loadSpec({ dir: specDirNear(import.meta.url, PAXOS_SPEC_DIR), module: "MCMultiPaxos.tla", cfg: multiPaxosCfg(bounds), servers: serverIds(bounds.servers) });
  return { ...spec, bounds, values: Array.from({ length: bounds.values }, (_, k) => `v${k + 1}`) };
}

/** The bounds a check loads at a size. */
export function boundsFor(purpose: SpecPurpose, size: Size): MultiPaxosBounds {
  switch (purpose) {
    case "walks":
      return WALK_BOUNDS;
    case "coverage":
      // Leases are left to the walks (the lease models are larger and need clocks to move).
      return size === "full" ? MCMULTIPAXOS_BOUNDS : CI_COVERAGE_BOUNDS;
    case "validate":
      return VALIDATE_BOUNDS;
  }
}

/** The node options that make a spec-mode node follow a model's lease constants. */
export function specNodeOptions(bounds: MultiPaxosBounds): { stepMode: "spec"; readMode: "lease" | "log"; leaseMs: number; leaseMarginMs: number; maxBatchEntries: number } {
  return {
    stepMode: "spec",
    readMode: bounds.leaseDuration > 0 ? "lease" : "log",
    leaseMs: bounds.leaseDuration,
    leaseMarginMs: 2 * bounds.maxDrift,
    maxBatchEntries: 1,
  };
}

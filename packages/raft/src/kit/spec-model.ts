/**
 * specs/raft at the bounds each conformance check needs. The cfgs are written here (the spec
 * files are not edited): Raft.tla through MCRaft.tla, with its StateConstraint.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type Size, type SpecPurpose } from "@synod/conformance";

/** Bounds of a Raft model (MCRaft.tla's constants). */
export interface RaftBounds {
  /** Number of servers (`s1`, `s2`, ...). */
  servers: number;
  /** Number of client values (`v1`, `v2`, ...). */
  values: number;
  /** No server's term exceeds this. */
  maxTerm: number;
  /** No log is longer than this. */
  maxLogLen: number;
  /** At most this many distinct messages in flight. */
  maxMessages: number;
  /** At most this many copies of one message in flight. */
  maxCopies: number;
  /** Declare `SYMMETRY ServerSymmetry` (for state-space coverage by orbits). */
  symmetry: boolean;
}

/** The CI coverage model: one election term, so coverage of every state stays CI-sized. */
export const CI_COVERAGE_BOUNDS: RaftBounds = { servers: 3, values: 1, maxTerm: 1, maxLogLen: 1, maxMessages: 1, maxCopies: 1, symmetry: true };
/** specs/raft/MCRaft.cfg's bounds (the checker's CI model): coverage of it is a `full` run. */
export const MCRAFT_BOUNDS: RaftBounds = { servers: 3, values: 1, maxTerm: 2, maxLogLen: 1, maxMessages: 1, maxCopies: 1, symmetry: true };
/** Looser bounds for random walks: longer logs, more terms, several messages in flight. */
export const WALK_BOUNDS: RaftBounds = { servers: 3, values: 2, maxTerm: 4, maxLogLen: 3, maxMessages: 4, maxCopies: 2, symmetry: false };
/** Trace validation: the spec's successor relation only, so the bounds must never bind. */
export const VALIDATE_BOUNDS: RaftBounds = { ...WALK_BOUNDS, maxTerm: 1000, maxLogLen: 1000 };

/** TLC's distinct states of the coverage models (`tlc2.TLC -workers 1 -deadlock`; see the conformance README). */
export const COVERAGE_DISTINCT: Record<Size, number> = { ci: 936, full: 21_767 };

/** Server ids as the implementation names them (`s1`, `s2`, ...), equal to the model values' names. */
export function serverIds(n: number): string[] {
  return Array.from({ length: n }, (_, k) => `s${k + 1}`);
}

/** The cfg text for `bounds`. */
export function raftCfg(bounds: RaftBounds): string {
  const names = (prefix: string, n: number): string => Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`).join(", ");
  return [
    "CONSTANTS",
    `    Server = {${names("s", bounds.servers)}}`,
    `    Value = {${names("v", bounds.values)}}`,
    "    Nil = Nil",
    `    MaxTerm = ${bounds.maxTerm}`,
    `    MaxLogLen = ${bounds.maxLogLen}`,
    `    MaxMessages = ${bounds.maxMessages}`,
    `    MaxCopies = ${bounds.maxCopies}`,
    "INIT Init",
    "NEXT Next",
    "CONSTRAINT StateConstraint",
    ...(bounds.symmetry ? ["SYMMETRY ServerSymmetry"] : []),
    "",
  ].join("\n");
}

/** A loaded Raft model: the generic spec plus its bounds and client values. */
export interface RaftSpec extends LoadedSpec {
  /** The bounds it was loaded with. */
  bounds: RaftBounds;
  /** Client values' names (`v1`, ...), put as strings by the implementation. */
  values: string[];
}

/** Where specs/raft is, relative to the checkout. */
export const RAFT_SPEC_DIR = "specs/raft";

/** Load MCRaft.tla with `bounds`. */
export async function loadRaftSpec(bounds: RaftBounds): Promise<RaftSpec> {
  const spec = await loadSpec({ dir: specDirNear(import.meta.url, RAFT_SPEC_DIR), module: "MCRaft.tla", cfg: raftCfg(bounds), servers: serverIds(bounds.servers) });
  return { ...spec, bounds, values: serverIds(bounds.values).map((s) => s.replace("s", "v")) };
}

/** The bounds a check loads at a size. */
export function boundsFor(purpose: SpecPurpose, size: Size): RaftBounds {
  switch (purpose) {
    case "walks":
      return WALK_BOUNDS;
    case "coverage":
      return size === "full" ? MCRAFT_BOUNDS : CI_COVERAGE_BOUNDS;
    case "validate":
      return VALIDATE_BOUNDS;
  }
}

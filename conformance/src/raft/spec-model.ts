/**
 * Loading specs/raft with the bounds each conformance check needs. The cfgs are generated here
 * (the spec files are not edited): Raft.tla through MCRaft.tla, with its StateConstraint.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { loadModel, type CompiledModel, type Value } from "@synod/tla-checker-wasm";

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

/** The CI conformance model: one election term, so coverage of every state stays CI-sized. */
export const CI_COVERAGE_BOUNDS: RaftBounds = { servers: 3, values: 1, maxTerm: 1, maxLogLen: 1, maxMessages: 1, maxCopies: 1, symmetry: true };
/** specs/raft/MCRaft.cfg's bounds (the checker's CI model): coverage of it is a `full` run. */
export const MCRAFT_BOUNDS: RaftBounds = { servers: 3, values: 1, maxTerm: 2, maxLogLen: 1, maxMessages: 1, maxCopies: 1, symmetry: true };
/** Looser bounds for random walks: longer logs, more terms, several messages in flight. */
export const WALK_BOUNDS: RaftBounds = { servers: 3, values: 2, maxTerm: 4, maxLogLen: 3, maxMessages: 4, maxCopies: 2, symmetry: false };

/** The directory holding Raft.tla and MCRaft.tla. */
export function raftSpecDir(): string {
  return fileURLToPath(new URL("../../../specs/raft/", import.meta.url));
}

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

/** A loaded Raft model plus the model values conformance maps node ids and client values to. */
export interface RaftSpec {
  /** The compiled model (checker API). */
  model: CompiledModel;
  /** The bounds it was loaded with. */
  bounds: RaftBounds;
  /** Server ids, which are also the model values' names. */
  servers: string[];
  /** Client values' names (`v1`, ...), put as strings by the implementation. */
  values: string[];
  /** Model value of a server id / client value / Nil. */
  mv(name: string): Value;
  /** The name of a model value (inverse of `mv`). */
  nameOf(v: Value): string;
}

/** Load MCRaft.tla with the given bounds. */
export async function loadRaftSpec(bounds: RaftBounds): Promise<RaftSpec> {
  const model = await loadModel({
    spec: { path: `${raftSpecDir()}MCRaft.tla` },
    cfg: { source: raftCfg(bounds), name: "conformance.cfg" },
    print: () => {},
  });
  const cache = new Map<string, Value>();
  const mv = (name: string): Value => {
    let v = cache.get(name);
    if (v === undefined) cache.set(name, (v = model.values.fromPortable({ m: name })));
    return v;
  };
  const nameOf = (v: Value): string => {
    const p = model.values.toPortable(v) as { m?: unknown };
    if (typeof p !== "object" || p === null || typeof p.m !== "string") throw new Error(`not a model value: ${model.values.format(v)}`);
    return p.m;
  };
  return { model, bounds, servers: serverIds(bounds.servers), values: serverIds(bounds.values).map((s) => s.replace("s", "v")), mv, nameOf };
}

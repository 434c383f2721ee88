/**
 * What `synod serve <protocol>` needs from a protocol package.
 *
 * @module
 */
import type { Json, NodeId, ProtocolNode, Rng } from "@synod/protocol";

/** Timing knobs `synod serve` passes through to the protocol. */
export interface ServeTuning {
  electionTimeoutMsMin?: number;
  electionTimeoutMsMax?: number;
  heartbeatMs?: number;
  /** Take a protocol snapshot (and drop the log before it) every this many applied entries. */
  snapshotEveryEntries?: number;
}

/** A protocol that `synod serve` can run. */
export interface ServedProtocol {
  readonly name: string;
  /** Create a node from recovered durable state; throws (with the bad key named) on corrupt state. */
  createNode(init: {
    id: NodeId;
    /** The other members of the initial cluster. */
    peers: NodeId[];
    rng: Rng;
    durable: ReadonlyMap<string, Json>;
    tuning: ServeTuning;
    /** Protocol options as given with `--protocol-options` (the tuning flags take precedence). */
    options: { [key: string]: Json };
  }): ProtocolNode<unknown, unknown, unknown>;
  /** Wire validation for peer messages: `null` if fine, else the problem. */
  checkMessage(message: unknown): string | null;
  /** True for errors that mean "durable state is corrupt" (the node must not start). */
  isStorageError(err: unknown): boolean;
  /** True for errors that mean "an option is invalid" (a usage error). */
  isConfigError(err: unknown): boolean;
}

/** Load a protocol by name; only the one asked for is imported. */
export async function loadProtocol(name: string): Promise<ServedProtocol | null> {
  switch (name) {
    case "raft":
      return (await import("./raft.js")).raftProtocol;
    default:
      return null;
  }
}

/** Names accepted by {@link loadProtocol}. */
export const SERVED_PROTOCOLS: readonly string[] = ["raft"];

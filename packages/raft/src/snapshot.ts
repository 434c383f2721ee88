/**
 * Snapshots: what the configuration was at a given index, and building a snapshot from the state
 * machine. Installing one on a follower lives in `raft.ts` (it touches the log, commit and storage).
 *
 * @module
 */
import type { KvCommand, KvResult, SessionService } from "@synod/kv";
import type { RaftLog } from "./log.js";
import type { Membership, Snapshot } from "./types.js";

/**
 * The configuration in force at `index`: the last config entry at or before it, else the one in
 * the snapshot base, else the bootstrap configuration.
 */
export function configAt(log: RaftLog, index: number, base: Membership): Membership {
  for (let i = Math.min(index, log.lastIndex); i > log.snapshotIndex; i--) {
    const c = log.entry(i).command;
    if (c.type === "config") return c.config;
  }
  return base;
}

/** A snapshot of the hosted service `kv`, which must have applied exactly the entries up to `index`. */
export function makeSnapshot(log: RaftLog, index: number, base: Membership, kv: SessionService<KvCommand, KvResult>): Snapshot {
  const term = log.termAt(index);
  if (term === undefined) throw new Error(`snapshot: index ${index} is not in the log`);
  return { index, term, config: configAt(log, index, base), data: kv.toJson() };
}

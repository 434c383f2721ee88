/**
 * Raft (with its replicated key-value store) as `synod serve raft` runs it.
 *
 * @module
 */
import { checkRaftMessage, createKvNode, type RaftOptions } from "@synod/raft";
import type { ServedProtocol } from "./served-protocol.js";

/**
 * A served node snapshots by default (the library's default is never), so that its log, and with
 * it the durable key space and every restart's replay, stays bounded.
 */
export const SNAPSHOT_EVERY_ENTRIES_DEFAULT = 10_000;

/** The Raft KV node of `@synod/raft`. */
export const raftProtocol: ServedProtocol = {
  name: "raft",
  createNode: ({ id, peers, rng, durable, tuning, options }) =>
    createKvNode({
      id,
      peers,
      rng,
      durable,
      options: {
        snapshotEveryEntries: SNAPSHOT_EVERY_ENTRIES_DEFAULT,
        ...(options as Partial<RaftOptions>),
        ...(tuning.electionTimeoutMsMin !== undefined ? { electionTimeoutMsMin: tuning.electionTimeoutMsMin } : {}),
        ...(tuning.electionTimeoutMsMax !== undefined ? { electionTimeoutMsMax: tuning.electionTimeoutMsMax } : {}),
        ...(tuning.heartbeatMs !== undefined ? { heartbeatMs: tuning.heartbeatMs } : {}),
        ...(tuning.snapshotEveryEntries !== undefined ? { snapshotEveryEntries: tuning.snapshotEveryEntries } : {}),
      },
    }),
  checkMessage: (message) => checkRaftMessage(message),
  isStorageError: (err) => err instanceof Error && err.name === "RaftStorageError",
  isConfigError: (err) => err instanceof Error && err.name === "RaftConfigError",
};

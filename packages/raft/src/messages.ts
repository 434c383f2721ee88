/**
 * The messages Raft nodes exchange. Names follow Ongaro's raft.tla (`RequestVoteRequest`,
 * `AppendEntriesResponse`, ...) so a conformance failure reads the same on both sides.
 *
 * @module
 */
import type { LogEntry, Snapshot } from "./types.js";
import { validateKvCommand } from "@synod/kv";
import { validateLogEntry, validateSnapshot, type CommandValidator } from "./validate.js";

/** Every message Raft nodes send each other. All are plain JSON. */
export type RaftMessage =
  /** Pre-vote: "would you vote for me in `term`?" (`term` is the sender's term + 1; it does not
   * change anyone's term). */
  | { type: "PreVoteRequest"; term: number; lastLogIndex: number; lastLogTerm: number }
  /** `term` is the request's term when granted, the responder's own term when not. */
  | { type: "PreVoteResponse"; term: number; granted: boolean }
  /** `transfer` marks an election started by `TimeoutNow`: it overrides the check-quorum lease. */
  | {
      type: "RequestVoteRequest";
      term: number;
      lastLogIndex: number;
      lastLogTerm: number;
      transfer: boolean;
    }
  | { type: "RequestVoteResponse"; term: number; granted: boolean }
  | {
      type: "AppendEntriesRequest";
      term: number;
      prevLogIndex: number;
      prevLogTerm: number;
      entries: LogEntry[];
      commitIndex: number;
    }
  /**
   * On success `matchIndex` is the last index known to match the leader. On rejection
   * `rejectIndex` is the request's `prevLogIndex` and the hint says where to retry: the follower's
   * term at `rejectIndex` and the first index it holds of that term, or (`conflictTerm: null`)
   * its last index + 1 when its log is too short.
   */
  | {
      type: "AppendEntriesResponse";
      term: number;
      success: boolean;
      matchIndex: number;
      rejectIndex: number;
      conflictTerm: number | null;
      conflictIndex: number;
    }
  /** Leader liveness and commit propagation; `round` is echoed to confirm leadership for reads. */
  | { type: "HeartbeatRequest"; term: number; commitIndex: number; round: number }
  | { type: "HeartbeatResponse"; term: number; round: number }
  | { type: "InstallSnapshotRequest"; term: number; snapshot: Snapshot }
  | { type: "InstallSnapshotResponse"; term: number; matchIndex: number }
  /** Leadership transfer: "start an election now, skipping pre-vote". */
  | { type: "TimeoutNow"; term: number };

/** The `type` tags of {@link RaftMessage}. */
export type RaftMessageType = RaftMessage["type"];

function isNat(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Check that a value received from the wire is a well-formed {@link RaftMessage}; the entries'
 * commands are checked by `validateCommand` (the hosted service's, the key-value store's by default).
 * Returns `null` when it is, otherwise a sentence naming the problem.
 */
export function checkRaftMessage(m: unknown, validateCommand: CommandValidator = validateKvCommand): string | null {
  if (typeof m !== "object" || m === null || Array.isArray(m)) return "not an object";
  const r = m as Record<string, unknown>;
  if (!isNat(r.term)) return `field 'term' must be a non-negative integer`;
  const nats = (...names: string[]): string | null => {
    for (const n of names) if (!isNat(r[n])) return `field '${n}' must be a non-negative integer`;
    return null;
  };
  const bools = (...names: string[]): string | null => {
    for (const n of names) if (typeof r[n] !== "boolean") return `field '${n}' must be a boolean`;
    return null;
  };
  switch (r.type) {
    case "PreVoteRequest":
      return nats("lastLogIndex", "lastLogTerm");
    case "RequestVoteRequest":
      return nats("lastLogIndex", "lastLogTerm") ?? bools("transfer");
    case "PreVoteResponse":
    case "RequestVoteResponse":
      return bools("granted");
    case "AppendEntriesRequest": {
      const e = nats("prevLogIndex", "prevLogTerm", "commitIndex");
      if (e) return e;
      if (!Array.isArray(r.entries)) return "field 'entries' must be an array";
      for (let k = 0; k < r.entries.length; k++) {
        const bad = validateLogEntry(r.entries[k], validateCommand);
        if (bad) return `entries[${k}]: ${bad}`;
      }
      return null;
    }
    case "AppendEntriesResponse": {
      const e = bools("success") ?? nats("matchIndex", "rejectIndex", "conflictIndex");
      if (e) return e;
      if (r.conflictTerm !== null && !isNat(r.conflictTerm)) return "field 'conflictTerm' must be null or a non-negative integer";
      return null;
    }
    case "HeartbeatRequest":
      return nats("commitIndex", "round");
    case "HeartbeatResponse":
      return nats("round");
    case "InstallSnapshotRequest": {
      const bad = validateSnapshot(r.snapshot);
      return bad ? `snapshot: ${bad}` : null;
    }
    case "InstallSnapshotResponse":
      return nats("matchIndex");
    case "TimeoutNow":
      return null;
    default:
      return `unknown message type ${JSON.stringify(r.type)}`;
  }
}

/**
 * Spec-mode stepping, kept apart from the protocol core as etcd/raft keeps its trace hooks in
 * `state_trace.go`. Production Raft takes several of raft.tla's actions in one step (a timeout
 * also sends every vote request; a response also replicates and commits); conformance needs a
 * node that moves one spec action at a time. The core consults a {@link Granularity} at each
 * place where the two differ, and {@link takeSpecAction} takes the actions that a spec-mode node
 * only takes when told.
 *
 * @module
 */
import type { Raft } from "./raft.js";
import type { StepMode } from "./types.js";

/** Every place where a production node and raft.tla's granularity differ, named. */
export interface Granularity {
  /** `Timeout(i)` also sends `RequestVote(i, j)` to every voter (else each is a step of its own). */
  readonly campaignSendsRequests: boolean;
  /** A candidate holding a quorum becomes leader at once (else it waits for `BecomeLeader(i)`). */
  readonly winsAtQuorum: boolean;
  /** A new leader appends a no-op, arms heartbeats and starts replicating at once. */
  readonly leaderStartsReplication: boolean;
  /**
   * A response to AppendEntries drives replication: more appends, commit, fast back-off (else it
   * only updates `matchIndex`/`nextIndex`, a rejection decrementing `nextIndex` by one).
   */
  readonly responsesDriveReplication: boolean;
  /** A client write is replicated and committed at once (else `ClientRequest(i, v)` only appends). */
  readonly requestsReplicate: boolean;
}

/** A production node: every consequence of an event happens in the same step. */
export const PRODUCTION: Granularity = Object.freeze({
  campaignSendsRequests: true,
  winsAtQuorum: true,
  leaderStartsReplication: true,
  responsesDriveReplication: true,
  requestsReplicate: true,
});

/** raft.tla's granularity: one spec action per step. */
export const SPEC: Granularity = Object.freeze({
  campaignSendsRequests: false,
  winsAtQuorum: false,
  leaderStartsReplication: false,
  responsesDriveReplication: false,
  requestsReplicate: false,
});

/** The granularity of a step mode. */
export function granularityOf(mode: StepMode): Granularity {
  return mode === "spec" ? SPEC : PRODUCTION;
}

/** The spec actions a spec-mode node takes only when told, with the peer parameter each takes. */
export const DRIVEN_ACTIONS: ReadonlyArray<{ action: string; peer: boolean }> = [
  { action: "RequestVote", peer: true },
  { action: "BecomeLeader", peer: false },
  { action: "AppendEntries", peer: true },
  { action: "AdvanceCommitIndex", peer: false },
];

/**
 * Take raft.tla's `action` on `raft` (`j` names the peer where the action has one). Returns whether
 * the spec enables it there; an action that is not enabled changes nothing.
 *
 * - `RequestVote(i, j)`: a candidate (re)sends `j` its vote request, unless `j` granted it already;
 * - `BecomeLeader(i)`: a candidate holding a quorum of votes becomes leader;
 * - `AppendEntries(i, j)`: a leader sends `j` one AppendEntriesRequest with at most one entry from
 *   `nextIndex[j]`, regardless of flow control, without changing progress;
 * - `AdvanceCommitIndex(i)`: a leader commits what a quorum stores, if that is new and of its term.
 */
export function takeSpecAction(raft: Raft, action: string, params: Record<string, string | number>): boolean {
  const peer = (): string => {
    const j = params.j;
    if (typeof j !== "string") throw new Error(`${action}: needs the peer j (got ${JSON.stringify(j)})`);
    return j;
  };
  switch (action) {
    case "RequestVote":
      return raft.specRequestVote(peer());
    case "BecomeLeader":
      return raft.specBecomeLeader();
    case "AppendEntries":
      return raft.specAppendEntries(peer());
    case "AdvanceCommitIndex":
      return raft.specAdvanceCommitIndex();
    default:
      throw new Error(`${action} is not an action a Raft node takes when told (${DRIVEN_ACTIONS.map((a) => a.action).join(", ")})`);
  }
}

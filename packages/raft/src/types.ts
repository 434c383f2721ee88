/**
 * The public vocabulary of the Raft package: commands, results, options, membership and the
 * abstract state that {@link RaftKvNode.inspect} exposes for conformance.
 *
 * @module
 */
import type { KvCommand } from "@synod/kv";
import type { Json, NodeId } from "@synod/protocol";

export type { KvCommand, KvResult } from "@synod/kv";

/**
 * A cluster administration request, sent as a client command to the leader.
 *
 * - `add-learner`: add a non-voting member that receives the log;
 * - `add-server`: add a voter; it joins as a learner first and the leader promotes it once it has
 *   caught up to the commit index (the reply comes when the promotion commits);
 * - `remove-server`: remove a voter or learner (a leader that removes itself steps down once the
 *   change commits);
 * - `transfer-leadership`: hand leadership to a caught-up voter with `TimeoutNow`.
 */
export type AdminCommand =
  | { op: "add-learner"; node: NodeId }
  | { op: "add-server"; node: NodeId }
  | { op: "remove-server"; node: NodeId }
  | { op: "transfer-leadership"; to: NodeId };

/**
 * Everything a client may ask a Raft node: a command of the hosted service (`Cmd`, the key-value
 * store's by default) or an admin command.
 */
export type RaftCommand<Cmd = KvCommand> = Cmd | AdminCommand;

/** A cluster configuration: who votes and who only learns. The two lists are disjoint and sorted. */
export interface Membership {
  /** Members whose votes and acknowledgements count towards quorums. */
  voters: NodeId[];
  /** Members that receive the log but neither vote nor count towards commit. */
  learners: NodeId[];
}

/** What a log entry carries. */
export type LogCommand =
  /** Appended by a new leader so that it commits an entry of its own term promptly. */
  | { type: "noop" }
  /**
   * A client's command of the hosted service, with the identity used for deduplication. Typed as
   * the key-value store's (the default service); a node hosting another service logs its commands
   * here unchanged.
   */
  | { type: "kv"; clientId: string; seq: number; command: KvCommand }
  /** A new configuration; it takes effect as soon as it is in a node's log (not when committed). */
  | { type: "config"; config: Membership; clientId: string | null; seq: number | null };

/** One log entry as stored and replicated. Its index is implied by its position. */
export interface LogEntry {
  /** The term of the leader that created the entry. */
  term: number;
  /** What the entry carries. */
  command: LogCommand;
}

/** A snapshot: the state machine after applying every entry up to `index`. */
export interface Snapshot {
  /** Index of the last entry the snapshot covers. */
  index: number;
  /** Term of that entry. */
  term: number;
  /** The configuration in force at `index`. */
  config: Membership;
  /** The state machine's own encoding (see `KvStore.toJson`). */
  data: Json;
}

/** A node's role. `pre-candidate` exists only with `preVote`. */
export type Role = "follower" | "pre-candidate" | "candidate" | "leader";

/** How a leader answers `get`. */
export type ReadMode = "read-index" | "lease" | "log";

/**
 * Deliberately broken behaviours, for tests that show conformance and the safety checks catch
 * them. TEST-ONLY: never enable them in a real deployment.
 */
export interface UnsafeOptions {
  /** Commit an entry of an earlier term once a majority stores it (Raft paper, Figure 8). */
  commitPriorTermByCounting?: boolean;
  /** Grant votes without checking that the candidate's log is at least as up to date. */
  voteWithoutUpToDateCheck?: boolean;
  /**
   * Emit vote grants and AppendEntries acknowledgements in a ready whose `persist` does not yet
   * contain the writes they depend on: those come in the ready after the next `step`, so a crash in
   * between forgets a vote or an acknowledged entry.
   */
  ackBeforePersist?: boolean;
  /**
   * A leader answers `get` from its local state at once, without confirming that it still leads
   * (a lease that never expires): a deposed leader serves stale reads.
   */
  readWithoutConfirmation?: boolean;
  /**
   * Truncate a conflicting log suffix in memory without persisting the truncation: a restart
   * brings the removed entries back (a bug the trace validation's storage check was built for).
   */
  truncateWithoutPersist?: boolean;
  /** Apply a client request each time it appears in the log (no session check): retries apply twice. */
  applyRetriesTwice?: boolean;
  /**
   * Heartbeats carry the leader's commit index as it is, not bounded by what the follower is known
   * to hold (`matchIndex`): a heartbeat checks no log, so a follower with a conflicting suffix
   * commits and applies entries the leader never had.
   */
  heartbeatCommitBeyondMatch?: boolean;
  /**
   * A new leader serves ReadIndex reads before it has committed an entry of its own term: its
   * commit index may still lag what the previous leader committed and acknowledged.
   */
  readBeforeTermCommit?: boolean;
  /**
   * InstallSnapshot keeps the follower's log after the snapshot's index even when the entry at that
   * index conflicts with the snapshot's last term (Raft's rule: keep the suffix only if it matches).
   */
  installSnapshotOverConflict?: boolean;
  /**
   * When a conflicting suffix that holds a configuration entry is truncated, the node keeps using
   * that configuration instead of the last one left in its log (Raft uses the latest configuration
   * in its log, committed or not, so a truncation must roll it back).
   */
  keepConfigOnTruncate?: boolean;
}

/** Tuning and feature switches. Every field has a default (see {@link defaultRaftOptions}). */
export interface RaftOptions {
  /** Election timeouts are drawn uniformly from `[electionTimeoutMsMin, electionTimeoutMsMax]`. */
  electionTimeoutMsMin: number;
  /** Upper bound of the randomized election timeout. */
  electionTimeoutMsMax: number;
  /** Leader heartbeat period; must be well below `electionTimeoutMsMin`. */
  heartbeatMs: number;
  /** Run a pre-vote round before incrementing the term (no disruption by partitioned nodes). */
  preVote: boolean;
  /** A leader steps down when it has not heard from a quorum for `electionTimeoutMsMin`; followers
   * that heard from a leader within `electionTimeoutMsMin` ignore (pre-)vote requests. */
  checkQuorum: boolean;
  /** At most this many entries per AppendEntries message. */
  maxBatchEntries: number;
  /** At most this many AppendEntries messages in flight per follower (pipelining window). */
  maxInflight: number;
  /** Take a snapshot and compact the log once this many entries were applied since the last one. */
  snapshotEveryEntries: number | null;
  /**
   * How many entries before a new snapshot's index stay in the log, so that followers slightly
   * behind catch up from the log rather than by InstallSnapshot (etcd keeps 5000).
   */
  snapshotRetainEntries: number;
  /** How the leader serves `get`; see the README for what `lease` assumes. */
  readMode: ReadMode;
  /**
   * For `readMode: "lease"`: the largest fraction by which one node's clock may run faster or slower
   * than another's over an election timeout (e.g. `0.05` = 5 %). The lease lasts
   * `electionTimeoutMsMin × (1 − leaseClockDriftBound)` from the moment the leader sent the heartbeat
   * a quorum acknowledged. Absolute clock offsets do not matter: only local durations are compared.
   */
  leaseClockDriftBound: number;
  /** A new leader appends a no-op entry of its term (needed for prompt reads and commits). */
  noopOnLeader: boolean;
  /**
   * A leader refuses new proposals while this many entries are uncommitted, and new ReadIndex reads
   * while this many wait for confirmation (flow control; keeps memory bounded in a partition).
   */
  maxUncommittedEntries: number;
  /**
   * `"auto"` (default): a normal Raft node. `"spec"`: for conformance, the node moves only at the
   * granularity of Ongaro's raft.tla actions — a timeout changes state but sends nothing,
   * `requestVote(j)`, `becomeLeader()`, `sendAppendEntries(j)` and `advanceCommitIndex()` on
   * {@link RaftKvNode} are separate steps, a client request only appends, responses only update
   * `matchIndex`/`nextIndex` (a rejection decrements `nextIndex` by one), and there are no
   * heartbeats. Requires `preVote`, `checkQuorum` and `noopOnLeader` off, `readMode: "log"` and no
   * snapshots (these are the defaults in this mode).
   */
  stepMode: StepMode;
  /** Test-only broken variants. */
  unsafe: UnsafeOptions;
}

/** See {@link RaftOptions.stepMode}. */
export type StepMode = "auto" | "spec";

/** A step named like the spec action it corresponds to (`@synod/protocol`); Raft reports its extensions
 * (`PreVote`, `Heartbeat`, `InstallSnapshot`, `TimeoutNow`) under their own names. */
export type { ActionLabel } from "@synod/protocol";

/** The abstract state of a node, for conformance and tests. Plain data: a fresh object per call whose log entries are shared with the node and deep-frozen. */
/** A node's durable state (RaftExt's durable variables), as {@link RaftKvNode.durableState} gives it. */
export interface RaftDurableState {
  /** `currentTerm[i]`. */
  currentTerm: number;
  /** `votedFor[i]` (`null`: Nil). */
  votedFor: NodeId | null;
  /** `snapshot[i]`: the latest snapshot (index, term, configuration, state machine), or `null`. */
  snapshot: Snapshot | null;
  /** `log[i]`: the entries after the snapshot. */
  log: LogEntry[];
}

export interface RaftInspect {
  /** The node's id. */
  id: NodeId;
  /** Its current role. */
  role: Role;
  /** Its current term (durable). */
  term: number;
  /** Whom it voted for in `term` (durable), or `null`. */
  votedFor: NodeId | null;
  /**
   * The log's base: entries up to this index are only in the snapshot (0, 0 when none). With
   * `snapshotRetainEntries` this can be below the latest snapshot's index.
   */
  snapshotIndex: number;
  /** See `snapshotIndex`. */
  snapshotTerm: number;
  /** Entries after the snapshot: `log[k]` has index `snapshotIndex + 1 + k`. */
  log: LogEntry[];
  /** Highest index known to be committed. */
  commitIndex: number;
  /** Highest index applied to the state machine (equal to `commitIndex` after every step). */
  lastApplied: number;
  /** The leader this node follows (itself when leader), or `null` when unknown. */
  leaderId: NodeId | null;
  /** Voters whose vote (or pre-vote) this candidate holds, itself included. */
  votesGranted: NodeId[];
  /** Leader only (empty otherwise): per follower, the next index to send and the highest known match. */
  nextIndex: Record<NodeId, number>;
  /** See `nextIndex`. */
  matchIndex: Record<NodeId, number>;
  /** The configuration in force (the latest in the log, committed or not). */
  config: Membership;
}

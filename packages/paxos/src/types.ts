/**
 * The public vocabulary of the Paxos package: ballots, log values, options and the abstract state
 * that {@link MultiPaxosKvNode.inspect} exposes for conformance and tests.
 *
 * @module
 */
import type { KvCommand } from "@synod/kv";
import type { NodeId } from "@synod/protocol";

export type { KvCommand, KvResult } from "@synod/kv";

/**
 * A ballot: ordered by `round`, then by the proposer's id (so two proposers never share one).
 * The zero ballot `{ round: 0, node: "" }` is below every ballot a proposer uses.
 */
export interface Ballot {
  /** The round, from 1 for ballots proposers use. */
  round: number;
  /** The proposer that owns the ballot. */
  node: NodeId;
}

/** What an instance of the log holds once chosen. */
export type LogValue =
  /** Fills an instance a new leader found open with no accepted value (gap filling). */
  | { type: "noop" }
  /** A client's key-value command, with the identity used for deduplication. */
  | { type: "kv"; clientId: string; seq: number; command: KvCommand }
  /** Single-decree Paxos's one value (Multi-Paxos never proposes it, and skips it when applying). */
  | { type: "decree"; value: string };

/** A value an acceptor accepted in an instance, and the ballot it accepted it in. */
export interface AcceptedValue {
  ballot: Ballot;
  value: LogValue;
}

/** One instance's proposal, as an Accept (Phase 2a) carries it. */
export interface Proposal {
  slot: number;
  value: LogValue;
}

/** A node's role in Multi-Paxos. */
export type Role = "follower" | "candidate" | "leader";

/** How a leader answers `get`. */
export type ReadMode = "lease" | "log";

/**
 * Deliberately broken behaviours, for tests that show conformance catches them. TEST-ONLY: never
 * enable them in a real deployment.
 */
export interface UnsafeOptions {
  /**
   * After Phase 1 a new leader ignores the accepted values the promises report and fills every
   * open instance with a no-op: a value already chosen by an earlier leader is overwritten.
   */
  ignoreHighestAccepted?: boolean;
  /**
   * The acceptor never persists its promise (only accepted values): after a restart it has
   * forgotten the ballots it promised and accepts proposals from ballots it promised to ignore.
   */
  forgetPromiseOnRestart?: boolean;
  /** A leader serves lease reads after its lease has expired (as long as it believes it leads). */
  readAfterLeaseExpiry?: boolean;
}

/** Tuning and feature switches. Every field has a default (see `defaultMultiPaxosOptions`). */
export interface MultiPaxosOptions {
  /** A follower that heard no leader for a time drawn from `[min, max]` starts Phase 1. */
  electionTimeoutMsMin: number;
  /** Upper bound of the randomized election timeout. */
  electionTimeoutMsMax: number;
  /** Leader heartbeat (and retransmission) period; must be below `electionTimeoutMsMin`. */
  heartbeatMs: number;
  /** At most this many instances per Accept message (batching). */
  maxBatchEntries: number;
  /**
   * At most this many Accept batches outstanding (proposed, not yet chosen) at once: the
   * pipelining window. Commands beyond it queue and go out batched as instances are chosen.
   */
  maxInflight: number;
  /**
   * A leader that heard from less than a quorum over an election timeout steps down (else it leads
   * until it hears of a higher ballot). Leases are safe either way: a leader without a valid lease
   * reads through the log.
   */
  checkQuorum: boolean;
  /**
   * Before Phase 1 a node that timed out asks every peer whether it would promise the ballot it
   * means to use (a PreVote, which changes no state), and runs Phase 1 only with a quorum of yes.
   * A node says yes only when it is not leading and has not heard from a leader for an election
   * timeout (nor restarted within one). So a node cut off from the others cannot raise its ballot
   * in vain and, when it rejoins, depose a healthy leader with it. Production only: spec mode
   * starts Phase 1 when the driver says.
   */
  preVote: boolean;
  /** A leader refuses new commands while this many are proposed or queued and not yet chosen. */
  maxUncommittedEntries: number;
  /** How the leader answers `get`: locally under a lease, or through the log. */
  readMode: ReadMode;
  /**
   * For `readMode: "lease"`: the largest fraction by which two nodes' clock rates may differ over
   * a lease (0.05 = 5 %). A leader's lease lasts `electionTimeoutMsMin × (1 − bound)` on its own
   * clock from the moment it sent the heartbeat a quorum acknowledged; an acceptor refuses other
   * proposers for `electionTimeoutMsMin` on its clock from the moment it acknowledged.
   */
  leaseClockDriftBound: number;
  /** Lease length (acceptor side); `null`: `electionTimeoutMsMin`. */
  leaseMs: number | null;
  /**
   * How much earlier than its acceptors' bindings a leader lets its lease end, on its own clock;
   * `null`: `2 × leaseClockDriftBound × leaseMs` (see the README's clock-skew argument).
   */
  leaseMarginMs: number | null;
  /**
   * `"auto"`: a production node. `"spec"`: for conformance, the node moves at the granularity of
   * specs/paxos/MultiPaxos.tla (see spec-step.ts).
   */
  stepMode: StepMode;
  /** Test-only broken variants. */
  unsafe: UnsafeOptions;
}

/** See {@link MultiPaxosOptions.stepMode}. */
export type StepMode = "auto" | "spec";

/** Everything a client may ask a Multi-Paxos KV node. */
export type PaxosCommand = KvCommand;

/** The abstract state of a node, for conformance and tests: plain data, a fresh copy per call. */
export interface MultiPaxosInspect {
  id: NodeId;
  role: Role;
  /** The acceptor's promise (durable): it takes part in no ballot below it. */
  promised: Ballot;
  /** The proposer's own ballot (its last Phase 1), or the zero ballot. */
  ballot: Ballot;
  /** The leader this node follows (itself when leader), or `null`. */
  leaderId: NodeId | null;
  /** Per instance, the value this acceptor accepted and in which ballot (durable). */
  accepted: Record<number, AcceptedValue>;
  /** Per instance, the value this learner knows is chosen (durable). */
  chosen: Record<number, LogValue>;
  /** Every instance up to here is chosen and applied. */
  learnedIndex: number;
  /**
   * Leader only: the instances it proposed in its ballot (in production only those not yet seen
   * chosen; in spec mode all of them, from instance 1), with the acceptors that accepted each.
   */
  proposals: Record<number, { value: LogValue; acks: NodeId[] }>;
  /** The node's clock reading at its last event (spec mode: its tick count). */
  clock: number;
  /** Acceptor side of leases: it helps only `holder` while `clock < until`. */
  leaseGrant: { holder: NodeId | null; until: number };
  /** Leader (and candidate): per acceptor, the latest send time it echoed in this ballot. */
  grants: Record<NodeId, number>;
  /** Leader only: the last instance Phase 1 recovered (reads wait until it is chosen). */
  recoveredTo: number;
  /** Candidate only: the acceptors whose promise it holds, itself included. */
  promises: NodeId[];
  /** Candidate only: per instance, the highest-ballot vote the promises reported. */
  recovered: Record<number, AcceptedValue>;
}

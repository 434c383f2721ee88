/**
 * The public vocabulary of the PBFT package: client commands, options and the abstract state that
 * {@link PbftReplica.inspect} exposes for conformance and tests.
 *
 * @module
 */
import type { KvCommand } from "@synod/kv";
import type { NodeId } from "@synod/protocol";

export type { KvCommand, KvResult } from "@synod/kv";

/**
 * What a PBFT client sends: a key-value operation and its Ed25519 signature over
 * `{ clientId, seq, op }` (see {@link requestBody}). Replicas drop a request whose signature does
 * not verify, so a faulty primary cannot invent requests.
 */
export interface PbftCommand {
  op: KvCommand;
  /** Base64 Ed25519 signature; `""` before the client seals the request. */
  sig: string;
  /**
   * Ask for the read-only optimisation (a `get` only): replicas that run with
   * `readOnlyOptimization` answer from their state without ordering it, and the client needs 2f + 1
   * matching answers (else it retries the request as a regular one). Replicas without the option
   * order it like any request.
   */
  readOnly?: boolean;
}

/** A signed client request as it travels inside pre-prepares, view changes and new views. */
export interface SignedRequest {
  clientId: string;
  seq: number;
  op: KvCommand;
  sig: string;
}

/** What a client signs for request `seq`. */
export function requestBody(clientId: string, seq: number, op: KvCommand): { clientId: string; seq: number; op: KvCommand } {
  return { clientId, seq, op };
}

/**
 * Deliberately broken behaviours, for tests that show conformance catches them. TEST-ONLY: never
 * enable them in a real deployment.
 */
export interface UnsafeOptions {
  /** A replica takes a pre-prepare and 2f − 1 prepares (2f in all) as a prepared certificate, not 2f + 1. */
  smallPreparedCertificate?: boolean;
  /** A replica accepts view-change and new-view messages without checking their signatures. */
  skipViewChangeVerification?: boolean;
  /** A replica executes a batch once it is prepared, without waiting for 2f + 1 commits. */
  executeBeforeCommit?: boolean;
}

/** Tuning. Every field has a default (see `defaultPbftOptions`). */
export interface PbftOptions {
  /** Take a checkpoint every this many sequence numbers (the paper's K). */
  checkpointInterval: number;
  /** The log window: sequence numbers in `(h, h + logSize]` are accepted (the paper's L = 2K). */
  logSize: number;
  /** At most this many client requests per pre-prepare (batching). */
  maxBatchEntries: number;
  /** The primary keeps at most this many batches pre-prepared and not yet executed; more requests wait and batch. */
  maxInflightBatches: number;
  /** A backup waiting this long for a request to execute starts a view change; doubles per failed view. */
  viewChangeTimeoutMs: number;
  /** Period of the status message that lets peers retransmit what a replica misses. */
  statusMs: number;
  /**
   * Tentative execution (Castro–Liskov §5.1): a replica executes a batch once it is prepared and
   * every earlier one committed, and replies marked tentative (clients need 2f + 1 matching ones,
   * one message delay sooner than f + 1 committed ones); a view change rolls the store back to the
   * last committed state. Committed replies follow when the batch commits.
   */
  tentativeExecution: boolean;
  /**
   * The read-only optimisation (Castro–Liskov §5.1): a `get` the client marks read-only is
   * multicast to every replica, which answers it from its state at once (after any tentative
   * batch has committed), replies marked like tentative ones: the client needs 2f + 1 matching.
   * Two one-way delays instead of five when the client multicasts the request (three when it
   * sends to one replica, which relays it, as simulated and CLI clients do); nothing is ordered.
   */
  readOnlyOptimization: boolean;
  /**
   * Conformance only: remember the name of the request executed at each sequence number (the
   * spec's `executed`) and carry it in state transfer. Unbounded: never on in production.
   */
  specMode: boolean;
  /** Test-only broken variants. */
  unsafe: UnsafeOptions;
}

/** The defaults: K = 8, L = 16, batches of up to 16 requests, two in flight, no tentative execution or read-only optimisation. */
export function defaultPbftOptions(): PbftOptions {
  return { checkpointInterval: 8, logSize: 16, maxBatchEntries: 16, maxInflightBatches: 2, viewChangeTimeoutMs: 300, statusMs: 100, tentativeExecution: false, readOnlyOptimization: false, specMode: false, unsafe: {} };
}

/** One sequence number's state, for conformance and tests. */
export interface SlotInspect {
  /** The pre-prepare this replica accepted in its current view: its digest and batch (`null`: none). */
  prePrepared: { view: number; digest: string; batch: SignedRequest[] } | null;
  /** Replicas whose prepare for that pre-prepare it holds (itself included). */
  prepares: NodeId[];
  /** Replicas whose commit it holds (itself included). */
  commits: NodeId[];
  /** The prepared certificate it holds: the latest view it prepared this sequence number in. */
  prepared: { view: number; digest: string } | null;
  /** Whether it committed locally in its current view. */
  committed: boolean;
}

/** The abstract state of a replica: plain data, a fresh copy per call. */
export interface PbftInspect {
  id: NodeId;
  view: number;
  /** False while the replica is changing view (it takes part in no normal-case step). */
  active: boolean;
  primary: NodeId;
  /** The stable checkpoint (the low watermark h) and its state digest. */
  stable: { seq: number; digest: string };
  /** The last sequence number executed. */
  executed: number;
  slots: Record<number, SlotInspect>;
  /** Views it holds view-change messages for, with their senders. */
  viewChanges: Record<number, NodeId[]>;
  /** Messages dropped because an authenticator did not verify. */
  authFailures: number;
  /** Messages dropped for any other reason (malformed, stale, out of the window). */
  ignored: number;
  /** Tentative execution: batches executed tentatively, and of them rolled back by a view change. */
  tentative: { executed: number; rolledBack: number };
  /** Read-only requests answered from local state (the read-only optimisation). */
  readOnlyAnswered: number;
}

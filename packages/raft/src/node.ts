/**
 * The Raft key-value node as every Synod host drives it: a {@link ProtocolNode} over
 * {@link RaftMessage}s, taking {@link RaftCommand}s and answering {@link KvResult}s.
 *
 * @module
 */
import { ActionRecorder, type Event, type Json, type NodeId, type ProtocolNode, type Ready, type Rng, type SpecStepping, type Traced } from "@synod/protocol";
import { KvMap, kvService, type StateMachine, type StateMachineType } from "@synod/kv";
import type { RaftMessage } from "./messages.js";
import { makeMembership } from "./membership.js";
import { Raft } from "./raft.js";
import { takeSpecAction } from "./spec-step.js";
import type { ActionLabel, KvCommand, KvResult, Membership, RaftCommand, RaftDurableState, RaftInspect, RaftOptions, Role } from "./types.js";

/** Defaults for every {@link RaftOptions} field. */
export const defaultRaftOptions: Readonly<RaftOptions> = Object.freeze({
  electionTimeoutMsMin: 150,
  electionTimeoutMsMax: 300,
  heartbeatMs: 50,
  preVote: true,
  checkQuorum: true,
  maxBatchEntries: 64,
  maxInflight: 8,
  snapshotEveryEntries: null,
  snapshotRetainEntries: 1024,
  readMode: "read-index",
  leaseClockDriftBound: 0.05,
  noopOnLeader: true,
  maxUncommittedEntries: 10_000,
  stepMode: "auto",
  unsafe: Object.freeze({}),
});

/**
 * How to create a node. `Cmd`, `Res` and `SM` are the hosted service's commands, results and state
 * machine: the key-value store's unless `service` names another.
 */
export interface KvNodeConfig<Cmd = KvCommand, Res = KvResult, SM extends StateMachine<Cmd, Res> = KvMap & StateMachine<Cmd, Res>> {
  /** The node's id (non-empty). */
  id: NodeId;
  /** The other voters of the initial cluster. Ignored when `join` is set. */
  peers: NodeId[];
  /** Source of randomized election timeouts. */
  rng: Rng;
  /** Overrides of {@link defaultRaftOptions}. */
  options?: Partial<RaftOptions>;
  /** The node's durable map when starting from existing storage; absent or empty means fresh. */
  durable?: ReadonlyMap<string, Json>;
  /**
   * A node that will be added to a running cluster (with `add-learner` / `add-server`): it starts
   * with an empty configuration, never campaigns, and waits for the leader to contact it.
   */
  join?: boolean;
  /**
   * The replicated state machine the log drives (default: `kvService` from `@synod/kv`, the
   * key-value store). Its commands must be objects with an `op` that is not one of the
   * {@link AdminCommand} ops; `validate` checks them on the wire and in storage, `isReadOnly` says
   * which may be served by ReadIndex or lease reads instead of the log. Every replica of a cluster
   * must host the same service.
   */
  service?: StateMachineType<Cmd, Res, SM>;
}

/** Raised for invalid {@link RaftOptions} or {@link KvNodeConfig}; the message names the field. */
export class RaftConfigError extends Error {
  constructor(field: string, problem: string) {
    super(`raft config: '${field}' ${problem}`);
    this.name = "RaftConfigError";
  }
}

/** Merge `partial` over the defaults and check the result. Throws {@link RaftConfigError}. */
export function resolveRaftOptions(partial: Partial<RaftOptions> = {}): RaftOptions {
  const specDefaults: Partial<RaftOptions> =
    partial.stepMode === "spec" ? { preVote: false, checkQuorum: false, noopOnLeader: false, readMode: "log", maxBatchEntries: 1 } : {};
  const o: RaftOptions = { ...defaultRaftOptions, ...specDefaults, ...partial, unsafe: { ...(partial.unsafe ?? {}) } };
  if (o.stepMode !== "auto" && o.stepMode !== "spec") throw new RaftConfigError("stepMode", `must be "auto" or "spec"`);
  if (o.stepMode === "spec") {
    const clash = (["preVote", "checkQuorum", "noopOnLeader"] as const).find((f) => o[f]);
    if (clash !== undefined) throw new RaftConfigError(clash, `must be false with stepMode "spec"`);
    if (o.readMode !== "log") throw new RaftConfigError("readMode", `must be "log" with stepMode "spec"`);
    if (o.snapshotEveryEntries !== null) throw new RaftConfigError("snapshotEveryEntries", `must be null with stepMode "spec"`);
  }
  const positiveInt = (f: keyof RaftOptions, v: number): void => {
    if (!Number.isSafeInteger(v) || v <= 0) throw new RaftConfigError(f, `must be a positive integer, got ${v}`);
  };
  positiveInt("electionTimeoutMsMin", o.electionTimeoutMsMin);
  positiveInt("electionTimeoutMsMax", o.electionTimeoutMsMax);
  positiveInt("heartbeatMs", o.heartbeatMs);
  positiveInt("maxBatchEntries", o.maxBatchEntries);
  positiveInt("maxInflight", o.maxInflight);
  positiveInt("maxUncommittedEntries", o.maxUncommittedEntries);
  if (o.electionTimeoutMsMax < o.electionTimeoutMsMin) {
    throw new RaftConfigError("electionTimeoutMsMax", `must be >= electionTimeoutMsMin (${o.electionTimeoutMsMin})`);
  }
  if (o.heartbeatMs >= o.electionTimeoutMsMin) {
    throw new RaftConfigError("heartbeatMs", `must be below electionTimeoutMsMin (${o.electionTimeoutMsMin})`);
  }
  if (o.snapshotEveryEntries !== null) positiveInt("snapshotEveryEntries", o.snapshotEveryEntries);
  if (!Number.isSafeInteger(o.snapshotRetainEntries) || o.snapshotRetainEntries < 0) {
    throw new RaftConfigError("snapshotRetainEntries", `must be a non-negative integer, got ${o.snapshotRetainEntries}`);
  }
  if (o.readMode !== "read-index" && o.readMode !== "lease" && o.readMode !== "log") {
    throw new RaftConfigError("readMode", `must be "read-index", "lease" or "log"`);
  }
  if (!(o.leaseClockDriftBound >= 0 && o.leaseClockDriftBound < 1)) {
    throw new RaftConfigError("leaseClockDriftBound", "must be in [0, 1)");
  }
  if (o.readMode === "lease" && !o.checkQuorum) {
    throw new RaftConfigError("readMode", `"lease" needs checkQuorum: true (followers must refuse votes while in a leader's lease)`);
  }
  return o;
}

/**
 * A Raft node running the replicated key-value store.
 *
 * Host loop (see the package README): `step(event)`; `const rd = ready()`; persist `rd.persist` in
 * order and durably; then send `rd.send`, deliver `rd.replies`, arm `rd.timers`; `rd.applied` is
 * informational. Call `ready()` once right after construction too: it persists the bootstrap state
 * and arms the election timer.
 */
export class RaftKvNode<Cmd = KvCommand, Res = KvResult, SM extends StateMachine<Cmd, Res> = KvMap & StateMachine<Cmd, Res>>
  implements ProtocolNode<RaftMessage, RaftCommand<Cmd>, Res>, Traced, SpecStepping
{
  /** The node's id. */
  readonly id: NodeId;
  private raft: Raft;
  private readonly options: RaftOptions;
  private readonly bootstrap: Membership;
  private readonly rng: Rng;
  /** The hosted service, erased to the store's types: Raft never looks inside its commands. */
  private readonly service: StateMachineType<KvCommand, KvResult>;

  constructor(cfg: KvNodeConfig<Cmd, Res, SM>) {
    if (typeof cfg.id !== "string" || cfg.id.length === 0) throw new RaftConfigError("id", "must be a non-empty string");
    if (!Array.isArray(cfg.peers) || !cfg.peers.every((p) => typeof p === "string" && p.length > 0)) {
      throw new RaftConfigError("peers", "must be an array of non-empty node ids");
    }
    if (new Set(cfg.peers).size !== cfg.peers.length) throw new RaftConfigError("peers", "must not repeat a node id");
    if (!cfg.join && cfg.peers.includes(cfg.id)) throw new RaftConfigError("peers", `must not contain the node itself (${cfg.id})`);
    if (typeof cfg.rng?.nextInt !== "function") throw new RaftConfigError("rng", "must provide nextInt(min, max)");
    const service = cfg.service ?? kvService;
    if (typeof service.name !== "string" || !(["create", "fromJson", "validate"] as const).every((f) => typeof service[f] === "function")) {
      throw new RaftConfigError("service", "must be a state machine type with a name, create(), fromJson() and validate()");
    }
    this.service = service as unknown as StateMachineType<KvCommand, KvResult>;
    this.id = cfg.id;
    this.options = resolveRaftOptions(cfg.options);
    this.bootstrap = cfg.join ? makeMembership([]) : makeMembership([cfg.id, ...cfg.peers]);
    this.rng = cfg.rng;
    this.raft = this.boot(cfg.durable ?? new Map());
  }

  private boot(durable: ReadonlyMap<string, Json>): Raft {
    return new Raft({ id: this.id, bootstrap: this.bootstrap, rng: this.rng, options: this.options, durable, service: this.service, onAction: this.onAction });
  }

  private readonly trace = new ActionRecorder();
  private readonly onAction = this.trace.push;

  /**
   * Start (or stop) recording the node's actions, named like raft.tla's (for trace validation:
   * one `step` may take several, e.g. `HandleRequestVoteResponse` then `BecomeLeader` then
   * `AppendEntries` to each peer). Read them with {@link RaftKvNode.takeActions}.
   */
  recordActions(on: boolean): void {
    this.trace.recordActions(on);
  }

  /** The actions recorded since the last call, in order (empty when not recording). */
  takeActions(): ActionLabel[] {
    return this.trace.takeActions();
  }

  /**
   * Feed one event. A `restart` rebuilds the node from `durable` (throws `RaftStorageError` if
   * corrupt). Malformed or stale messages are ignored and counted; a message that would break a
   * Raft invariant (only possible with a bug or a Byzantine peer) throws `raft invariant violated`.
   */
  step(input: Event<RaftMessage, RaftCommand<Cmd>>): void {
    // The core is typed with the store's commands; any other service's pass through it unread.
    const event = input as Event<RaftMessage, RaftCommand>;
    switch (event.type) {
      case "restart":
        this.raft = this.boot(event.durable);
        this.raft.beginStep(event.nowMs);
        this.onAction({ action: "Restart", params: { i: this.id } });
        break;
      case "message":
        this.raft.beginStep(event.nowMs);
        this.raft.onMessage(event.from, event.message);
        break;
      case "timer":
        this.raft.beginStep(event.nowMs);
        this.raft.onTimer(event.name);
        break;
      case "request":
        this.raft.beginStep(event.nowMs);
        this.raft.onRequest(event.request);
        break;
    }
    this.raft.assertInvariants();
  }

  hasReady(): boolean {
    return this.raft.hasReady();
  }

  ready(): Ready<RaftMessage, Res, RaftCommand<Cmd>> {
    return this.raft.ready() as unknown as Ready<RaftMessage, Res, RaftCommand<Cmd>>;
  }

  /** The node's current role (cheaper than {@link RaftKvNode.inspect}). */
  get role(): Role {
    return this.raft.role;
  }

  /** The hosted state machine as this node has applied it (read it, never change it). */
  get machine(): SM {
    return this.raft.kv.machine as unknown as SM;
  }

  /** The node's abstract protocol state (a fresh copy), for conformance and tests. */
  inspect(): RaftInspect {
    return this.raft.inspect();
  }

  /**
   * The node's durable state as memory holds it (RaftExt's durable variables: term, vote,
   * snapshot, the log after it): a restart from what it persisted must give back exactly this.
   */
  durableState(): RaftDurableState {
    return this.raft.durableState();
  }

  /** The key-value pairs this node's state machine holds, sorted by key. */
  kvEntries(): [string, string][] {
    const m: unknown = this.raft.kv.machine;
    if (!(m instanceof KvMap)) throw new Error(`raft ${this.id}: kvEntries() needs the key-value store, but this node hosts the ${this.service.name} service`);
    return m.entries();
  }

  /**
   * The index the latest snapshot covers (0: none; the log may keep entries before it, see
   * `snapshotRetainEntries`) and how many snapshots came from a leader since the last restart.
   */
  get snapshotInfo(): { latestIndex: number; installed: number } {
    return { latestIndex: this.raft.snapshot?.index ?? 0, installed: this.raft.snapshotsInstalled };
  }

  /** Messages ignored so far as malformed, stale or irrelevant (since the last restart). */
  get ignoredMessages(): number {
    return this.raft.ignoredMessages;
  }

  /**
   * Spec-mode stepping (conformance only; see spec-step.ts): take raft.tla's `action`
   * (`RequestVote` and `AppendEntries` with the peer `j`, `BecomeLeader`, `AdvanceCommitIndex`) if
   * the spec enables it. Returns whether it did.
   */
  takeAction(action: string, params: Record<string, string | number>): boolean {
    return takeSpecAction(this.raft, action, params);
  }
}

/**
 * Create a Raft KV node.
 *
 * @example
 * ```ts
 * const node = createKvNode({ id: "n1", peers: ["n2", "n3"], rng });
 * const first = node.ready(); // persist first.persist, arm first.timers
 * ```
 */
export function createKvNode(cfg: KvNodeConfig): RaftKvNode {
  return new RaftKvNode(cfg);
}

/**
 * Create a Raft node hosting the replicated state machine `cfg.service` (see
 * {@link KvNodeConfig.service}).
 *
 * @example
 * ```ts
 * import { coordService } from "@synod/kv";
 * const node = createRaftNode({ id: "n1", peers: ["n2", "n3"], rng, service: coordService });
 * node.machine.sessionIds(); // the coordination tree as this replica applied it
 * ```
 */
export function createRaftNode<Cmd, Res, SM extends StateMachine<Cmd, Res>>(cfg: KvNodeConfig<Cmd, Res, SM> & { service: StateMachineType<Cmd, Res, SM> }): RaftKvNode<Cmd, Res, SM> {
  return new RaftKvNode<Cmd, Res, SM>(cfg);
}

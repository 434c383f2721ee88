/**
 * The Multi-Paxos key-value node as every Synod host drives it: a {@link ProtocolNode} over
 * {@link PaxosMessage}s, taking key-value commands and answering {@link KvResult}s.
 *
 * @module
 */
import { ActionRecorder, type ActionLabel, type Event, type Json, type NodeId, type ProtocolNode, type Ready, type Rng, type SpecStepping, type Traced } from "@synod/protocol";
import { KvMap, kvService, type KvCommand, type StateMachine, type StateMachineType } from "@synod/kv";
import type { PaxosMessage } from "./messages.js";
import { MultiPaxos } from "./multipaxos.js";
import { takeSpecAction } from "./spec-step.js";
import { SPEC_CLOCK_KEY } from "./storage.js";
import type { KvResult, MultiPaxosInspect, MultiPaxosOptions, PaxosCommand } from "./types.js";

/** Defaults for every {@link MultiPaxosOptions} field. */
export const defaultMultiPaxosOptions: Readonly<MultiPaxosOptions> = Object.freeze({
  electionTimeoutMsMin: 150,
  electionTimeoutMsMax: 300,
  heartbeatMs: 50,
  maxBatchEntries: 64,
  maxInflight: 8,
  maxUncommittedEntries: 10_000,
  checkQuorum: true,
  preVote: true,
  readMode: "lease",
  leaseClockDriftBound: 0.05,
  leaseMs: null,
  leaseMarginMs: null,
  stepMode: "auto",
  unsafe: Object.freeze({}),
});

/** Raised for invalid options or node configuration; the message names the field. */
export class PaxosConfigError extends Error {
  constructor(field: string, problem: string) {
    super(`multipaxos config: '${field}' ${problem}`);
    this.name = "PaxosConfigError";
  }
}

const KNOWN_OPTIONS = new Set(Object.keys(defaultMultiPaxosOptions));
const KNOWN_UNSAFE = new Set(["ignoreHighestAccepted", "forgetPromiseOnRestart", "readAfterLeaseExpiry"]);

/** Merge `partial` over the defaults and check the result. Throws {@link PaxosConfigError}. */
export function resolveMultiPaxosOptions(partial: Partial<MultiPaxosOptions> = {}): MultiPaxosOptions {
  for (const k of Object.keys(partial)) if (!KNOWN_OPTIONS.has(k)) throw new PaxosConfigError(k, "is not an option");
  for (const k of Object.keys(partial.unsafe ?? {})) if (!KNOWN_UNSAFE.has(k)) throw new PaxosConfigError(`unsafe.${k}`, "is not an option");
  const o: MultiPaxosOptions = { ...defaultMultiPaxosOptions, ...partial, unsafe: { ...(partial.unsafe ?? {}) } };
  const positiveInt = (f: keyof MultiPaxosOptions, v: unknown): void => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) throw new PaxosConfigError(f, `must be a positive integer, got ${JSON.stringify(v)}`);
  };
  positiveInt("electionTimeoutMsMin", o.electionTimeoutMsMin);
  positiveInt("electionTimeoutMsMax", o.electionTimeoutMsMax);
  positiveInt("heartbeatMs", o.heartbeatMs);
  positiveInt("maxBatchEntries", o.maxBatchEntries);
  positiveInt("maxInflight", o.maxInflight);
  positiveInt("maxUncommittedEntries", o.maxUncommittedEntries);
  if (o.electionTimeoutMsMax < o.electionTimeoutMsMin) {
    throw new PaxosConfigError("electionTimeoutMsMax", `must be >= electionTimeoutMsMin (${o.electionTimeoutMsMin})`);
  }
  if (o.heartbeatMs >= o.electionTimeoutMsMin) throw new PaxosConfigError("heartbeatMs", `must be below electionTimeoutMsMin (${o.electionTimeoutMsMin})`);
  if (typeof o.checkQuorum !== "boolean") throw new PaxosConfigError("checkQuorum", "must be true or false");
  if (typeof o.preVote !== "boolean") throw new PaxosConfigError("preVote", "must be true or false");
  if (o.readMode !== "lease" && o.readMode !== "log") throw new PaxosConfigError("readMode", `must be "lease" or "log"`);
  if (!(typeof o.leaseClockDriftBound === "number" && o.leaseClockDriftBound >= 0 && o.leaseClockDriftBound < 1)) {
    throw new PaxosConfigError("leaseClockDriftBound", "must be in [0, 1)");
  }
  for (const f of ["leaseMs", "leaseMarginMs"] as const) {
    const v = o[f];
    if (v !== null && !(typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) throw new PaxosConfigError(f, `must be null or a non-negative integer, got ${JSON.stringify(v)}`);
  }
  if (o.stepMode !== "auto" && o.stepMode !== "spec") throw new PaxosConfigError("stepMode", `must be "auto" or "spec"`);
  // Spec mode starts Phase 1 when the driver says: a pre-vote asked for there would be ignored.
  if (o.stepMode === "spec" && partial.preVote === true) throw new PaxosConfigError("preVote", `must be off with stepMode "spec" (MultiPaxos.tla has no pre-vote)`);
  return o;
}

/**
 * How to create a node. `Cmd`, `Res` and `SM` are the hosted service's commands, results and state
 * machine: the key-value store's unless `service` names another.
 */
export interface MultiPaxosNodeConfig<Cmd = KvCommand, Res = KvResult, SM extends StateMachine<Cmd, Res> = KvMap & StateMachine<Cmd, Res>> {
  /** The node's id (non-empty). */
  id: NodeId;
  /** The other members of the cluster. */
  peers: NodeId[];
  /** Source of randomized election timeouts. */
  rng: Rng;
  /** Overrides of {@link defaultMultiPaxosOptions}. */
  options?: Partial<MultiPaxosOptions>;
  /** The node's durable map when starting from existing storage; absent or empty means fresh. */
  durable?: ReadonlyMap<string, Json>;
  /**
   * The replicated state machine the chosen values drive (default: `kvService` from `@synod/kv`).
   * Its commands are validated by `validate` on the wire and in storage; `isReadOnly` ones may be
   * served by lease reads. Every node of a cluster must host the same service.
   */
  service?: StateMachineType<Cmd, Res, SM>;
}

/**
 * A Multi-Paxos node running the replicated key-value store.
 *
 * Host loop (see the package README): `step(event)`; `const rd = ready()`; persist `rd.persist` in
 * order and durably; then send `rd.send`, deliver `rd.replies`, arm `rd.timers`; `rd.applied` is
 * informational. Call `ready()` once right after construction too.
 */
export class MultiPaxosKvNode<Cmd = KvCommand, Res = KvResult, SM extends StateMachine<Cmd, Res> = KvMap & StateMachine<Cmd, Res>>
  implements ProtocolNode<PaxosMessage, Cmd, Res>, Traced, SpecStepping
{
  /** The node's id. */
  readonly id: NodeId;
  private core: MultiPaxos;
  private readonly options: MultiPaxosOptions;
  private readonly peers: NodeId[];
  private readonly rng: Rng;
  private readonly trace = new ActionRecorder();
  /** Spec mode: the node's clock in ticks (the machine's clock: it survives restarts). */
  private ticks = 0;
  /** Spec mode: which chosen instances were told to whom (the driver's `SendDecide` choice). */
  private told = new Map<string, Set<number>>();
  private readonly onAction = this.trace.push;
  /** The hosted service, erased to the store's types: Multi-Paxos never looks inside its commands. */
  private readonly service: StateMachineType<KvCommand, KvResult>;

  constructor(cfg: MultiPaxosNodeConfig<Cmd, Res, SM>) {
    if (typeof cfg.id !== "string" || cfg.id.length === 0) throw new PaxosConfigError("id", "must be a non-empty string");
    if (!Array.isArray(cfg.peers) || !cfg.peers.every((p) => typeof p === "string" && p.length > 0)) {
      throw new PaxosConfigError("peers", "must be an array of non-empty node ids");
    }
    if (new Set(cfg.peers).size !== cfg.peers.length) throw new PaxosConfigError("peers", "must not repeat a node id");
    if (cfg.peers.includes(cfg.id)) throw new PaxosConfigError("peers", `must not contain the node itself (${cfg.id})`);
    if (typeof cfg.rng?.nextInt !== "function") throw new PaxosConfigError("rng", "must provide nextInt(min, max)");
    const service = cfg.service ?? kvService;
    if (typeof service.name !== "string" || !(["create", "fromJson", "validate"] as const).every((f) => typeof service[f] === "function")) {
      throw new PaxosConfigError("service", "must be a state machine type with a name, create(), fromJson() and validate()");
    }
    this.service = service as unknown as StateMachineType<KvCommand, KvResult>;
    this.id = cfg.id;
    this.options = resolveMultiPaxosOptions(cfg.options);
    this.peers = [...cfg.peers];
    this.rng = cfg.rng;
    this.core = this.boot(cfg.durable ?? new Map());
  }

  private boot(durable: ReadonlyMap<string, Json>): MultiPaxos {
    return new MultiPaxos({ id: this.id, peers: this.peers, rng: this.rng, options: this.options, durable, service: this.service, onAction: this.onAction });
  }

  /** Start (or stop) recording the spec actions the node takes (trace validation). */
  recordActions(on: boolean): void {
    this.trace.recordActions(on);
  }

  /** The actions recorded since the last call, in order (empty when not recording). */
  takeActions(): ActionLabel[] {
    return this.trace.takeActions();
  }

  /**
   * Feed one event. A `restart` rebuilds the node from `durable` (throws `PaxosStorageError` if
   * corrupt). Malformed or stale messages are ignored and counted.
   */
  step(input: Event<PaxosMessage, Cmd>): void {
    // The core is typed with the store's commands; any other service's pass through it unread.
    const event = input as unknown as Event<PaxosMessage, PaxosCommand>;
    // In spec mode the clock is the spec's: ticks, advanced only by `Tick`.
    const now = this.core.spec ? (event.type === "restart" ? ((event.durable.get(SPEC_CLOCK_KEY) as number | undefined) ?? this.ticks) : this.ticks) : event.nowMs;
    switch (event.type) {
      case "restart":
        if (this.core.spec) this.ticks = (event.durable.get(SPEC_CLOCK_KEY) as number | undefined) ?? this.ticks;
        this.core = this.boot(event.durable);
        this.told.clear();
        this.core.beginStep(now);
        this.onAction({ action: "Restart", params: { i: this.id } });
        break;
      case "message":
        this.core.beginStep(now);
        this.core.onMessage(event.from, event.message);
        break;
      case "timer":
        this.core.beginStep(now);
        this.core.onTimer(event.name);
        break;
      case "request":
        this.core.beginStep(now);
        this.core.onRequest(event.request);
        break;
    }
    this.core.assertInvariants();
  }

  /**
   * Spec-mode stepping (conformance only; see spec-step.ts): take MultiPaxos.tla's `action`
   * (`SendPrepare`, `SendAccept` and `SendDecide` with the peer `j` and optionally the slot `k`,
   * `BecomeLeader`, `Tick`) if the spec enables it. Returns whether it did.
   */
  takeAction(action: string, params: Record<string, string | number>): boolean {
    if (!this.core.spec) throw new Error(`takeAction(${action}): only a node in stepMode "spec" takes spec actions when told`);
    if (action === "Tick") {
      this.ticks++;
      this.core.beginStep(this.ticks);
      this.core.persistClock(this.ticks);
      this.onAction({ action: "Tick", params: { i: this.id } });
      return true;
    }
    this.core.beginStep(this.ticks);
    const ok = takeSpecAction(this.core, action, params, this.told);
    this.core.assertInvariants();
    return ok;
  }

  hasReady(): boolean {
    return this.core.hasReady();
  }

  ready(): Ready<PaxosMessage, Res, Cmd> {
    return this.core.ready() as unknown as Ready<PaxosMessage, Res, Cmd>;
  }

  /** The hosted state machine as this node has applied it (read it, never change it). */
  get machine(): SM {
    return this.core.kv.machine as unknown as SM;
  }

  /** The node's abstract protocol state (a fresh copy), for conformance and tests. */
  inspect(): MultiPaxosInspect {
    return this.core.inspect();
  }

  /** The key-value pairs this node's state machine holds, sorted by key. */
  kvEntries(): [string, string][] {
    const m: unknown = this.core.kv.machine;
    if (!(m instanceof KvMap)) throw new Error(`multipaxos ${this.id}: kvEntries() needs the key-value store, but this node hosts the ${this.service.name} service`);
    return m.entries();
  }

  /** Messages ignored so far as malformed, stale or irrelevant (since the last restart). */
  get ignoredMessages(): number {
    return this.core.ignoredMessages;
  }

  /**
   * Role, promise, leader and learned prefix, in O(1): for hosts that ask after every event
   * (`inspect()` copies the whole log).
   */
  summary(): { role: MultiPaxosInspect["role"]; promised: { round: number; node: NodeId }; leaderId: NodeId | null; learnedIndex: number } {
    const p = this.core;
    return { role: p.role, promised: { ...p.acceptor.promised }, leaderId: p.leaderId, learnedIndex: p.learned };
  }

  /** The other members. */
  get peerIds(): readonly NodeId[] {
    return this.peers;
  }

  /** True while this node leads and holds a read lease. */
  leaseValid(): boolean {
    return this.core.leaseValid();
  }

  /** @internal The protocol core, for the spec-mode driver. */
  get protocol(): MultiPaxos {
    return this.core;
  }
}

/**
 * Create a Multi-Paxos KV node.
 *
 * @example
 * ```ts
 * const node = createMultiPaxosNode({ id: "n1", peers: ["n2", "n3"], rng });
 * const first = node.ready(); // persist first.persist, arm first.timers
 * ```
 */
export function createMultiPaxosNode(cfg: MultiPaxosNodeConfig): MultiPaxosKvNode {
  return new MultiPaxosKvNode(cfg);
}

/**
 * Create a Multi-Paxos node hosting the replicated state machine `cfg.service` (see
 * {@link MultiPaxosNodeConfig.service}).
 *
 * @example
 * ```ts
 * import { coordService } from "@synod/kv";
 * const node = createMultiPaxosServiceNode({ id: "n1", peers: ["n2", "n3"], rng, service: coordService });
 * node.machine.sessionIds(); // the coordination tree as this node applied it
 * ```
 */
export function createMultiPaxosServiceNode<Cmd, Res, SM extends StateMachine<Cmd, Res>>(
  cfg: MultiPaxosNodeConfig<Cmd, Res, SM> & { service: StateMachineType<Cmd, Res, SM> },
): MultiPaxosKvNode<Cmd, Res, SM> {
  return new MultiPaxosKvNode<Cmd, Res, SM>(cfg);
}

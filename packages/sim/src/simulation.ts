/**
 * The deterministic simulator: hosts any step/ready protocol node on a virtual clock, with a
 * simulated network, durable storage, clients and faults. Same seed and options, same run, byte
 * for byte.
 *
 * The host loop, per event, exactly as `@synod/protocol` prescribes:
 * 1. `node.step(event)`;
 * 2. `rd = node.ready()` (when `hasReady()`);
 * 3. persist `rd.persist` into the node's durable store: after the fsync delay, during which the
 *    node steps nothing (its events queue) and a crash loses the writes;
 * 4. only once they are durable: send `rd.send`, deliver `rd.replies`, arm/cancel `rd.timers`;
 * 5. `rd.applied` is informational (kept in the step record).
 *
 * @module
 */
import type { Event, Json, NodeId, ProtocolNode, Ready, ReplyRule } from "@synod/protocol";
import { SimulationConfigError, SimulationError } from "./errors.js";
import type { Fault, ScheduledFault } from "./faults.js";
import { validateFault } from "./faults.js";
import { type HistoryEntry, defaultHistoryAdapter } from "./history.js";
import { type LatencyDistribution, sampleLatencyUs } from "./latency.js";
import { Network } from "./network.js";
import { type InboxItem, NodeSlot, type NodeStatus, type PendingSync } from "./node-slot.js";
import { type SimulationOptions, validateOptions } from "./options.js";
import type {
  DropReason,
  FaultRecord,
  InFlightMessage,
  RecordedEvent,
  SimulationLog,
  SimulationStats,
  StepRecord,
  StopReason,
} from "./records.js";
import { type ClientQueueItem, Clients, type InvokeOptions } from "./clients.js";
import { EventQueue } from "./event-queue.js";
import { Recorder } from "./recorder.js";
import { SeededRng } from "@synod/protocol";
import { ByzantineState } from "./byzantine.js";
import { checkByzantineHook } from "./options.js";

/** Steps that are not protocol events: a node's first ready, and a ready it still had after the last. */
type HostEvent = { type: "start"; nowMs: number } | { type: "ready"; nowMs: number };

/** Bound on consecutive readies without a new event: a node that never drains breaks the contract. */
const MAX_READIES_PER_EVENT = 10_000;

type QueueItem<Msg, Cmd, Res> =
  | InboxItem<Msg, Cmd>
  | ClientQueueItem<Cmd, Res>
  | { kind: "sync"; node: number; incarnation: number }
  | { kind: "fault"; fault: Fault }
  | { kind: "callback"; fn: () => void };

/** What {@link Simulation.run} reports. */
export interface RunResult {
  /** Why the run returned. */
  reason: StopReason;
  /** Virtual time when it returned. */
  nowMs: number;
  /** Events processed since the start of the simulation. */
  events: number;
}

const DEFAULT_MAX_RECORDS = 250_000;
const NOTHING: never[] = Object.freeze([]) as unknown as never[];

/**
 * The ready as recorded: empty lists replaced by one shared frozen empty array, so a million
 * recorded steps do not keep five million empty arrays alive.
 */
function compactReady<Msg, Res, Cmd>(rd: Ready<Msg, Res, Cmd>): Ready<Msg, Res, Cmd> {
  return {
    persist: rd.persist.length === 0 ? NOTHING : rd.persist,
    send: rd.send.length === 0 ? NOTHING : rd.send,
    timers: rd.timers.length === 0 ? NOTHING : rd.timers,
    replies: rd.replies.length === 0 ? NOTHING : rd.replies,
    applied: rd.applied.length === 0 ? NOTHING : rd.applied,
  };
}
const DEFAULT_MAX_INBOX = 100_000;
const DEFAULT_CLIENT_TIMEOUT_MS = 1000;

/**
 * A deterministic simulation of a cluster of protocol nodes.
 *
 * @example
 * ```ts
 * const sim = new Simulation({
 *   seed: 7, nodes: ["n1", "n2", "n3"],
 *   createNode: (id, rng) => createKvNode({ id, peers: ["n1", "n2", "n3"], rng }),
 *   network: { latency: { type: "uniform", minMs: 1, maxMs: 10 }, lossProbability: 0.01 },
 *   faults: [{ atMs: 500, fault: { type: "crash", node: "n1" } }, { atMs: 900, fault: { type: "restart", node: "n1" } }],
 *   budget: { maxTimeMs: 5000, maxEvents: 1_000_000 },
 * });
 * sim.invoke("c1", { op: "put", key: "k", value: "v" }, "n1");
 * sim.run();
 * const log = sim.log(); // messages, steps, faults, history
 * ```
 */
export class Simulation<Msg, Cmd, Res> {
  private readonly options: SimulationOptions<Msg, Cmd, Res>;
  private readonly slots: NodeSlot<Msg, Cmd, Res>[];
  private readonly nodeIndex: Map<NodeId, number>;
  private readonly network: Network;
  private readonly queue = new EventQueue<QueueItem<Msg, Cmd, Res>>();
  private readonly fsync: LatencyDistribution | null;
  private readonly keepPrefixOnCrash: boolean;
  private readonly copyWrites: boolean;
  private readonly clients: Clients<Cmd, Res>;
  private readonly recorder: Recorder<Msg, Cmd, Res>;
  private readonly maxInbox: number;
  private readonly serialize: boolean;
  private readonly afterStep: ((record: StepRecord<Msg, Cmd, Res>, node: ProtocolNode<Msg, Cmd, Res>) => void) | undefined;

  /** Per node index: its Byzantine state once a `byzantine` fault struck it. */
  private readonly byz = new Map<number, { state: ByzantineState<Msg>; rng: SeededRng }>();

  private nowUs = 0;
  private started = false;
  private stopRequested = false;
  private running = false;
  private timerToken = 0;

  private readonly stats: SimulationStats = {
    events: 0,
    steps: 0,
    messagesSent: 0,
    messagesDelivered: 0,
    messagesDuplicated: 0,
    messagesDropped: { loss: 0, partition: 0, "node-down": 0, "inbox-full": 0 },
    timersFired: 0,
    fsyncs: 0,
    clientRequests: 0,
    clientReplies: 0,
    clientRepliesIgnored: 0,
    crashes: 0,
    restarts: 0,
  };

  /**
   * Create a simulation. Nodes are created (and their first ready handled) when the run starts,
   * i.e. at the first `run`/`runUntil`/`invoke`/`applyFault` call.
   * @throws {@link SimulationConfigError} naming the first bad option.
   */
  constructor(options: SimulationOptions<Msg, Cmd, Res>) {
    validateOptions(options);
    // Our own copy of the node list: the caller may reuse theirs.
    this.options = { ...options, nodes: options.nodes.slice() };
    const nodes = this.options.nodes;
    const seed = options.seed;
    this.nodeIndex = new Map(nodes.map((id, i) => [id, i]));
    this.slots = nodes.map((id, i) => {
      const clock = options.clocks?.[id];
      return new NodeSlot<Msg, Cmd, Res>(
        i,
        id,
        SeededRng.derive(seed, `node:${id}`),
        SeededRng.derive(seed, `storage:${id}`),
        clock?.offsetMs ?? 0,
        clock?.drift ?? 0,
      );
    });
    this.network = new Network(seed, nodes, options.network);
    const fsync = options.storage?.fsyncMs ?? 0;
    this.fsync = typeof fsync === "number" ? (fsync === 0 ? null : { type: "constant", ms: fsync }) : fsync;
    this.keepPrefixOnCrash = options.storage?.crashDuringFsync === "keep-prefix";
    this.copyWrites = options.storage?.serializeWrites ?? true;
    const maxRecords = options.record?.maxRecords ?? DEFAULT_MAX_RECORDS;
    this.recorder = new Recorder(nodes, options.record?.messages ?? true, options.record?.steps ?? true, maxRecords);
    const queue = this.queue;
    this.clients = new Clients<Cmd, Res>(
      {
        seed,
        nodes,
        nodeIndex: this.nodeIndex,
        stats: this.stats,
        nowUs: () => this.nowUs,
        push: (timeUs, item) => queue.push(timeUs, item),
      },
      {
        latency: options.clients?.latency ?? options.network.latency,
        lossProbability: options.clients?.lossProbability ?? 0,
        timeoutMs: options.clients?.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS,
        retry: options.clients?.retry ?? null,
        adapter: options.history ?? defaultHistoryAdapter<Cmd, Res>(),
        recordHistory: options.record?.history ?? true,
        maxRecords,
        replyQuorum: options.clients?.replyQuorum ?? 1,
        replyRule: options.replyRule === undefined ? undefined : (clientId) => (options.replyRule as (c: string) => ReplyRule<Res>)(clientId),
        seal: options.sealRequest === undefined ? undefined : (r) => (options.sealRequest as (x: typeof r) => typeof r)(r),
      },
    );
    this.maxInbox = options.maxInboxEvents ?? DEFAULT_MAX_INBOX;
    this.serialize = options.network.serializeMessages === true;
    this.afterStep = options.observer?.afterStep;
    for (const f of options.faults ?? []) this.queue.push(Math.round(f.atMs * 1000), { kind: "fault", fault: f.fault });
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  /** Current virtual time in ms. */
  get nowMs(): number {
    return this.nowUs / 1000;
  }

  /** The run's seed. */
  get seed(): number {
    return this.options.seed;
  }

  /** The node ids, in order. */
  get nodes(): readonly NodeId[] {
    return this.options.nodes;
  }

  /** Run until idle, a budget is exhausted, or {@link Simulation.stop} is called. May be called again to continue. */
  run(): RunResult {
    return this.runTo(Math.round(this.options.budget.maxTimeMs * 1000), false);
  }

  /**
   * Run every event due up to virtual time `timeMs` (capped by the budget), then set the clock to
   * `timeMs`. Useful to drive a run in phases.
   */
  runUntil(timeMs: number): RunResult {
    const limitUs = Math.min(Math.round(timeMs * 1000), Math.round(this.options.budget.maxTimeMs * 1000));
    return this.runTo(limitUs, true);
  }

  /** Ask a running `run()` to return after the current event (for hooks and callbacks). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Call `fn` at virtual time `atMs` (or now, if that has passed), in event order. */
  at(atMs: number, fn: () => void): void {
    this.queue.push(Math.max(this.nowUs, Math.round(atMs * 1000)), { kind: "callback", fn });
  }

  /** Call `fn` after `delayMs` of virtual time. */
  after(delayMs: number, fn: () => void): void {
    this.at(this.nowMs + delayMs, fn);
  }

  /** Apply a fault now (see {@link Fault}). */
  applyFault(fault: Fault): void {
    validateFault(fault, "fault", new Set(this.options.nodes));
    checkByzantineHook(fault, "fault", this.options.byzantine as never);
    this.ensureStarted();
    this.doFault(fault);
  }

  /** Schedule faults at absolute virtual times (see {@link ScheduledFault}). */
  schedule(faults: readonly ScheduledFault[]): void {
    faults.forEach((f, i) => {
      validateFault(f.fault, `faults[${i}].fault`, new Set(this.options.nodes));
      checkByzantineHook(f.fault, `faults[${i}].fault`, this.options.byzantine as never);
      this.queue.push(Math.max(this.nowUs, Math.round(f.atMs * 1000)), { kind: "fault", fault: f.fault });
    });
  }

  /**
   * Client `clientId` invokes `command` by sending it to node `target`. The invocation is recorded
   * in the history now; the completion when a final answer arrives (`ok`, or `fail` for a definite
   * refusal), or `info` when the deadline passes with the outcome unknown. A client runs one
   * operation at a time.
   * @throws Error if the client already has an operation in flight or `target` is unknown.
   */
  invoke(clientId: string, command: Cmd, target: NodeId, options: InvokeOptions<Res> = {}): void {
    const targetIndex = this.nodeIndex.get(target);
    if (targetIndex === undefined) throw new SimulationConfigError("invoke.target", `unknown node ${JSON.stringify(target)}`);
    this.ensureStarted();
    this.clients.invoke(clientId, command, targetIndex, options);
  }

  /**
   * Every message sent and not yet stepped by its receiver — what a spec's `messages` variable
   * holds: those still on the wire (in due order) and then those waiting in inboxes (in node order,
   * then arrival order). Costs time linear in the number of pending events.
   */
  inFlight(): InFlightMessage<Msg>[] {
    const wire: { m: InFlightMessage<Msg>; t: number; seq: number }[] = [];
    this.queue.forEach((item, t, seq) => {
      if (item.kind !== "deliver") return;
      wire.push({ m: this.inFlightRecord(item, "network", t), t, seq });
    });
    wire.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const out = wire.map((w) => w.m);
    for (const slot of this.slots) {
      for (let i = slot.inboxHead; i < slot.inbox.length; i++) {
        const item = slot.inbox[i] as InboxItem<Msg, Cmd>;
        if (item.kind === "deliver") out.push(this.inFlightRecord(item, "inbox", 0));
      }
    }
    return out;
  }

  private inFlightRecord(item: Extract<InboxItem<Msg, Cmd>, { kind: "deliver" }>, where: "network" | "inbox", dueUs: number): InFlightMessage<Msg> {
    const m: InFlightMessage<Msg> = {
      from: this.options.nodes[item.from] as NodeId,
      to: this.options.nodes[item.to] as NodeId,
      message: item.message,
      messageId: item.recordId,
      where,
    };
    if (where === "network") m.dueAtMs = dueUs / 1000;
    return m;
  }

  /** The live node object (for inspection), or `undefined` while it is crashed. */
  node(id: NodeId): ProtocolNode<Msg, Cmd, Res> | undefined {
    this.ensureStarted();
    return this.slot(id).node ?? undefined;
  }

  /** The node's durable storage as it is now (writes still in fsync are not in it). */
  durable(id: NodeId): ReadonlyMap<string, Json> {
    return this.slot(id).durable;
  }

  /** Whether the node is up, paused, in an fsync, or down. */
  status(id: NodeId): NodeStatus {
    return this.slot(id).status;
  }

  /** The node's local clock reading now. */
  clockMs(id: NodeId): number {
    return this.slot(id).localNowMs(this.nowUs);
  }

  /** Counters so far (a copy). */
  statistics(): SimulationStats {
    return { ...this.stats, messagesDropped: { ...this.stats.messagesDropped } };
  }

  /** The client history so far, in lincheck's JSON shape (a copy). */
  history(): HistoryEntry[] {
    return this.clients.history.slice();
  }

  /**
   * Everything recorded so far. Messages still travelling are marked `in-flight`. The records are
   * the simulator's own objects: serialise them (e.g. `JSON.stringify`) rather than mutate them.
   */
  log(): SimulationLog<Msg, Cmd, Res> {
    const logs = this.recorder.snapshot();
    return {
      seed: this.options.seed,
      nodes: this.options.nodes.slice(),
      nowMs: this.nowMs,
      stats: this.statistics(),
      faults: logs.faults,
      messages: logs.messages,
      steps: logs.steps,
      history: this.clients.history.slice(),
      truncated: { ...logs.truncated, history: this.clients.truncated },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // The loop

  private runTo(limitUs: number, advanceClock: boolean): RunResult {
    if (this.running) throw new SimulationError("run()/runUntil() called from inside a run (from a hook or callback); use stop() instead");
    this.ensureStarted();
    this.stopRequested = false;
    this.running = true;
    try {
      return this.loop(limitUs, advanceClock);
    } finally {
      this.running = false;
    }
  }

  private loop(limitUs: number, advanceClock: boolean): RunResult {
    const maxEvents = this.options.budget.maxEvents;
    let reason: StopReason = "idle";
    for (;;) {
      if (this.queue.size === 0) {
        reason = "idle";
        break;
      }
      if (this.stats.events >= maxEvents) {
        reason = "event-budget";
        break;
      }
      const t = this.queue.peekTimeUs();
      if (t > limitUs) {
        reason = "time-budget";
        break;
      }
      const item = this.queue.pop();
      this.nowUs = t;
      this.stats.events++;
      this.process(item);
      if (this.stopRequested) {
        reason = "stopped";
        break;
      }
    }
    if (advanceClock && reason !== "stopped" && reason !== "event-budget" && this.nowUs < limitUs) this.nowUs = limitUs;
    return { reason, nowMs: this.nowMs, events: this.stats.events };
  }

  private process(item: QueueItem<Msg, Cmd, Res>): void {
    switch (item.kind) {
      case "deliver":
        this.arrive(item);
        return;
      case "timer":
        this.fireTimer(item);
        return;
      case "request":
        this.arriveRequest(item);
        return;
      case "sync":
        this.syncDone(item.node, item.incarnation);
        return;
      case "reply":
        this.clients.arriveReply(item.client, item.node, item.reply);
        return;
      case "client-timer":
        this.clients.clientTimer(item);
        return;
      case "fault":
        this.doFault(item.fault);
        return;
      case "callback":
        item.fn();
        return;
      default: {
        const never: never = item;
        throw new SimulationError(`internal: unknown queue item ${JSON.stringify(never)}`);
      }
    }
  }

  private ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    for (const slot of this.slots) {
      slot.node = this.create(slot);
      if (slot.node.hasReady()) this.afterEvent(slot, { type: "start", nowMs: slot.localNowMs(this.nowUs) }, true);
    }
  }

  private create(slot: NodeSlot<Msg, Cmd, Res>): ProtocolNode<Msg, Cmd, Res> {
    const durable = new Map(slot.durable);
    let node: ProtocolNode<Msg, Cmd, Res>;
    try {
      node = this.options.createNode(slot.id, slot.rng, { incarnation: slot.incarnation, durable });
    } catch (err) {
      throw new SimulationError(`createNode(${JSON.stringify(slot.id)}) threw at ${this.nowMs} ms (incarnation ${slot.incarnation}): ${(err as Error).message}`, err);
    }
    if (node.id !== slot.id) {
      throw new SimulationError(`createNode(${JSON.stringify(slot.id)}) returned a node whose id is ${JSON.stringify(node.id)}`);
    }
    return node;
  }

  // ---------------------------------------------------------------------------------------------
  // Stepping nodes

  /** Hand an arrived event to a node: step it now, or queue it while the node cannot step. */
  private offer(slot: NodeSlot<Msg, Cmd, Res>, item: InboxItem<Msg, Cmd>): void {
    if (slot.canStep) {
      this.stepItem(slot, item);
      return;
    }
    if (slot.inboxSize >= this.maxInbox) {
      if (item.kind === "deliver") this.drop(item.recordId, "inbox-full");
      return;
    }
    slot.inbox.push(item);
  }

  private stepItem(slot: NodeSlot<Msg, Cmd, Res>, item: InboxItem<Msg, Cmd>): void {
    const nowMs = slot.localNowMs(this.nowUs);
    switch (item.kind) {
      case "deliver": {
        const from = this.options.nodes[item.from] as NodeId;
        this.byz.get(slot.index)?.state.remember(item.message);
        this.stepNode(slot, { type: "message", nowMs, from, message: item.message }, item.recordId);
        return;
      }
      case "timer":
        // A timer re-armed or cancelled while the event waited is stale.
        if (slot.timers.get(item.name) !== item.token) return;
        slot.timers.delete(item.name);
        this.stats.timersFired++;
        this.stepNode(slot, { type: "timer", nowMs, name: item.name }, -1);
        return;
      case "request":
        this.stepNode(slot, { type: "request", nowMs, request: item.request }, -1);
        return;
      default: {
        const never: never = item;
        throw new SimulationError(`internal: unknown inbox item ${JSON.stringify(never)}`);
      }
    }
  }

  private stepNode(slot: NodeSlot<Msg, Cmd, Res>, event: Event<Msg, Cmd>, messageId: number): void {
    const node = slot.node as ProtocolNode<Msg, Cmd, Res>;
    try {
      node.step(event);
    } catch (err) {
      throw new SimulationError(
        `node ${slot.id} threw from step #${this.stats.steps} (${event.type} event) at ${this.nowMs} ms: ${(err as Error).message}`,
        err,
      );
    }
    this.afterEvent(slot, event, false, messageId);
  }

  /** Record the step, take the node's ready and carry it out (persist, then the rest). */
  /** Take the node's ready after `event` (record the step) and carry it out, and any that follow. */
  private afterEvent(slot: NodeSlot<Msg, Cmd, Res>, event: Event<Msg, Cmd> | HostEvent, force: boolean, messageId = -1): void {
    const taken = this.takeReady(slot, event, force, messageId);
    if (taken !== null) this.carryOut(slot, taken.rd, taken.step);
  }

  /** Call `ready()` (when `force` or `hasReady()`), record the step, run the hook. Null: nothing to carry out. */
  private takeReady(
    slot: NodeSlot<Msg, Cmd, Res>,
    event: Event<Msg, Cmd> | HostEvent,
    force: boolean,
    messageId: number,
  ): { rd: Ready<Msg, Res, Cmd>; step: number } | null {
    const node = slot.node as ProtocolNode<Msg, Cmd, Res>;
    const stepIndex = this.stats.steps++;
    let rd: Ready<Msg, Res, Cmd> | null = null;
    if (force || node.hasReady()) {
      try {
        rd = node.ready();
      } catch (err) {
        throw new SimulationError(`node ${slot.id} threw from ready() after step #${stepIndex} at ${this.nowMs} ms: ${(err as Error).message}`, err);
      }
    }
    if (this.recorder.recordSteps || this.afterStep !== undefined) {
      const record: StepRecord<Msg, Cmd, Res> = {
        index: stepIndex,
        atMs: this.nowMs,
        node: slot.id,
        incarnation: slot.incarnation,
        event: this.recordedEvent(event),
        ready: rd === null ? null : compactReady(rd),
      };
      if (event.type === "message") record.messageId = messageId;
      this.recorder.step(record);
      const incarnation = slot.incarnation;
      this.afterStep?.(record, node);
      // A hook that crashed the node did so before the host persisted anything: the ready is lost.
      if (slot.incarnation !== incarnation) return null;
    }
    return rd === null ? null : { rd, step: stepIndex };
  }

  /**
   * Persist `rd`, then (once durable) its effects; then, like etcd's host loop, keep taking
   * readies while the node has one before it steps anything new. Well-behaved nodes drain
   * everything in one `ready()`, so the loop rarely turns; it is bounded for those that never do.
   */
  private carryOut(slot: NodeSlot<Msg, Cmd, Res>, rd: Ready<Msg, Res, Cmd>, stepIndex: number): void {
    let current: { rd: Ready<Msg, Res, Cmd>; step: number } | null = { rd, step: stepIndex };
    for (let extra = 0; current !== null; extra++) {
      if (!this.persistThenAct(slot, current.rd, current.step)) return; // fsync under way
      const node = slot.node;
      if (node === null || !slot.canStep || !node.hasReady()) return;
      if (extra >= MAX_READIES_PER_EVENT) {
        throw new SimulationError(`node ${slot.id} still has a ready after ${MAX_READIES_PER_EVENT} ready() calls without a new event at ${this.nowMs} ms: ready() must drain`);
      }
      current = this.takeReady(slot, { type: "ready", nowMs: slot.localNowMs(this.nowUs) }, true, -1);
    }
  }

  private recordedEvent(event: Event<Msg, Cmd> | HostEvent): RecordedEvent<Msg, Cmd> {
    switch (event.type) {
      case "restart": {
        const durable: Record<string, Json> = {};
        for (const [k, v] of event.durable) durable[k] = v;
        return { type: "restart", nowMs: event.nowMs, durable };
      }
      case "start":
      case "ready":
      case "message":
      case "timer":
      case "request":
        return event;
      default: {
        const never: never = event;
        throw new SimulationError(`internal: unknown event ${JSON.stringify(never)}`);
      }
    }
  }

  /** Persist the ready's writes; if that is instant, carry out its effects and return true. */
  private persistThenAct(slot: NodeSlot<Msg, Cmd, Res>, rd: Ready<Msg, Res, Cmd>, stepIndex: number): boolean {
    if (rd.persist.length > 0) {
      this.stats.fsyncs++;
      const delayUs = this.fsync === null ? 0 : sampleLatencyUs(this.fsync, slot.storageRng);
      if (delayUs > 0) {
        // The node must not step again, nor its messages leave, before these writes are durable.
        slot.syncing = { ready: rd, step: stepIndex, written: false };
        this.queue.push(this.nowUs + delayUs, { kind: "sync", node: slot.index, incarnation: slot.incarnation });
        return false;
      }
      slot.applyWrites(rd.persist, this.copyWrites);
    }
    this.effects(slot, rd, stepIndex);
    return true;
  }

  private syncDone(nodeIndex: number, incarnation: number): void {
    const slot = this.slots[nodeIndex] as NodeSlot<Msg, Cmd, Res>;
    const pending = slot.syncing;
    if (slot.incarnation !== incarnation || pending === null) return; // crashed meanwhile
    slot.applyWrites(pending.ready.persist, this.copyWrites);
    pending.written = true;
    // A paused process does not act on its fsync's completion until it is resumed.
    if (slot.paused) return;
    this.finishSync(slot, pending);
  }

  private finishSync(slot: NodeSlot<Msg, Cmd, Res>, pending: PendingSync<Msg, Cmd, Res>): void {
    slot.syncing = null;
    this.effects(slot, pending.ready, pending.step);
    const node = slot.node;
    if (node !== null && slot.canStep && node.hasReady()) {
      const taken = this.takeReady(slot, { type: "ready", nowMs: slot.localNowMs(this.nowUs) }, true, -1);
      if (taken !== null) this.carryOut(slot, taken.rd, taken.step);
    }
    this.drainInbox(slot);
  }

  private drainInbox(slot: NodeSlot<Msg, Cmd, Res>): void {
    while (slot.canStep) {
      const item = slot.shiftInbox();
      if (item === undefined) return;
      this.stepItem(slot, item);
    }
  }

  /** Step 4 of the host loop: the ready's writes are durable; send, reply, arm timers. */
  private effects(slot: NodeSlot<Msg, Cmd, Res>, rd: Ready<Msg, Res, Cmd>, stepIndex: number): void {
    for (const env of rd.send) {
      const to = this.nodeIndex.get(env.to);
      if (to === undefined) {
        throw new SimulationError(`node ${slot.id} sent to unknown node ${JSON.stringify(env.to)} in the ready of step #${stepIndex} at ${this.nowMs} ms`);
      }
      const byz = this.byz.get(slot.index);
      if (byz === undefined || byz.state.behaviours.size === 0) this.send(slot.index, to, env.message, stepIndex);
      else this.sendFaulty(slot, byz, to, env.message, stepIndex);
    }
    for (const reply of rd.replies) {
      const byz = this.byz.get(slot.index);
      if (byz === undefined || byz.state.behaviours.size === 0) this.clients.sendReply(slot.index, reply);
      else if (!byz.state.behaviours.has("silent")) {
        const hook = this.options.byzantine;
        const lie = byz.state.behaviours.has("lie") && hook?.reply !== undefined ? hook.reply(reply, slot.id, byz.rng) : reply;
        this.clients.sendReply(slot.index, lie);
        if (byz.state.behaviours.has("forge") && hook?.forgeReplies !== undefined) {
          for (const forged of hook.forgeReplies(lie, slot.id, byz.rng)) {
            const as = this.nodeIndex.get(forged.as);
            if (as === undefined) throw new SimulationError(`byzantine hook: node ${slot.id} forged a reply as unknown node ${JSON.stringify(forged.as)}`);
            this.clients.sendReply(as, forged.reply);
          }
        }
      }
    }
    for (const timer of rd.timers) {
      if (timer.afterMs === null) {
        slot.timers.delete(timer.name);
        continue;
      }
      if (!(timer.afterMs >= 0 && Number.isFinite(timer.afterMs))) {
        throw new SimulationError(`node ${slot.id} armed timer ${JSON.stringify(timer.name)} with afterMs ${timer.afterMs} in step #${stepIndex} at ${this.nowMs} ms`);
      }
      const token = ++this.timerToken;
      slot.timers.set(timer.name, token);
      this.queue.push(this.nowUs + slot.timerDelayUs(timer.afterMs), { kind: "timer", node: slot.index, name: timer.name, token });
    }
  }

  private fireTimer(item: Extract<InboxItem<Msg, Cmd>, { kind: "timer" }>): void {
    const slot = this.slots[item.node] as NodeSlot<Msg, Cmd, Res>;
    if (slot.down || slot.timers.get(item.name) !== item.token) return;
    this.offer(slot, item);
  }

  // ---------------------------------------------------------------------------------------------
  // Network

  /** A Byzantine node sends: its behaviours decide what, and the protocol's hook how. */
  private sendFaulty(slot: NodeSlot<Msg, Cmd, Res>, byz: { state: ByzantineState<Msg>; rng: SeededRng }, to: number, message: Msg, stepIndex: number): void {
    const { state, rng } = byz;
    state.remember(message);
    if (state.behaviours.has("silent")) {
      this.stats.messagesSent++;
      const id = this.recorder.message(slot.index, to, message, this.nowMs, stepIndex, undefined);
      this.drop(id, "byzantine");
      return;
    }
    let out: Msg[] = [message];
    const hook = this.options.byzantine;
    if (hook !== undefined) {
      for (const b of ["equivocate", "conflict", "forge", "malformed"] as const) {
        if (!state.behaviours.has(b)) continue;
        const envelope = { from: slot.id, to: this.options.nodes[to] as NodeId };
        out = out.flatMap((m) => hook.mutate(b, { ...envelope, message: m }, rng));
      }
    }
    if (out.length === 0) {
      this.stats.messagesSent++;
      this.drop(this.recorder.message(slot.index, to, message, this.nowMs, stepIndex, undefined), "byzantine");
    }
    const extraUs = state.behaviours.has("delay-some") && state.delayed.has(to) ? rng.nextInt(20_000, 200_000) : 0;
    for (const m of out) this.send(slot.index, to, m, stepIndex, extraUs);
    if (state.behaviours.has("replay") && state.seen.length > 0 && rng.chance(0.3)) {
      const old = rng.pick(state.seen);
      const others = this.slots.filter((s) => s.index !== slot.index);
      this.send(slot.index, rng.pick(others).index, old, stepIndex, 0);
    }
  }

  private send(from: number, to: number, message: Msg, stepIndex: number, extraUs = 0): void {
    this.stats.messagesSent++;
    const payload = this.serialize ? (JSON.parse(JSON.stringify(message)) as Msg) : message;
    const rng = this.network.rng(from, to);
    const id = this.recorder.message(from, to, payload, this.nowMs, stepIndex, undefined);
    if (this.network.faulty && this.network.blocked(from, to)) {
      this.drop(id, "partition");
      return;
    }
    if (this.network.lost(from, to, rng)) {
      this.drop(id, "loss");
      return;
    }
    this.queue.push(this.network.deliveryTimeUs(from, to, this.nowUs, rng, payload) + extraUs, { kind: "deliver", from, to, message: payload, recordId: id });
    if (this.network.duplicated(from, to, rng)) {
      this.stats.messagesDuplicated++;
      const copy = this.serialize ? (JSON.parse(JSON.stringify(message)) as Msg) : message;
      const copyId = this.recorder.message(from, to, copy, this.nowMs, stepIndex, id);
      this.queue.push(this.network.deliveryTimeUs(from, to, this.nowUs, rng, copy), { kind: "deliver", from, to, message: copy, recordId: copyId });
    }
  }

  private drop(recordId: number, reason: DropReason): void {
    const dropped = this.stats.messagesDropped;
    dropped[reason] = (dropped[reason] ?? 0) + 1;
    this.recorder.dropped(recordId, reason);
  }

  private arrive(item: Extract<InboxItem<Msg, Cmd>, { kind: "deliver" }>): void {
    const slot = this.slots[item.to] as NodeSlot<Msg, Cmd, Res>;
    if (this.network.faulty && this.network.blocked(item.from, item.to)) {
      this.drop(item.recordId, "partition");
      return;
    }
    if (slot.down) {
      this.drop(item.recordId, "node-down");
      return;
    }
    this.stats.messagesDelivered++;
    this.recorder.delivered(item.recordId, this.nowMs);
    this.offer(slot, item);
  }

  // ---------------------------------------------------------------------------------------------
  // Faults

  private doFault(fault: Fault): void {
    let effect: FaultRecord["effect"] = "applied";
    let lostWrites: number | undefined;
    switch (fault.type) {
      case "partition":
        this.network.partition(fault.groups.map((g) => g.map((id) => this.index(id))));
        break;
      case "cut":
        this.network.cutLinks(fault.from.map((id) => this.index(id)), fault.to.map((id) => this.index(id)));
        break;
      case "heal":
        if (!this.network.faulty) effect = "no-op";
        this.network.heal();
        break;
      case "crash": {
        const lost = this.crash(this.slot(fault.node));
        if (lost === null) effect = "no-op";
        else lostWrites = lost;
        break;
      }
      case "restart":
        if (!this.restart(this.slot(fault.node))) effect = "no-op";
        break;
      case "pause": {
        const slot = this.slot(fault.node);
        if (slot.down || slot.paused) effect = "no-op";
        else slot.paused = true;
        break;
      }
      case "resume": {
        const slot = this.slot(fault.node);
        if (slot.down || !slot.paused) effect = "no-op";
        else {
          slot.paused = false;
          this.recordFault(fault, effect, undefined);
          const pending = slot.syncing;
          if (pending === null) this.drainInbox(slot);
          else if (pending.written) this.finishSync(slot, pending);
          return;
        }
        break;
      }
      case "loss":
        this.network.setLoss(fault.probability);
        break;
      case "duplicate":
        this.network.setDuplicate(fault.probability);
        break;
      case "latency":
        this.network.setLatency(fault.latency);
        break;
      case "clock": {
        const slot = this.slot(fault.node);
        if (fault.offsetMs === undefined && fault.drift !== undefined) {
          // A drift alone is a new rate from now on, not a jump: rebase the offset so the reading
          // stays continuous. Protocols that bound clock drift (leases) are safe under any rate
          // within their bound, never under a jump they cannot see.
          const readingMs = slot.localNowMs(this.nowUs);
          slot.drift = fault.drift;
          slot.offsetMs = readingMs - (this.nowUs / 1000) * (1 + fault.drift);
          break;
        }
        if (fault.offsetMs !== undefined) slot.offsetMs = fault.offsetMs;
        if (fault.drift !== undefined) slot.drift = fault.drift;
        break;
      }
      case "byzantine": {
        const slot = this.slot(fault.node);
        let byz = this.byz.get(slot.index);
        if (byz === undefined) {
          byz = { state: new ByzantineState<Msg>(), rng: SeededRng.derive(this.options.seed, `byzantine:${slot.id}`) };
          this.byz.set(slot.index, byz);
        }
        if (fault.behaviour === "honest") {
          if (byz.state.behaviours.size === 0) effect = "no-op";
          byz.state.behaviours.clear();
          break;
        }
        if (byz.state.behaviours.has(fault.behaviour)) effect = "no-op";
        byz.state.behaviours.add(fault.behaviour);
        if (fault.behaviour === "delay-some") {
          const others = this.slots.filter((s) => s.index !== slot.index).map((s) => s.index);
          const rng = byz.rng;
          byz.state.delayed = new Set(others.filter(() => rng.chance(0.5)));
          if (byz.state.delayed.size === 0 && others.length > 0) byz.state.delayed.add(rng.pick(others));
        }
        break;
      }
      default: {
        const never: never = fault;
        throw new SimulationError(`internal: unknown fault ${JSON.stringify(never)}`);
      }
    }
    this.recordFault(fault, effect, lostWrites);
  }

  private recordFault(fault: Fault, effect: FaultRecord["effect"], lostWrites: number | undefined): void {
    const record: FaultRecord = { atMs: this.nowMs, afterStep: this.stats.steps, fault, effect };
    if (lostWrites !== undefined) record.lostWrites = lostWrites;
    this.recorder.fault(record);
  }

  /** Crash a node; returns the number of writes lost, or null if it was already down. */
  private crash(slot: NodeSlot<Msg, Cmd, Res>): number | null {
    if (slot.down) return null;
    this.stats.crashes++;
    let lost = 0;
    const pending = slot.syncing;
    if (pending !== null && !pending.written) {
      const writes = pending.ready.persist;
      const kept = this.keepPrefixOnCrash ? slot.storageRng.nextInt(0, writes.length) : 0;
      slot.applyWrites(writes.slice(0, kept), this.copyWrites);
      lost = writes.length - kept;
    }
    for (let item = slot.shiftInbox(); item !== undefined; item = slot.shiftInbox()) {
      if (item.kind === "deliver") this.drop(item.recordId, "node-down");
    }
    slot.node = null;
    slot.down = true;
    slot.paused = false;
    slot.syncing = null;
    slot.timers = new Map();
    // Bumping the incarnation makes the crashed life's fsync completion stale.
    slot.incarnation++;
    return lost;
  }

  /** Restart a crashed node; false if it was not down. */
  private restart(slot: NodeSlot<Msg, Cmd, Res>): boolean {
    if (!slot.down) return false;
    this.stats.restarts++;
    slot.down = false;
    slot.node = this.create(slot);
    this.stepNode(slot, { type: "restart", nowMs: slot.localNowMs(this.nowUs), durable: new Map(slot.durable) }, -1);
    return true;
  }

  private arriveRequest(item: Extract<InboxItem<Msg, Cmd>, { kind: "request" }>): void {
    const slot = this.slots[item.node] as NodeSlot<Msg, Cmd, Res>;
    if (slot.down) return; // the client will time out
    this.offer(slot, item);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private index(id: NodeId): number {
    const i = this.nodeIndex.get(id);
    if (i === undefined) throw new SimulationConfigError("node", `unknown node ${JSON.stringify(id)}`);
    return i;
  }

  private slot(id: NodeId): NodeSlot<Msg, Cmd, Res> {
    return this.slots[this.index(id)] as NodeSlot<Msg, Cmd, Res>;
  }
}

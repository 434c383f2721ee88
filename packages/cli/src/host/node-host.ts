/**
 * The event loop that runs one {@link ProtocolNode} for real: one event at a time, and for each
 * the order the protocol's safety rests on.
 *
 * 1. `node.step(event)`;
 * 2. `node.ready()`, repeated while `hasReady()`;
 * 3. `storage.append(rd.persist)`, which returns only after fsync;
 * 4. then `rd.send` to the transport; then `rd.replies` to clients; then `rd.timers`;
 * 5. then `rd.applied` to observers, and compaction of the log if it has grown.
 *
 * Storage is written synchronously, so no other event can be stepped before step 3 finished. The
 * loop yields to Node's event loop every `eventsPerTurnMax` events so that sockets and timers keep
 * being served under load.
 *
 * Group commit (`batchEventsMax > 1`, off by default): up to that many queued events are stepped,
 * their readies collected, and all their writes appended as ONE WAL record with one fsync before
 * any of their messages or replies leave. This departs from the letter of the protocol contract
 * (persist before the next step) but not from its purpose: nothing a node emits is seen by anyone
 * before everything it depends on is durable, and the single record is atomic on recovery, so a
 * crash before the fsync looks to the cluster exactly like those events never having arrived,
 * which every protocol tolerates (messages may be lost, requests retried). It is etcd/raft's model
 * (many `Step`s, then one `Ready`), and it turns one fsync per event into one per batch.
 *
 * @module
 */
import type { Applied, ClientReply, ClientRequest, DurableWrite, NodeId, ProtocolNode, Ready } from "@synod/protocol";
import { monotonicClock, type Clock } from "./clock.js";
import { TimerTable } from "./timers.js";

/** Where a host makes writes durable. `FileStorage` is the real one. */
export interface DurableSink {
  /** Make `writes` durable (fsync) before returning; throw if that is impossible. */
  append(writes: readonly DurableWrite[]): void;
  /** Compact if worthwhile; called between events. */
  maybeCompact?(): boolean;
}

/** Where a host sends what the node wants sent. */
export interface HostOutputs<Msg, Res> {
  /** Send a message to a peer (best effort: the transport may drop it). */
  send(to: NodeId, message: Msg): void;
  /** Deliver a reply to the client that is waiting for it, if it still is. */
  reply(reply: ClientReply<Res>): void;
}

/** Options for {@link NodeHost}. */
export interface NodeHostOptions<Msg, Cmd, Res> {
  /** The node, freshly created from its durable state (it may already have a ready pending). */
  node: ProtocolNode<Msg, Cmd, Res>;
  /** Where `ready().persist` goes; must fsync before returning. */
  storage: DurableSink;
  /** Where messages and replies go. */
  outputs: HostOutputs<Msg, Res>;
  /** Default: {@link monotonicClock}. */
  clock?: Clock;
  /** Observers of applied commands (informational). */
  onApplied?: (applied: readonly Applied<Cmd, Res>[]) => void;
  /** Called after each batch of events was stepped and its readies handled (to observe the node). */
  onProcessed?: () => void;
  /** Called once when the host stops because storage or the node failed; the process should exit. */
  onFatal?: (err: unknown) => void;
  /** Bound on queued events; further messages are dropped and requests answered `unavailable`. Default 10,000. */
  eventQueueMax?: number;
  /** Events stepped per turn of Node's event loop before yielding. Default 64. */
  eventsPerTurnMax?: number;
  /** Group commit: events stepped per fsync (see the module comment). Default 1: one event at a time. */
  batchEventsMax?: number;
}

/** Counters a host keeps, for logs, tests and benchmarks. */
export interface HostStats {
  /** Events handed to `node.step`. */
  eventsStepped: number;
  /** fsync'd appends (one per event, or one per batch with group commit). */
  persistBatches: number;
  /** Durable writes in those appends. */
  writesPersisted: number;
  /** Messages handed to the transport. */
  messagesSent: number;
  /** Replies handed to the client port. */
  repliesSent: number;
  /** Peer messages dropped because the event queue was full. */
  messagesDroppedQueueFull: number;
  /** Client requests answered `unavailable` because the event queue was full. */
  requestsRefusedQueueFull: number;
  /** Timer firings discarded because the timer had been re-armed or cancelled meanwhile. */
  staleTimerFirings: number;
}

type QueuedEvent<Msg, Cmd> =
  | { kind: "message"; from: NodeId; message: Msg }
  | { kind: "request"; request: ClientRequest<Cmd> }
  | { kind: "timer"; name: string; generation: number };

/** Runs a protocol node against real storage, a real clock, timers and a transport. */
export class NodeHost<Msg, Cmd, Res> {
  /** Live counters. */
  readonly stats: HostStats = {
    eventsStepped: 0,
    persistBatches: 0,
    writesPersisted: 0,
    messagesSent: 0,
    repliesSent: 0,
    messagesDroppedQueueFull: 0,
    requestsRefusedQueueFull: 0,
    staleTimerFirings: 0,
  };
  private readonly node: ProtocolNode<Msg, Cmd, Res>;
  private readonly storage: DurableSink;
  private readonly outputs: HostOutputs<Msg, Res>;
  private readonly clock: Clock;
  private readonly timers: TimerTable;
  private readonly queue: QueuedEvent<Msg, Cmd>[] = [];
  private queueHead = 0;
  private readonly eventQueueMax: number;
  private readonly eventsPerTurnMax: number;
  private readonly batchEventsMax: number;
  private readonly onApplied: ((applied: readonly Applied<Cmd, Res>[]) => void) | undefined;
  private readonly onFatal: (err: unknown) => void;
  private readonly onProcessed: (() => void) | undefined;
  private state: "new" | "running" | "stopped" = "new";
  private drainScheduled = false;

  constructor(options: NodeHostOptions<Msg, Cmd, Res>) {
    this.node = options.node;
    this.storage = options.storage;
    this.outputs = options.outputs;
    this.clock = options.clock ?? monotonicClock();
    this.eventQueueMax = options.eventQueueMax ?? 10_000;
    this.eventsPerTurnMax = options.eventsPerTurnMax ?? 64;
    this.batchEventsMax = options.batchEventsMax ?? 1;
    if (!Number.isSafeInteger(this.batchEventsMax) || this.batchEventsMax < 1) {
      throw new RangeError(`batchEventsMax must be a positive integer, got ${this.batchEventsMax}`);
    }
    this.onApplied = options.onApplied;
    this.onProcessed = options.onProcessed;
    this.onFatal = options.onFatal ?? ((err) => { throw err; });
    this.timers = new TimerTable((name, generation) => this.enqueue({ kind: "timer", name, generation }));
  }

  /** True until {@link stop} is called or a fatal error stopped the host. */
  get running(): boolean {
    return this.state === "running";
  }

  /** Number of events waiting to be stepped. */
  get queuedEvents(): number {
    return this.queue.length - this.queueHead;
  }

  /** Start: handle whatever the freshly created node wants done (bootstrap writes, first timers). */
  start(): void {
    if (this.state !== "new") throw new Error("NodeHost.start: already started");
    this.state = "running";
    this.guard(() => this.drainReady());
  }

  /** A peer's message arrived. */
  deliverMessage(from: NodeId, message: Msg): void {
    this.enqueue({ kind: "message", from, message });
  }

  /** A client's request arrived. */
  submitRequest(request: ClientRequest<Cmd>): void {
    this.enqueue({ kind: "request", request });
  }

  /** Stop: cancel timers and drop queued events. Idempotent. */
  stop(): void {
    this.state = "stopped";
    this.timers.clear();
    this.queue.length = 0;
    this.queueHead = 0;
  }

  private enqueue(event: QueuedEvent<Msg, Cmd>): void {
    if (this.state !== "running") return;
    if (this.queuedEvents >= this.eventQueueMax && event.kind !== "timer") {
      if (event.kind === "message") {
        this.stats.messagesDroppedQueueFull++;
      } else {
        this.stats.requestsRefusedQueueFull++;
        const { clientId, seq } = event.request;
        this.outputs.reply({ clientId, seq, ok: false, error: "unavailable", detail: "node overloaded: event queue full" });
      }
      return;
    }
    this.queue.push(event);
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.drainScheduled = false;
    let stepped = 0;
    while (stepped < this.eventsPerTurnMax && this.state === "running" && this.queuedEvents > 0) {
      const batchSize = Math.min(this.batchEventsMax, this.queuedEvents, this.eventsPerTurnMax - stepped);
      const events = this.queue.slice(this.queueHead, this.queueHead + batchSize);
      this.queueHead += batchSize;
      stepped += batchSize;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      this.guard(() => {
        const readies: Ready<Msg, Res, Cmd>[] = [];
        for (const event of events) {
          if (this.step(event)) this.collectReadies(readies);
        }
        this.process(readies);
        this.storage.maybeCompact?.();
      });
    }
    if (this.state === "running" && this.queuedEvents > 0 && !this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Step one event; false when it was a stale timer firing and nothing was stepped. */
  private step(event: QueuedEvent<Msg, Cmd>): boolean {
    const nowMs = this.clock.nowMs();
    switch (event.kind) {
      case "message":
        this.node.step({ type: "message", nowMs, from: event.from, message: event.message });
        break;
      case "request":
        this.node.step({ type: "request", nowMs, request: event.request });
        break;
      case "timer":
        if (!this.timers.takeIfCurrent(event.name, event.generation)) {
          this.stats.staleTimerFirings++;
          return false;
        }
        this.node.step({ type: "timer", nowMs, name: event.name });
        break;
      default: {
        const never: never = event;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
    this.stats.eventsStepped++;
    return true;
  }

  private drainReady(): void {
    const readies: Ready<Msg, Res, Cmd>[] = [];
    this.collectReadies(readies);
    this.process(readies);
    this.storage.maybeCompact?.();
  }

  private collectReadies(into: Ready<Msg, Res, Cmd>[]): void {
    // Bounded: a node that keeps producing readies without new input is broken.
    for (let rounds = 0; this.node.hasReady(); rounds++) {
      if (rounds >= 1000) throw new Error(`node ${this.node.id} produced 1000 readies for one event`);
      into.push(this.node.ready());
    }
  }

  /** Persist every write of `readies` in one fsync'd append, then send, reply, arm timers, in order. */
  private process(readies: readonly Ready<Msg, Res, Cmd>[]): void {
    const writes = readies.flatMap((rd) => rd.persist);
    if (writes.length > 0) {
      this.storage.append(writes);
      this.stats.persistBatches++;
      this.stats.writesPersisted += writes.length;
    }
    for (const rd of readies) {
      for (const env of rd.send) {
        this.outputs.send(env.to, env.message);
        this.stats.messagesSent++;
      }
    }
    for (const rd of readies) {
      for (const reply of rd.replies) {
        this.outputs.reply(reply);
        this.stats.repliesSent++;
      }
    }
    for (const rd of readies) for (const timer of rd.timers) this.timers.apply(timer);
    for (const rd of readies) if (rd.applied.length > 0) this.onApplied?.(rd.applied);
    this.onProcessed?.();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // Storage that cannot fsync, or a node whose assertion fired: continuing could send a
      // message whose durable basis is missing, so the host stops here.
      this.stop();
      this.onFatal(err);
    }
  }
}

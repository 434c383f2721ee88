/**
 * A deterministic in-memory host for protocol nodes, for unit tests, scenario scripts and
 * conformance replay: a manual network of in-flight messages that a test delivers, drops or
 * duplicates one by one (etcd's `rafttest` interaction environment), virtual time with per-node
 * clock rates, durable storage as a map per node, crashes and restarts. It follows the host loop
 * of `@synod/protocol` exactly: persist, then send and reply and arm timers, then applied.
 *
 * It is deliberately not the simulator: no latency model, no fault schedule, no clients; every
 * step happens because the test asked for it.
 *
 * @module
 */
import { isEmptyReady, SeededRng, type Applied, type ClientReply, type DurableWrite, type Json, type NodeId, type ProtocolNode } from "@synod/protocol";

/** A message sent and not yet delivered or dropped. */
export interface InFlight<Msg> {
  /** Host-assigned id, unique per cluster, increasing in send order. */
  id: number;
  /** Sender. */
  from: NodeId;
  /** Receiver. */
  to: NodeId;
  /** The message as sent (a private copy). */
  message: Msg;
  /** Virtual time at which {@link TestCluster.runNextEvent} hands it over. */
  deliverAtMs: number;
}

/** One observable thing a node did while its readies were processed. */
export type HostOutput<Msg, Cmd, Res> =
  | { kind: "persist"; node: NodeId; write: DurableWrite }
  | { kind: "send"; msg: InFlight<Msg> }
  | { kind: "timer"; node: NodeId; name: string; afterMs: number | null }
  | { kind: "reply"; node: NodeId; reply: ClientReply<Res> }
  | { kind: "applied"; node: NodeId; applied: Applied<Cmd, Res> };

/** How the host makes a node. */
export interface NodeFactory<N> {
  /**
   * A fresh node `id` whose peers are `peers`, drawing randomness from `rng` (a stream of its own,
   * derived from the cluster's seed and the node's id).
   */
  (id: NodeId, peers: NodeId[], rng: SeededRng): N;
}

/** Options of a {@link TestCluster}. */
export interface TestClusterOptions<N> {
  /** The initial members. */
  ids: NodeId[];
  /** Seed of every random stream (node RNGs, latency, the network's coin flips). */
  seed: number;
  /** Makes the nodes. */
  create: NodeFactory<N>;
  /** One-way latency range for {@link TestCluster.runNextEvent}; messages reorder when it is wide. Default [0, 0]. */
  latencyMs?: [number, number];
}

/**
 * A cluster of nodes on a manual network. Generic over the node type, so tests keep their
 * protocol's full node API (`inspect()`, hooks) through {@link TestCluster.node}.
 */
export class TestCluster<Msg, Cmd, Res, N extends ProtocolNode<Msg, Cmd, Res> = ProtocolNode<Msg, Cmd, Res>> {
  /** The nodes by id (crashed ones included: a crashed node is kept until it restarts). */
  readonly nodes = new Map<NodeId, N>();
  /** Each node's durable map: exactly what it persisted, in order. */
  readonly durable = new Map<NodeId, Map<string, Json>>();
  /** Crashed nodes: they receive nothing and their timers are gone until restarted. */
  readonly crashed = new Set<NodeId>();
  /** Nodes cut off from everyone: {@link TestCluster.runNextEvent} drops messages to or from them. */
  readonly partitioned = new Set<NodeId>();
  /** Due time of each armed timer, per node. */
  readonly timers = new Map<NodeId, Map<string, number>>();
  /** Per-node clock rate (local ms per real ms); 1 when absent. Clocks start at 0 together. */
  readonly clockRate = new Map<NodeId, number>();
  /** Messages in flight, in send order. */
  inflight: InFlight<Msg>[] = [];
  /** Virtual time. */
  nowMs = 0;
  /** Everything observed since the last {@link TestCluster.takeOutputs}. */
  outputs: HostOutput<Msg, Cmd, Res>[] = [];
  /**
   * Called before each ready with more than one write is persisted, with the store and the writes:
   * tests use it to check that a crash after any prefix of the writes leaves a recoverable store.
   */
  crashPrefixCheck: ((id: NodeId, store: ReadonlyMap<string, Json>, writes: readonly DurableWrite[]) => void) | null = null;
  /** Called for every write as it is made durable (after the store is updated). */
  onPersist: ((id: NodeId, write: DurableWrite) => void) | null = null;

  private nextMsgId = 1;
  private readonly seed: number;
  private readonly create: NodeFactory<N>;
  private readonly latencyMs: [number, number];
  private readonly netRng: SeededRng;

  constructor(opts: TestClusterOptions<N>) {
    this.seed = opts.seed;
    this.create = opts.create;
    this.latencyMs = opts.latencyMs ?? [0, 0];
    this.netRng = SeededRng.derive(opts.seed, "network");
    for (const id of opts.ids) this.add(id, opts.ids.filter((x) => x !== id));
  }

  /** Add node `id` (a fresh one, with an empty durable map) and process its first ready. */
  add(id: NodeId, peers: NodeId[], create: NodeFactory<N> = this.create): N {
    if (this.nodes.has(id)) throw new Error(`node ${id} exists already`);
    this.durable.set(id, new Map());
    this.timers.set(id, new Map());
    const node = create(id, peers, SeededRng.derive(this.seed, `node:${id}`));
    this.nodes.set(id, node);
    this.process(id);
    return node;
  }

  /** `id`'s local clock reading now. */
  localMs(id: NodeId): number {
    return this.nowMs * (this.clockRate.get(id) ?? 1);
  }

  /** The node `id` (throws naming it when there is none). */
  node(id: NodeId): N {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  /** Drain every ready of `id`: persist, then send, then timers and replies, then applied. */
  process(id: NodeId): void {
    const n = this.node(id);
    const store = this.durable.get(id) as Map<string, Json>;
    for (let guard = 0; n.hasReady(); guard++) {
      if (guard > 1000) throw new Error(`node ${id}: ready loop did not settle after 1000 readies`);
      const rd = n.ready();
      if (this.crashPrefixCheck !== null && rd.persist.length > 1) this.crashPrefixCheck(id, store, rd.persist);
      for (const w of rd.persist) {
        if ("delete" in w) store.delete(w.key);
        else store.set(w.key, structuredClone(w.value));
        this.onPersist?.(id, w);
        this.outputs.push({ kind: "persist", node: id, write: w });
      }
      for (const e of rd.send) {
        const deliverAtMs = this.nowMs + this.netRng.nextInt(this.latencyMs[0], this.latencyMs[1]);
        const msg: InFlight<Msg> = { id: this.nextMsgId++, from: id, to: e.to, message: structuredClone(e.message), deliverAtMs };
        this.inflight.push(msg);
        this.outputs.push({ kind: "send", msg });
      }
      const tm = this.timers.get(id) as Map<string, number>;
      for (const t of rd.timers) {
        if (t.afterMs === null) tm.delete(t.name);
        else tm.set(t.name, this.nowMs + t.afterMs / (this.clockRate.get(id) ?? 1));
        this.outputs.push({ kind: "timer", node: id, name: t.name, afterMs: t.afterMs });
      }
      for (const r of rd.replies) this.outputs.push({ kind: "reply", node: id, reply: r });
      for (const a of rd.applied) this.outputs.push({ kind: "applied", node: id, applied: a });
    }
    // The contract: hasReady() is false exactly when ready() has nothing.
    const extra = n.ready();
    if (!isEmptyReady(extra)) throw new Error(`node ${id}: hasReady() was false but ready() returned ${JSON.stringify(extra)}`);
  }

  private find(msgId: number): number {
    const k = this.inflight.findIndex((m) => m.id === msgId);
    if (k < 0) throw new Error(`no message ${msgId} in flight`);
    return k;
  }

  /** Deliver in-flight message `msgId` (removing it unless `keep`). Lost if its target is down. */
  deliver(msgId: number, keep = false): void {
    const k = this.find(msgId);
    const m = this.inflight[k] as InFlight<Msg>;
    if (!keep) this.inflight.splice(k, 1);
    if (this.crashed.has(m.to) || !this.nodes.has(m.to)) return;
    this.node(m.to).step({ type: "message", nowMs: this.localMs(m.to), from: m.from, message: structuredClone(m.message) });
    this.process(m.to);
  }

  /** The network loses in-flight message `msgId`. */
  drop(msgId: number): void {
    this.find(msgId);
    this.inflight = this.inflight.filter((m) => m.id !== msgId);
  }

  /** The network duplicates in-flight message `msgId`: a second copy, sent last. */
  duplicate(msgId: number): InFlight<Msg> {
    const m = this.inflight[this.find(msgId)] as InFlight<Msg>;
    const copy = { ...m, id: this.nextMsgId++, message: structuredClone(m.message) };
    this.inflight.push(copy);
    return copy;
  }

  /** Fire `id`'s timer `name` now (whether or not it is armed). */
  fire(id: NodeId, name: string): void {
    if (this.crashed.has(id)) return;
    (this.timers.get(id) as Map<string, number>).delete(name);
    this.node(id).step({ type: "timer", nowMs: this.localMs(id), name });
    this.process(id);
  }

  /** A client request to `id`. */
  request(id: NodeId, clientId: string, seq: number, command: Cmd): void {
    if (this.crashed.has(id)) return;
    this.node(id).step({ type: "request", nowMs: this.localMs(id), request: { clientId, seq, command } });
    this.process(id);
  }

  /** Crash `id`: its timers and the messages to it are gone; its durable map stays. */
  crash(id: NodeId): void {
    this.node(id);
    this.crashed.add(id);
    (this.timers.get(id) as Map<string, number>).clear();
    this.inflight = this.inflight.filter((m) => m.to !== id);
  }

  /** Restart `id` from its durable map (the node rebuilds its volatile state on the `restart` event). */
  restart(id: NodeId): void {
    this.crashed.delete(id);
    (this.timers.get(id) as Map<string, number>).clear();
    this.node(id).step({ type: "restart", nowMs: this.localMs(id), durable: new Map(this.durable.get(id)) });
    this.process(id);
  }

  /** The earliest armed timer among live nodes (ties: the smaller node id), or null. */
  nextTimer(): { node: NodeId; name: string; dueMs: number } | null {
    let best: { node: NodeId; name: string; dueMs: number } | null = null;
    for (const [node, tm] of this.timers) {
      if (this.crashed.has(node)) continue;
      for (const [name, dueMs] of tm) {
        if (best === null || dueMs < best.dueMs || (dueMs === best.dueMs && node < best.node)) best = { node, name, dueMs };
      }
    }
    return best;
  }

  /** Advance virtual time to the next timer and fire it; null when no timer is armed. */
  fireNextTimer(): { node: NodeId; name: string } | null {
    const t = this.nextTimer();
    if (t === null) return null;
    this.nowMs = Math.max(this.nowMs, t.dueMs);
    this.fire(t.node, t.name);
    return t;
  }

  /**
   * Process the earliest event (a message due, or a timer), advancing virtual time. A message is
   * lost with probability `dropPercent`% (or always, to or from a partitioned node) and delivered
   * twice with probability `duplicatePercent`%. Returns false when nothing is left to do.
   */
  runNextEvent(dropPercent = 0, duplicatePercent = 0): boolean {
    const t = this.nextTimer();
    let m: InFlight<Msg> | null = null;
    for (const x of this.inflight) if (m === null || x.deliverAtMs < m.deliverAtMs) m = x;
    if (m !== null && (t === null || m.deliverAtMs <= t.dueMs)) {
      this.nowMs = Math.max(this.nowMs, m.deliverAtMs);
      const roll = this.netRng.nextInt(0, 99);
      if (roll < dropPercent || this.partitioned.has(m.from) || this.partitioned.has(m.to)) this.drop(m.id);
      else if (roll < dropPercent + duplicatePercent) {
        this.deliver(m.id, true);
        m.deliverAtMs = this.nowMs + this.netRng.nextInt(this.latencyMs[0], this.latencyMs[1]) + 1;
      } else this.deliver(m.id);
      return true;
    }
    return this.fireNextTimer() !== null;
  }

  /** Deliver everything in flight (oldest first) until quiet; at most `budget` messages. */
  deliverAll(budget = 10_000): number {
    let n = 0;
    while (this.inflight.length > 0 && n < budget) {
      this.deliver((this.inflight[0] as InFlight<Msg>).id);
      n++;
    }
    return n;
  }

  /** Live (not crashed) node ids, in insertion order. */
  live(): NodeId[] {
    return [...this.nodes.keys()].filter((id) => !this.crashed.has(id));
  }

  /** Take the outputs recorded so far. */
  takeOutputs(): HostOutput<Msg, Cmd, Res>[] {
    const o = this.outputs;
    this.outputs = [];
    return o;
  }
}

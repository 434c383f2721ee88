/**
 * A tiny deterministic in-memory host for Raft nodes, used by the scenario scripts and the
 * randomized safety test. It follows the host loop of the README: persist, then send, then apply.
 * (It deliberately does not use packages/sim.)
 */
import { isEmptyReady, type ClientReply, type DurableWrite, type Json, type NodeId, type Rng } from "@synod/protocol";
import { createKvNode, type RaftKvNode } from "../../src/node.js";
import type { RaftMessage } from "../../src/messages.js";
import { LOG_PREFIX, SNAPSHOT_KEY } from "../../src/storage.js";
import type { KvResult, LogEntry, RaftCommand, RaftOptions } from "../../src/types.js";

/** mulberry32: small, fast, seedable. */
export class SeededRng implements Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  nextFloat(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  nextInt(lo: number, hi: number): number {
    return lo + Math.floor(this.nextFloat() * (hi - lo + 1));
  }
}

/** A message in flight. */
export interface InFlight {
  id: number;
  from: NodeId;
  to: NodeId;
  message: RaftMessage;
  /** Virtual time at which the network hands it over. */
  deliverAtMs: number;
}

export interface ClusterOptions {
  ids: NodeId[];
  seed: number;
  options?: Partial<RaftOptions>;
  /** One-way message latency range; messages are reordered when it is wide. Default [0, 0]. */
  latencyMs?: [number, number];
}

/** One observable thing a node did while processing readies (for scripts). */
export type Output =
  | { kind: "persist"; node: NodeId; write: DurableWrite }
  | { kind: "send"; msg: InFlight }
  | { kind: "timer"; node: NodeId; name: string; afterMs: number | null }
  | { kind: "reply"; node: NodeId; reply: ClientReply<KvResult> }
  | { kind: "applied"; node: NodeId; index: number; command: RaftCommand; result: KvResult };

export class Cluster {
  readonly nodes = new Map<NodeId, RaftKvNode>();
  readonly durable = new Map<NodeId, Map<string, Json>>();
  readonly crashed = new Set<NodeId>();
  /** Nodes cut off from everyone: messages to or from them are lost (in `runNextEvent`). */
  readonly partitioned = new Set<NodeId>();
  /** Due time of each armed timer. */
  readonly timers = new Map<NodeId, Map<string, number>>();
  inflight: InFlight[] = [];
  nowMs = 0;
  /** Per-node clock rate (local ms per real ms); 1 when absent. Clocks start at 0 together. */
  readonly clockRate = new Map<NodeId, number>();
  private nextMsgId = 1;
  readonly rngs = new Map<NodeId, SeededRng>();
  readonly options: Partial<RaftOptions>;
  private readonly latencyMs: [number, number];
  private readonly netRng: SeededRng;
  /** Per node, the last log entry it wrote to storage at each index (deletes ignored). */
  readonly written = new Map<NodeId, Map<number, LogEntry>>();
  /**
   * If set, called before each multi-write ready is persisted, with the store and the writes: tests
   * use it to check that a crash after any prefix of the writes leaves a recoverable store.
   */
  crashPrefixCheck: ((id: NodeId, store: ReadonlyMap<string, Json>, writes: readonly DurableWrite[]) => void) | null = null;
  /** Everything observed, for scripts to print and tests to check. */
  outputs: Output[] = [];

  constructor(opts: ClusterOptions) {
    this.options = opts.options ?? {};
    this.latencyMs = opts.latencyMs ?? [0, 0];
    this.netRng = new SeededRng(opts.seed ^ 0x5bd1e995);
    for (const id of opts.ids) {
      this.rngs.set(id, new SeededRng(opts.seed * 7919 + hash(id)));
      this.durable.set(id, new Map());
      this.timers.set(id, new Map());
      const peers = opts.ids.filter((x) => x !== id);
      this.nodes.set(id, createKvNode({ id, peers, rng: this.rngs.get(id) as SeededRng, options: this.options }));
      this.process(id);
    }
  }

  /** Add a fresh node that will join a running cluster. */
  addJoiner(id: NodeId, seed: number): void {
    this.rngs.set(id, new SeededRng(seed * 7919 + hash(id)));
    this.durable.set(id, new Map());
    this.timers.set(id, new Map());
    this.nodes.set(id, createKvNode({ id, peers: [], join: true, rng: this.rngs.get(id) as SeededRng, options: this.options }));
    this.process(id);
  }

  /** `id`'s local clock reading now. */
  localMs(id: NodeId): number {
    return this.nowMs * (this.clockRate.get(id) ?? 1);
  }

  node(id: NodeId): RaftKvNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  /** Drain every ready of `id`: persist, then send, then timers/replies. */
  process(id: NodeId): void {
    const n = this.node(id);
    const store = this.durable.get(id) as Map<string, Json>;
    for (let guard = 0; n.hasReady(); guard++) {
      if (guard > 1000) throw new Error(`node ${id}: ready loop did not settle`);
      const rd = n.ready();
      if (this.crashPrefixCheck !== null && rd.persist.length > 1) this.crashPrefixCheck(id, store, rd.persist);
      let shadow = this.written.get(id);
      if (shadow === undefined) this.written.set(id, (shadow = new Map()));
      for (const w of rd.persist) {
        if ("delete" in w) store.delete(w.key);
        else {
          store.set(w.key, structuredClone(w.value));
          if (w.key.startsWith(LOG_PREFIX)) shadow.set(Number(w.key.slice(LOG_PREFIX.length)), w.value as unknown as LogEntry);
          if (w.key === SNAPSHOT_KEY) {
            // An installed snapshot may replace a diverged log: the shadow below it is only
            // trustworthy if it agrees at the snapshot's index (then, by log matching, before it).
            const snap = w.value as unknown as { index: number; term: number };
            if (shadow.get(snap.index)?.term !== snap.term) for (const i of [...shadow.keys()]) if (i <= snap.index) shadow.delete(i);
          }
        }
        this.outputs.push({ kind: "persist", node: id, write: w });
      }
      for (const e of rd.send) {
        const deliverAtMs = this.nowMs + this.netRng.nextInt(this.latencyMs[0], this.latencyMs[1]);
        const msg: InFlight = { id: this.nextMsgId++, from: id, to: e.to, message: structuredClone(e.message), deliverAtMs };
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
      for (const a of rd.applied) this.outputs.push({ kind: "applied", node: id, index: a.index, command: a.command, result: a.result });
    }
    // The contract: hasReady() is false exactly when ready() has nothing.
    const extra = n.ready();
    if (!isEmptyReady(extra)) throw new Error(`node ${id}: hasReady() was false but ready() returned ${JSON.stringify(extra)}`);
  }

  /** Deliver the in-flight message with `msgId` (removing it). Dropped silently if the target is down. */
  deliver(msgId: number, keep = false): void {
    const k = this.inflight.findIndex((m) => m.id === msgId);
    if (k < 0) throw new Error(`no message ${msgId} in flight`);
    const m = this.inflight[k] as InFlight;
    if (!keep) this.inflight.splice(k, 1);
    if (this.crashed.has(m.to) || !this.nodes.has(m.to)) return;
    this.node(m.to).step({ type: "message", nowMs: this.localMs(m.to), from: m.from, message: structuredClone(m.message) });
    this.process(m.to);
  }

  drop(msgId: number): void {
    this.inflight = this.inflight.filter((m) => m.id !== msgId);
  }

  fire(id: NodeId, name: string): void {
    if (this.crashed.has(id)) return;
    (this.timers.get(id) as Map<string, number>).delete(name);
    this.node(id).step({ type: "timer", nowMs: this.localMs(id), name });
    this.process(id);
  }

  request(id: NodeId, clientId: string, seq: number, command: RaftCommand): void {
    if (this.crashed.has(id)) return;
    this.node(id).step({ type: "request", nowMs: this.localMs(id), request: { clientId, seq, command } });
    this.process(id);
  }

  crash(id: NodeId): void {
    this.crashed.add(id);
    (this.timers.get(id) as Map<string, number>).clear();
    this.inflight = this.inflight.filter((m) => m.to !== id);
  }

  restart(id: NodeId): void {
    this.crashed.delete(id);
    this.node(id).step({ type: "restart", nowMs: this.localMs(id), durable: new Map(this.durable.get(id)) });
    this.process(id);
  }

  /** The earliest armed timer among live nodes, if any. */
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

  /** Advance virtual time to the next timer and fire it. */
  fireNextTimer(): { node: NodeId; name: string } | null {
    const t = this.nextTimer();
    if (t === null) return null;
    this.nowMs = Math.max(this.nowMs, t.dueMs);
    this.fire(t.node, t.name);
    return t;
  }

  /** Process the earliest event (message delivery or timer), advancing virtual time. */
  runNextEvent(dropPercent = 0, duplicatePercent = 0): boolean {
    const t = this.nextTimer();
    let m: InFlight | null = null;
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

  /** Deliver everything in flight (FIFO) until quiet, up to `budget` messages. */
  deliverAll(budget = 10_000): number {
    let n = 0;
    while (this.inflight.length > 0 && n < budget) {
      this.deliver((this.inflight[0] as InFlight).id);
      n++;
    }
    return n;
  }

  leaders(): NodeId[] {
    return [...this.nodes.keys()].filter((id) => !this.crashed.has(id) && this.node(id).inspect().role === "leader");
  }

  /** Take the outputs recorded so far. */
  takeOutputs(): Output[] {
    const o = this.outputs;
    this.outputs = [];
    return o;
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

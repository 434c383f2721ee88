/**
 * A minimal synchronous host for Raft nodes in `stepMode: "spec"`, used by trace replay: every
 * ready is drained at once (persist, then send), the network is a list of in-flight messages the
 * replay delivers, duplicates or drops as the spec trace says, and `Restart` rebuilds a node from
 * what its storage kept.
 *
 * @module
 */
import type { Json, NodeId, Rng } from "@synod/protocol";
import { createKvNode, type RaftKvNode, type RaftMessage, type RaftOptions, type UnsafeOptions } from "@synod/raft";

/** A message sent and not yet delivered or dropped. */
export interface InFlight {
  /** Host-assigned id, unique per cluster. */
  id: number;
  /** Sender. */
  from: NodeId;
  /** Receiver. */
  to: NodeId;
  /** The message as sent (a private copy). */
  message: RaftMessage;
}

/** Deterministic RNG (mulberry32): spec-mode nodes draw only election timeouts, which replay ignores. */
export class Mulberry32 implements Rng {
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

/** Options shared by every node of a spec-mode cluster. */
export function specModeOptions(unsafe: UnsafeOptions = {}): Partial<RaftOptions> {
  return { stepMode: "spec", unsafe };
}

/** A cluster of spec-mode nodes with an explicit network. */
export class SpecCluster {
  private readonly nodes = new Map<NodeId, RaftKvNode>();
  private readonly durable = new Map<NodeId, Map<string, Json>>();
  /** Messages sent and not yet delivered or dropped, in send order. */
  inflight: InFlight[] = [];
  private nextId = 1;
  private seq = 0;

  /**
   * @param ids - the servers (all initial voters).
   * @param unsafe - the broken variant every node runs (default: none).
   */
  constructor(
    private readonly ids: readonly NodeId[],
    private readonly unsafe: UnsafeOptions = {},
  ) {
    for (const id of ids) {
      this.durable.set(id, new Map());
      this.nodes.set(id, createKvNode({ id, peers: ids.filter((x) => x !== id), rng: new Mulberry32(1), options: specModeOptions(unsafe) }));
      this.drain(id);
    }
  }

  /** The live node `id`. */
  node(id: NodeId): RaftKvNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  /** Carry out every ready of `id`: persist, then send (timers and replies are not needed here). */
  drain(id: NodeId): void {
    const n = this.node(id);
    const store = this.durable.get(id) as Map<string, Json>;
    for (let guard = 0; n.hasReady(); guard++) {
      if (guard > 100) throw new Error(`node ${id}: ready() did not settle`);
      const rd = n.ready();
      for (const w of rd.persist) {
        if ("delete" in w) store.delete(w.key);
        else store.set(w.key, structuredClone(w.value));
      }
      for (const e of rd.send) this.inflight.push({ id: this.nextId++, from: id, to: e.to, message: structuredClone(e.message) });
    }
  }

  /** Server `id`'s election timer fires (spec `Timeout(i)`). */
  timeout(id: NodeId): void {
    this.node(id).step({ type: "timer", nowMs: 0, name: "election" });
    this.drain(id);
  }

  /** A client asks `id` to put `value` (key `x`). */
  request(id: NodeId, value: string): void {
    this.seq++;
    this.node(id).step({ type: "request", nowMs: 0, request: { clientId: "conformance", seq: this.seq, command: { op: "put", key: "x", value } } });
    this.drain(id);
  }

  /** Deliver in-flight message `msgId` (consumed). */
  deliver(msgId: number): void {
    const k = this.inflight.findIndex((m) => m.id === msgId);
    if (k < 0) throw new Error(`no message ${msgId} in flight`);
    const m = this.inflight[k] as InFlight;
    this.inflight.splice(k, 1);
    this.node(m.to).step({ type: "message", nowMs: 0, from: m.from, message: structuredClone(m.message) });
    this.drain(m.to);
  }

  /** The network duplicates in-flight message `msgId` (spec `DuplicateMessage`). */
  duplicate(msgId: number): void {
    const m = this.inflight.find((x) => x.id === msgId);
    if (m === undefined) throw new Error(`no message ${msgId} in flight`);
    this.inflight.push({ ...m, id: this.nextId++, message: structuredClone(m.message) });
  }

  /** The network loses in-flight message `msgId` (spec `DropMessage`). */
  drop(msgId: number): void {
    this.inflight = this.inflight.filter((m) => m.id !== msgId);
  }

  /** Crash and restart `id`: what was not persisted is lost, volatile state rebuilt from storage. */
  restart(id: NodeId): void {
    const durable = new Map(this.durable.get(id));
    this.node(id).step({ type: "restart", nowMs: 0, durable });
    this.drain(id);
  }

  /** Run a hook (`requestVote`, `becomeLeader`, ...) and take its ready. */
  hook(id: NodeId, f: (n: RaftKvNode) => boolean): boolean {
    const ok = f(this.node(id));
    this.drain(id);
    return ok;
  }
}

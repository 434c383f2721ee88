/**
 * The replicated map, key → (payload state, version vector), with causal delivery of deltas per
 * key: a delta joins a key's state only when the state already includes the delta's dependencies
 * and the origin's previous update, so every state is the join of a causally closed set of updates
 * and its version vector names that set exactly. Deltas that arrive early wait in a bounded buffer
 * (overflow is dropped: anti-entropy repairs it). Whole states from anti-entropy always join: the
 * join of two causally closed sets is causally closed, and its vector is the pointwise maximum.
 *
 * The store keeps the Merkle tree of its keys current.
 *
 * @module
 */
import type { Json } from "@synod/protocol";
import { MerkleTree, type MerkleShape } from "./merkle.js";
import type { Delta, WireEntry } from "./messages.js";
import { payloadOf, type AnyPayload, type Dot, type PayloadChoice } from "./payload.js";
import { vvDominates, vvGet, vvJoin, vvString, vvWith, type VersionVector } from "./version-vector.js";

/** A key's replicated state. */
export interface Entry {
  state: unknown;
  vv: VersionVector;
}

/** A delta as received: with its sender (the replica it came from, not its origin). */
export interface Received {
  delta: Delta;
  from: string;
}

/**
 * What receiving one delta did: joined, found included already, left waiting for its causal past,
 * or dropped (the wait buffer is full, or a copy of it is already waiting).
 */
export type DeltaOutcome = "applied" | "known" | "buffered" | "dropped";

/** Test-only faults that make the store wrong on purpose (broken variants). */
export interface StoreFaults {
  /** Join deltas without checking their dependencies (no causal delivery). */
  ignoreCausality?: boolean;
}

/** The replicated map of one node. */
export class Store {
  readonly payloads: PayloadChoice;
  readonly tree: MerkleTree;
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Received[]>();
  private pendingCount = 0;
  private readonly maxPending: number;
  private readonly faults: StoreFaults;
  /** Per key, what each peer has reported incorporating (for causal stability). */
  private readonly reports = new Map<string, Map<string, VersionVector>>();
  /** Per key, the cut of the last compaction. */
  private readonly compactedAt = new Map<string, string>();
  /** Keys changed since the last {@link Store.takeChanged} (to persist). */
  private readonly changed = new Set<string>();

  constructor(payloads: PayloadChoice, shape: MerkleShape, maxPending: number, faults: StoreFaults = {}) {
    this.payloads = payloads;
    this.tree = new MerkleTree(shape);
    this.maxPending = maxPending;
    this.faults = faults;
  }

  /** Keys held, sorted. */
  keys(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The payload type of `key`. */
  payload(key: string): AnyPayload {
    return payloadOf(this.payloads, key);
  }

  /** The entry of `key` (the lattice bottom when nobody updated it here). */
  get(key: string): Entry {
    return this.entries.get(key) ?? { state: this.payload(key).bottom(), vv: {} };
  }

  /** Whether the key has an entry. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keys whose state changed since the last call (then forgotten). */
  takeChanged(): string[] {
    const out = [...this.changed].sort();
    this.changed.clear();
    return out;
  }

  /** Deltas waiting for their dependencies. */
  pendingDeltas(): number {
    return this.pendingCount;
  }

  /** The deltas of `key` waiting for their dependencies, with their senders. */
  pendingOf(key: string): readonly Received[] {
    return this.pending.get(key) ?? [];
  }

  /** Apply a local update made by `origin`: the delta to disseminate, and the update as applied. */
  update(key: string, op: unknown, origin: string): { delta: Delta; applied: Json } {
    const e = this.get(key);
    const p = this.payload(key);
    const dot: Dot = { origin, seq: vvGet(e.vv, origin) + 1 };
    const m = p.mutate(e.state, origin, op);
    this.put(key, { state: m.state, vv: vvWith(e.vv, origin, dot.seq) });
    return { delta: { key, dot, deps: e.vv, delta: p.toJson(m.delta) as Json }, applied: p.appliedToJson(m.applied) as Json };
  }

  /** Whether the key's state includes the update `dot`. */
  includes(key: string, dot: Dot): boolean {
    return vvGet(this.get(key).vv, dot.origin) >= dot.seq;
  }

  /**
   * Receive a delta: join it if it is next in causal order, report it known if the state includes
   * it, else buffer it. Joined deltas release buffered ones that were waiting for them; the
   * returned list holds every delta that was joined (the received one first, if it was).
   */
  receive(d: Delta, from: string): { outcome: DeltaOutcome; joined: Received[] } {
    if (this.includes(d.key, d.dot)) return { outcome: "known", joined: [] };
    if (!this.ready(d)) {
      const list = this.pending.get(d.key) ?? [];
      // A copy of a delta already waiting is dropped: one copy is all the join needs.
      if (list.some((x) => x.delta.dot.origin === d.dot.origin && x.delta.dot.seq === d.dot.seq)) return { outcome: "dropped", joined: [] };
      if (this.pendingCount >= this.maxPending) return { outcome: "dropped", joined: [] };
      list.push({ delta: d, from });
      this.pending.set(d.key, list);
      this.pendingCount++;
      return { outcome: "buffered", joined: [] };
    }
    this.join(d);
    return { outcome: "applied", joined: [{ delta: d, from }, ...this.release(d.key)] };
  }

  /**
   * Join a whole entry from a peer (anti-entropy); returns whether the local state changed, and
   * the buffered deltas it released.
   */
  mergeEntry(key: string, remote: Entry): { changed: boolean; joined: Received[] } {
    const e = this.get(key);
    if (vvDominates(e.vv, remote.vv)) return { changed: false, joined: [] };
    this.put(key, { state: this.payload(key).merge(e.state, remote.state), vv: vvJoin(e.vv, remote.vv) });
    return { changed: true, joined: this.release(key) };
  }

  /**
   * Record that `node` has incorporated the updates `vv` of `key` (it said so: an anti-entropy
   * entry it sent, a delta it forwarded). Reports only grow.
   */
  report(key: string, node: string, vv: VersionVector): void {
    let m = this.reports.get(key);
    if (m === undefined) this.reports.set(key, (m = new Map()));
    m.set(node, vvJoin(m.get(node) ?? {}, vv));
  }

  /**
   * The causally stable cut of `key` over `members` (this node included): the pointwise minimum
   * of what each has incorporated, as far as this node knows; empty while one has not reported.
   */
  stable(key: string, self: string, members: readonly string[]): VersionVector {
    const m = this.reports.get(key);
    const vvs = members.map((id) => (id === self ? this.get(key).vv : m?.get(id)));
    if (vvs.some((v) => v === undefined)) return {};
    const out: Record<string, number> = {};
    const first = vvs[0] as VersionVector;
    for (const origin of Object.keys(first)) {
      const low = Math.min(...vvs.map((v) => vvGet(v as VersionVector, origin)));
      if (low > 0) out[origin] = low;
    }
    return out;
  }

  /**
   * Compact `key`'s state at the cut `stable` with the type's `compact` (if it has one, and the
   * cut moved since the last compaction); returns whether the state changed.
   */
  compact(key: string, stable: VersionVector): boolean {
    const p = this.payload(key);
    if (p.compact === undefined || Object.keys(stable).length === 0) return false;
    const cut = vvString(stable);
    if (this.compactedAt.get(key) === cut) return false;
    this.compactedAt.set(key, cut);
    const e = this.get(key);
    const state = p.compact(e.state, new Map(Object.entries(stable)));
    // The updates it includes are the same: only metadata the cut makes redundant is gone.
    this.put(key, { state, vv: e.vv });
    return true;
  }

  /** Restore an entry from storage (no change is reported). */
  restore(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    this.tree.set(key, vvString(entry.vv));
  }

  /** An entry on the wire. */
  wire(key: string): WireEntry {
    const e = this.get(key);
    return { key, state: this.payload(key).toJson(e.state) as Json, vv: e.vv };
  }

  /** An entry as storage keeps it. */
  stored(key: string): Json {
    const e = this.get(key);
    return { state: this.payload(key).toJson(e.state) as Json, vv: e.vv as Json };
  }

  private ready(d: Delta): boolean {
    if (this.faults.ignoreCausality === true) return true;
    const vv = this.get(d.key).vv;
    return vvDominates(vv, d.deps) && vvGet(vv, d.dot.origin) === d.dot.seq - 1;
  }

  private join(d: Delta): void {
    const e = this.get(d.key);
    const p = this.payload(d.key);
    const delta = p.fromJson(d.delta, `delta ${d.dot.origin}:${d.dot.seq} of ${JSON.stringify(d.key)}`);
    this.put(d.key, { state: p.merge(e.state, delta), vv: vvJoin(vvWith(e.vv, d.dot.origin, Math.max(vvGet(e.vv, d.dot.origin), d.dot.seq)), this.faults.ignoreCausality === true ? {} : d.deps) });
  }

  /** Join every buffered delta of `key` that is now ready (or known), until none is. */
  private release(key: string): Received[] {
    const joined: Received[] = [];
    for (let progress = true; progress; ) {
      progress = false;
      const list = this.pending.get(key);
      if (list === undefined) break;
      for (let i = 0; i < list.length; i++) {
        const r = list[i] as Received;
        const d = r.delta;
        const known = this.includes(key, d.dot);
        if (!known && !this.ready(d)) continue;
        list.splice(i, 1);
        this.pendingCount--;
        if (!known) {
          this.join(d);
          joined.push(r);
        }
        progress = true;
        break;
      }
      if (list.length === 0) this.pending.delete(key);
    }
    return joined;
  }

  private put(key: string, e: Entry): void {
    this.entries.set(key, e);
    this.tree.set(key, vvString(e.vv));
    this.changed.add(key);
  }
}

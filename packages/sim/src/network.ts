/**
 * The network's state and decisions: per-link latency, loss and duplication (with per-link
 * overrides), partitions and one-way cuts, FIFO ordering, and fault-time changes to all of these.
 * Each directed link draws from its own random stream, so traffic on one link never shifts the
 * randomness of another.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { LatencyDistribution } from "./latency.js";
import { sampleLatencyUs } from "./latency.js";
import type { NetworkOptions } from "./options.js";
import { SeededRng } from "@synod/protocol";

/** Network state for `n` nodes, addressed by node index; link `(a, b)` is slot `a * n + b`. */
export class Network {
  private readonly n: number;
  private readonly seed: number;
  private readonly nodes: readonly NodeId[];
  private readonly configured: { latency: LatencyDistribution; loss: number; duplicate: number };
  private latency: LatencyDistribution;
  private loss: number;
  private duplicate: number;
  private readonly linkLatency: (LatencyDistribution | undefined)[];
  private readonly byType: ReadonlyMap<string, LatencyDistribution>;
  private readonly linkLoss: (number | undefined)[];
  private readonly linkDuplicate: (number | undefined)[];
  private readonly rngs: (SeededRng | undefined)[];
  /** Partition group of each node; messages cross groups only when equal. */
  private readonly group: Int32Array;
  /** One-way cuts: `cut[a * n + b] === 1` drops a → b. */
  private readonly cut: Uint8Array;
  private partitioned = false;
  private anyCut = false;
  /** With FIFO links: the latest delivery time scheduled on each link. */
  private readonly lastDeliveryUs: Float64Array | null;

  /** @param seed the run's seed; @param nodes node ids by index; @param options the network options. */
  constructor(seed: number, nodes: readonly NodeId[], options: NetworkOptions) {
    const n = nodes.length;
    this.n = n;
    this.seed = seed;
    this.nodes = nodes;
    this.configured = {
      latency: options.latency,
      loss: options.lossProbability ?? 0,
      duplicate: options.duplicateProbability ?? 0,
    };
    this.latency = this.configured.latency;
    this.loss = this.configured.loss;
    this.duplicate = this.configured.duplicate;
    this.linkLatency = new Array<LatencyDistribution | undefined>(n * n).fill(undefined);
    this.linkLoss = new Array<number | undefined>(n * n).fill(undefined);
    this.linkDuplicate = new Array<number | undefined>(n * n).fill(undefined);
    this.rngs = new Array<SeededRng | undefined>(n * n).fill(undefined);
    this.group = new Int32Array(n);
    this.cut = new Uint8Array(n * n);
    this.lastDeliveryUs = options.fifo === true ? new Float64Array(n * n) : null;
    this.byType = new Map(Object.entries(options.byMessageType ?? {}));
    const index = new Map(nodes.map((id, i) => [id, i]));
    for (const link of options.links ?? []) {
      for (let a = 0; a < n; a++) {
        if (link.from !== "*" && index.get(link.from) !== a) continue;
        for (let b = 0; b < n; b++) {
          if (link.to !== "*" && index.get(link.to) !== b) continue;
          const slot = a * n + b;
          if (link.latency !== undefined) this.linkLatency[slot] = link.latency;
          if (link.lossProbability !== undefined) this.linkLoss[slot] = link.lossProbability;
          if (link.duplicateProbability !== undefined) this.linkDuplicate[slot] = link.duplicateProbability;
        }
      }
    }
  }

  /** True when messages from node `a` to node `b` are currently dropped by a partition or cut. */
  blocked(a: number, b: number): boolean {
    if (this.partitioned && this.group[a] !== this.group[b]) return true;
    return this.anyCut && this.cut[a * this.n + b] === 1;
  }

  /** The random stream of link a → b (created on first use). */
  rng(a: number, b: number): SeededRng {
    const slot = a * this.n + b;
    let r = this.rngs[slot];
    if (r === undefined) {
      r = SeededRng.derive(this.seed, `link:${this.nodes[a]}>${this.nodes[b]}`);
      this.rngs[slot] = r;
    }
    return r;
  }

  /** Decide whether a message on a → b is lost. */
  lost(a: number, b: number, rng: SeededRng): boolean {
    const p = this.linkLoss[a * this.n + b] ?? this.loss;
    return p > 0 && rng.chance(p);
  }

  /** Decide whether a message on a → b is duplicated. */
  duplicated(a: number, b: number, rng: SeededRng): boolean {
    const p = this.linkDuplicate[a * this.n + b] ?? this.duplicate;
    return p > 0 && rng.chance(p);
  }

  /**
   * The delivery time (µs) of `message`, sent on a → b at `nowUs`, honouring FIFO links: its
   * type's latency if `byMessageType` names it, else the link's, else the network's.
   */
  deliveryTimeUs(a: number, b: number, nowUs: number, rng: SeededRng, message?: unknown): number {
    const slot = a * this.n + b;
    const type = this.byType.size === 0 ? undefined : (message as { type?: unknown } | null)?.type;
    const byType = typeof type === "string" ? this.byType.get(type) : undefined;
    let at = nowUs + sampleLatencyUs(byType ?? this.linkLatency[slot] ?? this.latency, rng);
    const last = this.lastDeliveryUs;
    if (last !== null) {
      if (at < (last[slot] as number)) at = last[slot] as number;
      last[slot] = at;
    }
    return at;
  }

  /** Split into groups (by node index); nodes in no group form one more group. */
  partition(groups: readonly (readonly number[])[]): void {
    this.group.fill(groups.length);
    groups.forEach((g, gi) => {
      for (const node of g) this.group[node] = gi;
    });
    this.partitioned = true;
  }

  /** Drop messages from every node in `from` to every node in `to`. */
  cutLinks(from: readonly number[], to: readonly number[]): void {
    for (const a of from) for (const b of to) if (a !== b) this.cut[a * this.n + b] = 1;
    this.anyCut = true;
  }

  /** True when a partition or a cut is in force. */
  get faulty(): boolean {
    return this.partitioned || this.anyCut;
  }

  /** Remove every partition and cut. */
  heal(): void {
    this.group.fill(0);
    this.cut.fill(0);
    this.partitioned = false;
    this.anyCut = false;
  }

  /** Set the network-wide loss probability (`null`: the configured one). Returns the old value. */
  setLoss(p: number | null): number {
    const old = this.loss;
    this.loss = p ?? this.configured.loss;
    return old;
  }

  /** Set the network-wide duplication probability (`null`: the configured one). */
  setDuplicate(p: number | null): number {
    const old = this.duplicate;
    this.duplicate = p ?? this.configured.duplicate;
    return old;
  }

  /** Set the network-wide latency (`null`: the configured one). Per-link overrides still win. */
  setLatency(d: LatencyDistribution | null): void {
    this.latency = d ?? this.configured.latency;
  }
}

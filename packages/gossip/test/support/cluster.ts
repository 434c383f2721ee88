/** A TestCluster of gossip nodes and a loop that runs it under faults, for the node's tests. */
import type { Json, NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { GossipNode, type GossipCommand, type GossipMessage, type GossipOptions, type GossipResult } from "../../src/index.js";
import { testCounter } from "./gcounter.js";

export type GossipCluster = TestCluster<GossipMessage, GossipCommand, GossipResult, GossipNode>;

/** `n1..nN` gossiping a test G-Counter with `options`. */
export function gossipCluster(n: number, seed: number, options: Partial<GossipOptions> = {}, latencyMs: [number, number] = [1, 5]): GossipCluster {
  const ids = Array.from({ length: n }, (_, k) => `n${k + 1}`);
  return new TestCluster({ ids, seed, latencyMs, create: (id, peers, rng) => new GossipNode({ id, peers, rng, options: { payload: testCounter, ...options } }) });
}

/** Faults while running. */
export interface RunFaults {
  dropPercent?: number;
  duplicatePercent?: number;
  /** Whether a message from → to is cut (a partition). */
  cut?: (from: NodeId, to: NodeId) => boolean;
}

/** Run events until virtual time `untilMs` (or nothing is left). */
export function runUntil(c: GossipCluster, untilMs: number, faults: RunFaults = {}): void {
  for (let guard = 0; guard < 2_000_000; guard++) {
    if (faults.cut !== undefined) c.inflight = c.inflight.filter((m) => !faults.cut?.(m.from, m.to));
    const t = c.nextTimer();
    const m = c.inflight.reduce<number | null>((best, x) => (best === null || x.deliverAtMs < best ? x.deliverAtMs : best), null);
    const next = Math.min(t?.dueMs ?? Infinity, m ?? Infinity);
    if (next > untilMs) {
      c.nowMs = untilMs;
      return;
    }
    c.runNextEvent(faults.dropPercent ?? 0, faults.duplicatePercent ?? 0);
  }
  throw new Error("runUntil: event budget exhausted");
}

/** Increment `key` by 1 at `node` as client `client`. */
export function inc(c: GossipCluster, node: NodeId, key: string, client = "c", seq = 1): void {
  c.request(node, client, seq, { op: "update", key, update: { inc: 1 } as Json });
}

/** Every live node's value of `key`. */
export function values(c: GossipCluster, key: string): Record<string, Json> {
  return Object.fromEntries(c.live().map((id) => [id, c.node(id).read(key)]));
}

/** Whether every live node has the same Merkle root (equal version vectors for every key). */
export function converged(c: GossipCluster): boolean {
  return new Set(c.live().map((id) => c.node(id).merkleRoot())).size === 1;
}

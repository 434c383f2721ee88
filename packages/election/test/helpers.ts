/** Test helpers: clusters of election nodes on the testkit's manual network, and message counts. */
import type { NodeId, ProtocolNode } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import type { Elector } from "../src/elector.js";
import type { LeadCommand, LeadResult } from "../src/messages.js";

export type ElectorNode<M> = ProtocolNode<M, LeadCommand, LeadResult> & Elector & { sent: Map<string, number> };
export type Cluster<M> = TestCluster<M, LeadCommand, LeadResult, ElectorNode<M>>;

/** Node ids n1..nN. */
export const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, k) => `n${k + 1}`);

/** Run events until virtual time `untilMs` (or nothing is left), at most `budget` events. */
export function runUntil<M>(c: Cluster<M>, untilMs: number, budget = 200_000): void {
  for (let k = 0; k < budget; k++) {
    const t = c.nextTimer();
    const m = c.inflight.reduce<number | null>((best, x) => (best === null || x.deliverAtMs < best ? x.deliverAtMs : best), null);
    const next = Math.min(t?.dueMs ?? Infinity, m ?? Infinity);
    if (next > untilMs) {
      c.nowMs = Math.max(c.nowMs, untilMs);
      return;
    }
    if (!c.runNextEvent()) return;
  }
  throw new Error(`runUntil: more than ${budget} events`);
}

/** Messages of `types` sent by every node since the counters were last reset. */
export function countSent<M>(c: Cluster<M>, types: readonly string[]): number {
  let n = 0;
  for (const node of c.nodes.values()) for (const t of types) n += node.sent.get(t) ?? 0;
  return n;
}

/** Reset every node's send counters. */
export function resetCounts<M>(c: Cluster<M>): void {
  for (const node of c.nodes.values()) node.sent.clear();
}

/** The leader each live node believes in. */
export function leaders<M>(c: Cluster<M>): (NodeId | null)[] {
  return c.live().map((id) => c.node(id).leader());
}

/** Deliver every message in flight (FIFO) without firing timers, until none is left. */
export function drain<M>(c: Cluster<M>, budget = 1_000_000): void {
  if (c.deliverAll(budget) >= budget) throw new Error("drain: budget exhausted");
}

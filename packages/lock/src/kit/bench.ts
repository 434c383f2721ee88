/**
 * The lock's bench rows: lock acquisitions per second of virtual time and messages per
 * acquisition, Redlock (with its token counter) against the ZooKeeper recipe (over one
 * coordination server, and over a 3-replica Raft cluster hosting the tree), with closed-loop
 * clients contending for one lock on a manual network with a fixed one-way latency and no faults.
 * Every figure is simulated and deterministic (same inputs, same figures).
 *
 * @module
 */
import type { BenchPart, BenchRow } from "@synod/conformance";
import type { NodeId, ProtocolNode, Rng } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { createLockNode, createZkNode } from "../index.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import { ZK_RAFT_OPTIONS } from "./zk-histories.js";

/** One-way latency of every message in the bench, in ms. */
export const BENCH_LATENCY_MS = 1;

/** What one bench run measured. */
export interface LockCost {
  /** Acquisitions completed (a holding that wrote and let go). */
  acquisitions: number;
  /** Acquisitions per second of virtual time. */
  perSecond: number;
  /** Messages sent per acquisition (heartbeats, retries and failed attempts included). */
  messagesPerAcquisition: number;
}

type AnyNode = ProtocolNode<LockMessage, LockCommand, LockResult>;

/** What {@link lockCost} runs: Redlock, the recipe over one coordination server, or over a Raft-replicated tree. */
export type LockKind = "redlock" | "zk" | "zk-raft";

const RAFT_REPLICAS = ["r1", "r2", "r3"];

/**
 * Run `clients` closed-loop clients until `acquisitions` holdings completed, on Redlock (3 stores,
 * a 5-tick lease of 10 ms) or on the ZooKeeper recipe (60 ms sessions) over one server (`zk`) or
 * over 3 Raft replicas (`zk-raft`; the election is part of the run).
 */
export function lockCost(kind: LockKind, clients: number, acquisitions: number): LockCost {
  const cl = Array.from({ length: clients }, (_, k) => `c${k + 1}`);
  const ids: NodeId[] = kind === "redlock" ? ["s1", "s2", "s3", "counter", "storage", ...cl] : kind === "zk" ? ["coord", "storage", ...cl] : [...RAFT_REPLICAS, "storage", ...cl];
  const zk = { storage: "storage", clients: cl, sessionTtlMs: 60, heartbeatMs: 15, expireEveryMs: 10, workMs: 1, resendMs: 15 };
  const create = (id: NodeId, _peers: NodeId[], rng: Rng): AnyNode =>
    kind === "redlock"
      ? createLockNode(id, { stores: ["s1", "s2", "s3"], counter: "counter", storage: "storage", clients: cl, tickMs: 10, ttlTicks: 5, workMs: 1, resendMs: 15 }, rng)
      : kind === "zk"
        ? createZkNode(id, { coord: "coord", ...zk })
        : createZkNode(id, { coord: RAFT_REPLICAS, raft: { ...ZK_RAFT_OPTIONS }, ...zk }, rng);
  const c = new TestCluster<LockMessage, LockCommand, LockResult, AnyNode>({ ids, seed: 1, latencyMs: [BENCH_LATENCY_MS, BENCH_LATENCY_MS], create });
  let seq = 0;
  cl.forEach((id) => c.request(id, `app-${id}`, ++seq, { op: "work", value: id }));
  let done = 0;
  let messages = 0;
  for (let k = 0; k < 5_000_000 && done < acquisitions; k++) {
    if (!c.runNextEvent()) throw new Error(`lock bench (${kind}): the cluster went quiet after ${done} acquisitions`);
    for (const o of c.takeOutputs()) {
      if (o.kind === "send") messages++;
      if (o.kind !== "reply") continue;
      if (o.reply.ok) done++;
      // Closed loop: the client asks again at once (a failed attempt is retried as a new request).
      c.request(o.node, o.reply.clientId, ++seq, { op: "work", value: o.node });
    }
  }
  if (done < acquisitions) throw new Error(`lock bench (${kind}): only ${done} of ${acquisitions} acquisitions within the event budget`);
  return { acquisitions: done, perSecond: (done / c.nowMs) * 1000, messagesPerAcquisition: messages / done };
}

const CASE: Record<LockKind, string> = {
  redlock: "Redlock (3 stores, 50 ms lease, keys deleted on release)",
  zk: "ZooKeeper recipe (one coordination server)",
  "zk-raft": "ZooKeeper recipe (tree replicated by 3 Raft nodes)",
};

/** The bench rows. */
export const bench: BenchPart = {
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const n = quick ? 50 : 500;
    for (const clients of quick ? [1, 4] : [1, 4, 16]) {
      for (const kind of ["redlock", "zk", "zk-raft"] as const) {
        const r = lockCost(kind, clients, n);
        log(`lock: ${kind}, ${clients} clients: ${r.perSecond.toFixed(1)} acquisitions/s, ${r.messagesPerAcquisition.toFixed(1)} messages each`);
        rows.push({
          case: `${CASE[kind]}, ${clients} client${clients > 1 ? "s" : ""}, ${n} acquisitions, ${BENCH_LATENCY_MS} ms one-way, simulated`,
          figures: { "acquisitions/s": r.perSecond.toFixed(1), "messages/acquisition": r.messagesPerAcquisition.toFixed(1) },
          quoted:
            kind === "redlock"
              ? "uncontended: 2N (SET to N stores and answers) + 2 (token) + 2 (write) + N (DEL) = 13 messages for N = 3; a refused attempt backs off a random delay"
              : kind === "zk"
                ? "uncontended: create, children, write, delete = 8 messages plus heartbeats; a waiter adds watch, event and children (no herd: one waiter woken per release)"
                : "as the single server, plus Raft's replication of every tree write (heartbeats and expiries included) to 2 followers and ReadIndex rounds for children",
        });
      }
    }
    return rows;
  },
};

/**
 * Two-phase commit's own bench rows (printed in `pnpm bench`'s shared table): messages and
 * message delays of one transaction for n RMs, and the blocking window — how long prepared RMs
 * stay in doubt when the TM crashes after they voted, as a function of the TM's downtime.
 *
 * Runs on the manual-network host with a fixed one-way latency, so the figures are exact and
 * reproducible (virtual time, no wall clock).
 *
 * @module
 */
import type { BenchPart, BenchRow } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { createNode, type TwoPcNode } from "../index.js";
import type { TwoPcCommand, TwoPcMessage, TwoPcResult } from "../messages.js";
import type { ResourceManager } from "../rm.js";

type Cluster = TestCluster<TwoPcMessage, TwoPcCommand, TwoPcResult, TwoPcNode>;

/** One-way latency of every message in the bench, ms. */
export const BENCH_LATENCY_MS = 5;
const INQUIRE_MS = 60;

function cluster(rms: number): { c: Cluster; rmIds: NodeId[] } {
  const rmIds = Array.from({ length: rms }, (_, k) => `r${k + 1}`);
  const c: Cluster = new TestCluster({
    ids: ["tm", ...rmIds],
    seed: 1,
    latencyMs: [BENCH_LATENCY_MS, BENCH_LATENCY_MS],
    create: (id) => createNode(id, { tm: "tm", rms: rmIds, inquireMs: INQUIRE_MS, voteTimeoutMs: 10_000 }),
  });
  return { c, rmIds };
}

const decided = (c: Cluster, rmIds: readonly NodeId[], txn: string): boolean =>
  rmIds.every((r) => ["committed", "aborted"].includes((c.node(r) as ResourceManager).record(txn)?.state ?? ""));

/** Messages and delays of one fault-free transaction over `rms` RMs. */
export function transactionCost(rms: number): { messages: number; replyDelays: number; decidedDelays: number } {
  const { c, rmIds } = cluster(rms);
  c.request("tm", "c1", 1, { op: "txn", refuse: [] });
  let messages = 0;
  let replyMs: number | null = null;
  for (let k = 0; k < 100_000 && !decided(c, rmIds, "0.1"); k++) {
    if (!c.runNextEvent()) throw new Error("2pc bench: the transaction did not finish");
    for (const o of c.takeOutputs()) {
      if (o.kind === "send") messages++;
      if (o.kind === "reply" && replyMs === null) replyMs = c.nowMs;
    }
  }
  messages += c.takeOutputs().filter((o) => o.kind === "send").length;
  if (replyMs === null) throw new Error("2pc bench: the client was not answered");
  return { messages, replyDelays: replyMs / BENCH_LATENCY_MS, decidedDelays: c.nowMs / BENCH_LATENCY_MS };
}

/**
 * The TM crashes once every RM has prepared (before it hears the votes) and restarts after
 * `downMs`: how long each RM was in doubt (prepared, undecided), in ms.
 */
export function blockingWindow(rms: number, downMs: number): number[] {
  const { c, rmIds } = cluster(rms);
  c.request("tm", "c1", 1, { op: "txn", refuse: [] });
  const preparedAt = new Map<NodeId, number>();
  const decidedAt = new Map<NodeId, number>();
  let restartAt: number | null = null;
  let crashed = false;
  for (let k = 0; k < 100_000 && decidedAt.size < rms; k++) {
    const due = Math.min(c.nextTimer()?.dueMs ?? Infinity, ...c.inflight.map((m) => m.deliverAtMs));
    if (restartAt !== null && due >= restartAt) {
      c.nowMs = restartAt;
      restartAt = null;
      c.restart("tm");
    } else if (!c.runNextEvent()) throw new Error("2pc bench: the blocked transaction never finished");
    for (const r of rmIds) {
      const s = (c.node(r) as ResourceManager).record("0.1")?.state;
      if (s === "prepared" && !preparedAt.has(r)) preparedAt.set(r, c.nowMs);
      if ((s === "committed" || s === "aborted") && !decidedAt.has(r)) decidedAt.set(r, c.nowMs);
    }
    if (!crashed && preparedAt.size === rms) {
      crashed = true;
      c.crash("tm");
      restartAt = c.nowMs + downMs;
    }
  }
  return rmIds.map((r) => (decidedAt.get(r) ?? NaN) - (preparedAt.get(r) ?? NaN));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/** The bench rows. */
export const bench: BenchPart = {
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    for (const n of quick ? [2, 4] : [2, 4, 8, 16, 32]) {
      const t = transactionCost(n);
      log(`2pc: n = ${n}: ${t.messages} messages`);
      rows.push({
        case: `one transaction, n = ${n} RMs, no faults (${BENCH_LATENCY_MS} ms one-way)`,
        figures: { messages: String(t.messages), "client answered after": `${t.replyDelays} message delays`, "every RM decided after": `${t.decidedDelays} message delays` },
        quoted: "3n messages (prepare, vote, decision); the coordinator decides after 2 message delays, the RMs learn it after 3 (Gray & Lamport 2006)",
      });
    }
    for (const downMs of quick ? [100] : [100, 500, 2000]) {
      const w = blockingWindow(3, downMs);
      log(`2pc: blocking window with the TM down ${downMs} ms: ${w.join(", ")} ms`);
      rows.push({
        case: `blocking window: TM down ${downMs} ms after 3 RMs prepared`,
        figures: { "in doubt, median": `${median(w)} ms`, "in doubt, max": `${Math.max(...w)} ms` },
        quoted: `at least the TM's downtime; at most downtime + one inquiry period (${INQUIRE_MS} ms) + one round trip`,
      });
    }
    return rows;
  },
};

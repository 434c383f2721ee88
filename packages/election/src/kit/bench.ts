/**
 * The election bench rows (printed in `pnpm bench`'s shared table): messages per election for
 * n = 4 to 64 for each algorithm, against the published bounds, and the time to a new leader
 * after the leader crashes.
 *
 * Everything runs on the manual-network host in virtual time (seeded, reproducible, no wall
 * clock): elections with FIFO delivery, failover with a uniform 1–5 ms one-way latency and each
 * algorithm's default timing (heartbeat 50 ms and leader timeout 150–300 ms for Bully and ring;
 * lease 100 ms, renewal 25 ms, election timeout 150–300 ms and drift bound 5% for leases).
 *
 * @module
 */
import type { BenchPart, BenchRow } from "@synod/conformance";
import { SeededRng, type NodeId, type ProtocolNode } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { BullyNode } from "../bully.js";
import type { Elector } from "../elector.js";
import { LeaseNode } from "../lease.js";
import type { LeadCommand, LeadResult } from "../messages.js";
import { RingNode } from "../ring.js";

type Node = ProtocolNode<unknown, LeadCommand, LeadResult> & Elector & { sent: Map<string, number> };
type Cluster = TestCluster<unknown, LeadCommand, LeadResult, Node>;
/** The algorithms the bench compares. */
export type Algorithm = "bully" | "ring" | "lease";

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, k) => `n${k + 1}`);
const FAR = { min: 1_000_000, max: 1_000_000 };

function make(algorithm: Algorithm, members: NodeId[], opts: { ring?: NodeId[]; quiet?: boolean; seed?: number; latencyMs?: [number, number] }): Cluster {
  const create = (id: NodeId, _peers: NodeId[], rng: SeededRng): Node => {
    const quiet = opts.quiet ? { leaderTimeoutMs: FAR } : {};
    switch (algorithm) {
      case "bully":
        return new BullyNode(id, { members, ...quiet }, rng) as unknown as Node;
      case "ring":
        return new RingNode(id, { members, ...(opts.ring ? { ring: opts.ring } : {}), ...quiet }, rng) as unknown as Node;
      case "lease":
        return new LeaseNode(id, { members, ...(opts.quiet ? { electionTimeoutMs: FAR } : {}) }, rng) as unknown as Node;
    }
  };
  return new TestCluster<unknown, LeadCommand, LeadResult, Node>({ ids: members, seed: opts.seed ?? 1, latencyMs: opts.latencyMs ?? [0, 0], create });
}

const count = (c: Cluster, types: readonly string[]): number => [...c.nodes.values()].reduce((s, n) => s + types.reduce((t, ty) => t + (n.sent.get(ty) ?? 0), 0), 0);

/** Deliver everything in flight, firing only timers due before `untilMs`, FIFO. */
function settle(c: Cluster, untilMs: number): void {
  for (let guard = 0; guard < 10_000_000; guard++) {
    if (c.inflight.length > 0) c.deliver(c.inflight[0]!.id);
    else {
      const t = c.nextTimer();
      if (t === null || t.dueMs > untilMs) return;
      c.fireNextTimer();
    }
  }
  throw new Error("election bench: no quiet state");
}

/**
 * Messages of one election on an idle cluster of `n`, FIFO delivery. Bully: the lowest node starts
 * (the worst case). Ring: every node starts, on the worst ring (ids decreasing clockwise) or, with
 * `rng`, a random one. Lease: one node campaigns (Campaign + Grant).
 */
export function electionCost(algorithm: Algorithm, n: number, rng?: SeededRng): number {
  const members = ids(n);
  let ring: NodeId[] | undefined;
  if (algorithm === "ring") {
    ring = [...members].reverse();
    if (rng !== undefined) {
      for (let i = ring.length - 1; i > 0; i--) {
        const j = rng.nextInt(0, i);
        [ring[i], ring[j]] = [ring[j] as NodeId, ring[i] as NodeId];
      }
    }
  }
  const c = make(algorithm, members, { quiet: true, ...(ring ? { ring } : {}) });
  const starters = algorithm === "ring" ? (ring as NodeId[]) : ["n1"];
  for (const s of starters) {
    const node = c.node(s);
    if (node instanceof LeaseNode) node.campaign(0);
    else (node as unknown as BullyNode | RingNode).startElection();
    c.process(s);
  }
  settle(c, 500);
  const top = algorithm === "lease" ? "n1" : `n${n}`;
  if (!c.live().every((id) => c.node(id).leader() === top)) throw new Error(`election bench: ${algorithm} n=${n} did not agree on ${top}`);
  const types = algorithm === "bully" ? ["Election", "Answer", "Coordinator"] : algorithm === "ring" ? ["Election", "Elected"] : ["Campaign", "Grant"];
  return count(c, types);
}

/** Whether the cluster has settled on a leader other than `old`: every live node agrees, and (leases) it holds a valid lease. */
function newLeader(c: Cluster, algorithm: Algorithm, old: NodeId): boolean {
  const live = c.live();
  if (algorithm === "lease") return live.some((id) => id !== old && c.node(id).isLeader(c.localMs(id)));
  const l = c.node(live[0] as NodeId).leader();
  return l !== null && l !== old && live.every((id) => c.node(id).leader() === l && (id !== l || c.node(id).isLeader(0)));
}

/** Virtual ms from the leader's crash to a new leader, for `seeds` seeds of a cluster of `n`. */
export function failoverTimes(algorithm: Algorithm, n: number, seeds: number): number[] {
  const out: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const c = make(algorithm, ids(n), { seed, latencyMs: [1, 5] });
    const step = (): void => {
      if (!c.runNextEvent()) throw new Error("election bench: nothing to do");
    };
    while (c.nowMs < 1500) step();
    const old = c.live().find((id) => c.node(id).isLeader(c.localMs(id)));
    if (old === undefined) throw new Error(`election bench: ${algorithm} seed ${seed} has no leader at 1500 ms`);
    c.crash(old);
    const t0 = c.nowMs;
    while (!newLeader(c, algorithm, old)) {
      if (c.nowMs > t0 + 10_000) throw new Error(`election bench: ${algorithm} seed ${seed} found no new leader within 10 s`);
      step();
    }
    out.push(c.nowMs - t0);
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
const harmonic = (n: number): number => Array.from({ length: n }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b, 0);

/** The rows. */
export const bench: BenchPart = {
  async run({ quick, log }): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const sizes = quick ? [4, 16] : [4, 8, 16, 32, 64];
    for (const n of sizes) {
      rows.push({ case: `Bully: messages per election, lowest node starts, n = ${n}`, figures: { messages: String(electionCost("bully", n)) }, quoted: `Θ(n²) worst case; this variant's bound n² + n − 3 = ${n * n + n - 3}` });
      rows.push({ case: `ring: messages per election, all start, worst ring, n = ${n}`, figures: { messages: String(electionCost("ring", n)) }, quoted: `n(n+1)/2 Election + n Elected = ${(n * (n + 1)) / 2 + n}` });
      const rings = quick ? 5 : 50;
      const rng = SeededRng.derive(1, `ring-average-${n}`);
      const costs = Array.from({ length: rings }, () => electionCost("ring", n, rng));
      rows.push({ case: `ring: messages per election, all start, ${rings} random rings, n = ${n}`, figures: { mean: (costs.reduce((a, b) => a + b, 0) / rings).toFixed(1) }, quoted: `O(n log n): n·H_n + n = ${(n * harmonic(n) + n).toFixed(1)}` });
      rows.push({ case: `lease: messages per election, one candidate, n = ${n}`, figures: { messages: String(electionCost("lease", n)) }, quoted: `2(n − 1) = ${2 * (n - 1)}` });
      log(`election bench: n = ${n} done`);
    }
    const seeds = quick ? 5 : 41;
    for (const algorithm of ["bully", "ring", "lease"] as const) {
      const t = failoverTimes(algorithm, 5, seeds);
      rows.push({
        case: `${algorithm}: time to a new leader after the leader crashes, n = 5, ${seeds} seeds (virtual time)`,
        figures: { median: `${median(t).toFixed(1)} ms`, p90: `${percentile(t, 0.9).toFixed(1)} ms`, max: `${Math.max(...t).toFixed(1)} ms` },
        quoted: algorithm === "lease" ? "election timeout 150–300 ms + vote round trip + wait 111 ms" : "leader timeout 150–300 ms + the election's message delays",
      });
      log(`election bench: failover ${algorithm} done`);
    }
    return rows;
  },
};

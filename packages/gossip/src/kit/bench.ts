/**
 * Gossip's own bench rows (printed in `pnpm bench`'s shared table):
 *
 * 1. **Dissemination**: rounds and messages until every node has one update, for N = 16 … 1,024
 *    nodes and fanout 1 … 4, against the ~log N rounds the epidemic literature quotes. Runs the
 *    real {@link GossipNode} under a lightweight synchronous round driver (not `@synod/sim`: at
 *    1,024 nodes a round is ~10⁴ messages, and the driver needs no latency model, so each round
 *    delivers everything sent in it, replies included). The default configuration: push-pull
 *    rumor mongering with the feedback / counter stop rule, anti-entropy every 5 rounds.
 * 2. **Anti-entropy bytes**: JSON bytes of one Merkle exchange against one full-state exchange
 *    between two replicas whose maps (G-Counters) differ in 1% of the keys.
 * 3. **Convergence after a partition heals**: `@synod/sim` (latency 1–10 ms, default timers), the
 *    cluster split in halves for 2 s with updates on both sides, then healed: virtual ms from the
 *    heal until every replica holds the same state.
 *
 * Every figure is seeded and reproducible; medians over the seeds.
 *
 * @module
 */
import type { BenchPart, BenchRow } from "@synod/conformance";
import { gCounter } from "@synod/crdt";
import { SeededRng, type Json, type NodeId } from "@synod/protocol";
import { Simulation } from "@synod/sim";
import type { GossipCommand, GossipMessage, GossipResult } from "../messages.js";
import { ENTRY_PREFIX, GossipNode } from "../node.js";
import type { GossipOptions } from "../options.js";

/** The median of a non-empty list. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** What one dissemination run measured. */
export interface Dissemination {
  /** Rounds until every node included the update (null: not within the round budget). */
  rounds: number | null;
  /** Messages sent until then (probes excluded: SWIM is off in this driver). */
  messages: number;
  /** Nodes that have the update at the end (with anti-entropy off: those the rumors alone reached before dying out). */
  rumorReach: number;
}

/**
 * Spread one update from `n1` through `n` nodes, in synchronous rounds: each round every node
 * takes its `gossip` timer (and every `aeEvery` rounds its `anti-entropy` timer), then every
 * message sent in the round — replies too — is delivered, in order.
 */
export function disseminate(n: number, fanout: number, seed: number, options: Partial<GossipOptions> = {}, aeEvery = 5, maxRounds = 200): Dissemination {
  const ids = Array.from({ length: n }, (_, k) => `n${k + 1}`);
  const nodes = new Map<NodeId, GossipNode>();
  for (const id of ids) nodes.set(id, new GossipNode({ id, peers: ids, rng: SeededRng.derive(seed, `node:${id}`), options: { payload: gCounter, swim: null, fanout, ...options } }));
  const queue: { from: NodeId; to: NodeId; message: GossipMessage }[] = [];
  let messages = 0;
  const drain = (id: NodeId): void => {
    const node = nodes.get(id) as GossipNode;
    if (!node.hasReady()) return;
    for (const e of node.ready().send) {
      queue.push({ from: id, to: e.to, message: e.message });
      messages++;
    }
  };
  for (const id of ids) nodes.get(id)?.ready(); // the initial timers: the driver keeps its own rounds
  (nodes.get("n1") as GossipNode).step({ type: "request", nowMs: 0, request: { clientId: "bench", seq: 1, command: { op: "update", key: "x", update: { type: "inc" } } } });
  drain("n1");
  const has = (id: NodeId): boolean => (nodes.get(id) as GossipNode).includes("x", "n1", 1);
  for (let round = 1; round <= maxRounds; round++) {
    const ae = options.antiEntropy !== "off" && round % aeEvery === 0;
    for (const id of ids) {
      const node = nodes.get(id) as GossipNode;
      node.step({ type: "timer", nowMs: round, name: "gossip" });
      if (ae) node.step({ type: "timer", nowMs: round, name: "anti-entropy" });
      drain(id);
    }
    for (let k = 0; k < queue.length; k++) {
      const m = queue[k] as (typeof queue)[number];
      (nodes.get(m.to) as GossipNode).step({ type: "message", nowMs: round, from: m.from, message: m.message });
      drain(m.to);
    }
    queue.length = 0;
    const reached = ids.filter(has).length;
    if (options.antiEntropy === "off" && ids.every((id) => (nodes.get(id) as GossipNode).backlog().hotRumors === 0)) return { rounds: reached === n ? round : null, messages, rumorReach: reached };
    if (reached === n) return { rounds: round, messages, rumorReach: reached };
  }
  return { rounds: null, messages, rumorReach: ids.filter(has).length };
}

/** JSON bytes of one anti-entropy exchange between replicas of `keys` counters, `diverged` of them apart. */
export function antiEntropyBytes(keys: number, diverged: number, options: Partial<GossipOptions>): { bytes: number; messages: number; repaired: number } {
  const durable = (ahead: boolean): Map<string, Json> => {
    const m = new Map<string, Json>();
    const every = Math.floor(keys / diverged);
    for (let k = 0; k < keys; k++) {
      const n = ahead && k % every === 0 && k / every < diverged ? 2 : 1;
      m.set(`${ENTRY_PREFIX}key-${k}`, { state: { n0: n }, vv: { n0: n } });
    }
    return m;
  };
  const make = (id: NodeId, ahead: boolean): GossipNode => {
    const node = new GossipNode({ id, peers: ["a", "b"], rng: SeededRng.derive(1, id), durable: durable(ahead), options: { payload: gCounter, swim: null, ...options } });
    node.ready();
    node.countBytes = true;
    return node;
  };
  const nodes = { a: make("a", true), b: make("b", false) };
  const queue: { from: NodeId; to: NodeId; message: GossipMessage }[] = [];
  const drain = (id: "a" | "b"): void => {
    for (const e of nodes[id].ready().send) queue.push({ from: id, to: e.to, message: e.message });
  };
  nodes.b.step({ type: "timer", nowMs: 0, name: "anti-entropy" });
  drain("b");
  for (let k = 0; k < queue.length; k++) {
    const m = queue[k] as (typeof queue)[number];
    nodes[m.to as "a" | "b"].step({ type: "message", nowMs: 0, from: m.from, message: m.message });
    drain(m.to as "a" | "b");
  }
  if (nodes.a.merkleRoot() !== nodes.b.merkleRoot()) throw new Error("gossip bench: one anti-entropy exchange did not repair the replicas");
  const sum = (r: Record<string, number>): number => Object.values(r).reduce((x, y) => x + y, 0);
  return { bytes: sum(nodes.a.stats.bytes) + sum(nodes.b.stats.bytes), messages: queue.length, repaired: nodes.b.stats.entriesRepaired };
}

/**
 * Split `n` nodes in halves for `partitionMs`, with `updates` updates on each side, heal, and
 * return the virtual ms from the heal until every replica has the same state (null: not within 10 s).
 */
export function convergenceAfterHeal(n: number, seed: number, options: Partial<GossipOptions> = {}, partitionMs = 2000, updates = 20): number | null {
  const ids = Array.from({ length: n }, (_, k) => `n${k + 1}`);
  const halves = [ids.slice(0, n / 2), ids.slice(n / 2)];
  const healMs = 200 + partitionMs;
  const sim = new Simulation<GossipMessage, GossipCommand, GossipResult>({
    seed,
    nodes: ids,
    network: { latency: { type: "uniform", minMs: 1, maxMs: 10 } },
    createNode: (id, rng, ctx) => new GossipNode({ id, peers: ids, rng, durable: ctx.durable, options: { payload: gCounter, ...options } }),
    faults: [
      { atMs: 200, fault: { type: "partition", groups: halves } },
      { atMs: healMs, fault: { type: "heal" } },
    ],
    budget: { maxTimeMs: healMs + 10_000, maxEvents: 50_000_000 },
    record: { messages: false, steps: false, history: false },
  });
  const rng = SeededRng.derive(seed, "bench-updates");
  for (let u = 0; u < 2 * updates; u++) {
    const side = halves[u % 2] as NodeId[];
    const at = side[rng.nextInt(0, side.length - 1)] as NodeId;
    sim.at(300 + (u * (partitionMs - 200)) / (2 * updates), () => sim.invoke(`c${u}`, { op: "update", key: `key-${rng.nextInt(0, 9)}`, update: { type: "inc" } }, at));
  }
  let converged: number | null = null;
  const check = (): void => {
    const roots = new Set(ids.map((id) => (sim.node(id) as GossipNode).merkleRoot()));
    if (roots.size === 1) {
      converged = sim.nowMs - healMs;
      sim.stop();
      return;
    }
    sim.after(1, check);
  };
  sim.at(healMs, check);
  sim.run();
  return converged;
}

const fmt = (x: number, digits = 1): string => x.toFixed(digits);

/** Gossip's bench rows. */
export const bench: BenchPart = {
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const seeds = quick ? [1] : [1, 2, 3, 4, 5];
    const sizes = quick ? [16, 64] : [16, 64, 256, 1024];
    for (const n of sizes) {
      for (const fanout of [1, 2, 3, 4]) {
        const runs = seeds.map((s) => disseminate(n, fanout, s));
        const rumorsOnly = seeds.map((s) => disseminate(n, fanout, s, { antiEntropy: "off" }));
        const done = runs.filter((r) => r.rounds !== null);
        if (done.length < runs.length) throw new Error(`gossip bench: an update did not reach all ${n} nodes within 200 rounds (fanout ${fanout})`);
        const rounds = median(done.map((r) => r.rounds as number));
        rows.push({
          case: `rounds until all N have an update: N = ${n}, fanout ${fanout} (push-pull rumors, stop after 3 known; anti-entropy every 5th round)`,
          figures: {
            rounds: fmt(rounds),
            messages: fmt(median(runs.map((r) => r.messages)), 0),
            "messages / N": fmt(median(runs.map((r) => r.messages)) / n, 2),
            "rumors alone reach": `${fmt((100 * median(rumorsOnly.map((r) => r.rumorReach))) / n, 1)}%`,
          },
          quoted: `log2 N = ${fmt(Math.log2(n))}; push-pull log3 N + O(ln ln N) = ${fmt(Math.log(n) / Math.log(3))} + …`,
        });
        log(`gossip dissemination N=${n} fanout=${fanout}: ${fmt(rounds)} rounds`);
      }
    }
    for (const keys of quick ? [1000] : [1000, 10_000]) {
      const diverged = keys / 100;
      const full = antiEntropyBytes(keys, diverged, { antiEntropy: "full" });
      for (const [b, d] of [[16, 2], [16, 3]] as const) {
        if (b ** d > keys * 4) continue;
        const mk = antiEntropyBytes(keys, diverged, { antiEntropy: "merkle", merkleBranching: b, merkleDepth: d });
        rows.push({
          case: `anti-entropy bytes, ${keys} keys with 1% (${diverged}) divergent: Merkle ${b}^${d} leaves vs full-state exchange`,
          figures: { merkle: `${mk.bytes} B in ${mk.messages} msgs`, full: `${full.bytes} B in ${full.messages} msgs`, ratio: `${fmt((100 * mk.bytes) / full.bytes)}%` },
        });
      }
    }
    for (const n of quick ? [16] : [16, 64]) {
      for (const swim of [true, false]) {
        const ms = seeds.map((s) => convergenceAfterHeal(n, s, swim ? {} : { swim: null }));
        if (ms.some((m) => m === null)) throw new Error(`gossip bench: ${n} nodes did not converge within 10 s of the heal`);
        rows.push({
          case: `convergence after a 2 s partition into halves heals: N = ${n}, ${swim ? "SWIM membership (each side declared the other dead)" : "static membership"} (@synod/sim, latency 1–10 ms, rumors every 20 ms, anti-entropy every 100 ms)`,
          figures: { median: `${fmt(median(ms as number[]))} ms`, max: `${fmt(Math.max(...(ms as number[])))} ms` },
        });
      }
    }
    return rows;
  },
};

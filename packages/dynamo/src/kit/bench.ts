/**
 * Dynamo's own bench rows: for (N, R, W) in (3,1,1), (3,2,2), (3,1,3), (5,2,2), in the simulator
 * (one-way latencies exponential, 0.5 ms + a 2 ms mean, as Bailis et al. fit production links):
 *
 * - read and write latency percentiles (closed-loop clients, any-owner coordinators);
 * - the probability that a read misses the latest acknowledged write, as a function of the time
 *   since its acknowledgement, beside PBS's closed form for a read issued before any propagation
 *   beyond the write quorum, C(N−W, R) / C(N, R) (Bailis et al., VLDB 2012, §3.1); and that
 *   worst case itself, measured through the nodes on a manual network ({@link stalenessNoPropagation});
 * - messages per read and per write;
 * - how long anti-entropy takes to repair a replica that missed 1% of the writes.
 *
 * Simulated, seeded figures: the same seed gives the same rows.
 *
 * @module
 */
import type { BenchPart, BenchRow } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import { Simulation, type LatencyDistribution } from "@synod/sim";
import { TestCluster } from "@synod/testkit";
import type { DynamoCommand, DynamoMessage, DynamoResult } from "../messages.js";
import { DynamoNode } from "../node.js";
import type { DynamoOptions } from "../options.js";

/** The quorum configurations the issue asks for. */
export const BENCH_QUORUMS: readonly { n: number; r: number; w: number }[] = [
  { n: 3, r: 1, w: 1 },
  { n: 3, r: 2, w: 2 },
  { n: 3, r: 1, w: 3 },
  { n: 5, r: 2, w: 2 },
];

/** One-way latency of every link (node to node, client to node). */
export const BENCH_LATENCY: LatencyDistribution = { type: "exponential", minMs: 0.5, meanExtraMs: 2 };

/** Ring members of every bench cluster (N = 5 needs five). */
const NODES: NodeId[] = ["n1", "n2", "n3", "n4", "n5"];

type Sim = Simulation<DynamoMessage, DynamoCommand, DynamoResult>;

function simulation(seed: number, options: Partial<DynamoOptions>, onSend?: (m: DynamoMessage) => void, maxTimeMs = 600_000): Sim {
  return new Simulation<DynamoMessage, DynamoCommand, DynamoResult>({
    seed,
    nodes: NODES,
    network: { latency: BENCH_LATENCY },
    clients: { latency: BENCH_LATENCY, timeoutMs: 2000 },
    budget: { maxTimeMs, maxEvents: 50_000_000 },
    record: { messages: false, steps: false, history: false },
    createNode: (id, rng) => new DynamoNode(id, { nodes: NODES, coordinator: "any", ...options }, rng),
    ...(onSend === undefined ? {} : { observer: { afterStep: (rec: { ready: { send: { message: DynamoMessage }[] } | null }) => rec.ready?.send.forEach((e) => onSend(e.message)) } as never }),
  });
}

/** The binomial coefficient C(n, k) (0 when k > n). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** PBS's probability that a read of R replicas misses every one of the W that have the write. */
export function pbsStaleProbability(q: { n: number; r: number; w: number }): number {
  return choose(q.n - q.w, q.r) / choose(q.n, q.r);
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number);
}

const isOpMessage = (m: DynamoMessage): boolean => m.type === "Replicate" || m.type === "ReplicateAck" || m.type === "Read" || m.type === "ReadReply";

/** Latencies (ms) and messages per operation of `ops` sequential gets and puts by one client per key. */
export function latencyAndMessages(q: { n: number; r: number; w: number }, ops: number, seed = 1): { readMs: number[]; writeMs: number[]; messagesPerRead: number; messagesPerWrite: number } {
  let counting: "get" | "put" | null = null;
  const sent = { get: 0, put: 0 };
  // Background traffic (pings, anti-entropy) is left out: only request and replication messages count.
  const sim = simulation(seed, { ...q, antiEntropyMs: 0 }, (m) => {
    if (counting !== null && isOpMessage(m)) sent[counting]++;
  });
  const readMs: number[] = [];
  const writeMs: number[] = [];
  const keys = 50;
  let k = 0;
  const next = (): void => {
    if (k >= ops) return;
    const key = `k${k % keys}`;
    const op: "get" | "put" = k % 2 === 0 ? "put" : "get";
    const target = NODES[(k * 7) % q.n] as NodeId;
    // Any node reaches the key's owners: the client picks the one the key's ring walk names.
    const owner = (sim.node(target) as DynamoNode).ring.preferenceList(key, q.n)[k % q.n] as NodeId;
    const cmd: DynamoCommand = op === "put" ? { op: "put", key, value: `v${k}`, context: {} } : { op: "get", key };
    const start = sim.nowMs;
    k++;
    counting = op;
    sim.invoke("bench", cmd, owner, {
      retry: null,
      onDone: (o) => {
        if (o.type === "ok") (op === "put" ? writeMs : readMs).push(sim.nowMs - start);
        // Let late replies and acknowledgements arrive before the next operation is counted.
        sim.after(50, () => {
          counting = null;
          next();
        });
      },
    });
  };
  sim.at(100, next);
  sim.run();
  return { readMs, writeMs, messagesPerRead: sent.get / Math.max(1, readMs.length), messagesPerWrite: sent.put / Math.max(1, writeMs.length) };
}

/**
 * P(stale read) `t` ms after a write's acknowledgement: each trial writes a fresh key through one
 * owner and reads it `t` ms after the client hears the acknowledgement, through a uniformly chosen
 * owner (read repair off, anti-entropy off, so only the write's own replication propagates it).
 */
export function staleness(q: { n: number; r: number; w: number }, delaysMs: readonly number[], trials: number, seed = 1): Map<number, number> {
  const sim = simulation(seed, { ...q, antiEntropyMs: 0, readRepair: "off", gossipMs: 1000, suspectAfterMs: 100_000 });
  const stale = new Map(delaysMs.map((t) => [t, 0]));
  let trial = 0;
  const total = delaysMs.length * trials;
  const pickRng = SeededRng.derive(seed, "bench:owners");
  const rng = { pick: (n: number) => pickRng.nextInt(0, n - 1) };
  const next = (): void => {
    if (trial >= total) return;
    const t = delaysMs[trial % delaysMs.length] as number;
    const key = `s${trial}`;
    trial++;
    const owners = (sim.node("n1") as DynamoNode).ring.preferenceList(key, q.n);
    sim.invoke("writer", { op: "put", key, value: "new", context: {} }, owners[rng.pick(q.n)] as NodeId, {
      retry: null,
      onDone: (o) => {
        if (o.type !== "ok") throw new Error(`dynamo bench: a write failed (${JSON.stringify(o)})`);
        sim.after(t, () => {
          sim.invoke("reader", { op: "get", key }, owners[rng.pick(q.n)] as NodeId, {
            retry: null,
            onDone: (r) => {
              if (r.type !== "ok" || r.result.op !== "get") throw new Error(`dynamo bench: a read failed (${JSON.stringify(r)})`);
              if (!r.result.siblings.some((s) => s.value === "new")) stale.set(t, (stale.get(t) ?? 0) + 1);
              sim.after(20, next);
            },
          });
        });
      },
    });
  };
  sim.at(100, next);
  sim.run();
  return new Map([...stale].map(([t, s]) => [t, s / trials]));
}

/**
 * P(stale read) under PBS's worst case, measured through the real nodes on a manual network: each
 * trial writes a fresh key through a uniformly chosen owner whose `Replicate` reaches exactly
 * W − 1 uniformly chosen other owners (the rest never arrive: no propagation beyond the write
 * quorum), then reads it through a uniformly chosen owner that hears the other owners' replies in
 * a uniformly random order and answers at R (read repair and anti-entropy off). Its read quorum is
 * then a uniform R-subset of the N owners, as the closed form C(N−W, R)/C(N, R) assumes.
 */
export function stalenessNoPropagation(q: { n: number; r: number; w: number }, trials: number, seed = 1): { stale: number; trials: number } {
  const c = new TestCluster<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode>({
    ids: NODES,
    seed,
    create: (id, _peers, rng) => new DynamoNode(id, { nodes: NODES, ...q, coordinator: "any", readRepair: "off", antiEntropyMs: 0, gossipMs: 1e9, suspectAfterMs: 1e9, requestTimeoutMs: 1e9 }, rng),
  });
  const rng = SeededRng.derive(seed, "bench:pbs");
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = rng.nextInt(0, i);
      [a[i], a[j]] = [a[j] as T, a[i] as T];
    }
    return a;
  };
  const reply = (seq: number): DynamoResult | null => {
    for (const o of c.takeOutputs()) if (o.kind === "reply" && o.reply.seq === seq) return o.reply.ok ? o.reply.result : null;
    return null;
  };
  let stale = 0;
  for (let t = 0; t < trials; t++) {
    const key = `pbs${t}`;
    const owners = c.node("n1").ring.preferenceList(key, q.n);
    c.inflight = [];
    c.takeOutputs();
    const writer = owners[rng.nextInt(0, q.n - 1)] as NodeId;
    c.request(writer, "w", 2 * t + 1, { op: "put", key, value: "new", context: {} });
    // The write reaches W − 1 other owners (and their acknowledgements the writer); nothing else.
    const reached = new Set(shuffle(owners.filter((o) => o !== writer)).slice(0, q.w - 1));
    const replicas = c.inflight.filter((m) => m.message.type === "Replicate" && reached.has(m.to));
    c.inflight = [...replicas];
    for (const m of replicas) c.deliver(m.id);
    for (const m of c.inflight.filter((x) => x.message.type === "ReplicateAck")) c.deliver(m.id);
    if (reply(2 * t + 1)?.op !== "put") throw new Error(`dynamo bench: write ${key} was not acknowledged with W = ${q.w}`);
    c.inflight = [];
    const reader = owners[rng.nextInt(0, q.n - 1)] as NodeId;
    c.request(reader, "r", 2 * t + 2, { op: "get", key });
    let got = reply(2 * t + 2);
    for (const m of shuffle(c.inflight.filter((x) => x.message.type === "Read"))) c.deliver(m.id);
    for (const m of shuffle(c.inflight.filter((x) => x.message.type === "ReadReply"))) {
      if (got !== null) break;
      c.deliver(m.id);
      got = reply(2 * t + 2);
    }
    if (got?.op !== "get") throw new Error(`dynamo bench: read ${key} got no answer with R = ${q.r}`);
    if (!got.siblings.some((s) => s.value === "new")) stale++;
  }
  return { stale, trials };
}

/**
 * Anti-entropy's repair time: `writes` writes to distinct keys with N = 3, W = 2 and anti-entropy
 * every `antiEntropyMs` (each node with the next peer), read repair off; replica n3 is cut off
 * during the last 1% of them, which it therefore misses. Then the links heal: the time until n3
 * holds every key it owns, and the tree messages exchanged meanwhile.
 */
export function antiEntropyRepair(writes: number, antiEntropyMs: number, seed = 1): { missed: number; repairMs: number; treeMessages: number } {
  let treeMessages = 0;
  let measuring = false;
  const sim = simulation(seed, { n: 3, r: 2, w: 2, readRepair: "off", antiEntropyMs, suspectAfterMs: 100_000 }, (m) => {
    if (measuring && (m.type === "TreeLevel" || m.type === "TreeLeaves")) treeMessages++;
  });
  const victim = "n3";
  const ring = (sim.node("n1") as DynamoNode).ring;
  const owns = (key: string): boolean => ring.preferenceList(key, 3).includes(victim);
  const keys = Array.from({ length: writes }, (_, k) => `a${k}`);
  const cutFrom = Math.floor(writes * 0.99);
  let k = 0;
  let healedAt: number | null = null;
  const next = (): void => {
    if (k === cutFrom) sim.applyFault({ type: "cut", from: NODES.filter((x) => x !== victim), to: [victim] });
    if (k >= writes) {
      // Let the last replications land (or be cut off), then heal and start the clock.
      sim.after(30, () => {
        sim.applyFault({ type: "heal" });
        healedAt = sim.nowMs;
        measuring = true;
        poll();
      });
      return;
    }
    const key = keys[k] as string;
    const coord = ring.preferenceList(key, 3).find((x) => x !== victim) as NodeId;
    k++;
    sim.invoke("writer", { op: "put", key, value: `v${k}`, context: {} }, coord, {
      retry: null,
      onDone: (o) => {
        if (o.type !== "ok") throw new Error(`dynamo bench: a write failed (${JSON.stringify(o)})`);
        next();
      },
    });
  };
  const n3 = (): DynamoNode => sim.node(victim) as DynamoNode;
  const lacking = (): number => keys.filter((key) => owns(key) && n3().local(key).length === 0).length;
  let missed = 0;
  let repairedAt: number | null = null;
  const poll = (): void => {
    if (missed === 0) missed = lacking();
    if (lacking() === 0) {
      repairedAt = sim.nowMs;
      sim.stop();
      return;
    }
    sim.after(5, poll);
  };
  sim.at(100, next);
  sim.run();
  if (repairedAt === null || healedAt === null) throw new Error("dynamo bench: anti-entropy did not repair n3");
  return { missed, repairMs: (repairedAt as number) - (healedAt as number), treeMessages };
}

const fmt = (x: number): string => `${x.toFixed(1)} ms`;
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The bench rows. */
export const bench: BenchPart = {
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const ops = quick ? 200 : 2000;
    const trials = quick ? 100 : 1000;
    const delays = [0, 1, 2, 5, 10, 20];
    for (const q of BENCH_QUORUMS) {
      const name = `N=${q.n} R=${q.r} W=${q.w}`;
      const l = latencyAndMessages(q, ops);
      log(`dynamo ${name}: ${l.readMs.length} reads, ${l.writeMs.length} writes`);
      rows.push({
        case: `${name}: latency (simulated, one-way exp 0.5 + 2 ms mean; ${l.readMs.length} reads, ${l.writeMs.length} writes)`,
        figures: {
          "read p50": fmt(percentile(l.readMs, 50)),
          "read p99": fmt(percentile(l.readMs, 99)),
          "write p50": fmt(percentile(l.writeMs, 50)),
          "write p99": fmt(percentile(l.writeMs, 99)),
        },
      });
      rows.push({
        case: `${name}: messages per operation`,
        figures: { "per read": l.messagesPerRead.toFixed(2), "per write": l.messagesPerWrite.toFixed(2) },
        quoted: `2(N−1) = ${2 * (q.n - 1)} each (request and reply to every other owner), plus read repairs`,
      });
      const st = staleness(q, delays, trials);
      log(`dynamo ${name}: P(stale) ${[...st].map(([t, p]) => `${t} ms ${pct(p)}`).join(", ")}`);
      rows.push({
        case: `${name}: P(stale read) vs ms since the write was acknowledged (${trials} trials each)`,
        figures: Object.fromEntries([...st].map(([t, p]) => [`t=${t} ms`, pct(p)])),
        quoted: `PBS closed form, no propagation beyond W: C(N−W,R)/C(N,R) = ${pct(pbsStaleProbability(q))}`,
      });
    }
    for (const q of BENCH_QUORUMS) {
      const pbsTrials = quick ? 2000 : 20_000;
      const m = stalenessNoPropagation(q, pbsTrials);
      const p = m.stale / m.trials;
      const half = 1.96 * Math.sqrt((p * (1 - p)) / m.trials);
      log(`dynamo N=${q.n} R=${q.r} W=${q.w}: P(stale) with no propagation beyond W ${pct(p)}`);
      rows.push({
        case: `N=${q.n} R=${q.r} W=${q.w}: P(stale read) with no propagation beyond the write quorum (manual network, ${m.trials} trials)`,
        figures: { measured: pct(p), "95% interval": `±${pct(half)}` },
        quoted: `PBS: C(N−W,R)/C(N,R) = ${pct(pbsStaleProbability(q))}`,
      });
    }
    const writes = quick ? 2000 : 10_000;
    for (const period of [50, 200]) {
      const ae = antiEntropyRepair(writes, period);
      log(`dynamo anti-entropy every ${period} ms: ${ae.missed} keys repaired in ${ae.repairMs} ms`);
      rows.push({
        case: `anti-entropy every ${period} ms: repair a replica that missed 1% of ${writes} writes (N=3)`,
        figures: { "keys missed": String(ae.missed), "repaired after": fmt(ae.repairMs), "tree messages": String(ae.treeMessages) },
      });
    }
    return rows;
  },
};

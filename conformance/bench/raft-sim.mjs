// The Raft simulator bench (`pnpm bench` / `npm run bench` in conformance/): the KV store of
// @synod/raft on @synod/sim — committed ops/s (5 nodes, with and without batching), messages per
// committed op, commit latency in round trips, and leader failover time with 150–300 ms election
// timeouts over many seeds, against the figures usually quoted for Raft. All times are VIRTUAL
// (simulated) unless a column says "wall". Usage: node bench/raft-sim.mjs [--seeds N]
import { createKvNode } from "@synod/raft";
import { Simulation, startWorkload } from "@synod/sim";

const argv = process.argv.slice(2);
const seeds = Number(argv[argv.indexOf("--seeds") + 1] ?? 0) || 100;
const NODES = ["n1", "n2", "n3", "n4", "n5"];
const peers = (id) => NODES.filter((x) => x !== id);

function sim(seed, { options = {}, latency, fsyncMs = 0, observer } = {}) {
  return new Simulation({
    seed,
    nodes: NODES,
    createNode: (id, rng, ctx) => createKvNode({ id, peers: peers(id), rng, durable: ctx.durable, options }),
    network: { latency },
    storage: { fsyncMs },
    clients: { latency: { type: "constant", ms: 0.01 }, timeoutMs: 2000 },
    budget: { maxTimeMs: 60_000, maxEvents: 50_000_000 },
    record: { messages: false, steps: false, history: true },
    history: { invoke: (c) => ({ f: c.op, key: c.key, value: c.value ?? null }), ok: (c, r) => r.value ?? c.value ?? null },
    observer,
  });
}

function leaderOf(s) {
  let best = null;
  for (const id of NODES) {
    const n = s.node(id);
    if (n && n.inspect().role === "leader" && (best === null || n.inspect().term > best.term)) best = { id, term: n.inspect().term };
  }
  return best;
}

// 1. Throughput: 5 nodes, 1 ms one-way latency (±0.5), 64 closed-loop clients, 2 s. The simulated
// disk does one fsync at a time and a node steps nothing while it syncs, so with an fsync delay
// the leader's step rate (one fsync per client request) bounds throughput.
function throughput(batch, seed, fsyncMs) {
  const s = sim(seed, { options: { maxBatchEntries: batch }, latency: { type: "uniform", minMs: 0.5, maxMs: 1.5 }, fsyncMs });
  s.runUntil(1000); // elect a leader first
  const startMs = s.statistics();
  const t0 = performance.now();
  const w = startWorkload(s, { clients: Array.from({ length: 64 }, (_, k) => `c${k}`), startMs: 1000, stopMs: 3000, nextCommand: ({ clientId, opIndex }) => ({ op: "put", key: `k${opIndex % 16}`, value: `${clientId}-${opIndex}` }) });
  s.runUntil(3000);
  const wallS = (performance.now() - t0) / 1000;
  const st = s.statistics();
  return { ok: w.ok, opsPerS: w.ok / 2, msgsPerOp: (st.messagesSent - startMs.messagesSent) / Math.max(1, w.ok), wallS };
}

// 2. Commit latency: one client, sequential puts, constant 5 ms one-way latency (RTT 10 ms), no fsync delay.
function commitLatency(seed) {
  const rttMs = 10;
  const s = sim(seed, { latency: { type: "constant", ms: rttMs / 2 } });
  s.runUntil(1500);
  const leader = leaderOf(s);
  const w = startWorkload(s, { clients: ["c0"], startMs: 1500, stopMs: 3500, retry: { attemptTimeoutMs: 500, backoffMs: 10, followLeaderHint: true }, nextCommand: ({ opIndex }) => ({ op: "put", key: "k", value: `v${opIndex}` }) });
  void leader;
  s.runUntil(4000);
  const h = s.history();
  const lat = [];
  const open = new Map();
  for (const e of h) {
    if (e.type === "invoke") open.set(e.process, e.time);
    else if (e.type === "ok") lat.push((e.time - open.get(e.process)) / 1e6);
  }
  // The first ops may hit a follower and be redirected; take the steady state (median).
  lat.sort((a, b) => a - b);
  return { ops: w.ok, medianMs: lat[Math.floor(lat.length / 2)], rtts: lat[Math.floor(lat.length / 2)] / rttMs };
}

// 3. Failover: crash the leader at a random moment of a stable cluster; time until a new leader.
function failover(seed) {
  let crashAt = null;
  let oldTerm = 0;
  let electedAt = null;
  const s = sim(seed, {
    latency: { type: "uniform", minMs: 1, maxMs: 5 },
    observer: {
      afterStep: (rec, node) => {
        if (crashAt === null || electedAt !== null || rec.atMs < crashAt) return;
        const i = node.inspect?.();
        if (i && i.role === "leader" && i.term > oldTerm) electedAt = rec.atMs;
      },
    },
  });
  s.runUntil(2000 + (seed % 97));
  const l = leaderOf(s);
  if (l === null) return null;
  oldTerm = l.term;
  crashAt = s.statistics() && 2000 + (seed % 97);
  s.applyFault({ type: "crash", node: l.id });
  // One client keeps writing from the crash on (following leader hints): when does a write commit again?
  startWorkload(s, { clients: ["c0"], startMs: crashAt, stopMs: crashAt + 3000, retry: { attemptTimeoutMs: 50, backoffMs: 5, followLeaderHint: true }, nextCommand: ({ opIndex }) => ({ op: "put", key: "k", value: `v${opIndex}` }) });
  s.runUntil(crashAt + 5000);
  const firstOk = s.history().find((e) => e.type === "ok");
  return electedAt === null ? null : { electedMs: electedAt - crashAt, writeMs: firstOk === undefined ? null : firstOk.time / 1e6 - crashAt };
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const t0 = performance.now();
const rows = [];
for (const [batch, fsyncMs] of [[64, 0], [1, 0], [64, 0.5], [1, 0.5]]) {
  const r = throughput(batch, 1, fsyncMs);
  rows.push([`committed ops/s, 5 nodes, 64 clients, maxBatchEntries ${batch}, fsync ${fsyncMs} ms`, `${Math.round(r.opsPerS)} ops/s virtual`, `${r.msgsPerOp.toFixed(1)} msgs/op`, `${(r.ok / r.wallS).toFixed(0)} ops per wall-s`, "-"]);
}
const cl = commitLatency(1);
rows.push(["commit latency (1 client, RTT 10 ms, leader-direct)", `${cl.medianMs.toFixed(1)} ms median`, `${cl.rtts.toFixed(2)} RTT`, `${cl.ops} ops`, "1 RTT (+ client hop)"]);
const fo = [];
const fw = [];
let none = 0;
for (let seed = 1; seed <= seeds; seed++) {
  const f = failover(seed);
  if (f === null) none++;
  else {
    fo.push(f.electedMs);
    if (f.writeMs !== null) fw.push(f.writeMs);
  }
}
fo.sort((a, b) => a - b);
fw.sort((a, b) => a - b);
rows.push([`leader failover: crash to new leader, timeouts 150-300 ms (${fo.length} seeds${none ? `, ${none} without a leader` : ""})`, `${pct(fo, 50).toFixed(0)} ms median`, `${pct(fo, 99).toFixed(0)} ms p99`, `${fo[0].toFixed(0)}-${fo[fo.length - 1].toFixed(0)} ms range`, "300-600 ms"]);
rows.push([`leader failover: crash to next committed write (${fw.length} seeds)`, `${pct(fw, 50).toFixed(0)} ms median`, `${pct(fw, 99).toFixed(0)} ms p99`, `${fw[0].toFixed(0)}-${fw[fw.length - 1].toFixed(0)} ms range`, "300-600 ms"]);

console.log(`# Raft KV on @synod/sim — produced by: node conformance/bench/raft-sim.mjs --seeds ${seeds} (seeds 1..${seeds}; throughput/latency seed 1)`);
console.log("| case | figure | figure | figure | usually quoted |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log(`(wall time ${((performance.now() - t0) / 1000).toFixed(1)} s; virtual times from the simulator's clock)`);

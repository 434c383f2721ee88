/**
 * The simulator bench every replicated-KV protocol gets from its descriptor, so protocols are
 * measured side by side in one run and one table: messages and round trips per committed
 * command, throughput without and with batching, and recovery after the leader is lost. All
 * times are virtual (seeded, identical on every run) unless a row says "wall".
 *
 * @module
 */
import type { Json, NodeId } from "@synod/protocol";
import { Simulation, startWorkload, type LatencyDistribution } from "@synod/sim";
import type { AnyKit, BenchRow } from "./kit.js";

/** One row of the side-by-side table: a case, one cell per protocol, and the figure usually quoted. */
export interface SideBySideRow {
  case: string;
  cells: Record<string, string>;
  quoted: string;
}

/** Options of {@link simulatorBench}. */
export interface SimBenchOptions {
  /** Seeds of the failover measurement. */
  seeds: number;
  /** Smoke-sized run (seconds). */
  quick: boolean;
}

const NODES = ["n1", "n2", "n3", "n4", "n5"];

function simulation(kit: AnyKit, seed: number, opts: { options?: Json; latency: LatencyDistribution; fsyncMs?: number; onLeader?: (atMs: number, epoch: number) => void }): Simulation<unknown, unknown, unknown> {
  const policy = kit.histories.clients?.(NODES) ?? {};
  const s = new Simulation<unknown, unknown, unknown>({
    seed,
    nodes: NODES,
    ...(policy.seal === undefined ? {} : { sealRequest: (r) => policy.seal!(r) }),
    ...(policy.replies === undefined ? {} : { replyRule: (c: string) => policy.replies!(c) }),
    createNode: (id, rng, ctx) => kit.histories.node({ id, peers: NODES.filter((x) => x !== id), rng, durable: ctx.durable, variant: undefined, options: opts.options ?? {} }),
    network: { latency: opts.latency },
    storage: { fsyncMs: opts.fsyncMs ?? 0 },
    clients: { latency: { type: "constant", ms: 0.01 }, timeoutMs: 2000, ...(policy.replyQuorum === undefined || policy.replies !== undefined ? {} : { replyQuorum: policy.replyQuorum }) },
    budget: { maxTimeMs: 120_000, maxEvents: 100_000_000 },
    record: { messages: false, steps: false, history: true },
    history: { invoke: (c) => kit.histories.service.invoke(c), ok: (c, r) => kit.histories.service.complete(c, r) },
    ...(opts.onLeader
      ? {
          observer: {
            afterStep: (rec, node) => {
              const st = kit.status(node as never);
              if (st.leader) opts.onLeader!(rec.atMs, st.epoch);
            },
          },
        }
      : {}),
  });
  return s;
}

function leaderOf(kit: AnyKit, s: Simulation<unknown, unknown, unknown>): { id: NodeId; epoch: number } | null {
  let best: { id: NodeId; epoch: number } | null = null;
  for (const id of NODES) {
    const n = s.node(id);
    if (n === undefined) continue;
    const st = kit.status(n as never);
    if (st.leader && (best === null || st.epoch > best.epoch)) best = { id, epoch: st.epoch };
  }
  return best;
}

const put = (clientId: string, opIndex: number, keys: number): Json => ({ op: "put", key: `k${opIndex % keys}`, value: `${clientId}-${opIndex}` });

/** Committed commands per virtual second and messages per command under 64 closed-loop clients. */
function throughput(kit: AnyKit, options: Json, seconds: number): { opsPerS: number; msgsPerOp: number; opsPerWallS: number } {
  const s = simulation(kit, 1, { options, latency: { type: "uniform", minMs: 0.5, maxMs: 1.5 } });
  s.runUntil(1500);
  const before = s.statistics().messagesSent;
  const t0 = performance.now();
  const w = startWorkload(s, { clients: Array.from({ length: 64 }, (_, k) => `c${k}`), startMs: 1500, stopMs: 1500 + seconds * 1000, nextCommand: ({ clientId, opIndex }) => put(clientId, opIndex, 16) as never });
  s.runUntil(1500 + seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  return { opsPerS: w.ok / seconds, msgsPerOp: (s.statistics().messagesSent - before) / Math.max(1, w.ok), opsPerWallS: w.ok / wall };
}

/** One client's sequential puts at a constant RTT: latency in round trips, messages per command. */
function sequential(kit: AnyKit): { rtts: number; msgsPerOp: number; ops: number } {
  const rttMs = 10;
  const s = simulation(kit, 1, { latency: { type: "constant", ms: rttMs / 2 } });
  s.runUntil(1500);
  const before = s.statistics().messagesSent;
  const w = startWorkload(s, { clients: ["c0"], startMs: 1500, stopMs: 3500, retry: { attemptTimeoutMs: 500, backoffMs: 10, followLeaderHint: true }, nextCommand: ({ opIndex }) => put("c0", opIndex, 1) as never });
  s.runUntil(4000);
  const lat: number[] = [];
  const open = new Map<number, number>();
  for (const e of s.history()) {
    if (e.type === "invoke") open.set(e.process, e.time);
    else if (e.type === "ok") lat.push((e.time - (open.get(e.process) ?? e.time)) / 1e6);
  }
  lat.sort((a, b) => a - b);
  // The first operations may be redirected to the leader: the median is the steady state.
  const median = lat[Math.floor(lat.length / 2)] ?? NaN;
  return { rtts: median / rttMs, msgsPerOp: (s.statistics().messagesSent - before) / Math.max(1, w.ok), ops: w.ok };
}

/** Crash the leader of a settled cluster: time to a new leader, and to the next committed write. */
function failover(kit: AnyKit, seed: number): { electedMs: number; writeMs: number | null } | null {
  let crashAt: number | null = null;
  let oldEpoch = 0;
  let electedAt: number | null = null;
  const s = simulation(kit, seed, {
    latency: { type: "uniform", minMs: 1, maxMs: 5 },
    onLeader: (atMs, epoch) => {
      if (crashAt !== null && electedAt === null && atMs >= crashAt && epoch > oldEpoch) electedAt = atMs;
    },
  });
  const at = 2000 + (seed % 97);
  s.runUntil(at);
  const l = leaderOf(kit, s);
  if (l === null) return null;
  oldEpoch = l.epoch;
  crashAt = at;
  s.applyFault({ type: "crash", node: l.id });
  startWorkload(s, { clients: ["c0"], startMs: at, stopMs: at + 3000, retry: { attemptTimeoutMs: 50, backoffMs: 5, followLeaderHint: true }, nextCommand: ({ opIndex }) => put("c0", opIndex, 1) as never });
  s.runUntil(at + 5000);
  const firstOk = s.history().find((e) => e.type === "ok");
  return electedAt === null ? null : { electedMs: electedAt - at, writeMs: firstOk === undefined ? null : firstOk.time / 1e6 - at };
}

const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

/** The side-by-side table for every kit that serves the replicated KV store. */
export function simulatorBench(kits: readonly AnyKit[], opts: SimBenchOptions): SideBySideRow[] {
  const kv = kits.filter((k) => k.histories.service.name === "kv");
  const rows: SideBySideRow[] = [];
  const row = (c: string, quoted: string, f: (k: AnyKit) => string): void => {
    rows.push({ case: c, quoted, cells: Object.fromEntries(kv.map((k) => [k.name, f(k)])) });
  };
  const seconds = opts.quick ? 0.5 : 2;
  const seq = new Map(kv.map((k) => [k.name, sequential(k)]));
  row("messages per committed command (5 nodes, 1 client, sequential puts; heartbeats included)", "2(n−1) = 8 without heartbeats", (k) => seq.get(k.name)!.msgsPerOp.toFixed(1));
  row("commit latency in round trips (RTT 10 ms, 1 client)", "1 leader–majority RTT (+ the client's hop)", (k) => `${seq.get(k.name)!.rtts.toFixed(2)} RTT`);
  for (const batch of [1, 64]) {
    const tp = new Map(kv.map((k) => [k.name, throughput(k, k.tuning?.batch?.(batch) ?? {}, seconds)]));
    row(`committed commands/s, 5 nodes, 64 clients, batch ${batch}`, "-", (k) => {
      const t = tp.get(k.name)!;
      return `${Math.round(t.opsPerS)}/s virtual, ${t.msgsPerOp.toFixed(1)} msgs/cmd, ${Math.round(t.opsPerWallS)}/wall-s`;
    });
  }
  const fo = new Map(kv.map((k) => {
    const elected: number[] = [];
    const write: number[] = [];
    let none = 0;
    for (let seed = 1; seed <= opts.seeds; seed++) {
      const f = failover(k, seed);
      if (f === null) none++;
      else {
        elected.push(f.electedMs);
        if (f.writeMs !== null) write.push(f.writeMs);
      }
    }
    elected.sort((a, b) => a - b);
    write.sort((a, b) => a - b);
    return [k.name, { elected, write, none }] as const;
  }));
  row(`leader lost: crash → new leader (${opts.seeds} seeds)`, "300–600 ms with 150–300 ms timeouts", (k) => {
    const f = fo.get(k.name)!;
    return `${pct(f.elected, 50).toFixed(0)} ms median, ${pct(f.elected, 99).toFixed(0)} ms p99${f.none > 0 ? ` (${f.none} seeds without one)` : ""}`;
  });
  row(`leader lost: crash → next committed write (${opts.seeds} seeds)`, "-", (k) => {
    const f = fo.get(k.name)!;
    return `${pct(f.write, 50).toFixed(0)} ms median, ${pct(f.write, 99).toFixed(0)} ms p99`;
  });
  return rows;
}

/** Every kit's own benchmark rows, by protocol. */
export async function protocolBenches(kits: readonly AnyKit[], opts: { quick: boolean; log(line: string): void }): Promise<{ protocol: string; rows: BenchRow[] }[]> {
  const out: { protocol: string; rows: BenchRow[] }[] = [];
  for (const k of kits) if (k.bench) out.push({ protocol: k.name, rows: await k.bench.run(opts) });
  return out;
}

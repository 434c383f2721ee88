/**
 * PBFT's own rows in `pnpm bench`: messages per request against the paper's O(n²), one-way delays
 * per request in the normal case, throughput with and without batching for n = 4, 7, 10 on the
 * simulator, view-change time after a silent primary, and the measured cost of a MAC vector
 * against a signature. Simulated figures are seeded and reproducible; wall-clock ones say so.
 *
 * @module
 */
import type { BenchPart, BenchRow } from "@synod/conformance";
import type { Json, NodeId } from "@synod/protocol";
import { Simulation, startWorkload, type LatencyDistribution } from "@synod/sim";
import { deterministicKeyFile, ReplicaKeys } from "../auth.js";
import type { PbftMessage } from "../messages.js";
import { createPbftReplica, type PbftReplica } from "../node.js";
import type { KvResult, PbftCommand } from "../types.js";
import { simKeyring } from "./keys.js";

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, k) => `n${k + 1}`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor(s.length / 2)] as number);
};

/** A simulated PBFT cluster of `n` replicas with signing clients that check reply MACs and wait for f + 1 matching committed (2f + 1 tentative) replies. */
function cluster(n: number, seed: number, latency: LatencyDistribution, options: Json, faults: { atMs: number; fault: never }[] = []): Simulation<PbftMessage, PbftCommand, KvResult> {
  const nodes = ids(n);
  const ring = simKeyring(nodes);
  return new Simulation<PbftMessage, PbftCommand, KvResult>({
    seed,
    nodes,
    createNode: (id, rng, ctx) => createPbftReplica({ id, replicas: nodes, keys: ring.file, rng, durable: ctx.durable, options: options as never }),
    network: { latency },
    clients: { latency, timeoutMs: 5000 },
    sealRequest: ring.attemptSeal(),
    replyRule: (clientId) => ring.replies(clientId),
    faults,
    budget: { maxTimeMs: 60_000, maxEvents: 50_000_000 },
    record: { messages: true, steps: false, history: true },
  });
}

const put = (clientId: string, opIndex: number): PbftCommand => ({ op: { op: "put", key: `k${opIndex % 16}`, value: `${clientId}-${opIndex}` }, sig: "" });

/** One client's sequential puts (or read-only gets) to the primary at a constant one-way delay: messages by type and latency per request. */
function normalCase(n: number, requests: number, tentativeExecution: boolean, reads = false): { perType: Record<string, number>; delays: number } {
  const oneWayMs = 10;
  // Status messages are retransmission, not the protocol's normal case: made rare here.
  const s = cluster(n, 1, { type: "constant", ms: oneWayMs }, { statusMs: 1_000_000, checkpointInterval: 1_000, logSize: 2_000, maxBatchEntries: 1, tentativeExecution, readOnlyOptimization: reads });
  let k = 0;
  // Reads: gets (the client asks for the read-only optimisation on each first attempt).
  const command = (i: number): PbftCommand => (reads ? { op: { op: "get", key: `k${i % 16}` }, sig: "" } : put("c0", i));
  const next = (): void => {
    if (k >= requests) return;
    s.invoke("c0", command(k++), "n1", { onDone: () => s.after(1, next) });
  };
  s.at(100, next);
  s.run();
  const history = s.history();
  const lat: number[] = [];
  let open = 0;
  let ok = 0;
  for (const e of history) {
    if (e.type === "invoke") open = e.time;
    else if (e.type === "ok") {
      lat.push((e.time - open) / 1e6);
      ok++;
    }
  }
  const perType: Record<string, number> = {};
  for (const m of s.log().messages) perType[m.message.type] = (perType[m.message.type] ?? 0) + 1;
  for (const k of Object.keys(perType)) perType[k] = perType[k]! / Math.max(1, ok);
  return { perType, delays: median(lat) / oneWayMs };
}

/** Committed requests per virtual second (and per wall second) with 64 closed-loop clients. */
function throughput(n: number, batch: number, seconds: number): { perS: number; perWallS: number; msgsPerReq: number } {
  const s = cluster(n, 1, { type: "uniform", minMs: 0.5, maxMs: 1.5 }, { maxBatchEntries: batch, maxInflightBatches: 2, statusMs: 50 });
  s.runUntil(200);
  const t0 = performance.now();
  const before = s.statistics().messagesSent;
  const w = startWorkload(s, { clients: Array.from({ length: 64 }, (_, k) => `c${k}`), startMs: 200, stopMs: 200 + seconds * 1000, nextCommand: ({ clientId, opIndex }) => put(clientId, opIndex) });
  s.runUntil(200 + seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  return { perS: w.ok / seconds, perWallS: w.ok / wall, msgsPerReq: (s.statistics().messagesSent - before) / Math.max(1, w.ok) };
}

/** The primary falls silent (a Byzantine fault) at 1 s: time until a new primary is active, and to the next reply. */
function silentPrimary(seed: number): { activeMs: number | null; replyMs: number | null } {
  const at = 1000;
  const s = cluster(4, seed, { type: "uniform", minMs: 1, maxMs: 5 }, {}, [{ atMs: at, fault: { type: "byzantine", node: "n1", behaviour: "silent" } as never }]);
  startWorkload(s, { clients: ["c0", "c1"], startMs: 0, stopMs: at + 5000, thinkMs: { type: "uniform", minMs: 5, maxMs: 20 }, nextCommand: ({ clientId, opIndex }) => put(clientId, opIndex) });
  let activeAt: number | null = null;
  for (let t = at; t <= at + 5000 && activeAt === null; t += 5) {
    s.runUntil(t);
    for (const id of ["n2", "n3", "n4"]) {
      const node = s.node(id) as PbftReplica | undefined;
      const sum = node?.summary();
      if (sum !== undefined && sum.view >= 1 && sum.active && sum.primary === id) activeAt = t;
    }
  }
  s.runUntil(at + 5000);
  const firstOk = s.history().find((e) => e.type === "ok" && e.time / 1e6 > (activeAt ?? Infinity));
  return { activeMs: activeAt === null ? null : activeAt - at, replyMs: firstOk === undefined ? null : firstOk.time / 1e6 - at };
}

/** Wall-clock cost of one authenticator: a MAC vector for n − 1 receivers, one MAC check, a signature, a signature check. */
function authCost(n: number, iterations: number): { macVectorUs: number; macCheckUs: number; signUs: number; verifyUs: number } {
  const nodes = ids(n);
  const file = deterministicKeyFile("bench-auth", nodes, []);
  const k1 = new ReplicaKeys(file, "n1", nodes);
  const k2 = new ReplicaKeys(file, "n2", nodes);
  const body = { type: "Prepare", view: 3, seq: 1234, digest: "ab".repeat(32), replica: "n1" };
  // The median of 7 rounds: a loaded machine stalls some rounds, not most.
  let offset = 0;
  const time = (f: (i: number) => void): number => {
    const rounds: number[] = [];
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now();
      for (let i = 0; i < iterations; i++) f(offset + i);
      offset += iterations;
      rounds.push(((performance.now() - t0) * 1000) / iterations);
    }
    return median(rounds);
  };
  const others = nodes.slice(1);
  const auth = k1.authenticate(body, others);
  const sig = k1.sign(body);
  // Distinct bodies for signatures (the offset grows across rounds): the process-wide memo of verified signatures must not answer.
  return {
    macVectorUs: time((i) => k1.authenticate({ ...body, seq: i }, others)),
    macCheckUs: time(() => k2.checkAuth("n1", body, auth)),
    signUs: time((i) => k1.sign({ ...body, seq: i })),
    verifyUs: time((i) => k2.verifyReplica("n1", { ...body, seq: 1_000_000 + i }, sig)),
  };
}

/** PBFT's bench rows. */
export const pbftBench: BenchPart = {
  async run({ quick, log }): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const n of [4, 7, 10]) {
      log(`pbft bench: normal case, n = ${n}`);
      const r = normalCase(n, quick ? 5 : 20, false);
      const t = normalCase(n, quick ? 5 : 20, true);
      const ro = normalCase(n, quick ? 5 : 20, false, true);
      const replica = (r.perType.PrePrepare ?? 0) + (r.perType.Prepare ?? 0) + (r.perType.Commit ?? 0);
      rows.push({
        case: `messages per request, n = ${n} (1 client, sequential puts to the primary, batch 1; simulated)`,
        figures: {
          "replica-to-replica": replica.toFixed(1),
          "pre-prepare/prepare/commit": `${(r.perType.PrePrepare ?? 0).toFixed(1)}/${(r.perType.Prepare ?? 0).toFixed(1)}/${(r.perType.Commit ?? 0).toFixed(1)}`,
          "one-way delays per request": r.delays.toFixed(2),
          "with tentative execution": t.delays.toFixed(2),
          "read-only get": `${ro.delays.toFixed(2)} delays, ${((ro.perType.PrePrepare ?? 0) + (ro.perType.Prepare ?? 0) + (ro.perType.Commit ?? 0)).toFixed(1)} ordering messages`,
        },
        quoted: `O(n²): (n−1) + (n−1)² + n(n−1) = ${n - 1 + (n - 1) ** 2 + n * (n - 1)}; 5 one-way delays, 4 with tentative execution (client waits for 2f + 1 tentative replies); a read-only request 2 when the client multicasts it, 3 here (the simulated client sends to one replica, which relays it to the others)`,
      });
    }
    const seconds = quick ? 0.3 : 1;
    for (const n of [4, 7, 10]) {
      for (const batch of [1, 16]) {
        log(`pbft bench: throughput, n = ${n}, batch ${batch}`);
        const t = throughput(n, batch, seconds);
        rows.push({
          case: `throughput, n = ${n}, 64 clients, batches of up to ${batch}, 2 in flight (simulated; wall rate is this machine's)`,
          figures: { virtual: `${Math.round(t.perS)} req/s`, "messages per request": t.msgsPerReq.toFixed(1), wall: `${Math.round(t.perWallS)} req/wall-s` },
        });
      }
    }
    const seeds = quick ? 3 : 15;
    const active: number[] = [];
    const reply: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      log(`pbft bench: silent primary, seed ${seed}`);
      const f = silentPrimary(seed);
      if (f.activeMs !== null) active.push(f.activeMs);
      if (f.replyMs !== null) reply.push(f.replyMs);
    }
    rows.push({
      case: `view change after a silent primary (n = 4, view-change timeout 300 ms, ${seeds} seeds; simulated)`,
      figures: { "new primary active": `${median(active).toFixed(0)} ms median (${active.length}/${seeds})`, "next reply": `${median(reply).toFixed(0)} ms median` },
      quoted: "one view-change timeout plus a round of view-change and new-view messages",
    });
    for (const n of [4, 10]) {
      const c = authCost(n, quick ? 50 : 500);
      rows.push({
        case: `authenticator cost per message, n = ${n} (wall clock, this machine, HMAC-SHA256 vs Ed25519 via node:crypto)`,
        figures: {
          "MAC vector (n−1 MACs)": `${c.macVectorUs.toFixed(1)} µs`,
          "MAC check": `${c.macCheckUs.toFixed(1)} µs`,
          "Ed25519 sign": `${c.signUs.toFixed(1)} µs`,
          "Ed25519 verify": `${c.verifyUs.toFixed(1)} µs`,
          "verify / MAC check": `${(c.verifyUs / c.macCheckUs).toFixed(0)}×`,
        },
        quoted: "Castro–Liskov: MACs are about three orders of magnitude cheaper than 1999's signatures",
      });
    }
    return rows;
  },
};

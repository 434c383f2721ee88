/**
 * `pnpm bench` for the CLI: throughput and latency of a real 3-process cluster of every registered
 * protocol that serves the replicated KV store (`synod serve <protocol>`, TCP on loopback,
 * fsync'd storage), under closed-loop clients, beside a real 3-node etcd on the same machine when
 * one is installed (Debian's `etcd-server`), plus the raw cost of one fsync'd WAL append.
 *
 * Usage: `node dist/bench/cluster-bench.js [--clients 64] [--seconds 5] [--seeds 100]`. Each
 * protocol runs once with the host's default one-event-per-fsync loop and once with group commit.
 * The first table puts every protocol (and etcd) side by side, one column each: the simulator's
 * figures (messages and round trips per command, throughput with batching, recovery after leader
 * loss) over the real clusters' puts/s and latencies; the second lists every real-cluster row.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadKits, simulatorBench, type AnyKit, type SideBySideRow } from "@synod/conformance";
import { renderTable } from "../commands/table.js";
import { etcdAvailable, startEtcd, type EtcdCluster } from "./etcd.js";
import type { KvReply, KvRequest } from "../commands/kv.js";
import { FileStorage } from "../storage/file-storage.js";
import { ClusterClient } from "../transport/cluster-client.js";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "synod.js");

/** One closed-loop measurement. */
export interface Row {
  system: string;
  workload: string;
  clients: number;
  ops: number;
  opsPerSecond: number;
  latencyMsP50: number;
  latencyMsP99: number;
  latencyMsMax: number;
  timeouts: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const clientsMax = flag("--clients", 64);
  const seconds = flag("--seconds", 5);
  const seeds = flag("--seeds", 100);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "synod-bench-"));
  const children: ChildProcess[] = [];
  const notes: string[] = [];
  const workloads = [["put", 1], ["put", clientsMax], ["get", clientsMax], ["50% put, 50% get", clientsMax]] as const;
  try {
    const rows: Row[] = [walAppendRow(root)];
    // The bench's clients take one node's answer: BFT services (serve.client) are measured on the simulator.
    const kits = (await loadKits()).filter((k) => k.serve !== undefined && k.serve.client === undefined && k.histories.service.name === "kv");
    const simulated = simulatorBench(kits, { seeds, quick: false });
    for (const kit of kits) {
      for (const batchEvents of [1, 64]) {
        const ports = await freePorts(6);
        const peers = ["n1", "n2", "n3"].map((id, i) => `${id}=127.0.0.1:${ports[i]}`).join(",");
        const cluster = [3, 4, 5].map((i) => ({ host: "127.0.0.1", port: ports[i]! }));
        const started: ChildProcess[] = [];
        for (let i = 0; i < 3; i++) {
          const dataDir = path.join(root, `${kit.name}-b${batchEvents}-n${i + 1}`);
          const args = [BIN, "serve", kit.name, "--id", `n${i + 1}`, "--peers", peers, "--client-port", String(cluster[i]!.port), "--data", dataDir, "--quiet", "--batch-events", String(batchEvents)];
          started.push(spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] }));
        }
        children.push(...started);
        await warmUp(cluster);
        const system = `${kit.name}${batchEvents === 1 ? "" : ` (group commit ${batchEvents})`}`;
        for (const [workload, clients] of workloads) {
          if (batchEvents !== 1 && clients === 1) continue;
          rows.push(await closedLoop(system, (c) => kvClient(cluster, c), workload, clients, seconds));
        }
        for (const c of started) c.kill("SIGKILL");
      }
    }
    if (etcdAvailable()) {
      const etcd: EtcdCluster = await startEtcd(path.join(root, "etcd"), await freePorts(6));
      children.push(...etcd.processes);
      try {
        for (const [workload, clients] of workloads) rows.push(await closedLoop("etcd 3-node (v3 JSON gateway)", (c) => etcd.client(c), workload, clients, seconds));
      } finally {
        etcd.stop();
      }
    } else {
      notes.push("etcd: not installed here (Debian: apt-get install etcd-server), so no etcd rows");
    }
    process.stdout.write(`synod bench: replicated KV protocols side by side (simulator: ${seeds} failover seeds; real clusters: 3 processes, TCP loopback, fsync'd WAL, ${seconds} s per row, ${os.cpus().length} cores)\n`);
    process.stdout.write(`${sideBySide(kits, simulated, rows, clientsMax, etcdAvailable())}\n\n`);
    process.stdout.write(`every real-cluster row:\n`);
    process.stdout.write(
      `${renderTable(
        ["system", "workload", "clients", "ops", "ops/s", "p50 ms", "p99 ms", "max ms", "timeouts"],
        rows.map((r) => [r.system, r.workload, String(r.clients), String(r.ops), r.opsPerSecond.toFixed(0), r.latencyMsP50.toFixed(2), r.latencyMsP99.toFixed(2), r.latencyMsMax.toFixed(2), String(r.timeouts)]),
      )}\n`,
    );
    for (const n of notes) process.stdout.write(`${n}\n`);
  } finally {
    for (const c of children) c.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * One table, a column per protocol and one for etcd: the simulator's rows, then the real clusters'
 * write and mixed rows under `clients` clients (ops/s, p50/p99 ms), best of the two fsync modes.
 */
export function sideBySide(kits: readonly AnyKit[], simulated: readonly SideBySideRow[], rows: readonly Row[], clients: number, etcd: boolean): string {
  const etcdName = "etcd 3-node (v3 JSON gateway)";
  const columns = [...kits.map((k) => k.name), "etcd"];
  const body: string[][] = simulated.map((r) => [`sim: ${r.case}`, ...kits.map((k) => r.cells[k.name] ?? "-"), "-"]);
  for (const workload of ["put", "50% put, 50% get"] as const) {
    for (const n of workload === "put" ? [1, clients] : [clients]) {
      const cell = (system: (r: Row) => boolean): string => {
        const best = rows.filter((r) => system(r) && r.workload === workload && r.clients === n).sort((a, b) => b.opsPerSecond - a.opsPerSecond)[0];
        return best === undefined ? "-" : `${best.opsPerSecond.toFixed(0)}/s, p50 ${best.latencyMsP50.toFixed(1)} ms, p99 ${best.latencyMsP99.toFixed(1)} ms${best.system.includes("group commit") ? " (group commit)" : ""}`;
      };
      body.push([
        `real: ${workload}, ${n} client${n === 1 ? "" : "s"}`,
        ...kits.map((k) => cell((r) => r.system === k.name || r.system.startsWith(`${k.name} (`))),
        etcd ? cell((r) => r.system === etcdName) : "not installed",
      ]);
    }
  }
  return renderTable(["case", ...columns], body);
}

/** A KV client of a Synod cluster, in the shape the closed loop drives. */
function kvClient(cluster: { host: string; port: number }[], _c: number): BenchClient {
  const client = new ClusterClient<KvRequest, KvReply>({ cluster });
  return {
    request: async (req) => (await client.request(req, 5000)).status === "ok",
    close: () => client.close(),
  };
}

/** What the closed loop needs of a client: one request at a time, ok or not, and close. */
export interface BenchClient {
  request(req: KvRequest): Promise<boolean>;
  close(): void;
}

/** The floor under every write: one fsync'd WAL append of a Raft-entry-sized record. */
function walAppendRow(root: string): Row {
  const storage = FileStorage.open({ dir: path.join(root, "wal-bench"), log: () => {} });
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < 2000 && i < 20_000; i++) {
    const t0 = performance.now();
    storage.append([{ key: `raft/log/${String(i).padStart(12, "0")}`, value: { term: 1, command: { type: "kv", clientId: "c", seq: i, command: { op: "put", key: "k", value: "v" } } } }]);
    latencies.push(performance.now() - t0);
  }
  const elapsedS = (performance.now() - started) / 1000;
  storage.close();
  return summarize("-", "WAL append + fdatasync (no network)", 1, latencies, elapsedS, 0);
}

async function warmUp(cluster: { host: string; port: number }[]): Promise<void> {
  const client = new ClusterClient<KvRequest, KvReply>({ cluster });
  const deadline = Date.now() + 15_000;
  try {
    while (Date.now() < deadline) {
      const out = await client.request({ op: "put", key: "warm", value: "up" }, 2000);
      if (out.status === "ok") return;
    }
    throw new Error("the cluster did not elect a leader within 15 s");
  } finally {
    client.close();
  }
}

async function closedLoop(
  system: string,
  connect: (client: number) => BenchClient,
  workload: "put" | "get" | "50% put, 50% get",
  clients: number,
  seconds: number,
): Promise<Row> {
  const latencies: number[] = [];
  let timeouts = 0;
  const endAt = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const client = connect(c);
      try {
        for (let n = 0; performance.now() < endAt; n++) {
          const key = `k${(c * 7 + n) % 100}`;
          const isPut = workload === "put" || (workload !== "get" && n % 2 === 0);
          const req: KvRequest = isPut ? { op: "put", key, value: `c${c}-${n}` } : { op: "get", key };
          const t0 = performance.now();
          if (await client.request(req)) latencies.push(performance.now() - t0);
          else timeouts++;
        }
      } finally {
        client.close();
      }
    }),
  );
  return summarize(system, workload, clients, latencies, (performance.now() - started) / 1000, timeouts);
}

function summarize(system: string, workload: string, clients: number, latencies: number[], elapsedS: number, timeouts: number): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
  return {
    system,
    workload,
    clients,
    ops: sorted.length,
    opsPerSecond: sorted.length / elapsedS,
    latencyMsP50: pct(0.5),
    latencyMsP99: pct(0.99),
    latencyMsMax: sorted[sorted.length - 1] ?? NaN,
    timeouts,
  };
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const s = net.createServer();
      s.listen(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

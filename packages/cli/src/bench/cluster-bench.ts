/**
 * `pnpm bench` for the CLI: throughput and latency of a real 3-process Raft cluster on loopback
 * with fsync'd storage, under closed-loop clients, plus the raw cost of one fsync'd WAL append.
 *
 * Usage: `node dist/bench/cluster-bench.js [--clients 64] [--seconds 5]`. Prints a table: once
 * with the host's default one-event-per-fsync loop, once with group commit.
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
import { renderTable } from "../commands/table.js";
import type { KvReply, KvRequest } from "../commands/kv.js";
import { FileStorage } from "../storage/file-storage.js";
import { ClusterClient } from "../transport/cluster-client.js";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "synod.js");

interface Row {
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
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "synod-bench-"));
  const children: ChildProcess[] = [];
  try {
    const rows: Row[] = [walAppendRow(root)];
    for (const batchEvents of [1, 64]) {
      const ports = await freePorts(6);
      const peers = ["n1", "n2", "n3"].map((id, i) => `${id}=127.0.0.1:${ports[i]}`).join(",");
      const cluster = [3, 4, 5].map((i) => ({ host: "127.0.0.1", port: ports[i]! }));
      const started: ChildProcess[] = [];
      for (let i = 0; i < 3; i++) {
        const dataDir = path.join(root, `b${batchEvents}-n${i + 1}`);
        const args = [BIN, "serve", "raft", "--id", `n${i + 1}`, "--peers", peers, "--client-port", String(cluster[i]!.port), "--data", dataDir, "--quiet", "--batch-events", String(batchEvents)];
        started.push(spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] }));
      }
      children.push(...started);
      await warmUp(cluster);
      const mode = batchEvents === 1 ? "" : ` (group commit ${batchEvents})`;
      for (const [workload, clients] of [["put", 1], ["put", clientsMax], ["get", clientsMax], ["50% put, 50% get", clientsMax]] as const) {
        if (batchEvents !== 1 && clients === 1) continue;
        rows.push(await closedLoop(cluster, workload, clients, seconds, mode));
      }
      for (const c of started) c.kill("SIGKILL");
    }
    process.stdout.write(`synod cli bench: 3-node Raft over TCP loopback, fsync'd WAL (${os.cpus().length} cores, ${seconds} s per row)\n`);
    process.stdout.write(
      `${renderTable(
        ["workload", "clients", "ops", "ops/s", "p50 ms", "p99 ms", "max ms", "timeouts"],
        rows.map((r) => [r.workload, String(r.clients), String(r.ops), r.opsPerSecond.toFixed(0), r.latencyMsP50.toFixed(2), r.latencyMsP99.toFixed(2), r.latencyMsMax.toFixed(2), String(r.timeouts)]),
      )}\n`,
    );
  } finally {
    for (const c of children) c.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  }
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
  return summarize("WAL append + fdatasync (no network)", 1, latencies, elapsedS, 0);
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
  cluster: { host: string; port: number }[],
  workload: "put" | "get" | "50% put, 50% get",
  clients: number,
  seconds: number,
  mode: string,
): Promise<Row> {
  const latencies: number[] = [];
  let timeouts = 0;
  const endAt = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const client = new ClusterClient<KvRequest, KvReply>({ cluster });
      try {
        for (let n = 0; performance.now() < endAt; n++) {
          const key = `k${(c * 7 + n) % 100}`;
          const isPut = workload === "put" || (workload !== "get" && n % 2 === 0);
          const req: KvRequest = isPut ? { op: "put", key, value: `c${c}-${n}` } : { op: "get", key };
          const t0 = performance.now();
          const out = await client.request(req, 5000);
          if (out.status === "ok") latencies.push(performance.now() - t0);
          else timeouts++;
        }
      } finally {
        client.close();
      }
    }),
  );
  return summarize(`${workload}${mode}`, clients, latencies, (performance.now() - started) / 1000, timeouts);
}

function summarize(workload: string, clients: number, latencies: number[], elapsedS: number, timeouts: number): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
  return {
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

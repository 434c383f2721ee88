/**
 * A real 3-node etcd on loopback for the cluster bench: what users of a Raft KV compare with.
 * Debian's `etcd-server` (3.4) runs it; clients speak etcd's v3 JSON gateway over HTTP with
 * keep-alive (base64 keys and values), which adds HTTP and JSON work that Synod's binary client
 * does not have — say so wherever the figures are quoted.
 *
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { BenchClient } from "./cluster-bench.js";

/** A running etcd cluster. */
export interface EtcdCluster {
  processes: ChildProcess[];
  /** A client bound to one member (spread over the members by client number). */
  client(n: number): BenchClient;
  stop(): void;
}

/** Whether an `etcd` binary is on the PATH. */
export function etcdAvailable(): boolean {
  return spawnSync("etcd", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Start etcd members e1..e3 with data under `dir`, on `ports` (peer ports then client ports). */
export async function startEtcd(dir: string, ports: number[]): Promise<EtcdCluster> {
  const names = ["e1", "e2", "e3"];
  const peer = (i: number): string => `http://127.0.0.1:${ports[i]}`;
  const clientUrl = (i: number): string => `http://127.0.0.1:${ports[i + 3]}`;
  const initial = names.map((n, i) => `${n}=${peer(i)}`).join(",");
  const processes = names.map((name, i) =>
    spawn(
      "etcd",
      [
        "--name", name,
        "--data-dir", `${dir}/${name}`,
        "--listen-peer-urls", peer(i),
        "--initial-advertise-peer-urls", peer(i),
        "--listen-client-urls", clientUrl(i),
        "--advertise-client-urls", clientUrl(i),
        "--initial-cluster", initial,
        "--initial-cluster-state", "new",
        "--initial-cluster-token", "synod-bench",
        "--log-level", "error",
      ],
      { stdio: ["ignore", "ignore", "ignore"] },
    ),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const b64 = (s: string): string => Buffer.from(s).toString("base64");
  const post = (i: number, path: string, body: object): Promise<number> =>
    new Promise((resolve) => {
      const data = JSON.stringify(body);
      const req = http.request(`${clientUrl(i)}${path}`, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) }, timeout: 5000 }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", () => resolve(0));
      req.on("timeout", () => req.destroy());
      req.end(data);
    });
  const deadline = Date.now() + 20_000;
  while ((await post(0, "/v3/kv/put", { key: b64("warm"), value: b64("up") })) !== 200) {
    if (Date.now() > deadline) {
      for (const p of processes) p.kill("SIGKILL");
      throw new Error("etcd did not answer within 20 s");
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    processes,
    client: (n) => ({
      // Reads are linearizable (etcd's default serializable=false), as Synod's are.
      request: async (req) =>
        (await post(n % 3, req.op === "get" ? "/v3/kv/range" : "/v3/kv/put", req.op === "get" ? { key: b64(req.key) } : { key: b64(req.key), value: b64((req as { value: string }).value) })) === 200,
      close: () => undefined,
    }),
    stop: () => {
      for (const p of processes) p.kill("SIGKILL");
      agent.destroy();
    },
  };
}

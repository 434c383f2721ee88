/**
 * Synod's Redlock (`@synod/lock`) served for real: every node (five stores, the token counter, the
 * fenced storage and one Redlock client node per application) is a process of its own
 * (`lib/synod-node.mjs`, a `startNodeServer` of `@synod/cli`) with its TCP peer and client ports
 * on loopback, its own fsync'd file storage in a temp dir and real timers. The lock kit has no
 * `synod serve` form, so this is the loopback host the comparison needs. Applications send `work`
 * through `ClusterClient` to their client node, as `synod kv` does to a KV node.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterClient } from "@synod/cli";
import { freePorts } from "./servers.mjs";

const nodeScript = join(dirname(fileURLToPath(import.meta.url)), "synod-node.mjs");

/** A running Synod lock cluster, one process per node. */
export class SynodCluster {
  /** @param {{ dir: string, clients: number, stores?: number, tickMs: number, ttlTicks: number }} o */
  constructor(o) {
    this.o = o;
    this.stores = Array.from({ length: o.stores ?? 5 }, (_, k) => `s${k + 1}`);
    this.clientIds = Array.from({ length: o.clients }, (_, k) => `c${k + 1}`);
    this.ids = [...this.stores, "counter", "storage", ...this.clientIds];
    this.children = new Map();
    this.clientPorts = new Map();
    this.logFile = join(o.dir, "synod-nodes.log");
  }

  async start() {
    mkdirSync(this.o.dir, { recursive: true });
    const ports = await freePorts(2 * this.ids.length);
    const peers = this.ids.map((id, k) => [id, { host: "127.0.0.1", port: ports[2 * k] }]);
    this.ids.forEach((id, k) => this.clientPorts.set(id, ports[2 * k + 1]));
    const options = { stores: this.stores, counter: "counter", storage: "storage", clients: this.clientIds, tickMs: this.o.tickMs, ttlTicks: this.o.ttlTicks };
    await Promise.all(
      this.ids.map((id) => {
        const arg = JSON.stringify({ id, peers, clientPort: this.clientPorts.get(id), dataDir: join(this.o.dir, id), options, logFile: this.logFile });
        const child = spawn(process.execPath, [nodeScript, arg], { stdio: ["ignore", "pipe", "pipe"] });
        const exited = new Promise((resolve) => child.once("exit", resolve));
        this.children.set(id, { child, exited });
        let err = "";
        child.stderr.on("data", (d) => (err += d.toString()));
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`Synod node ${id} did not start within 60 s: ${err.slice(-400)}`)), 60_000);
          child.stdout.on("data", (d) => {
            if (d.toString().includes("ready")) {
              clearTimeout(timer);
              resolve();
            }
          });
          exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`Synod node ${id} exited at start (code ${code}): ${err.slice(-400)}`));
          });
        });
      }),
    );
  }

  /** The pids of the running node processes (for their CPU time). */
  pids() {
    return [...this.children.values()].filter(({ child }) => child.exitCode === null && child.signalCode === null).map(({ child }) => child.pid);
  }

  /** A client of the application `k` (0-based), talking to its Redlock client node. */
  app(k) {
    const id = this.clientIds[k];
    return new ClusterClient({ cluster: [{ host: "127.0.0.1", port: this.clientPorts.get(id) }], clientId: `app-${id}`, attemptTimeoutMs: 2000, retryDelayMs: 20 });
  }

  /** Client access to the storage node (its log). */
  storageClient() {
    return new ClusterClient({ cluster: [{ host: "127.0.0.1", port: this.clientPorts.get("storage") }], clientId: "final" });
  }

  /** Crash node `id`: SIGKILL its process. */
  async kill(id) {
    const c = this.children.get(id);
    if (c === undefined) return;
    this.children.delete(id);
    c.child.kill("SIGKILL");
    await c.exited;
  }

  /** Stop every node: SIGTERM, SIGKILL after 5 s. */
  async stop() {
    await Promise.all(
      [...this.children.values()].map(async ({ child, exited }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(t);
      }),
    );
    this.children.clear();
  }
}

/**
 * One `work` through Synod: the client node takes the lock, gets its token from the counter,
 * writes to the fenced storage and lets the lock expire. Recorded in the judge's token form.
 */
export async function synodWork(client, name, seq, history, timeoutMs) {
  const t0 = history.now();
  const value = `${name}.${seq}`;
  history.add(name, "invoke", "work", value, t0);
  const r = await client.request({ op: "work", value }, timeoutMs);
  if (r.status === "ok") {
    const { attempt, token, accepted } = r.result;
    history.add(name, "ok", "work", { attempt, token, accepted });
    return { ok: true, workMs: history.now() - t0, attempt, token, accepted };
  }
  // A timeout may have taken effect; a rejection did not.
  history.add(name, r.status === "rejected" ? "fail" : "info", "work", r.status === "rejected" ? r.detail : r.status);
  return { ok: false, workMs: history.now() - t0, error: r.status === "rejected" ? r.detail : (r.lastProblem ?? r.status) };
}

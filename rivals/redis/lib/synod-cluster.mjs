/**
 * Synod's Redlock (`@synod/lock`) served for real with `synod serve lock` (the committed bin of
 * `@synod/cli`): every node (five stores, the token counter, the fenced storage and one Redlock
 * client node per application) is a process of its own with its TCP peer and client ports on
 * loopback, its own fsync'd file storage in a temp dir and real timers. Applications send `work`
 * through `ClusterClient` to their client node, as `synod kv` does to a KV node.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterClient } from "@synod/cli";
import { freePorts } from "./servers.mjs";

/** The committed bin (build it first: `npx -y pnpm@10 --filter @synod/cli... build`). */
export const SYNOD_BIN = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));

/** A running Synod lock cluster, one `synod serve lock` process per node. */
export class SynodCluster {
  /** @param {{ dir: string, clients: number, stores?: number, tickMs: number, ttlTicks: number, retryDelayMs: number, seed: number }} o */
  constructor(o) {
    this.o = o;
    this.stores = Array.from({ length: o.stores ?? 5 }, (_, k) => `s${k + 1}`);
    this.clientIds = Array.from({ length: o.clients }, (_, k) => `c${k + 1}`);
    this.ids = [...this.stores, "counter", "storage", ...this.clientIds];
    this.children = new Map();
    this.clientPorts = new Map();
  }

  async start() {
    mkdirSync(this.o.dir, { recursive: true });
    const ports = await freePorts(2 * this.ids.length);
    const peers = this.ids.map((id, k) => `${id}=127.0.0.1:${ports[2 * k]}`).join(",");
    this.ids.forEach((id, k) => this.clientPorts.set(id, ports[2 * k + 1]));
    const options = { stores: this.stores, counter: "counter", storage: "storage", clients: this.clientIds, tickMs: this.o.tickMs, ttlTicks: this.o.ttlTicks, retryDelayMs: this.o.retryDelayMs };
    await Promise.all(
      this.ids.map((id, k) => {
        const data = join(this.o.dir, id);
        mkdirSync(data, { recursive: true });
        const logFile = join(data, "serve.log");
        const out = openSync(logFile, "a");
        const args = [SYNOD_BIN, "serve", "lock", "--id", id, "--peers", peers, "--client-port", String(this.clientPorts.get(id)), "--data", data, "--protocol-options", JSON.stringify(options), "--seed", String(this.o.seed * 1000 + k)];
        const child = spawn(process.execPath, args, { stdio: ["ignore", out, out] });
        closeSync(out);
        const exited = new Promise((resolve) => child.once("exit", resolve));
        this.children.set(id, { child, exited });
        return this.waitServing(id, logFile, exited);
      }),
    );
  }

  /** Resolves once node `id` answers its status on its client port; rejects if it exits first or takes 60 s. */
  async waitServing(id, logFile, exited) {
    const { queryStatus } = await import("@synod/cli");
    let gone = false;
    exited.then(() => (gone = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (gone) throw new Error(`synod serve lock --id ${id} exited at start; see ${logFile}`);
      const s = await queryStatus({ host: "127.0.0.1", port: this.clientPorts.get(id) }, 500).catch(() => ({ ok: false }));
      if (s.ok) return;
      if (Date.now() > deadline) throw new Error(`synod serve lock --id ${id} did not answer within 60 s; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 100));
    }
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
 * writes to the fenced storage and deletes its keys. Recorded in the judge's token form;
 * `acquireMs` is the client node's own measure of its wait for the lock (`waitedMs`).
 */
export async function synodWork(client, name, seq, history, timeoutMs) {
  const t0 = history.now();
  const value = `${name}.${seq}`;
  history.add(name, "invoke", "work", value, t0);
  const r = await client.request({ op: "work", value }, timeoutMs);
  if (r.status === "ok") {
    const { attempt, token, accepted, waitedMs } = r.result;
    history.add(name, "ok", "work", { attempt, token, accepted });
    return { ok: true, workMs: history.now() - t0, acquireMs: waitedMs, attempt, token, accepted };
  }
  // A timeout may have taken effect; a rejection did not.
  history.add(name, r.status === "rejected" ? "fail" : "info", "work", r.status === "rejected" ? r.detail : r.status);
  return { ok: false, workMs: history.now() - t0, error: r.status === "rejected" ? r.detail : (r.lastProblem ?? r.status) };
}

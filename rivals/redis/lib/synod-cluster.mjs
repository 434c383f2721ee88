/**
 * Synod's Redlock (`@synod/lock`) served for real: every node (five stores, the token counter, the
 * fenced storage and one Redlock client node per application) is a `startNodeServer` of
 * `@synod/cli` — its own TCP peer and client ports on loopback, its own fsync'd file storage in a
 * temp dir, real timers — all in this process. The lock kit has no `synod serve` form, so this is
 * the loopback host the comparison needs. Applications send `work` through `ClusterClient` to
 * their client node, as `synod kv` does to a KV node.
 *
 * @module
 */
import { mkdirSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { ClusterClient, startNodeServer } from "@synod/cli";
import { checkCommand, checkMessage, createLockNode } from "@synod/lock";
import { freePorts } from "./servers.mjs";

/** A running Synod lock cluster. */
export class SynodCluster {
  /** @param {{ dir: string, clients: number, stores?: number, tickMs: number, ttlTicks: number }} o */
  constructor(o) {
    this.o = o;
    this.stores = Array.from({ length: o.stores ?? 5 }, (_, k) => `s${k + 1}`);
    this.clientIds = Array.from({ length: o.clients }, (_, k) => `c${k + 1}`);
    this.ids = [...this.stores, "counter", "storage", ...this.clientIds];
    this.servers = new Map();
    this.clientPorts = new Map();
    this.logFile = join(o.dir, "synod-nodes.log");
  }

  async start() {
    mkdirSync(this.o.dir, { recursive: true });
    const peers = new Map();
    const ports = await freePorts(2 * this.ids.length);
    this.ids.forEach((id, k) => {
      peers.set(id, { host: "127.0.0.1", port: ports[2 * k] });
      this.clientPorts.set(id, ports[2 * k + 1]);
    });
    const options = { stores: this.stores, counter: "counter", storage: "storage", clients: this.clientIds, tickMs: this.o.tickMs, ttlTicks: this.o.ttlTicks };
    const log = (line) => appendFileSync(this.logFile, `${line}\n`);
    for (const id of this.ids) {
      const server = await startNodeServer({
        id,
        peers,
        clientListen: { host: "127.0.0.1", port: this.clientPorts.get(id) },
        dataDir: join(this.o.dir, id),
        createNode: () => createLockNode(id, options),
        checkMessage,
        checkCommand,
        protocol: "lock",
        log,
      });
      this.servers.set(id, server);
    }
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

  /** Crash node `id` (its sockets close, its process state is gone). */
  async kill(id) {
    const s = this.servers.get(id);
    if (s === undefined) return;
    this.servers.delete(id);
    await s.stop();
  }

  async stop() {
    await Promise.all([...this.servers.values()].map((s) => s.stop()));
    this.servers.clear();
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

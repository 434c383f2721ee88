/**
 * Synod's zklock served over TCP (`synod serve zklock`): 3 Raft replicas of the coordination tree
 * (n1–n3), the storage (n4) and one process per lock client (n5…), each a `synod serve` process
 * with its own data directory, so the holder or the Raft leader can be killed or paused for real.
 *
 * @module
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterClient, queryStatus } from "@synod/cli";

/** The `synod` command of this checkout. */
export const SYNOD_BIN = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));

/** Throw a clear error if the checkout is not built. */
export function checkSynodBuilt() {
  if (!fs.existsSync(SYNOD_BIN)) throw new Error(`${SYNOD_BIN} is missing: build the checkout first (npx -y pnpm@10 build)`);
}

/**
 * The protocol options (`--protocol-options`) of a served zklock cluster with `clients` lock clients.
 * A client resends an unanswered tree request after `resendMs` (to the next replica), as a
 * ZooKeeper client moves to another server on a connection loss.
 * `raft` holds Raft options for the tree's replicas (e.g. `{ "readMode": "lease" }`); empty: Raft's defaults.
 * @param {{ clients: number, sessionTtlMs: number, heartbeatMs: number, workMs: number, fenced: boolean, resendMs: number, raft?: object }} o
 */
export function zklockOptions(o) {
  return {
    coord: ["n1", "n2", "n3"],
    storage: "n4",
    clients: Array.from({ length: o.clients }, (_, k) => `n${5 + k}`),
    sessionTtlMs: o.sessionTtlMs,
    heartbeatMs: o.heartbeatMs,
    expireEveryMs: 100,
    workMs: o.workMs,
    resendMs: o.resendMs,
    ...(o.fenced ? {} : { uncheckedToken: true }),
    ...(o.raft !== undefined && Object.keys(o.raft).length > 0 ? { raft: o.raft } : {}),
  };
}

/** A served zklock cluster on ports from `basePort` (peers) and `basePort + 50` (clients). */
export class SynodZkCluster {
  /**
   * @param {{ dir: string, basePort: number, clients: number, sessionTtlMs: number, heartbeatMs: number, workMs: number, fenced: boolean, resendMs: number, electionTimeoutMs: string, raftHeartbeatMs: number, batchEvents: number }} o
   */
  constructor(o) {
    this.o = o;
    this.options = zklockOptions(o);
    this.ids = [...this.options.coord, this.options.storage, ...this.options.clients];
    this.nodes = new Map(this.ids.map((id, k) => [id, { id, peerPort: o.basePort + k, clientPort: o.basePort + 50 + k, proc: null }]));
    this.connections = 0;
    /** @type {Map<string, ClusterClient>} */
    this.clients = new Map();
  }

  get peers() {
    return [...this.nodes.values()].map((n) => `${n.id}=127.0.0.1:${n.peerPort}`).join(",");
  }

  spawn(n) {
    const data = path.join(this.o.dir, n.id);
    fs.mkdirSync(data, { recursive: true });
    const out = fs.openSync(path.join(data, "serve.log"), "a");
    const args = [SYNOD_BIN, "serve", "zklock", "--id", n.id, "--peers", this.peers, "--client-port", String(n.clientPort), "--data", data, "--protocol-options", JSON.stringify(this.options), "--election-timeout-ms", this.o.electionTimeoutMs, "--heartbeat-ms", String(this.o.raftHeartbeatMs), "--batch-events", String(this.o.batchEvents), "--quiet"];
    n.proc = spawn(process.execPath, args, { stdio: ["ignore", out, out] });
    fs.closeSync(out);
    const proc = n.proc;
    proc.on("exit", () => {
      if (n.proc === proc) n.proc = null;
    });
  }

  /** Start every node; resolves once one replica leads. */
  async start() {
    for (const n of this.nodes.values()) this.spawn(n);
    await this.waitLeader(60000);
  }

  /** The replica that says it leads, or null. */
  async leader() {
    for (const id of this.options.coord) {
      const n = this.nodes.get(id);
      if (n.proc === null) continue;
      const s = await queryStatus({ host: "127.0.0.1", port: n.clientPort }, 1000);
      if (s.ok && s.answer.status.leader) return n;
    }
    return null;
  }

  async waitLeader(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = await this.leader();
      if (l !== null) return l;
      if (Date.now() > deadline) throw new Error(`no zklock replica leads after ${timeoutMs} ms; see ${this.o.dir}/n*/serve.log`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The role lock client `k` reports in its status (`client (working)`: it holds the lock), or null. */
  async clientRole(k) {
    const n = this.clientNode(k);
    if (n.proc === null) return null;
    const s = await queryStatus({ host: "127.0.0.1", port: n.clientPort }, 1000);
    return s.ok ? s.answer.status.role : null;
  }

  /** The process of lock client `k` (0-based). */
  clientNode(k) {
    return this.nodes.get(this.options.clients[k]);
  }

  /** A connection to node `id`'s client port (one request at a time). */
  connection(id) {
    let c = this.clients.get(id);
    if (c === undefined) {
      c = new ClusterClient({ cluster: [{ host: "127.0.0.1", port: this.nodes.get(id).clientPort }], clientId: `driver-${id}-${process.pid}-${++this.connections}`, attemptTimeoutMs: 1000 });
      this.clients.set(id, c);
    }
    return c;
  }

  /** Forget the connection to `id` (its process was killed; the next request opens a new one with a new client id). */
  dropConnection(id) {
    const c = this.clients.get(id);
    if (c !== undefined) c.close();
    this.clients.delete(id);
  }

  kill(n, signal = "SIGKILL") {
    if (n.proc !== null) n.proc.kill(signal);
  }

  restart(n) {
    if (n.proc === null) this.spawn(n);
  }

  async stop() {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    await Promise.all(
      [...this.nodes.values()].map(
        (n) =>
          new Promise((resolve) => {
            if (n.proc === null) return resolve();
            n.proc.once("exit", () => resolve());
            n.proc.kill("SIGCONT");
            n.proc.kill("SIGKILL");
          }),
      ),
    );
  }
}

/**
 * The two systems under the same driver: each side starts a cluster with `clients` lock clients
 * and a fenced or unfenced store, runs `work` on a client (take the lock, work, write with the
 * fencing token, let go), reads the store's log, and kills, pauses or restarts a client or the
 * coordination leader by its process id.
 *
 * @module
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStore } from "./store.mjs";
import { SynodZkCluster } from "./synod-cluster.mjs";
import { ZkEnsemble } from "./zk-cluster.mjs";

const WORKER = fileURLToPath(new URL("./zk-worker.mjs", import.meta.url));
/** A work operation with no answer in this long is recorded as `info` (outcome unknown). */
export const WORK_TIMEOUT_MS = 30000;

/**
 * The ZooKeeper side: 3 servers, a store in this process, one worker process per client.
 * @param {{ dir: string, basePort: number, tickMs: number, sessionMs: number }} cfg
 */
export function zookeeperSide(cfg) {
  let ensemble = null;
  let store = null;
  let workMs = 0;
  const workers = [];
  let nextId = 0;

  function spawnWorker(k) {
    const w = { k, proc: null, ready: null, waiting: new Map() };
    w.proc = fork(WORKER, [`c${k + 1}`, ensemble.connectString, String(cfg.sessionMs), store.url], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    w.ready = new Promise((resolve) => {
      w.proc.on("message", (m) => {
        if (m.type === "ready") return resolve();
        const op = w.waiting.get(m.id);
        if (op === undefined) return;
        if (m.type === "acquired") return op.onAcquired?.(m);
        w.waiting.delete(m.id);
        op.resolve(m.type === "done" ? { status: "ok", result: { attempt: m.attempt, token: m.token, accepted: m.accepted } } : { status: "fail", reason: m.reason });
      });
    });
    w.proc.on("exit", () => {
      for (const op of w.waiting.values()) op.resolve({ status: "info", reason: "the client's process died" });
      w.waiting.clear();
    });
    workers[k] = w;
    return w.ready;
  }

  return {
    name: "ZooKeeper 3.8",
    async start(o) {
      workMs = o.workMs;
      const dir = path.join(cfg.dir, `zk-${Date.now()}`);
      fs.mkdirSync(dir, { recursive: true });
      ensemble = new ZkEnsemble({ dir, basePort: cfg.basePort, tickMs: cfg.tickMs });
      await ensemble.start();
      store = await startStore({ fenced: o.fenced, file: path.join(dir, "store.log") });
      await Promise.all(Array.from({ length: o.clients }, (_, k) => spawnWorker(k)));
    },
    work(k, value, hooks = {}) {
      const w = workers[k];
      const id = ++nextId;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          w.waiting.delete(id);
          resolve({ status: "info", reason: `no answer in ${WORK_TIMEOUT_MS} ms` });
        }, WORK_TIMEOUT_MS);
        w.waiting.set(id, { resolve: (r) => (clearTimeout(timer), resolve(r)), onAcquired: hooks.onAcquired });
        if (w.proc.exitCode !== null || w.proc.signalCode !== null) return w.waiting.get(id).resolve({ status: "info", reason: "the client's process is dead" });
        w.proc.send({ type: "work", id, value, workMs });
      });
    },
    clientPid: (k) => workers[k].proc.pid,
    /** Process ids: the coordination servers (the JVMs) and the lock clients (the store is in the driver). */
    pids: () => ({ servers: ensemble.servers.flatMap((s) => (s.proc ? [s.proc.pid] : [])), clients: workers.flatMap((w) => (w?.proc ? [w.proc.pid] : [])) }),
    signalClient: (k, sig) => workers[k].proc.kill(sig),
    restartClient: (k) => spawnWorker(k),
    async leader() {
      const s = await ensemble.leader();
      return s === null ? null : { name: `zk${s.id}`, pid: s.proc.pid, handle: s };
    },
    killServer: (l) => ensemble.kill(l.handle),
    restartServer: (l) => ensemble.restart(l.handle),
    readLog: async () => store.state.log.map((w) => ({ ...w })),
    async stop() {
      for (const w of workers) {
        if (w?.proc && w.proc.exitCode === null && w.proc.signalCode === null) {
          w.proc.kill("SIGCONT");
          w.proc.kill("SIGKILL");
        }
      }
      workers.length = 0;
      if (ensemble !== null) await ensemble.stop();
      if (store !== null) await store.close();
      ensemble = store = null;
    },
  };
}

/**
 * Synod's side: `synod serve zklock` processes (3 Raft replicas, the storage, one per client).
 * The served recipe answers once, after the write; when it holds the lock is read from its
 * status (its role turns `client (working)`), polled every 20 ms.
 * @param {{ dir: string, basePort: number, sessionMs: number, heartbeatMs: number, resendMs: number, electionTimeoutMs: string, raftHeartbeatMs: number, batchEvents: number, raft?: object }} cfg
 */
export function synodSide(cfg) {
  let cluster = null;
  /**
   * Report when client `k` holds the lock: its status role turns `client (working)`. Polled every
   * 20 ms while its work is under way, so the time is accurate to a poll and a status round trip.
   */
  async function watchHolding(k, onAcquired) {
    const deadline = Date.now() + WORK_TIMEOUT_MS;
    while (cluster !== null && Date.now() < deadline) {
      const role = await cluster.clientRole(k).catch(() => null);
      if (role === "client (working)") return onAcquired();
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    name: `Synod zklock (Raft${cfg.batchEvents > 1 ? `, --batch-events ${cfg.batchEvents}` : ""}${cfg.resendMs !== 1000 ? `, resend ${cfg.resendMs} ms` : ""}${Object.keys(cfg.raft ?? {}).length > 0 ? `, raft ${JSON.stringify(cfg.raft)}` : ""})`,
    async start(o) {
      const dir = path.join(cfg.dir, `synod-${Date.now()}`);
      cluster = new SynodZkCluster({ dir, basePort: cfg.basePort, clients: o.clients, sessionTtlMs: cfg.sessionMs, heartbeatMs: cfg.heartbeatMs, workMs: o.workMs, fenced: o.fenced, resendMs: cfg.resendMs, electionTimeoutMs: cfg.electionTimeoutMs, raftHeartbeatMs: cfg.raftHeartbeatMs, batchEvents: cfg.batchEvents, raft: cfg.raft });
      await cluster.start();
    },
    async work(k, value, hooks = {}) {
      const n = cluster.clientNode(k);
      if (hooks.watchHolding === true) void watchHolding(k, hooks.onAcquired);
      if (n.proc === null) return { status: "info", reason: "the client's process is dead" };
      let onExit;
      const died = new Promise((resolve) => (onExit = () => resolve({ status: "info", reason: "the client's process died" })));
      const proc = n.proc;
      proc.once("exit", onExit);
      const asked = cluster
        .connection(n.id)
        .request({ op: "work", value }, WORK_TIMEOUT_MS)
        .then((out) => {
          if (out.status === "ok") return { status: "ok", result: { attempt: out.result.attempt, token: out.result.token, accepted: out.result.accepted }, waitedMs: out.result.waitedMs };
          if (out.status === "rejected") return { status: "fail", reason: out.detail };
          return { status: "info", reason: out.status === "timeout" ? out.lastProblem : out.detail };
        });
      const r = await Promise.race([asked, died]);
      proc.off("exit", onExit);
      if (r.reason === "the client's process died") cluster.dropConnection(n.id);
      return r;
    },
    clientPid: (k) => cluster.clientNode(k).proc.pid,
    /** Process ids: the tree's replicas and the lock clients (the storage node is left out, as the ZooKeeper side's store is in the driver). */
    pids: () => {
      const of = (ids) => ids.flatMap((id) => (cluster.nodes.get(id).proc ? [cluster.nodes.get(id).proc.pid] : []));
      return { servers: of(cluster.options.coord), clients: of(cluster.options.clients) };
    },
    signalClient: (k, sig) => cluster.kill(cluster.clientNode(k), sig),
    async restartClient(k) {
      const n = cluster.clientNode(k);
      cluster.dropConnection(n.id);
      cluster.restart(n);
    },
    async leader() {
      const n = await cluster.leader();
      return n === null ? null : { name: n.id, pid: n.proc.pid, handle: n };
    },
    killServer: (l) => cluster.kill(l.handle),
    restartServer: (l) => cluster.restart(l.handle),
    async readLog() {
      const out = await cluster.connection(cluster.options.storage).request({ op: "log" }, 10000);
      if (out.status !== "ok") throw new Error(`reading the storage's log: ${out.status} (${out.lastProblem ?? out.detail ?? ""})`);
      return out.result.writes;
    },
    async stop() {
      if (cluster !== null) await cluster.stop();
      cluster = null;
    },
  };
}

/**
 * The two systems under the same driver. Each side starts 3 candidates that keep answering "am I
 * the leader?" into one history, names the candidate that leads now, and kills, pauses or
 * restarts a candidate's process.
 *
 * - etcd: 3 etcd members and 3 campaigner processes (etcd3's election API, `naive` or `checked`).
 * - Synod: 3 `synod serve election` processes (the lease election); the driver asks each member
 *   over its client port every `claimEveryMs` and records the answers.
 *
 * @module
 */
import { fork, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterClient } from "@synod/cli";
import { EtcdCluster } from "./etcd-cluster.mjs";

const CAMPAIGNER = fileURLToPath(new URL("./campaigner.mjs", import.meta.url));
/** The `synod` command of this checkout. */
export const SYNOD_BIN = fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));

/** Throw a clear error if the checkout is not built. */
export function checkSynodBuilt() {
  if (!fs.existsSync(SYNOD_BIN)) throw new Error(`${SYNOD_BIN} is missing: build the checkout first (npx -y pnpm@10 build)`);
}

/** The newest claim per candidate, to name the leader now. */
function leaderTracker() {
  const latest = new Map();
  return {
    note(node, generation, atNs) {
      latest.set(node, { generation, atNs });
    },
    /** The candidate with the newest generation claimed within the last `withinNs`, or null. */
    leader(nowNs, withinNs) {
      let best = null;
      for (const [node, c] of latest) if (nowNs - c.atNs <= withinNs && (best === null || c.generation > best.generation)) best = { node, ...c };
      return best;
    },
  };
}

/**
 * The etcd side.
 * @param {{ dir: string, basePort: number, ttlS: number, claimEveryMs: number, mode: "naive" | "checked" }} cfg
 */
export function etcdSide(cfg) {
  let cluster = null;
  const procs = new Map();
  const tracker = leaderTracker();
  let history = null;
  const spawnCampaigner = (name) =>
    new Promise((resolve) => {
      const p = fork(CAMPAIGNER, [name, cluster.endpoints.join(","), String(cfg.ttlS), cfg.mode, String(cfg.claimEveryMs), String(history.t0)], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
      procs.set(name, p);
      p.on("message", (m) => {
        if (m.type === "ready") return resolve();
        if (m.type === "claim") {
          history.claim(`etcd-${m.node}`, m.invokeNs, m.okNs, { node: m.node, generation: m.generation, leaseRemainingMs: m.leaseRemainingMs });
          tracker.note(m.node, m.generation, m.okNs);
        }
      });
    });
  return {
    name: `etcd 3.4 election (${cfg.mode} client)`,
    candidates: ["c1", "c2", "c3"],
    async start(h) {
      history = h;
      cluster = new EtcdCluster({ dir: path.join(cfg.dir, `etcd-${Date.now()}`), basePort: cfg.basePort, heartbeatMs: 100, electionMs: 1000 });
      await cluster.start();
      for (const c of this.candidates) await spawnCampaigner(c);
    },
    leader: () => tracker.leader(history.now(), 300e6),
    signal: (name, sig) => procs.get(name)?.kill(sig),
    async restart(name) {
      await spawnCampaigner(name);
    },
    /** etcd's own Raft leader, to kill it (the election's leader should survive that). */
    async serverLeader() {
      const m = await cluster.leader();
      return m === null ? null : { name: m.name, kill: () => cluster.kill(m), restart: () => cluster.restart(m) };
    },
    async stop() {
      for (const p of procs.values()) {
        p.kill("SIGCONT");
        p.kill("SIGKILL");
      }
      procs.clear();
      if (cluster !== null) await cluster.stop();
      cluster = null;
    },
  };
}

/**
 * Synod's side.
 * @param {{ dir: string, basePort: number, leaseMs: number, driftBound: number, renewEveryMs: number, electionTimeoutMs: string, claimEveryMs: number }} cfg
 */
export function synodSide(cfg) {
  const ids = ["n1", "n2", "n3"];
  const nodes = new Map(ids.map((id, k) => [id, { id, peerPort: cfg.basePort + k, clientPort: cfg.basePort + 10 + k, proc: null }]));
  const tracker = leaderTracker();
  let history = null;
  let dir = null;
  let polling = false;
  const loops = [];
  const peers = ids.map((id) => `${id}=127.0.0.1:${nodes.get(id).peerPort}`).join(",");
  const spawnNode = (n) => {
    const data = path.join(dir, n.id);
    fs.mkdirSync(data, { recursive: true });
    const out = fs.openSync(path.join(data, "serve.log"), "a");
    const options = { leaseMs: cfg.leaseMs, driftBound: cfg.driftBound };
    n.proc = spawn(process.execPath, [SYNOD_BIN, "serve", "election", "--id", n.id, "--peers", peers, "--client-port", String(n.clientPort), "--data", data, "--protocol-options", JSON.stringify(options), "--election-timeout-ms", cfg.electionTimeoutMs, "--heartbeat-ms", String(cfg.renewEveryMs), "--quiet"], { stdio: ["ignore", out, out] });
    fs.closeSync(out);
    const proc = n.proc;
    proc.on("exit", () => {
      if (n.proc === proc) n.proc = null;
    });
  };
  /** Ask member `n` "are you the leader?" every claimEveryMs, one request at a time. */
  const poll = async (n) => {
    let client = null;
    while (polling) {
      const started = Date.now();
      if (n.proc !== null) {
        client ??= new ClusterClient({ cluster: [{ host: "127.0.0.1", port: n.clientPort }], attemptTimeoutMs: 300, retryDelayMs: 20 });
        const proc = `synod-${n.id}`;
        history.invoke(proc);
        const out = await client.request({ op: "lead" }, 300);
        if (out.status === "ok") {
          const okNs = history.complete("ok", proc, { node: out.result.node, generation: out.result.generation, leaseRemainingMs: out.result.leaseRemainingMs });
          tracker.note(out.result.node, out.result.generation, okNs);
        } else history.complete(out.status === "timeout" ? "info" : "fail", proc, null);
        if (out.status === "timeout") {
          client.close();
          client = null;
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, cfg.claimEveryMs - (Date.now() - started))));
    }
    client?.close();
  };
  return {
    name: "Synod lease election",
    candidates: ids,
    async start(h) {
      history = h;
      dir = path.join(cfg.dir, `synod-${Date.now()}`);
      for (const n of nodes.values()) spawnNode(n);
      polling = true;
      for (const n of nodes.values()) loops.push(poll(n));
      const deadline = Date.now() + 60000;
      while (tracker.leader(history.now(), 300e6) === null) {
        if (Date.now() > deadline) throw new Error(`no Synod member leads after 60 s; see ${dir}/n*/serve.log`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    leader: () => tracker.leader(history.now(), 300e6),
    signal: (name, sig) => nodes.get(name)?.proc?.kill(sig),
    async restart(name) {
      const n = nodes.get(name);
      if (n.proc === null) spawnNode(n);
    },
    serverLeader: async () => null,
    async stop() {
      polling = false;
      await Promise.all(loops.splice(0));
      await Promise.all(
        [...nodes.values()].map(
          (n) =>
            new Promise((resolve) => {
              if (n.proc === null) return resolve();
              n.proc.once("exit", () => resolve());
              n.proc.kill("SIGCONT");
              n.proc.kill("SIGKILL");
            }),
        ),
      );
    },
  };
}

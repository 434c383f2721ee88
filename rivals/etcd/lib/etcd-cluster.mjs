/**
 * Three real etcd members (3.4, /usr/bin/etcd) on loopback, each a process of its own with its
 * own data directory in a temp dir.
 *
 * @module
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Where Debian's etcd-server package puts the binary. */
export const ETCD_BIN = "/usr/bin/etcd";

/** Throw a clear error naming the package when etcd is missing. */
export function checkEtcdInstalled() {
  if (!fs.existsSync(ETCD_BIN)) throw new Error(`etcd is not installed: ${ETCD_BIN} is missing (apt-get install -y etcd-server)`);
}

/**
 * The command line of member `k` (0-based) of a 3-member cluster on ports from `basePort`.
 * @param {{ dir: string, basePort: number, heartbeatMs: number, electionMs: number }} o
 */
export function etcdArgs(o, k) {
  const client = (i) => `http://127.0.0.1:${o.basePort + i}`;
  const peer = (i) => `http://127.0.0.1:${o.basePort + 10 + i}`;
  return [
    "--name", `e${k + 1}`,
    "--data-dir", path.join(o.dir, `e${k + 1}`),
    "--listen-client-urls", client(k),
    "--advertise-client-urls", client(k),
    "--listen-peer-urls", peer(k),
    "--initial-advertise-peer-urls", peer(k),
    "--initial-cluster", [0, 1, 2].map((i) => `e${i + 1}=${peer(i)}`).join(","),
    "--initial-cluster-state", "new",
    "--initial-cluster-token", `synod-rival-${o.basePort}`,
    "--heartbeat-interval", String(o.heartbeatMs),
    "--election-timeout", String(o.electionMs),
    "--logger", "zap",
    "--log-outputs", path.join(o.dir, `e${k + 1}.log`),
  ];
}

/** A 3-member etcd cluster. */
export class EtcdCluster {
  /** @param {{ dir: string, basePort: number, heartbeatMs: number, electionMs: number }} o */
  constructor(o) {
    this.o = o;
    this.members = [0, 1, 2].map((k) => ({ name: `e${k + 1}`, k, clientUrl: `http://127.0.0.1:${o.basePort + k}`, proc: null }));
  }

  get endpoints() {
    return this.members.map((m) => m.clientUrl);
  }

  spawn(m) {
    m.proc = spawn(ETCD_BIN, etcdArgs(this.o, m.k), { stdio: "ignore" });
    const proc = m.proc;
    proc.on("exit", () => {
      if (m.proc === proc) m.proc = null;
    });
  }

  async start() {
    fs.mkdirSync(this.o.dir, { recursive: true });
    for (const m of this.members) this.spawn(m);
    const deadline = Date.now() + 60000;
    while ((await this.leader()) === null) {
      if (Date.now() > deadline) throw new Error(`etcd cluster has no leader after 60 s; see ${this.o.dir}/e*.log`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A member's status through the JSON gateway, or null if it does not answer. */
  async status(m) {
    try {
      const res = await fetch(`${m.clientUrl}/v3/maintenance/status`, { method: "POST", body: "{}", signal: AbortSignal.timeout(1000) });
      return res.ok ? await res.json() : null;
    } catch {
      return null;
    }
  }

  /** The member that leads etcd's Raft, or null. */
  async leader() {
    for (const m of this.members) {
      if (m.proc === null) continue;
      const s = await this.status(m);
      if (s !== null && s.leader !== undefined && s.leader === s.header?.member_id) return m;
    }
    return null;
  }

  kill(m, signal = "SIGKILL") {
    if (m.proc !== null) m.proc.kill(signal);
  }

  restart(m) {
    if (m.proc === null) this.spawn(m);
  }

  async stop() {
    await Promise.all(
      this.members.map(
        (m) =>
          new Promise((resolve) => {
            if (m.proc === null) return resolve();
            m.proc.once("exit", () => resolve());
            m.proc.kill("SIGKILL");
          }),
      ),
    );
  }
}

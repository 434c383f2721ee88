/**
 * Real processes on loopback, each in its own folder of a temp dir: redis-server (Debian's
 * package, no persistence) as Dynomite's storage, and Dynomite itself (built from
 * github.com/Netflix/dynomite; this machine has no package for it). One datacenter, three racks of
 * one node each: every rack holds a full copy of the data, so N = 3, and Dynomite's
 * `read_consistency`/`write_consistency` choose how many of them a request waits for (DC_ONE: 1,
 * DC_QUORUM: 2 of 3). Started and stopped by pid; nothing here touches a process it did not start.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { stopChild } from "@synod/rival-common/processes";

/** The redis-server binary (Debian's package `redis-server`); `REDIS_SERVER` overrides it. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
/** The dynomite binary, built from a checkout of github.com/Netflix/dynomite (`DYNOMITE_BIN`). */
export const DYNOMITE_BIN = process.env.DYNOMITE_BIN;

/** A usage or setup problem, reported in one line without a stack trace. */
export class SetupError extends Error {
  name = "SetupError";
}

/** Throws {@link SetupError} naming what to install or build when a binary is missing. */
export function checkBinaries() {
  if (!existsSync(REDIS_SERVER)) throw new SetupError(`redis-server not found at ${REDIS_SERVER}: install Debian's package with \`apt-get install -y redis-server\` (or set REDIS_SERVER to the binary)`);
  if (DYNOMITE_BIN === undefined) throw new SetupError("set DYNOMITE_BIN to a dynomite binary: Debian has no package; build github.com/Netflix/dynomite with `apt-get install -y autoconf automake libtool libssl-dev libyaml-dev && autoreconf -fvi && ./configure && make CFLAGS='-g -O2 -fcommon'` (src/dynomite)");
  if (!existsSync(DYNOMITE_BIN)) throw new SetupError(`DYNOMITE_BIN=${DYNOMITE_BIN}: no such file`);
}

/** A free TCP port on 127.0.0.1 (the kernel's choice; a tiny race with other programs is possible). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function listening(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1");
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}

export async function waitListening(port, what, child, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new SetupError(`${what} exited with status ${child.exitCode} before listening on ${port}`);
    if (await listening(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new SetupError(`${what} is not listening on ${port} after ${timeoutMs} ms`);
}

/** Three redis-servers and three Dynomite nodes (racks r1..r3 of datacenter dc). */
export class DynomiteCluster {
  /** @param {{ dir: string, consistency: "DC_ONE" | "DC_QUORUM" | "DC_SAFE_QUORUM" }} o */
  constructor(o) {
    this.o = o;
    this.children = [];
    this.clientPorts = [];
  }

  async start() {
    const nodes = [];
    for (let k = 1; k <= 3; k++) nodes.push({ k, redis: await freePort(), dyn: await freePort(), client: await freePort(), stats: await freePort() });
    for (const n of nodes) {
      const dir = join(this.o.dir, `node${n.k}`);
      mkdirSync(dir, { recursive: true });
      const redis = spawn(REDIS_SERVER, ["--port", String(n.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
      this.children.push(redis);
      await waitListening(n.redis, `redis-server ${n.k}`, redis);
    }
    for (const n of nodes) {
      const dir = join(this.o.dir, `node${n.k}`);
      // Every node holds token 0 in its own rack: each rack is one full replica.
      const seeds = nodes.filter((m) => m !== n).map((m) => `  - 127.0.0.1:${m.dyn}:r${m.k}:dc:0`).join("\n");
      const conf = [
        "dyn_o_mite:",
        "  datacenter: dc",
        `  rack: r${n.k}`,
        `  dyn_listen: 127.0.0.1:${n.dyn}`,
        "  dyn_seed_provider: simple_provider",
        "  dyn_seeds:",
        seeds,
        `  listen: 127.0.0.1:${n.client}`,
        "  servers:",
        `  - 127.0.0.1:${n.redis}:1`,
        "  tokens: '0'",
        "  data_store: 0",
        "  secure_server_option: none",
        `  read_consistency: ${this.o.consistency}`,
        `  write_consistency: ${this.o.consistency}`,
        `  stats_listen: 127.0.0.1:${n.stats}`,
        "  timeout: 2000",
        "",
      ].join("\n");
      const file = join(dir, "dynomite.yml");
      writeFileSync(file, conf);
      const dyn = spawn(DYNOMITE_BIN, ["-c", file, "-v", "3", "-o", join(dir, "dynomite.log")], { stdio: "ignore" });
      this.children.push(dyn);
      await waitListening(n.client, `dynomite ${n.k}`, dyn);
      this.clientPorts.push(n.client);
    }
    // The nodes gossip their peers in; let them connect before the workload starts.
    await new Promise((r) => setTimeout(r, 1500));
  }

  async stop() {
    await Promise.all(this.children.map((c) => stopChild(c)));
    this.children = [];
  }
}

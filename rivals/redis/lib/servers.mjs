/**
 * Real redis-server processes on loopback, each in its own folder of a temp dir, without
 * persistence (no RDB snapshots, no AOF: the Redlock article's default deployment, and what makes a
 * restarted node forget its keys). Started and stopped by pid; nothing here touches a server it did
 * not start.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";

/** The redis-server binary (Debian's package `redis-server`); `REDIS_SERVER` overrides it. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";

/** A usage or setup problem, reported in one line without a stack trace. */
export class SetupError extends Error {
  name = "SetupError";
}

/** Throws {@link SetupError} naming the apt package when redis-server is missing. */
export function checkRedisBinary() {
  if (!existsSync(REDIS_SERVER)) throw new SetupError(`redis-server not found at ${REDIS_SERVER}: install Debian's package with \`apt-get install -y redis-server\` (or set REDIS_SERVER to the binary)`);
}

/**
 * `n` distinct free TCP ports on 127.0.0.1: all are held open together before any is released, so
 * the kernel cannot hand the same port out twice (another program may still take one in the
 * moment before its server binds it).
 */
export async function freePorts(n) {
  const held = [];
  try {
    for (let k = 0; k < n; k++) {
      held.push(
        await new Promise((resolve, reject) => {
          const s = net.createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
      );
    }
    return held.map((s) => s.address().port);
  } finally {
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  }
}

function ping(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1" });
    let buf = "";
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on("error", () => done(false));
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("\r\n")) done(buf.startsWith("+PONG"));
    });
  });
}

/**
 * One redis-server process.
 * @property {string} name
 * @property {number} port
 */
export class RedisServer {
  /** @param {{ name: string, port: number, dir: string }} o */
  constructor(o) {
    this.name = o.name;
    this.port = o.port;
    this.dir = join(o.dir, o.name);
    this.child = null;
    this.exited = null;
  }

  /** Start it and wait until it answers PING (10 s at most). */
  async start() {
    mkdirSync(this.dir, { recursive: true });
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", join(this.dir, "redis.log"), "--protected-mode", "no"];
    this.child = spawn(REDIS_SERVER, args, { stdio: "ignore" });
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new SetupError(`${this.name}: redis-server exited at start (code ${this.child.exitCode}); see ${join(this.dir, "redis.log")}`);
      if (await ping(this.port)) return;
      if (Date.now() > deadline) throw new SetupError(`${this.name}: redis-server on port ${this.port} did not answer PING within 10 s; see ${join(this.dir, "redis.log")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Whether the process is still running. */
  get alive() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Crash it: SIGKILL, and wait for the exit. */
  async kill() {
    if (!this.alive) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** Stop it: SIGTERM, SIGKILL after 5 s. */
  async stop() {
    if (!this.alive) return;
    this.child.kill("SIGTERM");
    const t = setTimeout(() => this.alive && this.child.kill("SIGKILL"), 5000);
    await this.exited;
    clearTimeout(t);
  }
}

/** Start `n` servers named `${prefix}1..n` on free ports under `dir`. */
export async function startServers(n, prefix, dir) {
  const ports = await freePorts(n);
  const servers = ports.map((port, k) => new RedisServer({ name: `${prefix}${k + 1}`, port, dir }));
  try {
    await Promise.all(servers.map((s) => s.start()));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  return servers;
}

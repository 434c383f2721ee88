/**
 * Three real ZooKeeper servers (Debian's `zookeeper` package, 3.8) on loopback, each a JVM of its
 * own with its own zoo.cfg and data directory in a temp dir; the system service is not used.
 *
 * @module
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** Where Debian's package puts the server jar (its manifest's Class-Path names the rest). */
export const ZK_JAR = "/usr/share/java/zookeeper.jar";

/** Throw a clear error naming the package to install when the server or Java is missing. */
export function checkZooKeeperInstalled() {
  if (!fs.existsSync(ZK_JAR)) throw new Error(`ZooKeeper is not installed: ${ZK_JAR} is missing (apt-get install -y zookeeper)`);
  if (!fs.existsSync("/usr/bin/java")) throw new Error("Java is not installed: /usr/bin/java is missing (apt-get install -y default-jre-headless)");
}

/**
 * The zoo.cfg of server `i` (1-based) of an ensemble on `ports`.
 * @param {{ dataDir: string, tickMs: number, clientPort: number, servers: { quorumPort: number, electionPort: number }[] }} o
 */
export function zooCfg(o) {
  const lines = [
    `tickTime=${o.tickMs}`,
    "initLimit=10",
    "syncLimit=5",
    `dataDir=${o.dataDir}`,
    `clientPort=${o.clientPort}`,
    "clientPortAddress=127.0.0.1",
    // Session timeouts are negotiated within [2, 20] ticks.
    `minSessionTimeout=${2 * o.tickMs}`,
    `maxSessionTimeout=${20 * o.tickMs}`,
    "4lw.commands.whitelist=srvr,ruok",
    "admin.enableServer=false",
    "autopurge.purgeInterval=0",
    ...o.servers.map((s, k) => `server.${k + 1}=127.0.0.1:${s.quorumPort}:${s.electionPort}`),
  ];
  return lines.join("\n") + "\n";
}

/** Ask a four-letter word of a server; resolves with the answer, or null if it does not answer. */
export function fourLetter(port, word, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    let out = "";
    const done = (v) => {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(null), timeoutMs);
    s.on("connect", () => s.write(word));
    s.on("data", (d) => (out += d));
    s.on("end", () => done(out));
    s.on("error", () => done(null));
  });
}

/** The `Mode:` line of a `srvr` answer (`leader`, `follower`), or null. */
export function modeOf(srvr) {
  const m = /Mode: (\w+)/.exec(srvr ?? "");
  return m ? m[1] : null;
}

/**
 * An ensemble of 3 servers on ports from `basePort` (client ports basePort+0..2, quorum and
 * election ports above them).
 */
export class ZkEnsemble {
  /** @param {{ dir: string, basePort: number, tickMs: number, log: (line: string) => void }} o */
  constructor(o) {
    this.dir = o.dir;
    this.tickMs = o.tickMs;
    this.log = o.log;
    this.servers = [0, 1, 2].map((k) => ({
      id: k + 1,
      clientPort: o.basePort + k,
      quorumPort: o.basePort + 10 + k,
      electionPort: o.basePort + 20 + k,
      proc: null,
    }));
  }

  /** The client connection string. */
  get connectString() {
    return this.servers.map((s) => `127.0.0.1:${s.clientPort}`).join(",");
  }

  /** Write the configs and start every server; resolves once one leads and the others follow. */
  async start() {
    for (const s of this.servers) {
      const dataDir = path.join(this.dir, `zk${s.id}`);
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(path.join(dataDir, "myid"), `${s.id}\n`);
      fs.writeFileSync(path.join(dataDir, "zoo.cfg"), zooCfg({ dataDir, tickMs: this.tickMs, clientPort: s.clientPort, servers: this.servers }));
      this.spawn(s);
    }
    await this.waitReady(60000);
  }

  spawn(s) {
    const dataDir = path.join(this.dir, `zk${s.id}`);
    const out = fs.openSync(path.join(dataDir, "server.log"), "a");
    s.proc = spawn("/usr/bin/java", ["-Xmx256m", "-XX:+UseSerialGC", "-Dzookeeper.jmx.log4j.disable=true", "-cp", ZK_JAR, "org.apache.zookeeper.server.quorum.QuorumPeerMain", path.join(dataDir, "zoo.cfg")], { stdio: ["ignore", out, out] });
    fs.closeSync(out);
    s.proc.on("exit", () => (s.proc = null));
  }

  /** Resolves once one server leads and two follow (the ensemble serves). */
  async waitReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const modes = await this.modes();
      if (modes.filter((m) => m === "leader").length === 1 && modes.filter((m) => m === "follower").length === modes.filter((m) => m !== null).length - 1 && modes.filter((m) => m !== null).length === this.servers.filter((s) => s.proc !== null).length) return modes;
      if (Date.now() > deadline) throw new Error(`ZooKeeper ensemble not ready after ${timeoutMs} ms (modes ${JSON.stringify(modes)}); see ${this.dir}/zk*/server.log`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Each server's mode (null: not answering). */
  async modes() {
    return Promise.all(this.servers.map(async (s) => (s.proc === null ? null : modeOf(await fourLetter(s.clientPort, "srvr")))));
  }

  /** The leading server, or null. */
  async leader() {
    const modes = await this.modes();
    const k = modes.indexOf("leader");
    return k < 0 ? null : this.servers[k];
  }

  /** SIGKILL server `s` (by its process id). */
  kill(s) {
    if (s.proc !== null) s.proc.kill("SIGKILL");
  }

  /** Start server `s` again (after a kill). */
  restart(s) {
    if (s.proc === null) this.spawn(s);
  }

  /** Stop every server (SIGKILL: their state is thrown away with the temp dir). */
  async stop() {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise((resolve) => {
            if (s.proc === null) return resolve();
            s.proc.once("exit", () => resolve());
            s.proc.kill("SIGKILL");
          }),
      ),
    );
  }
}

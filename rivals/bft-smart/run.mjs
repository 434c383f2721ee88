#!/usr/bin/env node
/**
 * BFT-SMaRt (its map demo, bftsmart.demo.map.MapServer) beside `synod serve pbft`: four replicas
 * of each on loopback, the same closed-loop key-value workload from this process, the primary
 * (leader) SIGKILLed part-way, both histories written as lincheck JSON and judged by
 * `synod judge linearizable --model kv` (lincheck).
 *
 * Usage (from the repository root, after `npx -y pnpm@10 build`):
 *   node rivals/bft-smart/run.mjs --bft-smart DIR [--clients 8] [--seconds 20] [--kill-at 8]
 *        [--keys 4] [--view-timeout-ms 2000] [--batch-events 1] [--only bft-smart|synod]
 *        [--seed N] [--out DIR] [--data-root DIR] [--synod-options JSON]
 * DIR is a checkout of github.com/bft-smart/library at a commit that ships its jars
 * (bin/BFT-SMaRt.jar and lib/*.jar; 668f67a6 was used, see README.md). SYNOD_SEED sets the seed.
 * --data-root is where the servers' folders go (default: the system's temporary folder); Synod's
 * replicas fsync their storage there, BFT-SMaRt's map demo keeps its log in memory
 * (system.totalordermulticast.log_to_disk = false), so /dev/shm makes the two comparable.
 * --synod-options adds PBFT options to every replica's --protocol-options (e.g. maxInflightBatches).
 *
 * @module
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { integer, jsonObject, parseCommandLine, rivalCommand } from "@synod/rival-common/cli";
import { InvalidArgumentError, Option } from "commander";
import { HistoryRecorder, parseBridgeLine, runFigures } from "./lib/history.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const SYNOD = path.join(REPO, "packages", "cli", "bin", "synod.js");
const BRIDGE_SOURCE = path.join(HERE, "java", "SynodMapBridge.java");
const IDS = ["n1", "n2", "n3", "n4"];

/** Every process this run started, stopped in `finally` whatever happens. */
const children = new Set();
// Whatever ends this process (an uncaught error included), no server outlives it.
process.on("exit", () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/** Give up the run: stop every server and exit 1 (for errors raised in event handlers). */
function fatal(err) {
  process.stderr.write(`rivals/bft-smart: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

class UsageError extends Error {}

function parseArgs(argv) {
  const dataRoot = (v) => {
    if (!fs.existsSync(v) || !fs.statSync(v).isDirectory()) throw new InvalidArgumentError(`${v} is not a directory`);
    return v;
  };
  const command = rivalCommand("rivals/bft-smart/run.mjs", "BFT-SMaRt beside Synod's PBFT, 4 replicas each, the primary killed, both histories judged linearizable.")
    .option("--bft-smart <dir>", "a BFT-SMaRt checkout with bin/BFT-SMaRt.jar (default: $BFT_SMART_HOME)", process.env.BFT_SMART_HOME)
    .option("--clients <n>", "closed-loop clients", integer(1), 8)
    .option("--seconds <n>", "length of each run", integer(1), 20)
    .option("--kill-at <n>", "second at which the primary is SIGKILLed", integer(1), 8)
    .option("--keys <n>", "keys", integer(1), 4)
    .option("--view-timeout-ms <n>", "view-change / request timeout on both sides", integer(1), 2000)
    .option("--batch-events <n>", "Synod's group commit: events per fsync", integer(1), 1)
    .option("--seed <n>", "workload seed (default: $SYNOD_SEED, else random)", integer(0))
    .option("--out <dir>", "where histories and summary.json go (default: a new temp dir)")
    .option("--data-root <dir>", "where the servers' data dirs go", dataRoot, os.tmpdir())
    .option("--synod-options <json>", "PBFT options for Synod's replicas, a JSON object (not keys)", jsonObject, {})
    .addOption(new Option("--only <system>", "run one side only (default: both)").choices(["bft-smart", "synod"]));
  let opts;
  try {
    opts = parseCommandLine(command, argv);
  } catch (e) {
    throw new UsageError(e.message);
  }
  opts.only ??= null;
  opts.out ??= null;
  if ("keys" in opts.synodOptions) throw new UsageError("--synod-options: expected a JSON object of PBFT options (not keys), e.g. '{\"maxInflightBatches\":8}'");
  if (opts.killAt >= opts.seconds) throw new UsageError(`--kill-at ${opts.killAt} must be before the end of the run (--seconds ${opts.seconds})`);
  if (opts.seed === undefined) {
    const env = process.env.SYNOD_SEED;
    opts.seed = env === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(env);
    if (!Number.isInteger(opts.seed)) throw new UsageError(`SYNOD_SEED: expected an integer, got ${JSON.stringify(env)}`);
  }
  return opts;
}

/** Fail early, naming what is missing and where to get it. */
function checkPrerequisites(opts) {
  const missing = [];
  if (!fs.existsSync(SYNOD) || !fs.existsSync(path.join(REPO, "packages", "cli", "dist", "bin.js"))) missing.push("Synod is not built: run `npx -y pnpm@10 build` at the repository root");
  if (opts.only !== "synod") {
    for (const tool of ["java", "javac"]) {
      const r = spawnSync(tool, ["-version"], { encoding: "utf8" });
      if (r.error !== undefined) missing.push(`${tool} not found (Debian: apt-get install -y openjdk-17-jdk-headless)`);
    }
    if (opts.bftSmart === undefined) missing.push("--bft-smart DIR (or BFT_SMART_HOME): a checkout of github.com/bft-smart/library with bin/BFT-SMaRt.jar and lib/*.jar (git checkout 668f67a6)");
    else {
      const jar = path.join(opts.bftSmart, "bin", "BFT-SMaRt.jar");
      if (!fs.existsSync(jar)) missing.push(`${jar} not found: check out a BFT-SMaRt commit that ships its jars (668f67a6; the gradle-only commits after 2021-10 do not)`);
      for (const dep of ["netty-all", "bcprov", "logback-classic", "slf4j-api"]) {
        const libs = fs.existsSync(path.join(opts.bftSmart, "lib")) ? fs.readdirSync(path.join(opts.bftSmart, "lib")) : [];
        if (!libs.some((f) => f.startsWith(dep) && f.endsWith(".jar"))) missing.push(`${path.join(opts.bftSmart, "lib")}: no ${dep}*.jar`);
      }
      if (!fs.existsSync(path.join(opts.bftSmart, "config", "system.config"))) missing.push(`${path.join(opts.bftSmart, "config", "system.config")} not found`);
    }
  }
  if (missing.length > 0) throw new UsageError(`cannot run:\n  ${missing.join("\n  ")}`);
}

/** A seeded PRNG (mulberry32), so a run's workload replays from its seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function freePorts(count) {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => resolve(s));
  })));
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => { s.destroy(); resolve(true); });
    s.once("error", () => resolve(false));
  });
}

/** Start a server process whose output goes to `log`; it is stopped by {@link stopAll}. */
function startProcess(command, args, cwd, log) {
  const fd = fs.openSync(log, "a");
  const child = spawn(command, args, { cwd, stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  child.exited = new Promise((resolve) => child.once("exit", resolve));
  children.add(child);
  return child;
}

/** CPU seconds (user + system) a process has used so far, from /proc; null once it is gone. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const done = await Promise.race([child.exited.then(() => true), sleep(3000).then(() => false)]);
  if (!done) {
    child.kill("SIGKILL");
    await child.exited;
  }
}

async function stopAll() {
  await Promise.all([...children].map((c) => stop(c)));
}

/**
 * The closed loop: `clients` clients, each with one operation open at a time, 50% puts of unique
 * values and 50% gets over `keys` keys, for `seconds`; at `killAt` s `kill()` runs. Returns the
 * history and the timing marks.
 */
async function drive(name, request, kill, opts) {
  const random = rng(opts.seed);
  const plan = Array.from({ length: opts.clients }, () => []);
  const history = new HistoryRecorder(opts.clients);
  const startMs = performance.now();
  const endMs = startMs + opts.seconds * 1000;
  let killMs = null;
  const killer = setTimeout(() => {
    killMs = performance.now();
    kill();
  }, opts.killAt * 1000);
  const cpuBefore = process.cpuUsage();
  await Promise.all(plan.map(async (_, c) => {
    for (let n = 0; performance.now() < endMs; n++) {
      const key = `k${Math.floor(random() * opts.keys)}`;
      const isPut = random() < 0.5;
      const value = isPut ? `c${c}-${n}` : null;
      const id = history.invoke(c, isPut ? "put" : "get", key, value, performance.now());
      const outcome = await request(c, isPut ? { op: "put", key, value } : { op: "get", key });
      history.complete(id, outcome.type, outcome.value ?? null, performance.now());
    }
  }));
  clearTimeout(killer);
  const cpu = process.cpuUsage(cpuBefore);
  const finishedMs = performance.now();
  process.stderr.write(`${name}: ${history.ops.length} operations in ${((finishedMs - startMs) / 1000).toFixed(1)} s\n`);
  return { history, startMs, killMs, endMs: finishedMs, driverCpuS: (cpu.user + cpu.system) / 1e6 };
}

/** `synod judge linearizable --model kv` on a history file (a missing key reads as null). */
function judge(file) {
  const r = spawnSync(process.execPath, [SYNOD, "judge", "linearizable", file, "--model", "kv", "--timeout", "120s", "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    const j = JSON.parse(line);
    return { verdict: j.verdict, events: j.events, detail: j.detail, exit: r.status };
  } catch {
    return { verdict: "error", detail: `synod judge exited ${r.status}: ${r.stderr.trim() || line}`, exit: r.status };
  }
}

// ---------------------------------------------------------------------------------- BFT-SMaRt

async function runBftSmart(opts, root) {
  const dir = path.join(root, "bft-smart");
  const home = path.resolve(opts.bftSmart);
  fs.cpSync(path.join(home, "config"), path.join(dir, "config"), { recursive: true });
  fs.rmSync(path.join(dir, "config", "currentView"), { force: true });
  const ports = await freePorts(8);
  // hosts.config: id, host, client port, replica port. The shipped file also names a TTP (7001): not used here.
  fs.writeFileSync(path.join(dir, "config", "hosts.config"), [0, 1, 2, 3].map((i) => `${i} 127.0.0.1 ${ports[2 * i]} ${ports[2 * i + 1]}`).join("\n") + "\n");
  const systemConfig = path.join(dir, "config", "system.config");
  const text = fs.readFileSync(systemConfig, "utf8");
  const timeoutLine = /^system\.totalordermulticast\.timeout\s*=.*$/m;
  if (!timeoutLine.test(text)) throw new Error(`${systemConfig}: no system.totalordermulticast.timeout line to set the request timeout in`);
  fs.writeFileSync(systemConfig, text.replace(timeoutLine, `system.totalordermulticast.timeout = ${opts.viewTimeoutMs}`));
  // BFT-SMaRt's replicas talk TLS with TLS_ECDHE_ECDSA_WITH_NULL_SHA (authenticated, not
  // encrypted: BFT needs the former). JDK 17 disables NULL suites, so the replicas never connect
  // ("No appropriate protocol"); re-enable them, keeping the rest of JDK 17's list.
  fs.writeFileSync(path.join(dir, "config", "java.security"), [
    "security.provider.10=org.bouncycastle.jce.provider.BouncyCastleProvider",
    "jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, ECDH",
    "",
  ].join("\n"));
  const cp = [path.join(home, "bin", "*"), path.join(home, "lib", "*")].join(":");
  const classes = path.join(dir, "classes");
  fs.mkdirSync(classes);
  execFileSync("javac", ["-d", classes, "-cp", cp, BRIDGE_SOURCE], { stdio: "inherit" });
  const jvm = ["-Djava.security.properties=config/java.security", "-Dlogback.configurationFile=config/logback.xml"];
  const replicas = [0, 1, 2, 3].map((i) => startProcess("java", [...jvm, "-cp", cp, "bftsmart.demo.map.MapServer", String(i)], dir, path.join(dir, `replica-${i}.log`)));
  for (const [i, r] of replicas.entries()) {
    await waitFor(`BFT-SMaRt replica ${i} to accept clients on port ${ports[2 * i]} (log: ${path.join(dir, `replica-${i}.log`)})`, async () => {
      if (r.exitCode !== null) throw new Error(`BFT-SMaRt replica ${i} exited (${r.exitCode}); see ${path.join(dir, `replica-${i}.log`)}`);
      return canConnect(ports[2 * i]);
    }, 180_000);
  }
  const invokeTimeoutS = 10;
  const bridgeLog = path.join(dir, "bridge.log");
  const bridge = spawn("java", [...jvm, "-cp", `${classes}:${cp}`, "SynodMapBridge", "config", String(opts.clients + 1), "1001", String(invokeTimeoutS)], { cwd: dir, stdio: ["pipe", "pipe", fs.openSync(bridgeLog, "a")] });
  bridge.exited = new Promise((resolve) => bridge.once("exit", resolve));
  children.add(bridge);
  const pending = new Map();
  let ready;
  const readyP = new Promise((resolve) => { ready = resolve; });
  readline.createInterface({ input: bridge.stdout }).on("line", (line) => {
    let a;
    try {
      a = parseBridgeLine(line);
    } catch (err) {
      fatal(err);
      return;
    }
    if (a.kind === "log") return fs.appendFileSync(bridgeLog, `${line}\n`);
    if (a.kind === "ready") return ready();
    const resolve = pending.get(a.req);
    if (resolve === undefined) return fatal(new Error(`the bridge answered request ${a.req}, which is not pending`));
    pending.delete(a.req);
    resolve(a);
  });
  await Promise.race([readyP, bridge.exited.then((code) => { throw new Error(`the BFT-SMaRt bridge exited (${code}); see ${path.join(dir, "bridge.log")}`); })]);
  let nextReq = 0;
  const call = (c, req) => new Promise((resolve) => {
    const id = String(nextReq++);
    pending.set(id, resolve);
    bridge.stdin.write(`${c} ${id} ${req.op} ${req.key}${req.op === "put" ? ` ${req.value}` : ""}\n`);
  });
  // Warm up with the extra client (its requests are not in the history) until the cluster orders one.
  await waitFor("BFT-SMaRt to order a first request", async () => (await call(opts.clients, { op: "put", key: "warm", value: "up" })).kind === "ok", 120_000);
  // Regency 0's leader is the first process of the initial view (system.initial.view = 0,1,2,3).
  const leader = 0;
  const cpuAtKill = [];
  const run = await drive("bft-smart", async (c, req) => {
    const a = await call(c, req);
    if (a.kind === "ok") return { type: "ok", value: req.op === "get" ? a.value : null };
    return { type: "info" }; // a timeout or an exception: the request may still be ordered
  }, () => {
    for (const r of replicas) cpuAtKill.push(cpuSeconds(r.pid));
    replicas[leader].kill("SIGKILL");
  }, opts);
  const serverCpuS = replicas.reduce((sum, r, i) => sum + (cpuSeconds(r.pid) ?? cpuAtKill[i] ?? 0), 0);
  const clientCpuS = (cpuSeconds(bridge.pid) ?? 0) + run.driverCpuS;
  bridge.stdin.end();
  return { system: "BFT-SMaRt map demo (668f67a6)", leader: `replica ${leader}`, run, serverCpuS, clientCpuS };
}

// ---------------------------------------------------------------------------------- Synod

async function runSynod(opts, root) {
  const { ClusterClient } = await import("@synod/cli");
  const { findKit } = await import("@synod/conformance");
  const kit = await findKit("pbft");
  const dir = path.join(root, "synod");
  const keys = path.join(dir, "keys");
  const clientIds = Array.from({ length: opts.clients }, (_, c) => `c${c}`);
  execFileSync(process.execPath, [SYNOD, "keygen", "pbft", "--nodes", IDS.join(","), "--clients", [...clientIds, "warm"].join(","), "--out", keys], { stdio: "ignore" });
  const ports = await freePorts(8);
  const peers = IDS.map((id, i) => `${id}=127.0.0.1:${ports[i]}`).join(",");
  const cluster = IDS.map((_, i) => ({ host: "127.0.0.1", port: ports[4 + i] }));
  const nodes = IDS.map((id, i) => startProcess(process.execPath, [SYNOD, "serve", "pbft", "--id", id, "--peers", peers, "--client-port", String(ports[4 + i]), "--data", path.join(dir, id), "--election-timeout-ms", `${opts.viewTimeoutMs}-${opts.viewTimeoutMs}`, "--batch-events", String(opts.batchEvents), "--protocol-options", JSON.stringify({ ...opts.synodOptions, keys: path.join(keys, `${id}.json`) })], dir, path.join(dir, `${id}.log`)));
  for (const [i, n] of nodes.entries()) {
    const log = path.join(dir, `${IDS[i]}.log`);
    await waitFor(`${IDS[i]} to serve (log: ${log})`, () => {
      if (n.exitCode !== null) throw new Error(`${IDS[i]} exited (${n.exitCode}); see ${log}`);
      return fs.readFileSync(log, "utf8").includes("serving pbft");
    }, 60_000);
  }
  const client = (id) => new ClusterClient({ cluster, clientId: id, attemptTimeoutMs: 1000, ...kit.serve.client({ clientId: id, nodes: IDS.length, options: { keys: path.join(keys, `client-${id}.json`) } }) });
  const warm = client("warm");
  await waitFor("the Synod PBFT cluster to order a first request", async () => (await warm.request({ op: "put", key: "warm", value: "up" }, 5000)).status === "ok", 60_000);
  warm.close();
  const status = spawnSync(process.execPath, [SYNOD, "status", "--cluster", cluster.map((a) => `${a.host}:${a.port}`).join(","), "--json"], { encoding: "utf8" });
  let leaderId;
  try {
    leaderId = JSON.parse(status.stdout).leader;
  } catch {
    throw new Error(`synod status did not answer JSON: ${status.stdout}${status.stderr}`);
  }
  const leader = IDS.indexOf(leaderId);
  if (leader < 0) throw new Error(`synod status names no primary (leader: ${JSON.stringify(leaderId)})`);
  const clients = clientIds.map((id) => client(id));
  const cpuAtKill = [];
  try {
    const run = await drive("synod pbft", async (c, req) => {
      const out = await clients[c].request(req, 10_000);
      if (out.status === "ok") return { type: "ok", value: req.op === "get" ? out.result.value : null };
      if (out.status === "rejected") return { type: "fail" };
      if (out.status === "misconfigured") throw new Error(`synod client: ${out.detail}`);
      return { type: "info" };
    }, () => {
      for (const n of nodes) cpuAtKill.push(cpuSeconds(n.pid));
      nodes[leader].kill("SIGKILL");
    }, opts);
    const serverCpuS = nodes.reduce((sum, n, i) => sum + (cpuSeconds(n.pid) ?? cpuAtKill[i] ?? 0), 0);
    return { system: `synod serve pbft${opts.batchEvents > 1 ? ` (group commit ${opts.batchEvents})` : ""}${Object.keys(opts.synodOptions).length > 0 ? ` ${JSON.stringify(opts.synodOptions)}` : ""}`, leader: leaderId, run, serverCpuS, clientCpuS: run.driverCpuS };
  } finally {
    for (const c of clients) c.close();
  }
}

// ---------------------------------------------------------------------------------- main

/** Keep every server's log beside the histories (the servers' folders are removed). */
function copyLogs(root, out) {
  for (const system of ["bft-smart", "synod"]) {
    const dir = path.join(root, system);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith(".log")) fs.copyFileSync(path.join(dir, f), path.join(out, `${system}-${f}`));
  }
}

function table(rows) {
  const header = ["system", "ops ok", "info", "ops/s before kill", "p50 ms", "p99 ms", "max ms", "kill -> first new op ok (ms)", "longest stall after kill (ms)", "ops/s after recovery", "server CPU s", "client CPU s", "linearizable (synod judge)"];
  const body = rows.map((r) => [r.system, r.opsOk, r.opsInfo, r.opsPerSecond.toFixed(0), r.p50Ms.toFixed(1), r.p99Ms.toFixed(1), r.maxMs.toFixed(1), r.firstAfterKillMs === null ? "never" : r.firstAfterKillMs.toFixed(0), r.stallMs.toFixed(0), r.afterKillOpsPerSecond.toFixed(0), r.serverCpuS.toFixed(1), r.clientCpuS.toFixed(1), r.linearizable]);
  const lines = [header, ...body].map((cells) => `| ${cells.join(" | ")} |`);
  lines.splice(1, 0, `|${header.map(() => "---").join("|")}|`);
  return lines.join("\n");
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    checkPrerequisites(opts);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`rivals/bft-smart: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const root = fs.mkdtempSync(path.join(opts.dataRoot, "synod-rival-bft-smart-"));
  const out = path.resolve(opts.out ?? fs.mkdtempSync(path.join(os.tmpdir(), "synod-rival-bft-smart-out-")));
  fs.mkdirSync(out, { recursive: true });
  process.stderr.write(`rivals/bft-smart: seed ${opts.seed} (replay with SYNOD_SEED=${opts.seed}); ${opts.clients} clients, ${opts.keys} keys, ${opts.seconds} s, primary killed at ${opts.killAt} s; servers in ${root} (removed at the end; their logs are copied to ${out}); histories in ${out}\n`);
  const rows = [];
  try {
    const systems = [["bft-smart", runBftSmart], ["synod-pbft", runSynod]].filter(([name]) => opts.only === null || name.startsWith(opts.only));
    for (const [name, run] of systems) {
      const r = await run(opts, root);
      await stopAll();
      children.clear();
      const file = path.join(out, `${name}.history.json`);
      fs.writeFileSync(file, r.run.history.toJson());
      const verdict = judge(file);
      const figures = runFigures(r.run.history.ops, r.run.startMs, r.run.killMs ?? r.run.endMs, r.run.endMs);
      rows.push({ name, system: r.system, killed: r.leader, file, ...figures, serverCpuS: r.serverCpuS, clientCpuS: r.clientCpuS, linearizable: verdict.verdict, judge: verdict });
      process.stderr.write(`${name}: history ${file}: synod judge linearizable: ${verdict.verdict}${verdict.verdict === "ok" ? "" : `\n${verdict.detail}`}\n`);
    }
  } finally {
    await stopAll();
    copyLogs(root, out);
    fs.rmSync(root, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(out, "summary.json"), `${JSON.stringify({ options: opts, machine: { cores: os.cpus().length, loadavg: os.loadavg() }, rows }, null, 2)}\n`);
  process.stdout.write(`BFT-SMaRt beside Synod PBFT: 4 replicas each on loopback, ${opts.clients} closed-loop clients, ${opts.keys} keys, 50% put / 50% get, ${opts.seconds} s, primary SIGKILLed at ${opts.killAt} s, view-change/request timeout ${opts.viewTimeoutMs} ms, seed ${opts.seed}\n\n`);
  process.stdout.write(`${table(rows)}\n\nhistories and summary.json in ${out}\n`);
  if (rows.some((r) => r.linearizable !== "ok")) process.exitCode = 1;
}

main().catch(async (err) => {
  process.stderr.write(`rivals/bft-smart: ${err instanceof Error ? err.message : String(err)}\n`);
  await stopAll();
  process.exitCode = 1;
});

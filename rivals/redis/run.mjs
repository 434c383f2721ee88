#!/usr/bin/env node
/**
 * Redlock on real Redis beside Synod's Redlock, and Kleppmann's counterexample on real Redis.
 *
 *   node rivals/redis/run.mjs [--out DIR] [--only PARTS] [--clients LIST] [--seconds S] [--ops N]
 *        [--ttl MS] [--retry-delay MS] [--synod-tick MS] [--synod-ttl-ticks N] [--seed N]
 *
 * Starts five redis-server processes (the lock) and one more (the protected storage) on loopback
 * in a temp dir, and Synod's Redlock with `synod serve lock`, one process per node
 * (lib/synod-cluster.mjs; build the CLI first). Synod's lease is --ttl unless --synod-ttl-ticks is
 * given; its retry delay is drawn from one tick to --retry-delay (node-redlock's is --retry-delay
 * with a jitter of half of it); --seed seeds the Synod nodes' random retry delays.
 * Parts (default all, in this order):
 *   healthy    acquire and work latency with one client; handoffs/s with LIST contending clients
 *   kleppmann  a client paused with SIGSTOP past its lease writes after the next holder: judged
 *              with the plain storage (violation), a fenced storage (holds), and a pause before
 *              the token (what the token does not fix)
 *   failures   2 of 5 lock nodes killed (SIGKILL): latency and handoffs/s; ioredis's default offline
 *              queue; then a 3rd killed: no lock
 * Every history is written to DIR (default: a new temp dir) and judged by Synod's mutual-exclusion
 * judge; a table goes to stdout. Every server started is stopped, also on Ctrl-C.
 * Exit status: 0 when every judged history got the expected verdict, 1 otherwise, 2 on bad usage.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mutualExclusion } from "@synod/conformance";
import { History, logRead, storageListName, wallMs } from "./lib/history.mjs";
import { RedlockApp } from "./lib/redlock-app.mjs";
import { checkRedisBinary, SetupError, startServers } from "./lib/servers.mjs";
import { SynodCluster, synodWork } from "./lib/synod-cluster.mjs";
import { Storage } from "./lib/fencing.mjs";
import Redis from "ioredis";

const here = dirname(fileURLToPath(import.meta.url));
const PARTS = ["healthy", "kleppmann", "failures"];

function usage(message) {
  process.stderr.write(`rival-redis: ${message}\n`);
  process.stderr.write("usage: node rivals/redis/run.mjs [--out DIR] [--only healthy,kleppmann,failures] [--clients 1,4,16] [--seconds S] [--ops N] [--ttl MS] [--retry-delay MS] [--synod-tick MS] [--synod-ttl-ticks N] [--seed N]\n");
  process.exit(2);
}

function parseArgs(argv) {
  const o = { out: null, only: PARTS, clients: [4, 16], seconds: 5, ops: 200, ttl: 1000, retryDelay: 200, synodTick: 10, synodTtlTicks: null, seed: 1 };
  const int = (flag, v, min) => {
    const n = Number(v);
    if (!(Number.isInteger(n) && n >= min)) usage(`${flag}: expected a whole number >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const value = () => {
      if (k + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++k];
    };
    if (a === "--help" || a === "-h") usage("help");
    else if (a === "--out") o.out = value();
    else if (a === "--only") {
      o.only = value().split(",");
      for (const p of o.only) if (!PARTS.includes(p)) usage(`--only: unknown part ${JSON.stringify(p)} (parts: ${PARTS.join(", ")})`);
    } else if (a === "--clients") o.clients = value().split(",").map((x) => int("--clients", x, 1));
    else if (a === "--seconds") o.seconds = int("--seconds", value(), 1);
    else if (a === "--ops") o.ops = int("--ops", value(), 1);
    else if (a === "--ttl") o.ttl = int("--ttl", value(), 10);
    else if (a === "--retry-delay") o.retryDelay = int("--retry-delay", value(), 1);
    else if (a === "--synod-tick") o.synodTick = int("--synod-tick", value(), 1);
    else if (a === "--synod-ttl-ticks") o.synodTtlTicks = int("--synod-ttl-ticks", value(), 1);
    else if (a === "--seed") o.seed = int("--seed", value(), 0);
    else usage(`unknown argument ${JSON.stringify(a)}`);
  }
  if (Math.max(...o.clients) >= 1024) usage("--clients: at most 1023 clients (token low bits)");
  // Synod's lease is Redis's TTL unless given: the same lock, timed the same.
  if (o.synodTtlTicks === null) o.synodTtlTicks = Math.max(1, Math.round(o.ttl / o.synodTick));
  if (o.retryDelay < o.synodTick) usage(`--retry-delay: ${o.retryDelay} ms is below --synod-tick ${o.synodTick} ms (Synod's back-off is at least a tick)`);
  return o;
}

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : "-");
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : "-");

/** CPU seconds of this process, and of the given child pids (from /proc). */
function cpuSeconds(pids) {
  const own = process.cpuUsage();
  let children = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8");
      const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
      children += (Number(rest[11]) + Number(rest[12])) / 100; // utime, stime in clock ticks
    } catch {
      // a killed server: its time up to now is lost to this count (said in the README)
    }
  }
  return { own: (own.user + own.system) / 1e6, children };
}

const rows = [];
let failures = 0;
const judge = mutualExclusion();

function judged(label, history, file, expect) {
  history.write(file);
  const v = judge.check(history.sorted(), { timeoutMs: 60_000 });
  const good = v.verdict === expect;
  if (!good) failures++;
  const text = v.verdict === "ok" ? v.detail : v.verdict === "violation" ? v.explanation : v.reason;
  process.stdout.write(`  judge (${label}): ${v.verdict}${good ? "" : ` — EXPECTED ${expect}`}: ${text}\n    history: ${file}\n`);
  return v;
}

function row(r) {
  rows.push(r);
  process.stdout.write(`  ${r.system} | ${r.setup} | ${r.clients} clients | ${r.done} done${r.failed ? `, ${r.failed} failed` : ""} | acquire p50 ${f1(r.acquireP50)} ms | work p50 ${f1(r.workP50)} p99 ${f1(r.workP99)} ms | ${f1(r.perSecond)} handoffs/s | CPU ${f2(r.cpu)} s in ${f2(r.wall)} s\n`);
}

// ---- Redis -----------------------------------------------------------------------------------

async function redisLoad(env, { label, clients, seconds, ops, fenced, offlineQueue, storageName, expect = "ok" }) {
  const history = new History(env.epochMs);
  const apps = Array.from({ length: clients }, (_, k) =>
    new RedlockApp({ name: `r${k + 1}`, clientNo: k + 1, lockPorts: env.lockPorts(), storagePort: env.storage.port, fenced, ttlMs: env.o.ttl, retryDelayMs: env.o.retryDelay, retryCount: 1000, offlineQueue, history, storageName }),
  );
  await new Promise((r) => setTimeout(r, 200)); // connections up
  const cpu0 = cpuSeconds(env.pids());
  const t0 = wallMs();
  const results = [];
  const until = t0 + seconds * 1000;
  await Promise.all(
    apps.map(async (app, k) => {
      for (let n = 0; ops === undefined ? wallMs() < until : n < ops; n++) results.push(await app.work(`r${k + 1}.${n}`));
    }),
  );
  const wall = (wallMs() - t0) / 1000;
  const cpu1 = cpuSeconds(env.pids());
  const storage = new Storage(apps[0].storageConn, { fenced, name: storageName });
  logRead(history, await storage.log());
  for (const a of apps) a.close();
  const ok = results.filter((r) => r.ok);
  row({ system: "Redis + node-redlock 4.2.0", setup: label, clients, done: ok.length, failed: results.length - ok.length, acquireP50: pct(ok.map((r) => r.acquireMs), 50), workP50: pct(ok.map((r) => r.workMs), 50), workP99: pct(ok.map((r) => r.workMs), 99), perSecond: ok.length / wall, cpu: cpu1.own - cpu0.own + cpu1.children - cpu0.children, wall });
  judged(`Redis, ${label}, ${clients} clients`, history, join(env.out, `redis-${label.replace(/\W+/g, "-")}-${clients}.json`), expect);
  return results;
}

// ---- Synod -----------------------------------------------------------------------------------

async function synodLoad(env, cluster, { label, clients, seconds, ops, timeoutMs = 5000, expect = "ok" }) {
  const history = new History(env.epochMs);
  const apps = Array.from({ length: clients }, (_, k) => cluster.app(k));
  const cpu0 = cpuSeconds(cluster.pids());
  const t0 = wallMs();
  const until = t0 + seconds * 1000;
  const results = [];
  await Promise.all(
    apps.map(async (app, k) => {
      for (let n = 0; ops === undefined ? wallMs() < until : n < ops; n++) results.push(await synodWork(app, `c${k + 1}`, n, history, timeoutMs));
    }),
  );
  const wall = (wallMs() - t0) / 1000;
  const cpu1 = cpuSeconds(cluster.pids());
  const st = cluster.storageClient();
  const log = await st.request({ op: "log" }, 10_000);
  st.close();
  for (const a of apps) a.close();
  if (log.status !== "ok") throw new Error(`Synod storage log read: ${log.status} ${log.lastProblem ?? log.detail ?? ""}`);
  logRead(history, log.result.writes);
  const ok = results.filter((r) => r.ok);
  row({ system: "Synod Redlock (loopback)", setup: label, clients, done: ok.length, failed: results.length - ok.length, acquireP50: pct(ok.map((r) => r.acquireMs), 50), workP50: pct(ok.map((r) => r.workMs), 50), workP99: pct(ok.map((r) => r.workMs), 99), perSecond: ok.length / wall, cpu: cpu1.own - cpu0.own + cpu1.children - cpu0.children, wall });
  judged(`Synod, ${label}, ${clients} clients`, history, join(env.out, `synod-${label.replace(/\W+/g, "-")}-${clients}.json`), expect);
  return results;
}

// ---- Kleppmann -------------------------------------------------------------------------------

/**
 * The victim (its own process) takes the lock and is stopped with SIGSTOP at its pause point for
 * `pauseMs` (> the lock's TTL); meanwhile another client takes the expired lock and writes; then
 * the victim is continued and writes too.
 */
async function kleppmann(env, { label, fenced, pauseAt, checkLease = true, expect }) {
  const history = new History(env.epochMs);
  const storageName = `kleppmann-${label.replace(/\W+/g, "-")}`;
  const appOptions = { lockPorts: env.lockPorts(), storagePort: env.storage.port, fenced, ttlMs: env.o.ttl, retryDelayMs: env.o.retryDelay, retryCount: 1000, offlineQueue: false, storageName };
  const workMs = 300;
  const pauseMs = env.o.ttl + 1000;
  const victim = spawn(process.execPath, [join(here, "lib", "victim.mjs"), JSON.stringify({ epochMs: env.epochMs, workMs, pauseAt, checkLease, app: { ...appOptions, name: "victim", clientNo: 1 } })], { stdio: ["ignore", "pipe", "inherit"] });
  env.children.add(victim);
  let out = "";
  let readyAt = null;
  const other = new RedlockApp({ ...appOptions, name: "next", clientNo: 2, history });
  const done = new Promise((resolve) => victim.once("exit", resolve));
  const ready = new Promise((resolve) => {
    victim.stdout.on("data", (d) => {
      out += d.toString();
      if (readyAt === null && out.includes('{"ready":true}')) {
        victim.kill("SIGSTOP");
        readyAt = wallMs();
        resolve();
      }
    });
  });
  await Promise.race([ready, done]);
  let nextResult = null;
  if (readyAt !== null) {
    // The victim is frozen; its keys expire; the next client gets the lock and writes.
    await new Promise((r) => setTimeout(r, env.o.ttl + 50));
    nextResult = await other.work("next");
    const left = pauseMs - (wallMs() - readyAt);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    victim.kill("SIGCONT");
  }
  await done;
  env.children.delete(victim);
  const lines = out.trim().split("\n").map((l) => JSON.parse(l));
  const last = lines.find((l) => l.events !== undefined);
  const resumed = lines.find((l) => l.resumed !== undefined);
  if (last === undefined) throw new Error(`kleppmann (${label}): the victim printed no result: ${out.slice(0, 400)}`);
  history.merge(last.events);
  const storage = new Storage(other.storageConn, { fenced, name: storageName });
  logRead(history, await storage.log());
  other.close();
  const v = last.result;
  process.stdout.write(
    `  ${label}: victim granted at ${f1(v.granted ?? NaN)} ms, stopped ${f1(resumed?.stoppedMs ?? NaN)} ms (TTL ${env.o.ttl} ms)${v.token !== undefined ? `, token ${v.token}` : ""}, write ${v.ok ? (v.accepted ? "accepted" : "REJECTED") : `not made (${v.error})`}; ` +
      `next client granted at ${f1(nextResult?.granted ?? NaN)} ms${nextResult?.token !== undefined ? `, token ${nextResult.token}` : ""}, write ${nextResult?.ok ? (nextResult.accepted ? "accepted" : "rejected") : `not made (${nextResult?.error})`}\n`,
  );
  const verdict = judged(`Kleppmann, ${label}`, history, join(env.out, `kleppmann-${storageName.replace(/^kleppmann-/, "")}.json`), expect);
  if (!checkLease && verdict.verdict === "ok") {
    // The same holdings ordered by grant time: the lock's order, which the storage did not keep.
    const grantForm = new History(env.epochMs);
    for (const e of history.sorted()) {
      if (e.f === "work" && e.type === "ok") grantForm.events.push({ ...e, value: { attempt: e.value.attempt, granted: e.process === "victim" ? v.granted : nextResult.granted, accepted: e.value.accepted } });
      else if (e.f === "log" && e.type === "ok") grantForm.events.push({ ...e, value: { writes: e.value.writes.map(({ attempt, value }) => ({ attempt, value })) } });
      else grantForm.events.push(e);
    }
    judged(`Kleppmann, ${label}, the same history by grant time`, grantForm, join(env.out, `kleppmann-${storageName.replace(/^kleppmann-/, "")}-by-grant.json`), "violation");
  }
}

// ---- main ------------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));
  checkRedisBinary();
  const out = o.out ?? mkdtempSync(join(tmpdir(), "rival-redis-"));
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "rival-redis-data-"));
  const env = { o, out, epochMs: wallMs(), children: new Set(), lock: [], storage: null, synod: null };
  env.lockPorts = () => env.lock.map((s) => s.port);
  env.pids = () => [...env.lock, env.storage].filter((s) => s.alive).map((s) => s.child.pid);
  const stopAll = async () => {
    for (const c of env.children) c.kill("SIGKILL");
    await Promise.all([...env.lock, ...(env.storage ? [env.storage] : [])].map((s) => s.stop()));
    if (env.synod) await env.synod.stop();
  };
  const onSignal = () => {
    stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    env.lock = await startServers(5, "lock", dataDir);
    [env.storage] = await startServers(1, "storage", dataDir);
    process.stdout.write(`redis-server: lock nodes on ports ${env.lockPorts().join(", ")}, storage on ${env.storage.port}; data in ${dataDir}; histories in ${out}\n`);
    const maxClients = Math.max(1, ...o.clients);
    if (o.only.includes("healthy") || o.only.includes("failures")) {
      env.synod = new SynodCluster({ dir: join(dataDir, "synod"), clients: maxClients, tickMs: o.synodTick, ttlTicks: o.synodTtlTicks, retryDelayMs: o.retryDelay, seed: o.seed });
      await env.synod.start();
      process.stdout.write(`Synod: ${env.synod.ids.length} node processes on loopback (5 stores, counter, storage, ${maxClients} client nodes), lease ${o.synodTick * o.synodTtlTicks} ms, retry delay ${o.synodTick}-${o.retryDelay} ms\n`);
    }

    if (o.only.includes("healthy")) {
      process.stdout.write(`\n== healthy: 5 of 5 lock nodes (Redis TTL ${o.ttl} ms, retry delay ${o.retryDelay} ms) ==\n`);
      await redisLoad(env, { label: "plain, latency", clients: 1, ops: o.ops, fenced: false, offlineQueue: false, storageName: storageListName("plain, latency", 1) });
      await redisLoad(env, { label: "fenced, latency", clients: 1, ops: o.ops, fenced: true, offlineQueue: false, storageName: storageListName("fenced, latency", 1) });
      await synodLoad(env, env.synod, { label: "latency", clients: 1, ops: o.ops });
      for (const c of o.clients) {
        await redisLoad(env, { label: "fenced, contention", clients: c, seconds: o.seconds, fenced: true, offlineQueue: false, storageName: storageListName("fenced, contention", c) });
        await synodLoad(env, env.synod, { label: "contention", clients: c, seconds: o.seconds });
      }
    }
    if (o.only.includes("kleppmann")) {
      process.stdout.write(`\n== Kleppmann's counterexample on real Redis (SIGSTOP past the ${o.ttl} ms TTL) ==\n`);
      await kleppmann(env, { label: "plain storage, no token, pause before the write", fenced: false, pauseAt: "before-write", expect: "violation" });
      await kleppmann(env, { label: "fenced storage, majority token, pause before the write", fenced: true, pauseAt: "before-write", expect: "ok" });
      await kleppmann(env, { label: "fenced storage, majority token, pause before the token", fenced: true, pauseAt: "before-token", expect: "ok" });
      await kleppmann(env, { label: "fenced storage, token after the pause, no lease check", fenced: true, pauseAt: "before-token", checkLease: false, expect: "ok" });
    }
    if (o.only.includes("failures")) {
      process.stdout.write("\n== failures: lock nodes killed with SIGKILL ==\n");
      await env.lock[0].kill();
      await env.lock[1].kill();
      await env.synod.kill("s1");
      await env.synod.kill("s2");
      const c = Math.min(4, maxClients);
      await redisLoad(env, { label: "2 of 5 dead, latency", clients: 1, ops: Math.min(o.ops, 100), fenced: true, offlineQueue: false, storageName: storageListName("2 of 5 dead, latency", 1) });
      await redisLoad(env, { label: "2 of 5 dead, contention", clients: c, seconds: o.seconds, fenced: true, offlineQueue: false, storageName: storageListName("2 of 5 dead, contention", c) });
      await synodLoad(env, env.synod, { label: "2 of 5 dead, latency", clients: 1, ops: Math.min(o.ops, 100) });
      await synodLoad(env, env.synod, { label: "2 of 5 dead, contention", clients: c, seconds: o.seconds });
      // ioredis's defaults: commands to a dead node queue up until it comes back (20 reconnections).
      {
        const history = new History(env.epochMs);
        const app = new RedlockApp({ name: "defaults", clientNo: 1, lockPorts: env.lockPorts(), storagePort: env.storage.port, fenced: true, ttlMs: o.ttl, retryDelayMs: o.retryDelay, retryCount: 1000, offlineQueue: true, history, storageName: "dead2-defaults" });
        const t0 = wallMs();
        const r = await Promise.race([app.work("defaults"), new Promise((res) => setTimeout(() => res({ ok: false, error: "no answer within 30 s" }), 30_000))]);
        process.stdout.write(`  Redis, 2 of 5 dead, ioredis defaults (offline queue on): one work took ${f1(wallMs() - t0)} ms: ${r.ok ? "ok" : r.error}\n`);
        rows.push({ system: "Redis + node-redlock 4.2.0", setup: "2 of 5 dead, ioredis defaults, one work", clients: 1, done: r.ok ? 1 : 0, failed: r.ok ? 0 : 1, acquireP50: r.acquireMs ?? NaN, workP50: wallMs() - t0, workP99: NaN, perSecond: NaN, cpu: NaN, wall: (wallMs() - t0) / 1000 });
        app.close();
      }
      await env.lock[2].kill();
      await env.synod.kill("s3");
      {
        const history = new History(env.epochMs);
        const app = new RedlockApp({ name: "minority", clientNo: 1, lockPorts: env.lockPorts(), storagePort: env.storage.port, fenced: true, ttlMs: o.ttl, retryDelayMs: o.retryDelay, retryCount: 3, offlineQueue: false, history, storageName: "dead3" });
        const t0 = wallMs();
        const r = await app.work("minority");
        process.stdout.write(`  Redis, 3 of 5 dead: ${r.ok ? "GOT THE LOCK (wrong)" : `no lock after ${f1(wallMs() - t0)} ms: ${r.error}`}\n`);
        if (r.ok) failures++;
        rows.push({ system: "Redis + node-redlock 4.2.0", setup: "3 of 5 dead, one work (4 attempts)", clients: 1, done: r.ok ? 1 : 0, failed: r.ok ? 0 : 1, acquireP50: NaN, workP50: wallMs() - t0, workP99: NaN, perSecond: NaN, cpu: NaN, wall: (wallMs() - t0) / 1000 });
        app.close();
        const sapp = env.synod.app(0);
        const h2 = new History(env.epochMs);
        const s0 = wallMs();
        const sr = await synodWork(sapp, "c1", 0, h2, 3000);
        process.stdout.write(`  Synod, 3 of 5 dead: ${sr.ok ? "GOT THE LOCK (wrong)" : `no lock after ${f1(wallMs() - s0)} ms: ${sr.error}`}\n`);
        if (sr.ok) failures++;
        rows.push({ system: "Synod Redlock (loopback)", setup: "3 of 5 dead, one work (3 s)", clients: 1, done: sr.ok ? 1 : 0, failed: sr.ok ? 0 : 1, acquireP50: NaN, workP50: wallMs() - s0, workP99: NaN, perSecond: NaN, cpu: NaN, wall: (wallMs() - s0) / 1000 });
        sapp.close();
      }
    }
  } finally {
    await stopAll();
  }
  writeFileSync(join(out, "figures.json"), `${JSON.stringify({ options: o, rows }, null, 2)}\n`);
  process.stdout.write("\n| system | setup | clients | done | failed | acquire p50 ms | work p50 ms | work p99 ms | handoffs/s | CPU s | wall s |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const r of rows) process.stdout.write(`| ${r.system} | ${r.setup} | ${r.clients} | ${r.done} | ${r.failed} | ${f1(r.acquireP50)} | ${f1(r.workP50)} | ${f1(r.workP99)} | ${f1(r.perSecond)} | ${f2(r.cpu)} | ${f2(r.wall)} |\n`);
  process.stdout.write(`\nfigures: ${join(out, "figures.json")}; ${failures === 0 ? "every verdict as expected" : `${failures} verdict(s) NOT as expected`}\n`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((err) => {
  if (err instanceof SetupError) {
    process.stderr.write(`rival-redis: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`rival-redis: ${err?.stack ?? err}\n`);
  process.exit(1);
});

#!/usr/bin/env node
// Netflix's Dynomite (Dynamo-style replication over redis-server, one datacenter of three racks:
// N = 3) beside Synod's Dynamo served on loopback (three `synod serve dynamo` processes, N = 3), the same workload on both,
// at R = W = 1 (Dynomite's DC_ONE) and R = W = 2 (DC_QUORUM): per key one writer writing in
// sequence, and readers reading random keys, every operation through a uniformly chosen node.
// Both histories are written to files (kept, with the servers' logs, in a temp dir) and judged by Synod's bounded-staleness judge; prints a table
// and stops every process it started.
//
//   DYNOMITE_BIN=<dynomite checkout>/src/dynomite node rivals/dynomite/run.mjs [--seconds S] [--keys K] [--readers C] [--batch-events N]
//
// Build Synod first (npx -y pnpm@10 --filter @synod/rival-dynomite... build) and Dynomite (see README).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import { integer, parseCommandLine, rivalCommand } from "@synod/rival-common/cli";
import { History, quorum, summarize } from "./lib/history.mjs";
import { DynomiteCluster, SetupError, checkBinaries } from "./lib/servers.mjs";
import { SynodDynamoCluster } from "./lib/synod-cluster.mjs";

/** The command line; a usage error is a SetupError naming the flag (exit 2). */
function parse(argv) {
  const command = rivalCommand("rivals/dynomite/run.mjs", "Dynomite beside Synod's Dynamo (set DYNOMITE_BIN), staleness histories judged.")
    .option("--seconds <n>", "seconds per run", integer(1), 10)
    .option("--keys <n>", "keys, one writer each", integer(1), 8)
    .option("--readers <n>", "concurrent readers", integer(1), 4)
    .option("--batch-events <n>", "Synod's group commit: events per fsync", integer(1));
  try {
    return parseCommandLine(command, argv);
  } catch (e) {
    throw new SetupError(e.message);
  }
}

/** One store as the workload sees it: get and put through node `k`. */
function dynomiteStore(cluster) {
  const conns = cluster.clientPorts.map((port) => new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 0, disableClientInfo: true, enableReadyCheck: false, retryStrategy: () => null, commandTimeout: 2000 }));
  return {
    nodes: conns.length,
    async get(k, key) {
      const v = await conns[k].get(key);
      return v === null ? [] : [v];
    },
    // Last writer wins: a SET replaces the value; the writer's previous write is what it replaces.
    async put(k, key, value) {
      await conns[k].set(key, value);
    },
    close() {
      for (const c of conns) c.disconnect();
    },
  };
}

function synodStore(cluster) {
  const clients = new Map();
  const client = (k, who) => {
    const id = `${who}@${k}`;
    if (!clients.has(id)) clients.set(id, cluster.client(k, id));
    return clients.get(id);
  };
  // The writer puts over the context of its own previous put of the key: that covers its previous
  // write exactly, as a SET replaces the previous value (a blind put would keep it as a sibling).
  const contexts = new Map();
  return {
    nodes: 3,
    async get(k, key, who) {
      const r = await client(k, who).request({ op: "get", key }, 3000);
      if (r.status !== "ok") throw new Error(`get ${key}: ${r.status} ${r.detail ?? r.lastProblem ?? ""}`);
      return r.result.siblings.map((s) => s.value);
    },
    async put(k, key, value, who) {
      const context = contexts.get(key) ?? {};
      const r = await client(k, who).request({ op: "put", key, value, context }, 3000);
      if (r.status !== "ok") throw new Error(`put ${key}: ${r.status} ${r.detail ?? r.lastProblem ?? ""}`);
      const [node, counter] = r.result.dot.split(":");
      contexts.set(key, { ...context, [node]: Math.max(context[node] ?? 0, Number(counter)) });
    },
    close() {
      for (const c of clients.values()) c.close();
    },
  };
}

/** The workload: one writer per key (in sequence), `readers` readers, for `seconds`. */
async function workload(store, o, k, readRepair) {
  const h = new History();
  const q = quorum(k, readRepair);
  const until = Date.now() + o.seconds * 1000;
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const writer = async (key) => {
    let last = null;
    for (let i = 0; Date.now() < until; i++) {
      const value = `${key}.${i}`;
      const who = `w-${key}`;
      h.add(who, "invoke", "write", key, { value, supersedes: last === null ? [] : [last] });
      try {
        await store.put(rand(store.nodes), key, value, who);
        h.add(who, "ok", "write", key, { ...q });
        last = value;
      } catch (err) {
        h.add(who, "info", "write", key, String(err.message ?? err));
        return;
      }
    }
  };
  const reader = async (r) => {
    const who = `r${r}`;
    while (Date.now() < until) {
      const key = `k${rand(o.keys)}`;
      h.add(who, "invoke", "read", key, { final: false });
      try {
        const values = await store.get(rand(store.nodes), key, who);
        h.add(who, "ok", "read", key, { values, ...q });
      } catch (err) {
        h.add(who, "info", "read", key, String(err.message ?? err));
        return;
      }
    }
  };
  await Promise.all([...Array.from({ length: o.keys }, (_, i) => writer(`k${i}`)), ...Array.from({ length: o.readers }, (_, r) => reader(r))]);
  return h.events;
}

async function main() {
  const o = parse(process.argv.slice(2));
  checkBinaries();
  const dir = mkdtempSync(join(tmpdir(), "synod-rival-dynomite-"));
  const rows = [];
  const cpu0 = process.cpuUsage();
  {
    for (const [k, level] of [[1, "DC_ONE"], [2, "DC_QUORUM"]]) {
      const dyn = new DynomiteCluster({ dir: join(dir, `dynomite-${level}`), consistency: level });
      let events;
      try {
        await dyn.start();
        const store = dynomiteStore(dyn);
        try {
          events = await workload(store, o, k, "off");
        } finally {
          store.close();
        }
      } finally {
        await dyn.stop();
      }
      const file = join(dir, `dynomite-${level}.json`);
      writeFileSync(file, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
      rows.push({ system: `Dynomite ${level}`, k, file, ...summarize(events) });

      const syn = new SynodDynamoCluster({ dir: join(dir, `synod-r${k}w${k}`), r: k, w: k, batchEvents: o.batchEvents });
      try {
        await syn.start();
        const store = synodStore(syn);
        try {
          events = await workload(store, o, k, "async");
        } finally {
          store.close();
        }
      } finally {
        await syn.stop();
      }
      const sfile = join(dir, `synod-r${k}w${k}.json`);
      writeFileSync(sfile, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
      rows.push({ system: `Synod Dynamo R=W=${k}`, k, file: sfile, ...summarize(events) });
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const f = (x) => (Number.isNaN(x) ? "—" : x.toFixed(2));
  console.log(`${o.seconds} s per run, ${o.keys} keys (one writer each), ${o.readers} readers, N = 3, loopback; Synod --batch-events ${o.batchEvents ?? 1}; histories in ${dir}\n`);
  console.log("| store | R = W | reads | writes | failed | read p50 / p99 ms | write p50 / p99 ms | stale reads | judge |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.system} | ${r.k} | ${r.reads} | ${r.writes} | ${r.failed} | ${f(r.read.p50)} / ${f(r.read.p99)} | ${f(r.write.p50)} / ${f(r.write.p99)} | ${r.stale} (${(100 * r.staleShare).toFixed(2)}%) | ${r.violation ?? r.distribution} |`);
  }
  console.log(`\nCPU of this process (the clients and the judge; not the servers): ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  console.log(`judge a history again: node packages/cli/dist/bin.js judge bounded-staleness ${rows[0]?.file ?? "<file>"}`);
}

main().catch((err) => {
  if (err instanceof SetupError) {
    console.error(`rival-dynomite: ${err.message}`);
    process.exit(2);
  }
  console.error(`rival-dynomite: ${err.stack ?? err}`);
  process.exit(1);
});

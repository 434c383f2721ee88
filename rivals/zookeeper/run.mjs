#!/usr/bin/env node
/**
 * Real ZooKeeper 3.8 beside Synod's zklock (served over TCP), on loopback: the same lock workloads
 * and faults on both, every history written to a file and judged by Synod's mutual-exclusion
 * judge, a table printed, every server stopped. See README.md for the figures and the command.
 *
 * Usage: node rivals/zookeeper/run.mjs [--system both|zookeeper|synod]
 *   [--scenario all|contention|kill-holder|kill-leader|kleppmann-fenced|kleppmann-unfenced]
 *   [--clients 1,4,8] [--seconds 10] [--rounds 3] [--out DIR] [--port 23100]
 *   [--batch-events 1] [--resend-ms 1000]   (Synod's group commit per fsync; its clients' resend timer)
 *   [--synod-raft '{"readMode":"lease"}']   (Raft options of Synod's tree replicas; bad ones are refused by synod serve)
 *
 * Exit status: 0 when every history got the verdict expected (a violation for Kleppmann's scenario
 * on an unfenced store, ok for everything else), 1 otherwise or on an error.
 *
 * @module
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { mutualExclusion } from "@synod/conformance";
import { parseArgs } from "./lib/args.mjs";
import { History } from "./lib/history.mjs";
import { SCENARIOS } from "./lib/scenarios.mjs";
import { synodSide, zookeeperSide } from "./lib/sides.mjs";
import { checkSynodBuilt } from "./lib/synod-cluster.mjs";
import { checkZooKeeperInstalled } from "./lib/zk-cluster.mjs";

/** Session timeout on both sides (ZooKeeper negotiates within [2, 20] ticks of 200 ms). */
const SESSION_MS = 4000;

const fmt = (x, digits = 0) => (x === null || x === undefined || Number.isNaN(x) ? "–" : typeof x === "number" ? x.toFixed(digits) : String(x));

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const wantZk = o.system !== "synod";
  const wantSynod = o.system !== "zookeeper";
  if (wantZk) checkZooKeeperInstalled();
  if (wantSynod) checkSynodBuilt();
  const out = o.out ?? fs.mkdtempSync(path.join(os.tmpdir(), "synod-rival-zk-"));
  fs.mkdirSync(out, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "synod-rival-zk-data-"));
  const sides = [];
  if (wantZk) sides.push(["zookeeper", zookeeperSide({ dir: work, basePort: o.port, tickMs: 200, sessionMs: SESSION_MS })]);
  if (wantSynod) sides.push(["synod", synodSide({ dir: work, basePort: o.port + 100, sessionMs: SESSION_MS, heartbeatMs: 1000, resendMs: o.resendMs, electionTimeoutMs: "1000-2000", raftHeartbeatMs: 100, batchEvents: o.batchEvents, raft: o.synodRaft })]);
  const names = o.scenario === "all" ? Object.keys(SCENARIOS) : [o.scenario];
  const params = { levels: o.levels, seconds: o.seconds, rounds: o.rounds, workMs: 1000, clients: 4, killAtS: 4, restartAtS: 9 };
  const results = [];
  const unexpected = [];
  let current = null;
  const stopAll = async () => {
    if (current !== null) await current.stop().catch(() => {});
  };
  process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}; histories in ${out}`);
  for (const name of names) {
    const sc = SCENARIOS[name];
    for (const [tag, side] of sides) {
      const h = new History();
      current = side;
      const cpu0 = process.cpuUsage();
      const t0 = Date.now();
      let rows;
      try {
        await side.start(sc.cluster(params));
        rows = await sc.run(side, h, { ...params, seconds: name === "kill-leader" ? Math.max(o.seconds, 12) : o.seconds });
      } finally {
        await side.stop();
        current = null;
      }
      const file = path.join(out, `${tag}-${name}.json`);
      h.write(file);
      const verdict = mutualExclusion().check(h.events, { timeoutMs: 60000 });
      const wallS = (Date.now() - t0) / 1000;
      results.push({ scenario: name, system: side.name, file, verdict, rows, wallS });
      console.log(`\n## ${name} — ${side.name} (${wallS.toFixed(1)} s wall, driver CPU ${((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6).toFixed(1)} s)`);
      console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? fmt(v, Number.isInteger(v) ? 0 : 1) : v]))));
      console.log(`judge (mutual exclusion): ${verdict.verdict}: ${verdict.detail ?? verdict.explanation ?? verdict.reason}`);
      console.log(`history: ${file}`);
      if (verdict.verdict !== sc.expect) unexpected.push(`${name} on ${side.name}: ${verdict.verdict}, expected ${sc.expect}`);
    }
  }
  fs.writeFileSync(path.join(out, "summary.json"), JSON.stringify({ at: new Date().toISOString(), loadavg: os.loadavg(), params, results }, null, 2));
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`\nsummary: ${path.join(out, "summary.json")}`);
  if (unexpected.length > 0) {
    console.log(`\nverdicts not as expected:\n${unexpected.map((u) => `  ${u}`).join("\n")}`);
    process.exitCode = 1;
  } else console.log("every verdict as expected");
}

main().catch((err) => {
  process.stderr.write(`rivals/zookeeper: ${err?.message ?? err}\n`);
  process.exit(1);
});

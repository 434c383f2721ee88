#!/usr/bin/env node
/**
 * Real etcd 3.4 beside Synod's lease election (served over TCP), on loopback: 3 candidates on
 * each, the leader's process killed and paused, every history of leader claims written to a file
 * and judged by Synod's leadership judge, a table printed, every server stopped. See README.md.
 *
 * Usage: node rivals/etcd/run.mjs [--system both|etcd|synod]
 *   [--scenario all|kill-leader|pause-leader|kill-server-leader] [--rounds 3] [--out DIR] [--port 23400]
 *
 * Exit status: 0 when every history got the verdict expected (a violation for the naive etcd client
 * paused past its lease, ok for everything else), 1 otherwise or on an error.
 *
 * @module
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { leadership } from "@synod/conformance";
import { parseArgs } from "./lib/args.mjs";
import { checkEtcdInstalled } from "./lib/etcd-cluster.mjs";
import { History } from "./lib/history.mjs";
import { SCENARIOS } from "./lib/scenarios.mjs";
import { checkSynodBuilt, etcdSide, synodSide } from "./lib/sides.mjs";

/** Lease on both sides: etcd's TTL (its minimum with a 1 s election timeout) and Synod's leaseMs. */
const LEASE_S = 2;
/** The drift bound Synod's members claim, and the judge holds every claim to. */
const DRIFT_BOUND = 0.05;
const CLAIM_EVERY_MS = 20;

const fmt = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v === null ? "–" : v);

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.system !== "synod") checkEtcdInstalled();
  if (o.system !== "etcd") checkSynodBuilt();
  const out = o.out ?? fs.mkdtempSync(path.join(os.tmpdir(), "synod-rival-etcd-"));
  fs.mkdirSync(out, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "synod-rival-etcd-data-"));
  const names = o.scenario === "all" ? Object.keys(SCENARIOS) : [o.scenario];
  const params = { rounds: o.rounds, pauseMs: 3 * LEASE_S * 1000, observeMs: 6000 };
  const judge = leadership({ driftBound: DRIFT_BOUND });
  const results = [];
  const unexpected = [];
  let current = null;
  process.once("SIGINT", () => void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(130)));
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}; histories in ${out}`);
  for (const name of names) {
    const sc = SCENARIOS[name];
    const sides = [];
    if (o.system !== "synod") for (const mode of sc.modes) sides.push([`etcd-${mode}`, etcdSide({ dir: work, basePort: o.port, ttlS: LEASE_S, claimEveryMs: CLAIM_EVERY_MS, mode })]);
    if (o.system !== "etcd" && !sc.etcdOnly) sides.push(["synod", synodSide({ dir: work, basePort: o.port + 50, leaseMs: LEASE_S * 1000, driftBound: DRIFT_BOUND, renewEveryMs: 500, electionTimeoutMs: "1000-2000", claimEveryMs: CLAIM_EVERY_MS })]);
    for (const [tag, side] of sides) {
      const h = new History();
      current = side;
      const t0 = Date.now();
      let rows;
      try {
        await side.start(h);
        rows = await sc.run(side, h, params);
      } finally {
        await side.stop();
        current = null;
      }
      const file = path.join(out, `${tag}-${name}.json`);
      h.write(file);
      const verdict = judge.check(h.events, { timeoutMs: 60000 });
      const wallS = (Date.now() - t0) / 1000;
      results.push({ scenario: name, system: side.name, file, verdict, rows, wallS });
      console.log(`\n## ${name} — ${side.name} (${wallS.toFixed(1)} s wall)`);
      console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fmt(v)]))));
      console.log(`judge (leadership, drift bound ${DRIFT_BOUND}): ${verdict.verdict}: ${verdict.detail ?? verdict.explanation ?? verdict.reason}`);
      console.log(`history: ${file}`);
      const expected = sc.expect[tag] ?? "ok";
      if (verdict.verdict !== expected) unexpected.push(`${name} on ${side.name}: ${verdict.verdict}, expected ${expected}`);
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
  process.stderr.write(`rivals/etcd: ${err?.message ?? err}\n`);
  process.exit(1);
});

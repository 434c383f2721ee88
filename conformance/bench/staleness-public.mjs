#!/usr/bin/env node
// Public register histories through the bounded-staleness judge: Knossos's cas-register data
// (github.com/jepsen-io/knossos, data/cas-register/{good,bad}), Porcupine's Jepsen etcd logs and
// its kv histories (github.com/anishathalye/porcupine, test_data/{jepsen,kv}). None of that data is
// in this repository: point KNOSSOS_DIR and PORCUPINE_DIR at checkouts (or at folders holding their
// data/ and test_data/).
//
// For each history: its authors' label (linearizable or not); the definitely stale reads found
// directly on the register history (the ground truth of conformance/src/register-staleness.ts); the
// judge's stale reads on the history converted to its vocabulary, under weak quorums (R = W = 1:
// staleness only) and under strict quorums with blocking read repair (R = W = 2 of 3: the judge
// then also runs lincheck with its multi-value register). Checks: a linearizable history has no
// stale read and passes under strict quorums; every read the judge calls stale is definitely stale.
//
//   KNOSSOS_DIR=... PORCUPINE_DIR=... node conformance/bench/staleness-public.mjs [--timeout-ms N]
//
// Build first: npx -y pnpm@10 --filter @synod/conformance... build
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readHistoryFile } from "@synod/lincheck";
import { boundedStaleness, definitelyStaleReads, registerToMv, stalenessReport } from "../dist/index.js";

const argv = process.argv.slice(2);
let timeoutMs = 20_000;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--timeout-ms" && /^\d+$/.test(argv[i + 1] ?? "")) timeoutMs = Number(argv[++i]);
  else {
    console.error(`staleness-public.mjs: unknown argument ${argv[i]}\nusage: KNOSSOS_DIR=... PORCUPINE_DIR=... node conformance/bench/staleness-public.mjs [--timeout-ms N]`);
    process.exit(2);
  }
}
// Porcupine's tests: which of Jepsen's etcd logs are linearizable (etcd_095.log is empty; skipped there too).
const ETCD_LINEARIZABLE = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);
const list = (dir, re) => (existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).sort() : []);
const histories = [];
const kn = process.env.KNOSSOS_DIR;
const pc = process.env.PORCUPINE_DIR;
if (kn === undefined && pc === undefined) {
  console.error("staleness-public.mjs: set KNOSSOS_DIR and/or PORCUPINE_DIR to checkouts of github.com/jepsen-io/knossos and github.com/anishathalye/porcupine");
  process.exit(2);
}
if (kn !== undefined) {
  for (const [folder, label] of [["good", "ok"], ["bad", "illegal"]]) {
    const d = join(kn, "data", "cas-register", folder);
    if (!existsSync(d)) throw new Error(`KNOSSOS_DIR=${kn}: no data/cas-register/${folder}`);
    for (const f of list(d, /\.edn$/)) histories.push({ collection: "knossos cas-register", file: join(d, f), flavour: "register", init: 0, label });
  }
}
if (pc !== undefined) {
  const j = join(pc, "test_data", "jepsen");
  const k = join(pc, "test_data", "kv");
  if (!existsSync(j) || !existsSync(k)) throw new Error(`PORCUPINE_DIR=${pc}: no test_data/jepsen or test_data/kv`);
  for (const f of list(j, /^etcd_\d{3}\.log$/)) {
    const n = Number(f.slice(5, 8));
    if (n === 95) continue;
    histories.push({ collection: "porcupine jepsen etcd", file: join(j, f), flavour: "register", init: null, label: ETCD_LINEARIZABLE.has(n) ? "ok" : "illegal" });
  }
  for (const f of list(k, /^c\d+-(ok|bad)\.txt$/)) histories.push({ collection: "porcupine kv", file: join(k, f), flavour: "kv", init: "", label: f.includes("-ok") ? "ok" : "illegal" });
}

const WEAK = { n: 3, r: 1, w: 1, sloppy: false, readRepair: "async" };
const STRICT = { n: 3, r: 2, w: 2, sloppy: false, readRepair: "blocking" };
const judge = boundedStaleness();
const rows = [];
const problems = [];
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (const h of histories) {
  const name = h.file.split("/").slice(-1)[0];
  let history;
  try {
    ({ history } = await readHistoryFile(h.file));
  } catch (err) {
    rows.push({ h, name, error: err.message });
    problems.push(`${h.collection} ${name}: cannot read: ${err.message}`);
    continue;
  }
  const gt = definitelyStaleReads(history, h.flavour, h.init);
  const weak = registerToMv(history, h.flavour, h.init, WEAK);
  const rep = stalenessReport(weak.history);
  const judgedStale = rep.reads.filter((r) => !r.fresh).map((r) => weak.readPosition.get(r.atMs)).filter((p) => !gt.unwritten.includes(p));
  const gtSet = new Set(gt.stale);
  const falseStale = judgedStale.filter((p) => !gtSet.has(p));
  const missedStale = gt.stale.filter((p) => !judgedStale.includes(p));
  const strictConv = registerToMv(history, h.flavour, h.init, STRICT);
  // Repeated values leave a read's source a choice, which a linearization may not share: only
  // unambiguous conversions are held to the multi-value register's linearizability.
  const strict = strictConv.ambiguousReads > 0 ? { verdict: "not run", reason: `${strictConv.ambiguousReads} ambiguous reads` } : judge.check(strictConv.history, { timeoutMs });
  const row = { h, name, reads: gt.reads, gtStale: gt.stale.length, unwritten: gt.unwritten.length, judgedStale: judgedStale.length, falseStale, missedStale, strict };
  rows.push(row);
  if (falseStale.length > 0) problems.push(`${h.collection} ${name}: the judge calls ${falseStale.length} read(s) stale that are not definitely stale (events ${falseStale.slice(0, 5).join(", ")})`);
  if (h.label === "ok" && (gt.stale.length > 0 || judgedStale.length > 0 || gt.unwritten.length > 0)) problems.push(`${h.collection} ${name}: labelled linearizable, yet ${gt.stale.length} definitely stale / ${judgedStale.length} judged stale / ${gt.unwritten.length} unwritten reads`);
  if (h.label === "ok" && strict.verdict !== "ok" && strict.verdict !== "not run") problems.push(`${h.collection} ${name}: labelled linearizable, strict-quorum verdict ${strict.verdict}: ${strict.explanation ?? strict.reason}`);
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);

// Per-collection summary, then every non-linearizable history.
const verdictOf = (s) => (s.verdict === "ok" ? "ok" : s.verdict === "violation" ? "violation" : `${s.verdict} (${s.reason})`);
console.log("| collection | label | histories | reads | definitely stale (histories with any) | judged stale, R=W=1 (histories with any) | judge stale ⊄ ground truth | ground truth stale the judge missed | strict-quorum verdict: ok / violation / unknown / not run (ambiguous) |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const c of [...new Set(histories.map((h) => h.collection))]) {
  for (const label of ["ok", "illegal"]) {
    const rs = rows.filter((r) => r.h.collection === c && r.h.label === label && r.error === undefined);
    if (rs.length === 0) continue;
    const sum = (f) => rs.reduce((a, r) => a + f(r), 0);
    const count = (f) => rs.filter(f).length;
    console.log(
      `| ${c} | ${label === "ok" ? "linearizable" : "not linearizable"} | ${rs.length} | ${sum((r) => r.reads)} | ${sum((r) => r.gtStale)} (${count((r) => r.gtStale > 0)}) | ${sum((r) => r.judgedStale)} (${count((r) => r.judgedStale > 0)}) | ${sum((r) => r.falseStale.length)} | ${sum((r) => r.missedStale.length)} (${count((r) => r.missedStale.length > 0)}) | ${count((r) => r.strict.verdict === "ok")} / ${count((r) => r.strict.verdict === "violation")} / ${count((r) => r.strict.verdict === "unknown")} / ${count((r) => r.strict.verdict === "not run")} |`,
    );
  }
}
console.log("\nNot linearizable, one by one:\n");
console.log("| history | reads | definitely stale | judged stale (R=W=1) | unwritten values read | strict-quorum verdict |");
console.log("|---|---|---|---|---|---|");
for (const r of rows.filter((x) => x.h.label === "illegal")) {
  if (r.error !== undefined) console.log(`| ${r.h.collection} ${r.name} | cannot read: ${r.error} | | | | |`);
  else console.log(`| ${r.h.collection} ${r.name} | ${r.reads} | ${r.gtStale} | ${r.judgedStale} | ${r.unwritten} | ${verdictOf(r.strict)} |`);
}
console.log(`\n${histories.length} histories; wall ${wall.toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
if (problems.length > 0) {
  console.log(`\n${problems.length} disagreement(s):`);
  for (const p of problems) console.log(`- ${p}`);
  process.exitCode = 1;
} else console.log("no disagreement");

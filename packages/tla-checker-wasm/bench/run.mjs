// The checker's bench (`pnpm bench`): one table with TLC and tla-check (1 and 2 workers) on
//   - every CI model under specs/ (specs/*/expected.json, size "ci") that takes TLC at least 5 s,
//   - three public models of 10^5..10^6 states from tlaplus/Examples (TLA_EXAMPLES: a checkout;
//     skipped with a message when it is not set),
//   - the bench's own models (bench/models/),
// with wall and CPU seconds, distinct states per second, peak RSS and the ratios; then a second
// table with the time and memory of liveness checking against safety-only checking (issue 6).
// Every case runs in its own process; wall time includes start-up (Node's, and TLC's JVM), as a
// user sees it. The bench fails if a count differs from TLC's recorded figures.
//
//   node bench/run.mjs [--only SUBSTRING]... [--runs N] [--no-tlc] [--no-liveness] [--no-public] [--no-own]
//
// SYNOD_TLC_JAR=/path/tla2tools.jar (and java on the PATH) adds the TLC columns; TLC then runs on
// every CI model of specs/ and the table keeps those that took it at least 5 s (the others are
// listed below it). Without it, the CI models kept are those TLC took at least 5 s for when this
// list was measured (SPEC_MODELS below). TLA_EXAMPLES_LIBS: colon-separated module folders for
// the public models (CommunityModules' modules/, tlapm's library/ for TLAPS), for both checkers.
// With --runs N every figure is the median of N runs (the machine is shared: use N >= 3).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTlcOutput } from "../scripts/tlc-run.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..", "..");
const models = join(here, "models");

// CI models TLC 2.20 took at least 5 s for (`scripts/tlc.sh specs/<folder> <cfg>...`, -workers 1,
// 2026-12-07, a loaded 2-core machine: MCRaftBrokenCommit 53.9 s, MCMultiPaxosGaps 23.7,
// MCRaftExt 22.9, MCMultiPaxosBrokenPromise 17.7, MCRaft 16.3, MCMultiPaxosLease 15.0,
// MCMultiPaxosBrokenLeaseRestart 14.9, MCMultiPaxosBrokenLease 11.8, MCMultiPaxos 11.6,
// MCMultiPaxosBrokenRecovery 7.0, MCPaxos 6.8, MCPaxosLiveness 6.2; the others 2.3-4.5 s).
// Used when SYNOD_TLC_JAR is not set; with it, the bench measures TLC and decides itself.
const SPEC_MODELS = [
  "MCRaftBrokenCommit.cfg", "MCMultiPaxosGaps.cfg", "MCRaftExt.cfg", "MCMultiPaxosBrokenPromise.cfg", "MCRaft.cfg",
  "MCMultiPaxosLease.cfg", "MCMultiPaxosBrokenLeaseRestart.cfg", "MCMultiPaxosBrokenLease.cfg", "MCMultiPaxos.cfg",
  "MCMultiPaxosBrokenRecovery.cfg", "MCPaxos.cfg", "MCPaxosLiveness.cfg",
];
const TLC_MIN_SECONDS = 5;

// Public models of 10^5..10^6 distinct states (tlaplus/Examples at 32a32c7), with the figures of
// their manifests (TLC's). Not in this repository: TLA_EXAMPLES names a checkout.
const PUBLIC_MODELS = [
  { dir: "specifications/TeachingConcurrency", spec: "SimpleRegular.tla", cfg: "SimpleRegular.cfg", verdict: "ok", distinct: 277726, generated: 1454776 },
  { dir: "specifications/Bakery-Boulangerie", spec: "MCBakery.tla", cfg: "MCBakery.cfg", verdict: "ok", distinct: 655200, generated: 3403584 },
  { dir: "specifications/lamport_mutex", spec: "MCLamportMutex.tla", cfg: "MCLamportMutex.cfg", verdict: "ok", distinct: 724274, generated: 2729079 },
];

// The bench's own models, figures from TLC 1.8 (-workers 1), see models/README.md.
const OWN_MODELS = [
  { name: "TicketLock", dir: models, spec: "TicketLock.tla", cfg: "TicketLock.cfg", verdict: "ok", distinct: 227484, generated: 1102955 },
  { name: "ClockMutex", dir: models, spec: "ClockMutex.tla", cfg: "ClockMutex.cfg", verdict: "ok", distinct: 122949, generated: 514279 },
  { name: "CommitVotes", dir: models, spec: "CommitVotes.tla", cfg: "CommitVotes.cfg", verdict: "ok", distinct: 250558, generated: 2605517 },
];

// Liveness against safety-only: the same spec and constants, the second cfg adds a `~>` PROPERTY
// under WF fairness. Figures from TLC 2.20 (-workers 1), see models/README.md.
const LIVENESS_CASES = [
  { name: "FairQueueLock N=4 M=4", spec: "FairQueueLock.tla", safety: "FairQueueLock.cfg", liveness: "FairQueueLockLive.cfg", distinct: 33024, generated: 64513 },
  { name: "FairQueueLock N=4 M=5", spec: "FairQueueLock.tla", safety: "FairQueueLock5.cfg", liveness: "FairQueueLock5Live.cfg", distinct: 80625, generated: 157501 },
];

const KNOWN_FLAGS = new Set(["--only", "--runs", "--no-tlc", "--no-liveness", "--no-public", "--no-own"]);
const args = process.argv.slice(2);
const only = [];
let runs = 1;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (!KNOWN_FLAGS.has(a)) usage(`unknown argument ${a}`);
  if (a === "--only") only.push(args[++i] ?? usage("--only needs a substring"));
  if (a === "--runs") {
    runs = Number(args[++i]);
    if (!Number.isInteger(runs) || runs < 1) usage("--runs needs a positive integer");
  }
}
function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/run.mjs [--only SUBSTRING]... [--runs N] [--no-tlc] [--no-liveness] [--no-public] [--no-own]`);
  process.exit(2);
}
const wanted = (name) => only.length === 0 || only.some((o) => name.includes(o));
const jar = process.env.SYNOD_TLC_JAR;
if (jar && !existsSync(jar)) usage(`SYNOD_TLC_JAR=${jar} does not exist`);
const withTlc = !args.includes("--no-tlc") && jar !== undefined && spawnSync("java", ["-version"]).status === 0;
if (jar && !withTlc && !args.includes("--no-tlc")) usage("SYNOD_TLC_JAR is set but java is not on the PATH");
const examples = process.env.TLA_EXAMPLES;
const libDirs = (process.env.TLA_EXAMPLES_LIBS ?? "").split(":").filter(Boolean);
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Run a command; wall seconds, and with /usr/bin/time its user+sys CPU seconds and peak RSS. */
function measure(cmd, argv, cwd) {
  const start = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ["-f", "SYNOD_BENCH_TIME %U %S %M", cmd, ...argv], { cwd, encoding: "utf8", maxBuffer: 1 << 28 })
    : spawnSync(cmd, argv, { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = (performance.now() - start) / 1000;
  const m = /SYNOD_BENCH_TIME (\S+) (\S+) (\d+)/.exec(r.stderr ?? "");
  return {
    status: r.status,
    stdout: r.stdout ?? "",
    stderr: (r.stderr ?? "").replace(/SYNOD_BENCH_TIME .*\n?/, ""),
    seconds,
    cpuSeconds: m ? Number(m[1]) + Number(m[2]) : null,
    maxRssMB: m ? Number(m[3]) / 1024 : null,
  };
}

function runOursOnce(c, workers) {
  const r = measure(process.execPath, [join(here, "case.mjs"), join(c.dir, c.spec), join(c.dir, c.cfg), String(workers), ...(c.libDirs ?? [])], c.dir);
  const line = r.stdout.trim().split("\n").pop();
  if (r.status !== 0 || !line?.startsWith("{")) return { error: (r.stderr || `exit ${r.status}`).trim().split("\n")[0] };
  const j = JSON.parse(line);
  // Wall time of the whole process (start-up included); CPU and RSS as the process measured them.
  return { ...j, seconds: r.seconds, searchSeconds: j.seconds };
}

function runTlcOnce(c) {
  // TLC writes its states/ folder under -metadir: a temporary one, so nothing lands in the spec's folder.
  const meta = mkdtempSync(join(tmpdir(), "synod-bench-tlc-"));
  try {
    const cp = [jar, ...(c.libDirs ?? [])].join(":");
    const r = measure("java", ["-XX:+UseParallelGC", "-cp", cp, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", meta, "-config", c.cfg, c.spec], c.dir);
    const p = parseTlcOutput(r.stdout + r.stderr);
    if (p.distinct === null || p.generated === null) return { error: `TLC did not finish (${p.verdict ?? "no verdict"})` };
    return { verdict: p.verdict, distinct: p.distinct, generated: p.generated, seconds: r.seconds, cpuSeconds: r.cpuSeconds, maxRssMB: r.maxRssMB };
  } finally {
    rmSync(meta, { recursive: true, force: true });
  }
}

/** Median figures of `runs` runs of `once`; the first error ends the series. */
function repeat(once) {
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const r = once();
    if (r.error) return r;
    rs.push(r);
  }
  return { ...rs[0], seconds: median(rs.map((r) => r.seconds)), cpuSeconds: median(rs.map((r) => r.cpuSeconds)), maxRssMB: median(rs.map((r) => r.maxRssMB)) };
}

const fmt = (x, digits = 1) => (x === null || x === undefined ? "-" : x.toFixed(digits));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : "-");
const int = (x) => (x === null || x === undefined ? "-" : Math.round(x).toLocaleString("en"));

// ---------------------------------------------------------------------------------------------
// The cases of the main table.

const cases = [];
const dropped = [];
for (const folder of readdirSync(join(repo, "specs")).sort()) {
  const file = join(repo, "specs", folder, "expected.json");
  if (!existsSync(file)) continue;
  for (const e of JSON.parse(readFileSync(file, "utf8"))) {
    if (e.size !== "ci") continue;
    const name = `specs/${folder} ${e.cfg}`;
    if (!wanted(name)) continue;
    if (!withTlc && !SPEC_MODELS.includes(e.cfg)) continue;
    // `countsReliable: false`: TLC's own counts for this model vary from run to run (where its
    // liveness checker stops); only the verdict is compared.
    cases.push({ name, group: "specs", dir: join(repo, "specs", folder), spec: e.spec, cfg: e.cfg, verdict: e.verdict, distinct: e.distinct, generated: e.generated, filterByTlc: true, verdictOnly: e.countsReliable === false });
  }
}
let publicNote = null;
if (!args.includes("--no-public")) {
  if (!examples) publicNote = "public models skipped: set TLA_EXAMPLES to a checkout of https://github.com/tlaplus/Examples (and TLA_EXAMPLES_LIBS to CommunityModules/modules:tlapm/library)";
  else {
    for (const m of PUBLIC_MODELS) {
      const name = `${m.dir.replace(/^specifications\//, "")}/${m.cfg}`;
      if (!wanted(name)) continue;
      const dir = join(examples, m.dir);
      if (!existsSync(join(dir, m.spec))) {
        publicNote = `${publicNote ? `${publicNote}; ` : ""}${join(dir, m.spec)} not found: skipped`;
        continue;
      }
      cases.push({ name, group: "public", dir, spec: m.spec, cfg: m.cfg, verdict: m.verdict, distinct: m.distinct, generated: m.generated, libDirs });
    }
  }
}
if (!args.includes("--no-own")) for (const m of OWN_MODELS) if (wanted(m.name)) cases.push({ ...m, group: "own" });

const header = ["model", "distinct", "generated", "TLC s", "TLC CPU s", "TLC MB", "1w s", "1w CPU s", "1w MB", "1w distinct/s", "TLC/1w wall", "TLC/1w CPU", "2w s", "2w CPU s", "2w CPU use", "1w/2w wall", ""];
const rows = [];
const ratiosWall = [];
const ratiosCpu = [];
let mismatches = 0;
const sameFigures = (r, c) => r.verdict === c.verdict && r.distinct === c.distinct && r.generated === c.generated;
// With several workers the counts where a violation stops the search depend on the interleaving
// (TLC's too); a complete search must still give the exact counts.
const agrees = (r, c, workers) => ((workers > 1 && c.verdict !== "ok") || c.verdictOnly ? r.verdict === c.verdict : sameFigures(r, c));
for (const c of cases) {
  process.stderr.write(`bench: ${c.name} ...\n`);
  const tlc = withTlc ? repeat(() => runTlcOnce(c)) : null;
  if (tlc && !tlc.error && c.filterByTlc && tlc.seconds < TLC_MIN_SECONDS) {
    dropped.push(`${c.name} (TLC ${tlc.seconds.toFixed(1)} s)`);
    continue;
  }
  const one = repeat(() => runOursOnce(c, 1));
  const two = repeat(() => runOursOnce(c, 2));
  const notes = [];
  for (const [who, r, workers] of [["TLC", tlc, 1], ["1 worker", one, 1], ["2 workers", two, 2]]) {
    if (!r) continue;
    if (r.error) notes.push(`${who}: ${r.error}`);
    else if (!agrees(r, c, workers)) notes.push(`${who} DIFFERS from TLC's ${c.verdict} ${c.distinct}/${c.generated}: ${r.verdict} ${r.distinct}/${r.generated}`);
  }
  if (notes.length > 0) mismatches++;
  const ok1 = one.error ? null : one;
  const ok2 = two.error ? null : two;
  const okT = tlc && !tlc.error ? tlc : null;
  if (okT && ok1) {
    ratiosWall.push(okT.seconds / ok1.seconds);
    if (okT.cpuSeconds && ok1.cpuSeconds) ratiosCpu.push(okT.cpuSeconds / ok1.cpuSeconds);
  }
  rows.push([
    c.name,
    int(c.distinct),
    int(c.generated),
    fmt(okT?.seconds), fmt(okT?.cpuSeconds), int(okT?.maxRssMB),
    fmt(ok1?.seconds), fmt(ok1?.cpuSeconds), int(ok1?.maxRssMB), int(ok1 ? c.distinct / ok1.seconds : null),
    ratio(okT?.seconds, ok1?.seconds), ratio(okT?.cpuSeconds, ok1?.cpuSeconds),
    fmt(ok2?.seconds), fmt(ok2?.cpuSeconds), ok2?.cpuSeconds ? `${(ok2.cpuSeconds / ok2.seconds).toFixed(2)}` : "-",
    ratio(ok1?.seconds, ok2?.seconds),
    notes.join("; "),
  ]);
}
const geomean = (xs) => (xs.length === 0 ? null : Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length));
if (ratiosWall.length > 0) {
  rows.push(["geometric mean", "", "", "", "", "", "", "", "", "", `${geomean(ratiosWall).toFixed(2)}x`, ratiosCpu.length ? `${geomean(ratiosCpu).toFixed(2)}x` : "-", "", "", "", "", ""]);
}

function printTable(head, body) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells) => `| ${cells.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of body) console.log(line(r));
}

printTable(header, rows);
console.log(`\n${runs > 1 ? `Medians of ${runs} runs. ` : ""}Wall seconds of the whole process (Node's start-up, TLC's JVM start-up included); CPU s is user + sys of all threads (/usr/bin/time for TLC).`);
console.log("TLC/1w > 1: tla-check with one worker is faster than TLC with one worker. 2w CPU use: CPU seconds per wall second with 2 workers (2.0 = both cores busy).");
if (!withTlc) console.log("TLC columns empty: set SYNOD_TLC_JAR to tla2tools.jar (and put java on the PATH) to compare; CI models listed from the TLC times recorded in bench/run.mjs.");
if (dropped.length > 0) console.log(`CI models TLC took less than ${TLC_MIN_SECONDS} s for (not in the table): ${dropped.join(", ")}.`);
if (publicNote) console.log(publicNote);

if (!args.includes("--no-liveness")) {
  const liveRows = [];
  for (const c of LIVENESS_CASES) {
    if (!wanted(c.name)) continue;
    let base = null;
    for (const [kind, cfg] of [["safety only", c.safety], ["safety + liveness", c.liveness]]) {
      const k = { ...c, dir: models, cfg, verdict: "ok" };
      const r = repeat(() => runOursOnce(k, 1));
      const tlc = withTlc ? repeat(() => runTlcOnce(k)) : null;
      if (r.error) {
        liveRows.push([c.name, kind, "-", "error", "-", "-", "-", "-", r.error]);
        mismatches++;
        continue;
      }
      const ok = sameFigures(r, k);
      if (!ok) mismatches++;
      if (kind === "safety only") base = r;
      const vs = kind !== "safety only" && base;
      liveRows.push([
        c.name,
        kind,
        int(r.distinct),
        fmt(r.seconds),
        vs ? `${(r.seconds / base.seconds).toFixed(1)}x` : "",
        int(r.maxRssMB),
        vs ? `${(r.maxRssMB / base.maxRssMB).toFixed(1)}x` : "",
        tlc && !tlc.error ? fmt(tlc.seconds) : "-",
        ok ? "" : `DIFFERS from TLC (ok, ${c.distinct}/${c.generated}): ${r.verdict} ${r.distinct}/${r.generated}`,
      ]);
    }
  }
  if (liveRows.length > 0) {
    console.log("\nLiveness against safety-only checking on the same model (1 worker):\n");
    printTable(["model", "check", "distinct", "seconds", "vs safety", "peak RSS MB", "vs safety", "TLC s", ""], liveRows);
  }
}
if (mismatches > 0) {
  console.error(`\n${mismatches} case(s) disagree with TLC's figures or failed.`);
  process.exitCode = 1;
}


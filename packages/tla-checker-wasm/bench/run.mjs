// The checker's bench: distinct states/s and peak memory on three models of 10^5..10^6 states,
// with 1 and 2 workers, and TLC on the same models in the same run when `java` and
// TLA2TOOLS_JAR are available. Each case runs in a child process. Prints a table; then a second
// table with the time and peak memory of liveness checking against safety-only checking on the
// same model (issue 6).
//
//   node bench/run.mjs [--only Name] [--no-tlc] [--no-liveness]
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const models = join(here, "models");

// Figures from TLC 1.8 (-workers 1), see models/README.md.
const cases = [
  { name: "TicketLock", spec: "TicketLock.tla", cfg: "TicketLock.cfg", distinct: 227484, generated: 1102955 },
  { name: "ClockMutex", spec: "ClockMutex.tla", cfg: "ClockMutex.cfg", distinct: 122949, generated: 514279 },
  { name: "CommitVotes", spec: "CommitVotes.tla", cfg: "CommitVotes.cfg", distinct: 250558, generated: 2605517 },
];

// Liveness against safety-only: the same spec and constants, the second cfg adds a `~>` PROPERTY
// under WF fairness. Figures from TLC 2.20 (-workers 1), see models/README.md.
const livenessCases = [
  { name: "FairQueueLock N=4 M=4", spec: "FairQueueLock.tla", safety: "FairQueueLock.cfg", liveness: "FairQueueLockLive.cfg", distinct: 33024, generated: 64513 },
  { name: "FairQueueLock N=4 M=5", spec: "FairQueueLock.tla", safety: "FairQueueLock5.cfg", liveness: "FairQueueLock5Live.cfg", distinct: 80625, generated: 157501 },
];

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const jar = process.env.TLA2TOOLS_JAR;
const withTlc = !args.includes("--no-tlc") && jar && existsSync(jar) && spawnSync("java", ["-version"]).status === 0;

function runOurs(c, workers) {
  const r = spawnSync(process.execPath, [join(here, "case.mjs"), join(models, c.spec), join(models, c.cfg), String(workers)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split("\n")[0] };
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

function runTlc(c, cfg = c.cfg) {
  // TLC writes states/ and trace files next to the spec: run it on a copy.
  const dir = mkdtempSync(join(tmpdir(), "synod-bench-tlc-"));
  try {
    cpSync(models, dir, { recursive: true });
    const start = performance.now();
    const r = spawnSync(
      "java",
      ["-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", join(dir, "states"), "-config", cfg, c.spec],
      { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 },
    );
    const seconds = (performance.now() - start) / 1000;
    const m = /([\d,]+) states generated, ([\d,]+) distinct states found/.exec(r.stdout);
    if (!m) return { error: "TLC did not finish" };
    return { seconds, generated: Number(m[1].replace(/,/g, "")), distinct: Number(m[2].replace(/,/g, "")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
let mismatches = 0;
for (const c of cases) {
  if (only && c.name !== only) continue;
  const tlc = withTlc ? runTlc(c) : null;
  for (const workers of [1, 2]) {
    const r = runOurs(c, workers);
    if (r.error) {
      rows.push([c.name, "-", "-", String(workers), "error", "-", "-", "-", "-", "-", r.error]);
      mismatches++;
      continue;
    }
    const ok = r.distinct === c.distinct && r.generated === c.generated;
    if (!ok) mismatches++;
    rows.push([
      c.name,
      r.distinct.toLocaleString("en"),
      r.generated.toLocaleString("en"),
      String(workers),
      r.seconds.toFixed(1),
      r.cpuSeconds.toFixed(1),
      Math.round(r.distinct / r.seconds).toLocaleString("en"),
      r.maxRssMB.toFixed(0),
      tlc && !tlc.error ? tlc.seconds.toFixed(1) : "-",
      tlc && !tlc.error ? `${(tlc.seconds / r.seconds).toFixed(2)}x` : "-",
      ok ? "" : `COUNTS DIFFER from TLC (${c.distinct}/${c.generated})`,
    ]);
  }
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => `| ${cells.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

const header = ["model", "distinct", "generated", "workers", "seconds", "CPU s", "distinct/s", "peak RSS MB", "TLC s (1 worker)", "TLC s / ours", ""];
printTable(header, rows);
if (!withTlc) console.log("\n(TLC columns empty: set TLA2TOOLS_JAR to tla2tools.jar and put java on PATH to compare.)");
console.log("\nTLC / ours > 1 means we are faster. Wall-clock seconds include spec loading (and TLC's JVM start).");
console.log("CPU s is all threads together: on a loaded machine, 2-worker CPU s / 2 against 1-worker CPU s shows the speed-up to expect.");
if (!args.includes("--no-liveness")) {
  const liveRows = [];
  for (const c of livenessCases) {
    if (only && !c.name.startsWith(only)) continue;
    const runs = [];
    for (const [kind, cfg] of [["safety only", c.safety], ["safety + liveness", c.liveness]]) {
      const r = runOurs({ ...c, cfg }, 1);
      const tlc = withTlc ? runTlc(c, cfg) : null;
      runs.push(r);
      if (r.error) {
        liveRows.push([c.name, kind, "-", "error", "-", "-", "-", "-", r.error]);
        mismatches++;
        continue;
      }
      const ok = r.verdict === "ok" && r.distinct === c.distinct && r.generated === c.generated;
      if (!ok) mismatches++;
      const base = runs[0] && !runs[0].error && runs.length === 2 ? runs[0] : null;
      liveRows.push([
        c.name,
        kind,
        r.distinct.toLocaleString("en"),
        r.seconds.toFixed(1),
        base ? `${(r.seconds / base.seconds).toFixed(1)}x` : "",
        r.maxRssMB.toFixed(0),
        base ? `${(r.maxRssMB / base.maxRssMB).toFixed(1)}x` : "",
        tlc && !tlc.error ? tlc.seconds.toFixed(1) : "-",
        ok ? "" : `DIFFERS from TLC (ok, ${c.distinct}/${c.generated}): ${r.verdict} ${r.distinct}/${r.generated}`,
      ]);
    }
  }
  console.log("\nLiveness against safety-only checking on the same model (1 worker):\n");
  printTable(["model", "check", "distinct", "seconds", "vs safety", "peak RSS MB", "vs safety", "TLC s", ""], liveRows);
}
if (mismatches > 0) {
  console.error(`\n${mismatches} case(s) disagree with TLC's figures or failed.`);
  process.exitCode = 1;
}

// The checker's bench: distinct states/s and peak memory on three models of 10^5..10^6 states,
// with 1 and 2 workers, and TLC on the same models in the same run when `java` and
// TLA2TOOLS_JAR are available. Each case runs in a child process. Prints a table.
//
//   node bench/run.mjs [--only Name] [--no-tlc]
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

function runTlc(c) {
  // TLC writes states/ and trace files next to the spec: run it on a copy.
  const dir = mkdtempSync(join(tmpdir(), "synod-bench-tlc-"));
  try {
    cpSync(models, dir, { recursive: true });
    const start = performance.now();
    const r = spawnSync(
      "java",
      ["-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", join(dir, "states"), "-config", c.cfg, c.spec],
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

const header = ["model", "distinct", "generated", "workers", "seconds", "CPU s", "distinct/s", "peak RSS MB", "TLC s (1 worker)", "TLC s / ours", ""];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells) => `| ${cells.map((c, i) => (c ?? "").padEnd(widths[i])).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
if (!withTlc) console.log("\n(TLC columns empty: set TLA2TOOLS_JAR to tla2tools.jar and put java on PATH to compare.)");
console.log("\nTLC / ours > 1 means we are faster. Wall-clock seconds include spec loading (and TLC's JVM start).");
console.log("CPU s is all threads together: on a loaded machine, 2-worker CPU s / 2 against 1-worker CPU s shows the speed-up to expect.");
if (mismatches > 0) {
  console.error(`\n${mismatches} case(s) disagree with TLC's figures or failed.`);
  process.exitCode = 1;
}

/**
 * `pnpm bench`: times the checker on seeded generated histories, one child process per case so
 * that peak memory (maxRSS) is the case's own. Prints a table. `--full` adds the slow cases.
 * Porcupine's figures (Go) are from ../shared/ANCHORS.md, measured on comparable histories from
 * its own generator, so the ratio is a yardstick, not an exact comparison.
 * @internal
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkHistory } from "./check.js";
import { generateHistory, type GeneratorOptions } from "./generate.js";
import { casRegister, kv, unpartitioned } from "./models/index.js";
import { parseJepsenLog } from "./readers/jepsenLog.js";
import type { AnyModel } from "./types.js";

interface BenchCase {
  readonly name: string;
  readonly gen: GeneratorOptions;
  readonly model: () => AnyModel;
  /** The truth by construction; `unknown` (budget exhausted) is allowed, the opposite verdict is a bug. */
  readonly truth: "ok" | "illegal";
  readonly porcupineMs?: string;
  readonly timeoutMs: number;
  readonly runs: number;
  readonly full?: boolean;
}

const kv10k: GeneratorOptions = { seed: 1, operations: 10_000, processes: 8, keys: 10, overlap: 1, readFraction: 0.5 };
const cas32: GeneratorOptions = { seed: 5, operations: 1000, processes: 32, overlap: 4, readFraction: 0.4, casFraction: 0.3 };
const cas1k: GeneratorOptions = { seed: 2, operations: 1000, processes: 8, overlap: 4, readFraction: 0.4, casFraction: 0.3 };

const CASES: readonly BenchCase[] = [
  { name: "kv 10k ops, 10 keys, 8 procs", gen: kv10k, model: kv, truth: "ok", porcupineMs: "40", timeoutMs: 60_000, runs: 7 },
  { name: "kv 10k ops, stale read", gen: { ...kv10k, staleRead: true }, model: kv, truth: "illegal", timeoutMs: 60_000, runs: 7 },
  { name: "cas 1k ops, 8 procs, high overlap", gen: cas1k, model: casRegister, truth: "ok", porcupineMs: "6-16", timeoutMs: 60_000, runs: 7 },
  { name: "cas 1k ops, stale read", gen: { ...cas1k, staleRead: true }, model: casRegister, truth: "illegal", timeoutMs: 60_000, runs: 7 },
  {
    name: "cas 1k ops, 8 procs, 5% info",
    gen: { ...cas1k, seed: 3, infoFraction: 0.05 },
    model: casRegister,
    truth: "ok",
    timeoutMs: 60_000,
    runs: 5,
  },
  {
    name: "cas 100k ops, 8 procs (one key)",
    gen: { ...cas1k, seed: 6, operations: 100_000, overlap: 1 },
    model: casRegister,
    truth: "ok",
    timeoutMs: 60_000,
    runs: 3,
  },
  {
    name: "kv 2k ops, 50 procs, 10 keys",
    gen: { seed: 4, operations: 2000, processes: 50, keys: 10, overlap: 1 },
    model: kv,
    truth: "ok",
    porcupineMs: "30-220",
    timeoutMs: 60_000,
    runs: 5,
  },
  {
    name: "same, unpartitioned (30 s budget)",
    gen: { seed: 4, operations: 2000, processes: 50, keys: 10, overlap: 1 },
    model: () => unpartitioned(kv()),
    truth: "ok",
    porcupineMs: "> 60000",
    timeoutMs: 30_000,
    runs: 1,
    full: true,
  },
  {
    name: "cas 1k ops, 32 procs",
    gen: cas32,
    model: casRegister,
    truth: "ok",
    porcupineMs: "38000",
    timeoutMs: 60_000,
    runs: 5,
  },
  {
    name: "cas 1k ops, 32 procs, stale read",
    gen: { ...cas32, staleRead: true },
    model: casRegister,
    truth: "illegal",
    porcupineMs: "> 300000",
    timeoutMs: 60_000,
    runs: 5,
  },
];

interface Measurement {
  readonly verdict: string;
  readonly ops: number;
  readonly partitions: number;
  readonly medianMs: number;
  readonly maxRssMb: number;
}

function runCase(c: BenchCase): Measurement {
  const { events } = generateHistory(c.gen);
  const times: number[] = [];
  let verdict = "";
  let ops = 0;
  let partitions = 0;
  // Warm-up runs let the JIT settle, as in a checker that checks many histories in one process.
  const warmups = c.runs === 1 ? 0 : 5;
  for (let i = 0; i < c.runs + warmups; i++) {
    const t0 = performance.now();
    const result = checkHistory(events, c.model(), { timeoutMs: c.timeoutMs });
    const ms = performance.now() - t0;
    if (i >= warmups) times.push(ms);
    verdict = result.verdict;
    ops = result.operations.length;
    partitions = result.partitions.length;
  }
  times.sort((a, b) => a - b);
  return { verdict, ops, partitions, medianMs: times[Math.floor(times.length / 2)], maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Which of the etcd logs Jepsen published (etcd_000.log .. etcd_102.log, as in Porcupine's test
 * data; 095 is missing) are linearizable, per Porcupine's tests. The logs are third-party data and
 * are not in this repository: `bench --etcd <dir>` checks whichever of them `dir` holds.
 */
const ETCD_LINEARIZABLE = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);

function etcd(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => /^etcd_\d{3}\.log$/.test(f))
    .sort();
  let totalMs = 0;
  let slowest = { file: "", ms: 0 };
  let wrong = 0;
  const verdicts = { ok: 0, illegal: 0, unknown: 0 };
  for (const f of files) {
    const history = parseJepsenLog(readFileSync(join(dir, f), "utf8"), f);
    const t0 = performance.now();
    const result = checkHistory(history, casRegister(), { timeoutMs: 60_000 });
    const ms = performance.now() - t0;
    totalMs += ms;
    if (ms > slowest.ms) slowest = { file: f, ms };
    verdicts[result.verdict]++;
    const truth = ETCD_LINEARIZABLE.has(Number(f.slice(5, 8))) ? "ok" : "illegal";
    const bad = result.verdict !== truth && result.verdict !== "unknown";
    if (bad) wrong++;
    console.log(`${f}  ${result.operations.length.toString().padStart(4)} ops  ${result.verdict.padEnd(7)}  ${ms.toFixed(1).padStart(8)} ms${bad ? `  WRONG (Porcupine: ${truth})` : ""}`);
  }
  console.log(
    `${files.length} logs: ${verdicts.ok} ok, ${verdicts.illegal} illegal, ${verdicts.unknown} unknown; ${(totalMs / 1000).toFixed(3)} s total, slowest ${slowest.file} ${(slowest.ms / 1000).toFixed(3)} s (Porcupine: 102 logs, 0.56 s total, slowest 0.19 s)`,
  );
  if (wrong > 0) process.exitCode = 1;
}

function main(argv: readonly string[]): void {
  const etcdArg = argv.indexOf("--etcd");
  if (etcdArg >= 0) {
    etcd(argv[etcdArg + 1]);
    return;
  }
  const caseArg = argv.indexOf("--case");
  if (caseArg >= 0) {
    const c = CASES[Number(argv[caseArg + 1])];
    process.stdout.write(JSON.stringify(runCase(c)));
    return;
  }
  const full = argv.includes("--full");
  const self = fileURLToPath(import.meta.url);
  const rows: string[][] = [["case", "ops", "parts", "verdict", "median ms", "peak MB", "Porcupine ms"]];
  let wrong = 0;
  CASES.forEach((c, i) => {
    if (c.full === true && !full) return;
    const out = execFileSync(process.execPath, ["--max-old-space-size=4096", self, "--case", String(i)], { encoding: "utf8" });
    const m = JSON.parse(out) as Measurement;
    const ok = m.verdict === c.truth || m.verdict === "unknown";
    if (!ok) wrong++;
    rows.push([
      c.name,
      String(m.ops),
      String(m.partitions),
      ok ? m.verdict : `${m.verdict} (WRONG: truth is ${c.truth})`,
      m.medianMs.toFixed(1),
      m.maxRssMb.toFixed(0),
      c.porcupineMs ?? "",
    ]);
  });
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  for (const [j, r] of rows.entries()) {
    console.log(`| ${r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join(" | ")} |`);
    if (j === 0) console.log(`|${widths.map((w, k) => (k === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  }
  if (!full) console.log("(add --full for the unpartitioned case; --etcd <dir> for Jepsen's etcd logs)");
  if (wrong > 0) {
    console.error(`${wrong} case(s) gave a wrong verdict`);
    process.exitCode = 1;
  }
}

main(process.argv.slice(2));

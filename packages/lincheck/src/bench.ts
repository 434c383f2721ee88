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
const ETCD_LOGS = 102;

interface EtcdRun {
  readonly verdict: string;
  readonly ops: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** One check, timed by the wall clock and by this process's CPU time (the machines are shared). */
function timedCheck(history: ReturnType<typeof parseJepsenLog>): EtcdRun {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = checkHistory(history, casRegister(), { timeoutMs: 60_000 });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { verdict: result.verdict, ops: result.operations.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function summary(label: string, files: readonly string[], runs: readonly EtcdRun[]): string {
  const wall = runs.reduce((a, r) => a + r.wallMs, 0);
  const cpu = runs.reduce((a, r) => a + r.cpuMs, 0);
  let slowest = 0;
  runs.forEach((r, i) => {
    if (r.wallMs > runs[slowest].wallMs) slowest = i;
  });
  const s = (ms: number): string => (ms / 1000).toFixed(3);
  return `${label}: ${s(wall)} s total (CPU ${s(cpu)} s), slowest ${files[slowest]} ${s(runs[slowest].wallMs)} s (CPU ${s(runs[slowest].cpuMs)} s)`;
}

/**
 * Checks Jepsen's etcd logs in `dir` against Porcupine's verdicts, twice in one process: first
 * cold (as one CLI call sees it, JIT warm-up included), then warm. Exit code 1 when any verdict
 * differs from Porcupine's (`unknown` included), 3 when the directory cannot be read.
 */
function etcd(dir: string | undefined): void {
  if (dir === undefined || dir.startsWith("--")) {
    console.error("bench --etcd needs a directory holding etcd_NNN.log files (Porcupine's test_data/jepsen)");
    process.exitCode = 3;
    return;
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    console.error(`bench --etcd: cannot read ${dir}: ${(err as Error).message}`);
    process.exitCode = 3;
    return;
  }
  const files = names.filter((f) => /^etcd_\d{3}\.log$/.test(f)).sort();
  if (files.length === 0) {
    console.error(`bench --etcd: no etcd_NNN.log files in ${dir}`);
    process.exitCode = 3;
    return;
  }
  let histories: ReturnType<typeof parseJepsenLog>[];
  try {
    histories = files.map((f) => parseJepsenLog(readFileSync(join(dir, f), "utf8"), join(dir, f)));
  } catch (err) {
    console.error(`bench --etcd: ${(err as Error).message}`);
    process.exitCode = 3;
    return;
  }
  const cold = histories.map(timedCheck);
  const warm = histories.map(timedCheck);
  const verdicts = { ok: 0, illegal: 0, unknown: 0 };
  let agree = 0;
  let compared = 0;
  files.forEach((f, i) => {
    const n = Number(f.slice(5, 8));
    const truth = n > 102 || n === 95 ? undefined : ETCD_LINEARIZABLE.has(n) ? "ok" : "illegal";
    const r = cold[i];
    verdicts[r.verdict as keyof typeof verdicts]++;
    if (truth !== undefined) {
      compared++;
      if (r.verdict === truth && warm[i].verdict === truth) agree++;
    }
    const note = truth === undefined ? "  (no Porcupine verdict)" : r.verdict === truth ? "" : `  DISAGREES (Porcupine: ${truth})`;
    const ms = (x: number): string => x.toFixed(1).padStart(7);
    console.log(`${f}  ${String(r.ops).padStart(4)} ops  ${r.verdict.padEnd(7)}  cold ${ms(r.wallMs)} ms (CPU ${ms(r.cpuMs)})  warm ${ms(warm[i].wallMs)} ms${note}`);
  });
  console.log(`${files.length} of ${ETCD_LOGS} logs: ${verdicts.ok} ok, ${verdicts.illegal} illegal, ${verdicts.unknown} unknown; agree with Porcupine on ${agree} of ${compared}`);
  console.log(summary("cold", files, cold));
  console.log(summary("warm", files, warm));
  console.log("Porcupine (Go, ../shared/ANCHORS.md): 102 logs, 0.56 s total, slowest 0.19 s");
  if (agree < compared) process.exitCode = 1;
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

/**
 * Seeded generated histories, each timed in a child process of its own so that peak memory
 * (maxRSS) is the case's own; Porcupine checks the same histories when it can be run. Both are
 * timed alike (see {@link timeCheck}), on decoded operations.
 * @internal
 */
import { execFileSync } from "node:child_process";
import { checkHistory } from "../check.js";
import { generateHistory, type GeneratorOptions } from "../generate.js";
import { prepareOperations } from "../history.js";
import { casRegister, kv, unpartitioned } from "../models/index.js";
import type { AnyModel, CheckResult, Operation } from "../types.js";
import { timeCheck } from "./timing.js";
import { porcupineHistory, porcupineUnavailable, runPorcupine, type PorcupineHistory } from "./porcupine.js";

interface BenchCase {
  readonly name: string;
  readonly gen: GeneratorOptions;
  readonly model: () => AnyModel;
  /** The truth by construction; `unknown` (budget exhausted) is allowed, the opposite verdict is a bug. */
  readonly truth: "ok" | "illegal";
  readonly timeoutMs: number;
  /** Check once rather than in batches (a slow case). */
  readonly once?: boolean;
  readonly full?: boolean;
}

const kv10k: GeneratorOptions = { seed: 1, operations: 10_000, processes: 8, keys: 10, overlap: 1, readFraction: 0.5 };
const cas32: GeneratorOptions = { seed: 5, operations: 1000, processes: 32, overlap: 4, readFraction: 0.4, casFraction: 0.3 };
const cas1k: GeneratorOptions = { seed: 2, operations: 1000, processes: 8, overlap: 4, readFraction: 0.4, casFraction: 0.3 };

const CASES: readonly BenchCase[] = [
  { name: "kv 10k ops, 10 keys, 8 procs", gen: kv10k, model: kv, truth: "ok", timeoutMs: 60_000 },
  { name: "kv 10k ops, stale read", gen: { ...kv10k, staleRead: true }, model: kv, truth: "illegal", timeoutMs: 60_000 },
  { name: "cas 1k ops, 8 procs, high overlap", gen: cas1k, model: casRegister, truth: "ok", timeoutMs: 60_000 },
  { name: "cas 1k ops, stale read", gen: { ...cas1k, staleRead: true }, model: casRegister, truth: "illegal", timeoutMs: 60_000 },
  {
    name: "cas 1k ops, 8 procs, 5% info",
    gen: { ...cas1k, seed: 3, infoFraction: 0.05 },
    model: casRegister,
    truth: "ok",
    timeoutMs: 60_000,
  },
  {
    name: "cas 100k ops, 8 procs (one key)",
    gen: { ...cas1k, seed: 6, operations: 100_000, overlap: 1 },
    model: casRegister,
    truth: "ok",
    timeoutMs: 60_000,
  },
  {
    name: "kv 2k ops, 50 procs, 10 keys",
    gen: { seed: 4, operations: 2000, processes: 50, keys: 10, overlap: 1 },
    model: kv,
    truth: "ok",
    timeoutMs: 60_000,
  },
  {
    name: "same, unpartitioned (30 s budget)",
    gen: { seed: 4, operations: 2000, processes: 50, keys: 10, overlap: 1 },
    model: () => unpartitioned(kv()),
    truth: "ok",
    timeoutMs: 30_000,
    once: true,
    full: true,
  },
  {
    name: "cas 1k ops, 32 procs",
    gen: cas32,
    model: casRegister,
    truth: "ok",
    timeoutMs: 60_000,
  },
  {
    name: "cas 1k ops, 32 procs, stale read",
    gen: { ...cas32, staleRead: true },
    model: casRegister,
    truth: "illegal",
    timeoutMs: 60_000,
  },
];

interface Measurement {
  readonly verdict: string;
  readonly ops: number;
  readonly partitions: number;
  /** Reading the events into operations (Porcupine is handed decoded operations). */
  readonly prepareCpuMs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}


/** Runs case `index` in this process and returns its measurement (called in the child). */
export function runCase(index: number): Measurement {
  const c = CASES[index];
  const { events } = generateHistory(c.gen);
  const model = c.model();
  let ops: Operation[] = [];
  const prepare = timeCheck(() => {
    ops = prepareOperations(events, model);
  });
  let result: CheckResult | undefined;
  const check = timeCheck(
    () => {
      result = checkHistory(ops, model, { timeoutMs: c.timeoutMs });
    },
    () => result?.verdict === "unknown" || c.once === true,
  );
  const r = result as CheckResult;
  return {
    verdict: r.verdict,
    ops: r.operations.length,
    partitions: r.partitions.length,
    prepareCpuMs: prepare.cpuMs,
    wallMs: check.wallMs,
    cpuMs: check.cpuMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * Times every case (each in a child process running `self --case i`) and, where Go and a
 * Porcupine checkout are at hand, Porcupine on the same histories. Prints a table; returns the
 * number of wrong verdicts.
 */
export function generatedBench(self: string, options: { readonly full: boolean; readonly porcupineDir: string | undefined }): number {
  const chosen = CASES.map((c, i) => ({ c, i })).filter(({ c }) => c.full !== true || options.full);
  const measured = chosen.map(({ c, i }) => {
    const out = execFileSync(process.execPath, ["--max-old-space-size=4096", self, "--case", String(i)], { encoding: "utf8" });
    return { c, m: JSON.parse(out) as Measurement };
  });
  const unavailable = porcupineUnavailable(options.porcupineDir);
  let porcupine = new Map<string, { verdict: string; ms: number; cpuMs: number }>();
  if (unavailable === undefined) {
    const exports: PorcupineHistory[] = [];
    for (const { c } of chosen) {
      const model = c.model();
      if (model.partition === undefined && c.gen.keys !== undefined && c.gen.keys > 0) continue; // unpartitioned kv: no such Porcupine model here
      const ops = prepareOperations(generateHistory(c.gen).events, model);
      exports.push(porcupineHistory(c.name, model.name, null, ops, options.full ? 300_000 : 10_000));
    }
    porcupine = runPorcupine(options.porcupineDir as string, exports);
  }
  const budget = options.full ? 300_000 : 10_000;
  const rows: string[][] = [["case", "ops", "parts", "verdict", "prepare CPU ms", "check CPU ms", "check wall ms", "peak MB", "Porcupine CPU ms", "Porcupine wall ms", "Porcupine verdict"]];
  let wrong = 0;
  for (const { c, m } of measured) {
    const ok = m.verdict === c.truth || m.verdict === "unknown";
    if (!ok) wrong++;
    const p = porcupine.get(c.name);
    const undecided = p?.verdict === "unknown";
    rows.push([
      c.name,
      String(m.ops),
      String(m.partitions),
      ok ? m.verdict : `${m.verdict} (WRONG: truth is ${c.truth})`,
      m.prepareCpuMs.toFixed(1),
      m.cpuMs.toFixed(1),
      m.wallMs.toFixed(1),
      m.maxRssMb.toFixed(0),
      p === undefined ? "-" : undecided ? `> ${budget}` : p.cpuMs.toFixed(1),
      p === undefined ? "-" : undecided ? `> ${budget}` : p.ms.toFixed(1),
      p?.verdict ?? "-",
    ]);
  }
  console.log("## Generated histories");
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  for (const [j, r] of rows.entries()) {
    console.log(`| ${r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join(" | ")} |`);
    if (j === 0) console.log(`|${widths.map((w, k) => (k === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  }
  if (unavailable !== undefined) console.log(`Porcupine column NOT MEASURED: ${unavailable}`);
  if (!options.full) console.log("(add --full for the unpartitioned case and a 300 s budget for Porcupine)");
  return wrong;
}

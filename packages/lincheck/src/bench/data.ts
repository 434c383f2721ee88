/**
 * The public histories: Porcupine's test data (Jepsen's etcd logs, its own kv histories) and
 * Knossos's data set, with the verdicts their authors give them, checked by lincheck and, where
 * Go and a Porcupine checkout are at hand, by Porcupine on the same operations in the same run.
 * The data is third-party and not in this repository: the bench finds it through
 * `PORCUPINE_DIR` / `KNOSSOS_DIR` (or `--porcupine` / `--knossos`), and says so when it is absent.
 * @internal
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { checkHistory } from "../check.js";
import { prepareOperations } from "../history.js";
import { modelByName } from "../models/index.js";
import { readHistoryFile, type HistoryFormat } from "../readers/readFile.js";
import type { AnyModel, Operation } from "../types.js";
import type { Value } from "../value.js";
import { timeCheck } from "./timing.js";
import { porcupineHistory, porcupineUnavailable, runPorcupine, type PorcupineHistory, type PorcupineResult } from "./porcupine.js";

/**
 * Which of the etcd logs Jepsen published (etcd_000.log .. etcd_102.log, as in Porcupine's test
 * data) are linearizable, per Porcupine's tests. etcd_095.log is an empty file there, which
 * Porcupine's tests do not check either.
 */
const ETCD_LINEARIZABLE = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);

/** One public history and how to check it. */
interface DataHistory {
  readonly collection: string;
  readonly file: string;
  readonly format: HistoryFormat;
  readonly model: string;
  readonly init: Value;
  /** The verdict its authors give it. */
  readonly expected: "ok" | "illegal";
}

/** What was measured on one history. */
interface Measured {
  readonly h: DataHistory;
  readonly ops: number;
  readonly verdict: string;
  /** Reading and decoding the file, once. */
  readonly readMs: number;
  /** The first check of this history in the process (the JIT warmed by the histories before it). */
  readonly firstMs: number;
  /** Median check time over the repeated runs, by the wall clock. */
  readonly medianMs: number;
  /** The same in CPU time, the steadier figure on a shared machine. */
  readonly medianCpuMs: number;
  readonly runs: number;
  readonly error?: string;
  porcupine?: PorcupineResult;
}

const CHECK_TIMEOUT_MS = 60_000;

function list(dir: string, pattern: RegExp): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort() : [];
}

/** Porcupine's test data under `dir` (a Porcupine checkout). */
function porcupineData(dir: string): DataHistory[] {
  const out: DataHistory[] = [];
  const jepsen = join(dir, "test_data", "jepsen");
  for (const f of list(jepsen, /^etcd_\d{3}\.log$/)) {
    const n = Number(f.slice(5, 8));
    if (n === 95) continue; // an empty file in Porcupine's data; its tests skip it too
    const expected = ETCD_LINEARIZABLE.has(n) ? "ok" : "illegal";
    out.push({ collection: "porcupine jepsen etcd", file: join(jepsen, f), format: "jepsen-log", model: "cas-register", init: null, expected });
  }
  const kvDir = join(dir, "test_data", "kv");
  for (const f of list(kvDir, /^c\d+-(ok|bad)\.txt$/)) {
    // Porcupine's kv model: string values, every key "" at first.
    out.push({ collection: "porcupine kv", file: join(kvDir, f), format: "edn", model: "kv", init: "", expected: f.includes("-ok") ? "ok" : "illegal" });
  }
  return out;
}

/** Knossos's data set under `dir` (a Knossos checkout), with the initial values its tests use. */
function knossosData(dir: string): DataHistory[] {
  const out: DataHistory[] = [];
  const models: readonly [string, Value][] = [
    ["cas-register", 0],
    ["multi-register", 0],
    ["mutex", null],
  ];
  for (const [model, init] of models) {
    for (const [folder, expected] of [
      ["good", "ok"],
      ["bad", "illegal"],
    ] as const) {
      const d = join(dir, "data", model, folder);
      for (const f of list(d, /\.edn$/)) out.push({ collection: `knossos ${model}`, file: join(d, f), format: "edn", model, init, expected });
    }
  }
  return out;
}

/** A history's operations as the model decodes them, or undefined when it cannot be read. */
async function decode(h: DataHistory): Promise<Operation[] | undefined> {
  try {
    const { history } = await readHistoryFile(h.file, { format: h.format });
    return prepareOperations(history, modelByName(h.model, { init: h.init }));
  } catch {
    return undefined;
  }
}

/** Reads, decodes and times one history (see {@link timeCheck}). */
async function measure(h: DataHistory): Promise<Omit<Measured, "h">> {
  let model: AnyModel;
  let ops: Operation[];
  const t0 = performance.now();
  try {
    const { history } = await readHistoryFile(h.file, { format: h.format });
    model = modelByName(h.model, { init: h.init });
    ops = prepareOperations(history, model);
  } catch (err) {
    return { ops: 0, verdict: "error", readMs: 0, firstMs: 0, medianMs: 0, medianCpuMs: 0, runs: 0, error: (err as Error).message };
  }
  const readMs = performance.now() - t0;
  let verdict = "";
  const t = timeCheck(
    () => {
      verdict = checkHistory(ops, model, { timeoutMs: CHECK_TIMEOUT_MS }).verdict;
    },
    () => verdict === "unknown",
  );
  return { ops: ops.length, verdict, readMs, firstMs: t.firstMs, medianMs: t.wallMs, medianCpuMs: t.cpuMs, runs: t.runs };
}

/**
 * The child process's part (`bench --data-child <histories as JSON>`): times each history in
 * turn and prints the measurements as one JSON array.
 */
export async function dataChild(spec: string): Promise<void> {
  const histories = JSON.parse(spec) as DataHistory[];
  const out: Omit<Measured, "h">[] = [];
  for (const h of histories) out.push(await measure(h));
  process.stdout.write(JSON.stringify(out));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const fmt = (ms: number): string => (ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

function table(rows: string[][]): void {
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  for (const [j, r] of rows.entries()) {
    console.log(`| ${r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join(" | ")} |`);
    if (j === 0) console.log(`|${widths.map((w, k) => (k === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  }
}

/** Options of the data bench. */
export interface DataBenchOptions {
  /** This bench's script, run again as the child process that times each model's histories. */
  readonly self: string;
  readonly porcupineDir: string | undefined;
  readonly knossosDir: string | undefined;
  /** Rounds of measurement (lincheck, then Porcupine, in turn); figures are medians over them. */
  readonly rounds: number;
  /** Print every history, not only the notable ones. */
  readonly verbose: boolean;
}

/**
 * Runs the public histories and prints, per collection, agreement with the expected verdicts and
 * with Porcupine, and times. Returns the number of disagreements (wrong or undecided verdicts).
 */
export async function dataBench(options: DataBenchOptions): Promise<number> {
  const histories: DataHistory[] = [];
  const absent: string[] = [];
  if (options.porcupineDir === undefined) absent.push("Porcupine's test data (set PORCUPINE_DIR to a checkout of github.com/anishathalye/porcupine)");
  else if (!existsSync(join(options.porcupineDir, "test_data"))) absent.push(`Porcupine's test data (no test_data in ${options.porcupineDir})`);
  else histories.push(...porcupineData(options.porcupineDir));
  if (options.knossosDir === undefined) absent.push("Knossos's data set (set KNOSSOS_DIR to a checkout of github.com/jepsen-io/knossos)");
  else if (!existsSync(join(options.knossosDir, "data"))) absent.push(`Knossos's data set (no data in ${options.knossosDir})`);
  else histories.push(...knossosData(options.knossosDir));
  console.log("");
  console.log("## Public histories");
  for (const a of absent) console.log(`NOT MEASURED: ${a}`);
  if (histories.length === 0) return 0;

  // Each model's histories are timed in a child process of their own, as one `lincheck --model
  // X` call sees them: in one process for all, the search's call sites would have met every
  // model, and V8 compiles such a site more slowly (megamorphic) for all of them.
  const exports: PorcupineHistory[] = [];
  for (const h of histories) {
    const ops = await decode(h);
    if (ops !== undefined) exports.push(porcupineHistory(h.file, h.model, h.init, ops, CHECK_TIMEOUT_MS));
  }
  const unavailable = porcupineUnavailable(options.porcupineDir);
  if (unavailable !== undefined) console.log(`Porcupine column NOT MEASURED: ${unavailable}`);
  // Each model's histories are timed in a child process of their own, as one `lincheck --model
  // X` call sees them: in one process for all, the search's call sites would have met every
  // model, and V8 compiles such a site more slowly (megamorphic) for all of them. With several
  // rounds, lincheck and Porcupine take turns, and each figure is the median over the rounds:
  // on a shared machine the load changes from minute to minute.
  const lincheckRounds: Omit<Measured, "h">[][] = histories.map(() => []);
  const porcupineRounds: PorcupineResult[][] = histories.map(() => []);
  const models = [...new Set(histories.map((h) => h.model))];
  for (let round = 0; round < options.rounds; round++) {
    for (const model of models) {
      const mine = histories.map((h, k) => ({ h, k })).filter((x) => x.h.model === model);
      const out = execFileSync(process.execPath, [options.self, "--data-child", JSON.stringify(mine.map((x) => x.h))], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      });
      const results = JSON.parse(out) as Omit<Measured, "h">[];
      for (const [j, r] of results.entries()) lincheckRounds[mine[j].k].push(r);
    }
    if (unavailable === undefined) {
      const results = runPorcupine(options.porcupineDir as string, exports);
      histories.forEach((h, k) => {
        const r = results.get(h.file);
        if (r !== undefined) porcupineRounds[k].push(r);
      });
    }
  }
  const measured: Measured[] = histories.map((h, k) => {
    const rs = lincheckRounds[k];
    const mid = (f: (r: Omit<Measured, "h">) => number): number => median(rs.map(f));
    const verdicts = new Set(rs.map((r) => r.verdict));
    const m: Measured = {
      ...rs[0],
      h,
      verdict: verdicts.size === 1 ? rs[0].verdict : `varied: ${[...verdicts].join("/")}`,
      readMs: mid((r) => r.readMs),
      firstMs: mid((r) => r.firstMs),
      medianMs: mid((r) => r.medianMs),
      medianCpuMs: mid((r) => r.medianCpuMs),
      runs: rs.reduce((a, r) => a + r.runs, 0),
    };
    const ps = porcupineRounds[k];
    if (ps.length > 0) {
      const pVerdicts = new Set(ps.map((p) => p.verdict));
      m.porcupine = {
        ...ps[0],
        verdict: pVerdicts.size === 1 ? ps[0].verdict : "unknown",
        ms: median(ps.map((p) => p.ms)),
        cpuMs: median(ps.map((p) => p.cpuMs)),
        runs: ps.reduce((a, p) => a + p.runs, 0),
      };
    }
    return m;
  });

  // Compared in CPU time: the machines are shared, and wall-clock time there measures the load.
  const pcpu = (m: Measured): number => (m.porcupine as PorcupineResult).cpuMs;
  const rows: string[][] = [
    ["collection", "histories", "ops", "= expected", "= Porcupine", "lincheck first ms", "lincheck CPU ms", "Porcupine CPU ms", "lincheck <= Porcupine", "median ratio", "worst ratio"],
  ];
  const collections = [...new Set(measured.map((m) => m.h.collection))];
  let disagreements = 0;
  const notable: Measured[] = [];
  for (const c of collections) {
    const ms = measured.filter((m) => m.h.collection === c);
    const agreeExpected = ms.filter((m) => m.verdict === m.h.expected).length;
    const withP = ms.filter((m) => m.porcupine !== undefined && m.porcupine.verdict !== "unsupported");
    const agreeP = withP.filter((m) => m.porcupine?.verdict === m.verdict).length;
    const faster = withP.filter((m) => m.medianCpuMs <= pcpu(m)).length;
    let worst: Measured | undefined;
    for (const m of withP) if (worst === undefined || m.medianCpuMs / pcpu(m) > worst.medianCpuMs / pcpu(worst)) worst = m;
    disagreements += ms.length - agreeExpected + (withP.length - agreeP);
    const sum = (f: (m: Measured) => number, of: Measured[]): number => of.reduce((a, m) => a + f(m), 0);
    rows.push([
      c,
      String(ms.length),
      String(sum((m) => m.ops, ms)),
      `${agreeExpected}/${ms.length}`,
      withP.length === 0 ? "-" : `${agreeP}/${withP.length}`,
      fmt(sum((m) => m.firstMs, ms)),
      fmt(sum((m) => m.medianCpuMs, ms)),
      withP.length === 0 ? "-" : fmt(sum(pcpu, withP)),
      withP.length === 0 ? "-" : `${faster}/${withP.length}`,
      withP.length === 0 ? "-" : median(withP.map((m) => m.medianCpuMs / pcpu(m))).toFixed(2),
      worst === undefined ? "-" : `${(worst.medianCpuMs / pcpu(worst)).toFixed(2)} (${basename(worst.h.file)})`,
    ]);
    for (const m of ms) {
      const p = m.porcupine;
      if (options.verbose || m.verdict !== m.h.expected || (p !== undefined && (p.verdict !== m.verdict || m.medianCpuMs > p.cpuMs))) notable.push(m);
    }
  }
  table(rows);
  console.log(
    `(the check alone, on decoded operations, as Porcupine's; CPU ms: median per check over batches of runs; first: each history's first check in its process, wall clock${options.rounds > 1 ? `; medians over ${options.rounds} rounds` : ""})`,
  );
  const slow = [...measured].sort((a, b) => b.medianCpuMs - a.medianCpuMs).slice(0, 5);
  const shown = [...new Set([...notable, ...slow])];
  if (shown.length > 0) {
    console.log("");
    const detail: string[][] = [["history", "ops", "expected", "lincheck", "Porcupine", "read ms", "first ms", "wall ms", "CPU ms", "Porcupine wall ms", "Porcupine CPU ms", "note"]];
    for (const m of shown) {
      const p = m.porcupine;
      const notes: string[] = [];
      if (m.error !== undefined) notes.push(m.error);
      if (m.verdict !== m.h.expected) notes.push("DISAGREES with expected");
      if (p !== undefined && p.verdict !== "unsupported" && p.verdict !== m.verdict) notes.push("DIFFERS from Porcupine");
      if (p !== undefined && p.verdict === "unsupported") notes.push(`Porcupine: ${p.error ?? "unsupported"}`);
      if (p !== undefined && p.verdict !== "unsupported" && m.medianCpuMs > p.cpuMs) notes.push("slower than Porcupine");
      detail.push([
        `${m.h.collection}: ${basename(m.h.file)}`,
        String(m.ops),
        m.h.expected,
        m.verdict,
        p?.verdict ?? "-",
        fmt(m.readMs),
        fmt(m.firstMs),
        fmt(m.medianMs),
        fmt(m.medianCpuMs),
        p === undefined ? "-" : fmt(p.ms),
        p === undefined ? "-" : fmt(p.cpuMs),
        notes.join("; "),
      ]);
    }
    table(detail);
  }
  const total = measured.length;
  const agree = measured.filter((m) => m.verdict === m.h.expected).length;
  console.log(`${agree} of ${total} histories get the expected verdict${disagreements > 0 ? ` (${disagreements} DO NOT)` : ""}.`);
  const compared = measured.filter((m) => m.porcupine !== undefined && m.porcupine.verdict !== "unsupported");
  if (compared.length > 0) {
    const ratios = compared.map((m) => ({ m, r: m.medianCpuMs / pcpu(m) })).sort((a, b) => a.r - b.r);
    const worst = ratios[ratios.length - 1];
    const agreeP = compared.filter((m) => m.porcupine?.verdict === m.verdict).length;
    const slower = ratios.filter((x) => x.r > 1).length;
    console.log(
      `Against Porcupine: ${agreeP} of ${compared.length} verdicts equal; lincheck/Porcupine CPU time per check: median ${median(ratios.map((x) => x.r)).toFixed(2)}, ` +
        `worst ${worst.r.toFixed(2)} (${basename(worst.m.h.file)}); lincheck slower on ${slower} of ${compared.length}.`,
    );
  }
  return disagreements;
}

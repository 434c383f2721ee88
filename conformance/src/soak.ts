/**
 * Soak: many seeded fault schedules through the histories check and trace validation. Each seed
 * is one schedule drawn by the simulator's nemesis from every fault the descriptor claims to
 * survive, one history run judged by the protocol's judge, and one trace-validation run. Seeds
 * are independent, so a soak splits into disjoint seed ranges (`--shard i/n`) across worker
 * threads and machines, and the shard reports merge into one.
 *
 * @module
 */
import { generateNemesis } from "@synod/sim";
import { FINAL_COMMANDS_MS, failureLine, historyPasses, runHistory, writeReplay, type HistoryRun } from "./histories.js";
import type { AnyKit, KitTypes, LoadedSpec } from "./kit.js";
import { validateWith } from "./validate-impl.js";

/** What one seed gave. */
export interface SeedResult {
  seed: number;
  /** The judge's verdict on the history. */
  verdict: "ok" | "violation" | "unknown";
  /** Final commands that did not complete after healing and restarting every node. */
  finalFailed: number;
  /** Acknowledged writes no final read shows (the service's count; 0 where it cannot tell). */
  lostWrites: number;
  /** Trace validation's first rejected step, in words, or null. */
  validation: string | null;
  /** Operations in the history. */
  operations: number;
  /** A one-line account of a failure, and its replay file. */
  failure: { line: string; replayFile: string | null } | null;
}

/** A soak's merged account. */
export interface SoakReport {
  format: "synod-soak/1";
  protocol: string;
  /** Seed ranges run, as closed intervals, sorted and disjoint. */
  seeds: [number, number][];
  /** Set when the run was stopped (a signal) before every seed of its range ran; `seeds` then lists the ones that did. */
  interrupted?: { planned: number };
  /** Schedules run. */
  schedules: number;
  /** Seeds whose history the judge rejected. */
  safetyViolations: number;
  /** Seeds where trace validation rejected a step. */
  validationFailures: number;
  /** Acknowledged writes lost, summed over seeds. */
  lostWrites: number;
  /** Seeds whose final commands did not all complete. */
  unavailable: number;
  /** Seeds the judge could not decide within its budget. */
  undecided: number;
  /** Operations judged, summed over seeds. */
  operations: number;
  /** Every failing seed, with its account and replay file. */
  failures: { seed: number; line: string; replayFile: string | null }[];
  /** Worker-seconds spent (sum over workers) and wall-clock seconds, for schedules per second per core. */
  workerSeconds: number;
  wallSeconds: number;
}

/** Options of {@link soakSeed}. */
export interface SoakOptions {
  /** Virtual duration of each run's workload (default: the descriptor's). */
  durationMs?: number;
  /** Where failing runs' replay files go (default: a new temporary folder per failure). */
  replayDir?: string;
}

/** The history run of seed `seed`: a nemesis schedule from every fault kind the protocol claims. */
export function soakRun(kit: AnyKit, seed: number, durationMs = kit.histories.durationMs): HistoryRun {
  const nodes = Array.from({ length: kit.histories.nodes }, (_, k) => `n${k + 1}`);
  const faults = generateNemesis({ seed, nodes, endMs: durationMs, intervalMs: { minMs: 100, maxMs: 500 }, kinds: kit.histories.faults, healAtEnd: false,
    ...(kit.histories.byzantine === undefined ? {} : { byzantine: { nodes: nodes.slice(0, kit.histories.byzantine.maxFaulty), behaviours: kit.histories.byzantine.behaviours } }) });
  const sets = kit.histories.optionSets;
  return {
    protocol: kit.name,
    seed,
    nodes,
    durationMs,
    faults,
    clients: 4,
    keys: 3,
    readRatio: 0.5,
    randomTargetProbability: 0.2,
    variant: null,
    options: sets[seed % Math.max(sets.length, 1)] ?? {},
  };
}

/** Run seed `seed`: its history (judged) and its trace validation. */
export async function soakSeed(kit: AnyKit, spec: KitTypes["spec"] & LoadedSpec, seed: number, opts: SoakOptions = {}): Promise<SeedResult> {
  const run = soakRun(kit, seed, opts.durationMs);
  const o = runHistory(kit, run);
  const lostWrites = kit.histories.service.lostWrites?.(o.history as unknown as import("@synod/sim").HistoryEntry[], (run.durationMs + FINAL_COMMANDS_MS) * 1e6) ?? 0;
  const v = validateWith(kit, spec, { seed });
  const validation = v.failure ? `${v.failure.node} ${v.failure.event} -> ${v.failure.actions || "(no action)"}: ${v.failure.problem}` : null;
  let failure: SeedResult["failure"] = null;
  if (!historyPasses(o) || lostWrites > 0) {
    failure = { line: lostWrites > 0 && o.verdict !== "violation" ? `${lostWrites} acknowledged writes lost` : failureLine(o), replayFile: await writeReplay(run, o, opts.replayDir) };
  } else if (validation !== null) {
    failure = { line: `trace validation: ${validation} (synod conformance ${kit.name} --validate-seed ${seed})`, replayFile: null };
  }
  return {
    seed,
    verdict: o.verdict,
    finalFailed: o.finalTotal - o.finalOk,
    lostWrites,
    validation,
    operations: o.operations,
    failure,
  };
}

/** A report of no seeds, to fold results into. */
export function emptyReport(protocol: string): SoakReport {
  return {
    format: "synod-soak/1",
    protocol,
    seeds: [],
    schedules: 0,
    safetyViolations: 0,
    validationFailures: 0,
    lostWrites: 0,
    unavailable: 0,
    undecided: 0,
    operations: 0,
    failures: [],
    workerSeconds: 0,
    wallSeconds: 0,
  };
}

/** Fold one seed's result into `report` (the seed range is recorded by the caller). */
export function addResult(report: SoakReport, r: SeedResult): void {
  report.schedules++;
  if (r.verdict === "violation") report.safetyViolations++;
  if (r.verdict === "unknown") report.undecided++;
  if (r.validation !== null) report.validationFailures++;
  if (r.finalFailed > 0) report.unavailable++;
  report.lostWrites += r.lostWrites;
  report.operations += r.operations;
  if (r.failure !== null) report.failures.push({ seed: r.seed, ...r.failure });
}

/** Whether a report found nothing wrong (an undecided history is not a pass: callers say so). */
export function soakPassed(r: SoakReport): boolean {
  return r.safetyViolations === 0 && r.validationFailures === 0 && r.lostWrites === 0 && r.unavailable === 0;
}

/** Closed seed intervals, merged where they touch; throws when two overlap (a seed run twice). */
export function mergeRanges(ranges: readonly [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1]) throw new Error(`seed ranges ${last[0]}-${last[1]} and ${a}-${b} overlap: a seed would be counted twice`);
    if (last !== undefined && a === last[1] + 1) last[1] = b;
    else out.push([a, b]);
  }
  return out;
}

/** Join shard reports of one protocol; throws on a mix of protocols or overlapping seeds. */
export function mergeReports(reports: readonly SoakReport[]): SoakReport {
  if (reports.length === 0) throw new Error("no reports to merge");
  const protocol = reports[0]!.protocol;
  const other = reports.find((r) => r.protocol !== protocol);
  if (other) throw new Error(`cannot merge reports of ${protocol} and ${other.protocol}`);
  const m = emptyReport(protocol);
  for (const r of reports) {
    m.schedules += r.schedules;
    m.safetyViolations += r.safetyViolations;
    m.validationFailures += r.validationFailures;
    m.lostWrites += r.lostWrites;
    m.unavailable += r.unavailable;
    m.undecided += r.undecided;
    m.operations += r.operations;
    m.failures.push(...r.failures);
    m.workerSeconds += r.workerSeconds;
    m.wallSeconds = Math.max(m.wallSeconds, r.wallSeconds);
  }
  m.seeds = mergeRanges(reports.flatMap((r) => r.seeds));
  m.failures.sort((a, b) => a.seed - b.seed);
  // One interrupted shard makes the whole run incomplete: say how many schedules were planned.
  if (reports.some((r) => r.interrupted !== undefined)) {
    m.interrupted = { planned: reports.reduce((n, r) => n + (r.interrupted?.planned ?? r.schedules), 0) };
  }
  return m;
}

/** Check a parsed soak report file; errors name the file and the field. */
export function parseSoakReport(text: string, file: string): SoakReport {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON: ${(e as Error).message}`);
  }
  const r = v as Partial<SoakReport>;
  const need = (ok: boolean, field: string, what: string): void => {
    if (!ok) throw new Error(`${file}: ${field}: ${what}`);
  };
  need(typeof r === "object" && r !== null, "(top)", "expected an object");
  need(r.format === "synod-soak/1", "format", `expected "synod-soak/1", got ${JSON.stringify(r.format)}`);
  need(typeof r.protocol === "string", "protocol", "expected a protocol name");
  for (const f of ["schedules", "safetyViolations", "validationFailures", "lostWrites", "unavailable", "undecided", "operations", "workerSeconds", "wallSeconds"] as const) {
    need(typeof r[f] === "number" && Number.isFinite(r[f]) && (r[f] as number) >= 0, f, "expected a non-negative number");
  }
  need(Array.isArray(r.seeds) && r.seeds.every((s) => Array.isArray(s) && s.length === 2 && Number.isSafeInteger(s[0]) && Number.isSafeInteger(s[1]) && s[0] <= s[1]), "seeds", "expected [from, to] ranges");
  need(Array.isArray(r.failures), "failures", "expected an array");
  need(r.interrupted === undefined || (typeof r.interrupted === "object" && r.interrupted !== null && Number.isSafeInteger(r.interrupted.planned)), "interrupted", "expected { planned: <count> }");
  return r as SoakReport;
}

/** The seeds of shard `index` (0-based) of `count` over seeds `first .. first + total - 1`: contiguous and disjoint. */
export function shardSeeds(first: number, total: number, index: number, count: number): [number, number] | null {
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new Error(`shard ${index}/${count}: expected 0 <= i < n`);
  }
  const lo = first + Math.floor((total * index) / count);
  const hi = first + Math.floor((total * (index + 1)) / count) - 1;
  return hi < lo ? null : [lo, hi];
}

/** Seed numbers (any order, no repeats) as sorted closed intervals. */
export function seedRanges(seeds: readonly number[]): [number, number][] {
  const sorted = [...seeds].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && x === last[1] + 1) last[1] = x;
    else out.push([x, x]);
  }
  return out;
}

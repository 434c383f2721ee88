/**
 * Replay files: a failing history run, written by the histories check (or `synod soak`), re-run
 * exactly by {@link replay} (wired to `synod replay FILE`). The file names its protocol; the
 * registry supplies the descriptor.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { parseFaultSchedule } from "@synod/sim";
import { describeSchedule, failureLine, historyPasses, runHistory, type HistoryRun, type ReplayFile } from "./histories.js";
import { findKit, type RegistryOptions } from "./registry.js";

/** What {@link replay} returns. */
export interface ReplayResult {
  /** The checks pass on this run (a recorded failure replays as `false`). */
  ok: boolean;
  /** Same verdict and same history digest as recorded. */
  reproduced: boolean;
  /** The judge's verdict on the replayed history. */
  verdict: string;
  /** Human-readable account. */
  report: string;
}

/** Validate a replay file's text; errors name the file and the field. */
export function parseReplayFile(text: string, file: string): ReplayFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON: ${(e as Error).message}`);
  }
  const o = v as Record<string, unknown>;
  const need = (cond: boolean, field: string, what: string): void => {
    if (!cond) throw new Error(`${file}: ${field}: ${what}`);
  };
  need(typeof o === "object" && o !== null && !Array.isArray(o), "(top)", "expected an object");
  need(o.format === "synod-replay/2", "format", `expected "synod-replay/2", got ${JSON.stringify(o.format)}`);
  need(o.check === "histories", "check", `expected "histories", got ${JSON.stringify(o.check)}`);
  const run = o.run as Record<string, unknown> | undefined;
  need(typeof run === "object" && run !== null && !Array.isArray(run), "run", "expected an object");
  const r = run as Record<string, unknown>;
  need(typeof r.protocol === "string" && r.protocol.length > 0, "run.protocol", "expected a protocol name");
  for (const f of ["seed", "durationMs", "clients", "keys", "readRatio", "randomTargetProbability"]) need(typeof r[f] === "number" && Number.isFinite(r[f]), `run.${f}`, "expected a number");
  need(Array.isArray(r.nodes) && r.nodes.length > 0 && r.nodes.every((x) => typeof x === "string"), "run.nodes", "expected a non-empty array of node ids");
  need(Array.isArray(r.faults), "run.faults", "expected an array");
  need(r.variant === null || typeof r.variant === "string", "run.variant", "expected a broken variant's name or null");
  need(r.options !== undefined, "run.options", "expected the protocol options (an object)");
  need(r.targeted === undefined || typeof r.targeted === "string", "run.targeted", "expected a targeted schedule's name or absent");
  const e = o.expected as Record<string, unknown> | undefined;
  need(typeof e === "object" && e !== null && typeof e.verdict === "string" && typeof e.historyDigest === "string", "expected", "expected {verdict, historyDigest}");
  return v as ReplayFile;
}

/** Re-run the history recorded in `file` and compare with what was recorded. */
export async function replay(file: string, registry: RegistryOptions = {}): Promise<ReplayResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
  const rf = parseReplayFile(text, file);
  const run: HistoryRun = rf.run;
  try {
    parseFaultSchedule(run.faults, { nodes: run.nodes });
  } catch (e) {
    throw new Error(`${file}: run.faults: ${(e as Error).message}`);
  }
  const kit = await findKit(run.protocol, registry);
  const out = runHistory(kit, run);
  const reproduced = out.verdict === rf.expected.verdict && out.historyDigest === rf.expected.historyDigest;
  const ok = historyPasses(out);
  const report = [
    `replay ${file}: ${kit.title} histories, seed ${run.seed}, ${run.nodes.length} nodes, ${run.faults.length} faults, variant ${run.variant ?? "(correct build)"}${run.targeted ? `, targeted ${run.targeted}` : ""}`,
    `verdict (${kit.histories.judge.name}): ${out.verdict} (${out.operations} operations, ${out.okOperations} ok, final commands ${out.finalOk} of ${out.finalTotal})`,
    `schedule (${run.faults.length} faults; then heal and restart all at ${run.durationMs} ms):`,
    ...describeSchedule(run.faults),
    `reproduced: ${reproduced ? "yes (same verdict, same history digest)" : `NO (recorded ${rf.expected.verdict} ${rf.expected.historyDigest.slice(0, 12)}, got ${out.verdict} ${out.historyDigest.slice(0, 12)})`}`,
    ...(ok ? [] : ["", failureLine(out), ...(out.verdict === "violation" ? ["", out.explanation] : [])]),
  ].join("\n");
  return { ok, reproduced, verdict: out.verdict, report };
}

/**
 * Replay files: a failing history run, written by the histories check, re-run exactly by
 * {@link replay} (wired to `synod replay FILE`).
 *
 * @module
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseFaultSchedule } from "@synod/sim";
import { describeSchedule, historyPasses, parseReplayFile, runHistory, type HistoryRun, type HistoryOutcome, replayFileFor } from "./histories.js";

/** What {@link replay} returns. */
export interface ReplayResult {
  /** The checks pass on this run (a recorded failure replays as `false`). */
  ok: boolean;
  /** Same verdict and same history digest as recorded. */
  reproduced: boolean;
  /** lincheck's verdict on the replayed history. */
  verdict: string;
  /** Human-readable account. */
  report: string;
}

/** Write a failing run to `file`. */
export async function writeReplayFile(file: string, run: HistoryRun, outcome: HistoryOutcome, fastCheck?: { seed: number; path: string }): Promise<void> {
  await writeFile(file, `${JSON.stringify(replayFileFor(run, outcome, fastCheck), null, 2)}\n`);
}

/** Re-run the history recorded in `file` and compare with what was recorded. */
export async function replay(file: string): Promise<ReplayResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
  const rf = parseReplayFile(text, file);
  parseFaultSchedule(rf.run.faults, { nodes: rf.run.nodes });
  const out = runHistory(rf.run);
  const reproduced = out.verdict === rf.expected.verdict && out.historyDigest === rf.expected.historyDigest;
  const report = [
    `replay ${file}: raft histories, seed ${rf.run.seed}, ${rf.run.nodes.length} nodes, ${rf.run.faults.length} faults, unsafe ${JSON.stringify(rf.run.unsafe)}`,
    `verdict: ${out.verdict} (${out.operations} operations, ${out.okOperations} ok, final reads ${out.finalReadsOk} of ${rf.run.keys})`,
    `schedule (${rf.run.faults.length} faults; then heal and restart all at ${rf.run.durationMs} ms):`,
    ...describeSchedule(rf.run.faults),
    `reproduced: ${reproduced ? "yes (same verdict, same history digest)" : `NO (recorded ${rf.expected.verdict} ${rf.expected.historyDigest.slice(0, 12)}, got ${out.verdict} ${out.historyDigest.slice(0, 12)})`}`,
    ...(out.verdict === "ok" ? [] : ["", out.explanation]),
  ].join("\n");
  return { ok: historyPasses(out, rf.run.keys), reproduced, verdict: out.verdict, report };
}

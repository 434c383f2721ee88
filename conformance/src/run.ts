/**
 * `runConformance`: the summary rows `synod verify` prints, one per check.
 *
 * @module
 */
import type { UnsafeOptions } from "@synod/raft";
import { checkHistories, describeSchedule, historyPasses, runHistory, type HistoryRun } from "./histories.js";
import { CI_COVERAGE_BOUNDS, loadRaftSpec, MCRAFT_BOUNDS, WALK_BOUNDS } from "./raft/spec-model.js";
import { RaftAdapter } from "./raft/adapter.js";
import { formatMismatch, randomWalks, replayCoverage } from "./replay-spec.js";
import { validateImplementation } from "./validate-impl.js";

/** One summary row. */
export interface ConformanceRow {
  /** What was checked. */
  check: string;
  /** Whether it passed (for a broken variant: whether it was caught). */
  ok: boolean;
  /** Figures, or the failure (with seed and how to replay it). */
  detail: string;
  /** Wall-clock duration. */
  seconds: number;
}

/** The spec actions of Raft.tla's Next (for coverage reports). */
export const RAFT_ACTIONS = [
  "Restart", "Timeout", "RequestVote", "BecomeLeader", "ClientRequest", "AdvanceCommitIndex", "AppendEntries",
  "HandleRequestVoteRequest", "HandleRequestVoteResponse", "HandleAppendEntriesRequest", "HandleAppendEntriesResponse",
  "DuplicateMessage", "DropMessage",
] as const;

/** The broken variants conformance must catch, by `options.unsafe` flag. */
export const BROKEN_VARIANTS: Record<string, UnsafeOptions> = {
  commitPriorTermByCounting: { commitPriorTermByCounting: true },
  voteWithoutUpToDateCheck: { voteWithoutUpToDateCheck: true },
  ackBeforePersist: { ackBeforePersist: true },
};

/** A trace-validation failure: the seed and what the spec rejected. */
export interface SeedFailure {
  /** The failing seed. */
  seed: number;
  /** The rejected step, in words. */
  problem: string;
}

/** Run trace validation on seeds 1..`seeds`; the first failure, or null. */
export async function validateSeeds(unsafe: UnsafeOptions, seeds: number, durationMs: number): Promise<SeedFailure | null> {
  const spec = await loadRaftSpec({ ...WALK_BOUNDS, maxTerm: 1000, maxLogLen: 1000 });
  for (let seed = 1; seed <= seeds; seed++) {
    const r = validateImplementation(spec, { seed, durationMs, unsafe, crashAfterGrantProbability: 0.3 });
    if (r.failure) return { seed, problem: `${r.failure.node} ${r.failure.event} -> ${r.failure.actions}: ${r.failure.problem}` };
  }
  return null;
}

/** Random walks in the CI run (seed 1). */
const WALKS_CI = 40;

/** The histories check aimed at a broken variant: a one-line account when it is caught, else null. */
async function brokenHistory(unsafe: UnsafeOptions): Promise<string | null> {
  if (unsafe.ackBeforePersist) {
    // The targeted schedule (see HistoryRun.targeted); the correct build passes it (tests).
    for (let seed = 1; seed <= 4; seed++) {
      const run: HistoryRun = { seed, nodes: ["n1", "n2", "n3"], durationMs: 3000, faults: [], clients: 4, keys: 10, readRatio: 0.7, randomTargetProbability: 0.2, unsafe, raftOptions: {}, targeted: "ack-before-persist" };
      const o = runHistory(run);
      if (!historyPasses(o, run.keys)) return `targeted ack-before-persist schedule, seed ${seed}: ${o.explanation.split("\n")[0]}`;
    }
    return null;
  }
  if (unsafe.voteWithoutUpToDateCheck) {
    const r = await checkHistories({ seed: 1, numRuns: 40, unsafe });
    return r.failure ? `fast-check seed 1 path ${r.failure.path}: ${r.failure.outcome.explanation.split("\n")[0]}; replay: synod replay ${r.failure.replayFile}` : null;
  }
  // commitPriorTermByCounting shows in a history only after the four-term Figure 8 scenario,
  // which no generated schedule here aims at.
  return null;
}

/** Run the conformance checks of `protocol` at `size` and return one row per check. */
export async function runConformance(options: { protocol: string; size: "ci" | "full" }): Promise<ConformanceRow[]> {
  if (options.protocol !== "raft") throw new Error(`unknown protocol ${JSON.stringify(options.protocol)} (conformance exists for: raft)`);
  const full = options.size === "full";
  const rows: ConformanceRow[] = [];
  const timed = async (check: string, f: () => Promise<{ ok: boolean; detail: string }>): Promise<void> => {
    const t0 = performance.now();
    try {
      const r = await f();
      rows.push({ check, ...r, seconds: (performance.now() - t0) / 1000 });
    } catch (e) {
      rows.push({ check, ok: false, detail: `error: ${(e as Error).message}`, seconds: (performance.now() - t0) / 1000 });
    }
  };
  await timed("raft spec→impl: random walks", async () => {
    const spec = await loadRaftSpec(WALK_BOUNDS);
    const walks = full ? 400 : WALKS_CI;
    const r = randomWalks(spec.model, new RaftAdapter(spec), { seed: 1, walks, depth: 60, allActions: RAFT_ACTIONS });
    return { ok: r.mismatch === null, detail: r.mismatch ? formatMismatch(r.mismatch) : `${r.traces} walks, ${r.steps} steps, ${r.distinctStates} distinct states, uncovered actions: ${r.uncovered.join(", ") || "none"} (seed 1)` };
  });
  await timed(`raft spec→impl: every state of ${full ? "MCRaft.cfg's model" : "the MaxTerm=1 model"}`, async () => {
    const spec = await loadRaftSpec(full ? MCRAFT_BOUNDS : CI_COVERAGE_BOUNDS);
    const r = replayCoverage(spec.model, new RaftAdapter(spec), RAFT_ACTIONS);
    return { ok: r.mismatch === null, detail: r.mismatch ? formatMismatch(r.mismatch) : `${r.traces} traces, ${r.steps} steps, ${r.distinctStates} distinct states (TLC with symmetry: ${full ? "21,767" : "936"}); uncovered actions: ${r.uncovered.join(", ") || "none"}` };
  });
  await timed("raft impl→spec: trace validation under faults", async () => {
    const bad = await validateSeeds({}, full ? 20 : 3, 3000);
    return { ok: bad === null, detail: bad ? `seed ${bad.seed}: ${bad.problem}` : `seeds 1-${full ? 20 : 3}, 3 s virtual each, every step a legal spec transition` };
  });
  await timed("raft histories: linearizable under faults", async () => {
    const r = await checkHistories({ seed: 1, numRuns: full ? 100 : 8 });
    if (r.failure === null) return { ok: true, detail: `${r.runs} generated runs (fast-check seed ${r.seed})` };
    const f = r.failure;
    const detail = [
      `fast-check seed ${r.seed} path ${f.path}, run seed ${f.run.seed}: ${f.outcome.explanation.split("\n")[0]}`,
      "schedule:",
      ...describeSchedule(f.run.faults),
      `replay: synod replay ${f.replayFile}`,
    ].join("\n");
    return { ok: false, detail };
  });
  for (const [name, unsafe] of Object.entries(BROKEN_VARIANTS)) {
    await timed(`raft broken variant caught: ${name}`, async () => {
      const caught: string[] = [];
      const bad = await validateSeeds(unsafe, 10, 3000);
      if (bad) caught.push(`trace validation, seed ${bad.seed}: ${bad.problem.slice(0, 160)}`);
      // The same spec walks the correct build passed above (same seed and count), so a mismatch
      // here is the variant's doing.
      const spec = await loadRaftSpec(WALK_BOUNDS);
      const walks = randomWalks(spec.model, new RaftAdapter(spec, unsafe), { seed: 1, walks: WALKS_CI, depth: 60, allActions: RAFT_ACTIONS });
      if (walks.mismatch) caught.push(`spec→impl ${walks.mismatch.trace}, step ${walks.mismatch.step} (${walks.mismatch.diff.map((d) => d.variable).join(", ") || walks.mismatch.problem})`);
      const history = await brokenHistory(unsafe);
      if (history) caught.push(`histories, ${history}`);
      return { ok: caught.length > 0, detail: caught.length > 0 ? `caught by ${caught.length}: ${caught.join(" | ")}` : "NOT caught" };
    });
  }
  return rows;
}

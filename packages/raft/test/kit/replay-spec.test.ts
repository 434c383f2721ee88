import { describe, expect, it } from "vitest";
import { formatMismatch, randomWalks, replayCoverage, stateCoveringTraces } from "@synod/conformance";
import { CI_COVERAGE_BOUNDS, loadRaftSpec, MCRAFT_BOUNDS, RaftAdapter, WALK_BOUNDS } from "../../src/kit/index.js";
import { FULL, testSeed } from "@synod/testkit";

/** TLC's distinct-state count for specs/raft/MCRaft.cfg's bounds (symmetry), same command as below. */
const MCRAFT_DISTINCT = 21_767; // TLC: 246,504 generated, 21,767 distinct, depth 35, 28 s

describe("spec → implementation replay", () => {
  // Distinct states with symmetry, from TLC on the same cfg (`raftCfg(bounds)` written to a file,
  // `java -cp tla2tools.jar tlc2.TLC -workers 1 -deadlock -config ci.cfg MCRaft.tla`):
  // MaxTerm=1 model: 9635 generated, 936 distinct, depth 22 (MCRaft.cfg bounds: see MCRAFT_DISTINCT).
  const coverage = FULL ? { bounds: MCRAFT_BOUNDS, distinct: MCRAFT_DISTINCT } : { bounds: CI_COVERAGE_BOUNDS, distinct: 936 };
  it(`replays traces reaching every distinct state of the ${FULL ? "MCRaft.cfg (FULL=1)" : "MaxTerm=1"} model, as many as TLC counts`, async () => {
    const spec = await loadRaftSpec(coverage.bounds);
    const r = replayCoverage(spec.model, new RaftAdapter(spec));
    if (r.mismatch) throw new Error(formatMismatch(r.mismatch));
    expect(r.distinctStates).toBe(coverage.distinct);
    // Every action but DuplicateMessage (MaxCopies = 1 makes every duplicate exceed the bound).
    expect(r.uncovered).toEqual(["DuplicateMessage"]);
  }, FULL ? 900_000 : undefined); // MCRaft.cfg: ~80 s on an idle machine, several minutes on a loaded one

  it("random walks agree step by step and cover every action", async () => {
    const seed = testSeed("random walks", 1);
    const spec = await loadRaftSpec(WALK_BOUNDS);
    const r = randomWalks(spec.model, new RaftAdapter(spec), { seed, walks: FULL ? 400 : 100, depth: 60 });
    if (r.mismatch) throw new Error(formatMismatch(r.mismatch));
    expect(r.uncovered).toEqual([]);
  });

  it("catches ackBeforePersist and voteWithoutUpToDateCheck, naming the step and the variables", async () => {
    const spec = await loadRaftSpec(WALK_BOUNDS);
    for (const [unsafe, variable] of [
      [{ ackBeforePersist: true }, "votedFor"],
      [{ voteWithoutUpToDateCheck: true }, "votedFor"],
    ] as const) {
      const r = randomWalks(spec.model, new RaftAdapter(spec, unsafe), { seed: 1, walks: 100, depth: 60 });
      expect(r.mismatch, JSON.stringify(unsafe)).not.toBeNull();
      expect(r.mismatch?.diff.map((d) => d.variable)).toContain(variable);
      expect(formatMismatch(r.mismatch!)).toMatch(/step \d+: implementation state differs[\s\S]*spec: [\s\S]*impl: /);
    }
  });

  it("a covering trace set reaches each state through the BFS tree (shortest paths)", async () => {
    const spec = await loadRaftSpec(CI_COVERAGE_BOUNDS);
    const traces = stateCoveringTraces(spec.model);
    expect(traces.length).toBeGreaterThan(100);
    // BFS depth of the model is 22 (TLC: "The depth of the complete state graph search is 22"), so no
    // shortest path is longer than 21 steps.
    expect(Math.max(...traces.map((t) => t.steps.length))).toBe(21);
  });
});

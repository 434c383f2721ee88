/**
 * The ZooKeeper recipe against its spec (`specs/lock/ZkLock.tla`), spec → implementation: random
 * walks and a trace to every state of the fenced CI model replayed on the recipe's nodes, and the
 * broken storage (no token check) caught by a covering trace.
 */
import { randomWalks, replayCoverage, stateCoveringTraces } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { loadZkLock, ZK_COVERAGE_DISTINCT, zkAdapter } from "../../src/kit/index.js";

describe("the ZooKeeper recipe against ZkLock.tla", () => {
  it("replays random walks and every state of the CI model (TLC's count), taking every action", async () => {
    const spec = await loadZkLock();
    const w = randomWalks(spec.model, zkAdapter(spec), { seed: 1, walks: 200, depth: 40 });
    expect(w.mismatch).toBeNull();
    expect(w.uncovered).toEqual([]);
    const cov = replayCoverage(spec.model, zkAdapter(spec));
    expect(cov.mismatch).toBeNull();
    expect(cov.distinctStates).toBe(ZK_COVERAGE_DISTINCT);
  });

  it("catches the storage that does not check tokens; the deepest traces first find it within a few traces", async () => {
    const spec = await loadZkLock();
    const traces = stateCoveringTraces(spec.model);
    const cov = replayCoverage(spec.model, zkAdapter(spec, { uncheckedToken: true }), { traces });
    expect(cov.mismatch?.diff.map((d) => d.variable)).toContain("writes");
    // What conformance's broken-variant check does with the traces the correct build passed.
    const deep = replayCoverage(spec.model, zkAdapter(spec, { uncheckedToken: true }), { traces, deepestFirst: true });
    expect(deep.mismatch?.diff.map((d) => d.variable)).toContain("writes");
    expect(deep.traces).toBeLessThan(cov.traces);
    expect(deep.traces).toBeLessThan(50);
  });
});

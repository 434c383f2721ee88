/**
 * Spec → implementation: random walks of MultiPaxos.tla replayed on spec-mode nodes, and the
 * broken builds the replay must catch.
 */
import { describe, expect, it } from "vitest";
import { formatMismatch, randomWalks, replayCoverage } from "@synod/conformance";
import { MultiPaxosAdapter } from "../../src/kit/adapter.js";
import { boundsFor, loadMultiPaxosSpec, WALK_BOUNDS } from "../../src/kit/spec-model.js";
import { FULL, testSeed } from "@synod/testkit";

describe("MultiPaxos.tla traces replayed on the implementation", () => {
  it("random walks agree step by step", async () => {
    const spec = await loadMultiPaxosSpec(WALK_BOUNDS);
    const seed = testSeed("paxos walks", 1);
    const r = randomWalks(spec.model, new MultiPaxosAdapter(spec), { seed, walks: FULL ? 600 : 60, depth: 100 });
    if (r.mismatch) console.error(formatMismatch(r.mismatch));
    expect(r.mismatch).toBeNull();
    console.log(`${r.traces} walks, ${r.steps} steps, ${r.distinctStates} distinct; not taken: ${r.uncovered.join(", ") || "none"}`);
  });

  it("every state of the CI coverage model, and the broken recovery on it", async () => {
    const spec = await loadMultiPaxosSpec(boundsFor("coverage", "ci"));
    const r = replayCoverage(spec.model, new MultiPaxosAdapter(spec));
    if (r.mismatch) console.error(formatMismatch(r.mismatch));
    expect(r.mismatch).toBeNull();
    console.log(`${r.traces} traces, ${r.distinctStates} distinct states in ${r.seconds.toFixed(1)} s`);
    expect(r.distinctStates).toBe(4_844); // TLC's count (see COVERAGE_DISTINCT)
    // A second leader in the coverage model recovers the first one's vote: the broken build doesn't.
    const broken = replayCoverage(spec.model, new MultiPaxosAdapter(spec, { ignoreHighestAccepted: true }));
    expect(broken.mismatch?.diff.map((d) => d.variable)).toContain("proposals");
  }, 900_000);

  for (const [name, unsafe] of [
    ["forgetPromiseOnRestart", { forgetPromiseOnRestart: true }],
  ] as const) {
    it(`catches ${name}`, async () => {
      const spec = await loadMultiPaxosSpec(WALK_BOUNDS);
      const r = randomWalks(spec.model, new MultiPaxosAdapter(spec, unsafe), { seed: 1, walks: 60, depth: 100 });
      expect(r.mismatch).not.toBeNull();
      console.log(`${name}: ${r.mismatch!.trace} step ${r.mismatch!.step}: ${r.mismatch!.diff.map((d) => d.variable).join(", ") || r.mismatch!.problem}`);
    });
  }
});

/**
 * Spec → implementation: PBFT.tla traces (n1 Byzantine) replayed on replicas, the adapter speaking
 * for the Byzantine replica; and the broken builds the replay must catch.
 */
import { describe, expect, it } from "vitest";
import { formatMismatch, randomWalks, replayCoverage } from "@synod/conformance";
import { FULL, testSeed } from "@synod/testkit";
import { PbftAdapter } from "../../src/kit/adapter.js";
import { boundsFor, loadPbftSpec, WALK_BOUNDS } from "../../src/kit/spec-model.js";

describe("PBFT.tla traces replayed on the implementation", () => {
  it("random walks agree step by step", async () => {
    const spec = await loadPbftSpec(WALK_BOUNDS);
    const seed = testSeed("pbft walks", 1);
    const r = randomWalks(spec.model, new PbftAdapter(spec), { seed, walks: FULL ? 400 : 30, depth: 40 });
    if (r.mismatch) console.error(formatMismatch(r.mismatch));
    expect(r.mismatch).toBeNull();
    console.log(`${r.traces} walks, ${r.steps} steps, ${r.distinctStates} distinct; not taken: ${r.uncovered.join(", ") || "none"}`);
  });

  it("every state of the CI coverage model, as many as TLC finds", async () => {
    const spec = await loadPbftSpec(boundsFor("coverage", "ci"));
    const r = replayCoverage(spec.model, new PbftAdapter(spec));
    if (r.mismatch) console.error(formatMismatch(r.mismatch));
    expect(r.mismatch).toBeNull();
    console.log(`${r.traces} traces, ${r.distinctStates} distinct states in ${r.seconds.toFixed(1)} s`);
    expect(r.distinctStates).toBe(327); // TLC's count (COVERAGE_DISTINCT)
  }, 900_000);

  for (const name of ["smallPreparedCertificate", "skipViewChangeVerification", "executeBeforeCommit"] as const) {
    it(`catches ${name}`, async () => {
      const spec = await loadPbftSpec(WALK_BOUNDS);
      const r = randomWalks(spec.model, new PbftAdapter(spec, { [name]: true }), { seed: 1, walks: 20, depth: 40 });
      expect(r.mismatch).not.toBeNull();
      console.log(`${name}: ${r.mismatch!.trace} step ${r.mismatch!.step}: ${r.mismatch!.diff.map((d) => d.variable).join(", ") || r.mismatch!.problem}`);
    });
  }
});

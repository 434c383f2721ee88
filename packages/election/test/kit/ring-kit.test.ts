/**
 * The Chang–Roberts ring through the protocol kit: the registry finds it beside the lease
 * election and Bully, every conformance check passes on the correct build, the broken build is
 * caught by replay and by trace validation, and the settled-leader histories hold a higher node
 * that comes back to taking over (the bug they found).
 */
import { findKit, runConformance, runHistory, type AnyKit, type HistoryRun } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { RING_COVERAGE_DISTINCT, RING_NODES, ringKit } from "../../src/kit/index.js";

describe("the ring descriptor", () => {
  it("is found by the registry under its name", async () => {
    expect((await findKit("ring")).title).toBe("Chang–Roberts ring election");
  });

  it("passes every conformance check, and catches swallowHigher with replay and trace validation", async () => {
    const rows = await runConformance(ringKit as unknown as AnyKit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check} (${r.seconds.toFixed(1)} s): ${r.detail}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.find((r) => r.check.startsWith("spec→impl: every state"))?.detail).toContain(`${RING_COVERAGE_DISTINCT} distinct states (TLC: ${RING_COVERAGE_DISTINCT})`);
    expect(rows.find((r) => r.check === "broken variant caught: swallowHigher")?.detail).toMatch(/^caught by 2: trace validation.*\| spec→impl/);
  });

  it("settles on n3 when n3 was down all run and comes back at the end (the run that found the node following a lower leader)", () => {
    const run: HistoryRun = { protocol: "ring", seed: 1, nodes: RING_NODES, durationMs: 3000, faults: [{ atMs: 0, fault: { type: "crash", node: "n3" } }], clients: 4, keys: 1, readRatio: 0.5, randomTargetProbability: 0.2, variant: null, options: {} };
    const o = runHistory(ringKit, run);
    expect(o.explanation).toMatch(/all 2 settled answers name n3/);
    expect(o.verdict).toBe("ok");
  });
});

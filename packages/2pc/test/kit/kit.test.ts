/**
 * Two-phase commit through the protocol kit: the registry finds it, every conformance check
 * passes on the correct build, the broken build is caught by each check that claims it, and a
 * recorded history failure replays exactly.
 */
import { findKit, replay, runConformance, runHistory, type AnyKit, type HistoryRun } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { kit } from "../../src/kit/index.js";
import { COVERAGE_DISTINCT, NODES } from "../../src/kit/spec-model.js";

describe("the 2pc descriptor", () => {
  it("is found by the registry under its name", async () => {
    expect((await findKit("2pc")).name).toBe("2pc");
  });

  it("passes every conformance check, and catches forgetDecisionOnRestart with every check", async () => {
    const rows = await runConformance(kit as unknown as AnyKit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check}: ${r.detail}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.map((r) => r.check)).toContain("broken variant caught: forgetDecisionOnRestart");
    expect(rows.find((r) => r.check.startsWith("spec→impl: every state"))?.detail).toContain(`${COVERAGE_DISTINCT} distinct states (TLC: ${COVERAGE_DISTINCT})`);
    expect(rows.find((r) => r.check.startsWith("broken variant"))?.detail).toMatch(/caught by 3/);
  });

  it("a history of the broken build fails the judge and its replay file reproduces it exactly", async () => {
    const run: HistoryRun = { protocol: "2pc", seed: 2, nodes: NODES, durationMs: 3000, faults: [], clients: 4, keys: 3, readRatio: 0.5, randomTargetProbability: 0.2, variant: "forgetDecisionOnRestart", options: {}, targeted: "crashTmAfterCommit" };
    const o = runHistory(kit, run);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/not all-or-nothing/);
    const { writeReplay } = await import("@synod/conformance");
    const r = await replay(await writeReplay(run, o));
    expect(r.reproduced).toBe(true);
    // The correct build survives the same schedule.
    expect(runHistory(kit, { ...run, variant: null }).verdict).toBe("ok");
  });
});

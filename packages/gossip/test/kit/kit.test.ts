/**
 * Gossip through the protocol kit: the registry finds it, every conformance check passes on the
 * correct build (replay reaching TLC's distinct states of the coverage model, trace validation,
 * histories judged for convergence), every broken variant is caught by each check it names, and a
 * recorded history failure replays exactly from its file.
 */
import { findKit, replay, runConformance, runHistory, writeReplay, type AnyKit, type HistoryRun } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { COVERAGE_DISTINCT, HISTORY_NODE_IDS, kit } from "../../src/kit/index.js";

describe("the gossip descriptor", () => {
  it("is found by the registry under its name", async () => {
    expect((await findKit("gossip")).name).toBe("gossip");
  });

  it("passes every conformance check, and catches each broken variant with every check it names", async () => {
    const rows = await runConformance(kit as unknown as AnyKit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check}: ${r.detail}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.find((r) => r.check.startsWith("spec→impl: every state"))?.detail).toContain(`${COVERAGE_DISTINCT} distinct states (TLC: ${COVERAGE_DISTINCT})`);
    expect(rows.find((r) => r.check === "spec actions exercised")?.detail).toMatch(/all 7 actions/);
    for (const v of kit.brokenVariants) {
      expect(rows.find((r) => r.check === `broken variant caught: ${v.name}`)?.detail).toMatch(new RegExp(`caught by ${v.caughtBy.length}`));
    }
  });

  it("a history of the Merkle-skipping build fails the judge, and its replay file reproduces it exactly", async () => {
    const run: HistoryRun = { protocol: "gossip", seed: 5, nodes: HISTORY_NODE_IDS, durationMs: kit.histories.durationMs, faults: [], clients: 4, keys: 3, readRatio: 0.5, randomTargetProbability: 0, variant: "skipMerkleRange", options: { mode: "push-pull", fanout: 2 }, targeted: "isolateLate" };
    const o = runHistory(kit, run);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/did not converge/);
    const r = await replay(await writeReplay(run, o));
    expect(r.reproduced).toBe(true);
    expect(runHistory(kit, { ...run, variant: null }).verdict).toBe("ok");
  });
});

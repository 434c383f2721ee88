/**
 * Redlock through the protocol kit: the registry finds it, every conformance check passes on the
 * correct build, the broken builds are caught (no token check: by replay and the histories'
 * targeted pause; no DEL on release: by replay and the back-to-back progress check; no retry
 * delay: by replay and trace validation), and a recorded history failure replays exactly.
 */
import { findKit, replay, runConformance, runHistory, writeReplay, type AnyKit, type HistoryRun } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { COVERAGE_DISTINCT, kit, NODES } from "../../src/kit/index.js";

describe("the lock descriptor", () => {
  it("is found by the registry under its name", async () => {
    expect((await findKit("lock")).name).toBe("lock");
  });

  it("passes every conformance check, and catches uncheckedToken, noRelease and noRetryDelay", async () => {
    const rows = await runConformance(kit as unknown as AnyKit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check}: ${r.detail}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.find((r) => r.check.startsWith("spec→impl: every state"))?.detail).toContain(`${COVERAGE_DISTINCT.ci} distinct states (TLC: ${COVERAGE_DISTINCT.ci})`);
    expect(rows.find((r) => r.check.startsWith("impl→spec"))?.detail).toContain("every spec action checked");
    expect(rows.find((r) => r.check === "broken variant caught: uncheckedToken")?.detail).toMatch(/caught by 2: spec→impl .*\(writes\) \| targeted pauseAfterLeaseCheck .*two holders' writes interleave/);
    expect(rows.find((r) => r.check === "broken variant caught: noRelease")?.detail).toMatch(/caught by 2: spec→impl .*DeleteKey: .* has sent no DEL .* \| targeted backToBackWorks .*only \d+ of \d+ completed in 1000 ms/);
    expect(rows.find((r) => r.check === "broken variant caught: noRetryDelay")?.detail).toMatch(/caught by 2: trace validation.*the spec does not enable StartAcquire.* \| spec→impl .*not backing off/);
    // About 25 s on an idle core; over 120 s on the shared machine at load 20.
  }, 600_000);

  it("a paused holder's history of the broken build fails the judge, replays exactly, and the correct build rejects the stale write", async () => {
    const run: HistoryRun = { protocol: "lock", seed: 1, nodes: NODES, durationMs: 3000, faults: [], clients: 4, keys: 10, readRatio: 0.7, randomTargetProbability: 0.2, variant: "uncheckedToken", options: {}, targeted: "pauseAfterLeaseCheck" };
    const o = runHistory(kit, run);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/two holders' writes interleave/);
    const r = await replay(await writeReplay(run, o));
    expect(r.reproduced).toBe(true);
    const ok = runHistory(kit, { ...run, variant: null });
    expect(ok.verdict).toBe("ok");
    expect(ok.explanation).toMatch(/[1-9]\d* stale writes rejected/);
  });
});

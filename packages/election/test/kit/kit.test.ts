/**
 * The lease election through the protocol kit: the registry finds it, every conformance check
 * passes on the correct build, the broken build is caught by each check that claims it, and a
 * recorded history failure replays exactly.
 */
import { findKit, replay, runConformance, runHistory, writeReplay, type AnyKit, type HistoryRun } from "@synod/conformance";
import { describe, expect, it } from "vitest";
import { kit } from "../../src/kit/index.js";
import { COVERAGE_DISTINCT, NODES } from "../../src/kit/spec-model.js";

describe("the election descriptor", () => {
  it("is found by the registry under its name", async () => {
    expect((await findKit("election")).name).toBe("election");
  });

  it("passes every conformance check, and catches noWaitOutLease with replay and histories", async () => {
    const rows = await runConformance(kit as unknown as AnyKit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.check} (${r.seconds.toFixed(1)} s): ${r.detail}`);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows.find((r) => r.check.startsWith("spec→impl: every state"))?.detail).toContain(`${COVERAGE_DISTINCT} distinct states (TLC: ${COVERAGE_DISTINCT})`);
    expect(rows.find((r) => r.check.startsWith("broken variant"))?.detail).toMatch(/caught by 2/);
  });

  it("a history of the broken build fails the judge and its replay file reproduces it exactly", async () => {
    const run: HistoryRun = { protocol: "election", seed: 1, nodes: NODES, durationMs: 3000, faults: [], clients: 4, keys: 1, readRatio: 0.5, randomTargetProbability: 0.2, variant: "noWaitOutLease", options: {}, targeted: "cutLeaderFromFollower" };
    const o = runHistory(kit, run);
    console.log(o.explanation);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/two valid leases overlap|went back in real time/);
    const r = await replay(await writeReplay(run, o));
    expect(r.reproduced).toBe(true);
    // The correct build survives the same schedule.
    const ok = runHistory(kit, { ...run, variant: null });
    expect(ok.verdict).toBe("ok");
    expect(ok.finalOk).toBe(ok.finalTotal);
  });

  it("idle-leader: with nothing wrong a leader emerges and keeps renewing its lease; one that drops its renew timer fails", () => {
    const idle: HistoryRun = { protocol: "election", seed: 1, nodes: NODES, durationMs: 3000, faults: [], clients: 0, keys: 1, readRatio: 0.5, randomTargetProbability: 0.2, variant: null, options: {}, targeted: "idle-leader" };
    for (let seed = 1; seed <= 3; seed++) expect(runHistory(kit, { ...idle, seed }).verdict).toBe("ok");
    const noRenew: AnyKit = {
      ...(kit as unknown as AnyKit),
      histories: {
        ...(kit as unknown as AnyKit).histories,
        node: (init) => {
          const n = (kit as unknown as AnyKit).histories.node(init) as { step(e: { type: string; name?: string }): void };
          const step = n.step.bind(n);
          n.step = (e) => (e.type === "timer" && e.name === "renew" ? undefined : step(e));
          return n as never;
        },
      },
    };
    const o = runHistory(noRenew, idle);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/^the targeted schedule's check failed: n\d stopped leading at [\d.]+ ms .*while it reached a majority/);
  });

  it("the correct build passes the targeted schedule on many seeds, and fails it only when the clocks drift beyond its bound", () => {
    const base: HistoryRun = { protocol: "election", seed: 1, nodes: NODES, durationMs: 3000, faults: [], clients: 4, keys: 1, readRatio: 0.5, randomTargetProbability: 0.2, variant: null, options: {}, targeted: "cutLeaderFromFollower" };
    for (let seed = 1; seed <= 8; seed++) {
      const o = runHistory(kit, { ...base, seed });
      expect(o.verdict, `seed ${seed}: ${o.explanation}`).toBe("ok");
    }
    // The nodes assume 5% drift; here every clock runs 40% slow or 40% fast (continuously).
    let violations = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const faults = NODES.map((node, k) => ({ atMs: 0, fault: { type: "clock" as const, node, drift: k % 2 === 0 ? -0.4 : 0.4 } }));
      const o = runHistory(kit, { ...base, seed, faults });
      if (o.verdict === "violation") violations++;
    }
    console.log(`drift beyond the bound: ${violations} of 8 runs split the brain`);
    expect(violations).toBeGreaterThan(0);
  });
});

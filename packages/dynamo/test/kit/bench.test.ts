import { describe, expect, it } from "vitest";
import { antiEntropyRepair, BENCH_QUORUMS, choose, latencyAndMessages, pbsStaleProbability, staleness, stalenessNoPropagation } from "../../src/kit/bench.js";

describe("the Dynamo bench figures", () => {
  it("PBS's closed form: C(N-W, R) / C(N, R)", () => {
    expect(choose(5, 2)).toBe(10);
    expect(pbsStaleProbability({ n: 3, r: 1, w: 1 })).toBeCloseTo(2 / 3);
    expect(pbsStaleProbability({ n: 5, r: 2, w: 2 })).toBeCloseTo(0.3);
    expect(pbsStaleProbability({ n: 3, r: 2, w: 2 })).toBe(0);
  });

  it("with no propagation beyond the write quorum, the nodes read stale as often as PBS's closed form says", () => {
    for (const q of BENCH_QUORUMS) {
      const m = stalenessNoPropagation(q, 1500);
      const p = pbsStaleProbability(q);
      // Within 4 standard deviations of the closed form (exactly 0 where quorums overlap).
      const sd = Math.sqrt((p * (1 - p)) / m.trials);
      expect(Math.abs(m.stale / m.trials - p), `N=${q.n} R=${q.r} W=${q.w}: ${m.stale}/${m.trials} vs ${p}`).toBeLessThanOrEqual(4 * sd);
    }
  });

  it("overlapping quorums never read stale; R = W = 1 does, less and less as time passes", () => {
    expect([...staleness({ n: 3, r: 2, w: 2 }, [0], 40).values()]).toEqual([0]);
    const weak = staleness({ n: 3, r: 1, w: 1 }, [0, 50], 60);
    expect(weak.get(0)).toBeGreaterThan(0);
    expect(weak.get(50)).toBe(0);
  });

  it("an operation costs a request and a reply per other owner", () => {
    const m = latencyAndMessages({ n: 3, r: 2, w: 2 }, 40);
    expect(m.messagesPerWrite).toBe(4);
    expect(m.messagesPerRead).toBeGreaterThanOrEqual(4);
    expect(m.readMs.length).toBe(20);
  });

  it("anti-entropy repairs a replica that missed 1% of the writes within a few periods", () => {
    const ae = antiEntropyRepair(600, 50);
    expect(ae.missed).toBeGreaterThan(0);
    expect(ae.repairMs).toBeLessThan(1000);
    expect(ae.treeMessages).toBeGreaterThan(0);
  });
});

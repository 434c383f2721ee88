import { describe, expect, it } from "vitest";
import { BENCH_LATENCY_MS, blockingWindow, transactionCost } from "../../src/kit/bench.js";

describe("the 2pc bench figures", () => {
  it("one transaction costs 3n messages; the client hears after 2 message delays, the RMs after 3", () => {
    for (const n of [2, 5]) expect(transactionCost(n)).toEqual({ messages: 3 * n, replyDelays: 2, decidedDelays: 3 });
  });

  it("prepared RMs stay in doubt for the TM's downtime, plus at most one inquiry period and a round trip", () => {
    for (const downMs of [100, 700]) {
      for (const w of blockingWindow(3, downMs)) {
        expect(w).toBeGreaterThanOrEqual(downMs);
        expect(w).toBeLessThanOrEqual(downMs + 60 + 2 * BENCH_LATENCY_MS);
      }
    }
  });
});

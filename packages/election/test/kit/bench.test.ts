import { SeededRng } from "@synod/protocol";
import { describe, expect, it } from "vitest";
import { bench, electionCost, failoverTimes } from "../../src/kit/bench.js";

describe("the election bench figures", () => {
  it("messages per election meet the bounds: Bully n² + n − 3, ring n(n+1)/2 + n, lease 2(n − 1)", () => {
    for (const n of [4, 9]) {
      expect(electionCost("bully", n)).toBe(n * n + n - 3);
      expect(electionCost("ring", n)).toBe((n * (n + 1)) / 2 + n);
      expect(electionCost("lease", n)).toBe(2 * (n - 1));
      const random = electionCost("ring", n, SeededRng.derive(3, "ring"));
      expect(random).toBeLessThanOrEqual((n * (n + 1)) / 2 + n);
      expect(random).toBeGreaterThanOrEqual(2 * n - 1 + n);
    }
  });

  it("a new leader follows a crash within the detection timeout plus the election (and, for leases, the wait)", () => {
    for (const t of failoverTimes("bully", 5, 3)) expect(t).toBeLessThan(300 + 20 + 60);
    for (const t of failoverTimes("ring", 5, 3)) expect(t).toBeLessThan(300 + 100);
    // Followers time out 150–300 ms after the last renewal they acknowledged; then a vote round trip and the 111 ms wait.
    for (const t of failoverTimes("lease", 5, 3)) {
      expect(t).toBeGreaterThanOrEqual(111);
      expect(t).toBeLessThan(300 + 10 + 111 + 30);
    }
  });

  it("produces its rows (quick)", async () => {
    const rows = await bench.run({ quick: true, log: () => {} });
    expect(rows.map((r) => r.case)).toContain("lease: messages per election, one candidate, n = 16");
    expect(rows.filter((r) => r.case.includes("time to a new leader"))).toHaveLength(3);
  });
});

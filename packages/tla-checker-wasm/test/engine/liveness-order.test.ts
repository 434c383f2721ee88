import { describe, expect, it } from "vitest";
import { SuccessorSetOrder, TlcFingerprint } from "../../src/check/live/tlc-order.js";
import { setOf } from "../../src/values/sets.js";
import { tuple } from "../../src/values/value.js";

// Expected values from TLC's own classes (tla2tools.jar of 2025-10-23, rev 8d3143c):
//   FP64.Init(0); fp = FP64.New(); fp = IntValue.gen(3).fingerPrint(fp); fp = IntValue.gen(1).fingerPrint(fp)
//   -> low 32 bits 1659707216
//   FP64.Init(0); fp = FP64.New(); then TRUE, "ab", {2, 1}, <<5, FALSE>> in turn -> low 32 bits 2863410708
describe("TLC's fingerprints and successor order (liveness graph)", () => {
  it("reproduces FP64 with polynomial 0 on integers, booleans, strings, sets and tuples", () => {
    const fp = new TlcFingerprint();
    expect(fp.stateLow([3, 1])).toBe(1659707216);
    expect(fp.stateLow([true, "ab", setOf([2, 1]), tuple([5, false])])).toBe(2863410708);
  });

  it("iterates a set in open-addressing table order, dropping later duplicates and growing to 2n+1", () => {
    const order = new SuccessorSetOrder();
    // 16 slots: 17 % 16 = 1, 3, 1 collides -> 2, 3 is the same state as entry 1 -> dropped.
    expect(order.order([17, 3, 1, 3], (i, j) => (i === 1 && j === 3) || (i === 3 && j === 1))).toEqual([0, 2, 1]);
    // The ninth key meets the threshold 8: the table grows to 33 slots and is refilled in old slot
    // order (40 sat at 40 % 16 = 8, after key 7), so 40 probes past 7 to slot 8 and 8 to slot 9.
    const keys = [40, 1, 2, 3, 4, 5, 6, 7, 8];
    expect(order.order(keys, () => false)).toEqual([1, 2, 3, 4, 5, 6, 7, 0, 8]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareHlc, hlcReceive, hlcTick, type HlcStamp } from "../src/index.js";
import { params } from "./harness.js";

const stamp: fc.Arbitrary<HlcStamp> = fc.record({ wallMs: fc.nat({ max: 50 }), logical: fc.nat({ max: 5 }) });

describe("hybrid logical clock", () => {
  it("ticks past the last stamp, and stays at physical time when the clock is ahead", () => {
    fc.assert(
      fc.property(stamp, fc.nat({ max: 60 }), (last, now) => {
        const s = hlcTick(last, now);
        expect(compareHlc(s, last)).toBeGreaterThan(0);
        expect(s.wallMs).toBe(Math.max(last.wallMs, now));
        if (now > last.wallMs) expect(s.logical).toBe(0);
      }),
      params("hlc tick", 300),
    );
  });
  it("receives past both clocks, within the largest physical time heard of", () => {
    fc.assert(
      fc.property(stamp, stamp, fc.nat({ max: 60 }), (last, remote, now) => {
        const s = hlcReceive(last, remote, now);
        expect(compareHlc(s, last)).toBeGreaterThan(0);
        expect(compareHlc(s, remote)).toBeGreaterThan(0);
        expect(s.wallMs).toBe(Math.max(last.wallMs, remote.wallMs, now));
      }),
      params("hlc receive", 300),
    );
  });
  it("refuses a remote stamp too far ahead of physical time", () => {
    expect(() => hlcReceive({ wallMs: 0, logical: 0 }, { wallMs: 10_000, logical: 0 }, 100, 500)).toThrow(
      "hlc receive: remote stamp 10000 ms is 9900 ms ahead of physical time 100 ms (more than 500 ms)",
    );
  });
});

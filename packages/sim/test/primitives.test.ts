import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../src/event-queue.js";
import { sampleLatencyUs } from "../src/latency.js";
import { SeededRng } from "../src/index.js";
import { testSeed } from "./helpers.js";

describe("event queue", () => {
  it("pops by time, ties in insertion order (checked against a sort)", () => {
    const seed = testSeed("event-queue", 4242);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        // -1 pops, other numbers push an item due at that time.
        const q = new EventQueue<number>(16);
        const model: { t: number; id: number }[] = [];
        let id = 0;
        for (const op of ops) {
          if (op === -1) {
            if (model.length === 0) continue;
            model.sort((a, b) => a.t - b.t || a.id - b.id);
            const want = model.shift() as { t: number; id: number };
            expect(q.peekTimeUs()).toBe(want.t);
            expect(q.pop()).toBe(want.id);
          } else {
            q.push(op, id);
            model.push({ t: op, id: id++ });
          }
          expect(q.size).toBe(model.length);
        }
      }),
      { seed, numRuns: 300 },
    );
  }, 60_000);
});

describe("latency", () => {
  it("latency samples respect their distributions", () => {
    const r = SeededRng.derive(3, "latency");
    const outside: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const n = sampleLatencyUs({ type: "normal", meanMs: 5, stdDevMs: 10, minMs: 1, maxMs: 12 }, r);
      if (n < 1000 || n > 12000) outside.push(n);
      const e = sampleLatencyUs({ type: "exponential", minMs: 2, meanExtraMs: 3, maxMs: 40 }, r);
      if (e < 2000 || e > 40000 || !Number.isInteger(e)) outside.push(e);
    }
    expect(outside).toEqual([]);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += sampleLatencyUs({ type: "exponential", minMs: 0, meanExtraMs: 3 }, r);
    expect(sum / 20_000 / 1000).toBeCloseTo(3, 0);
  });
});

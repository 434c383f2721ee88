import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../src/event-queue.js";
import { sampleLatencyUs } from "../src/latency.js";
import { SimRng } from "../src/index.js";
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

describe("seeded streams", () => {
  it("streams depend on seed and name, and are reproducible", () => {
    const draw = (seed: number, name: string) => {
      const r = SimRng.derive(seed, name);
      return [r.nextInt(0, 1e6), r.nextInt(0, 1e6), r.nextFloat()];
    };
    expect(draw(1, "a")).toEqual(draw(1, "a"));
    expect(draw(1, "a")).not.toEqual(draw(2, "a"));
    expect(draw(1, "a")).not.toEqual(draw(1, "b"));
    expect(draw(2 ** 40, "a")).not.toEqual(draw(0, "a"));
  });

  it("the first draw of consecutive seeds is spread out (no weak seeding)", () => {
    const firsts = new Set<number>();
    for (let s = 0; s < 200; s++) firsts.add(SimRng.derive(s, "storage:n1").nextInt(0, 9));
    expect(firsts.size).toBe(10);
  });

  it("nextInt is in range and roughly uniform; nextFloat in [0, 1)", () => {
    const r = SimRng.derive(7, "uniformity");
    const counts = new Array<number>(10).fill(0);
    let floatsOutside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r.nextInt(0, 9);
      counts[v] = (counts[v] as number) + 1;
      const f = r.nextFloat();
      if (!(f >= 0 && f < 1)) floatsOutside++;
    }
    expect(floatsOutside).toBe(0);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.nextInt(5, 1)).toThrow(/min <= max/);
  });

  it("latency samples respect their distributions", () => {
    const r = SimRng.derive(3, "latency");
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

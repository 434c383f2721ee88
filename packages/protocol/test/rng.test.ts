import { describe, expect, it } from "vitest";
import { SeededRng } from "../src/index.js";

describe("seeded streams", () => {
  it("streams depend on seed and name, and are reproducible", () => {
    const draw = (seed: number, name: string) => {
      const r = SeededRng.derive(seed, name);
      return [r.nextInt(0, 1e6), r.nextInt(0, 1e6), r.nextFloat()];
    };
    expect(draw(1, "a")).toEqual(draw(1, "a"));
    expect(draw(1, "a")).not.toEqual(draw(2, "a"));
    expect(draw(1, "a")).not.toEqual(draw(1, "b"));
    expect(draw(2 ** 40, "a")).not.toEqual(draw(0, "a"));
  });

  it("the first draw of consecutive seeds is spread out (no weak seeding)", () => {
    const firsts = new Set<number>();
    for (let s = 0; s < 200; s++) firsts.add(SeededRng.derive(s, "storage:n1").nextInt(0, 9));
    expect(firsts.size).toBe(10);
  });

  it("nextInt is in range and roughly uniform; nextFloat in [0, 1)", () => {
    const r = SeededRng.derive(7, "uniformity");
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

});

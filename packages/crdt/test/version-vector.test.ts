import { describe, expect, it } from "vitest";
import { vvConcurrent, vvEquals, vvFromJson, vvLeq, vvMeet, vvMerge } from "../src/index.js";

const vv = (o: Record<string, number>) => new Map(Object.entries(o));

describe("version vectors", () => {
  it("compare pointwise", () => {
    expect(vvEquals(vv({ a: 1 }), vv({ a: 2 }))).toBe(false); // regression: equality once only checked a <= b
    expect(vvEquals(vv({ a: 2, b: 1 }), vv({ b: 1, a: 2 }))).toBe(true);
    expect(vvLeq(vv({ a: 1 }), vv({ a: 1, b: 1 }))).toBe(true);
    expect(vvConcurrent(vv({ a: 1 }), vv({ b: 1 }))).toBe(true);
  });
  it("join and meet", () => {
    expect(vvMerge(vv({ a: 1, b: 3 }), vv({ a: 2 }))).toEqual(vv({ a: 2, b: 3 }));
    expect(vvMeet([vv({ a: 1, b: 3 }), vv({ a: 2 })])).toEqual(vv({ a: 1 }));
  });
  it("refuse a zero or negative count, naming it", () => {
    expect(() => vvFromJson({ a: 0 }, "vv")).toThrow("vv.a: expected an integer >= 1, got 0");
  });
});

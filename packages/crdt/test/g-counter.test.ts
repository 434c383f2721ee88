import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CrdtInputError, gCounter } from "../src/index.js";
import { lawProperties } from "./harness.js";

describe("g-counter", () => {
  it("satisfies the lattice laws and its specification", () => {
    lawProperties({ crdt: gCounter, op: fc.record({ type: fc.constant("inc" as const), by: fc.nat({ max: 5 }) }) });
  });

  it("counts each replica's increments once however often states are merged", () => {
    const a = gCounter.mutate(gCounter.bottom(), "n1", { type: "inc", by: 2 }).state;
    const b = gCounter.mutate(gCounter.bottom(), "n2", { type: "inc" }).state;
    const ab = gCounter.merge(a, b);
    expect(gCounter.value(gCounter.merge(ab, ab))).toBe(3);
    expect(gCounter.value(gCounter.merge(gCounter.merge(ab, a), b))).toBe(3);
  });

  it("refuses a negative increment and a malformed state, naming the place", () => {
    expect(() => gCounter.mutate(gCounter.bottom(), "n1", { type: "inc", by: -1 })).toThrow(CrdtInputError);
    expect(() => gCounter.fromJson({ n1: 1.5 })).toThrow("g-counter state.n1: expected an integer >= 1, got 1.5");
    expect(() => gCounter.parseOp({ type: "inc", by: 1, extra: 2 })).toThrow('unknown field "extra"');
  });
});

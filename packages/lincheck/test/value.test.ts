import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { valueEqual, valueHash, valueHashAppend, valueKey, type Value } from "../src/value.js";

const seed = process.env.SEED !== undefined ? Number(process.env.SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`value tests: SEED=${seed}`);

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0.5, -0, 2 ** 40, 3e9),
    fc.string({ maxLength: 3 }),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b"), tie("v"), { maxKeys: 2 }),
  ),
})).v;

describe("valueHash", () => {
  it("agrees with valueEqual: equal values hash equally", () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(valueEqual(a, b)).toBe(valueKey(a) === valueKey(b));
        if (valueEqual(a, b)) expect(valueHash(a)).toBe(valueHash(b));
      }),
      { seed, numRuns: 2000 },
    );
    // The same value built two ways (key order, -0) hashes the same.
    expect(valueHash({ a: 1, b: [2] })).toBe(valueHash({ b: [2], a: 1 }));
    expect(valueHash(-0)).toBe(valueHash(0));
    expect(valueHash(1)).not.toBe(valueHash("1"));
  });

  it("continues over an appended string (valueHashAppend)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(valueHashAppend(valueHash(a), b)).toBe(valueHash(a + b));
      }),
      { seed, numRuns: 1000 },
    );
  });
});

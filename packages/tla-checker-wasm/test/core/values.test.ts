// Values: equality as TLC defines it, fingerprints consistent with equality, ITF and portable
// round trips, symmetry permutations. Randomized cases print their seed; replay with SEED=<n>.
import { describe, expect, it } from "vitest";
import { valueEquals } from "../../src/values/compare.js";
import { formatValue } from "../../src/values/format.js";
import { fingerprint, fingerprintState, fromITF, fromJS, fromPortable, getModelValue, permute, toITF, toPortable } from "../../src/values/ops.js";
import { fcnFromPairs, setOf } from "../../src/values/sets.js";
import { Fcn, ValueError, tuple, type Val } from "../../src/values/value.js";
import { value as evalValue } from "./helpers.js";
import { seededRandom as rng } from "../../src/check/rng.js";

const value = async (e: string): Promise<Val> => (await evalValue(e)) as Val;


const SEED = process.env.SEED ? Number(process.env.SEED) : Date.now() % 1_000_000;

/** A random value of bounded depth, and the same value built another way (shuffled construction). */
function randomValue(r: () => number, depth: number): [Val, Val] {
  const pick = Math.floor(r() * (depth > 0 ? 7 : 4));
  const shuffle = <T,>(xs: T[]): T[] => xs.map((x) => [r(), x] as const).sort((p, q) => p[0] - q[0]).map((p) => p[1]);
  switch (pick) {
    case 0:
      return ((n) => [n, n])(Math.floor(r() * 7) - 3);
    case 1:
      return ((s) => [s, s])(["a", "b", "c"][Math.floor(r() * 3)]!);
    case 2:
      return ((b) => [b, b])(r() < 0.5);
    case 3:
      return ((m) => [m, m])(getModelValue(["m1", "m2"][Math.floor(r() * 2)]!));
    case 4: {
      const n = Math.floor(r() * 4);
      const items = Array.from({ length: n }, () => randomValue(r, depth - 1));
      return [setOf(items.map((p) => p[0])), setOf(shuffle([...items.map((p) => p[1]), ...items.map((p) => p[1])]))];
    }
    case 5: {
      // A tuple, and the same function built from its pairs in a random order.
      const n = Math.floor(r() * 4);
      const items = Array.from({ length: n }, () => randomValue(r, depth - 1));
      const order = shuffle(items.map((_, i) => i));
      return [tuple(items.map((p) => p[0])), fcnFromPairs(order.map((i) => i + 1), order.map((i) => items[i]![1]))];
    }
    default: {
      const keys = ["x", "y", "z"].filter(() => r() < 0.6);
      const items = keys.map((k) => [k, randomValue(r, depth - 1)] as const);
      const order = shuffle(items.slice());
      return [fcnFromPairs(items.map((p) => p[0]), items.map((p) => p[1][0])), fcnFromPairs(order.map((p) => p[0]), order.map((p) => p[1][1]))];
    }
  }
}

describe("equality as TLC defines it", () => {
  it("records, tuples and sequences are functions", async () => {
    expect(valueEquals(await value('[a |-> 1, b |-> 2]'), await value('[x \\in {"a", "b"} |-> IF x = "a" THEN 1 ELSE 2]'))).toBe(true);
    expect(valueEquals(await value("<<4, 5>>"), await value("[i \\in 1..2 |-> i + 3]"))).toBe(true);
    expect(valueEquals(await value("<<>>"), await value("[i \\in {} |-> 1]"))).toBe(true);
  });
  it("model values are equal only to themselves, and differ from anything else without error", async () => {
    expect(valueEquals(await value("a"), await value("a"))).toBe(true);
    expect(valueEquals(await value("a"), await value("b"))).toBe(false);
    expect(valueEquals(await value("a"), 1)).toBe(false);
    expect(valueEquals("x", await value("a"))).toBe(false);
    expect(await value("a \\in {1, 2}")).toBe(false);
  });
  it("raises TLC's errors for incomparable values", () => {
    expect(() => valueEquals(1, "a")).toThrow(new ValueError('Attempted to check equality of integer 1 with non-integer: "a"'));
    expect(() => valueEquals("a", 1)).toThrow(new ValueError('Attempted to check equality of string "a" with non-string: 1'));
    expect(() => valueEquals(true, 1)).toThrow(/boolean TRUE with non-boolean: 1/);
    expect(() => valueEquals(setOf([1]), 1)).toThrow(/the set \{1\} with the value: 1/);
    expect(() => valueEquals(tuple([1]), 1)).toThrow(/the function <<1>> with the value: 1/);
  });
});

describe(`fingerprints and conversions (SEED=${SEED})`, () => {
  it("equal values built differently have equal fingerprints; round trips preserve values", () => {
    const r = rng(SEED);
    for (let i = 0; i < 400; i++) {
      const [v, w] = randomValue(r, 3);
      const ctx = `seed ${SEED}, case ${i}: ${formatValue(v)} vs ${formatValue(w)}`;
      expect(valueEquals(v, w), ctx).toBe(true);
      expect(fingerprint(v), ctx).toBe(fingerprint(w));
      expect(fingerprintState([v, 1]), ctx).toBe(fingerprintState([w, 1]));
      expect(valueEquals(fromPortable(structuredClone(toPortable(v))), v), ctx).toBe(true);
      expect(formatValue(permute(v, [])), ctx).toBe(formatValue(v));
    }
  });

  it("different values get different fingerprints (no collision among many small values)", () => {
    const seen = new Map<bigint, string>();
    const r = rng(SEED + 1);
    for (let i = 0; i < 3000; i++) {
      const [v] = randomValue(r, 3);
      const fp = fingerprint(v);
      const text = formatValue(v);
      const prior = seen.get(fp);
      if (prior !== undefined) expect(prior, `seed ${SEED}: fingerprint collision`).toBe(text);
      seen.set(fp, text);
    }
    expect(fingerprintState([1, 2])).not.toBe(fingerprintState([2, 1]));
  });

  it("writes Apalache ITF and reads it back", () => {
    const v = fromJS({ s: new Set([1, 2]), t: [1, "x"], m: new Map([[1, true]]), big: 2 ** 60 });
    expect(toITF(v)).toEqual({ big: { "#bigint": String(2 ** 60) }, m: { "#tup": [true] }, s: { "#set": [1, 2] }, t: { "#tup": [1, "x"] } });
    const f = fcnFromPairs([3, 1], ["c", "a"]);
    expect(toITF(f)).toEqual({ "#map": [[1, "a"], [3, "c"]] });
    expect(valueEquals(fromITF(toITF(f)), f)).toBe(true);
    expect(toITF(getModelValue("p1"))).toBe("p1");
    expect(toITF(new Fcn([], []))).toEqual({ "#tup": [] });
  });

  it("applies a symmetry permutation to model values inside sets, functions and records", () => {
    const p1 = getModelValue("p1");
    const p2 = getModelValue("p2");
    const v = fromJS({ owner: p1, set: new Set([p1]), f: new Map([[p1, p2]]) });
    const swapped = permute(v, [[p1, p2], [p2, p1]]);
    expect(valueEquals(swapped, fromJS({ owner: p2, set: new Set([p2]), f: new Map([[p2, p1]]) }))).toBe(true);
    expect(valueEquals(permute(swapped, [[p1, p2], [p2, p1]]), v)).toBe(true);
  });
});

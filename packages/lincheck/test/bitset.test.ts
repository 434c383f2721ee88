import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Bitset } from "../src/bitset.js";

const seed = process.env.SEED !== undefined ? Number(process.env.SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`bitset tests: SEED=${seed}`);

describe("Bitset", () => {
  it("keeps lo/hi exact and the Zobrist hash a function of the members", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.nat(), { maxLength: 400 }), (size, picks) => {
        const bits = new Bitset(size);
        const members = new Set<number>();
        for (const p of picks) {
          const i = p % size;
          if (members.has(i)) {
            bits.clear(i);
            members.delete(i);
          } else {
            bits.set(i);
            members.add(i);
          }
          const words = bits.words;
          let lo = 0;
          while (lo < words.length && words[lo] === 0xffffffff) lo++;
          let hi = words.length;
          while (hi > 0 && words[hi - 1] === 0) hi--;
          expect([bits.lo, bits.hi]).toEqual([lo, hi]);
          for (let k = 0; k < size; k++) expect(bits.has(k)).toBe(members.has(k));
        }
        const fresh = new Bitset(size);
        for (const m of [...members].sort((a, b) => b - a)) fresh.set(m);
        expect(fresh.hash).toBe(bits.hash);
      }),
      { seed, numRuns: 200 },
    );
  });
});

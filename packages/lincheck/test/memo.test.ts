import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Bitset } from "../src/bitset.js";
import { MemoTable } from "../src/memo.js";

const seed = process.env.SEED !== undefined ? Number(process.env.SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`memo tests: SEED=${seed}`);

describe("MemoTable", () => {
  it("holds exactly the pairs added, across growth and reuse of given-back tables", () => {
    // Each round takes a table (often one given back by the round before), adds pairs of
    // (set, state), and compares with a plain Set of the same pairs; a table given back must
    // come back empty however many entries it held. Hashes are folded to a few bits on purpose,
    // so that probing and equality of windows and states are exercised, not only the hash.
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ members: fc.array(fc.nat({ max: 99 }), { maxLength: 6 }), state: fc.nat({ max: 3 }) }), { maxLength: 300 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (rounds) => {
          for (const pairs of rounds) {
            const table = MemoTable.take();
            expect(table.size).toBe(0);
            const reference = new Set<string>();
            for (const { members, state } of pairs) {
              const set = new Bitset(100);
              for (const m of new Set(members)) set.set(m);
              const key = `${[...new Set(members)].sort((a, b) => a - b).join(",")}|${state}`;
              const added = table.addIfAbsent((set.hash ^ state) & 0x3f, set, state, (a, b) => a === b);
              expect(added).toBe(!reference.has(key));
              reference.add(key);
            }
            expect(table.size).toBe(reference.size);
            table.giveBack();
          }
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});

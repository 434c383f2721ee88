/**
 * Property test: RaftLog agrees with a plain array model under random appends, truncations and
 * compactions. fast-check prints the seed and path of a failure; replay with SEED=<seed>.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { RaftLog } from "../src/log.js";

type Op = { kind: "append"; termBump: number } | { kind: "truncate"; at: number } | { kind: "compact"; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("append" as const), termBump: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant("compact" as const), at: fc.integer({ min: 0, max: 40 }) }),
);

test("RaftLog matches an array model", () => {
  const seed = process.env.SEED !== undefined ? Number(process.env.SEED) : undefined;
  fc.assert(
    fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
      const log = new RaftLog();
      const terms: number[] = []; // terms[i - 1] = term of index i (compacted ones kept for reference)
      let base = 0;
      let term = 1;
      for (const o of ops) {
        if (o.kind === "append") {
          term += o.termBump;
          log.append({ term, command: { type: "noop" } });
          terms.push(term);
        } else if (o.kind === "truncate") {
          const at = base + 1 + (o.at % Math.max(1, terms.length - base + 1));
          if (at > base && at <= terms.length) {
            log.truncateFrom(at);
            terms.length = at - 1;
          }
        } else {
          const at = o.at % (terms.length + 1);
          if (at > base) {
            log.compactTo(at, terms[at - 1] as number);
            base = at;
          }
        }
        expect(log.lastIndex).toBe(terms.length);
        expect(log.snapshotIndex).toBe(base);
        for (let i = 0; i <= terms.length + 1; i++) {
          const want = i < base ? undefined : i === 0 ? 0 : i > terms.length ? undefined : terms[i - 1];
          expect(log.termAt(i)).toBe(want);
        }
        expect(log.slice(base + 1, terms.length).map((e) => e.term)).toEqual(terms.slice(base));
        if (terms.length > base) {
          const last = terms.length;
          let first = last;
          while (first - 1 > base && terms[first - 2] === terms[last - 1]) first--;
          expect(log.firstIndexOfTermAt(last)).toBe(first);
          const t = terms[last - 1] as number;
          expect(log.lastIndexOfTerm(t)).toBe(last);
          expect(log.lastIndexOfTerm(t + 1)).toBeNull();
        }
      }
    }),
    { numRuns: 300, ...(seed !== undefined ? { seed } : {}) },
  );
});

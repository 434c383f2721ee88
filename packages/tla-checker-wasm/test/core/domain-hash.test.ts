// Functions' hashes with the domain-hash cache (values/value.ts `domainHash`): equal functions
// must hash alike whichever domain arrays were hashed before, so functions over equal domains
// held in different arrays are hashed in orders that hit, miss and evict the cache's two
// entries, also with functions as domain elements (hashing a domain then hashes other domains)
// and with the shared tuple domains.
// Randomized: prints its seed; replay with SYNOD_SEED=<n>.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/check/rng.js";
import { fingerprint } from "../../src/values/ops.js";
import { Fcn, seqDom, tuple, type Val } from "../../src/values/value.js";

const SEED = process.env.SYNOD_SEED ? Number(process.env.SYNOD_SEED) : Date.now() % 1_000_000;

describe("function hashes with cached domain hashes", () => {
  it(`equal functions hash alike in any order of domain arrays (seed ${SEED})`, () => {
    console.log(`domain-hash seed ${SEED} (replay with SYNOD_SEED=${SEED})`);
    const random = seededRandom(SEED);
    const pick = (n: number): number => Math.floor(random() * n);
    // Four domains, each in three separate but equal arrays; one has functions as elements.
    const domains: Val[][] = [[1, 2, 3], ["a", "b"], [1, 2, 3, 4], [tuple([1]), tuple([2])]];
    // The tuple domains' shared arrays (`seqDom`) are hashed from their own table.
    const copies = domains.map((d, i) => [i === 0 ? seqDom(3) : i === 2 ? seqDom(4) : d, d.slice(), d.slice()]);
    const made: { dom: number; rng: Val[]; fp: bigint }[] = [];
    for (let i = 0; i < 400; i++) {
      const dom = pick(domains.length);
      const array = copies[dom]![pick(3)]!;
      const rng = array.map(() => pick(3) as Val);
      // A function whose domain elements are fresh functions: hashing its domain hashes theirs.
      const f = dom === 3 ? new Fcn([new Fcn([1], [rng[0]!]), new Fcn([1], [rng[1]!])], rng) : new Fcn(array, rng);
      made.push({ dom: dom === 3 ? 3 + 10 * (rng[0] as number) + 100 * (rng[1] as number) : dom, rng, fp: fingerprint(f) });
    }
    for (const a of made) {
      for (const b of made) {
        const equal = a.dom === b.dom && a.rng.every((x, j) => x === b.rng[j]);
        if (equal) expect(a.fp).toBe(b.fp);
      }
    }
    // Different ranges over one domain, and one range over different domains, hash apart.
    const fps = new Set(made.map((m) => `${m.dom}:${m.rng.join(",")}`));
    expect(new Set(made.map((m) => m.fp)).size).toBe(fps.size);
  });
});

import { describe, expect, it } from "vitest";
import { FingerprintSet, tableKey } from "../../src/check/fingerprint-set.js";

/** splitmix64: reproducible 64-bit values from a seed. */
function* fingerprints(seed: bigint): Generator<bigint> {
  let x = seed;
  for (;;) {
    x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
    let z = x;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    yield z ^ (z >> 31n);
  }
}

const seed = BigInt(process.env.SEED ?? Date.now());

describe("FingerprintSet", () => {
  it.each(["local", "shared"] as const)("stores fingerprints with parent links and grows (%s, seed printed on failure)", (memory) => {
    const set = new FingerprintSet(16, memory);
    const fps: bigint[] = [];
    const gen = fingerprints(seed);
    for (let i = 0; i < 20000; i++) fps.push(gen.next().value as bigint);
    const firstInserts = fps.map((fp, i) => {
      const fresh = set.insert(fp, i === 0 ? null : fps[i - 1]);
      if (memory === "shared" && set.needsGrowth()) set.grow();
      return fresh;
    });
    expect(firstInserts.every((x) => x), `seed ${seed}`).toBe(true);
    expect(set.size).toBe(fps.length);
    expect(set.capacity).toBeGreaterThan(fps.length);
    expect(fps.some((fp) => set.insert(fp, 1n)), `seed ${seed}`).toBe(false);
    const wrongParent = fps.findIndex((fp, i) => set.parentOf(fp) !== (i === 0 ? null : tableKey(fps[i - 1])));
    expect(wrongParent, `seed ${seed}`).toBe(-1);
    expect(set.size).toBe(fps.length);
    const absent = fps[0] ^ 1n;
    if (!fps.includes(absent)) {
      expect(set.has(absent)).toBe(false);
      expect(set.parentOf(absent)).toBeUndefined();
    }
  });

  it("stores fingerprint 0 under a stand-in and finds it again", () => {
    const set = new FingerprintSet();
    expect(set.insert(0n, null)).toBe(true);
    expect(set.has(0n)).toBe(true);
    expect(set.insert(0n, 5n)).toBe(false);
    expect(set.insert(7n, 0n)).toBe(true);
    expect(set.parentOf(7n)).toBe(tableKey(0n));
  });

  it("a shared table refuses to overfill instead of looping forever", () => {
    const set = new FingerprintSet(16, "shared");
    const gen = fingerprints(1n);
    expect(() => {
      for (let i = 0; i < set.capacity + 1; i++) set.insert(gen.next().value as bigint, null);
    }).toThrow(/fingerprint table full/);
  });

  it("attach() sees the same shared table", () => {
    const set = new FingerprintSet(16, "shared");
    set.insert(42n, null);
    const other = FingerprintSet.attach(set.share());
    expect(other.has(42n)).toBe(true);
    expect(other.insert(42n, null)).toBe(false);
    expect(other.insert(43n, 42n)).toBe(true);
    expect(set.size).toBe(2);
  });
});

describe("FingerprintSet against a reference Map (fast-check; SEED= replays)", () => {
  it.each(["local", "shared"] as const)("%s: inserts, membership and parents agree", async (memory) => {
    const fc = await import("fast-check");
    const fpSeed = process.env.SEED ? Number(process.env.SEED) : undefined;
    // Small fingerprint ranges force collisions of home slots; 0 exercises the stand-in key.
    const fp = fc.oneof(fc.bigInt({ min: 0n, max: 64n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fp, fc.option(fp, { nil: null })), { maxLength: 3000 }), (ops) => {
        const set = new FingerprintSet(16, memory);
        const reference = new Map<bigint, bigint | null>();
        for (const [key, parent] of ops) {
          const fresh = set.insert(key, parent);
          if (memory === "shared" && set.needsGrowth()) set.grow();
          const k = tableKey(key);
          if (fresh !== !reference.has(k)) return false;
          if (fresh) reference.set(k, parent === null ? null : tableKey(parent));
        }
        if (set.size !== reference.size) return false;
        for (const [k, parent] of reference) if (set.parentOf(k) !== parent) return false;
        return true;
      }),
      { numRuns: 60, ...(fpSeed !== undefined ? { seed: fpSeed } : {}) },
    );
  });
});

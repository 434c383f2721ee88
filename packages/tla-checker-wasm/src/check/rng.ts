/**
 * A small seeded random source (mulberry32 over a splitmix-scrambled seed): the same seed gives
 * the same sequence on every platform, which is what makes simulation runs replayable.
 *
 * @module
 */

/** A random source: uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * A seeded random source. `seed` is a safe integer or any 64-bit integer as a bigint (TLC's seeds
 * are Java longs); a safe integer gives the same stream as a number or as a bigint.
 */
export function seededRandom(seed: number | bigint): Random {
  let lo: number;
  let hi: number;
  if (typeof seed === "bigint") {
    if (seed < -(2n ** 63n) || seed >= 2n ** 63n) throw new RangeError(`seed must be a 64-bit integer, got ${seed}`);
    lo = Number(BigInt.asUintN(32, seed));
    hi = Number(BigInt.asIntN(32, seed >> 32n));
  } else {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    lo = seed >>> 0;
    hi = Math.floor(seed / 2 ** 32) | 0;
  }
  // Fold the high bits in so that seeds differing only above bit 32 give different streams.
  let state = lo ^ Math.imul(hi, 0x9e3779b1);
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35);
  state ^= state >>> 16;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly chosen index below `n`. */
export function randomIndex(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** A fresh seed when the user gives none (printed so the run can be replayed). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 48);
}

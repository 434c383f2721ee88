/**
 * Seeded randomness: the one generator every Synod host and test uses (the simulator, the test
 * host, conformance). Each consumer (each node, each network link, each client, the fault
 * generator, storage) gets its own xoroshiro128+ stream derived from the run's seed and a stream
 * name, so adding a node or a client does not reshuffle the draws of unrelated streams.
 *
 * @module
 */
import type { Rng } from "./node.js";
import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** murmur3's 32-bit finaliser: a cheap, well-mixing bijection on 32-bit integers. */
function fmix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Hash a string to 32 bits (FNV-1a then a murmur finaliser), starting from `basis`. */
function hashString(text: string, basis: number): number {
  let h = (0x811c9dc5 ^ basis) | 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * Check a run seed: any safe integer (fast-check's 32-bit seeds included). Throws otherwise.
 * @param seed the candidate seed.
 * @param path where it came from, for the error message.
 */
export function assertSeed(seed: unknown, path = "seed"): asserts seed is number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new TypeError(`${path}: expected a safe integer seed, got ${JSON.stringify(seed)}`);
  }
}

/**
 * A seeded random stream: `@synod/protocol`'s `Rng` plus the draws the simulator needs.
 * Construct it with {@link SeededRng.derive} so streams are independent of each other.
 */
export class SeededRng implements Rng {
  private readonly gen: RandomGenerator;

  private constructor(gen: RandomGenerator) {
    this.gen = gen;
  }

  /**
   * The stream called `name` of the run seeded with `seed`: the same pair always gives the same
   * stream; different names give unrelated streams.
   * @example `SeededRng.derive(42, "node:n1").nextInt(150, 300)`
   */
  static derive(seed: number, name: string): SeededRng {
    assertSeed(seed);
    const low = seed | 0;
    const high = Math.floor(seed / TWO_POW_32) | 0;
    // Every state word depends on every bit of the seed and of the name.
    const a = fmix32(low ^ 0x9e3779b9);
    const b = fmix32(high ^ 0x7f4a7c15);
    const words = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a].map((k, i) =>
      hashString(name, fmix32(a + Math.imul(b, 2 * i + 1) + k)),
    );
    // xoroshiro's all-zero state is a fixed point; the hash makes it astronomically unlikely, but
    // a stream that never changes would be a silent disaster, so rule it out.
    if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1;
    const gen = xoroshiro128plus.fromState(words);
    // Let the first outputs mix away any structure of the initial state.
    for (let i = 0; i < 8; i++) gen.unsafeNext();
    return new SeededRng(gen);
  }

  /** A uniformly distributed integer in `[minInclusive, maxInclusive]`. */
  nextInt(minInclusive: number, maxInclusive: number): number {
    if (!Number.isSafeInteger(minInclusive) || !Number.isSafeInteger(maxInclusive) || maxInclusive < minInclusive) {
      throw new RangeError(`nextInt(${minInclusive}, ${maxInclusive}): bounds must be safe integers with min <= max`);
    }
    return unsafeUniformIntDistribution(minInclusive, maxInclusive, this.gen);
  }

  /** A uniformly distributed float in `[0, 1)` with 53 random bits. */
  nextFloat(): number {
    const high = (this.gen.unsafeNext() >>> 0) >>> 5; // 27 bits
    const low = (this.gen.unsafeNext() >>> 0) >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /**
   * An integer in `[minInclusive, maxInclusive]` from one 32-bit draw, for the simulator's own hot
   * paths (latency sampling). Its bias is below `range / 2^32` — under 0.03% for a 1-second range
   * in µs — which no latency model can notice; nodes get the exact {@link SeededRng.nextInt}.
   */
  uniformInt(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(((this.gen.unsafeNext() >>> 0) / TWO_POW_32) * (maxInclusive - minInclusive + 1));
  }

  /** A float in `[0, 1)` from a single 32-bit draw: cheaper, enough for coin flips. */
  nextFloat32(): number {
    return (this.gen.unsafeNext() >>> 0) / TWO_POW_32;
  }

  /** True with probability `p` (no draw is made when `p` is 0 or 1). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.nextFloat32() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick: empty array");
    return items[this.nextInt(0, items.length - 1)] as T;
  }
}

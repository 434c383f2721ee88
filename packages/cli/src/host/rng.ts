/**
 * Random number sources to inject into nodes.
 *
 * @module
 */
import { randomInt } from "node:crypto";
import type { Rng } from "@synod/protocol";

/**
 * A seeded generator (sfc32, seeded through splitmix32) so that a run's timeouts can be replayed.
 *
 * @example
 * const rng = seededRng(42);
 * rng.nextInt(150, 300); // same value on every run with seed 42
 */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  return {
    nextFloat: () => next32() / 2 ** 32,
    nextInt: (minInclusive, maxInclusive) => {
      assertRange(minInclusive, maxInclusive);
      return minInclusive + Math.floor((next32() / 2 ** 32) * (maxInclusive - minInclusive + 1));
    },
  };
}

/** A generator backed by the operating system's CSPRNG, for deployments that need no replay. */
export function cryptoRng(): Rng {
  return {
    nextFloat: () => randomInt(0, 2 ** 47) / 2 ** 47,
    nextInt: (minInclusive, maxInclusive) => {
      assertRange(minInclusive, maxInclusive);
      return randomInt(minInclusive, maxInclusive + 1);
    },
  };
}

function assertRange(min: number, max: number): void {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
    throw new RangeError(`nextInt: need integers min <= max, got ${min}, ${max}`);
  }
}

/**
 * A small seeded generator for choices the checks make (which successor a walk takes). Not
 * cryptographic; the point is that a seed replays.
 *
 * @module
 */

/** xorshift32 with a splitmix-style seed scramble. */
export class Xorshift {
  private s: number;
  constructor(seed: number) {
    let z = (seed >>> 0) + 0x9e3779b9;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.s = (z ^ (z >>> 16)) >>> 0 || 1;
  }
  /** Next 32-bit unsigned value. */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }
}

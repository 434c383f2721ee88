/**
 * The set of linearized operations, as bits in 32-bit words, with an incrementally kept
 * Zobrist hash (XOR of a fixed random word per member) so that hashing is O(1) per step.
 */
export class Bitset {
  /** The words; bit `i % 32` of word `i >> 5` is member `i`. */
  readonly words: Uint32Array;
  /** XOR of the members' Zobrist words. */
  hash = 0;
  private readonly zobrist: Uint32Array;

  /** A set over members `0 .. size-1`. */
  constructor(size: number) {
    this.words = new Uint32Array(Math.max(1, (size + 31) >>> 5));
    this.zobrist = new Uint32Array(size);
    // splitmix32 over the index: fixed, so runs are reproducible.
    for (let i = 0; i < size; i++) {
      let z = (i + 1) * 0x9e3779b9;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.zobrist[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** Adds member `i` (must be absent). */
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
    this.hash = (this.hash ^ this.zobrist[i]) >>> 0;
  }

  /** Removes member `i` (must be present). */
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
    this.hash = (this.hash ^ this.zobrist[i]) >>> 0;
  }

  /** True when `i` is a member. */
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** True when `other` holds the same words. */
  equalsWords(other: Uint32Array): boolean {
    const w = this.words;
    for (let i = 0; i < w.length; i++) if (w[i] !== other[i]) return false;
    return true;
  }
}

/** FNV-1a of a string, for models whose hash is a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The set of linearized operations, as bits in 32-bit words, with an incrementally kept
 * Zobrist hash (XOR of a fixed random word per member) so that hashing is O(1) per step.
 */
export class Bitset {
  /** The words; bit `i % 32` of word `i >> 5` is member `i`. */
  readonly words: Uint32Array;
  /** XOR of the members' Zobrist words. */
  hash = 0;
  /**
   * Words before `lo` are all ones and words from `hi` on are all zero, with `lo` the first word
   * that is not full and `hi` one past the last non-zero word: so `lo` and `words[lo..hi)` name
   * the set exactly, and for a long history that window is about as wide as its concurrency.
   */
  lo = 0;
  /** See {@link Bitset.lo}. */
  hi = 0;
  private readonly zobrist: Uint32Array;

  /** A set over members `0 .. size-1`. */
  constructor(size: number) {
    this.words = new Uint32Array(Math.max(1, (size + 31) >>> 5));
    this.zobrist = zobristWords(size);
  }

  /** Adds member `i` (must be absent). */
  set(i: number): void {
    const w = i >>> 5;
    const words = this.words;
    words[w] |= 1 << (i & 31);
    this.hash = (this.hash ^ this.zobrist[i]) >>> 0;
    if (w >= this.hi) this.hi = w + 1;
    if (w === this.lo) {
      let lo = w;
      while (lo < words.length && words[lo] === 0xffffffff) lo++;
      this.lo = lo;
    }
  }

  /** Removes member `i` (must be present). */
  clear(i: number): void {
    const w = i >>> 5;
    const words = this.words;
    words[w] &= ~(1 << (i & 31));
    this.hash = (this.hash ^ this.zobrist[i]) >>> 0;
    if (w < this.lo) this.lo = w;
    if (w === this.hi - 1) {
      let hi = this.hi;
      while (hi > 0 && words[hi - 1] === 0) hi--;
      this.hi = hi;
    }
  }

  /** True when `i` is a member. */
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }
}

/** The Zobrist words of members 0, 1, ...: fixed (so runs are reproducible) and shared by every set. */
let zobristTable = new Uint32Array(0);

function zobristWords(size: number): Uint32Array {
  if (zobristTable.length < size) {
    const table = new Uint32Array(Math.max(size, 2 * zobristTable.length, 1024));
    // splitmix32 over the index.
    for (let i = 0; i < table.length; i++) {
      let z = (i + 1) * 0x9e3779b9;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      table[i] = (z ^ (z >>> 16)) >>> 0;
    }
    zobristTable = table;
  }
  return zobristTable;
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

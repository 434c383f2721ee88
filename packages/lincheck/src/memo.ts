/**
 * The memo of explored (linearized set, model state) pairs: an open-addressing hash table over
 * typed arrays, so that a lookup allocates nothing and the garbage collector has little to do.
 * Bitsets live side by side in one word pool; states in a plain array.
 */
export class MemoTable {
  private slots: Int32Array;
  private mask: number;
  private hashes: Uint32Array;
  private pool: Uint32Array;
  private states: unknown[] = [];
  private count = 0;
  private readonly wordsPerEntry: number;

  /** @param wordsPerEntry bitset length in 32-bit words. */
  constructor(wordsPerEntry: number) {
    this.wordsPerEntry = wordsPerEntry;
    this.slots = new Int32Array(1 << 12);
    this.mask = this.slots.length - 1;
    this.hashes = new Uint32Array(1 << 11);
    this.pool = new Uint32Array((1 << 11) * wordsPerEntry);
  }

  /** Entries stored. */
  get size(): number {
    return this.count;
  }

  /** Approximate memory held, in bytes. */
  get bytes(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.pool.byteLength + this.count * 16;
  }

  /** Forgets everything (sound: the memo only prunes repeated work). */
  clear(): void {
    this.slots = new Int32Array(1 << 12);
    this.mask = this.slots.length - 1;
    this.hashes = new Uint32Array(1 << 11);
    this.pool = new Uint32Array((1 << 11) * this.wordsPerEntry);
    this.states = [];
    this.count = 0;
  }

  /**
   * Adds (words, state) unless an equal pair is present.
   * @returns true when added (the pair is new).
   */
  addIfAbsent(hash: number, words: Uint32Array, state: unknown, equal: (a: unknown, b: unknown) => boolean): boolean {
    const w = this.wordsPerEntry;
    let slot = hash & this.mask;
    for (;;) {
      const e = this.slots[slot];
      if (e === 0) break;
      const i = e - 1;
      if (this.hashes[i] === hash) {
        const base = i * w;
        let same = true;
        for (let k = 0; k < w; k++) {
          if (this.pool[base + k] !== words[k]) {
            same = false;
            break;
          }
        }
        if (same && equal(this.states[i], state)) return false;
      }
      slot = (slot + 1) & this.mask;
    }
    const i = this.count++;
    if (i >= this.hashes.length) this.growEntries();
    this.hashes[i] = hash;
    this.pool.set(words, i * w);
    this.states.push(state);
    this.slots[slot] = i + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  private growEntries(): void {
    const hashes = new Uint32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const pool = new Uint32Array(this.pool.length * 2);
    pool.set(this.pool);
    this.pool = pool;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = this.hashes[i] & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = i + 1;
    }
  }
}

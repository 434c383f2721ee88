import type { Bitset } from "./bitset.js";

/** Bytes per entry besides its window of words: 2 slots, 4 words of bookkeeping, a state reference. */
const ENTRY_BYTES = 2 * 4 + 4 * 4 + 8;

/**
 * Initial number of hash slots (a power of two); entries start at half of it. Small enough that
 * every first array is at most 64 bytes, which V8 keeps on its heap: a larger typed array gets a
 * buffer of its own outside it, which costs about a microsecond and a half to make and free.
 */
const SLOTS_FIRST = 1 << 4;

/**
 * How much a table of `length` grows by: fourfold while small (a memo of a few thousand entries
 * would otherwise spend much of its time copying arrays), then twofold.
 */
function growth(length: number): number {
  return length < 1 << 14 ? 4 : 2;
}

/** How many emptied tables are kept for reuse, and the largest kept (bytes of its arrays). */
const SPARE_TABLES = 4;
const SPARE_TABLE_BYTES = 4 << 20;

/** Emptied tables kept for reuse (see {@link MemoTable.take}). */
const spare: MemoTable[] = [];

/**
 * The memo of explored (linearized set, model state) pairs: an open-addressing hash table over
 * typed arrays, so that a lookup allocates nothing and the garbage collector has little to do.
 * A set is stored as its window (`lo` and the words from `lo` to `hi`, see {@link Bitset.lo}),
 * so an entry costs about the history's concurrency, not its length; windows live side by side
 * in one word pool, states in a plain array.
 */
export class MemoTable {
  // Small at first: most partitions of real histories need a few hundred entries, and a check
  // of many small partitions would otherwise spend its time zeroing tables. They double as needed.
  private slots = new Int32Array(SLOTS_FIRST);
  private mask = this.slots.length - 1;
  private hashes = new Uint32Array(SLOTS_FIRST / 2);
  private los = new Int32Array(SLOTS_FIRST / 2);
  private lengths = new Int32Array(SLOTS_FIRST / 2);
  private offsets = new Int32Array(SLOTS_FIRST / 2);
  private pool = new Uint32Array(SLOTS_FIRST);
  private poolUsed = 0;
  private states: unknown[] = [];
  private count = 0;

  /** Entries stored. */
  get size(): number {
    return this.count;
  }

  /**
   * Approximate memory held, in bytes: per entry its slots (two, at the load factor kept), four
   * words of bookkeeping, its window of words and a reference to its state (the states
   * themselves are the model's). Kept as a running count: it is read at every step.
   */
  bytes = 0;

  /**
   * A table for a new search: one a finished search gave back (see {@link MemoTable.giveBack}),
   * else a new one. Checks of many small partitions, or many checks in one process, then reuse
   * a few tables instead of growing a new one each time.
   */
  static take(): MemoTable {
    return spare.pop() ?? new MemoTable();
  }

  /**
   * Gives the table back for reuse, emptied, when it is not too big to keep; the caller must not
   * touch it again. Emptying costs the entries stored, not the table's size: only their slots are
   * zeroed.
   */
  giveBack(): void {
    if (spare.length >= SPARE_TABLES || this.slots.length * 4 + this.pool.length * 4 + this.hashes.length * 16 > SPARE_TABLE_BYTES) return;
    const slots = this.slots;
    for (let i = 0; i < this.count; i++) {
      let slot = this.hashes[i] & this.mask;
      while (slots[slot] !== i + 1) slot = (slot + 1) & this.mask;
      slots[slot] = 0;
    }
    this.poolUsed = 0;
    this.states.length = 0;
    this.count = 0;
    this.bytes = 0;
    spare.push(this);
  }

  /** Forgets everything (sound: the memo only prunes repeated work). */
  clear(): void {
    this.slots = new Int32Array(SLOTS_FIRST);
    this.mask = this.slots.length - 1;
    this.hashes = new Uint32Array(SLOTS_FIRST / 2);
    this.los = new Int32Array(SLOTS_FIRST / 2);
    this.lengths = new Int32Array(SLOTS_FIRST / 2);
    this.offsets = new Int32Array(SLOTS_FIRST / 2);
    this.pool = new Uint32Array(SLOTS_FIRST);
    this.poolUsed = 0;
    this.states = [];
    this.count = 0;
    this.bytes = 0;
  }

  /**
   * Adds (set, state) unless an equal pair is present.
   * @returns true when added (the pair is new).
   */
  addIfAbsent(hash: number, set: Bitset, state: unknown, equal: (a: unknown, b: unknown) => boolean): boolean {
    const words = set.words;
    const lo = set.lo;
    const length = Math.max(0, set.hi - lo);
    let slot = hash & this.mask;
    for (;;) {
      const e = this.slots[slot];
      if (e === 0) break;
      const i = e - 1;
      if (this.hashes[i] === hash && this.los[i] === lo && this.lengths[i] === length) {
        const base = this.offsets[i];
        let same = true;
        for (let k = 0; k < length; k++) {
          if (this.pool[base + k] !== words[lo + k]) {
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
    if (this.poolUsed + length > this.pool.length) this.growPool(length);
    this.hashes[i] = hash;
    this.los[i] = lo;
    this.lengths[i] = length;
    this.offsets[i] = this.poolUsed;
    // A plain loop: a subarray would allocate a view for every entry.
    const pool = this.pool;
    const base = this.poolUsed;
    for (let k = 0; k < length; k++) pool[base + k] = words[lo + k];
    this.poolUsed += length;
    this.bytes += ENTRY_BYTES + 4 * length;
    this.states.push(state);
    this.slots[slot] = i + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  private growEntries(): void {
    const n = this.hashes.length * growth(this.hashes.length);
    const hashes = new Uint32Array(n);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const los = new Int32Array(n);
    los.set(this.los);
    this.los = los;
    const lengths = new Int32Array(n);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const offsets = new Int32Array(n);
    offsets.set(this.offsets);
    this.offsets = offsets;
  }

  private growPool(atLeast: number): void {
    const pool = new Uint32Array(Math.max(this.pool.length * growth(this.pool.length), this.poolUsed + atLeast));
    pool.set(this.pool.subarray(0, this.poolUsed));
    this.pool = pool;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * growth(this.slots.length));
    this.mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = this.hashes[i] & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = i + 1;
    }
  }
}

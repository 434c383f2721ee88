/**
 * The set of fingerprints of the distinct states seen so far, with a parent link per state.
 *
 * Per state we keep 16 bytes: its 64-bit fingerprint and the fingerprint of the state it was first
 * reached from (0 for an initial state). The state objects themselves are not kept, so 10^7
 * distinct states cost about 320 MB at the load factor we allow; a counterexample is rebuilt from
 * the chain of fingerprints by re-running the model (see `reconstruct.ts`), as TLC does.
 *
 * Linear probing over an interleaved `BigUint64Array` [fp0, parent0, fp1, parent1, ...]. Parent
 * links are fingerprints rather than slot indices because slots move when the table grows.
 *
 * The same layout can live in a `SharedArrayBuffer`: several worker threads then insert with
 * `Atomics.compareExchange` on the key word, and growing happens between BFS levels, when no
 * worker is inserting (see `parallel.ts`).
 *
 * @module
 */

/** Fingerprint 0 marks an empty slot, so a state whose fingerprint is 0 is stored under this one. */
const ZERO_FINGERPRINT_STANDIN = 0x9e3779b97f4a7c15n;

/** Grow when this fraction of the slots is used. */
const MAX_LOAD = 0.6;

/** Smallest table, in slots. Must be a power of two. */
const MIN_CAPACITY = 1 << 12;

/** Map a raw fingerprint to the non-zero key stored in the table. */
export function tableKey(fp: bigint): bigint {
  const key = BigInt.asUintN(64, fp);
  return key === 0n ? ZERO_FINGERPRINT_STANDIN : key;
}

/** The slot a key hashes to: its low bits mixed with its high bits (fingerprints are already well mixed). */
function homeSlot(key: bigint, mask: number): number {
  return (Number(key & 0xffffffffn) ^ Number(key >> 40n)) & mask;
}

/** Where the table's memory lives: `shared` for worker threads, `local` otherwise. */
export type FingerprintMemory = "local" | "shared";

/** The serialisable form of a shared table, posted to worker threads. */
export interface SharedFingerprintTable {
  /** Interleaved keys and parents, `2 * capacity` 64-bit words. */
  slots: SharedArrayBuffer;
  /** One 32-bit word: the number of keys stored. */
  count: SharedArrayBuffer;
}

/**
 * An open-addressing set of 64-bit fingerprints, each with the fingerprint of its parent.
 *
 * @example
 * ```ts
 * const seen = new FingerprintSet();
 * seen.insert(fp, null);      // true: new (an initial state)
 * seen.insert(fp, null);      // false: seen before
 * seen.parentOf(fp);          // null
 * ```
 */
export class FingerprintSet {
  private words: BigUint64Array;
  private counter: Uint32Array;
  private mask: number;
  private readonly memory: FingerprintMemory;

  /**
   * @param capacitySlots initial number of slots (rounded up to a power of two).
   * @param memory `shared` to place the table in SharedArrayBuffers (see {@link FingerprintSet.share}).
   */
  constructor(capacitySlots = MIN_CAPACITY, memory: FingerprintMemory = "local") {
    let capacity = MIN_CAPACITY;
    while (capacity < capacitySlots) capacity *= 2;
    this.memory = memory;
    this.words = allocateWords(capacity, memory);
    this.counter = memory === "shared" ? new Uint32Array(new SharedArrayBuffer(4)) : new Uint32Array(1);
    this.mask = capacity - 1;
  }

  /** Attach to a table created by another thread. */
  static attach(shared: SharedFingerprintTable): FingerprintSet {
    const set = new FingerprintSet(MIN_CAPACITY, "shared");
    set.words = new BigUint64Array(shared.slots);
    set.counter = new Uint32Array(shared.count);
    set.mask = set.words.length / 2 - 1;
    return set;
  }

  /** The buffers behind a shared table, to post to workers. */
  share(): SharedFingerprintTable {
    if (this.memory !== "shared") throw new Error("FingerprintSet.share: the table is not in shared memory");
    return { slots: this.words.buffer as SharedArrayBuffer, count: this.counter.buffer as SharedArrayBuffer };
  }

  /** Number of fingerprints stored. */
  get size(): number {
    return this.memory === "shared" ? Atomics.load(this.counter, 0) : this.counter[0];
  }

  /** Number of slots. */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Fraction of the slots in use. */
  get load(): number {
    return this.size / this.capacity;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.words.byteLength;
  }

  /**
   * Add `fp` with its parent link (`null` for an initial state) unless it is present. Returns true when it was new.
   *
   * A local table grows itself; a shared one must be grown by its owner between levels
   * ({@link FingerprintSet.needsGrowth}, {@link FingerprintSet.grow}), and throws if it fills up.
   */
  insert(fp: bigint, parentFp: bigint | null): boolean {
    return this.memory === "shared" ? this.insertShared(tableKey(fp), parentFp) : this.insertLocal(tableKey(fp), parentFp);
  }

  /** True when `fp` is present. */
  has(fp: bigint): boolean {
    return this.findSlot(tableKey(fp)) >= 0;
  }

  /**
   * The parent link stored with `fp`: the raw fingerprint of the state it was first reached from,
   * `null` for an initial state, `undefined` when `fp` is absent.
   */
  parentOf(fp: bigint): bigint | null | undefined {
    const slot = this.findSlot(tableKey(fp));
    if (slot < 0) return undefined;
    const parent = this.words[2 * slot + 1];
    return parent === 0n ? null : parent;
  }

  /** True when a shared table should be grown before more inserts. */
  needsGrowth(): boolean {
    return this.size > this.capacity * MAX_LOAD;
  }

  /** Rehash into a table with at least `minCapacitySlots` slots (default: twice the current). */
  grow(minCapacitySlots = this.capacity * 2): void {
    let capacity = this.capacity;
    while (capacity < minCapacitySlots) capacity *= 2;
    const old = this.words;
    this.words = allocateWords(capacity, this.memory);
    this.mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) {
      const key = old[i];
      if (key === 0n) continue;
      let slot = homeSlot(key, this.mask);
      while (this.words[2 * slot] !== 0n) slot = (slot + 1) & this.mask;
      this.words[2 * slot] = key;
      this.words[2 * slot + 1] = old[i + 1];
    }
  }

  private insertLocal(key: bigint, parentFp: bigint | null): boolean {
    const words = this.words;
    let slot = homeSlot(key, this.mask);
    for (;;) {
      const current = words[2 * slot];
      if (current === key) return false;
      if (current === 0n) break;
      slot = (slot + 1) & this.mask;
    }
    words[2 * slot] = key;
    words[2 * slot + 1] = parentLink(parentFp);
    this.counter[0]++;
    if (this.counter[0] > this.capacity * MAX_LOAD) this.grow();
    return true;
  }

  private insertShared(key: bigint, parentFp: bigint | null): boolean {
    const words = this.words;
    if (Atomics.load(this.counter, 0) >= this.capacity - 1) {
      throw new Error(`fingerprint table full (${this.capacity} slots); it must grow between levels`);
    }
    let slot = homeSlot(key, this.mask);
    for (;;) {
      const previous = Atomics.compareExchange(words, 2 * slot, 0n, key);
      if (previous === 0n) {
        // The parent word is only read after all workers have stopped, so a plain store is enough.
        Atomics.store(words, 2 * slot + 1, parentLink(parentFp));
        Atomics.add(this.counter, 0, 1);
        return true;
      }
      if (previous === key) return false;
      slot = (slot + 1) & this.mask;
    }
  }

  private findSlot(key: bigint): number {
    let slot = homeSlot(key, this.mask);
    for (;;) {
      const current = this.words[2 * slot];
      if (current === key) return slot;
      if (current === 0n) return -1;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Parent links are stored as table keys, with 0 meaning "initial state". */
function parentLink(parentFp: bigint | null): bigint {
  return parentFp === null ? 0n : tableKey(parentFp);
}

function allocateWords(capacity: number, memory: FingerprintMemory): BigUint64Array {
  const bytes = capacity * 2 * 8;
  return memory === "shared" ? new BigUint64Array(new SharedArrayBuffer(bytes)) : new BigUint64Array(bytes / 8);
}

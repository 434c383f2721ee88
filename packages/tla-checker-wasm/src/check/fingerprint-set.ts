/**
 * The set of fingerprints of the distinct states seen so far, with a parent link per state.
 *
 * Per state we keep 16 bytes: its 64-bit fingerprint and the fingerprint of the state it was first
 * reached from (0 for an initial state). The state objects themselves are not kept, so 10^7
 * distinct states cost about 270 MB at the load factor we allow; a counterexample is rebuilt from
 * the chain of fingerprints by re-running the model (see `reconstruct.ts`), as TLC does.
 *
 * Linear probing over 32-bit words, four per slot: key low, key high, parent low, parent high.
 * The hot path takes a key as two 32-bit halves, because BigInt arithmetic costs several hundred
 * nanoseconds per operation, more than the probe itself. Parent links are fingerprints rather
 * than slot indexes because slots move when the table grows.
 *
 * The same layout can live in a `SharedArrayBuffer`: worker threads then claim an empty slot with
 * one 64-bit `Atomics.compareExchange` on the key (so a state is claimed once), while probing with
 * plain 32-bit reads. A slot whose key shows a zero half may be half-written and is decided by
 * the compare-and-swap. Shared tables grow between BFS levels or while every worker is paused
 * (see `parallel.ts`).
 *
 * @module
 */

/** The slot layout relies on a 64-bit word's low half coming first in memory. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A fingerprint of 0 would look like an empty slot, so it is stored under this one. */
const ZERO_STANDIN_LO = 0x7f4a7c15;
const ZERO_STANDIN_HI = 0x9e3779b9;
const ZERO_STANDIN = (BigInt(ZERO_STANDIN_HI) << 32n) | BigInt(ZERO_STANDIN_LO);

/** Grow when this fraction of the slots is used. */
const MAX_LOAD = 0.6;

/** Smallest table, in slots. Must be a power of two. */
const MIN_CAPACITY = 1 << 12;

/** Map a raw fingerprint to the non-zero 64-bit key stored in the table. */
export function tableKey(fp: bigint): bigint {
  const key = BigInt.asUintN(64, fp);
  return key === 0n ? ZERO_STANDIN : key;
}

/** A table key split into 32-bit halves (written into `out` to avoid allocating). */
export function splitKey(key: bigint, out: Uint32Array): void {
  const k = tableKey(key);
  out[0] = Number(k & 0xffffffffn);
  out[1] = Number(k >> 32n);
}

/** Join 32-bit halves into a table key. */
export function joinKey(lo: number, hi: number): bigint {
  return tableKey((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

/** The slot a key hashes to (fingerprints are already well mixed). */
function homeSlot(lo: number, hi: number, mask: number): number {
  return (lo ^ (hi >>> 11)) & mask;
}

/** Where the table's memory lives: `shared` for worker threads, `local` otherwise. */
export type FingerprintMemory = "local" | "shared";

/** The serialisable form of a shared table, posted to worker threads. */
export interface SharedFingerprintTable {
  /** Four 32-bit words per slot. */
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
  private words: Uint32Array;
  private words64: BigUint64Array;
  private counter: Uint32Array;
  private mask: number;
  private readonly memory: FingerprintMemory;
  private readonly scratch = new Uint32Array(4);

  /**
   * @param capacitySlots initial number of slots (rounded up to a power of two).
   * @param memory `shared` to place the table in SharedArrayBuffers (see {@link FingerprintSet.share}).
   */
  constructor(capacitySlots = MIN_CAPACITY, memory: FingerprintMemory = "local") {
    if (!LITTLE_ENDIAN) throw new Error("FingerprintSet needs a little-endian platform");
    let capacity = MIN_CAPACITY;
    while (capacity < capacitySlots) capacity *= 2;
    this.memory = memory;
    this.words = allocateWords(capacity, memory);
    this.words64 = new BigUint64Array(this.words.buffer);
    this.counter = memory === "shared" ? new Uint32Array(new SharedArrayBuffer(4)) : new Uint32Array(1);
    this.mask = capacity - 1;
  }

  /** Attach to a table created by another thread. */
  static attach(shared: SharedFingerprintTable): FingerprintSet {
    const set = new FingerprintSet(MIN_CAPACITY, "shared");
    set.words = new Uint32Array(shared.slots);
    set.words64 = new BigUint64Array(shared.slots);
    set.counter = new Uint32Array(shared.count);
    set.mask = set.words.length / 4 - 1;
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

  /** Bytes held by the table. */
  get bytes(): number {
    return this.words.byteLength;
  }

  /**
   * Add `fp` with its parent link (`null` for an initial state) unless it is present. Returns
   * true when it was new. Convenience form of {@link FingerprintSet.insertParts}.
   */
  insert(fp: bigint, parentFp: bigint | null): boolean {
    const s = this.scratch;
    splitKey(fp, s);
    if (parentFp === null) {
      s[2] = 0;
      s[3] = 0;
    } else {
      const p = tableKey(parentFp);
      s[2] = Number(p & 0xffffffffn);
      s[3] = Number(p >> 32n);
    }
    return this.insertParts(s[0], s[1], s[2], s[3]);
  }

  /**
   * Add the key `(lo, hi)` (from {@link splitKey}: never both zero) with the parent key
   * `(parentLo, parentHi)` (both zero for an initial state). Returns true when it was new.
   *
   * A local table grows itself; a shared one must be grown by its owner when
   * {@link FingerprintSet.needsGrowth} says so, and throws rather than overfill.
   */
  insertParts(lo: number, hi: number, parentLo: number, parentHi: number): boolean {
    return this.memory === "shared" ? this.insertShared(lo, hi, parentLo, parentHi) : this.insertLocal(lo, hi, parentLo, parentHi);
  }

  /** True when `fp` is present. */
  has(fp: bigint): boolean {
    return this.findSlot(fp) >= 0;
  }

  /**
   * The parent link stored with `fp`: the key of the state it was first reached from, `null` for
   * an initial state, `undefined` when `fp` is absent.
   */
  parentOf(fp: bigint): bigint | null | undefined {
    const slot = this.findSlot(fp);
    if (slot < 0) return undefined;
    const lo = this.words[4 * slot + 2];
    const hi = this.words[4 * slot + 3];
    return lo === 0 && hi === 0 ? null : joinKey(lo, hi);
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
    const words = allocateWords(capacity, this.memory);
    const mask = capacity - 1;
    for (let i = 0; i < old.length; i += 4) {
      const lo = old[i];
      const hi = old[i + 1];
      if (lo === 0 && hi === 0) continue;
      let slot = homeSlot(lo, hi, mask);
      while (words[4 * slot] !== 0 || words[4 * slot + 1] !== 0) slot = (slot + 1) & mask;
      const b = 4 * slot;
      words[b] = lo;
      words[b + 1] = hi;
      words[b + 2] = old[i + 2];
      words[b + 3] = old[i + 3];
    }
    this.words = words;
    this.words64 = new BigUint64Array(words.buffer);
    this.mask = mask;
  }

  private insertLocal(lo: number, hi: number, parentLo: number, parentHi: number): boolean {
    const words = this.words;
    const mask = this.mask;
    let slot = homeSlot(lo, hi, mask);
    for (;;) {
      const b = slot << 2;
      const klo = words[b];
      const khi = words[b + 1];
      if (klo === lo && khi === hi) return false;
      if (klo === 0 && khi === 0) {
        words[b] = lo;
        words[b + 1] = hi;
        words[b + 2] = parentLo;
        words[b + 3] = parentHi;
        break;
      }
      slot = (slot + 1) & mask;
    }
    this.counter[0]++;
    if (this.counter[0] > this.capacity * MAX_LOAD) this.grow();
    return true;
  }

  private insertShared(lo: number, hi: number, parentLo: number, parentHi: number): boolean {
    const words = this.words;
    const mask = this.mask;
    if (Atomics.load(this.counter, 0) >= mask) {
      throw new Error(`fingerprint table full (${this.capacity} slots); it must grow first`);
    }
    let key = 0n;
    let slot = homeSlot(lo, hi, mask);
    for (;;) {
      const b = slot << 2;
      const klo = words[b];
      const khi = words[b + 1];
      const settled = klo !== 0 && khi !== 0;
      if (settled && klo === lo && khi === hi) return false;
      if (!settled) {
        // Empty, half-written, or a key with a zero half: let one 64-bit CAS decide.
        if (key === 0n) key = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
        const previous = Atomics.compareExchange(this.words64, slot << 1, 0n, key);
        if (previous === 0n) {
          // Parent words are read only after every worker has stopped.
          words[b + 2] = parentLo;
          words[b + 3] = parentHi;
          Atomics.add(this.counter, 0, 1);
          return true;
        }
        if (previous === key) return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  private findSlot(fp: bigint): number {
    const s = this.scratch;
    splitKey(fp, s);
    const lo = s[0];
    const hi = s[1];
    let slot = homeSlot(lo, hi, this.mask);
    for (;;) {
      const klo = this.words[4 * slot];
      const khi = this.words[4 * slot + 1];
      if (klo === lo && khi === hi) return slot;
      if (klo === 0 && khi === 0) return -1;
      slot = (slot + 1) & this.mask;
    }
  }
}

function allocateWords(capacity: number, memory: FingerprintMemory): Uint32Array {
  const bytes = capacity * 16;
  return memory === "shared" ? new Uint32Array(new SharedArrayBuffer(bytes)) : new Uint32Array(bytes / 4);
}

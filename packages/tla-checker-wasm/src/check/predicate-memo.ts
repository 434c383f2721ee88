/**
 * Results of pure predicates remembered by the values of the variables they read.
 *
 * A pure predicate (no Print, TLCGet, RandomElement, ...) evaluated on a state reads some of its
 * variables; on any other state whose variables at those slots are equal values, the evaluation
 * reads the same values, takes the same path and gives the same result. Invariants of protocol
 * specs read a few variables each (`LogMatching` reads `log` and `snapshot`), and most steps
 * change others (the message set, a vote), so the same few combinations come back on tens of
 * thousands of states: the memo answers those without evaluating.
 *
 * The slots a memo keys on are a {@link ReadsMemo.row} that the evaluations themselves fill in
 * (the core sets `row[slot] = 1` for every variable read; see `StatePredicate.holdsReading`).
 * Rows only grow. An entry is remembered under the row as it is after its evaluation, which
 * covers everything that evaluation read; when the row has grown since (a later evaluation took
 * another path), the memo starts over keyed on the larger row, so a hit always means equality on
 * a superset of the slots the remembered evaluation read. Rows may be shared with other threads
 * (a SharedArrayBuffer): the comparison with the memo's copy happens on every lookup.
 *
 * Two values at a slot match when they have the same 64-bit hash: the
 * hash the fingerprint table already identifies states by (a state is a tuple of such hashes), so
 * the memo adds no kind of error the search does not already accept, and comparing equal values
 * that are distinct objects (a rebuilt message set) costs two integer comparisons, not a walk.
 * A memo that rarely hits (the predicate reads variables that change on almost every step) turns
 * itself off after a window of lookups with few hits, so it costs little where it cannot help; one
 * that grows past its capacity (16,384 entries) starts over.
 *
 * @module
 */
import type { State, Value, ValueOps } from "../model.js";

/** Values hashed into two 32-bit halves (the core's fast path); the memo needs only `fingerprint` otherwise. */
type HashingOps = ValueOps & { fingerprintInto?(v: Value, out: Uint32Array): void };

/**
 * A memo whose hit rate over a window of this many lookups is below {@link MIN_HIT_RATE} turns
 * itself off (every window is judged: the combinations a predicate sees change as the search
 * goes deeper).
 */
const TRIAL = 2048;
const MIN_HIT_RATE = 0.25;
/**
 * Entries after which a memo starts over. An entry costs about 200 bytes; a model has a memo per
 * invariant conjunct, constraint conjunct and action property (MCLamportMutex: 65,536 entries
 * each added 147 MB of peak RSS), while a protocol's combinations of logs or terms are a few
 * thousand.
 */
const DEFAULT_CAPACITY = 1 << 14;

/** Slots of a memo's table when it starts (it doubles up to twice its capacity). */
const INITIAL_SLOTS = 64;

/**
 * Answers of one pure predicate, by the values at the slots its evaluations read.
 *
 * The entries live in one open-addressing table of 32-bit words, no object per entry: an entry is
 * its answer (1 true, 2 false; 0 marks a free place) followed by the 64-bit hashes of the values
 * at the keyed slots, low and high halves interleaved. Only hashes are kept, not the values:
 * holding them would keep every explored state's values alive (with the values,
 * MCLamportMutex's peak RSS went from 535 MB to 959 MB).
 */
export class ReadsMemo {
  /** Lookups answered from the memo. */
  hits = 0;
  /** Lookups made. */
  lookups = 0;
  /** False once a window of lookups showed the memo does not pay. */
  enabled = true;
  private windowLookups = 0;
  private windowHits = 0;
  private readonly values: HashingOps;
  private readonly capacity: number;
  /** The rows (one per state the predicate reads: one, or two for an action) the entries are keyed on. */
  private readonly rows: Uint8Array[];
  /** Copies of {@link ReadsMemo.rows} as the entries were keyed. */
  private readonly seen: Uint8Array[];
  /** The keyed slots, flattened: key `k` is variable `keySlot[k]` of state `keyRow[k]`. */
  private keyRow = new Int32Array(0);
  private keySlot = new Int32Array(0);
  /** Words per entry: the answer, then two per key. */
  private stride = 1;
  /** The entries, `stride` words each; its number of entries is a power of two. */
  private table = new Int32Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private size = 0;
  private readonly scratch = new Uint32Array(2);
  /** The hashes of the values last looked up, low and high halves interleaved. */
  private keyHashes = new Int32Array(0);
  /** The combined hash of the last lookup, and the states it was for (reused by `remember`). */
  private lastHash = 0;
  private last0: State | null = null;
  private last1: State | null = null;

  /**
   * `rows`: one row of `nVars` bytes per state argument of the predicate, filled in by its
   * evaluations (a state predicate has one; an action predicate two: unprimed and primed reads).
   */
  constructor(values: ValueOps, rows: Uint8Array[], capacity = DEFAULT_CAPACITY) {
    this.values = values as HashingOps;
    this.rows = rows;
    this.seen = rows.map((r) => new Uint8Array(r.length));
    this.capacity = capacity;
  }

  /**
   * The remembered result for `states` (as many as rows: `[state]` or `[from, to]`), or
   * undefined when none is remembered.
   */
  lookup(states: readonly State[]): boolean | undefined {
    if (!this.enabled) return undefined;
    this.sync();
    this.lookups++;
    if (++this.windowLookups === TRIAL) {
      if (this.windowHits < TRIAL * MIN_HIT_RATE) {
        this.enabled = false;
        this.table = new Int32Array(0);
        this.size = 0;
        this.last0 = this.last1 = null;
        return undefined;
      }
      this.windowLookups = 0;
      this.windowHits = 0;
    }
    const at = this.find(this.hashOf(states));
    const answer = this.table[at]!;
    if (answer === 0) return undefined;
    this.hits++;
    this.windowHits++;
    return answer === 1;
  }

  /** Remember `result` for `states`, just evaluated (the rows now cover what it read). */
  remember(states: readonly State[], result: boolean): void {
    if (!this.enabled) return;
    const grew = this.sync();
    if (this.size >= this.capacity) this.clear(INITIAL_SLOTS);
    // The hashes of the lookup just before are still good unless the keyed slots changed.
    const h = !grew && this.last0 === states[0] && this.last1 === (states.length > 1 ? states[1] : null) ? this.lastHash : this.hashOf(states);
    if (2 * (this.size + 1) > this.mask + 1) this.resize(2 * (this.mask + 1));
    const at = this.find(h);
    if (this.table[at] === 0) this.size++;
    this.table[at] = result ? 1 : 2;
    this.table.set(this.keyHashes, at + 1);
  }

  /**
   * The word offset of the entry for the hashes in {@link ReadsMemo.keyHashes} (combined hash
   * `h`), or of the free place where it would go.
   */
  private find(h: number): number {
    const table = this.table;
    const hs = this.keyHashes;
    const stride = this.stride;
    const mask = this.mask;
    const n = hs.length;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = i * stride;
      if (table[at] === 0) return at;
      let k = 0;
      while (k < n && table[at + 1 + k] === hs[k]) k++;
      if (k === n) return at;
    }
  }

  /** Empty the table, `slots` entries long. */
  private clear(slots: number): void {
    this.table = new Int32Array(slots * this.stride);
    this.mask = slots - 1;
    this.size = 0;
  }

  /** Move the entries to a table of `slots` entries. */
  private resize(slots: number): void {
    const old = this.table;
    const stride = this.stride;
    const saved = this.keyHashes;
    this.clear(slots);
    this.keyHashes = new Int32Array(stride - 1);
    for (let at = 0; at < old.length; at += stride) {
      if (old[at] === 0) continue;
      this.keyHashes.set(old.subarray(at + 1, at + stride));
      const to = this.find(this.combine());
      this.table.set(old.subarray(at, at + stride), to);
      this.size++;
    }
    this.keyHashes = saved;
  }

  /** Bring the copies up to date with the rows; true (and the memo emptied) when a row grew. */
  private sync(): boolean {
    let grew = false;
    for (let r = 0; r < this.rows.length && !grew; r++) {
      const row = this.rows[r]!;
      const seen = this.seen[r]!;
      for (let i = 0; i < row.length; i++) {
        if (row[i] !== seen[i]) {
          grew = true;
          break;
        }
      }
    }
    if (!grew) return false;
    const keyRow: number[] = [];
    const keySlot: number[] = [];
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r]!;
      const seen = this.seen[r]!;
      for (let i = 0; i < row.length; i++) {
        seen[i] = row[i]!;
        if (seen[i] !== 0) {
          keyRow.push(r);
          keySlot.push(i);
        }
      }
    }
    this.keyRow = Int32Array.from(keyRow);
    this.keySlot = Int32Array.from(keySlot);
    this.keyHashes = new Int32Array(2 * keySlot.length);
    this.stride = 1 + 2 * keySlot.length;
    this.clear(INITIAL_SLOTS);
    this.last0 = this.last1 = null;
    return true;
  }

  /** Hash the values at the keyed slots into {@link ReadsMemo.keyHashes}; their combined hash. */
  private hashOf(states: readonly State[]): number {
    const out = this.scratch;
    const values = this.values;
    const keyRow = this.keyRow;
    const keySlot = this.keySlot;
    const hs = this.keyHashes;
    for (let k = 0; k < keySlot.length; k++) {
      const v = states[keyRow[k]!]![keySlot[k]!];
      let lo: number;
      let hi: number;
      if (values.fingerprintInto) {
        values.fingerprintInto(v, out);
        lo = out[0]! | 0;
        hi = out[1]! | 0;
      } else {
        const fp = values.fingerprint(v);
        lo = Number(fp & 0xffffffffn) | 0;
        hi = Number(fp >> 32n) | 0;
      }
      hs[2 * k] = lo;
      hs[2 * k + 1] = hi;
    }
    const h = this.combine();
    this.lastHash = h;
    this.last0 = states[0]!;
    this.last1 = states.length > 1 ? states[1]! : null;
    return h;
  }

  /** The table position hash of the hashes in {@link ReadsMemo.keyHashes}. */
  private combine(): number {
    const hs = this.keyHashes;
    const keyRow = this.keyRow;
    let h = 0x2f6b1c3d;
    for (let k = 0; k < keyRow.length; k++) {
      h = Math.imul(h ^ hs[2 * k]! ^ Math.imul(hs[2 * k + 1]!, 0x27d4eb2f) ^ keyRow[k]!, 0x9e3779b1);
      h = (h << 13) | (h >>> 19);
    }
    // Murmur3's finaliser: the low bits pick the place.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h | 0;
  }
}

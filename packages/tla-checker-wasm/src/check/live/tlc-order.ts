/**
 * The order in which TLC stores a state's successors in its liveness graph, reproduced so that
 * our lassos can equal TLC's.
 *
 * TLC puts the in-model successors of a state, then the state itself (the stuttering step), into
 * a small open-addressing hash set keyed by each state's 64-bit fingerprint (its `SetOfStates`),
 * and adds the graph's edges in the order of that table. The table index depends on TLC's own
 * fingerprint, an FP64 polynomial hash over TLC's serialisation of the values; TLC picks the
 * polynomial at random per run unless given `-fp N`, so its lassos are reproducible only with a
 * pinned `-fp`. We compute the same fingerprints for polynomial 0 (`-fp 0`).
 *
 * Exact for integers, booleans, strings, finite sets, functions, tuples, sequences and records
 * (the element and domain orders are TLC's: see `values/compare.ts`), and for model values of the
 * cfg: TLC hashes a model value by the number of its token in its intern table, which
 * `modules/tlc-intern.ts` rebuilds (the cfg's values come first, numbered 1, 2, ...). A model value
 * made later (`TLCModelValue`) gets TLC's number only if every name before it was interned as TLC
 * does, so its lasso may differ.
 *
 * TLC fingerprints the variables in its own order, not the declaration order: the order of the
 * root module's symbol table (see `modules/tlc-variable-order.ts`), which it prints them in too.
 *
 * @module
 */
import type { State, Value } from "../../model.js";
import { intern } from "../../values/compare.js";
import { Fcn, LazyFcn, ModelValue, SetValue, type Val } from "../../values/value.js";

/** FP64's irreducible polynomial number 0 (TLC's `FP64.Polys[0]`, used by `-fp 0`). */
const POLY0 = 0x911498ae0e66bad6n;

/** Low and high 32-bit halves of FP64's byte table for a polynomial. */
function byteTable(poly: bigint): { lo: Uint32Array; hi: Uint32Array } {
  const mask = (1n << 64n) - 1n;
  const powers: bigint[] = [];
  let t = 1n << 63n;
  for (let i = 0; i < 72; i++) {
    powers.push(t);
    t = (t >> 1n) ^ ((t & 1n) !== 0n ? poly : 0n);
  }
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let j = 0; j < 256; j++) {
    let v = 0n;
    for (let k = 0; k < 8; k++) if ((j & (1 << k)) !== 0) v ^= powers[71 - k]!;
    v &= mask;
    lo[j] = Number(v & 0xffffffffn);
    hi[j] = Number(v >> 32n);
  }
  return { lo, hi };
}

// TLC's value type tags, the first byte of each value's fingerprint.
const BOOL = 0;
const INT = 1;
const STRING = 3;
const SET = 5;
const FCN = 9;
const MODEL_VALUE = 21;

/** Thrown for a value TLC's fingerprint is not reproduced for (the caller falls back). */
class NotFingerprintable extends Error {}

/** TLC's FP64 fingerprints of states, as needed for the successor order (low 32 bits). */
export class TlcFingerprint {
  private readonly tlo: Uint32Array;
  private readonly thi: Uint32Array;
  private readonly polyLo: number;
  private readonly polyHi: number;
  private readonly order: number[] | null;
  private lo = 0;
  private hi = 0;

  /** `order`: the slots in TLC's variable order (omit to fingerprint slots in order). */
  constructor(order?: readonly number[]) {
    const t = byteTable(POLY0);
    this.tlo = t.lo;
    this.thi = t.hi;
    this.polyLo = Number(POLY0 & 0xffffffffn);
    this.polyHi = Number(POLY0 >> 32n);
    this.order = order ? [...order] : null;
  }

  /** Low 32 bits of TLC's fingerprint of `state`, or null if not reproducible. */
  stateLow(state: State): number | null {
    this.lo = this.polyLo;
    this.hi = this.polyHi;
    try {
      if (this.order) for (const i of this.order) this.value(state[i] as Val);
      else for (const v of state) this.value(v as Val);
    } catch (err) {
      if (err instanceof NotFingerprintable) return null;
      throw err;
    }
    return this.lo >>> 0;
  }

  /**
   * Low 32 bits of TLC's fingerprint of a single value, as TLC fingerprints a state under a VIEW
   * (the view's value from FP64's starting point), or null if not reproducible.
   */
  valueLow(v: Value): number | null {
    this.lo = this.polyLo;
    this.hi = this.polyHi;
    try {
      this.value(v as Val);
    } catch (err) {
      if (err instanceof NotFingerprintable) return null;
      throw err;
    }
    return this.lo >>> 0;
  }

  private byte(b: number): void {
    const i = (b ^ this.lo) & 0xff;
    const lo = ((this.lo >>> 8) | (this.hi << 24)) >>> 0;
    const hi = this.hi >>> 8;
    this.lo = (lo ^ this.tlo[i]!) >>> 0;
    this.hi = (hi ^ this.thi[i]!) >>> 0;
  }

  private int(x: number): void {
    this.byte(x & 0xff);
    this.byte((x >>> 8) & 0xff);
    this.byte((x >>> 16) & 0xff);
    this.byte((x >>> 24) & 0xff);
  }

  private string(s: string): void {
    this.byte(STRING);
    this.int(s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i) & 0xff);
  }

  private value(v: Val): void {
    switch (typeof v) {
      case "boolean":
        this.byte(BOOL);
        this.byte(v ? 0x74 : 0x66); // 't' / 'f'
        return;
      case "number":
        if (!Number.isInteger(v)) throw new NotFingerprintable();
        this.byte(INT);
        this.int(v | 0);
        return;
      case "string":
        this.string(v);
        return;
      default:
        break;
    }
    if (v instanceof SetValue) {
      if (!v.finite) throw new NotFingerprintable();
      const elems = v.elems();
      this.byte(SET);
      this.int(elems.length);
      for (const e of elems) this.value(e);
      return;
    }
    if (v instanceof LazyFcn) return this.value(v.force());
    if (v instanceof Fcn) {
      // Tuples, sequences and records fingerprint as functions over their (sorted) domain.
      this.byte(FCN);
      this.int(v.dom.length);
      for (let i = 0; i < v.dom.length; i++) {
        this.value(v.dom[i]!);
        this.value(v.rng[i]!);
      }
      return;
    }
    if (v instanceof ModelValue) {
      this.byte(MODEL_VALUE);
      this.int(intern(v.name));
      return;
    }
    throw new NotFingerprintable();
  }
}

/**
 * TLC's successor-set order for one state after another, as its model-checking worker builds
 * them: each set starts with capacity `16 * multiplier` and the multiplier grows whenever a set
 * outgrew it (so later sets start bigger).
 */
export class SuccessorSetOrder {
  private multiplier = 1;

  /**
   * The order TLC iterates a set into which `keys` (low fingerprint halves, TLC's) were put in
   * turn, where `same(i, j)` tells whether entries i and j are the same state (a later duplicate is
   * not added). Returns the indices of the entries kept, in table order.
   */
  order(keys: readonly number[], same: (i: number, j: number) => boolean): number[] {
    let length = 16 * this.multiplier;
    let thresh = length >> 1;
    let table = new Int32Array(length).fill(-1);
    let count = 0;
    const insert = (i: number): void => {
      let loc = (keys[i]! & 0x7fffffff) % length;
      for (;;) {
        const at = table[loc]!;
        if (at === -1) {
          table[loc] = i;
          count++;
          return;
        }
        if (same(at, i)) return;
        loc = (loc + 1) % length;
      }
    };
    for (let i = 0; i < keys.length; i++) {
      if (count >= thresh) {
        const old = table;
        length = 2 * length + 1;
        thresh = length >> 1;
        table = new Int32Array(length).fill(-1);
        count = 0;
        for (const at of old) if (at !== -1) insert(at);
      }
      insert(i);
    }
    if (length > 16 * this.multiplier) this.multiplier++;
    const out: number[] = [];
    for (const at of table) if (at !== -1) out.push(at);
    return out;
  }
}

/**
 * Symmetry reduction without building permuted states.
 *
 * A SYMMETRY model stores every state under a key that all states of its orbit share. TLC takes
 * the smallest permuted state and fingerprints it; building each permuted state (re-sorting
 * every set and function domain the permutation moves) was 40% of the time on specs/raft. Here
 * the key is the smallest, over the group, of an orbit-friendly hash: functions and sets
 * containing model values are hashed as the SUM of a strong mix of their (key, value) pairs or
 * elements, which needs no canonical order, so the hash of a permuted value is computed from
 * the hashes of its permuted parts without sorting or allocating anything. A value in which no
 * model value occurs is its own image under every permutation and keeps its ordinary cached
 * hash (`modelValueFree` is cached on the value, so shared sub-values cost one field read).
 *
 * Any function of the orbit is a valid key (each orbit is counted once), so the distinct and
 * generated counts are TLC's; only the keys differ from TLC's, and the keys of a SYMMETRY model
 * are never compared with TLC's (liveness checking, which reproduces TLC's fingerprints, does not
 * apply symmetry).
 *
 * @module
 */
import type { State } from "../model.js";
import { Fcn, LazyFcn, ModelValue, SetValue, ValueError, hashHi, hashLo, mix32, type Val } from "./value.js";

/** A permutation of model values as the engine holds it: (from, to) pairs of moved values. */
export type Permutation = ReadonlyArray<readonly [unknown, unknown]>;

/**
 * Groups up to this size keep each value's hashes under every permutation on the value itself
 * (2 words per permutation), so a sub-value shared between states is hashed once per group.
 * Larger groups recompute them, to bound memory.
 */
const CACHE_MAX_GROUP = 64;

let nextOwner = 1;

// The hash of the last value `hashesOf` found to be the same under every permutation.
let fixedLo = 0;
let fixedHi = 0;

const FCN_TAG = 0x3c6ef372;
const SET_TAG = 0x510e527f;

/**
 * The key of a state under a symmetry group: the smallest (high half first, unsigned) of its
 * orbit-friendly hashes over the group, the identity included.
 *
 * Hashes of a value under the group are kept in an Int32Array: word 0 names the group (values may
 * outlive a model), then the low and high halves for each permutation, the identity first.
 */
export class SymmetricKeys {
  private readonly owner = nextOwner++;
  private readonly index = new Map<ModelValue, number>();
  /** Per moved model value, its images' hashes in the layout above. */
  private readonly images: Int32Array[] = [];
  /** Number of permutations, the identity included. */
  private readonly size: number;
  private readonly cache: boolean;

  /** `group`: the permutations of the group other than the identity, as (from, to) pairs. */
  constructor(group: readonly Permutation[]) {
    const moved: ModelValue[] = [];
    for (const perm of group) {
      for (const [from] of perm) {
        if (from instanceof ModelValue && !this.index.has(from)) {
          this.index.set(from, moved.length);
          moved.push(from);
        }
      }
    }
    const perms: (Permutation | null)[] = [null, ...group];
    this.size = perms.length;
    this.cache = this.size <= CACHE_MAX_GROUP;
    for (const mv of moved) {
      const h = new Int32Array(1 + 2 * this.size);
      h[0] = this.owner;
      perms.forEach((perm, p) => {
        let to: ModelValue = mv;
        if (perm) for (const [from, image] of perm) if (from === mv && image instanceof ModelValue) to = image;
        h[1 + 2 * p] = to.hash;
        h[2 + 2 * p] = to.hashHi;
      });
      this.images.push(h);
    }
  }

  /**
   * The hashes of `v` under every permutation, or null when no permutation moves it (its hash,
   * the same under all, is then in `fixedLo`/`fixedHi`).
   */
  private hashesOf(v: Val): Int32Array | null {
    switch (typeof v) {
      case "number":
      case "boolean":
      case "string":
        fixedLo = hashLo(v);
        fixedHi = hashHi();
        return null;
      default:
        break;
    }
    if (v instanceof ModelValue) {
      const i = this.index.get(v);
      if (i !== undefined) return this.images[i]!;
      fixedLo = v.hash;
      fixedHi = v.hashHi;
      return null;
    }
    if (v instanceof LazyFcn) v = v.force();
    if (v instanceof Fcn || v instanceof SetValue) {
      if (v.modelValueFree) {
        fixedLo = v.hash;
        fixedHi = v.hashHi;
        return null;
      }
      const known = v.symHashes;
      if (known !== undefined && known[0] === this.owner) return known;
      const h = v instanceof Fcn ? this.fcnHashes(v) : this.setHashes(v);
      if (this.cache) v.symHashes = h;
      return h;
    }
    throw new ValueError("an operator is not a value");
  }

  /** A function: the sum of a strong mix of its (key, value) pairs, per permutation. */
  private fcnHashes(f: Fcn): Int32Array {
    const n = this.size;
    const out = new Int32Array(1 + 2 * n);
    const dom = f.dom;
    const rng = f.rng;
    for (let i = 0; i < dom.length; i++) {
      const a = this.hashesOf(dom[i]!);
      const aLo0 = fixedLo;
      const aHi0 = fixedHi;
      const b = this.hashesOf(rng[i]!);
      const bLo0 = fixedLo;
      const bHi0 = fixedHi;
      for (let p = 0; p < n; p++) {
        const aLo = a === null ? aLo0 : a[1 + 2 * p]!;
        const aHi = a === null ? aHi0 : a[2 + 2 * p]!;
        const bLo = b === null ? bLo0 : b[1 + 2 * p]!;
        const bHi = b === null ? bHi0 : b[2 + 2 * p]!;
        // A pair is mixed asymmetrically (k |-> v differs from v |-> k) into 64 well-spread bits.
        let x = mix32(aLo ^ Math.imul(bHi, 0x9e3779b1) ^ 0x632be5ab);
        const y = mix32(aHi ^ Math.imul(bLo, 0x85ebca77) ^ x);
        x = mix32(x ^ Math.imul(y, 0xc2b2ae3d));
        out[1 + 2 * p] = (out[1 + 2 * p]! + x) | 0;
        out[2 + 2 * p] = (out[2 + 2 * p]! + y) | 0;
      }
    }
    return this.finish(out, dom.length, FCN_TAG);
  }

  /** A set: the sum of a strong mix of its elements, per permutation. */
  private setHashes(s: SetValue): Int32Array {
    const n = this.size;
    const out = new Int32Array(1 + 2 * n);
    const xs = s.elems();
    for (let i = 0; i < xs.length; i++) {
      const a = this.hashesOf(xs[i]!);
      const aLo0 = fixedLo;
      const aHi0 = fixedHi;
      for (let p = 0; p < n; p++) {
        const aLo = a === null ? aLo0 : a[1 + 2 * p]!;
        const aHi = a === null ? aHi0 : a[2 + 2 * p]!;
        let x = mix32(aLo ^ Math.imul(aHi, 0xcc9e2d51) ^ 0x1b873593);
        const y = mix32(aHi ^ Math.imul(x, 0x85ebca6b) ^ 0x7a3c1d2e);
        x = mix32(x ^ Math.imul(y, 0x27d4eb2f));
        out[1 + 2 * p] = (out[1 + 2 * p]! + x) | 0;
        out[2 + 2 * p] = (out[2 + 2 * p]! + y) | 0;
      }
    }
    return this.finish(out, xs.length, SET_TAG);
  }

  private finish(out: Int32Array, count: number, tag: number): Int32Array {
    for (let p = 0; p < this.size; p++) {
      const lo = mix32(out[1 + 2 * p]! ^ Math.imul(count, 0x27d4eb2f) ^ tag);
      out[2 + 2 * p] = mix32(out[2 + 2 * p]! ^ Math.imul(lo, 0x165667b1) ^ count ^ tag);
      out[1 + 2 * p] = lo;
    }
    out[0] = this.owner;
    return out;
  }

  /** Write the key of `state` into `out` (`out[0]` low, `out[1]` high, unsigned halves). */
  stateInto(state: State, out: Uint32Array): void {
    const nVars = state.length;
    const hashes: (Int32Array | null)[] = new Array(nVars);
    const fixed = new Int32Array(2 * nVars);
    for (let i = 0; i < nVars; i++) {
      hashes[i] = this.hashesOf(state[i] as Val);
      fixed[2 * i] = fixedLo;
      fixed[2 * i + 1] = fixedHi;
    }
    let bestLo = 0;
    let bestHi = 0;
    for (let p = 0; p < this.size; p++) {
      let a = 0x6a09e667;
      let b = 0x3c6ef372;
      for (let i = 0; i < nVars; i++) {
        const h = hashes[i]!;
        const lo = h === null ? fixed[2 * i]! : h[1 + 2 * p]!;
        const hi = h === null ? fixed[2 * i + 1]! : h[2 + 2 * p]!;
        a = Math.imul(a ^ lo, 0x9e3779b1);
        a = (a << 15) | (a >>> 17);
        b = Math.imul(b ^ hi, 0x85ebca77);
        b = ((b << 13) | (b >>> 19)) + a;
      }
      const lo = mix32(a ^ Math.imul(b, 0x27d4eb2f)) >>> 0;
      const hi = mix32(b ^ nVars) >>> 0;
      if (p === 0 || hi < bestHi || (hi === bestHi && lo < bestLo)) {
        bestLo = lo;
        bestHi = hi;
      }
    }
    out[0] = bestLo;
    out[1] = bestHi;
  }
}

/**
 * The core's value representation. Small integers are JS numbers, booleans are booleans,
 * strings are JS strings; model values, sets and functions are small immutable classes that
 * cache their hash. Records, tuples and sequences are all {@link Fcn}s (as in TLA+), so a
 * record equals the function with the same string domain and `<<1, 2>>` equals
 * `[i \in 1..2 |-> ...]` with no special cases.
 *
 * @module
 */

/** A TLA+ value as the core sees it. */
export type Val = number | boolean | string | ModelValue | SetValue | Fcn | LazyFcn | OpValue;

/** An error raised by a value operation; the evaluator adds the source location. */
export class ValueError extends Error {
  constructor(
    message: string,
    /**
     * `assert`: a failed `Assert` (TLC's own exit status), not a type or domain error;
     * `unsupported`: an operator whose TLC meaning tla-check does not give, refused by name.
     */
    readonly kind: "eval" | "assert" | "unsupported" = "eval",
  ) {
    super(message);
    this.name = "ValueError";
  }
}

/** A model value (cfg `CONSTANT p = p` or `{p1, p2}`): equal only to itself. */
export class ModelValue {
  /** Low half of the hash, computed once from the name. */
  readonly hash: number;
  /** High half of the hash. */
  readonly hashHi: number;
  /** Scratch of `compare.ts`: the name's rank in TLC's token order of the table {@link rankTable}. */
  rank = -1;
  /** The {@link ProcessState} id whose table {@link rank} is from (0: none yet). */
  rankTable = 0;
  constructor(readonly name: string) {
    this.hash = hashString(name) ^ 0x5bd1e995;
    this.hashHi = lastHi ^ 0x0d1e995b;
  }
}

/**
 * A set. Finite enumerable sets have a canonical sorted element array ({@link SetValue.elems});
 * the lazy forms (intervals, SUBSET, `[S -> T]`, Nat, Seq(S), ...) answer membership without
 * enumerating and enumerate only when they must.
 */
export abstract class SetValue {
  private cachedHash = 0;
  private cachedHi = 0;
  private hashed = false;
  /** Whether a model value occurs in the set: 0 not known yet, 1 none, 2 some. */
  private modelValues = 0;
  /** Scratch of `symmetry.ts`: the set's hashes under each permutation of one symmetry group. */
  symHashes: Int32Array | undefined = undefined;
  /** Whether `v` is an element. */
  abstract has(v: Val): boolean;
  /** Whether the set can be enumerated. */
  abstract readonly finite: boolean;
  /** The elements in canonical order (throws for infinite sets). */
  abstract elems(): readonly Val[];
  /** Number of elements (throws for infinite sets). */
  size(): number {
    return this.elems().length;
  }
  /** A short description for error messages. */
  abstract describe(): string;
  /** Low half of the hash over the canonical elements. */
  get hash(): number {
    if (!this.hashed) {
      this.cachedHash = hashSeq(0x2545f491, this.elems());
      this.cachedHi = lastHi;
      this.hashed = true;
    }
    return this.cachedHash;
  }
  /** High half of the hash. */
  get hashHi(): number {
    if (!this.hashed) void this.hash;
    return this.cachedHi;
  }
  /** True when no model value occurs in any element (so no symmetry permutation moves the set). */
  get modelValueFree(): boolean {
    if (this.modelValues === 0) this.modelValues = allFree(this.elems()) ? 1 : 2;
    return this.modelValues === 1;
  }
}

/** A function value: parallel arrays of domain (canonical order) and range. */
export class Fcn {
  private cachedHash = 0;
  private cachedHi = 0;
  private hashed = false;
  private seqKind = -1; // -1 unknown, 0 not a sequence, 1 sequence
  /** Whether a model value occurs in the domain or range: 0 not known yet, 1 none, 2 some. */
  private modelValues = 0;
  /** Scratch of `symmetry.ts`: the function's hashes under each permutation of one symmetry group. */
  symHashes: Int32Array | undefined = undefined;
  constructor(
    readonly dom: readonly Val[],
    readonly rng: Val[],
  ) {}
  /** True when the domain is 1..n (a tuple or sequence). */
  get isSeq(): boolean {
    if (this.seqKind < 0) {
      let ok = 1;
      const d = this.dom;
      for (let i = 0; i < d.length; i++) {
        if (d[i] !== i + 1) {
          ok = 0;
          break;
        }
      }
      this.seqKind = ok;
    }
    return this.seqKind === 1;
  }
  /** Low half of the hash over domain and range. */
  get hash(): number {
    if (!this.hashed) {
      const d = domainHash(this.dom);
      this.cachedHash = hashSeq(d, this.rng, lastHi);
      this.cachedHi = lastHi;
      this.hashed = true;
    }
    return this.cachedHash;
  }
  /** High half of the hash. */
  get hashHi(): number {
    if (!this.hashed) void this.hash;
    return this.cachedHi;
  }
  /** True when no model value occurs in the domain or the range (so no symmetry permutation moves it). */
  get modelValueFree(): boolean {
    if (this.modelValues === 0) this.modelValues = allFree(this.dom) && allFree(this.rng) ? 1 : 2;
    return this.modelValues === 1;
  }
}

/**
 * Whether no model value occurs anywhere in `v`; cached on sets and functions, so asking again
 * about a value shared between states costs one field read.
 */
export function modelValueFree(v: Val): boolean {
  switch (typeof v) {
    case "number":
    case "boolean":
    case "string":
      return true;
    default:
      if (v instanceof ModelValue) return false;
      if (v instanceof Fcn || v instanceof SetValue) return v.modelValueFree;
      if (v instanceof LazyFcn) return v.force().modelValueFree;
      return true;
  }
}

function allFree(vs: readonly Val[]): boolean {
  for (let i = 0; i < vs.length; i++) if (!modelValueFree(vs[i]!)) return false;
  return true;
}

/**
 * A function known by a rule rather than a table: recursive function definitions
 * (`f[n \in Nat] == ...`) and `[x \in S |-> e]` over an infinite S. Values are computed on
 * application and memoised; comparing or printing one enumerates its (finite) domain.
 */
export class LazyFcn {
  private readonly memo = new Map<unknown, Val>();
  private forced: Fcn | undefined;
  constructor(
    readonly domain: SetValue,
    private readonly rule: (arg: Val) => Val,
    readonly name: string,
  ) {}
  /** Apply to an argument (the caller checks domain membership). Memoised for scalar arguments. */
  apply(arg: Val): Val {
    if (typeof arg === "object") return this.rule(arg);
    const hit = this.memo.get(arg);
    if (hit !== undefined) return hit;
    const v = this.rule(arg);
    this.memo.set(arg, v);
    return v;
  }
  /** The function as a table (its domain must be finite). */
  force(): Fcn {
    if (!this.forced) {
      const dom = this.domain.elems();
      this.forced = new Fcn(dom, dom.map((d) => this.apply(d)));
    }
    return this.forced;
  }
  get hash(): number {
    return this.force().hash;
  }
  get hashHi(): number {
    return this.force().hashHi;
  }
}

/**
 * An operator passed as an argument to a higher-order operator (or a LAMBDA). Not a first-class
 * TLA+ value; it only lives in parameter slots.
 */
export class OpValue {
  constructor(
    readonly arity: number,
    readonly call: (args: Val[]) => Val,
    readonly name: string,
  ) {}
}

const seqDoms: Val[][] = [[]];
/** Hashes of the arrays `seqDoms[n]` as domains, by n (both halves 0: not computed yet). */
const seqDomLo: number[] = [0];
const seqDomHi: number[] = [0];
/** The shared domain array `[1, ..., n]` for tuples of length n. */
export function seqDom(n: number): readonly Val[] {
  for (let i = seqDoms.length; i <= n; i++) {
    const prev = seqDoms[i - 1]!;
    const next = prev.slice();
    next.push(i);
    seqDoms.push(next);
    seqDomLo.push(0);
    seqDomHi.push(0);
  }
  return seqDoms[n]!;
}

/** A tuple / sequence `<<v1, ..., vn>>`. */
export function tuple(items: Val[]): Fcn {
  return new Fcn(seqDom(items.length), items);
}

// ---------------------------------------------------------------------------------------------
// Hashing: every value has a 64-bit hash as two independent 32-bit halves. `hashLo` returns the
// low half and leaves the high half in `lastHi` (no allocation on the hot path).

let lastHi = 0;

/** The high half of the hash computed by the last {@link hashLo} call. */
export function hashHi(): number {
  return lastHi;
}

/** Murmur3's finaliser: spreads bits of a 32-bit integer. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** FNV-1a over UTF-16 code units with two seeds; returns the low half, sets the high half. */
export function hashString(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000197);
  }
  lastHi = mix32(b ^ 0x3b9ac9f1);
  return mix32(a);
}

/** Hash of a sequence of values seeded by a type tag. */
export function hashSeq(seed: number, vs: readonly Val[], seed2 = 0): number {
  let a = seed ^ vs.length;
  let b = (seed2 || Math.imul(seed, 0x2c1b3c6d)) ^ vs.length;
  for (let i = 0; i < vs.length; i++) {
    const lo = hashLo(vs[i]!);
    a = Math.imul(a ^ lo, 0x9e3779b1);
    a = (a << 13) | (a >>> 19);
    b = Math.imul(b ^ lastHi, 0x85ebca77);
    b = (b << 17) | (b >>> 15);
    b = (b + a) | 0;
  }
  lastHi = mix32(b);
  return mix32(a ^ Math.imul(b, 0x27d4eb2f));
}

// The two domain arrays hashed last, with their hashes. A function built by EXCEPT shares its
// domain array with the one it updates, and the functions of a spec mostly have the few domains
// of its constants (`[p \in Proc |-> ...]` all share Proc's element array): so a new function's
// hash usually needs only its range walked. Domain arrays are never changed once a function has
// them (`Fcn.dom` is readonly), so the same array always has the same hash.
let domA: readonly Val[] | null = null;
let domALo = 0;
let domAHi = 0;
let domB: readonly Val[] | null = null;
let domBLo = 0;
let domBHi = 0;

/**
 * `hashSeq` of a function's domain array (high half in `lastHi`): for the shared tuple domains
 * from a table by length, else remembering the last two arrays.
 */
function domainHash(dom: readonly Val[]): number {
  const n = dom.length;
  if (n < seqDoms.length && dom === seqDoms[n]) {
    let lo = seqDomLo[n]!;
    if (lo === 0 && seqDomHi[n] === 0) {
      lo = seqDomLo[n] = hashSeq(0x68e31da4, dom);
      seqDomHi[n] = lastHi;
    }
    lastHi = seqDomHi[n]!;
    return lo;
  }
  if (dom === domA) {
    lastHi = domAHi;
    return domALo;
  }
  if (dom === domB) {
    lastHi = domBHi;
    return domBLo;
  }
  const lo = hashSeq(0x68e31da4, dom);
  domB = domA;
  domBLo = domALo;
  domBHi = domAHi;
  domA = dom;
  domALo = lo;
  domAHi = lastHi;
  return lo;
}

/** The low half of a value's 64-bit hash (high half via {@link hashHi}); consistent with equality. */
export function hashLo(v: Val): number {
  switch (typeof v) {
    case "number": {
      const lo = v | 0;
      const hi = Math.floor(v / 4294967296) | 0;
      lastHi = mix32(Math.imul(lo, 0x2545f491) ^ hi ^ 0x6a09e667);
      return mix32(lo ^ Math.imul(hi, 0x9e3779b1) ^ 0x1b873593);
    }
    case "boolean":
      lastHi = v ? 0x510e527f : 0x1f83d9ab;
      return v ? 0x3c6ef372 : 0x7f4a7c15;
    case "string":
      return hashString(v);
    default:
      if (v instanceof SetValue || v instanceof Fcn || v instanceof ModelValue || v instanceof LazyFcn) {
        const lo = v.hash;
        lastHi = v.hashHi;
        return lo;
      }
      throw new ValueError("an operator is not a value");
  }
}

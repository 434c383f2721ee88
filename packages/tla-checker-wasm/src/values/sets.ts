/**
 * Set values: the enumerated {@link FinSet} and the lazy forms that answer membership without
 * enumerating (intervals, SUBSET, `[S -> T]`, record sets, `\X`, Seq(S), Nat, Int, STRING, and
 * set operations over infinite operands).
 *
 * @module
 */
import { compareValues, valueEquals } from "./compare.js";
import { formatValue } from "./format.js";
import { Fcn, LazyFcn, ModelValue, SetValue, ValueError, hashLo, seqDom, tuple, type Val } from "./value.js";

/** Sort and deduplicate into TLC's canonical order. */
export function normalize(items: Val[]): Val[] {
  const n = items.length;
  if (n < 2) return items;
  if (n <= 16) {
    // Set literals are small: an insertion sort that drops duplicates beats Array#sort, whose
    // comparator calls cost more than the comparisons themselves.
    let w = 1;
    for (let i = 1; i < n; i++) {
      const x = items[i]!;
      let j = w - 1;
      let c = 1;
      while (j >= 0 && (c = compareValues(items[j]!, x)) > 0) j--;
      if (j >= 0 && c === 0) continue;
      for (let m = w; m > j + 1; m--) items[m] = items[m - 1]!;
      items[j + 1] = x;
      w++;
    }
    items.length = w;
    return items;
  }
  items.sort(compareValues);
  let w = 1;
  for (let i = 1; i < items.length; i++) {
    if (compareValues(items[i]!, items[w - 1]!) !== 0) items[w++] = items[i]!;
  }
  items.length = w;
  return items;
}

/** Binary search for `v` in canonical `xs`; index or -1. */
export function indexOfSorted(xs: readonly Val[], v: Val): number {
  let lo = 0;
  let hi = xs.length - 1;
  if (typeof v === "string" && hi < 16) {
    // Record fields: strings are equal only when identical, and a scan beats ordered compares.
    for (let i = 0; i <= hi; i++) if (xs[i] === v) return i;
    for (let i = 0; i <= hi; i++) if (typeof xs[i] !== "string") return indexSlow(xs, v, 0, hi);
    return -1;
  }
  if (v instanceof ModelValue && hi < 16) {
    // Function domains such as Server: one object per model value, so identity is equality.
    for (let i = 0; i <= hi; i++) if (xs[i] === v) return i;
    return -1;
  }
  if (typeof v === "number") {
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = xs[mid]!;
      if (typeof m !== "number") return indexSlow(xs, v, lo, hi);
      if (m === v) return mid;
      if (m < v) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  return indexSlow(xs, v, lo, hi);
}

function indexSlow(xs: readonly Val[], v: Val, lo: number, hi: number): number {
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareValues(xs[mid]!, v);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A finite set with its elements in canonical order. */
export class FinSet extends SetValue {
  readonly finite = true;
  /** `items` must already be canonical (use {@link setOf} otherwise). */
  constructor(readonly items: readonly Val[]) {
    super();
  }
  private index: Map<number, number | number[]> | undefined;

  has(v: Val): boolean {
    const items = this.items;
    let found: boolean;
    if (items.length > 8 && typeof v === "object") {
      // Structured elements (records, tuples, sets): a hash index beats ordered comparisons.
      found = this.hashHas(v);
    } else found = indexOfSorted(items, v) >= 0;
    if (found) return true;
    // TLC compares the candidate with the elements and fails on incomparable kinds.
    if (items.length > 0 && !(v instanceof ModelValue)) valueEquals(v, items[0]!);
    return false;
  }

  private hashHas(v: Val): boolean {
    let index = this.index;
    if (!index) {
      index = new Map();
      this.items.forEach((x, i) => {
        const h = hashLo(x);
        const prev = index!.get(h);
        if (prev === undefined) index!.set(h, i);
        else if (typeof prev === "number") index!.set(h, [prev, i]);
        else prev.push(i);
      });
      this.index = index;
    }
    const hit = index.get(hashLo(v));
    if (hit === undefined) return false;
    if (typeof hit === "number") return sameKind(this.items[hit]!, v) && valueEquals(this.items[hit]!, v);
    for (const i of hit) if (sameKind(this.items[i]!, v) && valueEquals(this.items[i]!, v)) return true;
    return false;
  }
  elems(): readonly Val[] {
    return this.items;
  }
  override size(): number {
    return this.items.length;
  }
  describe(): string {
    return formatValue(this);
  }
}

/** Whether two values are of kinds TLC compares without error (so a hash hit can be checked). */
function sameKind(a: Val, b: Val): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== "object") return true;
  return (a instanceof SetValue) === (b instanceof SetValue);
}

/** The empty set. */
export const EMPTY = new FinSet([]);

/** A finite set from elements in any order, with duplicates. */
export function setOf(items: Val[]): FinSet {
  return items.length === 0 ? EMPTY : new FinSet(normalize(items));
}

/** A lazy set whose elements are computed once on first enumeration. */
abstract class LazyFinite extends SetValue {
  /** Finite when every set it is built from is (`[a : Nat]` is known by membership only). */
  get finite(): boolean {
    if (this.finiteKnown === 0) this.finiteKnown = this.parts().every((p) => p.finite) ? 1 : 2;
    return this.finiteKnown === 1;
  }
  private finiteKnown = 0;
  private cache: readonly Val[] | undefined;
  protected abstract enumerate(): Val[];
  /** The sets this one is built from. */
  protected parts(): readonly SetValue[] {
    return [];
  }
  elems(): readonly Val[] {
    if (!this.finite) throw new ValueError(`the set ${this.describe()} is not enumerable`);
    if (!this.cache) this.cache = normalize(this.enumerate());
    return this.cache;
  }
}

/** `lo..hi`. */
export class Interval extends LazyFinite {
  constructor(
    readonly lo: number,
    readonly hi: number,
  ) {
    super();
  }
  has(v: Val): boolean {
    if (typeof v === "number") return v >= this.lo && v <= this.hi;
    if (v instanceof ModelValue) return false;
    throw new ValueError(`Attempted to check if the value ${formatValue(v)} is in the interval ${this.describe()}`);
  }
  protected enumerate(): Val[] {
    const out: Val[] = [];
    for (let i = this.lo; i <= this.hi; i++) out.push(i);
    return out;
  }
  override elems(): readonly Val[] {
    return super.elems();
  }
  override size(): number {
    return Math.max(0, this.hi - this.lo + 1);
  }
  describe(): string {
    return this.hi < this.lo ? "{}" : `${this.lo}..${this.hi}`;
  }
}

/** `SUBSET S`. */
export class PowerSet extends LazyFinite {
  constructor(readonly base: SetValue) {
    super();
  }
  protected override parts(): readonly SetValue[] {
    return [this.base];
  }
  has(v: Val): boolean {
    if (!(v instanceof SetValue)) return false;
    for (const x of v.elems()) if (!this.base.has(x)) return false;
    return true;
  }
  protected enumerate(): Val[] {
    const b = this.base.elems();
    if (b.length > 24) throw new ValueError(`SUBSET of a set with ${b.length} elements is too large to enumerate`);
    const out: Val[] = [];
    const n = 1 << b.length;
    for (let mask = 0; mask < n; mask++) {
      const xs: Val[] = [];
      for (let i = 0; i < b.length; i++) if (mask & (1 << i)) xs.push(b[i]!);
      out.push(new FinSet(xs));
    }
    return out;
  }
  override size(): number {
    return 2 ** this.base.size();
  }
  describe(): string {
    return `SUBSET ${this.base.describe()}`;
  }
}

/** `[D -> R]`. */
export class FcnSet extends LazyFinite {
  constructor(
    readonly dom: SetValue,
    readonly rng: SetValue,
  ) {
    super();
  }
  protected override parts(): readonly SetValue[] {
    return [this.dom, this.rng];
  }
  has(v: Val): boolean {
    if (!(v instanceof Fcn)) return false;
    if (!this.dom.finite) {
      for (const d of v.dom) if (!this.dom.has(d)) return false;
      for (const r of v.rng) if (!this.rng.has(r)) return false;
      return false; // an infinite domain is never the domain of a finite function
    }
    const d = this.dom.elems();
    if (d.length !== v.dom.length) return false;
    for (let i = 0; i < d.length; i++) if (!valueEquals(d[i]!, v.dom[i]!)) return false;
    for (const r of v.rng) if (!this.rng.has(r)) return false;
    return true;
  }
  protected enumerate(): Val[] {
    const d = this.dom.elems();
    const r = this.rng.elems();
    const total = r.length ** d.length;
    if (total > 5e6) throw new ValueError(`the function set ${this.describe()} is too large to enumerate`);
    const out: Val[] = [];
    if (d.length > 0 && r.length === 0) return out;
    const idx = new Array<number>(d.length).fill(0);
    for (;;) {
      out.push(new Fcn(d, idx.map((i) => r[i]!)));
      let k = d.length - 1;
      while (k >= 0 && ++idx[k]! === r.length) idx[k--] = 0;
      if (k < 0) break;
    }
    return out;
  }
  override size(): number {
    return this.rng.size() ** this.dom.size();
  }
  describe(): string {
    return `[${this.dom.describe()} -> ${this.rng.describe()}]`;
  }
}

/** `[a : S, b : T]`; `names` in canonical order. */
export class RecordSet extends LazyFinite {
  constructor(
    readonly names: readonly string[],
    readonly sets: readonly SetValue[],
  ) {
    super();
  }
  protected override parts(): readonly SetValue[] {
    return this.sets;
  }
  has(v: Val): boolean {
    if (!(v instanceof Fcn) || v.dom.length !== this.names.length) return false;
    for (let i = 0; i < this.names.length; i++) {
      if (v.dom[i] !== this.names[i]) return false;
      if (!this.sets[i]!.has(v.rng[i]!)) return false;
    }
    return true;
  }
  protected enumerate(): Val[] {
    const dom = recordDomain(this.names);
    return cartesian(this.sets.map((s) => s.elems())).map((vals) => new Fcn(dom, vals));
  }
  override size(): number {
    return this.sets.reduce((n, s) => n * s.size(), 1);
  }
  describe(): string {
    return `[${this.names.map((n, i) => `${n} : ${this.sets[i]!.describe()}`).join(", ")}]`;
  }
}

/** `S1 \X S2 \X ...`. */
export class ProductSet extends LazyFinite {
  constructor(readonly sets: readonly SetValue[]) {
    super();
  }
  protected override parts(): readonly SetValue[] {
    return this.sets;
  }
  has(v: Val): boolean {
    if (!(v instanceof Fcn) || v.dom.length !== this.sets.length || !v.isSeq) return false;
    for (let i = 0; i < this.sets.length; i++) if (!this.sets[i]!.has(v.rng[i]!)) return false;
    return true;
  }
  protected enumerate(): Val[] {
    return cartesian(this.sets.map((s) => s.elems())).map((vals) => tuple(vals));
  }
  override size(): number {
    return this.sets.reduce((n, s) => n * s.size(), 1);
  }
  describe(): string {
    return this.sets.map((s) => s.describe()).join(" \\X ");
  }
}

function cartesian(lists: ReadonlyArray<readonly Val[]>): Val[][] {
  let acc: Val[][] = [[]];
  for (const l of lists) {
    const next: Val[][] = [];
    for (const prefix of acc) for (const x of l) next.push([...prefix, x]);
    acc = next;
    if (acc.length > 5e6) throw new ValueError("set too large to enumerate");
  }
  return acc;
}

/** An infinite (or not usefully enumerable) set known only by membership. */
export class PredicateSet extends SetValue {
  readonly finite = false;
  constructor(
    private readonly name: string,
    private readonly member: (v: Val) => boolean,
  ) {
    super();
  }
  has(v: Val): boolean {
    return this.member(v);
  }
  elems(): readonly Val[] {
    throw new ValueError(`the set ${this.name} is not enumerable`);
  }
  override size(): number {
    throw new ValueError(`the set ${this.name} is infinite`);
  }
  describe(): string {
    return this.name;
  }
}

/**
 * TLC's answer for a value of the wrong kind in Nat, Int, STRING or Seq(S): a model value is not
 * an element, anything else is an error (tlc2.module.Naturals/Integers/Strings/Sequences `member`:
 * "Attempted to check if the value ... is an element of Int"), never a silent FALSE.
 */
function notMember(v: Val, set: string): false {
  if (v instanceof ModelValue) return false;
  throw new ValueError(`Attempted to check if the value ${formatValue(v)} is an element of ${set}.`);
}

/** `Nat`. */
export const NAT = new PredicateSet("Nat", (v) => (typeof v === "number" ? v >= 0 : notMember(v, "Nat")));
/** `Int`. */
export const INT = new PredicateSet("Int", (v) => typeof v === "number" || notMember(v, "Int"));
/** `STRING`. */
export const STRING = new PredicateSet("STRING", (v) => typeof v === "string" || notMember(v, "STRING"));
/** `BOOLEAN`. */
export const BOOLEAN = new FinSet([false, true]);

/** `Seq(S)`. */
export function seqSet(base: SetValue): PredicateSet {
  return new PredicateSet(`Seq(${base.describe()})`, (v) => {
    if (v instanceof LazyFcn) v = v.force();
    if (!(v instanceof Fcn) || !v.isSeq) return notMember(v, `Seq(${base.describe()})`);
    for (const x of v.rng) if (!base.has(x)) return false;
    return true;
  });
}

/** Coerce to a set or fail naming the operation. */
export function asSet(v: Val, what: string): SetValue {
  if (v instanceof SetValue) return v;
  throw new ValueError(`${what}: expected a set, got ${formatValue(v)}`);
}

/** `A \cup B`. */
export function union(a: SetValue, b: SetValue): SetValue {
  if (a.finite && b.finite) {
    const x = a.elems();
    const y = b.elems();
    if (y.length === 0) return a instanceof FinSet ? a : new FinSet(x);
    if (x.length === 0) return b instanceof FinSet ? b : new FinSet(y);
    return new FinSet(mergeSorted(x, y));
  }
  return new PredicateSet(`${a.describe()} \\cup ${b.describe()}`, (v) => a.has(v) || b.has(v));
}

/** Merge two canonical arrays into one (duplicates dropped). */
export function mergeSorted(x: readonly Val[], y: readonly Val[]): Val[] {
  if (y.length === 1) {
    // Adding one element (`S \cup {e}`): binary search for its place.
    const e = y[0]!;
    let lo = 0;
    let hi = x.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareValues(x[mid]!, e);
      if (c === 0) return x as Val[];
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    const out = x.slice();
    out.splice(lo, 0, e);
    return out;
  }
  const out: Val[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const c = compareValues(x[i]!, y[j]!);
    if (c === 0) {
      out.push(x[i]!);
      i++;
      j++;
    } else if (c < 0) out.push(x[i++]!);
    else out.push(y[j++]!);
  }
  while (i < x.length) out.push(x[i++]!);
  while (j < y.length) out.push(y[j++]!);
  return out;
}

/** `A \cap B`. */
export function intersect(a: SetValue, b: SetValue): SetValue {
  if (a.finite) return new FinSet(a.elems().filter((x) => b.has(x)));
  if (b.finite) return new FinSet(b.elems().filter((x) => a.has(x)));
  return new PredicateSet(`${a.describe()} \\cap ${b.describe()}`, (v) => a.has(v) && b.has(v));
}

/** `A \ B`. */
export function difference(a: SetValue, b: SetValue): SetValue {
  if (a.finite) return new FinSet(a.elems().filter((x) => !b.has(x)));
  return new PredicateSet(`${a.describe()} \\ ${b.describe()}`, (v) => a.has(v) && !b.has(v));
}

/** `A \subseteq B`. */
export function subseteq(a: SetValue, b: SetValue): boolean {
  for (const x of a.elems()) if (!b.has(x)) return false;
  return true;
}

/** `UNION S`: enumerated when its members are; else known by membership in some member (TLC's UnionValue). */
export function bigUnion(s: SetValue): SetValue {
  const members = s.elems().map((x) => asSet(x, "UNION"));
  if (members.some((m) => !m.finite)) {
    return new PredicateSet(`UNION ${s.describe()}`, (v) => members.some((m) => m.has(v)));
  }
  const out: Val[] = [];
  for (const m of members) out.push(...m.elems());
  return setOf(out);
}

const domains = new Map<string, readonly Val[]>();

/** One shared domain array per set of record field names (canonical order), so equal records share it. */
export function recordDomain(sortedNames: readonly string[]): readonly Val[] {
  const key = sortedNames.join("\u0000");
  let d = domains.get(key);
  if (!d) {
    d = sortedNames.slice();
    domains.set(key, d);
  }
  return d;
}

/** Build a record (a function on field names) from unordered fields. */
export function record(fields: ReadonlyArray<readonly [string, Val]>): Fcn {
  const sorted = [...fields].sort((p, q) => compareValues(p[0], q[0]));
  return new Fcn(
    sorted.map((p) => p[0]),
    sorted.map((p) => p[1]),
  );
}

/** Build a function from unordered (key, value) pairs; later pairs for the same key are dropped. */
export function fcnFromPairs(keys: Val[], vals: Val[]): Fcn {
  const n = keys.length;
  let sorted = true;
  for (let i = 1; i < n; i++) if (compareValues(keys[i - 1]!, keys[i]!) >= 0) sorted = false;
  if (sorted) {
    if (n > 0 && typeof keys[0] === "number" && keys[0] === 1 && keys[n - 1] === n) return new Fcn(seqDom(n), vals);
    return new Fcn(keys, vals);
  }
  const idx = keys.map((_, i) => i).sort((i, j) => compareValues(keys[i]!, keys[j]!));
  const dk: Val[] = [];
  const dv: Val[] = [];
  for (const i of idx) {
    if (dk.length > 0 && compareValues(dk[dk.length - 1]!, keys[i]!) === 0) continue;
    dk.push(keys[i]!);
    dv.push(vals[i]!);
  }
  return new Fcn(dk, dv);
}

/**
 * OR-Set: the observed-remove set, add-wins (Almeida et al.'s AWSet with a per-element causal
 * context; Bieniusa et al., "An optimized conflict-free replicated set", 2012).
 *
 * Every mutation at replica r is r's next event (r, n). An add of e makes the dot (r, n) live for
 * e and covers every dot of e the replica has seen; a remove covers them and makes none live. An
 * element is in the set while some dot of it is live. Per element the state keeps the live dots
 * (at most one per replica) and a version vector `ctx` of the dots it has seen: since a replica
 * that issues (r, n) for e has seen every earlier dot of r for e, what a state has seen of e is
 * downward closed per replica, so a vector holds it exactly and there are no tombstone sets.
 *
 * What still grows is the context of removed elements. `compact(state, stable)` drops it once
 * it is causally stable: `stable` is a cut every replica has incorporated, kept as the state's
 * `floor`; every dot at or below the floor counts as seen for every element, so a removed
 * element whose context lies under the floor disappears, and a stale copy of an old add that
 * arrives later cannot bring it back (its dot is under the receiver's floor and not live there).
 *
 * Join: a dot stays live if some side has it live and no side has seen it without having it live.
 *
 * @module
 */
import type { CausalUpdate, Mutation, StateCrdt } from "./crdt.js";
import { CrdtInputError, compareStrings, expectKeys, expectObject, expectString, type Json } from "./json.js";
import { emptyVv, vvFromJson, vvGet, vvMerge, vvToJson, type ReplicaId, type VersionVector } from "./version-vector.js";

/** What a state knows of one element: its live dots (replica to event number) and the dots seen. */
export interface OrSetEntry {
  /** Live dots: replica to the number of its live add event (at most one per replica). */
  readonly live: VersionVector;
  /** Dots seen above the floor, per replica (downward closed). Entries at or under the floor are dropped. */
  readonly ctx: VersionVector;
}

/** An OR-Set state (also a delta). */
export interface OrSetState {
  /** The causally stable cut: every dot at or below it counts as seen for every element. */
  readonly floor: VersionVector;
  /** Elements with live dots or a context above the floor, by name. */
  readonly elems: ReadonlyMap<string, OrSetEntry>;
}

/** Add or remove an element. */
export type OrSetOp = { readonly type: "add"; readonly elem: string } | { readonly type: "remove"; readonly elem: string };

/** An OR-Set operation as applied: with the event number `n` it was given at its replica. */
export type OrSetApplied = { readonly type: "add" | "remove"; readonly elem: string; readonly n: number };

const emptyEntry: OrSetEntry = { live: emptyVv, ctx: emptyVv };

function entry(s: OrSetState, e: string): OrSetEntry {
  return s.elems.get(e) ?? emptyEntry;
}

/** The dot (r, n) of element e counts as seen in `s`. */
function covers(s: OrSetState, en: OrSetEntry, r: ReplicaId, n: number): boolean {
  return n <= vvGet(en.ctx, r) || n <= vvGet(s.floor, r);
}

/** Drops context entries at or under `floor`; undefined when nothing is left of the element. */
function normalEntry(live: VersionVector, ctx: VersionVector, floor: VersionVector): OrSetEntry | undefined {
  let c = ctx;
  for (const [r, n] of ctx) {
    if (n <= vvGet(floor, r)) {
      if (c === ctx) c = new Map(ctx);
      (c as Map<ReplicaId, number>).delete(r);
    }
  }
  if (live.size === 0 && c.size === 0) return undefined;
  return { live, ctx: c };
}

const clockCache = new WeakMap<OrSetState, VersionVector>();

/** The highest event number of each replica the state has seen (its floor and every context). */
export function orSetClock(s: OrSetState): VersionVector {
  let c = clockCache.get(s);
  if (c === undefined) {
    c = s.floor;
    for (const en of s.elems.values()) c = vvMerge(c, en.ctx);
    clockCache.set(s, c);
  }
  return c;
}

function mergeEntries(a: OrSetState, b: OrSetState, ea: OrSetEntry, eb: OrSetEntry, floor: VersionVector): OrSetEntry | undefined {
  const live = new Map<ReplicaId, number>();
  for (const [r, n] of ea.live) if (vvGet(eb.live, r) === n || !covers(b, eb, r, n)) live.set(r, n);
  for (const [r, n] of eb.live) {
    if (vvGet(ea.live, r) === n) continue;
    if (!covers(a, ea, r, n)) live.set(r, Math.max(n, live.get(r) ?? 0));
  }
  return normalEntry(live, vvMerge(ea.ctx, eb.ctx), floor);
}

function merge(a: OrSetState, b: OrSetState): OrSetState {
  if (a === b) return a;
  const floor = vvMerge(a.floor, b.floor);
  const elems = new Map<string, OrSetEntry>();
  for (const [e, ea] of a.elems) {
    const m = mergeEntries(a, b, ea, entry(b, e), floor);
    if (m !== undefined) elems.set(e, m);
  }
  for (const [e, eb] of b.elems) {
    if (a.elems.has(e)) continue;
    const m = mergeEntries(a, b, emptyEntry, eb, floor);
    if (m !== undefined) elems.set(e, m);
  }
  return { floor, elems };
}

function entryJson(en: OrSetEntry): Json {
  return { ctx: vvToJson(en.ctx), live: vvToJson(en.live) };
}

function toJson(s: OrSetState): Json {
  const elems: Record<string, Json> = {};
  for (const e of [...s.elems.keys()].sort(compareStrings)) elems[e] = entryJson(s.elems.get(e)!);
  return { elems, floor: vvToJson(s.floor) };
}

function equals(a: OrSetState, b: OrSetState): boolean {
  if (a.elems.size !== b.elems.size || !vvEq(a.floor, b.floor)) return false;
  for (const [e, ea] of a.elems) {
    const eb = b.elems.get(e);
    if (eb === undefined || !vvEq(ea.live, eb.live) || !vvEq(ea.ctx, eb.ctx)) return false;
  }
  return true;
}

function vvEq(a: VersionVector, b: VersionVector): boolean {
  if (a.size !== b.size) return false;
  for (const [r, n] of a) if (b.get(r) !== n) return false;
  return true;
}

function fromJson(json: unknown, where = "or-set state"): OrSetState {
  const o = expectObject(json, where);
  expectKeys(o, ["elems", "floor"], where);
  const floor = vvFromJson(o.floor, `${where}.floor`);
  const raw = expectObject(o.elems, `${where}.elems`);
  const elems = new Map<string, OrSetEntry>();
  for (const [e, v] of Object.entries(raw)) {
    const w = `${where}.elems[${JSON.stringify(e)}]`;
    const eo = expectObject(v, w);
    expectKeys(eo, ["ctx", "live"], w);
    const live = vvFromJson(eo.live, `${w}.live`);
    const ctx = vvFromJson(eo.ctx, `${w}.ctx`);
    for (const [r, n] of ctx) if (n <= vvGet(floor, r)) throw new CrdtInputError(`${w}.ctx.${r}`, `${n} is at or under the floor ${vvGet(floor, r)} (not in normal form)`);
    for (const [r, n] of live) {
      if (n > vvGet(ctx, r) && n > vvGet(floor, r)) throw new CrdtInputError(`${w}.live.${r}`, `live dot ${n} is not covered by the context or the floor`);
    }
    if (live.size === 0 && ctx.size === 0) throw new CrdtInputError(w, "an element with no live dot and no context is not stored (not in normal form)");
    elems.set(e, { live, ctx });
  }
  return { floor, elems };
}

function parseOp(json: unknown, where = "or-set op"): OrSetOp {
  const o = expectObject(json, where);
  if (o.type !== "add" && o.type !== "remove") throw new CrdtInputError(`${where}.type`, `expected "add" or "remove", got ${JSON.stringify(o.type)}`);
  expectKeys(o, ["type", "elem"], where);
  return { type: o.type, elem: expectString(o.elem, `${where}.elem`) };
}

/**
 * Add-wins: e is in the set iff some add of e has no remove of e after it (causally).
 * Adds and removes of one element issued by one replica are ordered by that replica's program.
 */
function spec(updates: readonly CausalUpdate<OrSetApplied>[], hb: (a: CausalUpdate<OrSetApplied>, b: CausalUpdate<OrSetApplied>) => boolean): ReadonlySet<string> {
  const byElem = new Map<string, CausalUpdate<OrSetApplied>[]>();
  for (const u of updates) {
    const l = byElem.get(u.op.elem);
    if (l === undefined) byElem.set(u.op.elem, [u]);
    else l.push(u);
  }
  const out = new Set<string>();
  for (const [e, us] of byElem) {
    const removes = us.filter((u) => u.op.type === "remove");
    if (us.some((a) => a.op.type === "add" && !removes.some((r) => hb(a, r)))) out.add(e);
  }
  return out;
}

/**
 * The OR-Set (add-wins).
 * @example
 * ```ts
 * let a = orSet.mutate(orSet.bottom(), "n1", { type: "add", elem: "x" }).state;
 * const b = orSet.mutate(a, "n2", { type: "remove", elem: "x" });   // n2 saw the add: removes it
 * a = orSet.mutate(a, "n1", { type: "add", elem: "x" }).state;      // concurrent re-add
 * orSet.value(orSet.merge(a, b.state)); // Set { "x" }: the add n2 did not see wins
 * ```
 */
export const orSet: StateCrdt<OrSetState, OrSetOp, ReadonlySet<string>, OrSetApplied> = {
  name: "or-set",
  bottom: () => ({ floor: emptyVv, elems: new Map() }),
  mutate(state, replica, op): Mutation<OrSetState, OrSetApplied> {
    if (replica === "") throw new CrdtInputError("or-set mutate", "the replica id is empty");
    const n = vvGet(orSetClock(state), replica) + 1;
    const en = entry(state, op.elem);
    // The delta's context covers every dot of the element this replica has seen, the floor included:
    // an add or remove supersedes all of them.
    let ctx = vvMerge(vvMerge(en.ctx, en.live), state.floor);
    ctx = vvMerge(ctx, new Map([[replica, n]]));
    const live: VersionVector = op.type === "add" ? new Map([[replica, n]]) : emptyVv;
    const delta: OrSetState = { floor: emptyVv, elems: new Map([[op.elem, { live, ctx }]]) };
    return { state: merge(state, delta), delta, applied: { type: op.type, elem: op.elem, n } };
  },
  merge,
  leq: (a, b) => equals(merge(a, b), b),
  equals,
  value(s) {
    const out = new Set<string>();
    for (const [e, en] of s.elems) if (en.live.size > 0) out.add(e);
    return out;
  },
  toJson,
  fromJson,
  parts(s) {
    const out = new Map<string, OrSetState>();
    for (const e of [...s.elems.keys()].sort(compareStrings)) {
      const en = s.elems.get(e)!;
      // The floor is local knowledge; a piece says what it covers of its own element only.
      out.set(e, { floor: emptyVv, elems: new Map([[e, { live: en.live, ctx: vvMerge(en.ctx, s.floor) }]]) });
    }
    return out;
  },
  compact(s, stable) {
    const floor = vvMerge(s.floor, stable);
    const elems = new Map<string, OrSetEntry>();
    for (const [e, en] of s.elems) {
      const m = normalEntry(en.live, en.ctx, floor);
      if (m !== undefined) elems.set(e, m);
    }
    return { floor, elems };
  },
  parseOp,
  appliedFromOp: (op, _replica, seq) => ({ type: op.type, elem: op.elem, n: seq }),
  appliedToJson: (a) => ({ type: a.type, elem: a.elem, n: a.n }),
  parseApplied(json, where = "or-set applied op") {
    const o = expectObject(json, where);
    expectKeys(o, ["type", "elem", "n"], where);
    const op = parseOp({ type: o.type, elem: o.elem }, where);
    if (typeof o.n !== "number" || !Number.isSafeInteger(o.n) || o.n < 1) throw new CrdtInputError(`${where}.n`, `expected an integer >= 1, got ${JSON.stringify(o.n)}`);
    return { ...op, n: o.n };
  },
  valueToJson: (v) => [...v].sort(compareStrings),
  spec,
  keysOf: (a) => [a.elem],
  projectValue: (value, key) => Array.isArray(value) && value.includes(key),
};

/** The number of element entries and vector entries the state holds: what compaction bounds. */
export function orSetSize(s: OrSetState): { elems: number; dots: number } {
  let dots = s.floor.size;
  for (const en of s.elems.values()) dots += en.live.size + en.ctx.size;
  return { elems: s.elems.size, dots };
}


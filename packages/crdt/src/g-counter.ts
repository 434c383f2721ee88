/**
 * G-Counter: a grow-only counter. The state maps each replica to the sum of its own increments;
 * merge is the pointwise maximum and the value the sum (Shapiro et al., "A comprehensive study of
 * Convergent and Commutative Replicated Data Types", 2011, spec. 6).
 *
 * @module
 */
import type { Mutation, StateCrdt } from "./crdt.js";
import { CrdtInputError, compareStrings, expectInt, expectKeys, expectObject, type Json } from "./json.js";
import type { ReplicaId } from "./version-vector.js";

/** A G-Counter state: each replica's own total. Absent means 0; a 0 is never stored. */
export type GCounterState = ReadonlyMap<ReplicaId, number>;

/** An increment by `by` (default 1, a non-negative integer). */
export interface GCounterOp {
  readonly type: "inc";
  readonly by?: number;
}

/** An increment as applied. */
export interface GCounterApplied {
  readonly type: "inc";
  readonly by: number;
}

function merge(a: GCounterState, b: GCounterState): GCounterState {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [r, n] of b) if (n > (out.get(r) ?? 0)) out.set(r, n);
  return out;
}

function leq(a: GCounterState, b: GCounterState): boolean {
  for (const [r, n] of a) if (n > (b.get(r) ?? 0)) return false;
  return true;
}

function toJson(s: GCounterState): Json {
  const o: Record<string, number> = {};
  for (const r of [...s.keys()].sort(compareStrings)) o[r] = s.get(r)!;
  return o;
}

function parseOp(json: unknown, where = "g-counter op"): GCounterOp {
  const o = expectObject(json, where);
  if (o.type !== "inc") throw new CrdtInputError(`${where}.type`, `expected "inc", got ${JSON.stringify(o.type)}`);
  expectKeys(o, "by" in o ? ["type", "by"] : ["type"], where);
  return "by" in o ? { type: "inc", by: expectInt(o.by, `${where}.by`) } : { type: "inc" };
}

/**
 * The G-Counter.
 * @example
 * ```ts
 * const a = gCounter.mutate(gCounter.bottom(), "n1", { type: "inc", by: 2 });
 * const b = gCounter.mutate(gCounter.bottom(), "n2", { type: "inc" });
 * gCounter.value(gCounter.merge(a.state, b.delta)); // 3
 * ```
 */
export const gCounter: StateCrdt<GCounterState, GCounterOp, number, GCounterApplied> = {
  name: "g-counter",
  bottom: () => new Map(),
  mutate(state, replica, op): Mutation<GCounterState, GCounterApplied> {
    const by = op.by ?? 1;
    if (!Number.isSafeInteger(by) || by < 0) throw new CrdtInputError("g-counter inc", `by must be a non-negative integer, got ${by}`);
    const mine = (state.get(replica) ?? 0) + by;
    if (!Number.isSafeInteger(mine)) throw new CrdtInputError("g-counter inc", `replica ${replica}'s total overflows`);
    const delta: GCounterState = mine === 0 ? new Map() : new Map([[replica, mine]]);
    return { state: merge(state, delta), delta, applied: { type: "inc", by } };
  },
  merge,
  leq,
  equals: (a, b) => leq(a, b) && leq(b, a),
  value(s) {
    let sum = 0;
    for (const n of s.values()) sum += n;
    return sum;
  },
  toJson,
  fromJson(json, where = "g-counter state") {
    const o = expectObject(json, where);
    const out = new Map<ReplicaId, number>();
    for (const [r, n] of Object.entries(o)) out.set(r, expectInt(n, `${where}.${r}`, 1));
    return out;
  },
  parts(s) {
    const out = new Map<string, GCounterState>();
    for (const r of [...s.keys()].sort(compareStrings)) out.set(r, new Map([[r, s.get(r)!]]));
    return out;
  },
  parseOp,
  appliedFromOp: (op) => ({ type: "inc", by: op.by ?? 1 }),
  appliedToJson: (a) => ({ type: a.type, by: a.by }),
  parseApplied(json, where = "g-counter applied op") {
    const op = parseOp(json, where);
    if (op.by === undefined) throw new CrdtInputError(where, 'missing field "by"');
    return { type: "inc", by: op.by };
  },
  valueToJson: (v) => v,
  spec(updates) {
    let sum = 0;
    for (const u of updates) sum += u.op.by;
    return sum;
  },
};

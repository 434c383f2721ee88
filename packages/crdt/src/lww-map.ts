/**
 * LWW-map: a map from string keys to JSON values where each key is an LWW-Register (hybrid
 * logical clock stamp, ties by replica id) and a delete is a write of a tombstone. A write takes
 * the next stamp after the largest stamp in the map, so a write that saw a key's write wins over
 * it. Tombstones are kept (a stale copy of an older write must not bring a key back).
 *
 * @module
 */
import type { StateCrdt } from "./crdt.js";
import { hlcTick, hlcZero, maxHlc, type HlcStamp } from "./hlc.js";
import { CrdtInputError, compareStrings, expectInt, expectJson, expectKeys, expectObject, expectString, type Json } from "./json.js";
import { compareWrites, writeFromJson, writeToJson, type LwwWrite } from "./lww-register.js";
import type { ReplicaId } from "./version-vector.js";

/** A key's winning write; `value: null` is a delete (tombstone). */
export type LwwMapEntry = LwwWrite;

/** An LWW-map state: key to its winning write. */
export type LwwMapState = ReadonlyMap<string, LwwMapEntry>;

/** Set a key or delete it, at the caller's physical time `nowMs`. */
export type LwwMapOp =
  | { readonly type: "set"; readonly key: string; readonly value: Json; readonly nowMs: number }
  | { readonly type: "delete"; readonly key: string; readonly nowMs: number };

/** An operation as applied, with its stamp. */
export interface LwwMapApplied {
  readonly type: "set" | "delete";
  readonly key: string;
  /** The value set; `null` for a delete. */
  readonly value: Json;
  readonly stamp: HlcStamp;
  readonly replica: ReplicaId;
}

const clockCache = new WeakMap<LwwMapState, HlcStamp>();

/** The largest stamp in the map: the replica's hybrid clock as far as this map is concerned. */
function clock(s: LwwMapState): HlcStamp {
  let c = clockCache.get(s);
  if (c === undefined) {
    c = hlcZero;
    for (const e of s.values()) c = maxHlc(c, e.stamp);
    clockCache.set(s, c);
  }
  return c;
}

function merge(a: LwwMapState, b: LwwMapState): LwwMapState {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [k, w] of b) {
    const mine = out.get(k);
    if (mine === undefined || compareWrites(w, mine) > 0) out.set(k, w);
  }
  return out;
}

function leq(a: LwwMapState, b: LwwMapState): boolean {
  for (const [k, w] of a) {
    const o = b.get(k);
    if (o === undefined || compareWrites(w, o) > 0) return false;
  }
  return true;
}

function parseOp(json: unknown, where = "lww-map op"): LwwMapOp {
  const o = expectObject(json, where);
  if (o.type === "set") {
    expectKeys(o, ["type", "key", "value", "nowMs"], where);
    const value = expectJson(o.value, `${where}.value`);
    if (value === null) throw new CrdtInputError(`${where}.value`, "null is not a value (use delete)");
    return { type: "set", key: expectString(o.key, `${where}.key`), value, nowMs: expectInt(o.nowMs, `${where}.nowMs`) };
  }
  if (o.type === "delete") {
    expectKeys(o, ["type", "key", "nowMs"], where);
    return { type: "delete", key: expectString(o.key, `${where}.key`), nowMs: expectInt(o.nowMs, `${where}.nowMs`) };
  }
  throw new CrdtInputError(`${where}.type`, `expected "set" or "delete", got ${JSON.stringify(o.type)}`);
}

function mapValueToJson(v: ReadonlyMap<string, Json>): Json {
  const o: Record<string, Json> = {};
  for (const k of [...v.keys()].sort(compareStrings)) o[k] = v.get(k)!;
  return o;
}

/** The LWW-map. A read is the map of live keys (tombstones hidden). */
export const lwwMap: StateCrdt<LwwMapState, LwwMapOp, ReadonlyMap<string, Json>, LwwMapApplied> = {
  name: "lww-map",
  bottom: () => new Map(),
  mutate(state, replica, op) {
    const value = op.type === "set" ? op.value : null;
    if (op.type === "set" && value === null) throw new CrdtInputError("lww-map set", "null is not a value (use delete)");
    const stamp = hlcTick(clock(state), op.nowMs);
    const w: LwwWrite = { value, stamp, replica };
    const delta: LwwMapState = new Map([[op.key, w]]);
    return { state: merge(state, delta), delta, applied: { type: op.type, key: op.key, value, stamp, replica } };
  },
  merge,
  leq,
  equals: (a, b) => a.size === b.size && leq(a, b) && leq(b, a),
  value(s) {
    const out = new Map<string, Json>();
    for (const [k, w] of s) if (w.value !== null) out.set(k, w.value);
    return out;
  },
  toJson(s) {
    const o: Record<string, Json> = {};
    for (const k of [...s.keys()].sort(compareStrings)) o[k] = writeToJson(s.get(k)!);
    return o;
  },
  fromJson(json, where = "lww-map state") {
    const o = expectObject(json, where);
    const out = new Map<string, LwwMapEntry>();
    for (const [k, v] of Object.entries(o)) out.set(k, writeFromJson(v, `${where}[${JSON.stringify(k)}]`, true));
    return out;
  },
  parts(s) {
    const out = new Map<string, LwwMapState>();
    for (const k of [...s.keys()].sort(compareStrings)) out.set(k, new Map([[k, s.get(k)!]]));
    return out;
  },
  parseOp,
  appliedToJson: (a) => ({ type: a.type, key: a.key, ...(writeToJson(a) as object) }) as Json,
  parseApplied(json, where = "lww-map applied op") {
    const o = expectObject(json, where);
    if (o.type !== "set" && o.type !== "delete") throw new CrdtInputError(`${where}.type`, `expected "set" or "delete", got ${JSON.stringify(o.type)}`);
    const { type, key, ...rest } = o;
    const w = writeFromJson(rest, where, true);
    if ((type === "delete") !== (w.value === null)) throw new CrdtInputError(`${where}.value`, type === "delete" ? "a delete has value null" : "a set has a non-null value");
    return { type, key: expectString(key, `${where}.key`), ...w };
  },
  valueToJson: mapValueToJson,
  spec(updates) {
    const best = new Map<string, LwwMapApplied>();
    for (const u of updates) {
      const b = best.get(u.op.key);
      if (b === undefined || compareWrites(u.op, b) > 0) best.set(u.op.key, u.op);
    }
    const out = new Map<string, Json>();
    for (const [k, w] of best) if (w.value !== null) out.set(k, w.value);
    return out;
  },
  keysOf: (a) => [a.key],
  projectValue: (value, key) => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, Json>)[key] ?? null : null),
};

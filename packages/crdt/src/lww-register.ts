/**
 * LWW-Register: last writer wins by hybrid logical clock stamp, ties broken by replica id
 * (Shapiro et al. 2011, spec. 8, with HLC stamps as in CockroachDB). A write at a replica takes
 * the next stamp after the register's (the largest it has heard of) and the caller's physical
 * time, so a write that saw another always wins over it, and concurrent writes are ordered by
 * physical time within the clocks' skew.
 *
 * @module
 */
import type { StateCrdt } from "./crdt.js";
import { hlcFromJson, hlcTick, hlcToJson, compareHlc, hlcZero, type HlcStamp } from "./hlc.js";
import { CrdtInputError, canonicalJson, compareStrings, expectInt, expectJson, expectKeys, expectObject, expectString, type Json } from "./json.js";
import type { ReplicaId } from "./version-vector.js";

/** A write: its value, stamp and replica. */
export interface LwwWrite {
  /** The value written (never `null`: a read of `null` means no write yet). */
  readonly value: Json;
  /** The write's hybrid logical clock stamp. */
  readonly stamp: HlcStamp;
  /** The replica that wrote it (breaks ties between equal stamps). */
  readonly replica: ReplicaId;
}

/** A register state: the winning write, or `null` before any. */
export type LwwRegisterState = LwwWrite | null;

/** Write `value` at physical time `nowMs` (the caller's clock: the CRDT never reads one). */
export interface LwwRegisterOp {
  readonly type: "set";
  readonly value: Json;
  readonly nowMs: number;
}

/** A write as applied: the stamp it was given. */
export interface LwwRegisterApplied {
  readonly type: "set";
  readonly value: Json;
  readonly stamp: HlcStamp;
  readonly replica: ReplicaId;
}

/** Orders writes: stamp, then replica id, then (only for corrupt input) the value's encoding. */
export function compareWrites(a: LwwWrite, b: LwwWrite): number {
  return compareHlc(a.stamp, b.stamp) || compareStrings(a.replica, b.replica) || compareStrings(canonicalJson(a.value), canonicalJson(b.value));
}

/** @internal JSON of a write. */
export function writeToJson(w: LwwWrite): Json {
  return { replica: w.replica, stamp: hlcToJson(w.stamp), value: w.value };
}

/** @internal A write from JSON. */
export function writeFromJson(json: unknown, where: string, allowNull: boolean): LwwWrite {
  const o = expectObject(json, where);
  expectKeys(o, ["value", "stamp", "replica"], where);
  const value = expectJson(o.value, `${where}.value`);
  if (value === null && !allowNull) throw new CrdtInputError(`${where}.value`, "null is not a value (it reads as unset)");
  return { value, stamp: hlcFromJson(o.stamp, `${where}.stamp`), replica: expectString(o.replica, `${where}.replica`) };
}

function parseOp(json: unknown, where = "lww-register op"): LwwRegisterOp {
  const o = expectObject(json, where);
  if (o.type !== "set") throw new CrdtInputError(`${where}.type`, `expected "set", got ${JSON.stringify(o.type)}`);
  expectKeys(o, ["type", "value", "nowMs"], where);
  const value = expectJson(o.value, `${where}.value`);
  if (value === null) throw new CrdtInputError(`${where}.value`, "null is not a value (it reads as unset)");
  return { type: "set", value, nowMs: expectInt(o.nowMs, `${where}.nowMs`) };
}

function merge(a: LwwRegisterState, b: LwwRegisterState): LwwRegisterState {
  if (a === null) return b;
  if (b === null) return a;
  return compareWrites(a, b) >= 0 ? a : b;
}

/** The LWW-Register. */
export const lwwRegister: StateCrdt<LwwRegisterState, LwwRegisterOp, Json, LwwRegisterApplied> = {
  name: "lww-register",
  bottom: () => null,
  mutate(state, replica, op) {
    if (op.value === null) throw new CrdtInputError("lww-register set", "null is not a value (it reads as unset)");
    const stamp = hlcTick(state?.stamp ?? hlcZero, op.nowMs);
    const delta: LwwWrite = { value: op.value, stamp, replica };
    return { state: delta, delta, applied: { type: "set", value: op.value, stamp, replica } };
  },
  merge,
  leq: (a, b) => a === null || (b !== null && compareWrites(a, b) <= 0),
  equals: (a, b) => (a === null ? b === null : b !== null && compareWrites(a, b) === 0),
  value: (s) => (s === null ? null : s.value),
  toJson: (s) => (s === null ? null : writeToJson(s)),
  fromJson: (json, where = "lww-register state") => (json === null ? null : writeFromJson(json, where, false)),
  parts: (s) => (s === null ? new Map() : new Map([["value", s]])),
  parseOp,
  appliedToJson: (a) => ({ type: "set", ...(writeToJson(a) as object) }) as Json,
  parseApplied(json, where = "lww-register applied op") {
    const o = expectObject(json, where);
    if (o.type !== "set") throw new CrdtInputError(`${where}.type`, `expected "set", got ${JSON.stringify(o.type)}`);
    const { type: _t, ...rest } = o;
    return { type: "set", ...writeFromJson(rest, where, false) };
  },
  valueToJson: (v) => v,
  spec(updates) {
    let best: LwwWrite | null = null;
    for (const u of updates) if (best === null || compareWrites(u.op, best) > 0) best = u.op;
    return best === null ? null : best.value;
  },
};

/**
 * The {@link ValueOps} the engine uses: equality, 64-bit fingerprints, symmetry permutations,
 * TLC text, Apalache ITF JSON, and a structured-clone-safe form for worker threads.
 *
 * @module
 */
import type { State, Value, ValueOps } from "../model.js";
import { valueEquals } from "./compare.js";
import { formatValue } from "./format.js";
import { fcnFromPairs, setOf } from "./sets.js";
import { SymmetricKeys, type Permutation } from "./symmetry.js";
import { Fcn, LazyFcn, ModelValue, SetValue, ValueError, hashHi, hashLo, mix32, tuple, type Val } from "./value.js";
import { decodeStates, encodeStates, type WireStates } from "./wire.js";

const modelValues = new Map<string, ModelValue>();

/** The model value named `name` (one object per name, so identity is equality). */
export function getModelValue(name: string): ModelValue {
  let mv = modelValues.get(name);
  if (!mv) {
    mv = new ModelValue(name);
    modelValues.set(name, mv);
  }
  return mv;
}

/** 64-bit fingerprint of a value as a bigint. */
export function fingerprint(v: Val): bigint {
  const lo = hashLo(v) >>> 0;
  const hi = hashHi() >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** {@link fingerprint} without allocation: out[0] = low 32 bits, out[1] = high 32 bits. */
export function fingerprintInto(v: Val, out: Uint32Array): void {
  out[0] = hashLo(v) >>> 0;
  out[1] = hashHi() >>> 0;
}

/** {@link fingerprintState} without allocation: out[0] = low 32 bits, out[1] = high 32 bits. */
export function fingerprintStateInto(state: State, out: Uint32Array): void {
  let a = 0x6a09e667;
  let b = 0x3c6ef372;
  for (let i = 0; i < state.length; i++) {
    const lo = hashLo(state[i] as Val);
    const hi = hashHi();
    a = Math.imul(a ^ lo, 0x9e3779b1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ hi, 0x85ebca77);
    b = ((b << 13) | (b >>> 19)) + a;
  }
  out[0] = mix32(a ^ Math.imul(b, 0x27d4eb2f)) >>> 0;
  out[1] = mix32(b ^ state.length) >>> 0;
}

/** 64-bit fingerprint of a state: per-slot hashes mixed with the slot position. */
export function fingerprintState(state: State): bigint {
  let a = 0x6a09e667;
  let b = 0x3c6ef372;
  for (let i = 0; i < state.length; i++) {
    const lo = hashLo(state[i] as Val);
    const hi = hashHi();
    a = Math.imul(a ^ lo, 0x9e3779b1);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ hi, 0x85ebca77);
    b = ((b << 13) | (b >>> 19)) + a;
  }
  const lo = mix32(a ^ Math.imul(b, 0x27d4eb2f)) >>> 0;
  const hi = mix32(b ^ state.length) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Apply a model-value permutation to a value. */
export function permute(v: Val, perm: ReadonlyArray<readonly [Value, Value]>): Val {
  if (v instanceof ModelValue) {
    for (const [from, to] of perm) if (from === v) return to as Val;
    return v;
  }
  if (v instanceof SetValue) return setOf(v.elems().map((x) => permute(x, perm)));
  if (v instanceof LazyFcn) v = v.force();
  if (v instanceof Fcn) {
    return fcnFromPairs(
      v.dom.map((d) => permute(d, perm)),
      v.rng.map((r) => permute(r, perm)),
    );
  }
  return v;
}

/** Apalache ITF JSON. */
export function toITF(v: Val): unknown {
  switch (typeof v) {
    case "number":
      return Number.isSafeInteger(v) && Math.abs(v) < 2 ** 53 ? v : { "#bigint": String(v) };
    case "boolean":
    case "string":
      return v;
    default:
      if (v instanceof ModelValue) return v.name;
      if (v instanceof SetValue) return { "#set": v.elems().map(toITF) };
      if (v instanceof LazyFcn) return toITF(v.force());
      if (v instanceof Fcn) {
        if (v.isSeq) return { "#tup": v.rng.map(toITF) };
        if (v.dom.every((d) => typeof d === "string")) {
          const o: Record<string, unknown> = {};
          v.dom.forEach((d, i) => (o[d as string] = toITF(v.rng[i]!)));
          return o;
        }
        return { "#map": v.dom.map((d, i) => [toITF(d), toITF(v.rng[i]!)]) };
      }
      throw new ValueError(`cannot convert ${formatValue(v)} to ITF`);
  }
}

/** Read Apalache ITF JSON back into a value. */
export function fromITF(j: unknown): Val {
  if (typeof j === "number" || typeof j === "boolean" || typeof j === "string") return j;
  if (Array.isArray(j)) return tuple(j.map(fromITF));
  if (j && typeof j === "object") {
    const o = j as Record<string, unknown>;
    if ("#bigint" in o) return Number(o["#bigint"]);
    if ("#set" in o) return setOf((o["#set"] as unknown[]).map(fromITF));
    if ("#tup" in o) return tuple((o["#tup"] as unknown[]).map(fromITF));
    if ("#map" in o) {
      const pairs = o["#map"] as [unknown, unknown][];
      return fcnFromPairs(
        pairs.map((p) => fromITF(p[0])),
        pairs.map((p) => fromITF(p[1])),
      );
    }
    const keys = Object.keys(o).filter((k) => !k.startsWith("#"));
    return fcnFromPairs(keys, keys.map((k) => fromITF(o[k])));
  }
  throw new ValueError(`not an ITF value: ${JSON.stringify(j)}`);
}

type Portable = number | boolean | string | { m: string } | { s: Portable[] } | { d: Portable[]; r: Portable[] };

/** A structured-clone-safe form (for worker threads). */
export function toPortable(v: Val): Portable {
  switch (typeof v) {
    case "number":
    case "boolean":
    case "string":
      return v;
    default:
      if (v instanceof ModelValue) return { m: v.name };
      if (v instanceof SetValue) return { s: v.elems().map(toPortable) };
      if (v instanceof LazyFcn) return toPortable(v.force());
      if (v instanceof Fcn) return { d: v.dom.map(toPortable), r: v.rng.map(toPortable) };
      throw new ValueError(`cannot send ${formatValue(v)} to another thread`);
  }
}

/** Back from {@link toPortable}. */
export function fromPortable(p: unknown): Val {
  if (typeof p === "number" || typeof p === "boolean" || typeof p === "string") return p;
  const o = p as Record<string, unknown>;
  if ("m" in o) return getModelValue(o.m as string);
  if ("s" in o) return setOf((o.s as unknown[]).map(fromPortable));
  if ("d" in o) return fcnFromPairs((o.d as unknown[]).map(fromPortable), (o.r as unknown[]).map(fromPortable));
  throw new ValueError(`not a portable value: ${JSON.stringify(p)}`);
}

/** Plain JS to values: arrays are tuples, Sets are sets, Maps and objects are functions/records. */
export function fromJS(js: unknown): Val {
  if (typeof js === "number" || typeof js === "boolean" || typeof js === "string") return js;
  if (typeof js === "bigint") return Number(js);
  if (js instanceof ModelValue || js instanceof SetValue || js instanceof Fcn) return js;
  if (Array.isArray(js)) return tuple(js.map(fromJS));
  if (js instanceof Set) return setOf([...js].map(fromJS));
  if (js instanceof Map) return fcnFromPairs([...js.keys()].map(fromJS), [...js.values()].map(fromJS));
  if (js && typeof js === "object") {
    const keys = Object.keys(js);
    return fcnFromPairs(keys, keys.map((k) => fromJS((js as Record<string, unknown>)[k])));
  }
  throw new ValueError(`cannot convert ${String(js)} to a TLA+ value`);
}

/** The core's value operations: {@link ValueOps} plus allocation-free fingerprint forms. */
export interface CoreValueOps extends ValueOps {
  /** Same fingerprint as `fingerprint`, as two 32-bit halves written into `out`. */
  fingerprintInto(v: Value, out: Uint32Array): void;
  /** Same fingerprint as `fingerprintState`, as two 32-bit halves written into `out`. */
  fingerprintStateInto(state: State, out: Uint32Array): void;
  /**
   * The key of a state under a symmetry group (the permutations other than the identity), the
   * same for every state of an orbit, computed without building permuted states (see `symmetry.ts`).
   */
  symmetricKeys(group: readonly Permutation[]): (state: State, out: Uint32Array) => void;
}

/** The {@link ValueOps} of the core. */
export const valueOps: CoreValueOps = {
  fingerprintInto: (v, out) => fingerprintInto(v as Val, out),
  fingerprintStateInto,
  symmetricKeys: (group) => {
    const keys = new SymmetricKeys(group);
    return (state, out) => keys.stateInto(state, out);
  },
  equals: (a, b) => valueEquals(a as Val, b as Val),
  fingerprint: (v) => fingerprint(v as Val),
  fingerprintState,
  permute: (v, perm) => permute(v as Val, perm),
  format: (v) => formatValue(v as Val),
  toITF: (v) => toITF(v as Val),
  fromITF,
  toPortable: (v) => toPortable(v as Val),
  fromPortable,
  toPortableStates: (states, width) => {
    const batch = encodeStates(states as Val[][], width);
    return { batch, transfer: [batch.bytes] };
  },
  fromPortableStates: (batch) => decodeStates(batch as WireStates),
  fromJS,
};

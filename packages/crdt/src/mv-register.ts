/**
 * MV-Register: a multi-value register (Dynamo's and Riak's siblings; Shapiro et al. 2011,
 * spec. 10). Each write carries a version vector one past everything its replica has seen;
 * merge keeps the writes no other write dominates, so concurrent writes all stay until a
 * write that saw them replaces them. A read returns every value kept.
 *
 * @module
 */
import type { CausalUpdate, StateCrdt } from "./crdt.js";
import { canonicalJson, compareStrings, CrdtInputError, expectArray, expectJson, expectKeys, expectObject, type Json } from "./json.js";
import { emptyVv, vvEquals, vvFromJson, vvGet, vvLeq, vvMerge, vvSet, vvToJson, type VersionVector } from "./version-vector.js";

/** A write kept by the register: its value and version vector. */
export interface MvEntry {
  /** The value written. */
  readonly value: Json;
  /** The write's version vector: what its replica had seen, plus one of its own. */
  readonly vv: VersionVector;
}

/** The register's state: pairwise concurrent writes, sorted by their encoding. */
export type MvRegisterState = readonly MvEntry[];

/** Write a value. */
export interface MvRegisterOp {
  readonly type: "set";
  readonly value: Json;
}

/** A write as applied, with its version vector. */
export interface MvRegisterApplied {
  readonly type: "set";
  readonly value: Json;
  readonly vv: VersionVector;
}

const entryKey = (e: MvEntry): string => canonicalJson(vvToJson(e.vv));

function strictlyBelow(a: VersionVector, b: VersionVector): boolean {
  return vvLeq(a, b) && !vvEquals(a, b);
}

/** Keeps the maximal entries, one per version vector, sorted. */
function normal(entries: readonly MvEntry[]): MvRegisterState {
  const byVv = new Map<string, MvEntry>();
  for (const e of entries) {
    const k = entryKey(e);
    const prior = byVv.get(k);
    // Equal vectors are the same write; for corrupt input keep the larger value, so merge stays a function.
    if (prior === undefined || compareStrings(canonicalJson(e.value), canonicalJson(prior.value)) > 0) byVv.set(k, e);
  }
  const all = [...byVv.values()];
  return all.filter((e) => !all.some((f) => strictlyBelow(e.vv, f.vv))).sort((a, b) => compareStrings(entryKey(a), entryKey(b)));
}

function merge(a: MvRegisterState, b: MvRegisterState): MvRegisterState {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return normal([...a, ...b]);
}

function toJson(s: MvRegisterState): Json {
  return s.map((e) => ({ value: e.value, vv: vvToJson(e.vv) }));
}

function sameState(a: MvRegisterState, b: MvRegisterState): boolean {
  return a.length === b.length && a.every((e, i) => vvEquals(e.vv, b[i]!.vv) && canonicalJson(e.value) === canonicalJson(b[i]!.value));
}

function parseOp(json: unknown, where = "mv-register op"): MvRegisterOp {
  const o = expectObject(json, where);
  if (o.type !== "set") throw new CrdtInputError(`${where}.type`, `expected "set", got ${JSON.stringify(o.type)}`);
  expectKeys(o, ["type", "value"], where);
  return { type: "set", value: expectJson(o.value, `${where}.value`) };
}

/** The sorted, distinct values of a set of writes (by canonical encoding). */
function values(ws: readonly { value: Json }[]): readonly Json[] {
  const byText = new Map<string, Json>();
  for (const w of ws) byText.set(canonicalJson(w.value), w.value);
  return [...byText.keys()].sort(compareStrings).map((k) => byText.get(k)!);
}

/** The MV-Register. A read is the sorted list of distinct concurrent values (empty before any write). */
export const mvRegister: StateCrdt<MvRegisterState, MvRegisterOp, readonly Json[], MvRegisterApplied> = {
  name: "mv-register",
  bottom: () => [],
  mutate(state, replica, op) {
    let seen: VersionVector = emptyVv;
    for (const e of state) seen = vvMerge(seen, e.vv);
    const vv = vvSet(seen, replica, vvGet(seen, replica) + 1);
    const delta: MvRegisterState = [{ value: op.value, vv }];
    return { state: delta, delta, applied: { type: "set", value: op.value, vv } };
  },
  merge,
  leq: (a, b) => sameState(merge(a, b), b),
  equals: sameState,
  value: (s) => values(s),
  toJson,
  fromJson(json, where = "mv-register state") {
    const entries = expectArray(json, where).map((x, i) => {
      const w = `${where}[${i}]`;
      const o = expectObject(x, w);
      expectKeys(o, ["value", "vv"], w);
      return { value: expectJson(o.value, `${w}.value`), vv: vvFromJson(o.vv, `${w}.vv`) };
    });
    const n = normal(entries);
    if (!sameState(n, entries)) throw new CrdtInputError(where, "entries are not pairwise concurrent and sorted (not in normal form)");
    return n;
  },
  parts: (s) => (s.length === 0 ? new Map() : new Map([["value", s]])),
  parseOp,
  appliedToJson: (a) => ({ type: "set", value: a.value, vv: vvToJson(a.vv) }),
  parseApplied(json, where = "mv-register applied op") {
    const o = expectObject(json, where);
    expectKeys(o, ["type", "value", "vv"], where);
    const op = parseOp({ type: o.type, value: o.value }, where);
    return { ...op, vv: vvFromJson(o.vv, `${where}.vv`) };
  },
  valueToJson: (v) => v,
  spec(updates, hb) {
    // A replica's earlier writes happened before its later ones, so only each replica's last write
    // can be maximal: O(replicas x updates) rather than O(updates²).
    const last = new Map<string, CausalUpdate<MvRegisterApplied>>();
    for (const u of updates) if ((last.get(u.replica)?.seq ?? 0) < u.seq) last.set(u.replica, u);
    const candidates = [...last.values()];
    return values(candidates.filter((u) => !updates.some((v) => v !== u && hb(u, v))).map((u) => u.op));
  },
};

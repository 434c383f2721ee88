/**
 * Version vectors: a map from replica to a count, zero where absent. They stand for the
 * downward-closed set of events {(r, n) : 1 <= n <= vv[r]}, so their join is the pointwise max.
 *
 * @module
 */
import { CrdtInputError, compareStrings, expectInt, expectObject, type Json } from "./json.js";

/** The name of a replica (a node id). */
export type ReplicaId = string;

/** A version vector: replica to count; a replica that is absent counts 0. Never holds a 0. */
export type VersionVector = ReadonlyMap<ReplicaId, number>;

/** The empty version vector (every count 0). */
export const emptyVv: VersionVector = new Map();

/** `vv[r]`, 0 where absent. */
export function vvGet(vv: VersionVector, r: ReplicaId): number {
  return vv.get(r) ?? 0;
}

/** `vv` with `r` set to `n` (a 0 removes the entry, so equal vectors have equal maps). */
export function vvSet(vv: VersionVector, r: ReplicaId, n: number): VersionVector {
  const out = new Map(vv);
  if (n === 0) out.delete(r);
  else out.set(r, n);
  return out;
}

/** The pointwise maximum (the join). */
export function vvMerge(a: VersionVector, b: VersionVector): VersionVector {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [r, n] of b) if (n > (out.get(r) ?? 0)) out.set(r, n);
  return out;
}

/** The pointwise minimum (the meet): what every vector in `vvs` has seen. */
export function vvMeet(vvs: readonly VersionVector[]): VersionVector {
  if (vvs.length === 0) return emptyVv;
  const out = new Map<ReplicaId, number>();
  for (const [r, n] of vvs[0]!) {
    let m = n;
    for (const v of vvs) m = Math.min(m, v.get(r) ?? 0);
    if (m > 0) out.set(r, m);
  }
  return out;
}

/** `a <= b` pointwise (a happened before or equals b). */
export function vvLeq(a: VersionVector, b: VersionVector): boolean {
  for (const [r, n] of a) if (n > (b.get(r) ?? 0)) return false;
  return true;
}

/** Equal pointwise. */
export function vvEquals(a: VersionVector, b: VersionVector): boolean {
  if (a.size !== b.size) return false;
  for (const [r, n] of a) if (b.get(r) !== n) return false;
  return true;
}

/** Neither `a <= b` nor `b <= a`. */
export function vvConcurrent(a: VersionVector, b: VersionVector): boolean {
  return !vvLeq(a, b) && !vvLeq(b, a);
}

/** The vector as a JSON object with sorted keys. */
export function vvToJson(vv: VersionVector): Json {
  const o: Record<string, number> = {};
  for (const r of [...vv.keys()].sort(compareStrings)) o[r] = vv.get(r)!;
  return o;
}

/**
 * A vector from its JSON object form.
 * @throws CrdtInputError naming `where` for a non-object or a count that is not a positive integer
 */
export function vvFromJson(json: unknown, where: string): VersionVector {
  const o = expectObject(json, where);
  const out = new Map<ReplicaId, number>();
  for (const [r, n] of Object.entries(o)) {
    if (r === "") throw new CrdtInputError(where, "a replica id is empty");
    out.set(r, expectInt(n, `${where}.${r}`, 1));
  }
  return out;
}

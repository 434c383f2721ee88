/**
 * Version vectors: for one key, how many updates from each origin replica a state includes. The
 * node delivers updates causally per key, so a state always holds a prefix of every origin's
 * updates and the vector names exactly the updates joined into it.
 *
 * Vectors are plain records (`{ n1: 3, n2: 1 }`, zero entries omitted) so they go on the wire and
 * into storage as they are.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** Updates included per origin (absent: none). */
export type VersionVector = Readonly<Record<NodeId, number>>;

/** How two vectors relate. */
export type Ordering = "equal" | "before" | "after" | "concurrent";

/** `a`'s count for `origin`. */
export function vvGet(a: VersionVector, origin: NodeId): number {
  return Object.hasOwn(a, origin) ? (a[origin] as number) : 0;
}

/** The pointwise maximum (the vector of the join of the two states). */
export function vvJoin(a: VersionVector, b: VersionVector): VersionVector {
  const out: Record<NodeId, number> = { ...a };
  for (const [k, v] of Object.entries(b)) if (v > vvGet(out, k)) out[k] = v;
  return out;
}

/** True when `a` includes every update `b` does. */
export function vvDominates(a: VersionVector, b: VersionVector): boolean {
  for (const [k, v] of Object.entries(b)) if (vvGet(a, k) < v) return false;
  return true;
}

/** How `a` relates to `b` (`before`: `b` includes everything `a` does, and more). */
export function vvCompare(a: VersionVector, b: VersionVector): Ordering {
  const ab = vvDominates(a, b);
  const ba = vvDominates(b, a);
  if (ab && ba) return "equal";
  if (ab) return "after";
  if (ba) return "before";
  return "concurrent";
}

/** `a` with `origin`'s count set to `seq`. */
export function vvWith(a: VersionVector, origin: NodeId, seq: number): VersionVector {
  return { ...a, [origin]: seq };
}

/** Total updates the vector names. */
export function vvSize(a: VersionVector): number {
  let n = 0;
  for (const v of Object.values(a)) n += v;
  return n;
}

/** A canonical string (origins sorted), equal for equal vectors: what Merkle leaves hash. */
export function vvString(a: VersionVector): string {
  return Object.keys(a)
    .filter((k) => vvGet(a, k) > 0)
    .sort()
    .map((k) => `${k}:${a[k]}`)
    .join(",");
}

/** Check a vector read from the wire or storage; returns the problem, or null. */
export function vvProblem(v: unknown): string | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "a version vector must be an object of origin → count";
  for (const [k, n] of Object.entries(v)) {
    if (!Number.isSafeInteger(n) || (n as number) < 0) return `version vector entry ${JSON.stringify(k)} is ${JSON.stringify(n)}, not a count`;
  }
  return null;
}

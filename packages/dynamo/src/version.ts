/**
 * Dotted version vectors (Preguiça, Baquero et al., 2012): how concurrent writes are kept apart as
 * siblings without the false conflicts or silent losses of per-client or per-server clocks.
 *
 * Every write gets a *dot* `(coordinator, counter)` — the coordinator's next counter for the key —
 * and keeps the *context* its client read (a version vector: for each coordinator, the highest
 * counter seen). A write supersedes exactly the siblings whose dots its context covers; all others
 * stay as siblings. Replicas merge states with {@link sync}, which is commutative, associative and
 * idempotent, so any order of replication, read repair, hinted handoff and anti-entropy converges.
 *
 * Why a replica's state never claims more than it knows: a coordinator stores each new dot
 * locally before it replicates, and replicates its whole sibling set, never one sibling alone; so
 * any state that holds `(r, k)` holds or covers every earlier dot `(r, j < k)` of that key, and the
 * context a client reads ({@link contextOf}) covers only writes the client's read reflects.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** The unique name of one write: its coordinator and that coordinator's counter for the key. */
export interface Dot {
  node: NodeId;
  counter: number;
}

/** For each coordinator, the highest counter of the key's writes a state or client has seen. */
export type VersionVector = { [node: string]: number };

/** One concurrent version of a key: the write's dot, the context it was written with, its value. */
export interface Sibling {
  dot: Dot;
  context: VersionVector;
  value: string;
  /**
   * The client request that wrote it (`<client>/<seq>`), when there was one: a coordinator that
   * receives a retry of a request whose write it already holds replicates that write again
   * instead of writing it twice under a new dot.
   */
  req?: string;
}

/** `n1:3`, how reports and histories print a dot. */
export function formatDot(d: Dot): string {
  return `${d.node}:${d.counter}`;
}

/** Whether `vv` covers `dot` (the writer of `vv` had seen that write). */
export function covers(vv: VersionVector, dot: Dot): boolean {
  return (vv[dot.node] ?? 0) >= dot.counter;
}

/** The pointwise maximum of two version vectors (a new object; keys sorted). */
export function joinVV(a: VersionVector, b: VersionVector): VersionVector {
  const out: VersionVector = {};
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[k] = Math.max(a[k] ?? 0, b[k] ?? 0);
  return out;
}

/** Whether `a` covers everything `b` does. */
export function descends(a: VersionVector, b: VersionVector): boolean {
  return Object.entries(b).every(([k, v]) => (a[k] ?? 0) >= v);
}

function compareDots(a: Dot, b: Dot): number {
  return a.node < b.node ? -1 : a.node > b.node ? 1 : a.counter - b.counter;
}

/**
 * Merge two sibling sets: the union (a dot is one write, kept once) minus every sibling whose dot
 * another sibling's context covers. The result is sorted by dot, so equal states are equal JSON.
 */
export function sync(a: readonly Sibling[], b: readonly Sibling[]): Sibling[] {
  const byDot = new Map<string, Sibling>();
  for (const s of [...a, ...b]) byDot.set(formatDot(s.dot), s);
  const all = [...byDot.values()];
  return all.filter((s) => !all.some((t) => t !== s && covers(t.context, s.dot))).sort((x, y) => compareDots(x.dot, y.dot));
}

/** The context a reader of `siblings` gets: every dot and every context in them, joined. */
export function contextOf(siblings: readonly Sibling[]): VersionVector {
  let vv: VersionVector = {};
  for (const s of siblings) vv = joinVV(joinVV(vv, s.context), { [s.dot.node]: s.dot.counter });
  return vv;
}

/**
 * A write of `value` with the client's `context`, coordinated by `coordinator` whose local state
 * of the key is `local`: the new dot is one past the highest counter of `coordinator` the local
 * state or the context knows. Local siblings the context covers are superseded; the rest stay.
 */
export function update(local: readonly Sibling[], context: VersionVector, value: string, coordinator: NodeId, req?: string): { siblings: Sibling[]; dot: Dot } {
  const known = Math.max(contextOf(local)[coordinator] ?? 0, context[coordinator] ?? 0);
  const dot: Dot = { node: coordinator, counter: known + 1 };
  const kept = local.filter((s) => !covers(context, s.dot));
  const sibling: Sibling = { dot, context: joinVV({}, context), value };
  if (req !== undefined) sibling.req = req;
  return { siblings: sync(kept, [sibling]), dot };
}

/** A short fingerprint of a sibling set: its dots (a dot names one write, so equal dots, equal sets). */
export function digestOf(siblings: readonly Sibling[]): string {
  return siblings.map((s) => formatDot(s.dot)).join(",");
}

/** Whether state `a` already reflects everything in `b` (merging `b` into it changes nothing). */
export function reflects(a: readonly Sibling[], b: readonly Sibling[]): boolean {
  return digestOf(sync(a, b)) === digestOf(a);
}

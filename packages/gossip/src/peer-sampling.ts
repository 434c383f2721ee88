/**
 * Peer sampling: `k` distinct peers drawn uniformly from the current view (the SWIM members not
 * known dead), by a partial Fisher–Yates shuffle with the node's injected generator. Uniform
 * sampling over a full membership view is what memberlist does for gossip targets; it is the
 * assumption behind the epidemic round counts (log N + ln N for push, Pittel 1987).
 *
 * @module
 */
import type { NodeId, Rng } from "@synod/protocol";

/** Up to `k` distinct members of `view`, uniformly at random (all of them, shuffled, if `k ≥ |view|`). */
export function samplePeers(view: readonly NodeId[], k: number, rng: Rng): NodeId[] {
  const n = Math.min(k, view.length);
  // The shuffle's swaps are kept in a map, so a draw of k costs O(k), not a copy of the view.
  const swapped = new Map<number, number>();
  const at = (i: number): number => swapped.get(i) ?? i;
  const out: NodeId[] = [];
  for (let i = 0; i < n; i++) {
    const j = rng.nextInt(i, view.length - 1);
    const pick = at(j);
    swapped.set(j, at(i));
    out.push(view[pick] as NodeId);
  }
  return out;
}

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
  const a = [...view];
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = rng.nextInt(i, a.length - 1);
    const t = a[i] as NodeId;
    a[i] = a[j] as NodeId;
    a[j] = t;
  }
  return a.slice(0, n);
}

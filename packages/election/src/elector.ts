/**
 * The elector API every election node offers its application, whatever the algorithm: who leads,
 * under which generation, and (for leases) until when the node may act as the leader.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** What an application asks its election node. */
export interface Elector {
  /** This node's id. */
  readonly id: NodeId;
  /**
   * The leader this node knows of (itself included), or `null` while an election runs or none is
   * known. For a lease election this is a hint, not a right: only {@link Elector.isLeader} says
   * whether this node may act as the leader.
   */
  leader(): NodeId | null;
  /**
   * Whether this node may act as the leader at local time `nowMs` (its own clock reading). For a
   * lease election: it won generation {@link Elector.generation}, waited out every earlier lease,
   * and holds a lease a majority granted, valid at `nowMs`. For Bully and ring: it was elected and
   * has not seen a higher node since (no guarantee under partitions: see the package README).
   */
  isLeader(nowMs: number): boolean;
  /**
   * The generation of this node's leadership, or of the newest leadership it has promised to
   * (lease election; a fencing token: strictly greater for every later leadership). `null` for
   * algorithms without generations.
   */
  generation(): number | null;
  /**
   * Until which local time this node's lease is valid (`null`: no lease held, or no leases in the
   * algorithm). The lease is honoured only after the wait ({@link Elector.isLeader} checks both).
   */
  leaseUntilMs(): number | null;
}

/**
 * Node ids in rank order: by their numeric part when both have one (`n9` < `n10`), else as
 * strings. Bully and the ring elect the highest-ranked live node.
 */
export function compareIds(a: NodeId, b: NodeId): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) {
    const d = Number(ma[2]) - Number(mb[2]);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

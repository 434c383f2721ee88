/**
 * SWIM membership state (Das, Gupta, Motivala 2002, with hashicorp/memberlist's rules): every
 * member's status and incarnation number, the precedence rules for alive / suspect / dead updates,
 * refutation of suspicion about oneself by a higher incarnation, and the queue of updates waiting
 * to be piggybacked on probes, each sent a bounded number of times.
 *
 * Pure bookkeeping: the node decides when to probe and suspect (`node.ts`).
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { MemberUpdate } from "./messages.js";

/** A member's status in the local view. */
export type MemberStatus = "alive" | "suspect" | "dead";

/** One member in the local view. */
export interface Member {
  id: NodeId;
  status: MemberStatus;
  incarnation: number;
}

/** What applying an update did. */
export type UpdateEffect =
  /** Nothing (stale or already known). */
  | "none"
  /** The view changed: disseminate the update further. */
  | "changed"
  /** It was about this node being suspect or dead: it refuted with a higher incarnation. */
  | "refuted";

/** The local membership view. */
export class Membership {
  readonly self: NodeId;
  private readonly members = new Map<NodeId, Member>();
  /** Updates to piggyback, one per member (a newer one replaces an older), with send counts. */
  private readonly queue = new Map<NodeId, { update: MemberUpdate; sent: number }>();
  private readonly retransmitMult: number;
  private reachableCache: NodeId[] | null = null;

  constructor(self: NodeId, peers: readonly NodeId[], incarnation: number, retransmitMult: number) {
    this.self = self;
    this.retransmitMult = retransmitMult;
    this.members.set(self, { id: self, status: "alive", incarnation });
    for (const p of peers) if (p !== self) this.members.set(p, { id: p, status: "alive", incarnation: 0 });
  }

  /** This node's incarnation. */
  get incarnation(): number {
    return (this.members.get(this.self) as Member).incarnation;
  }

  /** Every member, this node included, sorted by id. */
  all(): Member[] {
    return [...this.members.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One member, if known. */
  get(id: NodeId): Member | undefined {
    return this.members.get(id);
  }

  /** Other members not known dead (probe targets and gossip peers), sorted by id. */
  reachable(): readonly NodeId[] {
    // Cached: every gossip round samples from it, and at a thousand members sorting each time
    // dominated a round.
    this.reachableCache ??= this.all()
      .filter((m) => m.id !== this.self && m.status !== "dead")
      .map((m) => m.id);
    return this.reachableCache;
  }

  /**
   * Apply an update heard from a peer or decided locally, by memberlist's precedence: alive needs
   * a higher incarnation than known (or an unknown member); suspect and dead need at least the
   * known incarnation; suspect does not override dead. About this node, suspect or dead is refuted.
   */
  apply(u: MemberUpdate): UpdateEffect {
    const m = this.members.get(u.node);
    if (u.node === this.self) {
      if (u.kind === "alive" || u.incarnation < this.incarnation) return "none";
      const me = m as Member;
      me.incarnation = u.incarnation + 1;
      this.enqueue({ kind: "alive", node: this.self, incarnation: me.incarnation });
      return "refuted";
    }
    switch (u.kind) {
      case "alive":
        if (m !== undefined && u.incarnation <= m.incarnation) return "none";
        this.members.set(u.node, { id: u.node, status: "alive", incarnation: u.incarnation });
        break;
      case "suspect":
        if (m === undefined || u.incarnation < m.incarnation || m.status === "dead") return "none";
        if (m.status === "suspect" && u.incarnation === m.incarnation) return "none";
        m.status = "suspect";
        m.incarnation = u.incarnation;
        break;
      case "dead":
        if (m === undefined || u.incarnation < m.incarnation || m.status === "dead") return "none";
        m.status = "dead";
        m.incarnation = u.incarnation;
        break;
    }
    this.reachableCache = null;
    this.enqueue(u);
    return "changed";
  }

  /** Announce this node alive with a fresh incarnation (after a restart). */
  rejoin(incarnation: number): void {
    (this.members.get(this.self) as Member).incarnation = incarnation;
    this.enqueue({ kind: "alive", node: this.self, incarnation });
  }

  /** Queue `u` for piggybacking (replacing an older update about the same member). */
  enqueue(u: MemberUpdate): void {
    this.queue.set(u.node, { update: u, sent: 0 });
  }

  /**
   * Up to `max` queued updates for one message, least-sent first; each is dropped after
   * `retransmitMult × ⌈log10(n + 1)⌉` sends, memberlist's limit, so dissemination is bounded.
   */
  piggyback(max: number): MemberUpdate[] {
    const limit = this.retransmitMult * Math.max(1, Math.ceil(Math.log10(this.members.size + 1)));
    const picked = [...this.queue.values()].sort((a, b) => a.sent - b.sent || (a.update.node < b.update.node ? -1 : 1)).slice(0, max);
    for (const p of picked) {
      p.sent++;
      if (p.sent >= limit) this.queue.delete(p.update.node);
    }
    return picked.map((p) => ({ ...p.update }));
  }

  /** Updates waiting to be piggybacked. */
  pending(): number {
    return this.queue.size;
  }
}

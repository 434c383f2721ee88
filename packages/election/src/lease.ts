/**
 * Lease-based leader election as a pure node; `specs/election/LeaseElection.tla` is its spec and
 * its steps carry the spec's action names (`Campaign`, `HandleCampaign`, `HandleGrant`, `Renew`,
 * `HandleRenew`, `HandleAck`, `Restart`).
 *
 * - **Generations.** A candidate takes generation `promised + 1`, promises it to itself (durably)
 *   and asks for votes. A voter grants a generation only if it is newer than every generation it
 *   has promised, and persists the promise before its grant leaves. Two leaderships never share a
 *   generation (majorities intersect), so the generation is a fencing token.
 * - **Leases.** A leader asks a majority for a lease in numbered rounds (the campaign is round 0).
 *   A round's lease runs `leaseMs` of the leader's clock from the moment it *sent* the round, and
 *   holds once a majority has acknowledged it. A node acknowledges only rounds of a generation at
 *   least as new as its promise, so once a majority has promised a newer generation, no old leader
 *   can extend its lease.
 * - **Waiting out the old lease.** The last round of the old leader a majority acknowledged was
 *   sent before the new leader won (a voter acknowledged it before granting the new generation),
 *   so the old lease ends at most `leaseMs / (1 − ρ)` of real time after the win. The new leader
 *   waits `leaseMs · (1 + ρ) / (1 − ρ)` of its own clock — at least that much real time when
 *   every clock runs at a rate in `[1 − ρ, 1 + ρ]` — before it uses its lease. Then at most one
 *   node believes it holds a valid lease at any real time: the spec's `LeaseSafety`.
 *
 * Durable: `promised` (the newest generation promised). A restart forgets every lease (safe: a
 * node only ever believes less) and keeps the promise (needed: a vote must not be given twice).
 *
 * @module
 */
import type { ClientRequest, Json, NodeId, ProtocolNode, Rng } from "@synod/protocol";
import { NodeBase, isMessageShaped } from "./base.js";
import type { Elector } from "./elector.js";
import type { LeadCommand, LeadResult, LeaseMessage } from "./messages.js";
import { checkKnown, checkMembers, ElectionConfigError, flag, positiveMs, rangeMs, type LeaseOptions } from "./options.js";

const KNOWN = ["members", "leaseMs", "driftBound", "renewEveryMs", "electionTimeoutMs", "noWaitOutLease"] as const;

/** A lease node's durable state is corrupt. */
export class LeaseStorageError extends Error {
  override name = "LeaseStorageError";
}

/** The role of a lease node. */
export type LeaseRole = "follower" | "candidate" | "leader";

/** Everything the spec sees of a lease node, in the node's own clock (see {@link LeaseNode.view}). */
export interface LeaseView {
  promised: number;
  role: LeaseRole;
  gen: number;
  round: number;
  acks: NodeId[];
  /** Local time the current round was sent (null: no round). */
  roundStartMs: number | null;
  /** Local time before which a new leader does not use its lease (null: not a leader). */
  waitUntilMs: number | null;
  /** Local time the lease ends (null: none held). */
  leaseUntilMs: number | null;
}

/**
 * How long a new leader waits, in ms of its own clock, before using its lease: the longest the
 * previous lease can still run in real time (`leaseMs / (1 − ρ)`), measured by a clock that may
 * run fast (`× (1 + ρ)`). Rounded up; exact for rational inputs such as the spec's.
 */
export function waitOutMs(leaseMs: number, driftBound: number): number {
  return Math.ceil((leaseMs * (1 + driftBound)) / (1 - driftBound) - 1e-9);
}

/** A lease-election node (see the module comment). */
export class LeaseNode extends NodeBase<LeaseMessage> implements ProtocolNode<LeaseMessage, LeadCommand, LeadResult>, Elector {
  private readonly members: NodeId[];
  private readonly peers: NodeId[];
  private readonly majority: number;
  /** The options, resolved. */
  readonly leaseMs: number;
  readonly driftBound: number;
  readonly renewEveryMs: number;
  readonly waitMs: number;
  private readonly electionTimeoutMs: { min: number; max: number };
  private promised = 0;
  private role: LeaseRole = "follower";
  private gen = 0;
  private round = 0;
  private acks = new Set<NodeId>();
  private roundStartMs: number | null = null;
  private waitUntil: number | null = null;
  private leaseUntil: number | null = null;
  private leaderHint: NodeId | null = null;
  /** Leaderships this node won (for tests and the bench). */
  wins = 0;

  /**
   * @param id this node; @param options members, lease and drift bound; @param rng draws election timeouts;
   * @param durable what storage kept (empty for a fresh node).
   * @throws ElectionConfigError for an unknown option or a bad value; LeaseStorageError for corrupt storage.
   */
  constructor(id: NodeId, options: LeaseOptions, private readonly rng: Rng, durable: ReadonlyMap<string, Json> = new Map()) {
    super(id);
    checkKnown("lease", options, KNOWN);
    const o = options as unknown as Record<string, unknown>;
    this.members = checkMembers("lease", id, options.members);
    this.peers = this.members.filter((m) => m !== id);
    this.majority = Math.floor(this.members.length / 2) + 1;
    this.leaseMs = positiveMs("lease", o, "leaseMs", 100);
    const rho = options.driftBound ?? 0.05;
    if (!(typeof rho === "number" && rho >= 0 && rho < 1)) throw new ElectionConfigError(`lease option driftBound: expected a number in [0, 1), got ${JSON.stringify(rho)}`);
    this.driftBound = rho;
    this.renewEveryMs = positiveMs("lease", o, "renewEveryMs", 25);
    if (this.renewEveryMs >= this.leaseMs) throw new ElectionConfigError(`lease option renewEveryMs: ${this.renewEveryMs} ms must be below leaseMs (${this.leaseMs} ms), or the lease lapses between renewals`);
    this.electionTimeoutMs = rangeMs("lease", o, "electionTimeoutMs", { min: 150, max: 300 });
    this.waitMs = flag("lease", o, "noWaitOutLease") ? 0 : waitOutMs(this.leaseMs, rho);
    this.recover(durable);
    this.armCampaign();
  }

  leader(): NodeId | null {
    return this.role === "leader" ? this.id : this.leaderHint;
  }

  isLeader(nowMs: number): boolean {
    return this.role === "leader" && this.waitUntil !== null && nowMs >= this.waitUntil && this.leaseUntil !== null && nowMs < this.leaseUntil;
  }

  generation(): number | null {
    return this.role === "follower" ? this.promised : this.gen;
  }

  leaseUntilMs(): number | null {
    return this.leaseUntil;
  }

  /** The node's state as the spec sees it (copies). */
  view(): LeaseView {
    return {
      promised: this.promised,
      role: this.role,
      gen: this.gen,
      round: this.round,
      acks: [...this.acks],
      roundStartMs: this.roundStartMs,
      waitUntilMs: this.waitUntil,
      leaseUntilMs: this.leaseUntil,
    };
  }

  /** The durable state as held in memory. */
  durableState(): { promised: number } {
    return { promised: this.promised };
  }

  protected onRestart(_nowMs: number, durable: ReadonlyMap<string, Json>): void {
    this.stepDown();
    this.leaderHint = null;
    this.recover(durable);
    this.note("Restart", { i: this.id });
    this.timer("renew", null);
    this.armCampaign();
  }

  private recover(durable: ReadonlyMap<string, Json>): void {
    for (const k of durable.keys()) if (k !== "promised") throw new LeaseStorageError(`lease node ${this.id}: unknown durable key ${JSON.stringify(k)}`);
    const p = durable.get("promised") ?? 0;
    if (typeof p !== "number" || !Number.isSafeInteger(p) || p < 0) throw new LeaseStorageError(`lease node ${this.id}: durable key "promised" holds ${JSON.stringify(p)}, not a generation`);
    this.promised = p;
  }

  private promise(gen: number): void {
    this.promised = gen;
    this.out.persist.push({ key: "promised", value: gen });
  }

  private stepDown(): void {
    this.role = "follower";
    this.gen = 0;
    this.round = 0;
    this.acks = new Set();
    this.roundStartMs = null;
    this.waitUntil = null;
    this.leaseUntil = null;
  }

  /** Campaign for generation `promised + 1` now (as an election timeout would). */
  campaign(nowMs: number): void {
    if (this.role === "leader") return;
    const g = this.promised + 1;
    this.promise(g);
    this.stepDown();
    this.role = "candidate";
    this.gen = g;
    this.acks = new Set([this.id]);
    this.roundStartMs = nowMs;
    this.note("Campaign", { i: this.id });
    for (const p of this.peers) this.send(p, { type: "Campaign", gen: g });
    this.armCampaign();
    this.countAcks(nowMs);
  }

  private renew(nowMs: number): void {
    this.round++;
    this.acks = new Set([this.id]);
    this.roundStartMs = nowMs;
    this.note("Renew", { i: this.id });
    for (const p of this.peers) this.send(p, { type: "Renew", gen: this.gen, round: this.round });
    this.timer("renew", this.renewEveryMs);
    this.countAcks(nowMs);
  }

  /** With a majority for the current round: the campaign is won, or the lease extended. */
  private countAcks(nowMs: number): void {
    if (this.acks.size < this.majority || this.roundStartMs === null) return;
    if (this.role === "candidate") {
      this.role = "leader";
      this.wins++;
      this.waitUntil = nowMs + this.waitMs;
      this.leaderHint = this.id;
      this.timer("campaign", null);
      this.timer("renew", this.renewEveryMs);
    }
    this.leaseUntil = this.roundStartMs + this.leaseMs;
  }

  protected onMessage(nowMs: number, from: NodeId, m: LeaseMessage): void {
    const g = (m as { gen?: unknown }).gen;
    if (!isMessageShaped(m) || !this.peers.includes(from) || typeof g !== "number" || !Number.isSafeInteger(g) || g < 1) {
      this.ignored++;
      return;
    }
    switch (m.type) {
      case "Campaign":
        if (g <= this.promised) break;
        this.promise(g);
        this.stepDown();
        this.leaderHint = null;
        this.note("HandleCampaign", { i: this.id, j: from, g });
        this.send(from, { type: "Grant", gen: g });
        this.timer("renew", null);
        this.armCampaign();
        return;
      case "Grant":
        if (this.role !== "candidate" || g !== this.gen) break;
        this.acks.add(from);
        this.note("HandleGrant", { i: this.id, j: from });
        this.countAcks(nowMs);
        return;
      case "Renew": {
        if (g < this.promised || !Number.isSafeInteger(m.round) || m.round < 1) break;
        if (g > this.promised) this.promise(g);
        if (this.role !== "follower" && this.gen < g) {
          this.stepDown();
          this.timer("renew", null);
        }
        this.leaderHint = from;
        this.note("HandleRenew", { i: this.id, j: from, g, r: m.round });
        this.send(from, { type: "Ack", gen: g, round: m.round });
        this.armCampaign();
        return;
      }
      case "Ack":
        if (this.role !== "leader" || g !== this.gen || m.round !== this.round) break;
        this.acks.add(from);
        this.note("HandleAck", { i: this.id, j: from });
        this.countAcks(nowMs);
        return;
    }
    this.ignored++;
  }

  protected onTimer(nowMs: number, name: string): void {
    if (name === "campaign") {
      if (this.role !== "leader") this.campaign(nowMs);
    } else if (name === "renew") {
      if (this.role === "leader") this.renew(nowMs);
    }
  }

  private armCampaign(): void {
    this.timer("campaign", this.rng.nextInt(this.electionTimeoutMs.min, this.electionTimeoutMs.max));
  }

  protected onRequest(nowMs: number, req: ClientRequest<LeadCommand>): void {
    const result = this.isLeader(nowMs) ? { node: this.id, generation: this.gen, leaseRemainingMs: (this.leaseUntil as number) - nowMs } : null;
    this.answerLead(req, result, this.leader());
  }
}

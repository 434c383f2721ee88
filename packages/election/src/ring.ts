/**
 * Chang and Roberts' ring election as a pure node. Nodes sit on a ring; an initiator sends
 * `Election(itself)` clockwise. A node passes on a candidate higher than itself, replaces a lower
 * one by itself (once: a node already taking part swallows it), and a node that gets its own id
 * back has the highest id on the ring and announces itself with `Elected`, once round.
 *
 * Crashes: every ring message is acknowledged by its receiver (`Ack`); a sender with no
 * acknowledgement after `ackTimeoutMs` skips that successor and sends to the next, so the ring
 * closes over dead nodes. The leader's `Alive` heartbeat lets the others notice its crash. Like
 * Bully, the algorithm assumes timely messages; a partition splits the ring into leaders.
 *
 * Timers: `watch` (no heartbeat: start an election), `ack` (the successor did not acknowledge),
 * `heartbeat` (the leader's). Nothing is durable.
 *
 * @module
 */
import type { ClientRequest, NodeId, ProtocolNode, Rng } from "@synod/protocol";
import { NodeBase, isMessageShaped } from "./base.js";
import { compareIds, type Elector } from "./elector.js";
import type { LeadCommand, LeadResult, RingMessage } from "./messages.js";
import { byRank, checkKnown, checkMembers, ElectionConfigError, positiveMs, rangeMs, type RingOptions } from "./options.js";

const KNOWN = ["members", "ring", "heartbeatMs", "leaderTimeoutMs", "ackTimeoutMs"] as const;

type RingPayload = { type: "Election"; candidate: NodeId } | { type: "Elected"; leader: NodeId };

/** A Chang–Roberts ring node (see the module comment). */
export class RingNode extends NodeBase<RingMessage> implements ProtocolNode<RingMessage, LeadCommand, LeadResult>, Elector {
  private readonly members: NodeId[];
  /** The other nodes in clockwise order starting from this node's successor. */
  private readonly successors: NodeId[];
  private readonly heartbeatMs: number;
  private readonly leaderTimeoutMs: { min: number; max: number };
  private readonly ackTimeoutMs: number;
  private leaderId: NodeId | null = null;
  private participant = false;
  /** Successors skipped because they did not acknowledge; cleared when one is heard from. */
  private readonly suspected = new Set<NodeId>();
  /** Ring messages sent and not yet acknowledged, by sequence number. */
  private readonly unacked = new Map<number, { to: NodeId; message: RingPayload }>();
  private seq = 0;
  /** Elections this node started. */
  elections = 0;

  /**
   * @param id this node; @param options members, ring order and timing; @param rng draws the leader timeout.
   * @throws ElectionConfigError for an unknown option or a bad value.
   */
  constructor(id: NodeId, options: RingOptions, private readonly rng: Rng) {
    super(id);
    checkKnown("ring", options, KNOWN);
    const o = options as unknown as Record<string, unknown>;
    this.members = checkMembers("ring", id, options.members);
    const ring = options.ring === undefined ? byRank(this.members) : checkMembers("ring", id, options.ring, "ring");
    if (ring.length !== this.members.length || ring.some((r) => !this.members.includes(r))) {
      throw new ElectionConfigError(`ring option ring: ${JSON.stringify(ring)} is not an order of the members ${JSON.stringify(this.members)}`);
    }
    const at = ring.indexOf(id);
    this.successors = [...ring.slice(at + 1), ...ring.slice(0, at)];
    this.heartbeatMs = positiveMs("ring", o, "heartbeatMs", 50);
    this.leaderTimeoutMs = rangeMs("ring", o, "leaderTimeoutMs", { min: 150, max: 300 });
    this.ackTimeoutMs = positiveMs("ring", o, "ackTimeoutMs", 20);
    this.armWatch();
  }

  leader(): NodeId | null {
    return this.leaderId;
  }

  isLeader(_nowMs: number): boolean {
    return this.leaderId === this.id;
  }

  generation(): number | null {
    return null;
  }

  leaseUntilMs(): number | null {
    return null;
  }

  /** Whether this node takes part in an election under way. */
  get electing(): boolean {
    return this.participant;
  }

  protected onRestart(): void {
    this.leaderId = null;
    this.participant = false;
    this.suspected.clear();
    this.unacked.clear();
    this.armWatch();
  }

  /** Start an election now (as a detected leader failure would). */
  startElection(): void {
    this.elections++;
    this.leaderId = null;
    this.participant = true;
    this.timer("heartbeat", null);
    this.forward({ type: "Election", candidate: this.id });
    this.armWatch();
  }

  protected onMessage(_nowMs: number, from: NodeId, m: RingMessage): void {
    if (!isMessageShaped(m) || !this.members.includes(from) || from === this.id) {
      this.ignored++;
      return;
    }
    this.suspected.delete(from);
    switch (m.type) {
      case "Ack":
        if (!this.unacked.delete(m.seq)) this.ignored++;
        if (this.unacked.size === 0) this.timer("ack", null);
        return;
      case "Alive":
        if (compareIds(from, this.leaderId ?? this.id) < 0 && this.leaderId !== null) {
          this.ignored++;
          return;
        }
        if (this.participant && this.leaderId !== from) return;
        this.leaderId = from;
        this.armWatch();
        return;
      case "Election":
      case "Elected":
        this.send(from, { type: "Ack", seq: m.seq });
        this.ringMessage(m.type === "Election" ? { type: "Election", candidate: m.candidate } : { type: "Elected", leader: m.leader });
        return;
      default:
        this.ignored++;
    }
  }

  private ringMessage(m: RingPayload): void {
    if (m.type === "Elected") {
      this.participant = false;
      this.leaderId = m.leader;
      if (m.leader === this.id) {
        this.timer("watch", null);
        this.timer("heartbeat", this.heartbeatMs);
        return;
      }
      this.forward(m);
      this.armWatch();
      return;
    }
    const c = compareIds(m.candidate, this.id);
    if (c > 0) {
      this.participant = true;
      this.forward(m);
    } else if (c < 0) {
      if (this.participant) return;
      this.participant = true;
      this.forward({ type: "Election", candidate: this.id });
    } else {
      // Its own id came round: no live node on the ring is higher.
      this.participant = false;
      this.leaderId = this.id;
      this.forward({ type: "Elected", leader: this.id });
    }
  }

  /** Send a ring message to the first successor not suspected (to this node itself when alone). */
  private forward(m: RingPayload): void {
    const to = this.successors.find((s) => !this.suspected.has(s));
    if (to === undefined) {
      // Every other node is suspected: the message has come round.
      this.ringMessage(m);
      return;
    }
    const seq = ++this.seq;
    this.unacked.set(seq, { to, message: m });
    this.send(to, { ...m, seq });
    this.timer("ack", this.ackTimeoutMs);
  }

  protected onTimer(_nowMs: number, name: string): void {
    switch (name) {
      case "watch":
        if (this.leaderId !== this.id) this.startElection();
        return;
      case "ack": {
        const late = [...this.unacked.values()];
        this.unacked.clear();
        for (const u of late) this.suspected.add(u.to);
        for (const u of late) this.forward(u.message);
        return;
      }
      case "heartbeat":
        if (this.leaderId !== this.id) return;
        for (const m of this.members) if (m !== this.id) this.send(m, { type: "Alive" });
        this.timer("heartbeat", this.heartbeatMs);
        return;
    }
  }

  private armWatch(): void {
    this.timer("watch", this.rng.nextInt(this.leaderTimeoutMs.min, this.leaderTimeoutMs.max));
  }

  protected onRequest(_nowMs: number, req: ClientRequest<LeadCommand>): void {
    this.answerLead(req, this.isLeader(0) ? { node: this.id, generation: null, leaseRemainingMs: null } : null, this.leaderId);
  }
}

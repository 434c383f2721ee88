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
 * Each step notes the action of `specs/election/RingElection.tla` it takes (parameters `i`, `j`
 * by node id, `t` the ring message's type, `v` the id it carries), for trace validation.
 *
 * @module
 */
import type { ClientRequest, NodeId, ProtocolNode, Rng } from "@synod/protocol";
import { NodeBase, isMessageShaped } from "./base.js";
import { compareIds, type Elector } from "./elector.js";
import type { LeadCommand, LeadResult, RingMessage } from "./messages.js";
import { byRank, checkKnown, checkMembers, ElectionConfigError, positiveMs, rangeMs, type RingOptions } from "./options.js";

const KNOWN = ["members", "ring", "heartbeatMs", "leaderTimeoutMs", "ackTimeoutMs", "swallowHigher"] as const;

type RingPayload = { type: "Election"; candidate: NodeId } | { type: "Elected"; leader: NodeId };

/** What a ring node believes, as `RingElection.tla` names it. */
export interface RingView {
  leader: NodeId | null;
  participant: boolean;
  /** The nodes it skips, believing them crashed. */
  suspected: NodeId[];
  /** Ring messages sent and not yet acknowledged. */
  unacked: { to: NodeId; type: "Election" | "Elected"; id: NodeId }[];
  /** Whether its heartbeat timer is armed. */
  heartbeat: boolean;
}

/** The id a ring message carries (its candidate or leader). */
const carried = (m: RingPayload): NodeId => (m.type === "Election" ? m.candidate : m.leader);

/** A Chang–Roberts ring node (see the module comment). */
export class RingNode extends NodeBase<RingMessage> implements ProtocolNode<RingMessage, LeadCommand, LeadResult>, Elector {
  private readonly members: NodeId[];
  /** The other nodes in clockwise order starting from this node's successor. */
  private readonly successors: NodeId[];
  private readonly heartbeatMs: number;
  private readonly leaderTimeoutMs: { min: number; max: number };
  private readonly ackTimeoutMs: number;
  private readonly swallowHigher: boolean;
  private leaderId: NodeId | null = null;
  private participant = false;
  /** Successors skipped because they did not acknowledge; cleared when one is heard from. */
  private readonly suspected = new Set<NodeId>();
  /** Ring messages sent and not yet acknowledged, by `to type id` (one entry however often sent). */
  private readonly unacked = new Map<string, { to: NodeId; message: RingPayload }>();
  /** Elections this node started. */
  elections = 0;
  /** Whether the heartbeat timer is armed (the spec's `hb`). */
  private heartbeatArmed = false;

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
    this.swallowHigher = options.swallowHigher === true;
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

  /** The node's state as the spec sees it. */
  view(): RingView {
    return {
      leader: this.leaderId,
      participant: this.participant,
      suspected: [...this.suspected].sort(),
      unacked: [...this.unacked.values()].map((u) => ({ to: u.to, type: u.message.type, id: carried(u.message) })),
      heartbeat: this.heartbeatArmed,
    };
  }

  protected override timer(name: string, afterMs: number | null): void {
    if (name === "heartbeat") this.heartbeatArmed = afterMs !== null;
    super.timer(name, afterMs);
  }

  /** Whether this node takes part in an election under way. */
  get electing(): boolean {
    return this.participant;
  }

  protected onRestart(): void {
    // The host brings the node back after a crash: the spec's Crash then Recover.
    this.note("Crash", { i: this.id });
    this.note("Recover", { i: this.id });
    this.leaderId = null;
    this.participant = false;
    // The host dropped every timer of the crashed node.
    this.heartbeatArmed = false;
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
    if (!isMessageShaped(m) || !this.members.includes(from) || from === this.id || !this.wellFormed(m)) {
      this.ignored++;
      return;
    }
    this.suspected.delete(from);
    switch (m.type) {
      case "Ack":
        this.note("HandleAck", { i: this.id, j: from, t: m.of, v: m.id });
        if (!this.unacked.delete(`${from} ${m.of} ${m.id}`)) this.ignored++;
        if (this.unacked.size === 0) this.timer("ack", null);
        return;
      case "Alive":
        this.note("HandleAlive", { i: this.id, j: from });
        if (compareIds(from, this.id) < 0 && !this.participant && this.leaderId !== this.id) {
          // A lower node leads while this one lives (it came back, or was cut off): take over, or
          // the highest node would follow a lower one for as long as its heartbeat lasts.
          this.startElection();
          return;
        }
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
        {
          const payload: RingPayload = m.type === "Election" ? { type: "Election", candidate: m.candidate } : { type: "Elected", leader: m.leader };
          this.note("HandleRing", { i: this.id, j: from, t: m.type, v: carried(payload) });
          // The node the message names was alive when it sent it, and news of a leader ends every
          // suspicion: a node that came back is heard of by the nodes behind it only through
          // others, and without this its Election circles them, or the news passes it by, for good.
          if (payload.type === "Elected") this.suspected.clear();
          else this.suspected.delete(carried(payload));
          this.send(from, { type: "Ack", of: m.type, id: carried(payload) });
          this.ringMessage(payload);
        }
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
      if (this.swallowHigher && this.participant) return;
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

  /** Whether a message's fields name what they must (members, a ring message type). */
  private wellFormed(m: RingMessage): boolean {
    const member = (x: unknown): boolean => typeof x === "string" && this.members.includes(x);
    switch (m.type) {
      case "Election":
        return member(m.candidate);
      case "Elected":
        return member(m.leader);
      case "Ack":
        return (m.of === "Election" || m.of === "Elected") && member(m.id);
      default:
        return true;
    }
  }

  /**
   * Send a ring message to the first successor not suspected. A node that suspects every other
   * node is alone on the ring as far as it can tell: its own candidacy comes round at once (so a
   * candidacy of anyone else becomes its own), and news of a leader has nobody to go to but the
   * leader itself. (Handling a higher candidate's message here instead recursed forever.)
   */
  private forward(m: RingPayload): void {
    const to = this.successors.find((s) => !this.suspected.has(s));
    if (to === undefined) {
      if (m.type === "Election") this.ringMessage({ type: "Election", candidate: this.id });
      else if (m.leader === this.id) this.ringMessage(m);
      return;
    }
    this.unacked.set(`${to} ${m.type} ${carried(m)}`, { to, message: m });
    this.send(to, m);
    this.timer("ack", this.ackTimeoutMs);
  }

  protected onTimer(_nowMs: number, name: string): void {
    switch (name) {
      case "watch":
        if (this.leaderId !== this.id) {
          this.note("Watch", { i: this.id });
          this.startElection();
        }
        return;
      case "ack": {
        const late = [...this.unacked.values()];
        if (late.length > 0) this.note("AckTimeout", { i: this.id });
        this.unacked.clear();
        for (const u of late) this.suspected.add(u.to);
        for (const u of late) this.forward(u.message);
        return;
      }
      case "heartbeat":
        this.heartbeatArmed = false;
        this.note("Heartbeat", { i: this.id });
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

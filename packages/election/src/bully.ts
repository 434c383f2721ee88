/**
 * Garcia-Molina's Bully election as a pure node. The highest-ranked live node wins: a node that
 * suspects the leader sends `Election` to every higher node; any live higher node answers and
 * runs its own election, so the election climbs to the top; a node that hears no answer declares
 * itself with `Coordinator` to everyone. A node that sees a lower node claim leadership bullies it
 * by starting an election.
 *
 * The algorithm assumes a synchronous system: a timely answer from every live node. Under a
 * partition each side elects its own highest node — two leaders, by design; the lease election
 * is the one to use when that matters.
 *
 * Timers: `watch` (no heartbeat from the leader: start an election), `answer` (no `Answer`: win),
 * `coordinator` (an `Answer` but no `Coordinator`: start again), `heartbeat` (the leader's).
 * Nothing is durable: a restarted node starts an election, as in the original.
 *
 * Each step notes the action of `specs/election/Bully.tla` it takes (parameters `i`, `j` by node
 * id), for trace validation; a message the spec has no sender for (an `Election` from a higher
 * node, an `Answer` from a lower one) is dropped without a note.
 *
 * @module
 */
import type { ClientRequest, NodeId, ProtocolNode, Rng } from "@synod/protocol";
import { NodeBase, isMessageShaped } from "./base.js";
import { compareIds, type Elector } from "./elector.js";
import type { BullyMessage, LeadCommand, LeadResult } from "./messages.js";
import { byRank, checkKnown, checkMembers, positiveMs, rangeMs, type BullyOptions } from "./options.js";

const KNOWN = ["members", "heartbeatMs", "leaderTimeoutMs", "answerTimeoutMs", "coordinatorTimeoutMs", "noTakeover"] as const;

/** What a Bully node believes, as `Bully.tla` names it. */
export interface BullyView {
  /** The leader it follows (itself when it leads), or null. */
  leader: NodeId | null;
  /** `idle`, `electing` (awaiting answers) or `answered` (awaiting a Coordinator). */
  phase: "idle" | "electing" | "answered";
}

/** A Bully node (see the module comment). */
export class BullyNode extends NodeBase<BullyMessage> implements ProtocolNode<BullyMessage, LeadCommand, LeadResult>, Elector {
  private readonly members: NodeId[];
  private readonly higher: NodeId[];
  private readonly heartbeatMs: number;
  private readonly leaderTimeoutMs: { min: number; max: number };
  private readonly answerTimeoutMs: number;
  private readonly coordinatorTimeoutMs: number;
  private readonly noTakeover: boolean;
  private leaderId: NodeId | null = null;
  /** `idle` (following or leading), `electing` (waiting for answers), `answered` (waiting for a Coordinator). */
  private phase: "idle" | "electing" | "answered" = "idle";
  /** Elections this node started (for tests and the bench). */
  elections = 0;

  /**
   * @param id this node; @param options members and timing; @param rng draws the leader timeout.
   * @throws ElectionConfigError for an unknown option or a bad value.
   */
  constructor(id: NodeId, options: BullyOptions, private readonly rng: Rng) {
    super(id);
    checkKnown("bully", options, KNOWN);
    const o = options as unknown as Record<string, unknown>;
    this.members = byRank(checkMembers("bully", id, options.members));
    this.higher = this.members.filter((m) => compareIds(m, id) > 0);
    this.heartbeatMs = positiveMs("bully", o, "heartbeatMs", 50);
    this.leaderTimeoutMs = rangeMs("bully", o, "leaderTimeoutMs", { min: 150, max: 300 });
    this.answerTimeoutMs = positiveMs("bully", o, "answerTimeoutMs", 20);
    this.coordinatorTimeoutMs = positiveMs("bully", o, "coordinatorTimeoutMs", 60);
    this.noTakeover = options.noTakeover === true;
    this.armWatch();
  }

  leader(): NodeId | null {
    return this.leaderId;
  }

  isLeader(_nowMs: number): boolean {
    return this.leaderId === this.id && this.phase === "idle";
  }

  generation(): number | null {
    return null;
  }

  leaseUntilMs(): number | null {
    return null;
  }

  /** The node's state as the spec sees it. */
  view(): BullyView {
    return { leader: this.leaderId, phase: this.phase };
  }

  /** Whether an election this node takes part in is under way. */
  get electing(): boolean {
    return this.phase !== "idle";
  }

  protected onRestart(): void {
    // The host brings the node back after a crash: the spec's Crash then Recover.
    this.note("Crash", { i: this.id });
    this.note("Recover", { i: this.id });
    this.leaderId = null;
    this.phase = "idle";
    this.startElection();
  }

  /** Start an election now (as a detected leader failure would). */
  startElection(): void {
    this.elections++;
    this.leaderId = null;
    this.timer("watch", null);
    this.timer("heartbeat", null);
    if (this.higher.length === 0) {
      this.win();
      return;
    }
    this.phase = "electing";
    for (const h of this.higher) this.send(h, { type: "Election" });
    this.timer("coordinator", null);
    this.timer("answer", this.answerTimeoutMs);
  }

  private win(): void {
    this.phase = "idle";
    this.leaderId = this.id;
    this.timer("answer", null);
    this.timer("coordinator", null);
    this.timer("watch", null);
    // No higher node answered: only the lower ones need to hear.
    for (const m of this.members) if (compareIds(m, this.id) < 0) this.send(m, { type: "Coordinator" });
    this.timer("heartbeat", this.heartbeatMs);
  }

  protected onMessage(_nowMs: number, from: NodeId, m: BullyMessage): void {
    if (!isMessageShaped(m) || !this.members.includes(from) || from === this.id) {
      this.ignored++;
      return;
    }
    const fromHigher = compareIds(from, this.id) > 0;
    switch (m.type) {
      case "Election":
        if (fromHigher) {
          this.ignored++;
          return;
        }
        this.note("HandleElection", { i: this.id, j: from });
        this.send(from, { type: "Answer" });
        // A leader that is asked answers with its Coordinator at once; anyone else takes over.
        if (this.leaderId === this.id && this.phase === "idle") this.send(from, { type: "Coordinator" });
        else if (this.phase === "idle" && !this.noTakeover) this.startElection();
        return;
      case "Answer":
        if (!fromHigher) {
          this.ignored++;
          return;
        }
        this.note("HandleAnswer", { i: this.id, j: from });
        if (this.phase !== "electing") {
          this.ignored++;
          return;
        }
        this.phase = "answered";
        this.timer("answer", null);
        this.timer("coordinator", this.coordinatorTimeoutMs);
        return;
      case "Coordinator":
      case "Alive":
        this.note(m.type === "Alive" ? "HandleAlive" : "HandleCoordinator", { i: this.id, j: from });
        if (!fromHigher) {
          // A lower node claims to lead while this one lives: bully it.
          if (this.phase === "idle") this.startElection();
          return;
        }
        if (m.type === "Alive" && this.leaderId !== from && this.phase !== "idle") return;
        this.leaderId = from;
        this.phase = "idle";
        this.timer("answer", null);
        this.timer("coordinator", null);
        this.timer("heartbeat", null);
        this.armWatch();
        return;
      default:
        this.ignored++;
    }
  }

  protected onTimer(_nowMs: number, name: string): void {
    switch (name) {
      case "watch":
        if (this.leaderId !== this.id && this.phase === "idle") {
          this.note("DetectFailure", { i: this.id });
          this.startElection();
        }
        return;
      case "answer":
        if (this.phase === "electing") {
          this.note("AnswerTimeout", { i: this.id });
          this.win();
        }
        return;
      case "coordinator":
        if (this.phase === "answered") {
          this.note("CoordinatorTimeout", { i: this.id });
          this.phase = "idle";
          this.startElection();
        }
        return;
      case "heartbeat":
        if (this.leaderId !== this.id) return;
        this.note("Heartbeat", { i: this.id });
        for (const m of this.members) if (compareIds(m, this.id) < 0) this.send(m, { type: "Alive" });
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

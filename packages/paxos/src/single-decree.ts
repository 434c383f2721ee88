/**
 * Single-decree Paxos (Lamport's Paxos.tla): every node is a proposer, an acceptor and a learner
 * of one value. A client asks any node to propose a value; the node runs Phase 1 with a fresh
 * ballot, proposes the value accepted in the highest ballot its quorum of promises reports (its
 * own value only when none does), and answers with the value that was chosen, which may be
 * another client's. Acceptors send Phase 2b to every learner; a learner that sees a quorum accept
 * one ballot has learned the chosen value. The acceptor is the same as Multi-Paxos's
 * ({@link Acceptor}, instance 0); its promise and accepted value are persisted before it replies.
 *
 * @module
 */
import type { ClientRequest, Event, Json, NodeId, ProtocolNode, Ready, Rng } from "@synod/protocol";
import { emptyReady } from "@synod/protocol";
import { Acceptor } from "./acceptor.js";
import { compareBallots, maxBallot, nextBallot, sameBallot, ZERO_BALLOT } from "./ballot.js";
import { checkPaxosMessage, type PaxosMessage } from "./messages.js";
import { chosenWrite, NODE_KEY, recover } from "./storage.js";
import type { AcceptedValue, Ballot, LogValue } from "./types.js";

/** What a client asks a single-decree node: propose a value, or read the chosen one. */
export type SingleDecreeCommand = { op: "propose"; value: string } | { op: "read" };

/** The chosen value (`null`: not known to be chosen yet, only for `read`). */
export interface SingleDecreeResult {
  chosen: string | null;
}

/** Name of the proposer's retry timer. */
export const RETRY_TIMER = "retry";

const SLOT = 0;

/** A single-decree Paxos node (proposer, acceptor and learner). */
export class SingleDecreeNode implements ProtocolNode<PaxosMessage, SingleDecreeCommand, SingleDecreeResult> {
  readonly id: NodeId;
  private readonly peers: NodeId[];
  private readonly rng: Rng;
  private readonly quorum: number;
  private readonly retryMs: [number, number];
  private acceptor!: Acceptor;
  private chosen: string | null = null;
  private maxSeen: Ballot = { ...ZERO_BALLOT };
  private ballot: Ballot = { ...ZERO_BALLOT };
  private phase: "idle" | "1" | "2" = "idle";
  private value: string | null = null;
  private promises = new Map<NodeId, AcceptedValue | null>();
  /** Learner: per ballot, the acceptors that accepted in it. */
  private votes = new Map<string, { value: string | null; from: Set<NodeId> }>();
  /** The value this proposer sent in Phase 2a, and its ballot. */
  private proposed: { ballot: Ballot; value: string } | null = null;
  private waiting: { clientId: string; seq: number }[] = [];
  private out: Ready<PaxosMessage, SingleDecreeResult, SingleDecreeCommand> = emptyReady();

  /**
   * @param init.retryMs - a proposer that has not learned the outcome retries with a higher
   *   ballot after a time drawn from this range (randomized, so duelling proposers settle).
   */
  constructor(init: { id: NodeId; peers: NodeId[]; rng: Rng; durable?: ReadonlyMap<string, Json>; retryMs?: [number, number] }) {
    this.id = init.id;
    this.peers = [...init.peers];
    this.rng = init.rng;
    this.quorum = Math.floor((this.peers.length + 1) / 2) + 1;
    this.retryMs = init.retryMs ?? [50, 150];
    this.boot(init.durable ?? new Map());
  }

  private boot(durable: ReadonlyMap<string, Json>): void {
    const rec = recover(this.id, durable);
    this.acceptor = new Acceptor(rec === null ? undefined : { promised: rec.promised, accepted: rec.accepted });
    this.maxSeen = rec?.promised ?? { ...ZERO_BALLOT };
    const c = rec?.chosen.get(SLOT);
    this.chosen = c?.type === "decree" ? c.value : null;
    this.phase = "idle";
    this.promises.clear();
    this.votes.clear();
    this.proposed = null;
    this.value = null;
    this.waiting = [];
    if (rec === null) this.out.persist.push({ key: NODE_KEY, value: this.id });
  }

  step(event: Event<PaxosMessage, SingleDecreeCommand>): void {
    switch (event.type) {
      case "restart":
        this.boot(event.durable);
        return;
      case "request":
        return this.onRequest(event.request);
      case "timer":
        if (event.name === RETRY_TIMER && this.chosen === null && this.value !== null) this.phase1();
        return;
      case "message":
        if (checkPaxosMessage(event.message) === null && this.peers.includes(event.from)) this.onMessage(event.from, event.message);
        return;
    }
  }

  private onRequest(req: ClientRequest<SingleDecreeCommand>): void {
    const c = req.command as Partial<{ op: string; value: unknown }>;
    if (c?.op === "read") {
      this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: true, result: { chosen: this.chosen } });
      return;
    }
    if (c?.op !== "propose" || typeof c.value !== "string") {
      this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: false, error: "rejected", detail: "expected { op: 'propose', value: string } or { op: 'read' }" });
      return;
    }
    if (this.chosen !== null) {
      this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: true, result: { chosen: this.chosen } });
      return;
    }
    this.waiting.push({ clientId: req.clientId, seq: req.seq });
    if (this.value === null) this.value = c.value;
    if (this.phase === "idle") this.phase1();
  }

  /** Phase 1a with a ballot above every one seen; the proposer's own acceptor answers at once. */
  private phase1(): void {
    this.ballot = nextBallot(maxBallot(this.maxSeen, this.acceptor.promised), this.id);
    this.maxSeen = this.ballot;
    this.phase = "1";
    this.promises.clear();
    for (const j of this.peers) this.out.send.push({ to: j, message: { type: "Prepare", ballot: this.ballot, fromSlot: SLOT, time: 0 } });
    this.out.timers.push({ name: RETRY_TIMER, afterMs: this.rng.nextInt(this.retryMs[0], this.retryMs[1]) });
    const self = this.acceptor.prepare(this.ballot, SLOT);
    if (self.ok) {
      this.out.persist.push(...self.writes);
      this.onPromise(this.id, this.ballot, self.reply);
    }
  }

  private onMessage(from: NodeId, m: PaxosMessage): void {
    switch (m.type) {
      case "Prepare": {
        this.maxSeen = maxBallot(this.maxSeen, m.ballot);
        const r = this.acceptor.prepare(m.ballot, SLOT);
        if (!r.ok) return void this.out.send.push({ to: from, message: { type: "Nack", ballot: m.ballot, promised: r.promised } });
        this.out.persist.push(...r.writes);
        this.out.send.push({ to: from, message: { type: "Promise", ballot: m.ballot, fromSlot: SLOT, accepted: r.reply, time: m.time } });
        return;
      }
      case "Promise":
        return this.onPromise(from, m.ballot, m.accepted);
      case "Accept":
        return this.onAccept(from, m.ballot, m.proposals);
      case "Accepted":
        if (m.slots.includes(SLOT)) this.learn(from, m.ballot, null);
        return;
      case "Nack":
        this.maxSeen = maxBallot(this.maxSeen, m.promised);
        return;
      case "Learn":
        for (const e of m.entries) if (e.slot === SLOT && e.value.type === "decree") this.decide(e.value.value);
        return;
    }
  }

  private onPromise(from: NodeId, b: Ballot, accepted: readonly (AcceptedValue & { slot: number })[]): void {
    if (this.phase !== "1" || !sameBallot(b, this.ballot)) return;
    this.promises.set(from, accepted.find((a) => a.slot === SLOT) ?? null);
    if (this.promises.size < this.quorum) return;
    // Phase 2a: the value of the highest ballot reported, else our own.
    let best: AcceptedValue | null = null;
    for (const a of this.promises.values()) if (a !== null && (best === null || compareBallots(a.ballot, best.ballot) > 0)) best = a;
    const value: LogValue = best !== null ? best.value : { type: "decree", value: this.value as string };
    this.phase = "2";
    if (value.type === "decree") this.proposed = { ballot: this.ballot, value: value.value };
    const proposals = [{ slot: SLOT, value }];
    for (const j of this.peers) this.out.send.push({ to: j, message: { type: "Accept", ballot: this.ballot, proposals, commit: 0, time: 0 } });
    this.onAccept(this.id, this.ballot, proposals);
  }

  /** Phase 2b: accept, then tell every learner (ourselves included). */
  private onAccept(_from: NodeId, b: Ballot, proposals: readonly { slot: number; value: LogValue }[]): void {
    const mine = proposals.filter((p) => p.slot === SLOT);
    const r = this.acceptor.accept(b, mine);
    if (!r.ok) {
      if (b.node !== this.id) this.out.send.push({ to: b.node, message: { type: "Nack", ballot: b, promised: r.promised } });
      return;
    }
    this.out.persist.push(...r.writes);
    for (const j of this.peers) this.out.send.push({ to: j, message: { type: "Accepted", ballot: b, slots: [SLOT], learned: 0, commit: 0, time: 0 } });
    this.learn(this.id, b, mine[0]?.value ?? null);
  }

  /**
   * A learner counts Phase 2b messages per ballot; a quorum in one ballot decides. It knows a
   * ballot's value when it accepted in that ballot or proposed it; otherwise it waits for the
   * Learn its proposer (a learner that knows the value) sends on deciding.
   */
  private learn(from: NodeId, b: Ballot, value: LogValue | null): void {
    const key = `${b.round}.${b.node}`;
    const v = this.votes.get(key) ?? { value: null, from: new Set<NodeId>() };
    this.votes.set(key, v);
    if (v.value === null) {
      const acc = this.acceptor.accepted.get(SLOT);
      if (value?.type === "decree") v.value = value.value;
      else if (acc !== undefined && sameBallot(acc.ballot, b) && acc.value.type === "decree") v.value = acc.value.value;
      else if (this.proposed !== null && sameBallot(this.proposed.ballot, b)) v.value = this.proposed.value;
    }
    v.from.add(from);
    if (v.from.size >= this.quorum && v.value !== null) this.decide(v.value);
  }

  private decide(value: string): void {
    if (this.chosen !== null) {
      if (this.chosen !== value) throw new Error(`paxos invariant violated on ${this.id}: chosen ${JSON.stringify(this.chosen)} and ${JSON.stringify(value)}`);
      return;
    }
    this.chosen = value;
    this.phase = "idle";
    this.out.persist.push(chosenWrite(SLOT, { type: "decree", value }));
    this.out.timers.push({ name: RETRY_TIMER, afterMs: null });
    for (const w of this.waiting) this.out.replies.push({ clientId: w.clientId, seq: w.seq, ok: true, result: { chosen: value } });
    this.waiting = [];
    // Tell the other learners (a learner that missed Phase 2b messages learns from this).
    for (const j of this.peers) this.out.send.push({ to: j, message: { type: "Learn", entries: [{ slot: SLOT, value: { type: "decree", value } }] } });
  }

  /** The chosen value this node knows, or null. */
  get chosenValue(): string | null {
    return this.chosen;
  }

  /** The acceptor's promise and accepted value (for tests). */
  get acceptorState(): { promised: Ballot; accepted: AcceptedValue | null } {
    return { promised: { ...this.acceptor.promised }, accepted: this.acceptor.accepted.get(SLOT) ?? null };
  }

  hasReady(): boolean {
    const o = this.out;
    return o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0;
  }

  ready(): Ready<PaxosMessage, SingleDecreeResult, SingleDecreeCommand> {
    const rd = this.out;
    this.out = emptyReady();
    return rd;
  }
}

/**
 * Multi-Paxos for one node: proposer, acceptor and learner of a log of instances. Handlers are
 * named after the actions of specs/paxos/MultiPaxos.tla (`startPhase1`, `handlePrepare`,
 * `becomeLeader`, `handleAccepted`, ...).
 *
 * - A node that hears no leader for a randomized election timeout runs Phase 1 once, for every
 *   instance from the first one it has not learned, with a ballot above every ballot it has seen.
 * - With promises from a quorum it leads: in every instance a promise reported, it proposes the
 *   value accepted in the highest ballot (recovery), fills instances no promise reported a value
 *   in with a no-op (gap filling), and from then on proposes client commands in new instances.
 * - Accepts (Phase 2a) go out in batches of up to `maxBatchEntries` instances, with up to
 *   `maxInflight` batches outstanding (pipelining); an instance is chosen once a quorum accepted
 *   it in the leader's ballot. Unacknowledged proposals are retransmitted with heartbeats.
 * - Learners learn chosen instances from the leader's commit index (for values they accepted in
 *   its ballot) and from Learn messages (catch-up, for everything else), and apply the chosen
 *   prefix to the key-value store.
 * - With `readMode: "lease"`, an acceptor that promised or accepted for a leader helps no other
 *   proposer for `leaseMs` of its clock; the leader answers reads locally while a quorum's
 *   echoes of its send times are younger than `leaseMs − leaseMarginMs` on its own clock.
 *
 * Every durable write a message depends on is in the same ready as the message.
 *
 * In spec mode (`stepMode: "spec"`, conformance only) the node moves at the spec's granularity:
 * see the `spec` branches, each marked, and spec-step.ts.
 *
 * @module
 */
import type { ActionLabel, ClientReply, ClientRequest, Json, NodeId, Ready, Rng } from "@synod/protocol";
import { emptyReady } from "@synod/protocol";
import { SessionService, type KvCommand, type StateMachineType } from "@synod/kv";
import { Acceptor } from "./acceptor.js";
import { compareBallots, formatBallot, maxBallot, nextBallot, sameBallot, ZERO_BALLOT } from "./ballot.js";
import { checkPaxosMessage, type PaxosMessage } from "./messages.js";
import { chosenWrite, NODE_KEY, promisedWrite, recover, SPEC_CLOCK_KEY } from "./storage.js";
import type { AcceptedValue, Ballot, KvResult, LogValue, MultiPaxosInspect, MultiPaxosOptions, PaxosCommand, Proposal, Role } from "./types.js";

/** Name of the election timer (also the leader's check-quorum period). */
export const ELECTION_TIMER = "election";
/** Name of the leader's heartbeat timer. */
export const HEARTBEAT_TIMER = "heartbeat";

type Out = Ready<PaxosMessage, KvResult, PaxosCommand>;
type Vote = AcceptedValue & { slot: number };

/** What one node needs to start. */
export interface MultiPaxosInit {
  id: NodeId;
  /** The other members. */
  peers: readonly NodeId[];
  rng: Rng;
  options: MultiPaxosOptions;
  durable: ReadonlyMap<string, Json>;
  /**
   * The replicated state machine the chosen values drive. Typed as the key-value store's, the
   * default; `MultiPaxosKvNode` hosts any other service through it, since Multi-Paxos only
   * validates, applies and queries commands through this type.
   */
  service: StateMachineType<KvCommand, KvResult>;
  /** Receives a label for every spec action the node takes, if set. */
  onAction?: (label: ActionLabel) => void;
}

interface Proposed {
  value: LogValue;
  /** Acceptors that accepted it in the leader's ballot (the leader included). */
  acks: Set<NodeId>;
  /** When it was last sent (for retransmission). */
  sentAtMs: number;
}

interface Queued {
  clientId: string;
  seq: number;
  command: PaxosCommand;
}

/** One Multi-Paxos node's state. Driven by `MultiPaxosKvNode`. */
export class MultiPaxos {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  private readonly opts: MultiPaxosOptions;
  private readonly rng: Rng;
  private readonly quorum: number;
  private readonly onAction: ((label: ActionLabel) => void) | undefined;
  /** Spec mode: move at MultiPaxos.tla's granularity (see the module comment). */
  readonly spec: boolean;

  // Durable (mirrored).
  readonly acceptor: Acceptor;
  readonly chosen = new Map<number, LogValue>();

  // Volatile.
  role: Role = "follower";
  ballot: Ballot = { ...ZERO_BALLOT };
  leaderId: NodeId | null = null;
  learned = 0;
  /** The hosted service behind its session table (the key-value store unless `service` says otherwise). */
  kv: SessionService<KvCommand, KvResult>;
  private readonly service: StateMachineType<KvCommand, KvResult>;
  /** Messages that were malformed, stale or otherwise not acted on. */
  ignoredMessages = 0;
  /** The highest ballot seen in any message (production's next Phase 1 goes above it). */
  private maxSeen: Ballot = { ...ZERO_BALLOT };

  // Candidate.
  private fromSlot = 1;
  private promises = new Map<NodeId, Vote[]>();

  // Leader (and candidate, for grants).
  readonly proposals = new Map<number, Proposed>();
  private batches: number[][] = [];
  private queue: Queued[] = [];
  private pending = new Set<string>();
  private nextSlot = 1;
  recoveredTo = 0;
  private learnSent = new Map<NodeId, number>();
  private learnSentAtMs = new Map<NodeId, number>();
  private active = new Set<NodeId>();
  private grants = new Map<NodeId, number>();

  // Pre-vote (production only).
  /** The ballot this node asked peers about, while its pre-vote is open; else `null`. */
  private preVoteBallot: Ballot | null = null;
  /** The nodes that said yes to `preVoteBallot` (this node included). */
  private preVoteGrants = new Set<NodeId>();
  /** When this node last took an Accept from a leader (its heartbeat or proposals). */
  private lastLeaderContactMs = Number.NEGATIVE_INFINITY;
  /** A restarted node refuses pre-votes until then: it may have followed a leader before the crash. */
  private quietUntilMs = Number.NEGATIVE_INFINITY;

  // Acceptor side of leases.
  private leaseHolder: NodeId | null = null;
  private leaseUntil = 0;
  private restarted: boolean;
  private seenEvent = false;
  private nowMs = 0;

  private out: Out = emptyReady();

  constructor(init: MultiPaxosInit) {
    this.id = init.id;
    this.peers = [...init.peers];
    this.opts = init.options;
    this.spec = init.options.stepMode === "spec";
    this.rng = init.rng;
    this.onAction = init.onAction;
    this.service = init.service;
    this.kv = new SessionService(init.service);
    this.quorum = Math.floor((this.peers.length + 1) / 2) + 1;
    const rec = recover(init.id, init.durable, init.service.validate);
    const persistPromise = init.options.unsafe.forgetPromiseOnRestart !== true;
    if (rec === null) {
      this.acceptor = new Acceptor(undefined, persistPromise);
      this.persist({ key: NODE_KEY, value: init.id });
      if (persistPromise) this.persist(promisedWrite(ZERO_BALLOT));
      this.restarted = false;
    } else {
      // The broken build kept no promise: like MultiPaxos.tla's BrokenPromiseAfterRestart, it
      // rebuilds one from its votes (the highest ballot it accepted in).
      let promised = rec.promised;
      if (!persistPromise) {
        promised = { ...ZERO_BALLOT };
        for (const a of rec.accepted.values()) promised = maxBallot(promised, a.ballot);
      }
      this.acceptor = new Acceptor({ promised, accepted: rec.accepted }, persistPromise);
      this.maxSeen = promised;
      for (const [s, v] of rec.chosen) this.chosen.set(s, v);
      // Rebuild the state machine from the chosen prefix; nothing is replied or reported again.
      while (this.chosen.has(this.learned + 1)) {
        this.learned++;
        const v = this.chosen.get(this.learned) as LogValue;
        if (v.type === "kv") this.kv.apply(v.clientId, v.seq, v.command);
      }
      this.restarted = true;
    }
    this.resetElectionTimer();
  }

  // ---------------------------------------------------------------- ready plumbing

  hasReady(): boolean {
    const o = this.out;
    return o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0;
  }

  ready(): Out {
    const rd = this.out;
    this.out = emptyReady();
    return rd;
  }

  private persist(w: Out["persist"][number]): void {
    this.out.persist.push(w);
  }

  private send(to: NodeId, message: PaxosMessage): void {
    this.out.send.push({ to, message });
    switch (message.type) {
      case "Prepare":
        return this.note("SendPrepare", { j: to });
      case "Accept":
        for (const p of message.proposals) this.note("SendAccept", { j: to, k: p.slot });
        return;
      case "Learn":
        for (const e of message.entries) this.note("SendDecide", { j: to, k: e.slot });
        return;
    }
  }

  /** Report a spec action (for trace validation); `i` is this node. */
  note(action: string, params: Record<string, string | number> = {}): void {
    if (this.onAction !== undefined) this.onAction({ action, params: { i: this.id, ...params } });
  }

  private reply(r: ClientReply<KvResult>): void {
    this.out.replies.push(r);
  }

  private setTimer(name: string, afterMs: number | null): void {
    const t = this.out.timers;
    const k = t.findIndex((x) => x.name === name);
    if (k >= 0) t.splice(k, 1);
    t.push({ name, afterMs });
  }

  private resetElectionTimer(): void {
    this.setTimer(ELECTION_TIMER, this.rng.nextInt(this.opts.electionTimeoutMsMin, this.opts.electionTimeoutMsMax));
  }

  /** Whether leases are on: acceptors bind themselves, leaders may read locally. */
  get leases(): boolean {
    return this.opts.readMode === "lease" && this.leaseMs > 0;
  }

  private get leaseMs(): number {
    return this.opts.leaseMs ?? this.opts.electionTimeoutMsMin;
  }

  private get leaseMarginMs(): number {
    return this.opts.leaseMarginMs ?? Math.ceil(2 * this.opts.leaseClockDriftBound * this.leaseMs);
  }

  /** Spec mode: keep the tick count across restarts (see `SPEC_CLOCK_KEY`). */
  persistClock(ticks: number): void {
    this.persist({ key: SPEC_CLOCK_KEY, value: ticks });
  }

  /** Called at the start of every event with the node's clock reading. */
  beginStep(nowMs: number): void {
    this.nowMs = nowMs;
    if (!this.seenEvent) {
      this.seenEvent = true;
      // A restarted acceptor may have granted a lease it no longer remembers: it helps nobody
      // for a whole lease, so that any lease granted before the crash has expired.
      if (this.restarted && this.leases) this.leaseUntil = nowMs + this.leaseMs;
      if (this.restarted) this.quietUntilMs = nowMs + this.opts.electionTimeoutMsMin;
    }
  }

  /** Properties every correct node keeps after every step (TigerBeetle-style boundary assertions). */
  assertInvariants(): void {
    if (anyUnsafe(this.opts)) return;
    const fail = (what: string): never => {
      throw new Error(`multipaxos invariant violated on ${this.id}: ${what}`);
    };
    if (this.chosen.has(this.learned + 1)) fail(`instance ${this.learned + 1} is chosen but not applied`);
    if (this.role !== "follower" && !sameBallot(this.ballot, this.acceptor.promised)) {
      fail(`${this.role} of ${formatBallot(this.ballot)} has promised ${formatBallot(this.acceptor.promised)}`);
    }
    if (this.role !== "leader" && (this.proposals.size > 0 || this.queue.length > 0 || this.pending.size > 0)) {
      fail(`a ${this.role} holds proposals or pending requests`);
    }
    // O(1) per step: the acceptor tracks the highest ballot it ever voted in.
    if (compareBallots(this.acceptor.maxVoted, this.acceptor.promised) > 0) {
      fail(`voted in ${formatBallot(this.acceptor.maxVoted)}, above its promise ${formatBallot(this.acceptor.promised)}`);
    }
  }

  // ---------------------------------------------------------------- leases

  /** Spec `LeaseAllows(i, l)`: not bound to another holder, or the binding expired. */
  private leaseAllows(l: NodeId): boolean {
    return this.leaseHolder === l || this.nowMs >= this.leaseUntil;
  }

  /** Spec `MayTake(i, b)`: the ballot promised already, or a higher one the lease allows. */
  private mayTake(b: Ballot): boolean {
    const c = compareBallots(b, this.acceptor.promised);
    return c === 0 || (c > 0 && this.leaseAllows(b.node));
  }

  /** Spec `GrantLease(i, l)`. */
  private grantLease(l: NodeId): void {
    if (!this.leases) return;
    this.leaseHolder = l;
    this.leaseUntil = this.nowMs + this.leaseMs;
  }

  /** Spec `RecordGrant(i, j, t)`. */
  private recordGrant(j: NodeId, t: number): void {
    if (!this.leases) return;
    this.grants.set(j, Math.max(this.grants.get(j) ?? Number.NEGATIVE_INFINITY, t));
  }

  /** Spec `LeaseValid(i)`: a quorum (itself and acceptors with recent grants) is bound to it. */
  leaseValid(): boolean {
    if (this.role !== "leader" || !this.leases) return false;
    let n = 1;
    for (const [j, t] of this.grants) if (j !== this.id && this.nowMs < t + this.leaseMs - this.leaseMarginMs) n++;
    return n >= this.quorum;
  }

  /** Spec `LeaseReadOK(i)` (production: every recovered instance, not every proposal, learned). */
  private leaseReadOk(): boolean {
    if (!this.leaseValid() && this.opts.unsafe.readAfterLeaseExpiry !== true) return false;
    if (this.role !== "leader") return false;
    if (this.spec) {
      for (const s of this.proposals.keys()) if (!this.chosen.has(s)) return false;
      return true;
    }
    return this.learned >= this.recoveredTo;
  }

  // ---------------------------------------------------------------- roles

  /** Spec `StepDown(i)`: fail what clients wait for, forget proposer state. */
  private stepDown(leader: NodeId | null): void {
    if (this.role === "leader") {
      for (const key of this.pending) {
        const [clientId, seq] = splitKey(key);
        this.reply({ clientId, seq, ok: false, error: "unavailable", detail: "leadership lost; the outcome is unknown, retry with the same seq" });
      }
      if (!this.spec) this.setTimer(HEARTBEAT_TIMER, null);
    }
    this.role = "follower";
    this.leaderId = leader;
    this.pending.clear();
    this.queue = [];
    this.proposals.clear();
    this.batches = [];
    this.promises.clear();
    this.learnSent.clear();
    this.learnSentAtMs.clear();
    this.grants.clear();
    this.recoveredTo = 0;
    this.preVoteBallot = null;
    this.preVoteGrants.clear();
  }

  private see(b: Ballot): void {
    this.maxSeen = maxBallot(this.maxSeen, b);
  }

  /** Spec `TakeBallot(i, b)`: promise `b`; a higher ballot than our own makes us step down. */
  private takeBallot(b: Ballot, leader: NodeId | null): void {
    if (this.role !== "follower" && compareBallots(b, this.acceptor.promised) > 0) this.stepDown(leader);
  }

  /** Spec `StartPhase1(i)` (production also sends every Prepare, `SendPrepare(i, j)`). */
  startPhase1(): boolean {
    if (this.role === "leader" || !this.leaseAllows(this.id)) {
      if (!this.spec) this.resetElectionTimer();
      return false;
    }
    this.stepDown(null);
    // The spec takes the next round of its own promise; production goes above every ballot it
    // saw, so that one Nack is enough to catch up with a higher round.
    const b = this.spec ? { round: this.acceptor.promised.round + 1, node: this.id } : nextBallot(maxBallot(this.maxSeen, this.acceptor.promised), this.id);
    this.see(b);
    this.role = "candidate";
    this.ballot = b;
    // Phase 1 for every instance the node has not learned (the spec: every instance).
    this.fromSlot = this.spec ? 1 : this.learned + 1;
    this.promises = new Map();
    this.note("StartPhase1");
    const self = this.acceptor.prepare(b, this.fromSlot);
    if (!self.ok) throw new Error(`multipaxos: own acceptor refused a fresh ballot ${formatBallot(b)}`);
    for (const w of self.writes) this.persist(w);
    this.promises.set(this.id, self.reply);
    if (!this.spec) {
      this.resetElectionTimer();
      for (const j of this.peers) this.sendPrepare(j);
      // A quorum of one (a single-node cluster) is complete with the node's own promise.
      this.becomeLeader();
    }
    return true;
  }

  /** Spec `SendPrepare(i, j)`. */
  sendPrepare(j: NodeId): boolean {
    if (this.role !== "candidate" || j === this.id || this.promises.has(j)) return false;
    this.send(j, { type: "Prepare", ballot: this.ballot, fromSlot: this.fromSlot, time: this.nowMs });
    return true;
  }

  /** Spec `BecomeLeader(i)`: recover every open instance, fill gaps, and lead. */
  becomeLeader(): boolean {
    if (this.role !== "candidate" || this.promises.size < this.quorum) return false;
    this.note("BecomeLeader");
    this.role = "leader";
    this.leaderId = this.id;
    const best = this.recovered();
    // Production never proposes below what it has learned (it may have learned more while it
    // campaigned); in the spec the highest recovered instance is never below it anyway.
    let top = this.spec ? 0 : Math.max(this.fromSlot - 1, this.learned);
    for (const s of best.keys()) top = Math.max(top, s);
    this.promises.clear();
    this.nextSlot = top + 1;
    this.recoveredTo = top;
    const recovered: Proposal[] = [];
    for (let s = this.fromSlot; s <= top; s++) {
      const found = this.opts.unsafe.ignoreHighestAccepted === true ? undefined : best.get(s)?.value;
      recovered.push({ slot: s, value: found ?? { type: "noop" } });
    }
    this.active.clear();
    this.proposeBatch(recovered);
    if (!this.spec) {
      this.setTimer(HEARTBEAT_TIMER, this.opts.heartbeatMs);
      this.setTimer(ELECTION_TIMER, this.opts.electionTimeoutMsMin);
      this.heartbeat();
    }
    return true;
  }

  /** Spec `recovered[i]`: per instance, the vote of the highest ballot the promises reported. */
  private recovered(): Map<number, AcceptedValue> {
    const best = new Map<number, AcceptedValue>();
    for (const votes of this.promises.values()) {
      for (const a of votes) {
        const had = best.get(a.slot);
        if (had === undefined || compareBallots(a.ballot, had.ballot) > 0) best.set(a.slot, { ballot: a.ballot, value: a.value });
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- timers

  onTimer(name: string): void {
    if (name === ELECTION_TIMER) {
      if (this.role === "leader") {
        if (!this.spec) this.checkQuorum();
      } else if (this.opts.preVote && !this.spec) this.startPreVote();
      else this.startPhase1();
    } else if (name === HEARTBEAT_TIMER && !this.spec) {
      if (this.role === "leader") {
        this.heartbeat();
        this.setTimer(HEARTBEAT_TIMER, this.opts.heartbeatMs);
      }
    } else {
      this.ignoredMessages++;
    }
  }

  // ---------------------------------------------------------------- pre-vote

  /**
   * Ask every peer whether it would promise the ballot Phase 1 would use now; Phase 1 follows
   * only from a quorum of yes (`handlePreVoteReply`). Changes no durable state and no ballot, so
   * a node that no peer answers (cut off) comes back with the promise it left with.
   */
  private startPreVote(): void {
    this.resetElectionTimer();
    // Bound by a lease to another leader, Phase 1 could not start: no point asking.
    if (!this.leaseAllows(this.id)) return;
    const b = nextBallot(maxBallot(this.maxSeen, this.acceptor.promised), this.id);
    this.preVoteBallot = b;
    this.preVoteGrants = new Set([this.id]);
    if (this.preVoteGrants.size >= this.quorum) return this.endPreVote();
    for (const j of this.peers) this.send(j, { type: "PreVote", ballot: b });
  }

  /**
   * Say yes when the ballot is above our promise and no leader is known to be alive: we do not
   * lead, and have neither taken a leader's Accept within an election timeout nor restarted
   * within one (before the crash we may have followed a leader).
   */
  private handlePreVote(from: NodeId, m: Extract<PaxosMessage, { type: "PreVote" }>): void {
    const leaderAlive = this.role === "leader" || this.nowMs < this.quietUntilMs || this.nowMs - this.lastLeaderContactMs < this.opts.electionTimeoutMsMin;
    const granted = !leaderAlive && m.ballot.node === from && compareBallots(m.ballot, this.acceptor.promised) > 0;
    this.send(from, { type: "PreVoteReply", ballot: m.ballot, granted });
  }

  private handlePreVoteReply(from: NodeId, m: Extract<PaxosMessage, { type: "PreVoteReply" }>): void {
    if (this.role === "leader" || this.preVoteBallot === null || !sameBallot(m.ballot, this.preVoteBallot) || !m.granted) {
      this.ignoredMessages++;
      return;
    }
    this.preVoteGrants.add(from);
    if (this.preVoteGrants.size >= this.quorum) this.endPreVote();
  }

  /** A quorum would promise: run Phase 1 for real (with a ballot above everything seen since). */
  private endPreVote(): void {
    this.preVoteBallot = null;
    this.preVoteGrants.clear();
    this.startPhase1();
  }

  /** A leader that heard from less than a quorum over an election timeout steps down. */
  private checkQuorum(): void {
    if (this.opts.checkQuorum && this.active.size + 1 < this.quorum) {
      this.stepDown(null);
      this.resetElectionTimer();
      return;
    }
    this.active.clear();
    this.setTimer(ELECTION_TIMER, this.opts.electionTimeoutMsMin);
  }

  /**
   * A heartbeat: to every peer, the commit index and the proposals it has not acknowledged that
   * were sent at least a heartbeat ago (retransmission). Echoes of its time renew the lease.
   */
  private heartbeat(): void {
    for (const j of this.peers) {
      const resend: Proposal[] = [];
      for (const [slot, p] of this.proposals) {
        if (resend.length >= this.opts.maxBatchEntries) break;
        if (!p.acks.has(j) && this.nowMs - p.sentAtMs >= this.opts.heartbeatMs) resend.push({ slot, value: p.value });
      }
      this.send(j, { type: "Accept", ballot: this.ballot, proposals: resend, commit: this.learned, time: this.nowMs });
    }
  }

  // ---------------------------------------------------------------- messages

  onMessage(from: NodeId, m: PaxosMessage): void {
    if (checkPaxosMessage(m, this.service.validate) !== null || from === this.id || !this.peers.includes(from)) {
      this.ignoredMessages++;
      return;
    }
    switch (m.type) {
      case "Prepare":
        return this.handlePrepare(from, m);
      case "Promise":
        return this.handlePromise(from, m);
      case "Accept":
        return this.handleAccept(from, m);
      case "Accepted":
        return this.handleAccepted(from, m);
      case "Nack":
        return this.handleNack(m);
      case "Learn":
        return this.handleDecide(from, m.entries);
      case "PreVote":
        if (this.spec) return void this.ignoredMessages++;
        return this.handlePreVote(from, m);
      case "PreVoteReply":
        return this.handlePreVoteReply(from, m);
    }
  }

  /** A refusal: production tells the proposer; the spec consumes the message silently. */
  private refuse(to: NodeId, b: Ballot): void {
    this.ignoredMessages++;
    if (!this.spec && compareBallots(b, this.acceptor.promised) < 0) this.send(to, { type: "Nack", ballot: b, promised: { ...this.acceptor.promised } });
  }

  /** Spec `HandlePrepare(i, j, m)`: Phase 1b. */
  private handlePrepare(from: NodeId, m: Extract<PaxosMessage, { type: "Prepare" }>): void {
    this.see(m.ballot);
    if (!this.mayTake(m.ballot)) return this.refuse(from, m.ballot);
    this.note("HandlePrepare", { j: from });
    this.takeBallot(m.ballot, null);
    const r = this.acceptor.prepare(m.ballot, m.fromSlot);
    if (!r.ok) throw new Error("multipaxos: acceptor refused a ballot mayTake allowed");
    for (const w of r.writes) this.persist(w);
    this.grantLease(m.ballot.node);
    if (this.role === "follower" && !this.spec) {
      this.leaderId = null;
      this.resetElectionTimer();
    }
    this.send(from, { type: "Promise", ballot: m.ballot, fromSlot: m.fromSlot, accepted: r.reply, time: m.time });
  }

  /** Spec `HandlePromise(i, j, m)`. */
  private handlePromise(from: NodeId, m: Extract<PaxosMessage, { type: "Promise" }>): void {
    if (this.role !== "candidate" || !sameBallot(m.ballot, this.acceptor.promised) || m.fromSlot !== this.fromSlot) {
      this.ignoredMessages++;
      return;
    }
    this.note("HandlePromise", { j: from });
    this.promises.set(from, m.accepted);
    this.recordGrant(from, m.time);
    if (!this.spec) this.becomeLeader();
  }

  /** Spec `HandleAccept(i, j, m)` for each instance of the batch: Phase 2b. */
  private handleAccept(from: NodeId, m: Extract<PaxosMessage, { type: "Accept" }>): void {
    this.see(m.ballot);
    if (m.ballot.node !== from || !this.mayTake(m.ballot)) return this.refuse(from, m.ballot);
    for (let k = 0; k < m.proposals.length; k++) this.note("HandleAccept", { j: from });
    this.takeBallot(m.ballot, from);
    const r = this.acceptor.accept(m.ballot, m.proposals);
    if (!r.ok) throw new Error("multipaxos: acceptor refused a ballot mayTake allowed");
    for (const w of r.writes) this.persist(w);
    this.grantLease(m.ballot.node);
    if (!this.spec) {
      this.leaderId = from;
      this.lastLeaderContactMs = this.nowMs;
      // A leader is alive: late yeses to an open pre-vote must not start Phase 1 against it.
      this.preVoteBallot = null;
      this.preVoteGrants.clear();
      this.resetElectionTimer();
      // Every instance up to the commit index is chosen; where we accepted in the same ballot,
      // the value is the leader's (a leader proposes one value per instance in its ballot).
      for (let s = this.learned + 1; s <= m.commit; s++) {
        const a = this.acceptor.accepted.get(s);
        if (a !== undefined && sameBallot(a.ballot, m.ballot) && !this.chosen.has(s)) this.markChosen(s, a.value);
      }
      this.applyChosen();
    }
    if (m.proposals.length === 0 && this.spec) return;
    this.send(from, { type: "Accepted", ballot: m.ballot, slots: r.reply, learned: this.learned, commit: m.commit, time: m.time });
  }

  /** Spec `HandleAccepted(i, j, m)` for each instance: a quorum in our ballot chooses it. */
  private handleAccepted(from: NodeId, m: Extract<PaxosMessage, { type: "Accepted" }>): void {
    if (this.role !== "leader" || !sameBallot(m.ballot, this.acceptor.promised)) {
      this.ignoredMessages++;
      return;
    }
    this.active.add(from);
    this.recordGrant(from, m.time);
    for (const s of m.slots) {
      this.note("HandleAccepted", { j: from });
      const p = this.proposals.get(s);
      if (p === undefined) continue;
      p.acks.add(from);
      if (p.acks.size >= this.quorum && !this.chosen.has(s)) this.decide(s, p.value);
    }
    this.applyChosen();
    if (this.spec) return;
    // A heartbeat's answer below what we sent, a heartbeat after we sent it: the Learn was lost.
    if (m.slots.length === 0 && this.nowMs - (this.learnSentAtMs.get(from) ?? Number.NEGATIVE_INFINITY) >= this.opts.heartbeatMs) this.learnSent.set(from, m.learned);
    this.flush();
    // Commit notifications ride on the next Accept (a follower learns the values it accepted in
    // our ballot from its commit index); a follower still below the commit index it was told
    // lacks values, and gets them in a Learn.
    if (m.learned < m.commit) this.catchUp(from, m.learned);
  }

  /** Send a lagging learner the chosen values after what it knows (and what we sent it already). */
  private catchUp(to: NodeId, learned: number): void {
    const from = Math.max(learned, this.learnSent.get(to) ?? 0) + 1;
    if (from > this.learned) return;
    const upTo = Math.min(this.learned, from + this.opts.maxBatchEntries - 1);
    const entries: Proposal[] = [];
    for (let s = from; s <= upTo; s++) entries.push({ slot: s, value: this.chosen.get(s) as LogValue });
    this.learnSent.set(to, upTo);
    this.learnSentAtMs.set(to, this.nowMs);
    this.send(to, { type: "Learn", entries });
  }

  /** Spec `SendDecide(i, j, k)` (spec mode: taken when the driver says). */
  sendDecide(j: NodeId, k: number): boolean {
    const v = this.chosen.get(k);
    if (j === this.id || !this.peers.includes(j) || v === undefined) return false;
    this.send(j, { type: "Learn", entries: [{ slot: k, value: v }] });
    return true;
  }

  /** Spec `SendAccept(i, j, k)` (spec mode: taken when the driver says). */
  sendAccept(j: NodeId, k: number): boolean {
    const p = this.proposals.get(k);
    if (this.role !== "leader" || j === this.id || !this.peers.includes(j) || p === undefined || p.acks.has(j)) return false;
    this.send(j, { type: "Accept", ballot: this.ballot, proposals: [{ slot: k, value: p.value }], commit: 0, time: this.nowMs });
    return true;
  }

  private handleNack(m: Extract<PaxosMessage, { type: "Nack" }>): void {
    this.see(m.promised);
    if (this.role === "follower" || !sameBallot(m.ballot, this.ballot) || compareBallots(m.promised, this.ballot) <= 0) {
      this.ignoredMessages++;
      return;
    }
    this.stepDown(null);
    this.resetElectionTimer();
  }

  /** Spec `HandleDecide(i, j, m)` for each entry. */
  private handleDecide(from: NodeId, entries: readonly Proposal[]): void {
    for (const e of entries) {
      this.note("HandleDecide", { j: from });
      if (e.slot > this.learned && !this.chosen.has(e.slot)) this.markChosen(e.slot, e.value);
      else this.checkSame(e.slot, e.value);
    }
    this.applyChosen();
    // Production: after a full batch (a catch-up in progress: the leader sends at most
    // maxBatchEntries per Learn), tell the leader how far we got, so that a long catch-up is
    // pipelined rather than paced by heartbeats. A commit notification needs no answer. The reply
    // accepts nothing, echoes no send time (0 renews no lease: grants keep their maximum), and
    // names learned + 1 as the commit index it knows of, which asks for what comes next.
    if (!this.spec && entries.length >= this.opts.maxBatchEntries && from === this.leaderId && this.role === "follower") {
      this.send(from, { type: "Accepted", ballot: { ...this.acceptor.promised }, slots: [], learned: this.learned, commit: this.learned + 1, time: 0 });
    }
  }

  // ---------------------------------------------------------------- choosing and applying

  private checkSame(slot: number, v: LogValue): void {
    const had = this.chosen.get(slot);
    if (had !== undefined && JSON.stringify(had) !== JSON.stringify(v) && !anyUnsafe(this.opts)) {
      throw new Error(`multipaxos invariant violated on ${this.id}: instance ${slot} chosen as ${JSON.stringify(had)} and ${JSON.stringify(v)}`);
    }
  }

  private markChosen(slot: number, v: LogValue): void {
    this.checkSame(slot, v);
    if (this.chosen.has(slot)) return;
    this.chosen.set(slot, v);
    // Production keeps chosen values so that a restart rebuilds the state machine at once; the
    // spec's learners forget them (`decided` is volatile) and learn again.
    if (!this.spec) this.persist(chosenWrite(slot, v));
  }

  /** The leader saw a quorum accept `slot` in its ballot. */
  private decide(slot: number, v: LogValue): void {
    this.markChosen(slot, v);
    if (this.spec) return; // the spec's leader keeps its whole log (proposals and acks)
    this.proposals.delete(slot);
    this.batches = this.batches.filter((b) => b.some((s) => this.proposals.has(s)));
  }

  private applyChosen(): void {
    while (this.chosen.has(this.learned + 1)) {
      const slot = ++this.learned;
      const v = this.chosen.get(slot) as LogValue;
      if (v.type !== "kv") continue;
      const outcome = this.kv.apply(v.clientId, v.seq, v.command);
      if (outcome.kind === "applied") this.out.applied.push({ index: slot, command: v.command, result: outcome.result, request: { clientId: v.clientId, seq: v.seq } });
      const key = waiterKey(v.clientId, v.seq);
      if (this.role !== "leader" || !this.pending.has(key)) continue;
      this.pending.delete(key);
      if (outcome.kind === "stale") {
        this.reply({ clientId: v.clientId, seq: v.seq, ok: false, error: "rejected", detail: `seq ${v.seq} is older than ${outcome.lastSeq}` });
      } else {
        this.reply({ clientId: v.clientId, seq: v.seq, ok: true, result: outcome.result });
      }
    }
  }

  /** Phase 2a for `proposals` in new or recovered instances: accept them ourselves, send them to all. */
  private proposeBatch(proposals: readonly Proposal[]): void {
    if (proposals.length === 0) return;
    const self = this.acceptor.accept(this.ballot, proposals);
    if (!self.ok) throw new Error(`multipaxos: leader ${this.id} refused its own ballot ${formatBallot(this.ballot)}`);
    for (const w of self.writes) this.persist(w);
    for (const p of proposals) this.proposals.set(p.slot, { value: p.value, acks: new Set([this.id]), sentAtMs: this.nowMs });
    if (!this.spec) {
      for (let k = 0; k < proposals.length; k += this.opts.maxBatchEntries) {
        const chunk = proposals.slice(k, k + this.opts.maxBatchEntries);
        this.batches.push(chunk.map((p) => p.slot));
        for (const j of this.peers) this.send(j, { type: "Accept", ballot: this.ballot, proposals: chunk, commit: this.learned, time: this.nowMs });
      }
    }
    // A quorum of one decides at once.
    if (this.quorum <= 1) for (const p of proposals) this.decide(p.slot, p.value);
    this.applyChosen();
  }

  /** Send queued commands while the pipelining window has room, a batch at a time. */
  private flush(): void {
    while (this.role === "leader" && this.queue.length > 0 && (this.spec || this.batches.length < this.opts.maxInflight)) {
      const take = this.queue.splice(0, this.spec ? 1 : this.opts.maxBatchEntries);
      const proposals = take.map((q) => {
        const value: LogValue = { type: "kv", clientId: q.clientId, seq: q.seq, command: q.command };
        if (this.spec) this.note("Propose", { v: q.command.op === "put" ? q.command.value : q.command.op });
        return { slot: this.nextSlot++, value };
      });
      this.proposeBatch(proposals);
    }
  }

  // ---------------------------------------------------------------- client requests

  onRequest(req: ClientRequest<PaxosCommand>): void {
    const { clientId, seq } = req;
    if (typeof clientId !== "string" || !Number.isSafeInteger(seq) || seq < 1) {
      this.reply({ clientId: String(clientId), seq: Number(seq), ok: false, error: "rejected", detail: "a request needs a string clientId and a positive integer seq" });
      return;
    }
    const bad = this.service.validate(req.command);
    if (bad !== null) return this.reply({ clientId, seq, ok: false, error: "rejected", detail: bad });
    if (this.role !== "leader") {
      const hint = this.leaderId ?? undefined;
      return this.reply({ clientId, seq, ok: false, error: "not-leader", ...(hint !== undefined ? { leaderHint: hint } : {}) });
    }
    const c = req.command;
    if (this.kv.machine.isReadOnly(c) && this.leases) {
      if (this.leaseReadOk()) {
        this.note("LeaseRead");
        return this.reply({ clientId, seq, ok: true, result: this.kv.query(c) });
      }
      // The spec has no reads through the log: refuse, the client retries.
      if (this.spec) return this.reply({ clientId, seq, ok: false, error: "unavailable", detail: "no valid lease" });
    }
    const cached = this.kv.cached(clientId, seq);
    if (cached !== null) {
      if (cached.kind === "stale") return this.reply({ clientId, seq, ok: false, error: "rejected", detail: `seq ${seq} is older than ${cached.lastSeq}` });
      if (cached.kind === "duplicate") return this.reply({ clientId, seq, ok: true, result: cached.result });
    }
    const key = waiterKey(clientId, seq);
    if (this.pending.has(key)) return; // already proposed or queued; the answer comes when it applies
    if (this.proposals.size + this.queue.length >= this.opts.maxUncommittedEntries) {
      return this.reply({ clientId, seq, ok: false, error: "unavailable", detail: "too many uncommitted commands" });
    }
    this.pending.add(key);
    this.queue.push({ clientId, seq, command: c });
    this.flush();
  }

  // ---------------------------------------------------------------- inspection

  inspect(): MultiPaxosInspect {
    const bySlot = <T>(m: Map<number, T>): [number, T][] => [...m].sort((x, y) => x[0] - y[0]);
    const accepted: Record<number, AcceptedValue> = {};
    for (const [s, a] of bySlot(this.acceptor.accepted)) accepted[s] = structuredClone(a);
    const chosen: Record<number, LogValue> = {};
    for (const [s, v] of bySlot(this.chosen)) chosen[s] = structuredClone(v);
    const proposals: Record<number, { value: LogValue; acks: NodeId[] }> = {};
    for (const [s, p] of bySlot(this.proposals)) proposals[s] = { value: structuredClone(p.value), acks: [...p.acks].sort() };
    const recovered: Record<number, AcceptedValue> = {};
    if (this.role === "candidate") for (const [s, a] of bySlot(this.recovered())) recovered[s] = structuredClone(a);
    return {
      id: this.id,
      role: this.role,
      promised: { ...this.acceptor.promised },
      ballot: { ...this.ballot },
      leaderId: this.leaderId,
      accepted,
      chosen,
      learnedIndex: this.learned,
      proposals,
      recoveredTo: this.role === "leader" ? this.recoveredTo : 0,
      promises: this.role === "candidate" ? [...this.promises.keys()].sort() : [],
      recovered,
      clock: this.nowMs,
      leaseGrant: { holder: this.leaseHolder, until: this.leaseUntil },
      grants: Object.fromEntries([...this.grants].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    };
  }
}

function waiterKey(clientId: string, seq: number): string {
  return `${seq}\u0000${clientId}`;
}

function splitKey(key: string): [string, number] {
  const k = key.indexOf("\u0000");
  return [key.slice(k + 1), Number(key.slice(0, k))];
}

function anyUnsafe(o: MultiPaxosOptions): boolean {
  return o.unsafe.ignoreHighestAccepted === true || o.unsafe.forgetPromiseOnRestart === true || o.unsafe.readAfterLeaseExpiry === true;
}

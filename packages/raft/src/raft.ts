/**
 * The Raft protocol for one node: roles, elections (with pre-vote and check-quorum), replication
 * with batching, pipelining and fast back-off, commit and apply, snapshots, membership changes,
 * leadership transfer and linearizable reads. Handlers are named after the actions of Ongaro's
 * raft.tla (`handleAppendEntriesRequest`, `advanceCommitIndex`, ...).
 *
 * Output accumulates in a {@link Ready}; every durable write a message depends on is in the same
 * ready as the message (the host persists before it sends), except under
 * `unsafe.ackBeforePersist`.
 *
 * @module
 */
import type { ClientReply, ClientRequest, DurableWrite, Json, NodeId, Ready, Rng } from "@synod/protocol";
import { emptyReady } from "@synod/protocol";
import { SessionService, type StateMachineType } from "@synod/kv";
import { RaftLog } from "./log.js";
import { isMember, isVoter, makeMembership, members, planChange, promote, sameMembership } from "./membership.js";
import { checkRaftMessage, type RaftMessage } from "./messages.js";
import { Progress } from "./progress.js";
import { hasQuorum, quorumIndex, voteResult } from "./quorum.js";
import { ReadOnly, type PendingRead } from "./read-only.js";
import { configAt, makeSnapshot } from "./snapshot.js";
import { granularityOf, type Granularity } from "./spec-step.js";
import {
  entryWrites,
  hardStateWrite,
  MEMBERSHIP_KEY,
  NODE_KEY,
  recover,
  snapshotWrites,
  truncateWrites,
} from "./storage.js";
import type {
  ActionLabel,
  AdminCommand,
  KvCommand,
  KvResult,
  LogCommand,
  LogEntry,
  Membership,
  RaftCommand,
  RaftDurableState,
  RaftInspect,
  RaftOptions,
  Role,
  Snapshot,
} from "./types.js";
import { validateClientRequest } from "./validate.js";

/** What one node needs to start. */
export interface RaftInit {
  id: NodeId;
  /** Bootstrap configuration (used when storage holds none). */
  bootstrap: Membership;
  rng: Rng;
  options: RaftOptions;
  durable: ReadonlyMap<string, Json>;
  /**
   * The replicated state machine the log drives. Typed here as the key-value store's, which is the
   * default; `RaftKvNode` hosts any other service through the same plumbing, because Raft itself
   * only validates, applies and queries commands through this type and never looks inside them.
   */
  service: StateMachineType<KvCommand, KvResult>;
  /** Receives a label for every action the node takes (see {@link ActionLabel}), if set. */
  onAction?: (label: ActionLabel) => void;
}

type Out = Ready<RaftMessage, KvResult, RaftCommand>;
type Get<T extends RaftMessage["type"]> = Extract<RaftMessage, { type: T }>;

/** The action label of sending each message type (`null`: a reply, part of a `Handle*` action). */
const SEND_ACTIONS: Record<RaftMessage["type"], string | null> = {
  PreVoteRequest: "PreVote",
  PreVoteResponse: null,
  RequestVoteRequest: "RequestVote",
  RequestVoteResponse: null,
  AppendEntriesRequest: "AppendEntries",
  AppendEntriesResponse: null,
  HeartbeatRequest: "Heartbeat",
  HeartbeatResponse: null,
  InstallSnapshotRequest: "InstallSnapshot",
  InstallSnapshotResponse: null,
  TimeoutNow: "TimeoutNow",
};

/** Name of the election timer (also the leader's check-quorum period). */
export const ELECTION_TIMER = "election";
/** Name of the leader's heartbeat timer. */
export const HEARTBEAT_TIMER = "heartbeat";

interface Waiter {
  clientId: string;
  seq: number;
}

interface Transfer extends Waiter {
  to: NodeId;
  deadlineMs: number;
  timeoutNowSent: boolean;
}

/** One Raft node's protocol state. Driven by `RaftKvNode`; see its docs for the contract. */
export class Raft {
  readonly id: NodeId;
  private readonly opts: RaftOptions;
  private readonly rng: Rng;
  private readonly bootstrap: Membership;
  /** Where production and raft.tla's granularity differ (see spec-step.ts). */
  private readonly steps: Granularity;
  private readonly onAction: ((label: ActionLabel) => void) | undefined;
  private readonly service: StateMachineType<KvCommand, KvResult>;

  // Mirrors of durable state.
  term = 0;
  votedFor: NodeId | null = null;
  log: RaftLog;
  snapshot: Snapshot | null = null;

  // Volatile state.
  role: Role = "follower";
  leaderId: NodeId | null = null;
  commitIndex = 0;
  lastApplied = 0;
  config: Membership;
  /** The hosted service behind its session table (the key-value store unless `service` says otherwise). */
  kv: SessionService<KvCommand, KvResult>;
  /** Messages that were malformed, from a stale term, or otherwise not acted on. */
  ignoredMessages = 0;
  /** Snapshots taken from a leader's InstallSnapshot (since the last restart), for operators' logs. */
  snapshotsInstalled = 0;

  private votes = new Map<NodeId, boolean>();
  private progress = new Map<NodeId, Progress>();
  private pending = new Map<string, number>();
  private promotions = new Map<NodeId, Waiter>();
  private transfer: Transfer | null = null;
  private readOnly = new ReadOnly();
  private round = 0;
  private lastLeaderContactMs = Number.NEGATIVE_INFINITY;
  /** After a restart with check-quorum, refuse votes for one election timeout (see README, leases). */
  private quietAfterRestart: boolean;
  private quietUntilMs = Number.NEGATIVE_INFINITY;
  private seenEvent = false;
  private nowMs = 0;

  private out: Out = emptyReady();
  /** `unsafe.ackBeforePersist`: writes held back to the ready after the next step. */
  private deferred: DurableWrite[] = [];
  private deferredReleasable = false;

  constructor(init: RaftInit) {
    this.id = init.id;
    this.opts = init.options;
    this.rng = init.rng;
    this.bootstrap = init.bootstrap;
    this.steps = granularityOf(init.options.stepMode);
    this.onAction = init.onAction;
    this.service = init.service;
    const rec = recover(init.id, init.durable, init.service);
    if (rec === null) {
      this.log = new RaftLog();
      this.config = init.bootstrap;
      this.kv = new SessionService(init.service);
      this.persist([
        { key: NODE_KEY, value: init.id },
        { key: MEMBERSHIP_KEY, value: init.bootstrap as unknown as Json },
        hardStateWrite({ term: 0, votedFor: null }),
      ]);
      this.quietAfterRestart = false;
    } else {
      this.bootstrap = rec.bootstrap;
      this.term = rec.hardState.term;
      this.votedFor = rec.hardState.votedFor;
      this.snapshot = rec.snapshot;
      this.log = new RaftLog(rec.snapshot?.index ?? 0, rec.snapshot?.term ?? 0, rec.entries);
      this.kv = rec.kv;
      this.commitIndex = this.log.snapshotIndex;
      this.lastApplied = this.log.snapshotIndex;
      this.config = this.configFromLog();
      this.persist(rec.cleanup);
      this.quietAfterRestart = this.opts.checkQuorum;
    }
    this.resetElectionTimer();
  }

  // ---------------------------------------------------------------- ready plumbing

  hasReady(): boolean {
    const o = this.out;
    return (
      o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0 ||
      (this.deferredReleasable && this.deferred.length > 0)
    );
  }

  ready(): Out {
    const rd = this.out;
    this.out = emptyReady();
    if (this.opts.unsafe.ackBeforePersist) {
      const now = rd.persist;
      rd.persist = this.deferredReleasable ? this.deferred : [];
      this.deferred = this.deferredReleasable ? now : [...this.deferred, ...now];
      this.deferredReleasable = false;
    }
    return rd;
  }

  private persist(ws: DurableWrite[]): void {
    for (const w of ws) this.out.persist.push(w);
  }

  private send(to: NodeId, message: RaftMessage): void {
    this.out.send.push({ to, message });
    const action = SEND_ACTIONS[message.type];
    // A production leader sends from any point of its log (pipelining, back-off): RaftProd.tla's
    // AppendEntries takes that point as a parameter. Raft.tla's sends from nextIndex.
    if (action !== null && message.type === "AppendEntriesRequest" && this.opts.stepMode !== "spec") this.note(action, { j: to, prev: message.prevLogIndex });
    else if (action !== null) this.note(action, { j: to });
  }

  private note(action: string, params: Record<string, string | number> = {}): void {
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

  /** One hard-state write per ready: a later change in the same ready updates it in place. */
  private persistHardState(): void {
    const w = hardStateWrite({ term: this.term, votedFor: this.votedFor });
    const k = this.out.persist.findIndex((x) => x.key === w.key);
    if (k >= 0) this.out.persist[k] = w;
    else this.persist([w]);
  }

  private resetElectionTimer(): void {
    this.setTimer(ELECTION_TIMER, this.rng.nextInt(this.opts.electionTimeoutMsMin, this.opts.electionTimeoutMsMax));
  }

  /** Called at the start of every event. */
  beginStep(nowMs: number): void {
    this.nowMs = nowMs;
    if (!this.seenEvent) {
      this.seenEvent = true;
      if (this.quietAfterRestart) this.quietUntilMs = nowMs + this.opts.electionTimeoutMsMin;
    }
    if (this.deferred.length > 0) this.deferredReleasable = true;
  }

  /**
   * Cheap properties that hold after every step of a correct node (TigerBeetle-style assertions
   * at the boundary of `step`). Broken variants skip them: breaking things is their job.
   */
  assertInvariants(): void {
    if (anyUnsafe(this.opts)) return;
    const fail = (what: string): never => {
      throw new Error(`raft invariant violated on ${this.id}: ${what}`);
    };
    if (this.commitIndex < this.log.snapshotIndex || this.commitIndex > this.log.lastIndex) {
      fail(`commitIndex ${this.commitIndex} outside the log [${this.log.snapshotIndex}, ${this.log.lastIndex}]`);
    }
    if (this.lastApplied !== this.commitIndex) fail(`lastApplied ${this.lastApplied} differs from commitIndex ${this.commitIndex}`);
    if (this.log.lastTerm > this.term) fail(`last log term ${this.log.lastTerm} above the current term ${this.term}`);
    if (this.snapshot !== null && (this.snapshot.index < this.log.snapshotIndex || this.snapshot.index > this.commitIndex)) {
      fail(`snapshot index ${this.snapshot.index} outside [${this.log.snapshotIndex}, ${this.commitIndex}]`);
    }
    if ((this.role === "leader" || this.role === "candidate") && this.votedFor !== this.id) {
      fail(`${this.role} of term ${this.term} did not vote for itself`);
    }
    if (this.role === "leader" && this.leaderId !== this.id) fail(`leader follows ${this.leaderId}`);
  }

  // ---------------------------------------------------------------- role changes

  private becomeFollower(term: number, leader: NodeId | null): void {
    const wasLeader = this.role === "leader";
    if (term > this.term) {
      this.term = term;
      this.votedFor = null;
      this.persistHardState();
    }
    this.role = "follower";
    this.leaderId = leader;
    this.votes.clear();
    if (wasLeader) this.abandonLeadership();
    this.resetElectionTimer();
  }

  /** Fail everything a leader was holding for clients, and forget replication state. */
  private abandonLeadership(): void {
    const unknown = (w: Waiter, detail: string): void =>
      this.reply({ clientId: w.clientId, seq: w.seq, ok: false, error: "unavailable", detail });
    for (const key of this.pending.keys()) {
      const [clientId, seq] = splitKey(key);
      unknown({ clientId, seq }, "leadership lost; the outcome is unknown, retry with the same seq");
    }
    for (const r of this.readOnly.drain()) unknown(r, "leadership lost before the read was confirmed");
    for (const w of this.promotions.values()) unknown(w, "leadership lost before the promotion");
    if (this.transfer !== null && !this.transfer.timeoutNowSent) unknown(this.transfer, "leadership lost");
    this.pending.clear();
    this.promotions.clear();
    this.transfer = null;
    this.progress.clear();
    this.readOnly = new ReadOnly();
    this.setTimer(HEARTBEAT_TIMER, null);
  }

  /** Spec `Timeout(i)` (+ `RequestVote(i, j)` to every voter); with pre-vote, a pre-vote round first. */
  private campaign(kind: "pre" | "real", transfer: boolean): void {
    if (!isVoter(this.config, this.id)) return;
    this.leaderId = null;
    this.votes = new Map([[this.id, true]]);
    const lastLogIndex = this.log.lastIndex;
    const lastLogTerm = this.log.lastTerm;
    if (kind === "pre") {
      this.note("PreVoteTimeout");
      this.role = "pre-candidate";
      for (const j of this.config.voters) {
        if (j !== this.id) this.send(j, { type: "PreVoteRequest", term: this.term + 1, lastLogIndex, lastLogTerm });
      }
    } else {
      this.note("Timeout");
      this.role = "candidate";
      this.term += 1;
      this.votedFor = this.id;
      this.persistHardState();
      if (!this.steps.campaignSendsRequests) {
        this.resetElectionTimer();
        return;
      }
      for (const j of this.config.voters) {
        if (j !== this.id) this.send(j, { type: "RequestVoteRequest", term: this.term, lastLogIndex, lastLogTerm, transfer });
      }
    }
    this.resetElectionTimer();
    this.tallyVotes();
  }

  private tallyVotes(): void {
    if (!this.steps.winsAtQuorum) return;
    const result = voteResult(this.config.voters, this.votes);
    if (result === "won") {
      if (this.role === "pre-candidate") this.campaign("real", false);
      else if (this.role === "candidate") this.becomeLeader();
    } else if (result === "lost" && this.role === "pre-candidate") {
      this.becomeFollower(this.term, null);
    }
  }

  /** Spec `BecomeLeader(i)`. */
  private becomeLeader(): void {
    this.note("BecomeLeader");
    this.role = "leader";
    this.leaderId = this.id;
    this.votes.clear();
    this.progress.clear();
    for (const j of members(this.config)) {
      if (j === this.id) continue;
      const pr = new Progress(this.log.lastIndex + 1);
      pr.recentActive = true;
      this.progress.set(j, pr);
    }
    this.readOnly = new ReadOnly();
    this.round = 0;
    if (!this.steps.leaderStartsReplication) {
      this.setTimer(ELECTION_TIMER, null);
      return;
    }
    if (this.opts.noopOnLeader) this.appendEntry({ type: "noop" });
    this.setTimer(HEARTBEAT_TIMER, this.opts.heartbeatMs);
    this.setTimer(ELECTION_TIMER, this.opts.electionTimeoutMsMin);
    for (const j of this.progress.keys()) this.sendAppend(j, true);
    this.advanceCommitIndex();
  }

  // ---------------------------------------------------------------- timers

  onTimer(name: string): void {
    if (name === ELECTION_TIMER) {
      if (this.role === "leader") this.leaderTick();
      else if (!isVoter(this.config, this.id)) this.resetElectionTimer();
      else this.campaign(this.opts.preVote ? "pre" : "real", false);
    } else if (name === HEARTBEAT_TIMER) {
      if (this.role === "leader") {
        this.broadcastHeartbeat();
        this.setTimer(HEARTBEAT_TIMER, this.opts.heartbeatMs);
      }
    } else {
      this.ignoredMessages++;
    }
  }

  /** The leader's periodic check: quorum still reachable? transfer timed out? */
  private leaderTick(): void {
    if (this.opts.checkQuorum) {
      const active = (j: NodeId): boolean => j === this.id || this.progress.get(j)?.recentActive === true;
      if (!hasQuorum(this.config.voters, active)) {
        this.note("CheckQuorum");
        this.becomeFollower(this.term, null);
        return;
      }
      for (const pr of this.progress.values()) pr.recentActive = false;
    }
    if (this.transfer !== null && this.nowMs >= this.transfer.deadlineMs) {
      const t = this.transfer;
      this.transfer = null;
      if (!t.timeoutNowSent) {
        this.reply({ clientId: t.clientId, seq: t.seq, ok: false, error: "unavailable", detail: `transfer to ${t.to} timed out` });
      }
    }
    this.setTimer(ELECTION_TIMER, this.opts.electionTimeoutMsMin);
  }

  private broadcastHeartbeat(): void {
    this.round += 1;
    this.readOnly.roundSent(this.round, this.nowMs);
    for (const [j, pr] of this.progress) {
      if (pr.state === "probe") pr.probeSent = false;
      if (pr.state === "snapshot" && this.nowMs - pr.snapshotSentAtMs >= this.opts.electionTimeoutMsMin) pr.becomeProbe();
      this.send(j, { type: "HeartbeatRequest", term: this.term, commitIndex: this.heartbeatCommit(pr), round: this.round });
    }
    this.confirmReads();
  }

  /**
   * The commit index a heartbeat tells a follower: a heartbeat checks no log, so never beyond what
   * the follower is known to hold (beyond it, the follower's entries may conflict with ours).
   */
  private heartbeatCommit(pr: Progress): number {
    if (this.opts.unsafe.heartbeatCommitBeyondMatch === true) return this.commitIndex;
    return Math.min(pr.match, this.commitIndex);
  }

  // ---------------------------------------------------------------- messages

  onMessage(from: NodeId, m: RaftMessage): void {
    if (from === this.id || checkRaftMessage(m, this.service.validate) !== null) {
      this.ignoredMessages++;
      return;
    }
    this.note(`Handle${m.type}`, { j: from });
    if (m.term > this.term) {
      if (m.type === "PreVoteRequest" || (m.type === "PreVoteResponse" && m.granted)) {
        // A pre-vote never changes anyone's term.
      } else if (m.type === "RequestVoteRequest" && !m.transfer && this.inLease()) {
        this.ignoredMessages++;
        return;
      } else {
        const fromLeader =
          m.type === "AppendEntriesRequest" || m.type === "HeartbeatRequest" || m.type === "InstallSnapshotRequest";
        this.becomeFollower(m.term, fromLeader ? from : null);
      }
    } else if (m.term < this.term) {
      this.answerStale(from, m);
      return;
    }
    switch (m.type) {
      case "PreVoteRequest":
        return this.handlePreVoteRequest(from, m);
      case "PreVoteResponse":
        return this.handlePreVoteResponse(from, m);
      case "RequestVoteRequest":
        return this.handleRequestVoteRequest(from, m);
      case "RequestVoteResponse":
        return this.handleRequestVoteResponse(from, m);
      case "AppendEntriesRequest":
        return this.handleAppendEntriesRequest(from, m);
      case "AppendEntriesResponse":
        return this.handleAppendEntriesResponse(from, m);
      case "HeartbeatRequest":
        return this.handleHeartbeatRequest(from, m);
      case "HeartbeatResponse":
        return this.handleHeartbeatResponse(from, m);
      case "InstallSnapshotRequest":
        return this.handleInstallSnapshotRequest(from, m);
      case "InstallSnapshotResponse":
        return this.handleInstallSnapshotResponse(from, m);
      case "TimeoutNow":
        return this.handleTimeoutNow(from);
    }
  }

  /** A request from an older term: tell the sender our term so it steps down; drop responses. */
  private answerStale(from: NodeId, m: RaftMessage): void {
    this.ignoredMessages++;
    const term = this.term;
    switch (m.type) {
      case "AppendEntriesRequest":
        return this.send(from, {
          type: "AppendEntriesResponse",
          term,
          success: false,
          matchIndex: 0,
          rejectIndex: m.prevLogIndex,
          conflictTerm: null,
          conflictIndex: 0,
        });
      case "HeartbeatRequest":
        return this.send(from, { type: "HeartbeatResponse", term, round: m.round });
      case "InstallSnapshotRequest":
        return this.send(from, { type: "InstallSnapshotResponse", term, matchIndex: 0 });
      case "RequestVoteRequest":
        return this.send(from, { type: "RequestVoteResponse", term, granted: false });
      case "PreVoteRequest":
        return this.send(from, { type: "PreVoteResponse", term, granted: false });
      default:
        return;
    }
  }

  /** With check-quorum: we heard from a live leader recently (or just restarted), so refuse votes. */
  private inLease(): boolean {
    if (!this.opts.checkQuorum) return false;
    if (this.nowMs < this.quietUntilMs) return true;
    if (this.role === "leader") return true;
    return this.leaderId !== null && this.nowMs - this.lastLeaderContactMs < this.opts.electionTimeoutMsMin;
  }

  private voteLogOk(lastLogIndex: number, lastLogTerm: number): boolean {
    return this.opts.unsafe.voteWithoutUpToDateCheck === true || this.log.isUpToDate(lastLogIndex, lastLogTerm);
  }

  private handlePreVoteRequest(from: NodeId, m: Get<"PreVoteRequest">): void {
    const granted = m.term > this.term && !this.inLease() && this.voteLogOk(m.lastLogIndex, m.lastLogTerm);
    this.send(from, { type: "PreVoteResponse", term: granted ? m.term : this.term, granted });
  }

  private handlePreVoteResponse(from: NodeId, m: Get<"PreVoteResponse">): void {
    if (this.role !== "pre-candidate") return;
    if (m.term === this.term + 1 || (!m.granted && m.term === this.term)) {
      this.recordVote(from, m.granted);
      this.tallyVotes();
    }
  }

  /** Spec `HandleRequestVoteRequest(i, j, m)`. */
  private handleRequestVoteRequest(from: NodeId, m: Get<"RequestVoteRequest">): void {
    const granted =
      (this.votedFor === null || this.votedFor === from) &&
      this.voteLogOk(m.lastLogIndex, m.lastLogTerm);
    if (granted) {
      this.votedFor = from;
      this.persistHardState();
      this.resetElectionTimer();
    }
    this.send(from, { type: "RequestVoteResponse", term: this.term, granted });
  }

  /** Spec `HandleRequestVoteResponse(i, j, m)`. */
  private handleRequestVoteResponse(from: NodeId, m: Get<"RequestVoteResponse">): void {
    if (this.role !== "candidate") return;
    this.recordVote(from, m.granted);
    this.tallyVotes();
  }

  /**
   * A vote once granted in this election stays granted: a later refusal from the same voter is an
   * answer to a stale, duplicated request (the voter had already voted for us), and the spec's
   * `votesGranted` only ever grows within a term.
   */
  private recordVote(from: NodeId, granted: boolean): void {
    if (granted || !this.votes.has(from)) this.votes.set(from, granted);
  }

  /** A message from the current leader: follow it and push the election back. */
  private heardFromLeader(from: NodeId): boolean {
    if (this.role === "leader") {
      // Two leaders in one term break election safety. Broken variants can get here (that is what
      // they are for), so they ignore the message and let the checkers report it.
      if (anyUnsafe(this.opts)) {
        this.ignoredMessages++;
        return false;
      }
      throw new Error(`raft invariant violated: ${this.id} is leader of term ${this.term} and got a leader message from ${from}`);
    }
    if (this.role !== "follower") this.becomeFollower(this.term, from);
    this.leaderId = from;
    this.lastLeaderContactMs = this.nowMs;
    this.resetElectionTimer();
    return true;
  }

  /** Spec `HandleAppendEntriesRequest(i, j, m)`. */
  private handleAppendEntriesRequest(from: NodeId, m: Get<"AppendEntriesRequest">): void {
    if (!this.heardFromLeader(from)) return;
    const reply = (r: Omit<Get<"AppendEntriesResponse">, "type" | "term" | "rejectIndex">): void =>
      this.send(from, { type: "AppendEntriesResponse", term: this.term, rejectIndex: m.prevLogIndex, ...r });
    const lastNew = m.prevLogIndex + m.entries.length;
    let prev = m.prevLogIndex;
    let prevTerm = m.prevLogTerm;
    let entries = m.entries;
    if (prev < this.log.snapshotIndex) {
      // Everything up to the snapshot is committed here and so matches the leader's log.
      const skip = this.log.snapshotIndex - prev;
      if (skip >= entries.length) {
        reply({ success: true, matchIndex: lastNew, conflictTerm: null, conflictIndex: 0 });
        return;
      }
      prevTerm = (entries[skip - 1] as LogEntry).term;
      prev = this.log.snapshotIndex;
      entries = entries.slice(skip);
    }
    const ourPrevTerm = this.log.termAt(prev);
    if (ourPrevTerm !== prevTerm) {
      if (ourPrevTerm === undefined) {
        reply({ success: false, matchIndex: 0, conflictTerm: null, conflictIndex: this.log.lastIndex + 1 });
      } else {
        reply({ success: false, matchIndex: 0, conflictTerm: ourPrevTerm, conflictIndex: this.log.firstIndexOfTermAt(prev) });
      }
      return;
    }
    this.storeEntries(prev + 1, entries);
    if (m.commitIndex > this.commitIndex) this.commitTo(Math.min(m.commitIndex, lastNew));
    reply({ success: true, matchIndex: lastNew, conflictTerm: null, conflictIndex: 0 });
  }

  /** Store `entries` at `first...`, skipping those already held and truncating at the first conflict. */
  private storeEntries(first: number, entries: readonly LogEntry[]): void {
    let k = 0;
    while (k < entries.length) {
      const t = this.log.termAt(first + k);
      if (t === undefined) break;
      if (t !== (entries[k] as LogEntry).term) {
        const at = first + k;
        if (at <= this.commitIndex) {
          if (!anyUnsafe(this.opts)) {
            throw new Error(`raft invariant violated: ${this.id} asked to overwrite committed entry ${at} (commit ${this.commitIndex})`);
          }
          this.commitIndex = at - 1;
        }
        if (!this.opts.unsafe.truncateWithoutPersist) this.persist(truncateWrites(at, this.log.lastIndex));
        const hadConfig = this.log.slice(at, this.log.lastIndex).some((e) => e.command.type === "config");
        this.log.truncateFrom(at);
        if (hadConfig && this.opts.unsafe.keepConfigOnTruncate !== true) this.setConfig(this.configFromLog());
        break;
      }
      k++;
    }
    const rest = entries.slice(k);
    if (rest.length === 0) return;
    this.persist(entryWrites(this.log.lastIndex + 1, rest));
    for (const e of rest) {
      this.log.append(e);
      if (e.command.type === "config") this.setConfig(e.command.config);
    }
  }

  /** Spec `HandleAppendEntriesResponse(i, j, m)`, with fast back-off on rejection. */
  private handleAppendEntriesResponse(from: NodeId, m: Get<"AppendEntriesResponse">): void {
    const pr = this.progress.get(from);
    if (this.role !== "leader" || pr === undefined) return;
    pr.recentActive = true;
    if (!this.steps.responsesDriveReplication) {
      if (m.success) pr.acknowledge(m.matchIndex);
      else pr.next = Math.max(pr.next - 1, 1);
      return;
    }
    if (m.success) {
      const news = pr.acknowledge(m.matchIndex);
      if (pr.state === "probe") pr.becomeReplicate();
      else if (pr.state === "snapshot" && pr.match >= pr.pendingSnapshot) pr.becomeProbe();
      if (news) this.advanceCommitIndex();
      this.afterProgress(from);
      this.sendAppendsWhileOpen(from);
      return;
    }
    const stale =
      m.rejectIndex < pr.match ||
      pr.state === "snapshot" ||
      (pr.state === "probe" && m.rejectIndex !== pr.next - 1);
    if (stale) {
      this.ignoredMessages++;
      return;
    }
    let next = m.conflictIndex;
    if (m.conflictTerm !== null) {
      const last = this.log.lastIndexOfTerm(m.conflictTerm);
      if (last !== null) next = last + 1;
    }
    pr.becomeProbe();
    pr.next = Math.max(pr.match + 1, Math.min(next, m.rejectIndex));
    this.sendAppend(from, true);
  }

  private handleHeartbeatRequest(from: NodeId, m: Get<"HeartbeatRequest">): void {
    if (!this.heardFromLeader(from)) return;
    if (m.commitIndex > this.commitIndex) this.commitTo(Math.min(m.commitIndex, this.log.lastIndex));
    this.send(from, { type: "HeartbeatResponse", term: this.term, round: m.round });
  }

  private handleHeartbeatResponse(from: NodeId, m: Get<"HeartbeatResponse">): void {
    const pr = this.progress.get(from);
    if (this.role !== "leader" || pr === undefined) return;
    pr.recentActive = true;
    if (m.round > pr.ackedRound) pr.ackedRound = m.round;
    if (pr.match < this.log.lastIndex) {
      // No progress over a whole heartbeat while behind: an append was lost. Probe again.
      if (pr.state === "replicate" && pr.match === pr.matchAtLastHeartbeat) pr.becomeProbe();
      if (pr.state === "probe") pr.probeSent = false;
      this.sendAppend(from, true);
    }
    pr.matchAtLastHeartbeat = pr.match;
    this.confirmReads();
  }

  /** Install a leader's snapshot if it is ahead of what we have committed. */
  private handleInstallSnapshotRequest(from: NodeId, m: Get<"InstallSnapshotRequest">): void {
    if (!this.heardFromLeader(from)) return;
    const s = m.snapshot;
    if (s.index <= this.commitIndex) {
      this.send(from, { type: "InstallSnapshotResponse", term: this.term, matchIndex: this.commitIndex });
      return;
    }
    let kv: SessionService<KvCommand, KvResult>;
    try {
      kv = SessionService.fromJson(this.service, s.data);
    } catch {
      this.ignoredMessages++;
      return;
    }
    const keepSuffix = this.log.termAt(s.index) === s.term;
    // The unsafe build keeps a conflicting suffix, in memory and in storage alike.
    const kept = !keepSuffix && this.opts.unsafe.installSnapshotOverConflict === true ? this.log.slice(s.index + 1, this.log.lastIndex) : [];
    // Order for crash safety (see storage.ts): drop conflicting entries after the snapshot first,
    // then record the snapshot, then drop what it covers.
    if (!keepSuffix && kept.length === 0 && this.log.lastIndex > s.index) this.persist(truncateWrites(s.index + 1, this.log.lastIndex));
    this.persist(snapshotWrites(s, this.log.firstIndex, Math.min(s.index, this.log.lastIndex)));
    this.log.compactTo(s.index, s.term);
    for (const e of kept) this.log.append(e);
    this.snapshot = s;
    this.snapshotsInstalled++;
    this.kv = kv;
    this.commitIndex = s.index;
    this.lastApplied = s.index;
    this.setConfig(this.configFromLog());
    this.send(from, { type: "InstallSnapshotResponse", term: this.term, matchIndex: s.index });
  }

  private handleInstallSnapshotResponse(from: NodeId, m: Get<"InstallSnapshotResponse">): void {
    const pr = this.progress.get(from);
    if (this.role !== "leader" || pr === undefined) return;
    pr.recentActive = true;
    const news = pr.acknowledge(m.matchIndex);
    if (pr.state === "snapshot" && pr.match >= pr.pendingSnapshot) pr.becomeProbe();
    if (news) this.advanceCommitIndex();
    this.afterProgress(from);
    this.sendAppend(from, true);
  }

  private handleTimeoutNow(from: NodeId): void {
    if (this.role !== "follower" || from !== this.leaderId) {
      this.ignoredMessages++;
      return;
    }
    this.campaign("real", true);
  }

  // ---------------------------------------------------------------- replication

  /**
   * Send `to` the next AppendEntries its progress allows (or a snapshot if the entries it needs
   * are compacted). Returns whether anything was sent.
   */
  private sendAppend(to: NodeId, allowEmpty: boolean): boolean {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.isPaused(this.opts.maxInflight)) return false;
    const prev = pr.next - 1;
    const prevTerm = this.log.termAt(prev);
    if (prevTerm === undefined) {
      if (prev > this.log.lastIndex) pr.next = this.log.lastIndex + 1;
      else return this.sendSnapshot(to, pr);
      return this.sendAppend(to, allowEmpty);
    }
    const entries = this.log.slice(pr.next, prev + this.opts.maxBatchEntries);
    if (entries.length === 0 && !allowEmpty) return false;
    this.send(to, {
      type: "AppendEntriesRequest",
      term: this.term,
      prevLogIndex: prev,
      prevLogTerm: prevTerm,
      entries,
      commitIndex: Math.min(this.commitIndex, prev + entries.length),
    });
    pr.sent(entries.length > 0 ? prev + entries.length : null);
    return true;
  }

  /** Pipelining: keep sending while the window is open and entries remain. Bounded by the window. */
  private sendAppendsWhileOpen(to: NodeId): void {
    for (let n = 0; n <= this.opts.maxInflight; n++) if (!this.sendAppend(to, false)) return;
  }

  private broadcastAppend(): void {
    for (const j of this.progress.keys()) this.sendAppendsWhileOpen(j);
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    const s = this.snapshot;
    if (s === null) throw new Error(`raft invariant violated: ${to} needs compacted entries but ${this.id} has no snapshot`);
    pr.becomeSnapshot(s.index, this.nowMs);
    this.send(to, { type: "InstallSnapshotRequest", term: this.term, snapshot: s });
    return true;
  }

  // ---------------------------------------------------------------- spec stepping (spec-step.ts)

  /** @internal `AppendEntries(i, j)`, see `takeSpecAction` in spec-step.ts. */
  specAppendEntries(to: NodeId): boolean {
    const pr = this.progress.get(to);
    if (this.role !== "leader" || pr === undefined) return false;
    const prev = pr.next - 1;
    const prevTerm = this.log.termAt(prev);
    if (prevTerm === undefined) return false;
    const entries = this.log.slice(pr.next, pr.next);
    this.send(to, {
      type: "AppendEntriesRequest",
      term: this.term,
      prevLogIndex: prev,
      prevLogTerm: prevTerm,
      entries,
      commitIndex: Math.min(this.commitIndex, prev + entries.length),
    });
    return true;
  }

  /** @internal `RequestVote(i, j)`, see `takeSpecAction` in spec-step.ts. */
  specRequestVote(to: NodeId): boolean {
    if (this.role !== "candidate" || to === this.id || this.votes.get(to) === true) return false;
    this.send(to, { type: "RequestVoteRequest", term: this.term, lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm, transfer: false });
    return true;
  }

  /** @internal `BecomeLeader(i)`, see `takeSpecAction` in spec-step.ts. */
  specBecomeLeader(): boolean {
    if (this.role !== "candidate" || voteResult(this.config.voters, this.votes) !== "won") return false;
    this.becomeLeader();
    return true;
  }

  /** @internal `AdvanceCommitIndex(i)`, see `takeSpecAction` in spec-step.ts. */
  specAdvanceCommitIndex(): boolean {
    const before = this.commitIndex;
    this.advanceCommitIndex();
    return this.commitIndex > before;
  }

  // ---------------------------------------------------------------- commit and apply

  /** Spec `AdvanceCommitIndex(i)`: commit what a quorum stores, if it is of the current term. */
  private advanceCommitIndex(): void {
    if (this.role !== "leader") return;
    const q = quorumIndex(this.config.voters, (j) =>
      j === this.id ? this.log.lastIndex : (this.progress.get(j)?.match ?? 0),
    );
    if (q <= this.commitIndex) return;
    if (this.log.termAt(q) !== this.term && this.opts.unsafe.commitPriorTermByCounting !== true) return;
    this.note("AdvanceCommitIndex");
    this.commitTo(q);
  }

  private commitTo(index: number): void {
    if (index <= this.commitIndex) return;
    const wasCommittedInTerm = this.committedInTerm();
    this.commitIndex = index;
    this.applyCommitted();
    if (this.role !== "leader") return;
    if (!wasCommittedInTerm && this.committedInTerm()) this.releaseBlockedReads();
    for (const j of [...this.promotions.keys()]) this.afterProgress(j);
  }

  private committedInTerm(): boolean {
    return this.log.termAt(this.commitIndex) === this.term;
  }

  private applyCommitted(): void {
    while (this.lastApplied < this.commitIndex) {
      const index = this.lastApplied + 1;
      const c = this.log.entry(index).command;
      this.lastApplied = index;
      switch (c.type) {
        case "noop":
          break;
        case "kv":
          this.applyKv(index, c);
          break;
        case "config":
          this.applyConfigEntry(c);
          break;
      }
    }
    this.maybeSnapshot();
  }

  private applyKv(index: number, c: Extract<LogCommand, { type: "kv" }>): void {
    // The unsafe build gives every log entry a session of its own, so a retried request that reached
    // the log twice is applied twice.
    const session = this.opts.unsafe.applyRetriesTwice ? `${c.clientId}#${index}` : c.clientId;
    const outcome = this.kv.apply(session, c.seq, c.command);
    if (outcome.kind === "applied") this.out.applied.push({ index, command: c.command, result: outcome.result, request: { clientId: c.clientId, seq: c.seq } });
    const key = waiterKey(c.clientId, c.seq);
    if (this.role !== "leader" || !this.pending.has(key)) return;
    this.pending.delete(key);
    if (outcome.kind === "stale") {
      this.reply({ clientId: c.clientId, seq: c.seq, ok: false, error: "rejected", detail: `seq ${c.seq} is older than ${outcome.lastSeq}` });
    } else {
      this.reply({ clientId: c.clientId, seq: c.seq, ok: true, result: outcome.result });
    }
  }

  private applyConfigEntry(c: Extract<LogCommand, { type: "config" }>): void {
    if (this.role !== "leader") return;
    if (c.clientId !== null && c.seq !== null && this.pending.delete(waiterKey(c.clientId, c.seq))) {
      this.reply({ clientId: c.clientId, seq: c.seq, ok: true, result: { ok: true } });
    }
    // A leader removed from the configuration steps down once its removal commits.
    if (sameMembership(c.config, this.config) && !isVoter(c.config, this.id)) this.becomeFollower(this.term, null);
  }

  private maybeSnapshot(): void {
    const every = this.opts.snapshotEveryEntries;
    if (every === null || this.lastApplied - (this.snapshot?.index ?? 0) < every) return;
    this.note("TakeSnapshot");
    const snap = makeSnapshot(this.log, this.lastApplied, this.snapshot?.config ?? this.bootstrap, this.kv);
    // Keep the last `snapshotRetainEntries` entries in the log so that a follower a little behind
    // catches up from the log instead of receiving the whole snapshot. (Recovery drops them: after a
    // restart the log starts at the snapshot.)
    const compactTo = Math.max(this.log.snapshotIndex, snap.index - this.opts.snapshotRetainEntries);
    const compactTerm = this.log.termAt(compactTo) as number;
    this.persist(snapshotWrites(snap, this.log.firstIndex, compactTo));
    this.log.compactTo(compactTo, compactTerm);
    this.snapshot = snap;
  }

  // ---------------------------------------------------------------- membership

  private configFromLog(): Membership {
    return configAt(this.log, this.log.lastIndex, this.snapshot?.config ?? this.bootstrap);
  }

  private setConfig(c: Membership): void {
    this.config = c;
    if (this.role !== "leader") return;
    for (const j of members(c)) {
      if (j !== this.id && !this.progress.has(j)) {
        const pr = new Progress(this.log.lastIndex + 1);
        pr.recentActive = true;
        this.progress.set(j, pr);
      }
    }
    for (const j of [...this.progress.keys()]) if (!isMember(c, j)) this.progress.delete(j);
  }

  private hasUncommittedConfig(): boolean {
    for (let i = this.log.lastIndex; i > this.commitIndex; i--) {
      if (this.log.entry(i).command.type === "config") return true;
    }
    return false;
  }

  /** After `j`'s match advanced: promote it if it is a caught-up learner; finish a transfer to it. */
  private afterProgress(j: NodeId): void {
    const pr = this.progress.get(j);
    if (pr === undefined) return;
    const w = this.promotions.get(j);
    if (w !== undefined && this.config.learners.includes(j) && pr.match >= this.commitIndex && !this.hasUncommittedConfig()) {
      this.promotions.delete(j);
      const index = this.appendEntry({ type: "config", config: promote(this.config, j), clientId: w.clientId, seq: w.seq });
      this.pending.set(waiterKey(w.clientId, w.seq), index);
      this.broadcastAppend();
    }
    const t = this.transfer;
    if (t !== null && t.to === j && !t.timeoutNowSent && pr.match === this.log.lastIndex) {
      t.timeoutNowSent = true;
      this.send(j, { type: "TimeoutNow", term: this.term });
      this.reply({ clientId: t.clientId, seq: t.seq, ok: true, result: { ok: true } });
    }
  }

  // ---------------------------------------------------------------- client requests

  private appendEntry(command: LogCommand): number {
    const index = this.log.append({ term: this.term, command });
    this.persist(entryWrites(index, [{ term: this.term, command }]));
    if (command.type === "config") this.setConfig(command.config);
    return index;
  }

  /** Spec `ClientRequest(i, v)` for writes; reads and admin commands are routed from here too. */
  onRequest(req: ClientRequest<RaftCommand>): void {
    const { clientId, seq } = req;
    const bad = validateClientRequest(req, this.service.validate);
    if (bad !== null) {
      this.reply({ clientId: String(clientId), seq: Number(seq), ok: false, error: "rejected", detail: bad });
      return;
    }
    if (this.role !== "leader") {
      const hint = this.leaderId ?? undefined;
      this.reply({ clientId, seq, ok: false, error: "not-leader", ...(hint !== undefined ? { leaderHint: hint } : {}) });
      return;
    }
    const c = req.command;
    switch (c.op) {
      case "add-learner":
      case "add-server":
      case "remove-server":
        return this.proposeConfig(clientId, seq, c);
      case "transfer-leadership":
        return this.startTransfer(clientId, seq, c.to);
      default:
        // A command of the hosted service: read-only ones (the store's `get`) may bypass the log.
        if (this.opts.readMode !== "log" && this.kv.machine.isReadOnly(c)) return this.read(clientId, seq, c);
        return this.proposeKv(clientId, seq, c);
    }
  }

  private unavailable(clientId: string, seq: number, detail: string): void {
    this.reply({ clientId, seq, ok: false, error: "unavailable", detail });
  }

  private proposeKv(clientId: string, seq: number, command: KvCommand): void {
    const cached = this.kv.cached(clientId, seq);
    if (cached !== null) {
      if (cached.kind === "stale") {
        this.reply({ clientId, seq, ok: false, error: "rejected", detail: `seq ${seq} is older than ${cached.lastSeq}` });
      } else if (cached.kind === "duplicate") {
        this.reply({ clientId, seq, ok: true, result: cached.result });
      }
      return;
    }
    const key = waiterKey(clientId, seq);
    if (this.pending.has(key)) return; // already in the log; the answer comes when it applies
    if (this.transfer !== null) return this.unavailable(clientId, seq, "leadership transfer in progress");
    if (this.log.lastIndex - this.commitIndex >= this.opts.maxUncommittedEntries) {
      return this.unavailable(clientId, seq, "too many uncommitted entries");
    }
    this.note("ClientRequest", { v: command.op === "put" || command.op === "cas" ? command.value : command.op });
    const index = this.appendEntry({ type: "kv", clientId, seq, command });
    this.pending.set(key, index);
    if (!this.steps.requestsReplicate) return;
    this.broadcastAppend();
    this.advanceCommitIndex();
  }

  private read(clientId: string, seq: number, command: KvCommand): void {
    if (this.transfer !== null) return this.unavailable(clientId, seq, "leadership transfer in progress");
    if (this.readOnly.blocked.length + this.readOnly.queued.length >= this.opts.maxUncommittedEntries) {
      return this.unavailable(clientId, seq, "too many reads waiting for leadership confirmation");
    }
    const r: PendingRead = { clientId, seq, command, round: 0 };
    // Until it commits an entry of its term, a new leader's commit index may lag what its
    // predecessor committed and acknowledged: a read answered now could miss an acknowledged write.
    if (!this.committedInTerm() && this.opts.unsafe.readBeforeTermCommit !== true) {
      this.readOnly.blocked.push(r);
      return;
    }
    const leaseValid = this.opts.readMode === "lease" && this.nowMs < this.readOnly.leaseExpiryMs;
    if (leaseValid || this.opts.unsafe.readWithoutConfirmation === true) {
      this.reply({ clientId, seq, ok: true, result: this.kv.query(command) });
      return;
    }
    this.startReadIndex([r]);
  }

  /** ReadIndex: the commit index now is what the reads must see; confirm leadership by a round. */
  private startReadIndex(reads: PendingRead[]): void {
    this.round += 1;
    this.readOnly.roundSent(this.round, this.nowMs);
    for (const r of reads) {
      r.round = this.round;
      this.readOnly.queued.push(r);
    }
    for (const [j, pr] of this.progress) {
      this.send(j, { type: "HeartbeatRequest", term: this.term, commitIndex: this.heartbeatCommit(pr), round: this.round });
    }
    this.confirmReads();
  }

  private releaseBlockedReads(): void {
    const reads = this.readOnly.blocked;
    this.readOnly.blocked = [];
    if (reads.length > 0) this.startReadIndex(reads);
  }

  /** Answer the reads whose round a quorum acknowledged. Applied ≥ commit ≥ their read index. */
  private confirmReads(): void {
    const q = quorumIndex(this.config.voters, (j) => (j === this.id ? this.round : (this.progress.get(j)?.ackedRound ?? 0)));
    const leaseMs = this.opts.electionTimeoutMsMin * (1 - this.opts.leaseClockDriftBound);
    for (const r of this.readOnly.confirm(q, leaseMs)) {
      this.reply({ clientId: r.clientId, seq: r.seq, ok: true, result: this.kv.query(r.command) });
    }
  }

  private proposeConfig(clientId: string, seq: number, cmd: Exclude<AdminCommand, { op: "transfer-leadership" }>): void {
    if (this.hasUncommittedConfig()) return this.unavailable(clientId, seq, "another membership change is in progress");
    const plan = planChange(this.config, cmd);
    switch (plan.kind) {
      case "done":
        return this.reply({ clientId, seq, ok: true, result: { ok: true } });
      case "rejected":
        return this.reply({ clientId, seq, ok: false, error: "rejected", detail: plan.reason });
      case "change":
        if (plan.thenPromote) {
          this.promotions.set(cmd.node, { clientId, seq });
          this.appendEntry({ type: "config", config: plan.config, clientId: null, seq: null });
        } else {
          this.pending.set(waiterKey(clientId, seq), this.appendEntry({ type: "config", config: plan.config, clientId, seq }));
        }
        this.broadcastAppend();
        this.advanceCommitIndex();
        return;
    }
  }

  private startTransfer(clientId: string, seq: number, to: NodeId): void {
    if (to === this.id) return this.reply({ clientId, seq, ok: true, result: { ok: true } });
    if (!isVoter(this.config, to)) return this.reply({ clientId, seq, ok: false, error: "rejected", detail: `${to} is not a voter` });
    if (this.transfer !== null) return this.unavailable(clientId, seq, "another leadership transfer is in progress");
    this.transfer = { to, clientId, seq, deadlineMs: this.nowMs + this.opts.electionTimeoutMsMin, timeoutNowSent: false };
    // The target may win an election before our lease would expire: stop lease reads now.
    this.readOnly.dropLease();
    this.afterProgress(to);
    if (!this.transfer.timeoutNowSent) this.sendAppend(to, true);
  }

  // ---------------------------------------------------------------- inspection

  /**
   * The durable variables of RaftExt (`currentTerm`, `votedFor`, `snapshot`, `log`) as memory holds
   * them: the log from the latest snapshot on (entries retained before it are in the snapshot, and
   * recovery drops them). A restart from storage must give back exactly this.
   */
  durableState(): RaftDurableState {
    const base = this.snapshot?.index ?? 0;
    return {
      currentTerm: this.term,
      votedFor: this.votedFor,
      snapshot: this.snapshot === null ? null : { index: this.snapshot.index, term: this.snapshot.term, config: this.snapshot.config, data: this.snapshot.data },
      log: this.log.slice(Math.max(base + 1, this.log.firstIndex), this.log.lastIndex),
    };
  }

  inspect(): RaftInspect {
    const nextIndex: Record<NodeId, number> = {};
    const matchIndex: Record<NodeId, number> = {};
    if (this.role === "leader") {
      for (const [j, pr] of this.progress) {
        nextIndex[j] = pr.next;
        matchIndex[j] = pr.match;
      }
    }
    return {
      id: this.id,
      role: this.role,
      term: this.term,
      votedFor: this.votedFor,
      snapshotIndex: this.log.snapshotIndex,
      snapshotTerm: this.log.snapshotTerm,
      log: this.log.all(),
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
      leaderId: this.leaderId,
      votesGranted: [...this.votes].filter(([, g]) => g).map(([j]) => j).sort(),
      nextIndex,
      matchIndex,
      config: makeMembership(this.config.voters, this.config.learners),
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

function anyUnsafe(o: RaftOptions): boolean {
  return (
    o.unsafe.commitPriorTermByCounting === true ||
    o.unsafe.voteWithoutUpToDateCheck === true ||
    o.unsafe.ackBeforePersist === true ||
    o.unsafe.readWithoutConfirmation === true ||
    o.unsafe.truncateWithoutPersist === true ||
    o.unsafe.applyRetriesTwice === true ||
    o.unsafe.heartbeatCommitBeyondMatch === true ||
    o.unsafe.readBeforeTermCommit === true ||
    o.unsafe.installSnapshotOverConflict === true ||
    o.unsafe.keepConfigOnTruncate === true
  );
}

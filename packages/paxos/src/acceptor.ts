/**
 * The acceptor of Lamport's Paxos, shared by single-decree Paxos (one instance, 0) and Multi-Paxos
 * (many instances, one promise for all of them): Phase 1b and Phase 2b, with the durable writes
 * each needs before its reply may leave.
 *
 * @module
 */
import type { DurableWrite } from "@synod/protocol";
import { compareBallots, sameBallot, ZERO_BALLOT } from "./ballot.js";
import { acceptedWrite, promisedWrite } from "./storage.js";
import type { AcceptedValue, Ballot, Proposal } from "./types.js";

/** The outcome of a Prepare or Accept at an acceptor. */
export type AcceptorReply<T> = { ok: true; reply: T; writes: DurableWrite[] } | { ok: false; promised: Ballot };

/** An acceptor: its promise and, per instance, the last value it accepted. */
export class Acceptor {
  /** The highest ballot promised (it takes part in no lower one). */
  promised: Ballot;
  /** Per instance, the value accepted in the highest ballot it accepted one in. */
  readonly accepted: Map<number, AcceptedValue>;
  /** The highest ballot of any vote it holds (never above the promise in a correct acceptor). */
  maxVoted: Ballot;

  /**
   * @param state - recovered durable state (a fresh acceptor by default).
   * @param persistPromise - false only for the broken variant that forgets its promise on restart.
   */
  constructor(
    state: { promised: Ballot; accepted: Map<number, AcceptedValue> } = { promised: { ...ZERO_BALLOT }, accepted: new Map() },
    private readonly persistPromise = true,
  ) {
    this.promised = { ...state.promised };
    this.accepted = new Map(state.accepted);
    this.maxVoted = { ...ZERO_BALLOT };
    for (const a of this.accepted.values()) if (compareBallots(a.ballot, this.maxVoted) > 0) this.maxVoted = a.ballot;
  }

  private promiseWrites(b: Ballot): DurableWrite[] {
    if (compareBallots(b, this.promised) <= 0) return [];
    this.promised = { round: b.round, node: b.node };
    return this.persistPromise ? [promisedWrite(this.promised)] : [];
  }

  /**
   * Phase 1b: promise `b` if it is at least the current promise (a repeated Prepare of the promised
   * ballot is answered again), and report every value accepted in instances from `fromSlot` on.
   */
  prepare(b: Ballot, fromSlot: number): AcceptorReply<(AcceptedValue & { slot: number })[]> {
    if (compareBallots(b, this.promised) < 0) return { ok: false, promised: this.promised };
    const writes = this.promiseWrites(b);
    const reply: (AcceptedValue & { slot: number })[] = [];
    for (const [slot, a] of this.accepted) if (slot >= fromSlot) reply.push({ slot, ballot: a.ballot, value: a.value });
    reply.sort((x, y) => x.slot - y.slot);
    return { ok: true, reply, writes };
  }

  /** Phase 2b: accept `proposals` in `b` unless a higher ballot was promised. */
  accept(b: Ballot, proposals: readonly Proposal[]): AcceptorReply<number[]> {
    if (compareBallots(b, this.promised) < 0) return { ok: false, promised: this.promised };
    const writes = this.promiseWrites(b);
    const slots: number[] = [];
    for (const p of proposals) {
      const had = this.accepted.get(p.slot);
      // A duplicated Accept of the same ballot changes nothing (and writes nothing).
      if (had === undefined || !sameBallot(had.ballot, b)) {
        const a = { ballot: { round: b.round, node: b.node }, value: p.value };
        this.accepted.set(p.slot, a);
        writes.push(acceptedWrite(p.slot, a));
        if (compareBallots(b, this.maxVoted) > 0) this.maxVoted = a.ballot;
      }
      slots.push(p.slot);
    }
    return { ok: true, reply: slots, writes };
  }
}

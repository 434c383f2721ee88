/**
 * Linearizable reads that bypass the log.
 *
 * ReadIndex (Raft thesis §6.4): the leader notes its commit index, then confirms it is still leader
 * by a heartbeat round a quorum acknowledges; once its state machine has applied up to the noted
 * index it answers. A leader that has not yet committed an entry of its own term does not know the
 * true commit index, so reads wait until it has.
 *
 * Lease (thesis §6.4.1): when a quorum acknowledged a heartbeat the leader sent at local time `t`,
 * no other leader can be elected before those followers' election timers could fire, because with
 * check-quorum they ignore vote requests for `electionTimeoutMsMin` after hearing from a leader.
 * Measured on the leader's clock that is at least `t + electionTimeoutMsMin × (1 − drift)` when
 * clock rates differ by at most the fraction `drift`. Until then the leader answers from local state.
 *
 * @module
 */
import type { KvCommand } from "./types.js";

/** A read waiting for leadership confirmation. */
export interface PendingRead {
  clientId: string;
  seq: number;
  /** The read-only command of the hosted service (a `get` of the key-value store). */
  command: KvCommand;
  /** Heartbeat round whose quorum acknowledgement confirms this read; 0 while still blocked. */
  round: number;
}

/** Bound on heartbeat rounds remembered for the lease (older ones can no longer extend it). */
const ROUNDS_REMEMBERED_MAX = 256;

/** ReadIndex queue and lease bookkeeping of one leader term. */
export class ReadOnly {
  /** Reads waiting for the leader's first commit in its term. */
  blocked: PendingRead[] = [];
  /** Reads waiting for their round to be acknowledged, in round order. */
  queued: PendingRead[] = [];
  /** Leader-clock time until which lease reads are safe. */
  leaseExpiryMs = Number.NEGATIVE_INFINITY;
  private readonly sentAtMs = new Map<number, number>();
  private confirmedRound = 0;

  /** Remember when heartbeat `round` was sent. */
  roundSent(round: number, nowMs: number): void {
    this.sentAtMs.set(round, nowMs);
    if (this.sentAtMs.size > ROUNDS_REMEMBERED_MAX) {
      const oldest = this.sentAtMs.keys().next().value as number;
      this.sentAtMs.delete(oldest);
    }
  }

  /**
   * A quorum has acknowledged every round up to `round`: extend the lease by `leaseMs` from that
   * round's send time and return the reads this confirms.
   */
  confirm(round: number, leaseMs: number): PendingRead[] {
    if (round <= this.confirmedRound) return [];
    this.confirmedRound = round;
    const sent = this.sentAtMs.get(round);
    if (sent !== undefined) this.leaseExpiryMs = Math.max(this.leaseExpiryMs, sent + leaseMs);
    for (const r of [...this.sentAtMs.keys()]) if (r <= round) this.sentAtMs.delete(r);
    let n = 0;
    while (n < this.queued.length && (this.queued[n] as PendingRead).round <= round) n++;
    return this.queued.splice(0, n);
  }

  /** Forget the lease (e.g. when a leadership transfer lets another node win an election early). */
  dropLease(): void {
    this.leaseExpiryMs = Number.NEGATIVE_INFINITY;
  }

  /** Everything still waiting (for failing it when leadership is lost). */
  drain(): PendingRead[] {
    const all = [...this.blocked, ...this.queued];
    this.blocked = [];
    this.queued = [];
    return all;
  }
}

/**
 * A leader's view of one follower's replication: what it is known to store (`match`), what to
 * send next (`next`), and the flow-control state that decides whether to send now.
 *
 * - `probe`: we do not know where the follower's log diverges; send one AppendEntries at a time
 *   and wait for its answer (or the next heartbeat) before sending another;
 * - `replicate`: the follower is in step; stream entries optimistically (advance `next` on send),
 *   with at most `maxInflight` messages outstanding;
 * - `snapshot`: a snapshot is on its way; send nothing else until it is acknowledged.
 *
 * @module
 */

/** Flow-control state of a follower. */
export type ProgressState = "probe" | "replicate" | "snapshot";

/** Replication progress of one follower, as the leader tracks it. */
export class Progress {
  /** Highest index known to be stored by the follower. */
  match = 0;
  /** Next index to send. */
  next: number;
  state: ProgressState = "probe";
  /** In `probe`: a message is outstanding, wait. */
  probeSent = false;
  /** In `replicate`: the last index of each outstanding AppendEntries, oldest first. */
  inflight: number[] = [];
  /** In `snapshot`: the index of the snapshot sent, and when (leader clock). */
  pendingSnapshot = 0;
  snapshotSentAtMs = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** Highest heartbeat round this follower acknowledged (for ReadIndex and leases). */
  ackedRound = 0;
  /** `match` when the previous heartbeat answer arrived: no change over a heartbeat means a lost append. */
  matchAtLastHeartbeat = -1;

  constructor(next: number) {
    this.next = next;
  }

  /** Whether the leader should hold back new AppendEntries. */
  isPaused(maxInflight: number): boolean {
    switch (this.state) {
      case "probe":
        return this.probeSent;
      case "replicate":
        return this.inflight.length >= maxInflight;
      case "snapshot":
        return true;
    }
  }

  becomeProbe(): void {
    if (this.state === "snapshot") {
      this.next = Math.max(this.match + 1, this.pendingSnapshot + 1);
    } else {
      this.next = this.match + 1;
    }
    this.state = "probe";
    this.probeSent = false;
    this.inflight = [];
    this.pendingSnapshot = 0;
  }

  becomeReplicate(): void {
    this.state = "replicate";
    this.next = this.match + 1;
    this.probeSent = false;
    this.inflight = [];
  }

  becomeSnapshot(index: number, nowMs: number): void {
    this.state = "snapshot";
    this.pendingSnapshot = index;
    this.snapshotSentAtMs = nowMs;
    this.probeSent = false;
    this.inflight = [];
  }

  /** Record a send of entries up to `lastIndex` (empty sends pass `null`). */
  sent(lastIndex: number | null): void {
    if (this.state === "probe") {
      this.probeSent = true;
    } else if (this.state === "replicate" && lastIndex !== null) {
      this.next = lastIndex + 1;
      this.inflight.push(lastIndex);
    }
  }

  /** The follower stores everything up to `index`. Returns true if that is news. */
  acknowledge(index: number): boolean {
    let updated = false;
    if (index > this.match) {
      this.match = index;
      updated = true;
    }
    if (this.next < index + 1) this.next = index + 1;
    while (this.inflight.length > 0 && (this.inflight[0] as number) <= index) this.inflight.shift();
    this.probeSent = false;
    return updated;
  }
}

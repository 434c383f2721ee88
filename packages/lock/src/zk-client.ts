/**
 * The ZooKeeper lock recipe as a client node. For each `work` request:
 *
 * 1. With an open session (opened once, kept alive by heartbeats), create an **ephemeral
 *    sequential** key under the lock's directory; its sequence number is the holding's **fencing
 *    token** (it only grows, and the lock goes in sequence order).
 * 2. List the directory. If our key is the lowest, we hold the lock. Otherwise **watch only the
 *    key just below ours** and list again when it goes: one waiter wakes per release, not all of
 *    them (no herd effect).
 * 3. Holding: work `workMs`, write to the storage with the token, then delete our key and answer.
 *
 * The tree is one server or the replicas of a Raft cluster: the client talks to one at a time, goes
 * where a replica's redirect points, and tries the next replica when a request goes unanswered.
 *
 * If the session expires (a pause longer than the session's ttl, a partition), the server deletes
 * our key and the next waiter takes the lock; a write we still send then carries a stale token and
 * the storage rejects it. A key missing from a listing means our session is gone: the attempt
 * fails and the next one opens a new session.
 *
 * @module
 */
import type { CoordCommand, CoordResult } from "@synod/kv";
import type { Event, Json, NodeId } from "@synod/protocol";
import { LockNodeBase } from "./base.js";
import type { LockCommand, LockMessage } from "./messages.js";
import type { ResolvedZkOptions } from "./zk-options.js";

/**
 * The sequence numbers one incarnation of a client may use for its tree requests (and as many for
 * its heartbeats): incarnation `i` counts from `i · 2³²`, which stays a safe integer for 2²¹
 * restarts.
 */
export const SEQ_PER_INCARNATION = 2 ** 32;

/** Where a recipe client is in its current attempt. */
export type ZkPhase = "idle" | "opening" | "creating" | "listing" | "waiting" | "working" | "writing" | "deleting";

interface Pending {
  clientId: string;
  seq: number;
  value: string;
}

/** Durable state that cannot be read back. */
export class ZkClientStorageError extends Error {
  override name = "ZkClientStorageError";
}

/** A ZooKeeper-recipe lock client node. */
export class ZkLockClient extends LockNodeBase<ResolvedZkOptions> {
  phase: ZkPhase = "idle";
  /** The session in use (null: none open). */
  session: string | null = null;
  /** Our key under the lock's directory, and its sequence number (the fencing token). */
  key: string | null = null;
  token = 0;
  /** The key we watch (the one just below ours). */
  watching: string | null = null;
  /** Restarts so far (durable), so session ids never repeat. */
  incarnation = 0;
  private sessions = 0;
  private seq = 0;
  private hbSeq = 0;
  private hbUnanswered = false;
  /** The session the latest heartbeat was for (an answer about an older session says nothing of ours). */
  private hbFor: string | null = null;
  /** The outstanding coordination request (resent until answered). */
  private outstanding: { seq: number; command: CoordCommand } | null = null;
  private pending: Pending | null = null;
  /** The coordination server talked to (an index into `coord`). */
  private target = 0;

  constructor(id: NodeId, o: ResolvedZkOptions) {
    super(id, o);
  }

  step(event: Event<LockMessage, LockCommand>): void {
    this.nowMs = event.nowMs;
    switch (event.type) {
      case "restart": {
        const inc = event.durable.get("incarnation") ?? 0;
        if (typeof inc !== "number" || !Number.isInteger(inc) || inc < 0) throw new ZkClientStorageError(`zk lock client: durable key incarnation holds ${JSON.stringify(inc as Json)}`);
        this.incarnation = inc + 1;
        this.out.persist.push({ key: "incarnation", value: this.incarnation });
        // The tree answers each (client, seq) once and drops seqs at or below the last it applied,
        // so a restarted client must not count from 1 again: its requests and heartbeats would be
        // answered from the old incarnation's record, or not at all. Each incarnation counts from
        // its own base, above every seq an earlier one could have used.
        this.seq = this.hbSeq = this.incarnation * SEQ_PER_INCARNATION;
        this.session = null;
        this.reset();
        return;
      }
      case "request": {
        const r = event.request;
        if (r.command.op !== "work") {
          this.redirect(r, this.o.storage, `${this.id} is a lock client; the log is at the storage`);
          return;
        }
        if (this.pending !== null) {
          if (this.pending.clientId !== r.clientId || this.pending.seq !== r.seq) this.unavailable(r.clientId, r.seq, `${this.id} is busy with another request`);
          return;
        }
        this.pending = { clientId: r.clientId, seq: r.seq, value: r.command.value };
        this.startedMs = event.nowMs;
        if (this.session === null) {
          this.session = `${this.id}.${this.incarnation}.${++this.sessions}`;
          this.phase = "opening";
          this.request({ op: "open", session: this.session, atMs: 0, ttlMs: this.o.sessionTtlMs });
        } else this.create();
        return;
      }
      case "timer":
        this.onTimer(event.name);
        return;
      case "message":
        this.onMessage(event.message);
        return;
    }
  }

  private reset(): void {
    this.phase = "idle";
    this.key = null;
    this.token = 0;
    this.watching = null;
    this.outstanding = null;
    this.pending = null;
  }

  /** Send `command` as our next request, and keep resending it until answered. */
  private request(command: CoordCommand): void {
    this.outstanding = { seq: ++this.seq, command };
    this.send(this.server(), { type: "Coord", client: this.id, seq: this.seq, command });
    this.timer("resend", this.o.resendMs);
  }

  /** The outstanding coordination request (null: none): its sequence number and operation. */
  get awaiting(): { seq: number; op: CoordCommand["op"] } | null {
    return this.outstanding === null ? null : { seq: this.outstanding.seq, op: this.outstanding.command.op };
  }

  /** The coordination server (replica) requests go to now. */
  private server(): NodeId {
    return this.o.coord[this.target % this.o.coord.length] as NodeId;
  }

  /** Follow a replica's redirect: to the leader it names, else to the next replica. */
  private redirected(leader: NodeId | null): void {
    const k = leader === null ? -1 : this.o.coord.indexOf(leader);
    this.target = k >= 0 ? k : (this.target + 1) % this.o.coord.length;
  }

  private create(): void {
    this.phase = "creating";
    this.request({ op: "create", key: this.o.lockPath, value: this.id, session: this.session as string, sequential: true });
  }

  private list(): void {
    this.phase = "listing";
    this.watching = null;
    this.request({ op: "children", prefix: this.o.lockPath });
  }

  private onTimer(name: string): void {
    switch (name) {
      case "resend":
        // No answer: the server may be down or cut off, so a replicated tree's next replica is tried.
        if (this.outstanding !== null) this.redirected(null);
        if (this.outstanding !== null) {
          this.send(this.server(), { type: "Coord", client: this.id, seq: this.outstanding.seq, command: this.outstanding.command });
          this.timer("resend", this.o.resendMs);
        } else if (this.phase === "waiting" && this.watching !== null) {
          // Watches live on the server and die with it: register again until the event comes.
          this.send(this.server(), { type: "Watch", key: this.watching });
          this.timer("resend", this.o.resendMs);
        } else if (this.phase === "writing") {
          this.sendWrite();
          this.timer("resend", this.o.resendMs);
        }
        return;
      case "heartbeat":
        if (this.session === null) return;
        // The last heartbeat went unanswered: its server may be down or cut off.
        if (this.hbUnanswered) this.redirected(null);
        this.hbUnanswered = true;
        this.hbFor = this.session;
        this.send(this.server(), { type: "Coord", client: `${this.id}/hb`, seq: ++this.hbSeq, command: { op: "heartbeat", session: this.session, atMs: 0 } });
        this.timer("heartbeat", this.o.heartbeatMs);
        return;
      case "work":
        if (this.phase !== "working") return;
        this.note("SendWrite", { c: this.id });
        this.phase = "writing";
        this.sendWrite();
        this.timer("resend", this.o.resendMs);
        return;
    }
  }

  private sendWrite(): void {
    this.send(this.o.storage, { type: "Write", client: this.id, attempt: this.key as string, token: this.token, value: (this.pending as Pending).value });
  }

  private onMessage(m: LockMessage): void {
    switch (m.type) {
      case "CoordReply":
        if (m.client === `${this.id}/hb`) {
          if (m.seq === this.hbSeq) this.hbUnanswered = false;
          if (m.result.op === "heartbeat" && !m.result.ok && m.seq === this.hbSeq && this.session !== null && this.session === this.hbFor) this.sessionLost();
          return;
        }
        if (this.outstanding === null || m.seq !== this.outstanding.seq) {
          this.ignored++;
          return;
        }
        this.outstanding = null;
        this.timer("resend", null);
        this.onResult(m.result);
        this.abandonIfLost();
        return;
      case "CoordRedirect": {
        const mine = this.outstanding !== null && m.client === this.id && m.seq === this.outstanding.seq;
        const hb = m.client === `${this.id}/hb` && m.seq === this.hbSeq && this.session !== null;
        if (!mine && !hb) {
          this.ignored++;
          return;
        }
        this.redirected(m.leader);
        // Resend at once only to a named leader (a bounded detour); otherwise wait for the timers.
        if (m.leader === null) return;
        if (mine && this.outstanding !== null) this.send(this.server(), { type: "Coord", client: this.id, seq: this.outstanding.seq, command: this.outstanding.command });
        if (hb) this.send(this.server(), { type: "Coord", client: m.client, seq: m.seq, command: { op: "heartbeat", session: this.session as string, atMs: 0 } });
        return;
      }
      case "WatchEvent":
        if (this.phase !== "waiting" || m.key !== this.watching) return;
        this.note("WatchFires", { c: this.id });
        if (!this.o.trustWatch) {
          this.list();
          return;
        }
        // The broken build: the watch fired, so the lock must be ours (no second listing to check
        // that no node below ours is left: the predecessor may have gone with its session).
        this.timer("resend", null);
        this.watching = null;
        this.phase = "working";
        this.waitedMs = this.nowMs - this.startedMs;
        this.timer("work", this.o.workMs);
        return;
      case "WriteReply":
        if (this.phase !== "writing" || m.attempt !== this.key) return;
        this.timer("resend", null);
        this.phase = "deleting";
        this.written = m.accepted;
        this.request({ op: "delete", key: this.key });
        return;
      default:
        this.ignored++;
    }
  }

  private written = false;
  /** The latest event's time, the current request's arrival, and how long it waited for the lock. */
  private nowMs = 0;
  private startedMs = 0;
  private waitedMs = 0;

  private onResult(r: CoordResult): void {
    switch (this.phase) {
      case "opening":
        // A retried open that was applied answers ok:false (the session exists): ours either way.
        // Heartbeats start now: one sent before the open applied would be refused.
        this.timer("heartbeat", this.o.heartbeatMs);
        this.create();
        return;
      case "creating":
        if (r.op !== "create" || !r.ok) {
          this.fail(`create failed (${r.op === "create" ? (r.error ?? "not created") : r.op}): the session is gone`);
          this.session = null;
          return;
        }
        this.key = r.key;
        this.token = r.seq;
        this.list();
        return;
      case "listing": {
        if (r.op !== "children") return;
        const me = this.key as string;
        if (!r.keys.includes(me)) {
          this.session = null;
          this.fail(`our key ${me} is gone: the session expired`);
          return;
        }
        const below = r.keys.filter((k) => k < me);
        if (below.length === 0) {
          this.phase = "working";
          this.waitedMs = this.nowMs - this.startedMs;
          this.timer("work", this.o.workMs);
          return;
        }
        this.phase = "waiting";
        this.watching = below[below.length - 1] as string;
        this.send(this.server(), { type: "Watch", key: this.watching });
        this.timer("resend", this.o.resendMs);
        return;
      }
      case "deleting": {
        const p = this.pending;
        if (p !== null) this.out.replies.push({ clientId: p.clientId, seq: p.seq, ok: true, result: { op: "work", attempt: this.key as string, token: this.token, accepted: this.written, waitedMs: this.waitedMs } });
        this.timer("resend", null);
        this.reset();
        return;
      }
      default:
        return;
    }
  }

  /**
   * The server says our session is gone: any attempt before its write is abandoned. With a request
   * outstanding, its answer comes first (a failed create or our key missing from a listing shows
   * the loss too); the attempt is abandoned after it if it still waits or holds.
   */
  private sessionLost(): void {
    this.session = null;
    this.timer("heartbeat", null);
    this.abandonIfLost();
  }

  /** Abandon a waiting or holding attempt whose session is gone (a write in flight is the storage's to judge by its token). */
  private abandonIfLost(): void {
    if (this.session !== null || this.outstanding !== null || (this.phase !== "waiting" && this.phase !== "working")) return;
    this.note("SessionLost", { c: this.id });
    this.fail("the session expired");
  }

  private fail(why: string): void {
    const p = this.pending;
    if (p !== null) this.unavailable(p.clientId, p.seq, `${this.id}: ${why}`);
    this.timer("resend", null);
    this.timer("work", null);
    this.reset();
  }
}

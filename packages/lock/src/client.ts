/**
 * A Redlock client: for each `work` request it takes the lock, writes under it, and lets it go.
 *
 * 1. It notes the time and asks every store to `SET lock <attempt> NX` (StartAcquire); its lease
 *    runs `ttlTicks - driftAllowanceTicks` ticks from that moment.
 * 2. With grants from a majority of stores while the lease is still running (Acquire), it asks the
 *    counter for a fencing token. Without a majority in time it gives up (GiveUp); its keys expire.
 * 3. With the token it holds the lock. It checks that the lease is still running (SendWrite), does
 *    its work (`workMs`) and sends the write with its token to the storage. A pause here — after
 *    the check, before the write arrives — is Kleppmann's counterexample: only the storage's token
 *    check keeps a late write out.
 * 4. On the storage's verdict, or when its lease ran out before it could write, it is done
 *    (Release). Keys are not deleted: they expire.
 *
 * Requests, grants, tokens and writes are resent every `resendMs` until answered; each attempt has
 * an id of its own, so a late answer to an old attempt is ignored.
 *
 * @module
 */
import type { Event, Json, NodeId } from "@synod/protocol";
import { LockNodeBase } from "./base.js";
import type { LockCommand, LockMessage } from "./messages.js";
import type { ResolvedLockOptions } from "./options.js";

/** Where a client is in its current attempt. */
export type ClientPhase = "idle" | "collecting" | "fencing" | "holding" | "working" | "writing";

/** The request a client is serving. */
interface Pending {
  clientId: string;
  seq: number;
  value: string;
}

/** Durable state that cannot be read back. */
export class ClientStorageError extends Error {
  override name = "ClientStorageError";
}

/** A Redlock client node. */
export class RedlockClient extends LockNodeBase<ResolvedLockOptions> {
  phase: ClientPhase = "idle";
  /** The current attempt's id (null when idle). */
  attempt: string | null = null;
  /** The first tick at which the current lease is no longer valid. */
  validUntilTick = 0;
  /** Stores that granted the current attempt. */
  readonly granted = new Set<NodeId>();
  /** The current holding's fencing token (0: none). */
  token = 0;
  /** Whether an attempt of this node has ended (its old SETs may still be in the network). */
  retired = false;
  /** Increases with every restart (durable), so attempt ids never repeat. */
  incarnation = 0;
  private attempts = 0;
  private pending: Pending | null = null;

  constructor(id: NodeId, o: ResolvedLockOptions) {
    super(id, o);
  }

  step(event: Event<LockMessage, LockCommand>): void {
    switch (event.type) {
      case "restart": {
        const inc = event.durable.get("incarnation") ?? 0;
        if (typeof inc !== "number" || !Number.isInteger(inc) || inc < 0) throw new ClientStorageError(`lock client: durable key incarnation holds ${JSON.stringify(inc as Json)}`);
        this.incarnation = inc + 1;
        this.out.persist.push({ key: "incarnation", value: this.incarnation });
        this.reset();
        return;
      }
      case "request":
        this.request(event.request.clientId, event.request.seq, event.request.command, event.nowMs);
        return;
      case "timer":
        this.onTimer(event.name, event.nowMs);
        return;
      case "message":
        this.onMessage(event.from, event.message, event.nowMs);
        return;
    }
  }

  private reset(): void {
    this.phase = "idle";
    this.attempt = null;
    this.validUntilTick = 0;
    this.granted.clear();
    this.token = 0;
    this.pending = null;
  }

  private request(clientId: string, seq: number, command: LockCommand, nowMs: number): void {
    if (command.op !== "work") {
      this.redirect({ clientId, seq, command }, this.o.storage, `${this.id} is a lock client; the log is at the storage`);
      return;
    }
    if (this.pending !== null) {
      // A retry of the request being served is answered when it is done.
      if (this.pending.clientId !== clientId || this.pending.seq !== seq) this.unavailable(clientId, seq, `${this.id} is busy with another request`);
      return;
    }
    this.pending = { clientId, seq, value: command.value };
    this.phase = "collecting";
    this.attempt = `${this.id}.${this.incarnation}.${++this.attempts}`;
    this.validUntilTick = this.tick(nowMs) + this.o.ttlTicks - this.o.driftAllowanceTicks;
    this.granted.clear();
    this.token = 0;
    this.note("StartAcquire", { c: this.id });
    for (const s of this.o.stores) this.send(s, { type: "SetNX", client: this.id, attempt: this.attempt });
    // Past the lease's last tick no majority can be taken any more.
    this.timer("giveup", Math.max(0, this.validUntilTick * this.o.tickMs - nowMs));
    this.timer("resend", this.o.resendMs);
  }

  private onMessage(from: NodeId, m: LockMessage, nowMs: number): void {
    const current = "attempt" in m && m.attempt === this.attempt;
    if (!current) {
      this.ignored++;
      return;
    }
    switch (m.type) {
      case "SetNXReply":
        if (this.phase !== "collecting" || !m.ok || !this.o.stores.includes(from)) return;
        this.granted.add(from);
        if (2 * this.granted.size > this.o.stores.length && this.tick(nowMs) < this.validUntilTick) {
          this.phase = "fencing";
          this.note("Acquire", { c: this.id });
          this.timer("giveup", null);
          this.send(this.o.counter, { type: "TokenRequest", client: this.id, attempt: m.attempt });
        }
        return;
      case "TokenReply":
        if (this.phase !== "fencing") return;
        // The counter's step made this the holding; the lease is checked before the write.
        this.phase = "holding";
        this.token = m.token;
        this.timer("check", 0);
        return;
      case "WriteReply":
        if (this.phase !== "writing") return;
        this.finish(true, m.accepted);
        return;
      default:
        this.ignored++;
    }
  }

  private onTimer(name: string, nowMs: number): void {
    switch (name) {
      case "giveup":
        if (this.phase !== "collecting") return;
        this.note("GiveUp", { c: this.id });
        this.finish(false, false);
        return;
      case "check":
        if (this.phase !== "holding") return;
        if (this.tick(nowMs) < this.validUntilTick) {
          this.note("SendWrite", { c: this.id });
          this.phase = "working";
          this.timer("send", this.o.workMs);
        } else {
          this.note("Release", { c: this.id });
          this.finish(false, false);
        }
        return;
      case "send":
        if (this.phase !== "working") return;
        this.phase = "writing";
        this.sendWrite();
        return;
      case "resend":
        this.resend();
        return;
    }
  }

  private sendWrite(): void {
    const p = this.pending as Pending;
    this.send(this.o.storage, { type: "Write", client: this.id, attempt: this.attempt as string, token: this.token, value: p.value });
  }

  private resend(): void {
    const attempt = this.attempt;
    if (attempt === null) return;
    switch (this.phase) {
      case "collecting":
        for (const s of this.o.stores) if (!this.granted.has(s)) this.send(s, { type: "SetNX", client: this.id, attempt });
        break;
      case "fencing":
        this.send(this.o.counter, { type: "TokenRequest", client: this.id, attempt });
        break;
      case "writing":
        this.sendWrite();
        break;
      default:
        break;
    }
    this.timer("resend", this.o.resendMs);
  }

  /** The attempt is over: answer the request (`wrote`: with the storage's verdict) and go idle. */
  private finish(wrote: boolean, accepted: boolean): void {
    const p = this.pending;
    if (wrote) this.note("Release", { c: this.id });
    if (p !== null) {
      if (wrote) this.out.replies.push({ clientId: p.clientId, seq: p.seq, ok: true, result: { op: "work", attempt: this.attempt as string, token: this.token, accepted } });
      else this.unavailable(p.clientId, p.seq, `${this.id}: no lock for attempt ${this.attempt} (no majority, or the lease ran out before the write)`);
    }
    this.timer("resend", null);
    this.timer("giveup", null);
    this.retired = true;
    this.reset();
  }
}

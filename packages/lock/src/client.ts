/**
 * A Redlock client: for each `work` request it takes the lock, writes under it, and lets it go.
 *
 * This is the whole Redlock algorithm of Redis's "Distributed locks with Redis" page, with a
 * fencing token added:
 *
 * 1. It notes the time and sends every store one `SET lock <attempt> NX` (StartAcquire); its lease
 *    runs `ttlTicks - driftAllowanceTicks` ticks from that moment.
 * 2. With grants from a majority of stores while the lease is still running (Acquire), it asks the
 *    counter for a fencing token. It gives up (GiveUp) as soon as so many stores refused that no
 *    majority is left, or when the lease's time is spent.
 * 3. With the token it holds the lock. It checks that the lease is still running (SendWrite), does
 *    its work (`workMs`) and sends the write with its token to the storage. A pause here — after
 *    the check, before the write arrives — is Kleppmann's counterexample: only the storage's token
 *    check keeps a late write out.
 * 4. On the storage's verdict, or when its lease ran out before it could write, it is done
 *    (Release).
 *
 * Every attempt that ends, done or failed, sends every store a DEL of its own value (the store
 * deletes the key only if it still holds this attempt), so the next holder need not wait out the
 * lease. A failed attempt is retried after a random delay drawn from the node's seeded `rng`:
 * clients that split the stores between them would otherwise retry in step and split them again
 * (a livelock). The delay is between one tick and a window of `retryDelayMs` that doubles with
 * each failed attempt of the same request, up to `retryDelayMaxMs` (exponential back-off): with
 * many contenders a fixed window is soon shorter than the attempts that collide in it. It retries until it holds: the
 * request is answered once its write is judged, and a retry of the request (same client and
 * sequence number) waits for that answer.
 *
 * Token requests and writes are resent every `resendMs` until answered. A SET is sent once per
 * store and attempt, as Redlock prescribes (a store that does not answer in time counts as not
 * granting). Each attempt has an id of its own, so a late answer to an old attempt is ignored.
 *
 * @module
 */
import type { Event, Json, NodeId, Rng } from "@synod/protocol";
import { LockNodeBase } from "./base.js";
import type { LockCommand, LockMessage } from "./messages.js";
import type { ResolvedLockOptions } from "./options.js";

/** Where a client is in its current attempt. */
export type ClientPhase = "idle" | "collecting" | "fencing" | "holding" | "working" | "writing" | "backoff";

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
  /** Stores that granted the current attempt (while collecting). */
  readonly granted = new Set<NodeId>();
  /** Stores that refused the current attempt (while collecting). */
  readonly refused = new Set<NodeId>();
  /** In back-off: the first tick at which the next attempt may start. */
  retryAfterTick = 0;
  /** The current holding's fencing token (0: none). */
  token = 0;
  /** Whether an attempt of this node has ended (its old SETs may still be in the network). */
  retired = false;
  /** Increases with every restart (durable), so attempt ids never repeat. */
  incarnation = 0;
  /** Attempts started since the node started (all requests). */
  started = 0;
  private attempts = 0;
  /** Attempts of the pending request so far. */
  tries = 0;
  private pending: Pending | null = null;
  /** When the pending request arrived, and how long it waited for the lock (its acquire latency). */
  private requestMs = 0;
  private waitedMs = 0;

  /** @param rng - draws the random delay before a failed attempt is retried. */
  constructor(
    id: NodeId,
    o: ResolvedLockOptions,
    private readonly rng: Rng,
  ) {
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
    this.refused.clear();
    this.retryAfterTick = 0;
    this.token = 0;
    this.pending = null;
    this.tries = 0;
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
    this.requestMs = nowMs;
    this.waitedMs = 0;
    this.tries = 0;
    this.timer("resend", this.o.resendMs);
    this.startAttempt(nowMs);
  }

  /** StartAcquire: a new attempt for the pending request. */
  private startAttempt(nowMs: number): void {
    this.phase = "collecting";
    this.attempt = `${this.id}.${this.incarnation}.${++this.attempts}`;
    this.started++;
    this.tries++;
    this.validUntilTick = this.tick(nowMs) + this.o.ttlTicks - this.o.driftAllowanceTicks;
    this.granted.clear();
    this.refused.clear();
    this.retryAfterTick = 0;
    this.token = 0;
    this.note("StartAcquire", { c: this.id });
    for (const s of this.o.stores) this.send(s, { type: "SetNX", client: this.id, attempt: this.attempt });
    // Past the lease's last tick no majority can be taken any more.
    this.timer("giveup", Math.max(0, this.validUntilTick * this.o.tickMs - nowMs));
  }

  private onMessage(from: NodeId, m: LockMessage, nowMs: number): void {
    const current = "attempt" in m && m.attempt === this.attempt;
    if (!current) {
      this.ignored++;
      return;
    }
    switch (m.type) {
      case "SetNXReply":
        if (this.phase !== "collecting" || !this.o.stores.includes(from)) return;
        if (!m.ok) {
          // Every refusal counts, even from a store that granted another copy of the SET (its key
          // may have expired and gone to someone else since).
          this.refused.add(from);
          if (2 * this.refused.size >= this.o.stores.length) this.giveUp(nowMs);
          return;
        }
        // A grant after a refusal (a copy of the SET found the key free later) leaves the refusal
        // counted: which answer is the store's last word, the client cannot know.
        this.granted.add(from);
        if (2 * this.granted.size > this.o.stores.length && this.tick(nowMs) < this.validUntilTick) {
          this.phase = "fencing";
          this.note("Acquire", { c: this.id });
          this.timer("giveup", null);
          this.granted.clear();
          this.refused.clear();
          this.send(this.o.counter, { type: "TokenRequest", client: this.id, attempt: m.attempt });
        }
        return;
      case "TokenReply":
        if (this.phase !== "fencing") return;
        // The counter's step made this the holding; the lease is checked before the write.
        this.phase = "holding";
        this.waitedMs = nowMs - this.requestMs;
        this.token = m.token;
        this.timer("check", 0);
        return;
      case "WriteReply":
        if (this.phase !== "writing") return;
        this.finish(m.accepted);
        return;
      default:
        this.ignored++;
    }
  }

  private onTimer(name: string, nowMs: number): void {
    switch (name) {
      case "giveup":
        if (this.phase !== "collecting") return;
        this.giveUp(nowMs);
        return;
      case "check":
        if (this.phase !== "holding") return;
        if (this.tick(nowMs) < this.validUntilTick) {
          this.note("SendWrite", { c: this.id });
          this.phase = "working";
          this.timer("send", this.o.workMs);
        } else {
          // The lease ran out before the write: a failed attempt.
          this.note("Release", { c: this.id });
          this.endAttempt();
          this.backOff(nowMs);
        }
        return;
      case "send":
        if (this.phase !== "working") return;
        this.phase = "writing";
        this.sendWrite();
        return;
      case "retry":
        if (this.phase !== "backoff") return;
        this.startAttempt(nowMs);
        return;
      case "resend":
        this.resend();
        return;
    }
  }

  /** GiveUp: no majority for this attempt (refused, or out of time). */
  private giveUp(nowMs: number): void {
    this.note("GiveUp", { c: this.id });
    this.timer("giveup", null);
    this.endAttempt();
    this.backOff(nowMs);
  }

  /**
   * The attempt is over: DEL of its value on every store (a store holding another attempt's key
   * keeps it), so the next holder need not wait out the lease.
   */
  private endAttempt(): void {
    const attempt = this.attempt as string;
    if (!this.o.noRelease) for (const s of this.o.stores) this.send(s, { type: "Del", client: this.id, attempt });
    this.retired = true;
    this.granted.clear();
    this.refused.clear();
    this.token = 0;
  }

  /** Wait a random delay (at least a tick, so never in the same tick) before the next attempt. */
  private backOff(nowMs: number): void {
    this.phase = "backoff";
    this.retryAfterTick = this.tick(nowMs) + 1;
    if (this.o.noRetryDelay) {
      // The broken build: straight back in (the spec's back-off says at least a tick).
      this.startAttempt(nowMs);
      return;
    }
    // At least to the next tick boundary, then a random part: a retry is never in the same tick.
    const min = Math.max(1, Math.ceil(this.retryAfterTick * this.o.tickMs - nowMs));
    const window = Math.min(this.o.retryDelayMs * 2 ** Math.min(this.tries - 1, 30), this.o.retryDelayMaxMs);
    this.timer("retry", this.rng.nextInt(min, Math.max(min, Math.floor(window))));
  }

  private sendWrite(): void {
    const p = this.pending as Pending;
    this.send(this.o.storage, { type: "Write", client: this.id, attempt: this.attempt as string, token: this.token, value: p.value });
  }

  private resend(): void {
    const attempt = this.attempt;
    if (attempt === null) return;
    switch (this.phase) {
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

  /** Release after the storage's verdict: answer the request and go idle. */
  private finish(accepted: boolean): void {
    this.note("Release", { c: this.id });
    const p = this.pending;
    if (p !== null) this.out.replies.push({ clientId: p.clientId, seq: p.seq, ok: true, result: { op: "work", attempt: this.attempt as string, token: this.token, accepted, waitedMs: this.waitedMs } });
    this.endAttempt();
    this.stop();
  }

  private stop(): void {
    this.timer("resend", null);
    this.timer("giveup", null);
    this.timer("retry", null);
    this.reset();
  }
}

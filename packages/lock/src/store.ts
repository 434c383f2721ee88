/**
 * A Redlock store: one independent key-value server (a Redis master) that grants the lock key to
 * an attempt with `SET lock <attempt> NX PX ttl`. The key is free when nobody holds it or its
 * expiry has passed on the store's own clock; keys are never deleted, they expire. The grant is
 * durable (the store persists it before it answers), so a restarted store never grants a key
 * that is still held (Redlock's "delayed restart" without the delay).
 *
 * @module
 */
import type { Event, Json, NodeId } from "@synod/protocol";
import { LockNodeBase } from "./base.js";
import type { LockCommand, LockMessage } from "./messages.js";
import type { ResolvedLockOptions } from "./options.js";

/** The store's lock key: who holds it (the attempt and its client) and the tick it expires at. */
export interface StoreEntry {
  attempt: string;
  client: string;
  expiryTick: number;
}

/** Durable state that cannot be read back. */
export class StoreStorageError extends Error {
  override name = "StoreStorageError";
}

const KEY = "lock";

/** A Redlock store node. */
export class LockStore extends LockNodeBase<ResolvedLockOptions> {
  /** The lock key, or null before the first grant. */
  entry: StoreEntry | null = null;
  /** Grants made since the node started. */
  grants = 0;

  constructor(id: NodeId, o: ResolvedLockOptions) {
    super(id, o);
  }

  step(event: Event<LockMessage, LockCommand>): void {
    switch (event.type) {
      case "restart":
        this.entry = readEntry(event.durable.get(KEY));
        return;
      case "request":
        this.redirect(event.request, this.serverOf(event.request), `${this.id} is a lock store`);
        return;
      case "timer":
        return;
      case "message":
        if (event.message.type !== "SetNX") {
          this.ignored++;
          return;
        }
        this.setNx(event.from, event.message.client, event.message.attempt, this.tick(event.nowMs));
        return;
    }
  }

  private setNx(from: NodeId, client: string, attempt: string, nowTick: number): void {
    const e = this.entry;
    if (e !== null && nowTick < e.expiryTick) {
      // Held: a resent SET of the holder is answered again with its expiry untouched (it is not a
      // new grant); anyone else is refused.
      this.send(from, { type: "SetNXReply", attempt, ok: e.attempt === attempt });
      return;
    }
    // Free or expired, even for the attempt that held it: SET NX sets the key anew.
    this.entry = { attempt, client, expiryTick: nowTick + this.o.ttlTicks };
    this.grants++;
    this.out.persist.push({ key: KEY, value: { ...this.entry } });
    this.note("GrantKey", { c: client, s: this.id });
    this.send(from, { type: "SetNXReply", attempt, ok: true });
  }
}

function readEntry(v: Json | undefined): StoreEntry | null {
  if (v === undefined) return null;
  const x = v as Partial<StoreEntry> | null;
  if (x === null || typeof x !== "object" || typeof x.attempt !== "string" || typeof x.client !== "string" || typeof x.expiryTick !== "number") {
    throw new StoreStorageError(`lock store: durable key ${KEY} holds ${JSON.stringify(v)}, not { attempt, client, expiryTick }`);
  }
  return { attempt: x.attempt, client: x.client, expiryTick: x.expiryTick };
}

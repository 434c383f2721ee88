/**
 * A Redlock store: one independent key-value server (a Redis master) that grants the lock key to
 * an attempt with `SET lock <attempt> NX PX ttl`, and deletes it for the attempt that holds it
 * (`DEL` if the value matches, Redlock's unlock). The key is free when nobody holds it or its
 * expiry has passed on the store's own clock. The grant and the delete are
 * durable (the store persists it before it answers), so a restarted store never grants a key
 * that is still held (Redlock's "delayed restart" without the delay).
 *
 * @module
 */
import type { Json, NodeId } from "@synod/protocol";
import { ServerNode, type MessageOf } from "./base.js";
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
export class LockStore extends ServerNode<"SetNX" | "Del", ResolvedLockOptions> {
  /** The lock key, or null before the first grant. */
  entry: StoreEntry | null = null;
  /** Grants made since the node started. */
  grants = 0;

  constructor(id: NodeId, o: ResolvedLockOptions) {
    super(id, o, ["SetNX", "Del"], "a lock store");
  }

  protected restore(durable: ReadonlyMap<string, Json>): void {
    this.entry = readEntry(durable.get(KEY));
  }

  protected serve(from: NodeId, m: MessageOf<"SetNX" | "Del">, nowMs: number): void {
    if (m.type === "SetNX") this.setNx(from, m.client, m.attempt, this.tick(nowMs));
    else this.del(m.attempt, this.tick(nowMs));
  }

  /** DEL lock if it still holds `attempt`'s value and has not expired (an expired key is gone). */
  private del(attempt: string, nowTick: number): void {
    const e = this.entry;
    if (e === null || e.attempt !== attempt || nowTick >= e.expiryTick) return;
    this.entry = null;
    this.out.persist.push({ key: KEY, delete: true });
    this.note("DeleteKey", { c: e.client, s: this.id });
  }

  private setNx(from: NodeId, client: string, attempt: string, nowTick: number): void {
    const e = this.entry;
    if (e !== null && nowTick < e.expiryTick) {
      // Held: a copy of the holder's SET is answered again with its expiry untouched (it is not a
      // new grant); anyone else is refused.
      const ok = e.attempt === attempt;
      if (!ok) this.note("Refuse", { c: client, s: this.id });
      this.send(from, { type: "SetNXReply", attempt, ok });
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

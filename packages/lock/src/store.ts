/**
 * A Redlock store: one independent key-value server (a Redis master) that grants the lock key to
 * an attempt with `SET lock <attempt> NX PX ttl`, and deletes it for the attempt that holds it
 * (`DEL` if the value matches, Redlock's unlock). The key is free when nobody holds it or its
 * expiry has passed on the store's own clock.
 *
 * Keys live in memory only, as in a Redis master without persistence: no grant or delete waits
 * for a disk. What keeps a restart safe is Redlock's **delayed restart**: a store that has ever
 * granted (it persists that fact once, with its first grant) refuses every SET for a whole lease
 * after it restarts, so every key it may have lost has expired before it grants again.
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

/** The durable mark of a store that has granted: a restart must then wait out a lease. */
const GRANTED = "granted";

/** A Redlock store node. */
export class LockStore extends ServerNode<"SetNX" | "Del", ResolvedLockOptions> {
  /** The lock key, or null before the first grant. */
  entry: StoreEntry | null = null;
  /** Grants made since the node started. */
  grants = 0;
  /** After a restart, the store refuses every SET until this tick (the delayed restart). */
  refuseUntilTick = 0;
  /** Whether the durable mark is written. */
  private marked = false;

  constructor(id: NodeId, o: ResolvedLockOptions) {
    super(id, o, ["SetNX", "Del"], "a lock store");
  }

  protected restore(durable: ReadonlyMap<string, Json>, nowMs: number): void {
    const v = durable.get(GRANTED);
    if (v !== undefined && v !== true) throw new StoreStorageError(`lock store: durable key ${GRANTED} holds ${JSON.stringify(v)}, not true`);
    this.entry = null;
    this.marked = v === true;
    // Its keys are gone with the process; one it granted may still back a lease for up to a lease.
    this.refuseUntilTick = this.marked ? this.tick(nowMs) + this.o.ttlTicks : 0;
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
    this.note("DeleteKey", { c: e.client, s: this.id });
  }

  private setNx(from: NodeId, client: string, attempt: string, nowTick: number): void {
    if (nowTick < this.refuseUntilTick) {
      // The delayed restart: whatever this store held before it restarted may still be held.
      this.send(from, { type: "SetNXReply", attempt, ok: false });
      return;
    }
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
    if (!this.marked) {
      // Once: from now on a restart must wait out a lease before granting.
      this.out.persist.push({ key: GRANTED, value: true });
      this.marked = true;
    }
    this.note("GrantKey", { c: client, s: this.id });
    this.send(from, { type: "SetNXReply", attempt, ok: true });
  }
}

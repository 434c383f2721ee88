/**
 * The storage service a lock protects, with fencing (Kleppmann): every write carries its holder's
 * token, and the storage rejects a write whose token is lower than the highest it has accepted.
 * A holder that paused past its lease and writes after a later holder is refused, whatever the
 * lock service believed. The verdict on each write is durable and given again to a resent write.
 *
 * @module
 */
import type { Event, Json, NodeId } from "@synod/protocol";
import { LockNodeBase, type BaseOptions } from "./base.js";
import type { AcceptedWrite, LockCommand, LockMessage } from "./messages.js";

/** Durable state that cannot be read back. */
export class StorageStorageError extends Error {
  override name = "StorageStorageError";
}

/** The fenced storage node. */
export class FencedStorage extends LockNodeBase {
  /** Accepted writes, in order. */
  readonly log: AcceptedWrite[] = [];
  /** The verdict on every write seen, by attempt. */
  readonly verdicts = new Map<string, boolean>();
  /** The highest token accepted (0: none). */
  maxSeen = 0;

  constructor(id: NodeId, o: BaseOptions) {
    super(id, o);
  }

  step(event: Event<LockMessage, LockCommand>): void {
    switch (event.type) {
      case "restart":
        this.restore(event.durable);
        return;
      case "request":
        if (event.request.command.op === "log") this.reply(event.request, { op: "log", writes: this.log.map((w) => ({ ...w })) });
        else this.redirect(event.request, this.serverOf(event.request), `${this.id} is the storage`);
        return;
      case "timer":
        return;
      case "message": {
        const m = event.message;
        if (m.type !== "Write") {
          this.ignored++;
          return;
        }
        const seen = this.verdicts.get(m.attempt);
        if (seen !== undefined) {
          this.send(event.from, { type: "WriteReply", attempt: m.attempt, accepted: seen });
          return;
        }
        // The fencing check; the broken build skips it.
        const accepted = this.o.uncheckedToken || m.token >= this.maxSeen;
        this.verdicts.set(m.attempt, accepted);
        this.out.persist.push({ key: `verdict/${m.attempt}`, value: accepted });
        if (accepted) {
          const w: AcceptedWrite = { attempt: m.attempt, token: m.token, value: m.value };
          this.log.push(w);
          this.maxSeen = Math.max(this.maxSeen, m.token);
          this.out.persist.push({ key: `log/${String(this.log.length).padStart(8, "0")}`, value: { ...w } });
        }
        this.note("StorageWrite", { c: m.client });
        this.send(event.from, { type: "WriteReply", attempt: m.attempt, accepted });
        return;
      }
    }
  }

  private restore(durable: ReadonlyMap<string, Json>): void {
    this.log.length = 0;
    this.verdicts.clear();
    this.maxSeen = 0;
    const logKeys = [...durable.keys()].filter((k) => k.startsWith("log/")).sort();
    for (const k of logKeys) {
      const x = durable.get(k) as Partial<AcceptedWrite> | null;
      if (x === null || typeof x !== "object" || typeof x.attempt !== "string" || typeof x.token !== "number" || typeof x.value !== "string") {
        throw new StorageStorageError(`storage: durable key ${k} holds ${JSON.stringify(durable.get(k))}`);
      }
      this.log.push({ attempt: x.attempt, token: x.token, value: x.value });
      this.maxSeen = Math.max(this.maxSeen, x.token);
    }
    for (const [k, v] of durable) {
      if (!k.startsWith("verdict/")) continue;
      if (typeof v !== "boolean") throw new StorageStorageError(`storage: durable key ${k} holds ${JSON.stringify(v)}`);
      this.verdicts.set(k.slice("verdict/".length), v);
    }
  }
}

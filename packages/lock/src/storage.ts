/**
 * The storage service a lock protects, with fencing (Kleppmann): every write carries its holder's
 * token, and the storage rejects a write whose token is lower than the highest it has accepted.
 * A holder that paused past its lease and writes after a later holder is refused, whatever the
 * lock service believed. The verdict on each write is durable and given again to a resent write.
 *
 * @module
 */
import type { ClientRequest, Json, NodeId } from "@synod/protocol";
import { readRecords, ServerNode, type BaseOptions, type MessageOf } from "./base.js";
import type { AcceptedWrite, LockCommand } from "./messages.js";

/** Durable state that cannot be read back. */
export class StorageStorageError extends Error {
  override name = "StorageStorageError";
}

/** The fenced storage node. */
export class FencedStorage extends ServerNode<"Write"> {
  /** Accepted writes, in order. */
  readonly log: AcceptedWrite[] = [];
  /** The verdict on every write seen, by attempt. */
  readonly verdicts = new Map<string, boolean>();
  /** The highest token accepted (0: none). */
  maxSeen = 0;

  constructor(id: NodeId, o: BaseOptions) {
    super(id, o, "Write", "the storage");
  }

  protected override answer(req: ClientRequest<LockCommand>): boolean {
    if (req.command.op !== "log") return false;
    this.reply(req, { op: "log", writes: this.log.map((w) => ({ ...w })) });
    return true;
  }

  protected serve(from: NodeId, m: MessageOf<"Write">): void {
    // A resent write of the attempt: the verdict it was given, not a new one.
    const accepted = this.verdicts.get(m.attempt) ?? this.judge(m);
    this.send(from, { type: "WriteReply", attempt: m.attempt, accepted });
  }

  /** The fencing check (the broken build skips it); the verdict is durable, an accepted write logged. */
  private judge(m: MessageOf<"Write">): boolean {
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
    return accepted;
  }

  protected restore(durable: ReadonlyMap<string, Json>): void {
    const fail = (msg: string): Error => new StorageStorageError(msg);
    const write = (v: Json): AcceptedWrite | null => {
      const x = v as Partial<AcceptedWrite> | null;
      return x !== null && typeof x === "object" && typeof x.attempt === "string" && typeof x.token === "number" && typeof x.value === "string" ? { attempt: x.attempt, token: x.token, value: x.value } : null;
    };
    this.log.length = 0;
    this.verdicts.clear();
    this.maxSeen = 0;
    for (const [, w] of readRecords(durable, "log/", write, fail, "storage")) {
      this.log.push(w);
      this.maxSeen = Math.max(this.maxSeen, w.token);
    }
    for (const [attempt, v] of readRecords(durable, "verdict/", (v) => (typeof v === "boolean" ? v : null), fail, "storage")) this.verdicts.set(attempt, v);
  }
}

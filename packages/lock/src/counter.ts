/**
 * The fencing-token counter: a linearizable service (one node with durable state here; the
 * ZooKeeper recipe's sequence numbers or a counter in Synod's replicated KV in a deployment) that
 * gives each lock holding the next token. Redlock's stores cannot produce such tokens between
 * them (Kleppmann's point); a client asks the counter once it holds keys on a majority.
 *
 * A resent request of an attempt gets the token it was already given, so a lost reply never
 * burns a token or gives one holding two.
 *
 * @module
 */
import type { Event, Json, NodeId } from "@synod/protocol";
import { LockNodeBase } from "./base.js";
import type { LockCommand, LockMessage } from "./messages.js";
import type { ResolvedLockOptions } from "./options.js";

/** The last token given to one client. */
export interface Issued {
  attempt: string;
  token: number;
}

/** Durable state that cannot be read back. */
export class CounterStorageError extends Error {
  override name = "CounterStorageError";
}

/** The token counter node. */
export class TokenCounter extends LockNodeBase<ResolvedLockOptions> {
  /** The tokens issued so far (the last one issued). */
  issuedCount = 0;
  /** Each client's last token. */
  readonly last = new Map<string, Issued>();

  constructor(id: NodeId, o: ResolvedLockOptions) {
    super(id, o);
  }

  step(event: Event<LockMessage, LockCommand>): void {
    switch (event.type) {
      case "restart":
        this.restore(event.durable);
        return;
      case "request":
        this.redirect(event.request, this.serverOf(event.request), `${this.id} is the token counter`);
        return;
      case "timer":
        return;
      case "message": {
        const m = event.message;
        if (m.type !== "TokenRequest") {
          this.ignored++;
          return;
        }
        const prev = this.last.get(m.client);
        if (prev !== undefined && prev.attempt === m.attempt) {
          this.send(event.from, { type: "TokenReply", attempt: m.attempt, token: prev.token });
          return;
        }
        const token = ++this.issuedCount;
        this.last.set(m.client, { attempt: m.attempt, token });
        this.out.persist.push({ key: "issued", value: token }, { key: `last/${m.client}`, value: { attempt: m.attempt, token } });
        this.note("IssueToken", { c: m.client });
        this.send(event.from, { type: "TokenReply", attempt: m.attempt, token });
        return;
      }
    }
  }

  private restore(durable: ReadonlyMap<string, Json>): void {
    this.last.clear();
    const n = durable.get("issued") ?? 0;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new CounterStorageError(`token counter: durable key issued holds ${JSON.stringify(n)}`);
    this.issuedCount = n;
    for (const [k, v] of durable) {
      if (!k.startsWith("last/")) continue;
      const x = v as Partial<Issued> | null;
      if (x === null || typeof x !== "object" || typeof x.attempt !== "string" || typeof x.token !== "number") throw new CounterStorageError(`token counter: durable key ${k} holds ${JSON.stringify(v)}`);
      this.last.set(k.slice("last/".length), { attempt: x.attempt, token: x.token });
    }
  }
}

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
import type { Json, NodeId } from "@synod/protocol";
import { readRecords, ServerNode, type MessageOf } from "./base.js";
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
export class TokenCounter extends ServerNode<"TokenRequest", ResolvedLockOptions> {
  /** The tokens issued so far (the last one issued). */
  issuedCount = 0;
  /** Each client's last token. */
  readonly last = new Map<string, Issued>();

  constructor(id: NodeId, o: ResolvedLockOptions) {
    super(id, o, "TokenRequest", "the token counter");
  }

  protected serve(from: NodeId, m: MessageOf<"TokenRequest">): void {
    const prev = this.last.get(m.client);
    // A resent request of the attempt: the token it was given, not a new one.
    const token = prev !== undefined && prev.attempt === m.attempt ? prev.token : this.issue(m.client, m.attempt);
    this.send(from, { type: "TokenReply", attempt: m.attempt, token });
  }

  private issue(client: string, attempt: string): number {
    const token = ++this.issuedCount;
    this.last.set(client, { attempt, token });
    this.out.persist.push({ key: "issued", value: token }, { key: `last/${client}`, value: { attempt, token } });
    this.note("IssueToken", { c: client });
    return token;
  }

  protected restore(durable: ReadonlyMap<string, Json>): void {
    const n = durable.get("issued") ?? 0;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new CounterStorageError(`token counter: durable key issued holds ${JSON.stringify(n)}`);
    this.issuedCount = n;
    this.last.clear();
    const parse = (v: Json): Issued | null => {
      const x = v as Partial<Issued> | null;
      return x !== null && typeof x === "object" && typeof x.attempt === "string" && typeof x.token === "number" ? { attempt: x.attempt, token: x.token } : null;
    };
    for (const [client, issued] of readRecords(durable, "last/", parse, (msg) => new CounterStorageError(msg), "token counter")) this.last.set(client, issued);
  }
}

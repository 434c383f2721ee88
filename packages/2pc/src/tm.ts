/**
 * The transaction manager (coordinator) of two-phase commit with presumed abort.
 *
 * Durable records: its incarnation number (bumped and written at every restart, so transaction
 * ids `<incarnation>.<n>` are never reused), and one commit record per committed transaction,
 * written before any RM or client hears the decision. Nothing else: an abort is never written.
 * After a restart the TM knows only its commit records, and presumes abort for every transaction
 * of an earlier incarnation it has no commit record of: an RM that asks about one (by sending its
 * vote again) is told `Abort`. A restarted TM never resumes a transaction: it may already have
 * told an RM `Abort` before it crashed.
 *
 * Timeouts: the prepare is sent again to RMs that have not voted every `resendMs`; a transaction
 * whose votes have not all arrived after `voteTimeoutMs` is aborted.
 *
 * @module
 */
import type { ClientRequest, Event, Json, NodeId, ProtocolNode, SpecStepping, Traced } from "@synod/protocol";
import { NodeBase } from "./base.js";
import { checkCommand, checkMessage, type TwoPcCommand, type TwoPcMessage, type TwoPcResult, type TxnId } from "./messages.js";
import type { ResolvedOptions } from "./options.js";

/** The TM's view of one transaction. */
export interface TmTxn {
  id: TxnId;
  state: "preparing" | "committed" | "aborted";
  /** The RMs whose yes votes have arrived (volatile). */
  votes: Set<NodeId>;
  /** RMs that cannot do their part (sent in their prepare). */
  refuse: readonly NodeId[];
  /** The client request that started it, if this incarnation knows it. */
  client: { clientId: string; seq: number } | null;
}

/** A corrupt durable record of the TM. */
export class TmStorageError extends Error {
  override name = "TmStorageError";
}

const COMMIT = "commit/";

/** The TM's state of a transaction as the spec sees it (`tmState`, `tmPrepared`, `tmLog`). */
export interface TmView {
  state: "init" | "preparing" | "committed" | "aborted";
  votes: NodeId[];
  logged: boolean;
}

/** The coordinator of two-phase commit. See the module comment. */
export class TransactionManager extends NodeBase implements ProtocolNode<TwoPcMessage, TwoPcCommand, TwoPcResult>, Traced, SpecStepping {
  /** This run's incarnation (0 until the first restart). */
  incarnation = 0;
  private counter = 0;
  private readonly txns = new Map<TxnId, TmTxn>();
  private readonly byClient = new Map<string, TxnId>();
  /** Transactions with a commit record on disk (whether or not this incarnation honours it). */
  private readonly onDisk = new Set<TxnId>();

  constructor(
    id: NodeId,
    private readonly o: ResolvedOptions,
  ) {
    super(id);
    if (id !== o.tm) throw new Error(`TransactionManager ${id}: options name ${o.tm} as the TM`);
  }

  step(e: Event<TwoPcMessage, TwoPcCommand>): void {
    switch (e.type) {
      case "restart":
        return this.restart(e.durable);
      case "request":
        return this.request(e.request);
      case "timer":
        return this.timerFired(e.name);
      case "message":
        return this.receive(e.from, e.message);
    }
  }

  /** The transaction `id` as the spec sees it. */
  view(id: TxnId): TmView {
    const t = this.txns.get(id);
    const logged = this.onDisk.has(id);
    if (t !== undefined) return { state: t.state, votes: [...t.votes].sort(), logged };
    // Presumed abort: a transaction of an earlier incarnation without a commit record is aborted.
    return { state: incarnationOf(id) < this.incarnation ? "aborted" : "init", votes: [], logged };
  }

  /** Whether this incarnation has started any transaction. */
  get started(): boolean {
    return this.counter > 0;
  }

  /** The outcome of every transaction this incarnation knows. */
  decisions(): Record<TxnId, TmTxn["state"]> {
    return Object.fromEntries([...this.txns.values()].map((t) => [t.id, t.state]));
  }

  /** Conformance replay: commit a transaction that has every yes vote, as the spec's `TMCommit` step. */
  takeAction(action: string): boolean {
    if (action !== "TMCommit") return false;
    for (const t of this.txns.values()) {
      if (t.state === "preparing" && t.votes.size === this.o.rms.length) {
        this.commit(t);
        return true;
      }
    }
    return false;
  }

  private restart(durable: ReadonlyMap<string, Json>): void {
    this.out.persist.length = 0;
    this.out.send.length = 0;
    this.out.replies.length = 0;
    this.out.timers.length = 0;
    this.txns.clear();
    this.byClient.clear();
    this.onDisk.clear();
    this.counter = 0;
    const inc = durable.get("incarnation") ?? 0;
    if (!Number.isSafeInteger(inc) || (inc as number) < 0) throw new TmStorageError(`TM ${this.id}: durable "incarnation" is ${JSON.stringify(inc)}, expected a count`);
    this.incarnation = (inc as number) + 1;
    this.out.persist.push({ key: "incarnation", value: this.incarnation });
    for (const [key, value] of durable) {
      if (!key.startsWith(COMMIT)) continue;
      const id = key.slice(COMMIT.length);
      const c = value as { clientId?: unknown; seq?: unknown } | null;
      if (checkMessage({ type: "Commit", txn: id }) !== null || (c !== null && (typeof c?.clientId !== "string" || typeof c.seq !== "number"))) {
        throw new TmStorageError(`TM ${this.id}: corrupt commit record ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
      }
      this.onDisk.add(id);
      // The broken build forgets: it presumes abort for what it had committed.
      if (this.o.forgetDecisionOnRestart) continue;
      const client = c === null ? null : { clientId: c.clientId as string, seq: c.seq as number };
      this.txns.set(id, { id, state: "committed", votes: new Set(), refuse: [], client });
      if (client !== null) this.byClient.set(clientKey(client), id);
    }
    this.note("TMCrash");
    this.note("TMRecover");
  }

  private request(req: ClientRequest<TwoPcCommand>): void {
    const bad = checkCommand(req.command);
    if (bad !== null) return this.reject(req, bad);
    const cmd = req.command;
    switch (cmd.op) {
      case "decisions":
        if (cmd.at !== this.id) return this.redirect(req, cmd.at, `decisions of ${cmd.at} are kept by ${cmd.at}`);
        return this.reply(req, { node: this.id, role: "coordinator", decisions: this.decisions() });
      case "abort":
        return this.reject(req, `${this.id} is the TM; a local abort is an RM's`);
      case "txn":
        return this.begin(req, cmd.refuse);
    }
  }

  private begin(req: ClientRequest<TwoPcCommand>, refuse: readonly NodeId[]): void {
    const unknown = refuse.filter((r) => !this.o.rms.includes(r));
    if (unknown.length > 0) return this.reject(req, `refuse names nodes that are not RMs: ${unknown.join(", ")}`);
    const key = clientKey(req);
    const known = this.byClient.get(key);
    if (known !== undefined) {
      // A client's retry: answer it if decided, else the decision will answer it.
      const t = this.txns.get(known) as TmTxn;
      if (t.state !== "preparing") this.reply(req, { txn: t.id, outcome: t.state });
      return;
    }
    const id = `${this.incarnation}.${++this.counter}`;
    const t: TmTxn = { id, state: "preparing", votes: new Set(), refuse: [...refuse], client: { clientId: req.clientId, seq: req.seq } };
    this.txns.set(id, t);
    this.byClient.set(key, id);
    this.sendPrepare(t);
    this.timer(`vote:${id}`, this.o.voteTimeoutMs);
    this.timer(`resend:${id}`, this.o.resendMs);
  }

  private sendPrepare(t: TmTxn): void {
    for (const r of this.o.rms) if (!t.votes.has(r)) this.send(r, { type: "Prepare", txn: t.id, refuse: t.refuse.includes(r) });
    this.note("TMPrepare");
  }

  private timerFired(name: string): void {
    const colon = name.indexOf(":");
    const t = this.txns.get(name.slice(colon + 1));
    if (t === undefined || t.state !== "preparing") return;
    switch (name.slice(0, colon)) {
      case "resend":
        this.sendPrepare(t);
        this.timer(`resend:${t.id}`, this.o.resendMs);
        return;
      case "vote":
        return this.abort(t);
    }
  }

  private receive(from: NodeId, m: TwoPcMessage): void {
    if (checkMessage(m) !== null || !this.o.rms.includes(from)) {
      this.ignored++;
      return;
    }
    const t = this.txns.get(m.txn);
    switch (m.type) {
      case "Prepared":
        if (t === undefined) {
          // Presumed abort: no commit record of a transaction from an earlier incarnation.
          if (incarnationOf(m.txn) < this.incarnation) {
            this.send(from, { type: "Abort", txn: m.txn });
            this.note("TMAnswer", { r: from });
          } else this.ignored++;
          return;
        }
        if (t.state === "preparing") {
          t.votes.add(from);
          this.note("TMRcvPrepared", { r: from });
          if (t.votes.size === this.o.rms.length && !this.o.deferCommit) this.commit(t);
          return;
        }
        // A decided transaction: the vote is an inquiry.
        this.send(from, { type: t.state === "committed" ? "Commit" : "Abort", txn: t.id });
        this.note("TMAnswer", { r: from });
        return;
      case "No":
        if (t?.state === "preparing") this.abort(t);
        return;
      default:
        this.ignored++;
    }
  }

  private commit(t: TmTxn): void {
    // The commit record is durable before anyone hears the decision (the host persists first).
    this.out.persist.push({ key: COMMIT + t.id, value: t.client === null ? null : { clientId: t.client.clientId, seq: t.client.seq } });
    this.onDisk.add(t.id);
    t.state = "committed";
    this.decided(t, "Commit");
    this.note("TMCommit");
  }

  private abort(t: TmTxn): void {
    // Presumed abort: nothing is written.
    t.state = "aborted";
    this.decided(t, "Abort");
    this.note("TMAbort");
  }

  private decided(t: TmTxn, type: "Commit" | "Abort"): void {
    for (const r of this.o.rms) this.send(r, { type, txn: t.id });
    this.timer(`vote:${t.id}`, null);
    this.timer(`resend:${t.id}`, null);
    if (t.client !== null) {
      this.out.replies.push({ clientId: t.client.clientId, seq: t.client.seq, ok: true, result: { txn: t.id, outcome: t.state as "committed" | "aborted" } });
    }
  }
}

/** The incarnation a transaction id was issued in. */
export function incarnationOf(id: TxnId): number {
  return Number(id.slice(0, id.indexOf(".")));
}

function clientKey(c: { clientId: string; seq: number }): string {
  return `${c.clientId}\u0000${c.seq}`;
}

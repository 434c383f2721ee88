/**
 * A resource manager (participant) of two-phase commit with presumed abort.
 *
 * Every record is durable (`txn/<id>`), written before the message that depends on it: the
 * prepared record before the yes vote, the abort record before the no vote, the decision when it
 * arrives. So a restart changes nothing: the RM reloads its records and, for every transaction
 * it is prepared in, resumes asking the TM for the decision.
 *
 * An RM does its part of a transaction when the prepare arrives (the prepare carries whether it
 * can: `refuse`), so there is no volatile work to lose. Before it votes it may abort
 * unilaterally: it votes no, or the application aborts its part (`{ op: "abort" }`). Once
 * prepared it may not decide on its own: it sends its vote again every `inquireMs` (an inquiry)
 * and waits — the blocking of 2PC when the TM stays down.
 *
 * @module
 */
import type { ClientRequest, Event, Json, NodeId, ProtocolNode, Traced } from "@synod/protocol";
import { NodeBase } from "./base.js";
import { checkCommand, checkMessage, type RmRecord, type TwoPcCommand, type TwoPcMessage, type TwoPcResult, type TxnId } from "./messages.js";
import type { ResolvedOptions } from "./options.js";

/** A corrupt durable record of an RM. */
export class RmStorageError extends Error {
  override name = "RmStorageError";
}

const TXN = "txn/";
const STATES = new Set(["prepared", "committed", "aborted"]);
const VOTES = new Set(["yes", "no", "none"]);

/** A participant of two-phase commit. See the module comment. */
export class ResourceManager extends NodeBase implements ProtocolNode<TwoPcMessage, TwoPcCommand, TwoPcResult>, Traced {
  private readonly records = new Map<TxnId, RmRecord>();
  /** Decision messages that contradicted this RM's record (a broken coordinator). */
  contradictions = 0;

  constructor(
    id: NodeId,
    private readonly o: ResolvedOptions,
  ) {
    super(id);
    if (!o.rms.includes(id)) throw new Error(`ResourceManager ${id}: not among the options' RMs ${o.rms.join(", ")}`);
  }

  step(e: Event<TwoPcMessage, TwoPcCommand>): void {
    switch (e.type) {
      case "restart":
        return this.restart(e.durable);
      case "request":
        return this.request(e.request);
      case "timer":
        return this.inquire(e.name);
      case "message":
        return this.receive(e.from, e.message);
    }
  }

  /** This RM's record of `txn` (undefined: none, the spec's `working`). */
  record(txn: TxnId): RmRecord | undefined {
    const r = this.records.get(txn);
    return r === undefined ? undefined : { ...r };
  }

  /** Every record, by transaction. */
  decisions(): Record<TxnId, RmRecord> {
    return Object.fromEntries([...this.records].map(([k, v]) => [k, { ...v }]));
  }

  private restart(durable: ReadonlyMap<string, Json>): void {
    this.out.persist.length = 0;
    this.out.send.length = 0;
    this.out.replies.length = 0;
    this.out.timers.length = 0;
    this.records.clear();
    for (const [key, value] of durable) {
      if (!key.startsWith(TXN)) continue;
      const id = key.slice(TXN.length);
      const v = value as Partial<RmRecord> | null;
      if (checkMessage({ type: "Commit", txn: id }) !== null || typeof v !== "object" || v === null || !STATES.has(v.state as string) || !VOTES.has(v.vote as string)) {
        throw new RmStorageError(`RM ${this.id}: corrupt record ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
      }
      this.records.set(id, { state: v.state as RmRecord["state"], vote: v.vote as RmRecord["vote"] });
      if (v.state === "prepared") this.timer(`inquire:${id}`, this.o.inquireMs);
    }
    this.note("RMRestart", { r: this.id });
  }

  private request(req: ClientRequest<TwoPcCommand>): void {
    const bad = checkCommand(req.command);
    if (bad !== null) return this.reject(req, bad);
    const cmd = req.command;
    switch (cmd.op) {
      case "txn":
        return this.redirect(req, this.o.tm, `transactions are started by the TM ${this.o.tm}`);
      case "decisions":
        if (cmd.at !== this.id) return this.redirect(req, cmd.at, `decisions of ${cmd.at} are kept by ${cmd.at}`);
        return this.reply(req, { node: this.id, role: "participant", decisions: this.decisions() });
      case "abort": {
        if (checkMessage({ type: "Commit", txn: cmd.txn }) !== null) return this.reject(req, `abort: bad transaction id ${JSON.stringify(cmd.txn)}`);
        const r = this.records.get(cmd.txn);
        if (r === undefined) this.voteNo(cmd.txn);
        return this.reply(req, { txn: cmd.txn, state: this.records.get(cmd.txn)?.state ?? "aborted" });
      }
    }
  }

  private receive(from: NodeId, m: TwoPcMessage): void {
    if (checkMessage(m) !== null || from !== this.o.tm) {
      this.ignored++;
      return;
    }
    const r = this.records.get(m.txn);
    switch (m.type) {
      case "Prepare":
        if (r === undefined) {
          if (m.refuse) return this.voteNo(m.txn);
          this.write(m.txn, { state: "prepared", vote: "yes" });
          this.send(this.o.tm, { type: "Prepared", txn: m.txn });
          this.timer(`inquire:${m.txn}`, this.o.inquireMs);
          this.note("RMPrepare", { r: this.id });
        } else if (r.state === "prepared") {
          // The vote may have been lost: send it again.
          this.send(this.o.tm, { type: "Prepared", txn: m.txn });
          this.note("RMInquire", { r: this.id });
        } else if (r.vote === "no") {
          this.send(this.o.tm, { type: "No", txn: m.txn });
        }
        return;
      case "Commit":
        if (r?.state === "prepared") {
          this.write(m.txn, { state: "committed", vote: "yes" });
          this.timer(`inquire:${m.txn}`, null);
          this.note("RMRcvCommit", { r: this.id });
        } else if (r?.state !== "committed") this.contradictions++;
        return;
      case "Abort":
        if (r === undefined || r.state === "prepared") {
          this.write(m.txn, { state: "aborted", vote: r === undefined ? "none" : "yes" });
          this.timer(`inquire:${m.txn}`, null);
          this.note("RMRcvAbort", { r: this.id });
        } else if (r.state === "committed") this.contradictions++;
        return;
      default:
        this.ignored++;
    }
  }

  private inquire(name: string): void {
    if (!name.startsWith("inquire:")) return;
    const txn = name.slice("inquire:".length);
    if (this.records.get(txn)?.state !== "prepared") return;
    this.send(this.o.tm, { type: "Prepared", txn });
    this.timer(name, this.o.inquireMs);
    this.note("RMInquire", { r: this.id });
  }

  /** Abort unilaterally before voting: the abort record, then the no vote. */
  private voteNo(txn: TxnId): void {
    this.write(txn, { state: "aborted", vote: "no" });
    this.send(this.o.tm, { type: "No", txn });
    this.note("RMAbort", { r: this.id });
  }

  private write(txn: TxnId, rec: RmRecord): void {
    this.records.set(txn, rec);
    this.out.persist.push({ key: TXN + txn, value: { state: rec.state, vote: rec.vote } });
  }
}

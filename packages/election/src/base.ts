/**
 * What every election node shares as a hosted node: the pending {@link Ready}, the spec-action
 * recorder (the `Traced` hook), message counters, and client replies.
 *
 * @module
 */
import { ActionRecorder, emptyReady, type ActionLabel, type ClientRequest, type NodeId, type Ready } from "@synod/protocol";
import type { LeadCommand, LeadResult } from "./messages.js";

/** The common part of an election node. */
export abstract class NodeBase<Msg extends { type: string }> {
  protected out: Ready<Msg, LeadResult, LeadCommand> = emptyReady();
  private readonly trace = new ActionRecorder();
  /** Messages ignored because they were malformed or made no sense in the node's state. */
  ignored = 0;
  /** Messages this node sent, by type, since it was created (survives restarts: it is the host's count). */
  readonly sent = new Map<string, number>();

  constructor(readonly id: NodeId) {}

  /** True when `ready()` would return something. */
  hasReady(): boolean {
    const o = this.out;
    return o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0;
  }

  /** Drain what the node wants done: persist first, then send, reply and arm timers. */
  ready(): Ready<Msg, LeadResult, LeadCommand> {
    const rd = this.out;
    this.out = emptyReady();
    return rd;
  }

  /** Start (or stop) recording the spec actions each step takes. */
  recordActions(on: boolean): void {
    this.trace.recordActions(on);
  }

  /** The spec actions recorded since the last call. */
  takeActions(): ActionLabel[] {
    return this.trace.takeActions();
  }

  /** Record spec action `action` (by the spec's name and parameter names). */
  protected note(action: string, params: Record<string, string | number>): void {
    this.trace.note(action, params);
  }

  protected send(to: NodeId, message: Msg): void {
    this.sent.set(message.type, (this.sent.get(message.type) ?? 0) + 1);
    this.out.send.push({ to, message });
  }

  protected timer(name: string, afterMs: number | null): void {
    this.out.timers.push({ name, afterMs });
  }

  /** Answer a `lead` request: the result if this node leads, else a redirect to `hint`. */
  protected answerLead(req: ClientRequest<LeadCommand>, result: LeadResult | null, hint: NodeId | null): void {
    if (req.command?.op !== "lead") {
      this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: false, error: "rejected", detail: `unknown command ${JSON.stringify(req.command)}` });
      return;
    }
    if (result !== null) {
      this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: true, result });
      return;
    }
    const reply = { clientId: req.clientId, seq: req.seq, ok: false as const, error: "not-leader" as const, detail: `${this.id} does not lead` };
    this.out.replies.push(hint !== null && hint !== this.id ? { ...reply, leaderHint: hint } : reply);
  }
}

/** A message from a node outside the configured membership, or not an object with a `type`. */
export function isMessageShaped(m: unknown): m is { type: string } {
  return typeof m === "object" && m !== null && typeof (m as { type?: unknown }).type === "string";
}

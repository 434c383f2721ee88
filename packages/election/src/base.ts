/**
 * What every election node shares as a hosted node: `HostedNode` from `@synod/protocol` (the
 * pending `Ready`, the `Traced` hook, replies and timers), message counters, and the answer to a
 * `lead` request.
 *
 * @module
 */
import { HostedNode, type ClientRequest, type Event, type Json, type NodeId } from "@synod/protocol";
import type { LeadCommand, LeadResult } from "./messages.js";

/**
 * The common part of an election node: {@link HostedNode} that also counts what it sends, and
 * one `step` that hands each event to the algorithm's handler.
 */
export abstract class NodeBase<Msg extends { type: string }> extends HostedNode<Msg, LeadResult, LeadCommand> {
  /** Messages this node sent, by type, since it was created (survives restarts: it is the host's count). */
  readonly sent = new Map<string, number>();

  /** Take one event (see `ProtocolNode.step`). */
  step(event: Event<Msg, LeadCommand>): void {
    switch (event.type) {
      case "message":
        this.onMessage(event.nowMs, event.from, event.message);
        return;
      case "timer":
        this.onTimer(event.nowMs, event.name);
        return;
      case "request":
        this.onRequest(event.nowMs, event.request);
        return;
      case "restart":
        this.onRestart(event.nowMs, event.durable);
        return;
    }
  }

  /** A peer's message (not yet checked: it may be malformed or from a stranger). */
  protected abstract onMessage(nowMs: number, from: NodeId, message: Msg): void;
  /** The named timer fired. */
  protected abstract onTimer(nowMs: number, name: string): void;
  /** A client's `lead` query. */
  protected abstract onRequest(nowMs: number, request: ClientRequest<LeadCommand>): void;
  /** The node came back after a crash with what storage kept. */
  protected abstract onRestart(nowMs: number, durable: ReadonlyMap<string, Json>): void;

  protected override send(to: NodeId, message: Msg): void {
    this.sent.set(message.type, (this.sent.get(message.type) ?? 0) + 1);
    super.send(to, message);
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

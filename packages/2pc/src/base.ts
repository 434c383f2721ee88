/**
 * What the TM and the RMs share as hosted nodes: the pending {@link Ready}, the spec-action
 * recorder (the `Traced` hook), and the answer to requests meant for another node.
 *
 * @module
 */
import { ActionRecorder, emptyReady, type ActionLabel, type ClientRequest, type NodeId, type Ready } from "@synod/protocol";
import type { TwoPcCommand, TwoPcMessage, TwoPcResult } from "./messages.js";

/** The common part of a two-phase-commit node. */
export abstract class NodeBase {
  protected out: Ready<TwoPcMessage, TwoPcResult, TwoPcCommand> = emptyReady();
  private readonly trace = new ActionRecorder();
  /** Messages ignored because they were malformed or made no sense in the node's state. */
  ignored = 0;

  constructor(readonly id: NodeId) {}

  /** True when `ready()` would return something. */
  hasReady(): boolean {
    const o = this.out;
    return o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0;
  }

  /** Drain what the node wants done: persist first, then send, reply and arm timers. */
  ready(): Ready<TwoPcMessage, TwoPcResult, TwoPcCommand> {
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
  protected note(action: string, params: Record<string, string> = {}): void {
    this.trace.note(action, params);
  }

  protected send(to: NodeId, message: TwoPcMessage): void {
    this.out.send.push({ to, message });
  }

  protected reply(req: ClientRequest<TwoPcCommand>, result: TwoPcResult): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: true, result });
  }

  /** A request this node cannot serve: the client retries at `at`. */
  protected redirect(req: ClientRequest<TwoPcCommand>, at: NodeId, detail: string): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: false, error: "not-leader", leaderHint: at, detail });
  }

  protected reject(req: ClientRequest<TwoPcCommand>, detail: string): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: false, error: "rejected", detail });
  }

  protected timer(name: string, afterMs: number | null): void {
    this.out.timers.push({ name, afterMs });
  }
}

/**
 * The part of a hosted node that every protocol writes the same way: the {@link Ready} a step
 * fills, its drain, the replies to clients, timers, and the `Traced` hook. A node extends it and
 * writes only its `step`; a node with its own bookkeeping (Raft, Multi-Paxos) need not.
 *
 * @module
 */
import { emptyReady, isEmptyReady, type ClientRequest, type NodeId, type Ready } from "./node.js";
import { ActionRecorder, type ActionLabel, type Traced } from "./trace.js";

/** A node that collects what it wants done in one pending {@link Ready}. */
export abstract class HostedNode<Msg, Res, Cmd> implements Traced {
  /** What the node wants done, filled during a step and drained by {@link HostedNode.ready}. */
  protected out: Ready<Msg, Res, Cmd> = emptyReady();
  private readonly trace = new ActionRecorder();
  /** Messages ignored because they were malformed or made no sense in the node's state. */
  ignored = 0;

  constructor(readonly id: NodeId) {}

  /** True when `ready()` would return something. */
  hasReady(): boolean {
    return !isEmptyReady(this.out);
  }

  /** Drain what the node wants done: persist first, then send, reply and arm timers. */
  ready(): Ready<Msg, Res, Cmd> {
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
  protected note(action: string, params: Record<string, string | number> = {}): void {
    this.trace.note(action, params);
  }

  /** Send `message` to `to`. */
  protected send(to: NodeId, message: Msg): void {
    this.out.send.push({ to, message });
  }

  /** Arm timer `name` to fire in `afterMs` (`null` cancels it). */
  protected timer(name: string, afterMs: number | null): void {
    this.out.timers.push({ name, afterMs });
  }

  /** Answer `req` with `result`. */
  protected reply(req: ClientRequest<Cmd>, result: Res): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: true, result });
  }

  /** A request this node does not serve: the client retries at `at`. */
  protected redirect(req: ClientRequest<Cmd>, at: NodeId, detail: string): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: false, error: "not-leader", leaderHint: at, detail });
  }

  /** A request that can never be served (bad command): the client should not retry. */
  protected reject(req: ClientRequest<Cmd>, detail: string): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: false, error: "rejected", detail });
  }
}

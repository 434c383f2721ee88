/**
 * What every node of a lock cluster shares as a hosted node: the pending {@link Ready}, the
 * spec-action recorder (the `Traced` hook), and the answer to requests meant for another node.
 *
 * @module
 */
import { emptyReady, type ActionLabel, type ClientRequest, type Event, type NodeId, type ProtocolNode, type Ready } from "@synod/protocol";
import type { LockCommand, LockMessage, LockResult } from "./messages.js";
import { tickOf } from "./options.js";

/** What every node of a lock cluster (Redlock or the ZooKeeper recipe) knows of its layout. */
export interface BaseOptions {
  /** Length of a tick. */
  tickMs: number;
  /** The protected storage. */
  storage: NodeId;
  /** The lock clients. */
  clients: readonly NodeId[];
  /** The broken build: the storage does not check tokens. */
  uncheckedToken: boolean;
}

/** The common part of a lock-cluster node. */
export abstract class LockNodeBase<O extends BaseOptions = BaseOptions> implements ProtocolNode<LockMessage, LockCommand, LockResult> {
  protected out: Ready<LockMessage, LockResult, LockCommand> = emptyReady();
  private recording: ActionLabel[] | null = null;
  /** Messages ignored because they were stale or made no sense in the node's state. */
  ignored = 0;

  constructor(
    readonly id: NodeId,
    protected readonly o: O,
  ) {}

  /** Feed one event. */
  abstract step(event: Event<LockMessage, LockCommand>): void;

  /** True when `ready()` would return something. */
  hasReady(): boolean {
    const o = this.out;
    return o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0;
  }

  /** Drain what the node wants done: persist first, then send, reply and arm timers. */
  ready(): Ready<LockMessage, LockResult, LockCommand> {
    const rd = this.out;
    this.out = emptyReady();
    return rd;
  }

  /** Start (or stop) recording the spec actions each step takes. */
  recordActions(on: boolean): void {
    this.recording = on ? (this.recording ?? []) : null;
  }

  /** The spec actions recorded since the last call. */
  takeActions(): ActionLabel[] {
    const a = this.recording ?? [];
    if (this.recording !== null) this.recording = [];
    return a;
  }

  /** Record spec action `action` (by the spec's name and parameter names). */
  protected note(action: string, params: Record<string, string> = {}): void {
    this.recording?.push({ action, params });
  }

  /** The tick of clock reading `nowMs`. */
  protected tick(nowMs: number): number {
    return tickOf(nowMs, this.o.tickMs);
  }

  protected send(to: NodeId, message: LockMessage): void {
    this.out.send.push({ to, message });
  }

  protected reply(req: ClientRequest<LockCommand>, result: LockResult): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: true, result });
  }

  /** A request this node does not serve: the client retries at `at`. */
  protected redirect(req: ClientRequest<LockCommand>, at: NodeId, detail: string): void {
    this.out.replies.push({ clientId: req.clientId, seq: req.seq, ok: false, error: "not-leader", leaderHint: at, detail });
  }

  /** A request that cannot be served now: the client may retry later. */
  protected unavailable(clientId: string, seq: number, detail: string): void {
    this.out.replies.push({ clientId, seq, ok: false, error: "unavailable", detail });
  }

  protected timer(name: string, afterMs: number | null): void {
    this.out.timers.push({ name, afterMs });
  }

  /** Where a request goes: `work` to a lock client (picked by the client id), `log` to the storage. */
  protected serverOf(req: ClientRequest<LockCommand>): NodeId {
    if (req.command.op === "log") return this.o.storage;
    let h = 0;
    for (const ch of req.clientId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return this.o.clients[h % this.o.clients.length] as NodeId;
  }
}

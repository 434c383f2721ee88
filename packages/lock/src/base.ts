/**
 * What every node of a lock cluster shares as a hosted node: `HostedNode` from `@synod/protocol`
 * (the pending `Ready`, the `Traced` hook, replies and timers), the layout and the clock's ticks.
 *
 * @module
 */
import { HostedNode, type ClientRequest, type Event, type NodeId, type ProtocolNode } from "@synod/protocol";
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

/** The common part of a lock-cluster node: {@link HostedNode} with the cluster's layout and clock. */
export abstract class LockNodeBase<O extends BaseOptions = BaseOptions>
  extends HostedNode<LockMessage, LockResult, LockCommand>
  implements ProtocolNode<LockMessage, LockCommand, LockResult>
{
  constructor(
    id: NodeId,
    protected readonly o: O,
  ) {
    super(id);
  }

  /** Feed one event. */
  abstract step(event: Event<LockMessage, LockCommand>): void;

  /** The tick of clock reading `nowMs`. */
  protected tick(nowMs: number): number {
    return tickOf(nowMs, this.o.tickMs);
  }

  /** A request that cannot be served now: the client may retry later. */
  protected unavailable(clientId: string, seq: number, detail: string): void {
    this.out.replies.push({ clientId, seq, ok: false, error: "unavailable", detail });
  }

  /** Where a request goes: `work` to a lock client (picked by the client id), `log` to the storage. */
  protected serverOf(req: ClientRequest<LockCommand>): NodeId {
    if (req.command.op === "log") return this.o.storage;
    let h = 0;
    for (const ch of req.clientId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return this.o.clients[h % this.o.clients.length] as NodeId;
  }
}

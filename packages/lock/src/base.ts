/**
 * What every node of a lock cluster shares as a hosted node: `HostedNode` from `@synod/protocol`
 * (the pending `Ready`, the `Traced` hook, replies and timers), the layout and the clock's ticks.
 *
 * @module
 */
import { HostedNode, type ClientRequest, type Event, type Json, type NodeId, type ProtocolNode } from "@synod/protocol";
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

/** A message of type `K`. */
export type MessageOf<K extends LockMessage["type"]> = Extract<LockMessage, { type: K }>;

/**
 * A server of a lock cluster (a Redlock store, the token counter, the fenced storage) as one
 * shape: it rebuilds itself from storage on a restart, serves its message types, redirects client
 * requests it does not answer itself to the node that does, has no timers, and counts any other
 * message as ignored. A subclass says what it serves and how.
 */
export abstract class ServerNode<K extends LockMessage["type"], O extends BaseOptions = BaseOptions> extends LockNodeBase<O> {
  /**
   * @param serves - the message type (or types) the node serves.
   * @param what - what the node is, for redirects (`"the token counter"`).
   */
  constructor(
    id: NodeId,
    o: O,
    private readonly serves: K | readonly K[],
    private readonly what: string,
  ) {
    super(id, o);
  }

  step(event: Event<LockMessage, LockCommand>): void {
    switch (event.type) {
      case "restart":
        this.restore(event.durable, event.nowMs);
        return;
      case "request":
        if (!this.answer(event.request)) this.redirect(event.request, this.serverOf(event.request), `${this.id} is ${this.what}`);
        return;
      case "timer":
        return;
      case "message":
        if (!(typeof this.serves === "string" ? event.message.type === this.serves : (this.serves as readonly string[]).includes(event.message.type))) {
          this.ignored++;
          return;
        }
        this.serve(event.from, event.message as MessageOf<K>, event.nowMs);
        return;
    }
  }

  /** Rebuild the node's state from what storage kept, at clock reading `nowMs` (throw the node's storage error on damage). */
  protected abstract restore(durable: ReadonlyMap<string, Json>, nowMs: number): void;

  /** Serve one message of a served type from `from`. */
  protected abstract serve(from: NodeId, m: MessageOf<K>, nowMs: number): void;

  /** Answer a client request this node serves itself and return true; false to redirect it. */
  protected answer(_req: ClientRequest<LockCommand>): boolean {
    return false;
  }
}

/**
 * Read the records stored under `prefix` (sorted by key), each checked by `parse` (null: damaged);
 * a damaged one throws `fail(message)` naming the node, the key and what it holds.
 */
export function readRecords<R>(durable: ReadonlyMap<string, Json>, prefix: string, parse: (v: Json) => R | null, fail: (message: string) => Error, node: string): [string, R][] {
  const out: [string, R][] = [];
  for (const k of [...durable.keys()].filter((x) => x.startsWith(prefix)).sort()) {
    const v = durable.get(k) as Json;
    const r = parse(v);
    if (r === null) throw fail(`${node}: durable key ${k} holds ${JSON.stringify(v)}`);
    out.push([k.slice(prefix.length), r]);
  }
  return out;
}

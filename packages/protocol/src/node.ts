/**
 * The contract between a Synod protocol node and whatever hosts it: the simulator, trace replay in
 * conformance, or a real TCP transport with file storage.
 *
 * A node is a deterministic state machine in the style of etcd/raft's `Step`/`Ready`: it never
 * reads a clock, draws a random number of its own, or touches a socket or a disk. Time arrives on
 * every event as the host's local clock reading; randomness comes through an injected {@link Rng};
 * everything the node wants done comes out of {@link ProtocolNode.ready}.
 *
 * The host loop, in the order that keeps the protocol safe:
 *
 * 1. `node.step(event)` for one event (message, timer, client request, restart);
 * 2. `const rd = node.ready()` (this drains what the node has accumulated);
 * 3. make every write in `rd.persist` durable (fsync), in order;
 * 4. only then send `rd.send`, deliver `rd.replies`, arm or cancel `rd.timers`;
 * 5. hand `rd.applied` to observers (it is informational: the node has already applied it).
 *
 * A host must finish step 3 before the next `step` call. A crash may lose writes that were not
 * yet durable, never writes that were.
 *
 * @module
 */

/** A node's identity, e.g. `"n1"`. */
export type NodeId = string;

/** JSON-representable data: what durable storage and the wire carry. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A seeded source of randomness injected into a node (e.g. for randomized election timeouts). */
export interface Rng {
  /** A uniformly distributed integer in `[minInclusive, maxInclusive]`. */
  nextInt(minInclusive: number, maxInclusive: number): number;
  /** A uniformly distributed float in `[0, 1)`. */
  nextFloat(): number;
}

/** A client's request to the replicated service. `(clientId, seq)` identifies it for deduplication. */
export interface ClientRequest<Cmd> {
  clientId: string;
  /** Per-client sequence number, increasing by one per new request; a retry reuses it. */
  seq: number;
  command: Cmd;
}

/**
 * The node's answer to a client request. `auth`, where a service authenticates its replies (a
 * Byzantine-fault-tolerant one: the replying replica's id, what else its reply says, and a MAC
 * the client can check), is opaque to hosts: they carry it verbatim, and the client's
 * {@link ReplyRule} reads it.
 */
export type ClientReply<Res> =
  | { clientId: string; seq: number; ok: true; result: Res; auth?: Json }
  | {
      clientId: string;
      seq: number;
      ok: false;
      /** `not-leader`: retry elsewhere (see `leaderHint`); `unavailable`: retry later; `rejected`: final. */
      error: "not-leader" | "unavailable" | "rejected";
      leaderHint?: NodeId;
      detail?: string;
      auth?: Json;
    };

/** What a {@link ReplyRule} says about one reply. */
export type ReplyVerdict<Res> =
  /** The operation's outcome is decided: `reply` (an `ok` result, or an error to act on). */
  | { type: "accept"; reply: ClientReply<Res> }
  /** Counted; more replies are needed. */
  | { type: "wait" }
  /** The reply does not authenticate (forged, tampered with, or unauthenticated): dropped, and hosts count it. */
  | { type: "reject"; reason: string };

/**
 * A client's rule for the replies to one request, where one node's answer is not enough: e.g. a
 * Byzantine-fault-tolerant service's client checks each reply's authenticator and takes a result
 * once f + 1 replicas (2f + 1 for tentative replies) sent it. One rule object per request.
 */
export interface ReplyRule<Res> {
  /** Offer a reply as it arrived from `node` (the transport's word for the sender, which a forger can fake). */
  offer(node: NodeId, reply: ClientReply<Res>): ReplyVerdict<Res>;
}

/** What can happen to a node. Every event carries the host's local clock reading. */
export type Event<Msg, Cmd> =
  | { type: "message"; nowMs: number; from: NodeId; message: Msg }
  | { type: "timer"; nowMs: number; name: string }
  | { type: "request"; nowMs: number; request: ClientRequest<Cmd> }
  /** The node came back after a crash: volatile state is gone, `durable` is what storage kept. */
  | { type: "restart"; nowMs: number; durable: ReadonlyMap<string, Json> };

/** One durable write: set a key, or delete it. Storage is a flat key space per node. */
export type DurableWrite = { key: string; value: Json } | { key: string; delete: true };

/** A message to send. */
export interface Envelope<Msg> {
  to: NodeId;
  message: Msg;
}

/** Arm (or re-arm) the named timer to fire after `afterMs`, or cancel it with `afterMs: null`. */
export interface TimerRequest {
  name: string;
  afterMs: number | null;
}

/** A command the node applied to its state machine, in log order. */
export interface Applied<Cmd = unknown, Res = unknown> {
  index: number;
  command: Cmd;
  result: Res;
  /**
   * The client request this application carries out, where it carries one out: a request must be
   * applied at one log index only, however often it was retried or delivered (checked by
   * conformance's histories).
   */
  request?: { clientId: string; seq: number };
}

/** Everything a node wants done since the last `ready()` call. See the module comment for the order. */
export interface Ready<Msg, Res = unknown, Cmd = unknown> {
  persist: DurableWrite[];
  send: Envelope<Msg>[];
  timers: TimerRequest[];
  replies: ClientReply<Res>[];
  applied: Applied<Cmd, Res>[];
}

/** A protocol node as every host drives it. */
export interface ProtocolNode<Msg, Cmd, Res> {
  readonly id: NodeId;
  /** Feed one event. Never throws on a malformed or stale message: it is ignored (and counted). */
  step(event: Event<Msg, Cmd>): void;
  /** True when `ready()` would return something. */
  hasReady(): boolean;
  /** Drain what the node wants done. */
  ready(): Ready<Msg, Res, Cmd>;
}

/** An empty {@link Ready}, for nodes to start from. */
export function emptyReady<Msg, Res = unknown, Cmd = unknown>(): Ready<Msg, Res, Cmd> {
  return { persist: [], send: [], timers: [], replies: [], applied: [] };
}

/** True when a {@link Ready} carries nothing. */
export function isEmptyReady(rd: Ready<unknown, unknown, unknown>): boolean {
  return (
    rd.persist.length === 0 &&
    rd.send.length === 0 &&
    rd.timers.length === 0 &&
    rd.replies.length === 0 &&
    rd.applied.length === 0
  );
}

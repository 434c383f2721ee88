/**
 * What the gossip node needs of a replicated data type: a join-semilattice of states with an
 * update operation that returns the delta to ship (a delta-mutator, or the whole new state where a
 * type has no smaller delta), and a JSON form for the wire and storage. Any state-based CRDT fits.
 *
 * The node gives every update a dot — the origin replica and that replica's per-key sequence
 * number — unique across restarts (the sequence is durable), so types that need unique tags
 * (an OR-Set's add) take the dot as their tag.
 *
 * @module
 */
import type { Json, NodeId } from "@synod/protocol";

/** The unique id of one update: its origin replica and the origin's sequence number for the key. */
export interface Dot {
  origin: NodeId;
  seq: number;
}

/**
 * A replicated data type as the gossip node carries it. `S` is the state (a join-semilattice
 * under {@link Payload.merge}), `Op` an update, `V` what a read returns.
 */
export interface Payload<S, Op, V> {
  /** Its name in options and reports (`gcounter`, `orset`). */
  name: string;
  /** The bottom of the lattice: a key nobody has updated. */
  empty(): S;
  /**
   * Apply `op`, made at `dot.origin`, to `state`: the new state, and the delta a replica that has
   * `state` needs to get there (`merge(state, delta)` equals `state`). Throws for a malformed op.
   */
  update(state: S, op: Op, dot: Dot): { state: S; delta: S };
  /** The least upper bound: commutative, associative, idempotent. */
  merge(a: S, b: S): S;
  /** What a read returns, as JSON. */
  read(state: S): Json;
  /** A state for the wire and storage. */
  encode(state: S): Json;
  /** The inverse of {@link Payload.encode}; throws naming the problem for malformed input. */
  decode(json: Json): S;
  /** An update from its JSON form (client requests, histories); throws naming the problem. */
  decodeOp(json: Json): Op;
}

/** A payload with its types erased, as nodes and options hold it. */
// biome-ignore lint: the erased form is the point
export type AnyPayload = Payload<any, any, Json>;

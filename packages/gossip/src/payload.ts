/**
 * What the gossip node needs of a replicated data type: a join-semilattice of states with a delta
 * mutator, and JSON forms for the wire, storage and histories. It is the part of
 * `@synod/crdt`'s `StateCrdt` the node uses, with the same member names, so every CRDT of that
 * package is a payload as it is (structural typing), and this package depends on no CRDT code.
 *
 * The node gives every update a dot — the origin replica and that replica's per-key sequence
 * number, durable, so unique across restarts. A key's state is one instance of the type, so the
 * dot's sequence is also the update's position among the origin's mutations of that instance
 * (what `StateCrdt.compact` and the OR-Set's event numbers count).
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** The unique id of one update of one key: its origin replica and the origin's sequence number for the key. */
export interface Dot {
  origin: NodeId;
  seq: number;
}

/**
 * A replicated data type as the gossip node carries it. `S` is the state (a join-semilattice
 * under {@link Payload.merge}; deltas are states), `Op` an update as a client asks for it, `V`
 * the value a read returns, `A` an update as applied.
 */
export interface Payload<S, Op, V, A = Op> {
  /** Its name in options and reports (`g-counter`, `or-set`). */
  readonly name: string;
  /** The least state: a key nobody has updated. */
  bottom(): S;
  /**
   * Apply `op` at `replica`: the new state, the delta (`merge(state, delta)` equals the new
   * state) and the operation as applied. Throws for an operation the type refuses.
   */
  mutate(state: S, replica: NodeId, op: Op): { readonly state: S; readonly delta: S; readonly applied: A };
  /** The least upper bound: commutative, associative, idempotent. */
  merge(a: S, b: S): S;
  /** The value a read at this state returns. */
  value(state: S): V;
  /** The JSON form of a value (what a read replies). `unknown` so any JSON type declaration fits. */
  valueToJson(value: V): unknown;
  /** A state's canonical JSON form, for the wire and storage. */
  toJson(state: S): unknown;
  /** The inverse of {@link Payload.toJson}; throws naming `where` and the problem. */
  fromJson(json: unknown, where?: string): S;
  /** An operation from its JSON form (client requests); throws naming `where` and the problem. */
  parseOp(json: unknown, where?: string): Op;
  /** The JSON form of an applied operation (what an update replies, for histories). */
  appliedToJson(applied: A): unknown;
  /**
   * Drop what causal stability makes redundant (an OR-Set's tombstone contexts), where the type
   * keeps any. The node calls it only with a `stable` cut every replica has incorporated.
   */
  compact?(state: S, stable: ReadonlyMap<NodeId, number>): S;
}

/** A payload with its types erased, as nodes and options hold it. */
// biome-ignore lint: the erased form is the point
export type AnyPayload = Payload<any, any, any, any>;

/** Which payload each key holds: one type for every key, or a type chosen by the key's name. */
export type PayloadChoice = AnyPayload | ((key: string) => AnyPayload);

/** The payload of `key` under `choice`. */
export function payloadOf(choice: PayloadChoice, key: string): AnyPayload {
  return typeof choice === "function" ? choice(key) : choice;
}

/**
 * The contract every state-based CRDT of this package meets, as a record of pure functions over
 * immutable states (Porcupine's model style): a join-semilattice (`bottom`, `merge`, `leq`), delta
 * mutators (Almeida, Shoker, Baquero: "Delta state replicated data types", 2018), the observed
 * value, a canonical JSON encoding, keyed parts for Merkle anti-entropy, and the type's
 * specification over a causally ordered set of updates (what a convergence judge checks reads
 * against).
 *
 * @module
 */
import { canonicalJson, CrdtInputError, type Json } from "./json.js";
import type { ReplicaId, VersionVector } from "./version-vector.js";

/**
 * The result of a delta mutator at one replica: the new state and the delta, a state of the
 * same lattice with `merge(old, delta)` equal to `state`, small enough to ship on its own.
 * `applied` is the operation as it took effect (with what the mutator chose: an HLC stamp, a
 * dot, the replica's sequence number), the form histories record and specifications read.
 */
export interface Mutation<S, A> {
  /** The replica's state after the operation. */
  readonly state: S;
  /** The delta: `merge(before, delta)` equals `state`; shipping it is enough to replicate the update. */
  readonly delta: S;
  /** The operation as it took effect, for histories and the type's specification. */
  readonly applied: A;
}

/**
 * An update as a specification sees it: who issued it, its place in that replica's sequence
 * (1, 2, ...), and the operation as applied. Happened-before between updates is given apart.
 */
export interface CausalUpdate<A> {
  /** Unique id, by convention `${replica}:${seq}`. */
  readonly id: string;
  /** The replica that issued it. */
  readonly replica: ReplicaId;
  /** Its position in its replica's updates, from 1. */
  readonly seq: number;
  /** The operation as applied (`Mutation.applied`). */
  readonly op: A;
}

/**
 * A state-based CRDT as plain functions. States are immutable values: no function mutates
 * its arguments. `merge` is the least upper bound of a join-semilattice whose least element is
 * `bottom()`: commutative, associative, idempotent, and inflationary (`leq(a, merge(a, b))`).
 *
 * @typeParam S - the state (also the type of deltas)
 * @typeParam Op - an operation as a client asks for it
 * @typeParam V - the value a read returns
 * @typeParam A - an operation as applied (`Mutation.applied`)
 */
export interface StateCrdt<S, Op, V, A = Op> {
  /** The type's name, e.g. `"g-counter"`, `"or-set"`; also in error messages. */
  readonly name: string;
  /** The least state: no update seen. */
  bottom(): S;
  /**
   * Applies `op` at `replica` (the delta mutator).
   * @throws CrdtInputError for an operation the type refuses (e.g. a negative increment)
   */
  mutate(state: S, replica: ReplicaId, op: Op): Mutation<S, A>;
  /** The join (least upper bound) of two states or deltas. */
  merge(a: S, b: S): S;
  /** `a` is below or equal to `b` in the lattice (`merge(a, b)` equals `b`). */
  leq(a: S, b: S): boolean;
  /** The two states are equal (same canonical encoding). */
  equals(a: S, b: S): boolean;
  /** The value a read at this state returns. */
  value(state: S): V;
  /** The canonical JSON form of a state (see {@link encodeState}). */
  toJson(state: S): Json;
  /**
   * A state from its JSON form.
   * @throws CrdtInputError naming the place in `json` and the problem
   */
  fromJson(json: unknown, where?: string): S;
  /**
   * The state cut into keyed pieces for Merkle anti-entropy: every key's piece is a state, and
   * merging a peer's piece for a key tells the receiver everything the sender knows about that
   * key. Merging all pieces gives back the state (for the OR-Set, up to the compacted floor,
   * which is local knowledge: see `orSet.compact`). Keys are sorted.
   */
  parts(state: S): ReadonlyMap<string, S>;
  /**
   * An operation from JSON (client input, a history file).
   * @throws CrdtInputError naming the place and the problem
   */
  parseOp(json: unknown, where?: string): Op;
  /** The JSON form of an applied operation (histories). */
  appliedToJson(applied: A): Json;
  /**
   * An applied operation from JSON (a history file).
   * @throws CrdtInputError naming the place and the problem
   */
  parseApplied(json: unknown, where?: string): A;
  /**
   * The applied form of `op` issued as `seq` at `replica` when it follows from the operation
   * alone (counters, sets, the OR-Set); absent where it depends on the state (an HLC stamp, a
   * version vector). A judge uses it for an update whose reply was lost.
   */
  appliedFromOp?(op: Op, replica: ReplicaId, seq: number): A;
  /** The JSON form of a value (what histories record for a read). */
  valueToJson(value: V): Json;
  /**
   * The specification: the value of a replica that has seen exactly `updates` (a causally
   * closed set), with `happenedBefore(a, b)` the causal order among them. This is the
   * sequential specification extended to concurrency as the type resolves it (add-wins for the
   * OR-Set, greatest stamp for LWW, all maximal writes for the MV-Register). `happenedBefore`
   * must order each replica's own updates by `seq` (a replica sees its earlier updates).
   */
  spec(updates: readonly CausalUpdate<A>[], happenedBefore: (a: CausalUpdate<A>, b: CausalUpdate<A>) => boolean): V;
  /**
   * Garbage-collects what causal stability makes redundant (the OR-Set's tombstones), for the
   * types that keep any. Precondition, which the caller (the gossip layer) must establish: every
   * replica has incorporated every update `(r, seq)` with `seq <= stable[r]`, where an update's
   * seq is its position among its replica's mutations (every `mutate` is one). Types without
   * such metadata do not define it.
   */
  compact?(state: S, stable: VersionVector): S;
  /**
   * The keys an applied operation touches, for judging key by key (P-compositionality): reads
   * are projected on a key with {@link StateCrdt.projectValue}. `undefined`: the type has one key.
   */
  keysOf?(applied: A): readonly string[];
  /** The part of a value JSON that concerns `key` (used with `keysOf`). */
  projectValue?(value: Json, key: string): Json;
}

/** Any CRDT of this package, for code that carries one without knowing which (gossip, judges). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCrdt = StateCrdt<any, any, any, any>;

/** The canonical encoded bytes of a state as a string: equal states give equal strings. */
export function encodeState<S>(crdt: StateCrdt<S, unknown, unknown, unknown>, state: S): string {
  return canonicalJson(crdt.toJson(state));
}

/**
 * Decodes a state from its canonical string (the inverse of {@link encodeState}).
 * @throws CrdtInputError naming `where` for text that is not JSON or not a state of the type
 */
export function decodeState<S>(crdt: StateCrdt<S, unknown, unknown, unknown>, text: string, where = `${crdt.name} state`): S {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CrdtInputError(where, `not JSON (${(e as Error).message})`);
  }
  return crdt.fromJson(json, where);
}

/** The id of an update by convention: `${replica}:${seq}`. */
export function updateId(replica: ReplicaId, seq: number): string {
  return `${replica}:${seq}`;
}

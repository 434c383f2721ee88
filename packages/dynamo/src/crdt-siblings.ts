/**
 * Sibling resolution by a CRDT (`@synod/crdt`), on the client side: when every value of a key is
 * the encoded state of one state-based CRDT, a get's siblings are resolved by merging them (a
 * join: no sibling's update is lost, whatever the order), and a put writes the merged state,
 * mutated, over the get's context, which supersedes every sibling the get returned. The store is
 * unchanged: siblings stay opaque strings to it, as Riak's data types keep them.
 *
 * Cost: one `merge` per sibling and one `mutate` per write, on the client; no extra messages.
 *
 * The writer's replica id (the CRDT's, e.g. an OR-Set dot's origin or a counter's entry) must be
 * unique per causal line of writes: a client id is safe only if that client always reads its own
 * previous write (strict R + W > N quorums); under R + W ≤ N or sloppy quorums a get may miss it,
 * and a second mutation from the older state would reuse its dot (an OR-Set) or its count (a
 * counter). {@link crdtPut} therefore takes the replica id from the caller; `${client}.${seq}` is
 * always safe, at the price of one version-vector entry per write.
 *
 * @module
 */
import { decodeState, encodeState, type StateCrdt } from "@synod/crdt";
import type { DynamoCommand } from "./messages.js";
import type { VersionVector } from "./version.js";

/** What {@link resolveSiblings} needs of a get's answer. */
export interface SiblingsRead {
  key: string;
  siblings: readonly { value: string; dot: string }[];
  context: VersionVector;
}

/**
 * The join of every sibling's state (the CRDT's bottom for a key with none).
 * @throws CrdtInputError naming the key and the sibling's dot when a value is not a state of `crdt`.
 */
export function resolveSiblings<S, Op, V, A>(crdt: StateCrdt<S, Op, V, A>, read: SiblingsRead): S {
  let state = crdt.bottom();
  for (const s of read.siblings) state = crdt.merge(state, decodeState(crdt as StateCrdt<S, unknown, unknown, unknown>, s.value, `${read.key} sibling ${s.dot}`));
  return state;
}

/**
 * The put that applies `op` as `replica` to the resolved state of `read` and writes it over the
 * read's context (so it replaces every sibling the read saw; writes it did not see stay siblings
 * and are merged by the next reader).
 */
export function crdtPut<S, Op, V, A>(crdt: StateCrdt<S, Op, V, A>, read: SiblingsRead, replica: string, op: Op): { command: DynamoCommand; state: S } {
  const m = crdt.mutate(resolveSiblings(crdt, read), replica, op);
  return { command: { op: "put", key: read.key, value: encodeState(crdt as StateCrdt<S, unknown, unknown, unknown>, m.state), context: { ...read.context } }, state: m.state };
}

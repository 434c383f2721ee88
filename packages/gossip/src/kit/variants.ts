/**
 * The CRDTs of the broken variants: each one bug a convergence judge must catch, built from
 * `@synod/crdt`'s correct types by replacing their merge.
 *
 * @module
 */
import { gCounter, orSet, type GCounterState, type OrSetEntry, type OrSetState, type StateCrdt } from "@synod/crdt";

/**
 * A G-Counter whose merge adds the two sides' counts instead of taking the maximum: commutative
 * and associative, but not idempotent, so a replica that joins what it has already seen (a
 * delta after the state that contains it, a duplicate) counts it twice.
 */
export const nonIdempotentCounter: typeof gCounter = {
  ...gCounter,
  name: "g-counter (merge adds: not idempotent)",
  merge(a: GCounterState, b: GCounterState): GCounterState {
    const out = new Map(a);
    for (const [r, n] of b) out.set(r, (out.get(r) ?? 0) + n);
    return out;
  },
};

/**
 * An OR-Set that lets a remove win: when one side holds an element removed (seen, nothing live)
 * the join drops the other side's live adds of it, even adds the remover never saw — concurrent
 * or later ones — where an observed-remove set keeps them (add-wins).
 */
export const removeWinsOrSet: StateCrdt<OrSetState, Parameters<typeof orSet.mutate>[2], ReturnType<typeof orSet.value>, ReturnType<typeof orSet.mutate>["applied"]> = {
  ...orSet,
  name: "or-set (remove wins: drops concurrent adds)",
  merge(a: OrSetState, b: OrSetState): OrSetState {
    const joined = orSet.merge(a, b);
    const removed = (s: OrSetState, e: string): boolean => {
      const en = s.elems.get(e);
      return en !== undefined && en.live.size === 0 && en.ctx.size > 0;
    };
    const elems = new Map<string, OrSetEntry>();
    let changed = false;
    for (const [e, en] of joined.elems) {
      if ((removed(a, e) || removed(b, e)) && en.live.size > 0) {
        elems.set(e, { live: new Map(), ctx: en.ctx });
        changed = true;
      } else elems.set(e, en);
    }
    return changed ? { floor: joined.floor, elems } : joined;
  },
};

/**
 * 2P-Set: a set where an element can be added and then removed once, for good: a G-Set of adds
 * and a G-Set of removes (tombstones); the value is adds minus removes (Shapiro et al. 2011,
 * spec. 12). A remove needs the element in the replica's set (the sequential precondition); an
 * add of a removed element has no effect.
 *
 * @module
 */
import type { StateCrdt } from "./crdt.js";
import { gSet, stringSetFromJson, type GSetState } from "./g-set.js";
import { CrdtInputError, compareStrings, expectKeys, expectObject, expectString } from "./json.js";

/** A 2P-Set state. */
export interface TwoPhaseSetState {
  /** Every element ever added. */
  readonly added: GSetState;
  /** Every element ever removed (tombstones). */
  readonly removed: GSetState;
}

/** Add or remove an element. */
export type TwoPhaseSetOp = { readonly type: "add" | "remove"; readonly elem: string };

function parseOp(json: unknown, where = "2p-set op"): TwoPhaseSetOp {
  const o = expectObject(json, where);
  if (o.type !== "add" && o.type !== "remove") throw new CrdtInputError(`${where}.type`, `expected "add" or "remove", got ${JSON.stringify(o.type)}`);
  expectKeys(o, ["type", "elem"], where);
  return { type: o.type, elem: expectString(o.elem, `${where}.elem`) };
}

function value(s: TwoPhaseSetState): ReadonlySet<string> {
  const out = new Set<string>();
  for (const e of s.added) if (!s.removed.has(e)) out.add(e);
  return out;
}

/** The 2P-Set. */
export const twoPhaseSet: StateCrdt<TwoPhaseSetState, TwoPhaseSetOp, ReadonlySet<string>> = {
  name: "2p-set",
  bottom: () => ({ added: new Set(), removed: new Set() }),
  mutate(state, _replica, op) {
    if (op.type === "remove" && !value(state).has(op.elem)) {
      throw new CrdtInputError("2p-set remove", `${JSON.stringify(op.elem)} is not in the set (a 2P-Set removes only an element it holds)`);
    }
    const one = new Set([op.elem]);
    // A remove's delta carries the add too, so every state (deltas included) has removed within added.
    const delta: TwoPhaseSetState = { added: one, removed: op.type === "remove" ? one : new Set() };
    return { state: twoPhaseSet.merge(state, delta), delta, applied: { type: op.type, elem: op.elem } };
  },
  merge: (a, b) => ({ added: gSet.merge(a.added, b.added), removed: gSet.merge(a.removed, b.removed) }),
  leq: (a, b) => gSet.leq(a.added, b.added) && gSet.leq(a.removed, b.removed),
  equals: (a, b) => gSet.equals(a.added, b.added) && gSet.equals(a.removed, b.removed),
  value,
  toJson: (s) => ({ added: gSet.toJson(s.added), removed: gSet.toJson(s.removed) }),
  fromJson(json, where = "2p-set state") {
    const o = expectObject(json, where);
    expectKeys(o, ["added", "removed"], where);
    const added = stringSetFromJson(o.added, `${where}.added`);
    const removed = stringSetFromJson(o.removed, `${where}.removed`);
    for (const e of removed) if (!added.has(e)) throw new CrdtInputError(`${where}.removed`, `${JSON.stringify(e)} is removed but was never added`);
    return { added, removed };
  },
  parts(s) {
    const out = new Map<string, TwoPhaseSetState>();
    for (const e of [...s.added].sort(compareStrings)) out.set(e, { added: new Set([e]), removed: s.removed.has(e) ? new Set([e]) : new Set() });
    return out;
  },
  parseOp,
  appliedFromOp: (op) => ({ type: op.type, elem: op.elem }),
  appliedToJson: (a) => ({ type: a.type, elem: a.elem }),
  parseApplied: (json, where = "2p-set applied op") => parseOp(json, where),
  valueToJson: (v) => [...v].sort(compareStrings),
  spec(updates) {
    const added = new Set(updates.filter((u) => u.op.type === "add").map((u) => u.op.elem));
    for (const u of updates) if (u.op.type === "remove") added.delete(u.op.elem);
    return added;
  },
  keysOf: (a) => [a.elem],
  projectValue: (value, key) => Array.isArray(value) && value.includes(key),
};

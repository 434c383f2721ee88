/**
 * G-Set: a grow-only set of strings; merge is union (Shapiro et al. 2011, spec. 11).
 *
 * @module
 */
import type { StateCrdt } from "./crdt.js";
import { CrdtInputError, compareStrings, expectArray, expectKeys, expectObject, expectString } from "./json.js";

/** A G-Set state (also its value). */
export type GSetState = ReadonlySet<string>;

/** Add an element. */
export interface GSetOp {
  readonly type: "add";
  readonly elem: string;
}

function union(a: GSetState, b: GSetState): GSetState {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Set(a);
  for (const e of b) out.add(e);
  return out;
}

function subset(a: GSetState, b: GSetState): boolean {
  for (const e of a) if (!b.has(e)) return false;
  return true;
}

function parseOp(json: unknown, where = "g-set op"): GSetOp {
  const o = expectObject(json, where);
  if (o.type !== "add") throw new CrdtInputError(`${where}.type`, `expected "add", got ${JSON.stringify(o.type)}`);
  expectKeys(o, ["type", "elem"], where);
  return { type: "add", elem: expectString(o.elem, `${where}.elem`) };
}

/** @internal A set of strings from a JSON array, refusing duplicates. */
export function stringSetFromJson(json: unknown, where: string): Set<string> {
  const out = new Set<string>();
  for (const [i, e] of expectArray(json, where).entries()) {
    const s = expectString(e, `${where}[${i}]`);
    if (out.has(s)) throw new CrdtInputError(`${where}[${i}]`, `${JSON.stringify(s)} appears twice`);
    out.add(s);
  }
  return out;
}

/** The G-Set. */
export const gSet: StateCrdt<GSetState, GSetOp, ReadonlySet<string>> = {
  name: "g-set",
  bottom: () => new Set(),
  mutate(state, _replica, op) {
    const delta = new Set([op.elem]);
    return { state: union(state, delta), delta, applied: { type: "add", elem: op.elem } };
  },
  merge: union,
  leq: subset,
  equals: (a, b) => a.size === b.size && subset(a, b),
  value: (s) => s,
  toJson: (s) => [...s].sort(compareStrings),
  fromJson: (json, where = "g-set state") => stringSetFromJson(json, where),
  parts(s) {
    const out = new Map<string, GSetState>();
    for (const e of [...s].sort(compareStrings)) out.set(e, new Set([e]));
    return out;
  },
  parseOp,
  appliedFromOp: (op) => ({ type: "add", elem: op.elem }),
  appliedToJson: (a) => ({ type: a.type, elem: a.elem }),
  parseApplied: (json, where = "g-set applied op") => parseOp(json, where),
  valueToJson: (v) => [...v].sort(compareStrings),
  spec: (updates) => new Set(updates.map((u) => u.op.elem)),
  keysOf: (a) => [a.elem],
  projectValue: (value, key) => Array.isArray(value) && value.includes(key),
};

/**
 * A G-Counter written against the gossip payload interface, for the node's own tests (the real
 * CRDTs live in @synod/crdt). Its update takes `{ inc: n }`.
 */
import type { Json } from "@synod/protocol";
import type { Payload } from "../../src/index.js";

type Counts = Record<string, number>;

export const testCounter: Payload<Counts, number, Json> = {
  name: "test-gcounter",
  empty: () => ({}),
  update(state, by, dot) {
    const next = (state[dot.origin] ?? 0) + by;
    return { state: { ...state, [dot.origin]: next }, delta: { [dot.origin]: next } };
  },
  merge(a, b) {
    const out: Counts = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
    return out;
  },
  read: (s) => Object.values(s).reduce((x, y) => x + y, 0),
  encode: (s) => ({ ...s }),
  decode(j) {
    if (typeof j !== "object" || j === null || Array.isArray(j)) throw new Error("a counter state is an object");
    return { ...(j as Counts) };
  },
  decodeOp(j) {
    const by = (j as { inc?: unknown } | null)?.inc;
    if (!Number.isSafeInteger(by) || (by as number) < 1) throw new Error(`a counter update is { inc: n ≥ 1 }, got ${JSON.stringify(j)}`);
    return by as number;
  },
};

/**
 * A G-Counter written against the gossip payload interface, for the node's own unit tests (the
 * real CRDTs live in @synod/crdt; the kit's tests use those). Its update takes `{ inc: n }`.
 */
import type { Json } from "@synod/protocol";
import type { Payload } from "../../src/index.js";

type Counts = Record<string, number>;

export const testCounter: Payload<Counts, number, number, number> = {
  name: "test-gcounter",
  bottom: () => ({}),
  mutate(state, replica, by) {
    const next = (state[replica] ?? 0) + by;
    return { state: { ...state, [replica]: next }, delta: { [replica]: next }, applied: by };
  },
  merge(a, b) {
    const out: Counts = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
    return out;
  },
  value: (s) => Object.values(s).reduce((x, y) => x + y, 0),
  valueToJson: (v) => v,
  toJson: (s) => ({ ...s }),
  fromJson(j, where = "state") {
    if (typeof j !== "object" || j === null || Array.isArray(j)) throw new Error(`${where}: a counter state is an object`);
    return { ...(j as Counts) };
  },
  parseOp(j, where = "op") {
    const by = (j as { inc?: unknown } | null)?.inc;
    if (!Number.isSafeInteger(by) || (by as number) < 1) throw new Error(`${where}: a counter update is { inc: n ≥ 1 }, got ${JSON.stringify(j)}`);
    return by as number;
  },
  appliedToJson: (a): Json => ({ inc: a }),
};

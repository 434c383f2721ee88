/**
 * PN-Counter: a counter that goes up and down, as two G-Counters (increments P, decrements N);
 * the value is P - N (Shapiro et al. 2011, spec. 7).
 *
 * @module
 */
import type { Mutation, StateCrdt } from "./crdt.js";
import { gCounter, type GCounterState } from "./g-counter.js";
import { CrdtInputError, expectInt, expectKeys, expectObject } from "./json.js";

/** A PN-Counter state. */
export interface PnCounterState {
  /** Increments per replica. */
  readonly p: GCounterState;
  /** Decrements per replica. */
  readonly n: GCounterState;
}

/** Add or subtract `by` (default 1, non-negative). */
export interface PnCounterOp {
  readonly type: "inc" | "dec";
  readonly by?: number;
}

/** An operation as applied. */
export interface PnCounterApplied {
  readonly type: "inc" | "dec";
  readonly by: number;
}

function parseOp(json: unknown, where = "pn-counter op"): PnCounterOp {
  const o = expectObject(json, where);
  if (o.type !== "inc" && o.type !== "dec") throw new CrdtInputError(`${where}.type`, `expected "inc" or "dec", got ${JSON.stringify(o.type)}`);
  expectKeys(o, "by" in o ? ["type", "by"] : ["type"], where);
  return "by" in o ? { type: o.type, by: expectInt(o.by, `${where}.by`) } : { type: o.type };
}

/** The PN-Counter. */
export const pnCounter: StateCrdt<PnCounterState, PnCounterOp, number, PnCounterApplied> = {
  name: "pn-counter",
  bottom: () => ({ p: new Map(), n: new Map() }),
  mutate(state, replica, op): Mutation<PnCounterState, PnCounterApplied> {
    const side = op.type === "inc" ? "p" : "n";
    const m = gCounter.mutate(state[side], replica, { type: "inc", by: op.by ?? 1 });
    const delta: PnCounterState = side === "p" ? { p: m.delta, n: new Map() } : { p: new Map(), n: m.delta };
    return { state: { ...state, [side]: m.state }, delta, applied: { type: op.type, by: m.applied.by } };
  },
  merge: (a, b) => ({ p: gCounter.merge(a.p, b.p), n: gCounter.merge(a.n, b.n) }),
  leq: (a, b) => gCounter.leq(a.p, b.p) && gCounter.leq(a.n, b.n),
  equals: (a, b) => gCounter.equals(a.p, b.p) && gCounter.equals(a.n, b.n),
  value: (s) => gCounter.value(s.p) - gCounter.value(s.n),
  toJson: (s) => ({ n: gCounter.toJson(s.n), p: gCounter.toJson(s.p) }),
  fromJson(json, where = "pn-counter state") {
    const o = expectObject(json, where);
    expectKeys(o, ["p", "n"], where);
    return { p: gCounter.fromJson(o.p, `${where}.p`), n: gCounter.fromJson(o.n, `${where}.n`) };
  },
  parts(s) {
    const out = new Map<string, PnCounterState>();
    for (const [r, p] of gCounter.parts(s.n)) out.set(`n/${r}`, { p: new Map(), n: p });
    for (const [r, p] of gCounter.parts(s.p)) out.set(`p/${r}`, { p, n: new Map() });
    return out;
  },
  parseOp,
  appliedFromOp: (op) => ({ type: op.type, by: op.by ?? 1 }),
  appliedToJson: (a) => ({ type: a.type, by: a.by }),
  parseApplied(json, where = "pn-counter applied op") {
    const op = parseOp(json, where);
    if (op.by === undefined) throw new CrdtInputError(where, 'missing field "by"');
    return { type: op.type, by: op.by };
  },
  valueToJson: (v) => v,
  spec(updates) {
    let sum = 0;
    for (const u of updates) sum += u.op.type === "inc" ? u.op.by : -u.op.by;
    return sum;
  },
};

// The memo of pure predicates by the values of the variables they read (src/check/predicate-memo.ts):
// the data structure on its own, then searches that use it for invariants, CONSTRAINTs,
// ACTION_CONSTRAINTs and action properties whose reads depend on the state, against TLC 2.20's
// figures (`-workers 1 -deadlock`, measured on these specs) and against the same search without it.
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import { ReadsMemo } from "../../src/check/predicate-memo.js";
import type { ActionPredicate, CompiledModel, StatePredicate } from "../../src/model.js";
import { valueOps } from "../../src/values/ops.js";
import { setOf } from "../../src/values/sets.js";
import { tuple } from "../../src/values/value.js";
import { load } from "../core/helpers.js";

describe("ReadsMemo", () => {
  it("answers only for equal values at the slots the row marks", () => {
    const row = new Uint8Array(3);
    const memo = new ReadsMemo(valueOps, [row]);
    expect(memo.lookup([[1, 2, 3]])).toBeUndefined();
    row[1] = 1; // the evaluation read slot 1
    memo.remember([[1, 2, 3]], true);
    expect(memo.lookup([[9, 2, 9]])).toBe(true); // slots 0 and 2 were not read
    expect(memo.lookup([[1, 5, 3]])).toBeUndefined();
    memo.remember([[1, 5, 3]], false);
    expect(memo.lookup([[0, 5, 0]])).toBe(false);
  });

  it("matches equal values that are distinct objects (a rebuilt set or record)", () => {
    const row = Uint8Array.of(1, 0);
    const memo = new ReadsMemo(valueOps, [row]);
    memo.remember([[setOf([tuple([1, "a"]), tuple([2, "b"])]), 0]], true);
    expect(memo.lookup([[setOf([tuple([2, "b"]), tuple([1, "a"])]), 7]])).toBe(true);
    expect(memo.lookup([[setOf([tuple([2, "b"])]), 7]])).toBeUndefined();
    // Values of different kinds at a slot are simply different (no equality error).
    expect(memo.lookup([["x", 7]])).toBeUndefined();
  });

  it("forgets everything when a row grows: old entries did not key on the new slot", () => {
    const row = Uint8Array.of(1, 0);
    const memo = new ReadsMemo(valueOps, [row]);
    memo.remember([[1, 1]], true);
    expect(memo.lookup([[1, 2]])).toBe(true);
    row[1] = 1; // a later evaluation (say on x = 2) read slot 1 too
    expect(memo.lookup([[1, 2]])).toBeUndefined();
    expect(memo.lookup([[1, 1]])).toBeUndefined();
    memo.remember([[1, 1]], true);
    expect(memo.lookup([[1, 1]])).toBe(true);
    expect(memo.lookup([[1, 2]])).toBeUndefined();
  });

  it("keys an action predicate on both states: unprimed and primed reads apart", () => {
    const reads = Uint8Array.of(1, 0);
    const readsNext = Uint8Array.of(0, 1);
    const memo = new ReadsMemo(valueOps, [reads, readsNext]);
    memo.remember([[1, 1], [2, 2]], false);
    expect(memo.lookup([[1, 0], [0, 2]])).toBe(false);
    expect(memo.lookup([[2, 0], [0, 2]])).toBeUndefined();
    expect(memo.lookup([[1, 0], [0, 1]])).toBeUndefined();
    // The same values the other way round are another step.
    expect(memo.lookup([[2, 0], [0, 1]])).toBeUndefined();
  });

  it("keeps every entry as its table grows (open addressing, moved on resize)", () => {
    const row = Uint8Array.of(1, 0, 1);
    const memo = new ReadsMemo(valueOps, [row]);
    // 1,500 combinations of two keyed slots, answers alternating; more lookups than entries so the
    // memo stays on. The table starts at 64 places and is moved five times.
    for (let i = 0; i < 1500; i++) {
      expect(memo.lookup([[i % 50, -1, Math.floor(i / 50)]])).toBeUndefined();
      memo.remember([[i % 50, -1, Math.floor(i / 50)]], i % 3 === 0);
      for (let j = 0; j <= i; j += 97) expect(memo.lookup([[j % 50, i, Math.floor(j / 50)]])).toBe(j % 3 === 0);
    }
    for (let i = 0; i < 1500; i++) expect(memo.lookup([[i % 50, 0, Math.floor(i / 50)]])).toBe(i % 3 === 0);
    expect(memo.lookup([[50, 0, 0]])).toBeUndefined();
    expect(memo.enabled).toBe(true);
  });

  it("turns itself off when a later window of lookups rarely hits", () => {
    const memo = new ReadsMemo(valueOps, [Uint8Array.of(1)]);
    memo.remember([[0]], true);
    for (let i = 0; i < 2048; i++) expect(memo.lookup([[0]])).toBe(true);
    expect(memo.enabled).toBe(true);
    for (let i = 1; i <= 2048; i++) {
      memo.lookup([[i]]);
      memo.remember([[i]], true);
    }
    expect(memo.enabled).toBe(false);
  });

  it("turns itself off when it rarely hits, and starts over past its capacity", () => {
    const row = Uint8Array.of(1);
    const memo = new ReadsMemo(valueOps, [row]);
    for (let i = 0; i < 3000; i++) {
      expect(memo.lookup([[i]])).toBeUndefined();
      memo.remember([[i]], true);
    }
    expect(memo.enabled).toBe(false);
    expect(memo.lookup([[1]])).toBeUndefined();

    const small = new ReadsMemo(valueOps, [Uint8Array.of(1)], 4);
    for (let i = 0; i < 4; i++) small.remember([[i]], true);
    expect(small.lookup([[3]])).toBe(true);
    small.remember([[4]], true); // the fifth entry: the memo starts over
    expect(small.lookup([[0]])).toBeUndefined();
    expect(small.lookup([[4]])).toBe(true);
  });
});

/** The same model with predicates that cannot report their reads: nothing is memoised or skipped. */
function unmemoised(model: CompiledModel): CompiledModel {
  const state = (ps: readonly StatePredicate[]): StatePredicate[] => ps.map((p) => ({ name: p.name, holds: (s, c) => p.holds(s, c) }));
  const action = (ps: readonly ActionPredicate[]): ActionPredicate[] => ps.map((p) => ({ name: p.name, holds: (s, t, c) => p.holds(s, t, c) }));
  return Object.create(model, {
    invariants: { value: state(model.invariants) },
    constraints: { value: state(model.constraints) },
    actionConstraints: { value: action(model.actionConstraints) },
    actionProperties: { value: action(model.actionProperties) },
  }) as CompiledModel;
}

const NEXT = `Init == x = 0 /\\ y = 0 /\\ z = 0
Next == \\/ x' = (x + 1) % 3 /\\ UNCHANGED <<y, z>>
        \\/ y < 4 /\\ y' = y + 1 /\\ UNCHANGED <<x, z>>
        \\/ z < 5 /\\ z' = z + 1 /\\ UNCHANGED <<x, y>>`;

const specs = {
  // The CONSTRAINT reads y only where x = 2 and the invariant reads x and z only where y = 3: a
  // memo keyed on the first reads alone would answer wrongly once x = 2 or y = 3 is reached.
  CondConstraint: {
    source: `---- MODULE CondConstraint ----
EXTENDS Naturals
VARIABLES x, y, z
${NEXT}
Small == IF x = 2 THEN y <= 2 ELSE TRUE
Inv == IF y = 3 THEN x # 1 \\/ z < 4 ELSE TRUE
====
`,
    cfg: "INIT Init\nNEXT Next\nCONSTRAINT Small\nINVARIANT Inv\n",
    tlc: { verdict: "invariant", name: "Inv", distinct: 70, generated: 174, depth: 9, traceLength: 9 },
  },
  // The action property reads y' and z only where x = 2; the ACTION_CONSTRAINT reads y' only
  // where x' = 1. The violation comes after many steps it held on.
  CondProperty: {
    source: `---- MODULE CondProperty ----
EXTENDS Naturals
VARIABLES x, y, z
${NEXT}
        \\/ z = 5 /\\ y > 0 /\\ y' = y - 1 /\\ UNCHANGED <<x, z>>
Monotone == [][x = 2 => (y' >= y \\/ z < 5)]_<<x, y, z>>
Change == x' # 1 \\/ y' <= 3
====
`,
    cfg: "INIT Init\nNEXT Next\nPROPERTY Monotone\nACTION_CONSTRAINT Change\n",
    tlc: { verdict: "property", name: "Monotone", distinct: 79, generated: 207, depth: 10, traceLength: 10 },
  },
  // A CONSTRAINT whose conjuncts are remembered apart: the second would divide by zero where
  // the first is false (y = 4), so they must still be evaluated in order, stopping at a false one.
  ConjConstraint: {
    source: `---- MODULE ConjConstraint ----
EXTENDS Naturals
VARIABLES x, y, z
${NEXT}
Bounded == /\\ y <= 3
           /\\ 12 \\div (4 - y) > 0
           /\\ z + y < 7
Inv == x + y + z < 9
====
`,
    cfg: "INIT Init\nNEXT Next\nCONSTRAINT Bounded\nINVARIANT Inv\n",
    tlc: { verdict: "invariant", name: "Inv", distinct: 63, generated: 178, depth: 9, traceLength: 10 },
  },
} as const;

describe("searches with memoised predicates", () => {
  it.each(Object.keys(specs) as (keyof typeof specs)[])("%s: TLC's verdict, counts and trace, as without the memo", async (name) => {
    const { source, cfg, tlc } = specs[name];
    const model = await load(source, cfg);
    const memoised = await checkModel(model, { deadlock: false });
    expect(memoised).toMatchObject(tlc);
    const plain = await checkModel(unmemoised(model), { deadlock: false });
    expect(plain).toMatchObject(tlc);
    expect(memoised.trace!.map((s) => model.values.format(s.state))).toEqual(plain.trace!.map((s) => model.values.format(s.state)));
  });

  it("splits a CONSTRAINT into its conjuncts", async () => {
    const { source, cfg } = specs.ConjConstraint;
    const model = await load(source, cfg);
    expect(model.constraints[0]!.conjuncts).toHaveLength(3);
  });

  it("evaluates a CONSTRAINT once per combination of the values it reads", async () => {
    // Small reads x, and y where x = 2: 3 values of x, 5 of y; every generated state is tested.
    const { source, cfg } = specs.CondConstraint;
    const model = await load(source, cfg.replace("INVARIANT Inv\n", ""));
    let evaluations = 0;
    const counted = model.constraints.map((p): StatePredicate => ({
      ...p,
      holdsReading: (s, c, reads) => {
        evaluations++;
        return p.holdsReading!(s, c, reads);
      },
    }));
    const r = await checkModel(Object.create(model, { constraints: { value: counted } }) as CompiledModel, { deadlock: false });
    expect(r.verdict).toBe("ok");
    expect(r.generated).toBeGreaterThan(100);
    // At most one per value of x before y is read, then (after the row grows) one per (x, y).
    expect(evaluations).toBeLessThanOrEqual(3 + 3 * 5);
  });
});

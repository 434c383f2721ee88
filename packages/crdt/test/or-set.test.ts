import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CrdtInputError, orSet, orSetSize, type OrSetOp } from "../src/index.js";
import { execute, lawProperties, params, stepsArb } from "./harness.js";

const op: fc.Arbitrary<OrSetOp> = fc.record({ type: fc.constantFrom("add" as const, "remove" as const), elem: fc.constantFrom("a", "b", "c") });

describe("or-set", () => {
  it("satisfies the lattice laws and the add-wins specification (with compaction and stale states)", () => {
    lawProperties({ crdt: orSet, op }, 250);
  });

  it("lets a concurrent add win over a remove", () => {
    const base = orSet.mutate(orSet.bottom(), "n1", { type: "add", elem: "x" }).state;
    const removed = orSet.mutate(base, "n2", { type: "remove", elem: "x" }).state;
    const readded = orSet.mutate(base, "n1", { type: "add", elem: "x" }).state;
    expect([...orSet.value(orSet.merge(removed, readded))]).toEqual(["x"]);
    expect([...orSet.value(removed)]).toEqual([]);
  });

  it("does not grow with removed elements once they are causally stable", () => {
    let a = orSet.bottom();
    let b = orSet.bottom();
    for (let i = 0; i < 200; i++) {
      a = orSet.mutate(a, "n1", { type: "add", elem: `e${i}` }).state;
      a = orSet.mutate(a, "n1", { type: "remove", elem: `e${i}` }).state;
      b = orSet.merge(b, a);
    }
    expect(orSetSize(a).elems).toBe(200); // tombstone contexts, until stability is known
    const stable = new Map([["n1", 400]]); // both replicas have every one of n1's 400 updates
    a = orSet.compact!(a, stable);
    b = orSet.compact!(b, stable);
    expect(orSetSize(a)).toEqual({ elems: 0, dots: 1 });
    // A stale copy of an old add arriving after compaction does not bring the element back.
    const stale = orSet.mutate(orSet.bottom(), "n1", { type: "add", elem: "e0" }).state;
    expect(orSet.value(orSet.merge(a, stale)).size).toBe(0);
    expect(orSetSize(orSet.merge(a, stale))).toEqual({ elems: 0, dots: 1 });
  });

  it("keeps the state bounded by the live elements over long random runs with compaction", () => {
    fc.assert(
      fc.property(stepsArb(op, 120), (steps) => {
        const pool = execute({ crdt: orSet, op }, 3, [...steps, { kind: "merge", from: 0, to: 1 }], true);
        for (const s of pool) {
          // live elements hold at most one dot per replica (3) and a context of at most 3 entries;
          // removed elements above the floor at most a context of 3.
          for (const en of s.elems.values()) expect(en.live.size + en.ctx.size).toBeLessThanOrEqual(6);
        }
      }),
      params("or-set bounded", 60),
    );
  });

  it("refuses a state not in normal form, naming the place", () => {
    expect(() => orSet.fromJson({ floor: {}, elems: { x: { live: { n1: 2 }, ctx: { n1: 1 } } } })).toThrow(
      'or-set state.elems["x"].live.n1: live dot 2 is not covered by the context or the floor',
    );
    expect(() => orSet.fromJson({ floor: {}, elems: {} , extra: 1})).toThrow(CrdtInputError);
  });
});

describe("or-set parts after compaction", () => {
  it("a piece carries the floor's coverage of its element, so a dot removed and compacted away cannot survive elsewhere", () => {
    // n2 adds x; everyone has it (the cut covers n2's add); n1 removes x, then compacts at that cut,
    // which drops the context entry of n2's dot; n3 gets only n1's piece for x.
    const added = orSet.mutate(orSet.bottom(), "n2", { type: "add", elem: "x" }).state;
    let n1 = orSet.merge(orSet.bottom(), added);
    const n3 = orSet.merge(orSet.bottom(), added);
    n1 = orSet.mutate(n1, "n1", { type: "remove", elem: "x" }).state;
    n1 = orSet.compact!(n1, new Map([["n2", 1]]));
    const piece = orSet.parts(n1).get("x")!;
    expect(orSet.value(orSet.merge(n3, piece)).size).toBe(0);
    expect(orSet.value(n1).size).toBe(0);
  });
});

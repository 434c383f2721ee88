import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareHlc,
  CrdtInputError,
  crdtByName,
  crdtTypes,
  gSet,
  lwwMap,
  lwwRegister,
  mvRegister,
  pnCounter,
  twoPhaseSet,
  type LwwMapOp,
  type TwoPhaseSetOp,
} from "../src/index.js";
import { lawProperties } from "./harness.js";

const elem = fc.constantFrom("a", "b", "c");
const nowMs = fc.nat({ max: 20 });

describe("pn-counter", () => {
  it("satisfies the lattice laws and its specification", () => {
    lawProperties({ crdt: pnCounter, op: fc.record({ type: fc.constantFrom("inc" as const, "dec" as const), by: fc.nat({ max: 5 }) }) });
  });
  it("goes down as well as up", () => {
    const a = pnCounter.mutate(pnCounter.bottom(), "n1", { type: "inc", by: 5 }).state;
    const b = pnCounter.mutate(a, "n2", { type: "dec", by: 7 }).state;
    expect(pnCounter.value(pnCounter.merge(a, b))).toBe(-2);
  });
});

describe("g-set", () => {
  it("satisfies the lattice laws and its specification", () => {
    lawProperties({ crdt: gSet, op: fc.record({ type: fc.constant("add" as const), elem }) });
  });
});

describe("2p-set", () => {
  const op: fc.Arbitrary<TwoPhaseSetOp> = fc.record({ type: fc.constantFrom("add" as const, "remove" as const), elem });
  it("satisfies the lattice laws and its specification (remove only what is held)", () => {
    lawProperties({ crdt: twoPhaseSet, op, allowed: (s, o) => o.type === "add" || twoPhaseSet.value(s).has(o.elem) });
  });
  it("never brings a removed element back, and refuses to remove what it does not hold", () => {
    let s = twoPhaseSet.mutate(twoPhaseSet.bottom(), "n1", { type: "add", elem: "x" }).state;
    s = twoPhaseSet.mutate(s, "n1", { type: "remove", elem: "x" }).state;
    s = twoPhaseSet.mutate(s, "n2", { type: "add", elem: "x" }).state;
    expect(twoPhaseSet.value(s).size).toBe(0);
    expect(() => twoPhaseSet.mutate(twoPhaseSet.bottom(), "n1", { type: "remove", elem: "y" })).toThrow('2p-set remove: "y" is not in the set');
  });
});

describe("lww-register", () => {
  it("satisfies the lattice laws and its specification; stamps grow along causality", () => {
    lawProperties({
      crdt: lwwRegister,
      op: fc.record({ type: fc.constant("set" as const), value: fc.nat({ max: 9 }), nowMs }),
      causal: (a, b) => compareHlc(a.stamp, b.stamp) < 0,
    });
  });
  it("lets a write that saw another win even when its physical clock is behind", () => {
    const first = lwwRegister.mutate(lwwRegister.bottom(), "n2", { type: "set", value: "old", nowMs: 1000 }).state;
    const second = lwwRegister.mutate(first, "n1", { type: "set", value: "new", nowMs: 5 });
    expect(second.applied.stamp).toEqual({ wallMs: 1000, logical: 1 });
    expect(lwwRegister.value(lwwRegister.merge(first, second.state))).toBe("new");
  });
  it("breaks a tie of stamps by replica id", () => {
    const a = lwwRegister.mutate(null, "n1", { type: "set", value: "a", nowMs: 7 }).state;
    const b = lwwRegister.mutate(null, "n2", { type: "set", value: "b", nowMs: 7 }).state;
    expect(lwwRegister.value(lwwRegister.merge(a, b))).toBe("b");
    expect(lwwRegister.value(lwwRegister.merge(b, a))).toBe("b");
  });
});

describe("mv-register", () => {
  it("satisfies the lattice laws and its specification (every maximal write)", () => {
    lawProperties({ crdt: mvRegister, op: fc.record({ type: fc.constant("set" as const), value: fc.nat({ max: 9 }) }) });
  });
  it("keeps concurrent writes until a write that saw them", () => {
    const a = mvRegister.mutate([], "n1", { type: "set", value: 1 }).state;
    const b = mvRegister.mutate([], "n2", { type: "set", value: 2 }).state;
    const both = mvRegister.merge(a, b);
    expect(mvRegister.value(both)).toEqual([1, 2]);
    expect(mvRegister.value(mvRegister.mutate(both, "n3", { type: "set", value: 3 }).state)).toEqual([3]);
  });
});

describe("lww-map", () => {
  const op: fc.Arbitrary<LwwMapOp> = fc.oneof(
    fc.record({ type: fc.constant("set" as const), key: elem, value: fc.nat({ max: 9 }), nowMs }),
    fc.record({ type: fc.constant("delete" as const), key: elem, nowMs }),
  );
  it("satisfies the lattice laws and its specification; stamps grow along causality", () => {
    lawProperties({ crdt: lwwMap, op, causal: (a, b) => a.key !== b.key || compareHlc(a.stamp, b.stamp) < 0 });
  });
  it("deletes with a tombstone a stale set cannot undo", () => {
    const set = lwwMap.mutate(lwwMap.bottom(), "n1", { type: "set", key: "k", value: 1, nowMs: 1 }).state;
    const del = lwwMap.mutate(set, "n2", { type: "delete", key: "k", nowMs: 1 }).state;
    expect(lwwMap.value(lwwMap.merge(del, set)).size).toBe(0);
  });
});

describe("registry and input errors", () => {
  it("finds every type by name and names unknown ones", () => {
    for (const [name, c] of Object.entries(crdtTypes)) expect(crdtByName(name)).toBe(c);
    expect(() => crdtByName("x-set")).toThrow(/unknown type "x-set" \(known: g-counter, pn-counter/);
  });
  it("refuses malformed operations, naming the place", () => {
    expect(() => lwwMap.parseOp({ type: "set", key: "k", value: null, nowMs: 1 })).toThrow("lww-map op.value: null is not a value (use delete)");
    expect(() => mvRegister.fromJson([{ value: 1, vv: { n1: 1 } }, { value: 2, vv: { n1: 2 } }])).toThrow(CrdtInputError);
    expect(() => lwwRegister.parseOp({ type: "set", value: 1 })).toThrow('lww-register op: missing field "nowMs"');
    expect(() => pnCounter.fromJson({ p: {}, n: { n1: -1 } })).toThrow("pn-counter state.n.n1: expected an integer >= 1, got -1");
  });
});

describe("applied form from the operation alone", () => {
  it("matches what mutate applies, where the type defines it", () => {
    const cases: [string, unknown][] = [
      ["g-counter", { type: "inc", by: 2 }],
      ["pn-counter", { type: "dec" }],
      ["g-set", { type: "add", elem: "x" }],
      ["2p-set", { type: "add", elem: "x" }],
      ["or-set", { type: "remove", elem: "x" }],
    ];
    for (const [name, json] of cases) {
      const c = crdtByName(name);
      const op = c.parseOp(json);
      let s = c.bottom();
      s = c.mutate(s, "n1", c.parseOp(name === "g-counter" || name === "pn-counter" ? { type: "inc" } : { type: "add", elem: "y" })).state;
      expect(c.appliedToJson(c.appliedFromOp!(op, "n1", 2)), name).toEqual(c.appliedToJson(c.mutate(s, "n1", op).applied));
    }
    expect(lwwRegister.appliedFromOp).toBeUndefined();
    expect(mvRegister.appliedFromOp).toBeUndefined();
  });
});

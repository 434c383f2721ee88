// BFS figures on hand-built models that mirror small TLA+ specs; every expected figure below was
// produced by TLC 1.8 on the mirrored spec (fixtures/tlc/, see README.md there).
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import { bits, counter, mutex, steps, viewed } from "./models/models.mjs";
import { column, expectValidTrace } from "./helpers.js";

describe("breadth-first search matches TLC's figures", () => {
  it("counts constrained states as generated, not distinct (C.tla, CONSTRAINT x < 5)", async () => {
    const r = await checkModel(steps({ con: 5 }));
    expect(r).toMatchObject({ verdict: "ok", generated: 12, distinct: 5, depth: 3, queue: 0, complete: true, trace: null, traceLength: null });
  });

  it("ACTION_CONSTRAINT cuts steps (A.tla with ACon == x' # 3)", async () => {
    const r = await checkModel(steps({ module: "A", con: 5, acon: 3 }));
    expect(r).toMatchObject({ verdict: "ok", generated: 10, distinct: 4, depth: 3 });
  });

  it("checks invariants on states outside the constraint, as TLC does (C1)", async () => {
    const model = steps({ con: 5, inv: 5 });
    const r = await checkModel(model);
    expect(r).toMatchObject({ verdict: "invariant", name: "Inv5", generated: 10, distinct: 5, queue: 1, depth: 3, traceLength: 4 });
    expect(column(r.trace)).toEqual([0, 1, 3, 5]);
    expect(r.trace!.map((s) => s.label.action)).toEqual(["Init", "Inc1", "Inc2", "Inc2"]);
    expectValidTrace(model, r.trace!);
  });

  it("stops counting at the violating successor (C2, D1)", async () => {
    const c2 = await checkModel(steps({ con: 20, inv: 3 }));
    expect(c2).toMatchObject({ verdict: "invariant", generated: 8, distinct: 7, queue: 3, depth: 3, traceLength: 3 });
    expect(column(c2.trace)).toEqual([0, 1, 3]);
    const d1 = await checkModel(steps({ module: "D", init: [0], order: ["Inc2", "Inc1"], back: true, con: 5, inv: 2 }));
    expect(d1).toMatchObject({ verdict: "invariant", name: "Inv2", generated: 2, distinct: 2, queue: 0, depth: 2, traceLength: 2 });
  });

  it("an invariant violated by an initial state outside the constraint gives a one-state trace (A2)", async () => {
    const r = await checkModel(steps({ con: 5, inv: 10 }));
    expect(r).toMatchObject({ verdict: "invariant", traceLength: 1 });
    expect(column(r.trace)).toEqual([10]);
  });

  it("checks action properties on every step: new (C3), already seen (D2) and constrained (D3)", async () => {
    const c3 = await checkModel(steps({ con: 5, prop: "lt4" }));
    expect(c3).toMatchObject({ verdict: "property", name: "Prop", generated: 8, distinct: 5, queue: 1, depth: 3 });
    expect(column(c3.trace)).toEqual([0, 2, 4]);
    const d = { module: "D", init: [0], order: ["Inc2", "Inc1"] as ("Inc1" | "Inc2")[], back: true, con: 5 };
    const d2model = steps({ ...d, prop: "gt" });
    const d2 = await checkModel(d2model);
    expect(d2).toMatchObject({ verdict: "property", name: "PropBack", generated: 12, distinct: 5, queue: 0, depth: 3, traceLength: 4 });
    expect(column(d2.trace)).toEqual([0, 2, 3, 1]);
    expect(d2.trace!.map((s) => s.label.action)).toEqual(["Init", "Inc2", "Inc1", "Back"]);
    expectValidTrace(d2model, d2.trace!);
    const d3 = await checkModel(steps({ ...d, prop: "lt5" }));
    expect(d3).toMatchObject({ verdict: "property", name: "PropOut", generated: 8, distinct: 5, queue: 1, depth: 3 });
    expect(column(d3.trace)).toEqual([0, 2, 4, 6]);
  });

  it("reports a deadlock with its trace (B.tla), and not when deadlock checking is off", async () => {
    const r = await checkModel(counter({ n: 3 }));
    expect(r).toMatchObject({ verdict: "deadlock", name: null, generated: 4, distinct: 4, depth: 4, queue: 0, traceLength: 4 });
    expect(column(r.trace)).toEqual([0, 1, 2, 3]);
    expect(await checkModel(counter({ n: 3 }), { deadlock: false })).toMatchObject({ verdict: "ok", distinct: 4 });
    expect(await checkModel(counter({ n: 3, deadlock: false }))).toMatchObject({ verdict: "ok", distinct: 4 });
    expect(await checkModel(counter({ n: 3, deadlock: false }), { deadlock: true })).toMatchObject({ verdict: "deadlock" });
  });

  it("successors all cut by a constraint are not a deadlock (C4)", async () => {
    expect(await checkModel(steps({ con: 5 }), { deadlock: true })).toMatchObject({ verdict: "ok" });
  });

  it("symmetry reduces a 3-process mutex from 20 to 7 states, as TLC does (Mutex.tla)", async () => {
    expect(await checkModel(mutex({ procs: 3 }))).toMatchObject({ verdict: "ok", generated: 49, distinct: 20, depth: 5 });
    expect(await checkModel(mutex({ procs: 3, symmetry: true }))).toMatchObject({ verdict: "ok", generated: 19, distinct: 7, depth: 5 });
  });

  it("a violation under symmetry has a valid, shortest trace", async () => {
    const model = mutex({ procs: 3, symmetry: true, broken: true });
    const r = await checkModel(model);
    expect(r).toMatchObject({ verdict: "invariant", name: "Mutex", traceLength: 5 });
    expectValidTrace(model, r.trace!);
  });

  it("VIEW fingerprints only the view (V.tla)", async () => {
    expect(await checkModel(viewed({}))).toMatchObject({ verdict: "ok", generated: 10, distinct: 9, depth: 9 });
    expect(await checkModel(viewed({ view: true }))).toMatchObject({ verdict: "ok", generated: 5, distinct: 4, depth: 4 });
  });

  it("explores every state of a larger model and finds shortest counterexamples", async () => {
    const n = 10;
    const distinct = 1 + n * 2 ** n;
    expect(await checkModel(bits({ n }))).toMatchObject({ verdict: "ok", distinct, generated: 1 + n * distinct, depth: n + 2 });
    const model = bits({ n, bad: 0b1011 });
    const r = await checkModel(model);
    expect(r).toMatchObject({ verdict: "invariant", name: "NotBad", traceLength: 4 });
    expectValidTrace(model, r.trace!);
  });

  it("an evaluation error gives verdict error with its location and the trace to the failing state", async () => {
    const model = bits({ n: 6, failAt: 0b101 });
    const r = await checkModel(model);
    expect(r.verdict).toBe("error");
    expect(r.error).toEqual({ kind: "eval", message: "function applied outside its domain", location: { file: "Bits.tla", line: 9, column: 14 } });
    expect(r.traceLength).toBe(3);
    expect(r.trace![2].state[0]).toBe(0b101);
    expectValidTrace(model, r.trace!);
  });

  it("counts the successors enumerated before an evaluation error, as TLC does (corpus Stacks.cfg)", async () => {
    const model = bits({ n: 3, failAt: 0, failAfter: 2 });
    const r = await checkModel(model);
    expect(r).toMatchObject({ verdict: "error", generated: 3, distinct: 3, depth: 2, traceLength: 1, queue: 2 });
    const violated = await checkModel(bits({ n: 3, failAt: 0, failAfter: 2, bad: 0b10 }));
    expect(violated).toMatchObject({ verdict: "invariant", name: "NotBad", generated: 3, traceLength: 2 });
    expect(violated.trace![1].state[0]).toBe(0b10);
  });

  it("maxStates stops early and says the search is incomplete", async () => {
    const r = await checkModel(bits({ n: 10 }), { maxStates: 500 });
    expect(r.verdict).toBe("incomplete");
    expect(r.complete).toBe(false);
    expect(r.distinct).toBeGreaterThanOrEqual(500);
    expect(r.distinct).toBeLessThan(600);
    expect(r.queue).toBeGreaterThan(0);
  });

  // A 10,241-state search: seconds, not milliseconds, on a loaded machine.
  it("reports progress while it runs", { timeout: 60_000 }, async () => {
    const seen: number[] = [];
    await checkModel(bits({ n: 10 }), { progressIntervalMs: 0, onProgress: (p) => seen.push(p.distinct) });
    expect(seen.length).toBeGreaterThan(10);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe("symmetry group closure", () => {
  it("closes the listed permutations under composition", async () => {
    const { symmetryGroup } = await import("../../src/check/canonical.js");
    const { ModelValue, valueOps } = await import("./models/values.mjs");
    const [a1, a2, a3, b1, b2] = ["a1", "a2", "a3", "b1", "b2"].map((n) => new ModelValue(n));
    const swap = (x: unknown, y: unknown) => [[x, y], [y, x]] as Array<readonly [unknown, unknown]>;
    // S3 on {a1, a2, a3} is generated by two transpositions; with a swap of {b1, b2}: 6 * 2 = 12, less the identity.
    const group = symmetryGroup([swap(a1, a2), swap(a2, a3), swap(b1, b2)], valueOps);
    expect(group).toHaveLength(11);
    expect(symmetryGroup([], valueOps)).toEqual([]);
  });
});

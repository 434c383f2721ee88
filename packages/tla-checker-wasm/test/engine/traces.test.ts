// Trace writers (ITF, TLC text) and simulation on hand-built models.
import { describe, expect, it } from "vitest";
import { checkModel, simulateModel } from "../../src/api.js";
import { toITF } from "../../src/trace/itf.js";
import { toTLCText } from "../../src/trace/tlc-text.js";
import { formatLabel } from "../../src/trace/label.js";
import { bits, counter, mutex, steps } from "./models/models.mjs";
import { expectValidTrace } from "./helpers.js";

describe("trace writers", () => {
  it("writes ITF with vars, values, labels and parameters", async () => {
    const model = mutex({ procs: 2, broken: true });
    const r = await checkModel(model);
    expect(r.verdict).toBe("invariant");
    const doc = toITF(r.trace!, model, { source: "Mutex.tla" });
    expect(doc["#meta"]).toMatchObject({ format: "ITF", source: "Mutex.tla" });
    expect(doc.vars).toEqual(["pc", "owner"]);
    expect(doc.loop).toBeUndefined();
    expect(doc.states[0]).toEqual({
      "#meta": { index: 0, label: "Init", action: "Init", params: {} },
      pc: { "#map": [["p1", "idle"], ["p2", "idle"]] },
      owner: "None",
    });
    expect(doc.states[1]["#meta"]).toEqual({ index: 1, label: "Request(p = p1)", action: "Request", params: { p: "p1" } });
    expect(doc.states.at(-1)!.pc).toEqual({ "#map": [["p1", "crit"], ["p2", "crit"]] });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("records a loop index, and rejects one outside the trace", async () => {
    const model = counter({ n: 2 });
    const r = await checkModel(model);
    expect(toITF(r.trace!, model, 1).loop).toBe(1);
    expect(() => toITF(r.trace!, model, 3)).toThrow(/outside the trace/);
  });

  it("writes TLC text: bullets for several variables, headers with locations", async () => {
    const model = mutex({ procs: 2, broken: true });
    const r = await checkModel(model);
    const text = toTLCText(r.trace!.slice(0, 2), model);
    expect(text).toBe(
      [
        "State 1: <Initial predicate>",
        '/\\ pc = (p1 :> "idle" @@ p2 :> "idle")',
        "/\\ owner = None",
        "",
        "State 2: <Request line 6, col 1 to line 6, col 80 of module Mutex>",
        '/\\ pc = (p1 :> "waiting" @@ p2 :> "idle")',
        "/\\ owner = None",
        "",
      ].join("\n"),
    );
  });

  it("closes a lasso the way TLC does: back to a state, or stuttering", async () => {
    const model = counter({ n: 2 });
    const r = await checkModel(model);
    // No step of this model leads from the last state back to the first, so there is no label to name.
    expect(toTLCText(r.trace!, model, 0)).toMatch(/\nBack to state 1\n$/);
    expect(toTLCText(r.trace!, model, 2)).toMatch(/\nState 4: Stuttering\n$/);
  });

  it("formats labels with their parameters", () => {
    const model = bits({ n: 2 });
    expect(formatLabel({ action: "Flip", params: [["i", 1], ["who", "x"]] }, model.values)).toBe('Flip(i = 1, who = "x")');
    expect(formatLabel({ action: "Tick", params: [] }, model.values)).toBe("Tick");
  });
});

describe("simulation", () => {
  const seed = Number(process.env.SEED ?? 20261123);

  it(`is reproducible from its seed (seed ${seed})`, () => {
    const a = simulateModel(bits({ n: 8 }), { seed, num: 50, depth: 20 });
    const b = simulateModel(bits({ n: 8 }), { seed, num: 50, depth: 20 });
    expect(a).toMatchObject({ verdict: "ok", traces: 50, seed });
    expect(b.states).toBe(a.states);
    const c = simulateModel(bits({ n: 8, bad: 0b1 }), { seed, num: 50, depth: 20 });
    const d = simulateModel(bits({ n: 8, bad: 0b1 }), { seed, num: 50, depth: 20 });
    expect(c.verdict).toBe("invariant");
    expect(d.trace!.map((s) => s.state[0])).toEqual(c.trace!.map((s) => s.state[0]));
  });

  it(`finds invariant violations with a valid trace (seed ${seed})`, () => {
    const model = bits({ n: 4, bad: 0b0110 });
    const r = simulateModel(model, { seed, num: 500, depth: 30 });
    expect(r.verdict).toBe("invariant");
    expect(r.name).toBe("NotBad");
    expect(r.trace!.at(-1)!.state[0]).toBe(0b0110);
    expectValidTrace(model, r.trace!);
  });

  it(`reports deadlocks unless told not to, and action properties (seed ${seed})`, () => {
    expect(simulateModel(counter({ n: 5 }), { seed, num: 3 })).toMatchObject({ verdict: "deadlock", traceLength: 6 });
    expect(simulateModel(counter({ n: 5 }), { seed, num: 3, deadlock: false })).toMatchObject({ verdict: "ok", traces: 3, depth: 6 });
    const prop = simulateModel(steps({ init: [0], con: 5, prop: "lt4" }), { seed, num: 200, depth: 10 });
    expect(prop.verdict).toBe("property");
    expect(prop.trace!.at(-1)!.state[0]).toBeGreaterThanOrEqual(4);
  });

  it("bounds walks by depth and rejects bad settings", () => {
    const r = simulateModel(bits({ n: 3 }), { seed: 1, num: 4, depth: 7 });
    expect(r).toMatchObject({ verdict: "ok", traces: 4, depth: 7, states: 1 + 4 * 6 * 3 });
    expect(() => simulateModel(bits({ n: 3 }), { seed: 1, depth: 0 })).toThrow(/depth/);
  });
});

describe("coveringTraces", () => {
  it("visits every distinct state through valid shortest paths", async () => {
    const { coveringTraces } = await import("../../src/check/cover.js");
    const { canon } = await import("./models/values.mjs");
    const model = mutex({ procs: 3 });
    const traces = coveringTraces(model);
    const visited = new Set(traces.flatMap((t) => t.map((s) => canon([...s.state]))));
    expect(visited.size).toBe(20);
    for (const t of traces) expectValidTrace(model, t);
    expect(Math.max(...traces.map((t) => t.length))).toBe(5);
    const sym = coveringTraces(mutex({ procs: 3, symmetry: true }));
    expect(new Set(sym.flatMap((t) => t.map((s) => canon([...s.state])))).size).toBe(7);
    expect(() => coveringTraces(bits({ n: 10 }), { maxStates: 100 })).toThrow(/more than 100/);
  });
});

describe("randomWalks", () => {
  const seed = Number(process.env.SEED ?? 7);
  it(`gives valid walks, the same for the same seed (seed ${seed})`, async () => {
    const { randomWalks } = await import("../../src/check/simulate.js");
    const model = mutex({ procs: 3 });
    const a = randomWalks(model, { seed, num: 20, depth: 12 });
    const b = randomWalks(model, { seed, num: 20, depth: 12 });
    expect(a).toHaveLength(20);
    for (const w of a) {
      expect(w.length).toBe(12);
      expectValidTrace(model, w);
    }
    expect(a.map((w) => w.map((s) => s.label.action).join(","))).toEqual(b.map((w) => w.map((s) => s.label.action).join(",")));
    expect(randomWalks(counter({ n: 3 }), { seed, num: 2, depth: 10 }).map((w) => w.length)).toEqual([4, 4]);
  });
});

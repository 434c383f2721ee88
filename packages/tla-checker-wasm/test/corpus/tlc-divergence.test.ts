/**
 * Where tla-check answers differently from TLC 2.20 on purpose, because TLC 2.20 is wrong there
 * (listed in corpus/README.md). Each case keeps TLC's output (test/corpus/divergence/*-tlc.txt,
 * from `java -cp tla2tools.jar tlc2.TLC -workers 1 -fp 0 -noGenerateSpecTE -config X.cfg Shortcut.tla`,
 * TLC 2.20 rev 8d3143c), reads TLC's counterexample back into the model's states and shows with
 * the lasso validator that it is no counterexample, then pins our verdict. A control case, where
 * TLC's finite trace is a real bad prefix, must still agree with TLC exactly.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTlcOutput } from "../../scripts/tlc-run.mjs";
import { checkSpec, loadModel } from "../../src/index.js";
import { checkLasso } from "./lasso-check.js";
import { tlcTraceStates } from "./tlc-trace.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "divergence");
const spec = join(dir, "Shortcut.tla");

async function tlcCounterexample(cfg: string, property: string): Promise<{ figures: ReturnType<typeof parseTlcOutput>; problems: string[] }> {
  const output = readFileSync(join(dir, `${cfg}-tlc.txt`), "utf8");
  const figures = parseTlcOutput(output);
  const model = await loadModel({ spec: { path: spec }, cfg: { path: join(dir, `${cfg}.cfg`) }, temporal: true });
  const states = tlcTraceStates(output, model);
  if (typeof states === "string") throw new Error(states);
  return { figures, problems: checkLasso(model, { states, loopIndex: undefined, property }) };
}

describe("deliberate differences from TLC 2.20", () => {
  it("Shortcut.cfg: TLC 2.20's accepting-tableau shortcut reports a valid property; we say it holds", async () => {
    const tlc = await tlcCounterexample("Shortcut", "Prop");
    // TLC: "Temporal properties were violated", a 2-state finite trace (x = 0, x = 1), 3 generated.
    expect(tlc.figures).toMatchObject({ verdict: "liveness", traceLength: 2, loop: null, generated: 3, distinct: 3 });
    // ... which is no counterexample: staying in x = 1 keeps Next enabled, so <>[](ENABLED Next) holds.
    expect(tlc.problems).toEqual(["the lasso satisfies Prop"]);
    const ours = await checkSpec({ spec: { path: spec }, cfg: { path: join(dir, "Shortcut.cfg") } });
    expect({ verdict: ours.verdict, distinct: ours.distinct, generated: ours.generated }).toEqual({ verdict: "ok", distinct: 3, generated: 4 });
  });

  it("ShortcutFair.cfg: the shortcut's trace is violated only by its unfair stuttering extension; we say Cycles holds", async () => {
    const tlc = await tlcCounterexample("ShortcutFair", "Cycles");
    expect(tlc.figures).toMatchObject({ verdict: "liveness", traceLength: 2, loop: null, generated: 3, distinct: 3 });
    // Stuttering in x = 1 violates Cycles but is unfair (Next stays enabled); a fair extension cycles.
    expect(tlc.problems).toEqual([expect.stringMatching(/^no bad prefix: a fair behaviour extending it satisfies Cycles/)]);
    const ours = await checkSpec({ spec: { path: spec }, cfg: { path: join(dir, "ShortcutFair.cfg") } });
    expect({ verdict: ours.verdict, distinct: ours.distinct, generated: ours.generated }).toEqual({ verdict: "ok", distinct: 3, generated: 4 });
  });

  it("ShortcutStays.cfg (control): the same shortcut on a property that does fail agrees with TLC", async () => {
    const tlc = await tlcCounterexample("ShortcutStays", "Stays");
    expect(tlc.figures).toMatchObject({ verdict: "liveness", traceLength: 2, loop: null, generated: 3, distinct: 3, depth: 3 });
    expect(tlc.problems).toEqual([]);
    const ours = await checkSpec({ spec: { path: spec }, cfg: { path: join(dir, "ShortcutStays.cfg") } });
    expect({ verdict: ours.verdict, name: ours.name, traceLength: ours.traceLength, loopIndex: ours.loopIndex, distinct: ours.distinct, generated: ours.generated, depth: ours.depth })
      .toEqual({ verdict: "liveness", name: "Stays", traceLength: 2, loopIndex: undefined, distinct: 3, generated: 3, depth: 3 });
  });
  it("Promise.cfg: TLC 2.20 takes a component that keeps renewing a promise it never meets as fulfilling; our lasso is a real one", async () => {
    const promiseSpec = join(dir, "Promise.tla");
    const cfg = { path: join(dir, "Promise.cfg") };
    const model = await loadModel({ spec: { path: promiseSpec }, cfg, temporal: true });
    const output = readFileSync(join(dir, "Promise-tlc.txt"), "utf8");
    // TLC -fp 0: b cycles 0, 1, 2 with c = 0 throughout ("Back to state 1"), so <>(b = 1 /\ [](c = 0)) holds on it.
    expect(parseTlcOutput(output)).toMatchObject({ verdict: "liveness", traceLength: 6, loop: 1, generated: 28, distinct: 9 });
    const states = tlcTraceStates(output, model);
    if (typeof states === "string") throw new Error(states);
    expect(checkLasso(model, { states, loopIndex: 0, property: "P1" })).toEqual(["the lasso satisfies P1"]);
    // P1 is violated for real (c leaves 0 on every fair cycle through b = 2); ours must be a valid counterexample.
    const ours = await checkSpec({ spec: { path: promiseSpec }, cfg });
    expect(ours).toMatchObject({ verdict: "liveness", name: "P1", distinct: 9, generated: 28 });
    expect(checkLasso(model, { states: ours.trace!.map((t) => t.state), loopIndex: ours.loopIndex, property: "P1" })).toEqual([]);
  });
});

// End to end through the core's loader: real .tla fixtures, figures from TLC (fixtures/README.md).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkSpec, simulate, SYMMETRY_LIVENESS_WARNING, VIEW_LIVENESS_WARNING } from "../../src/api.js";
import { toTLCText } from "../../src/trace/tlc-text.js";
import { loadModel } from "../../src/load.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const spec = (tla: string, cfg: string) => ({ spec: { path: fixture(`${tla}.tla`) }, cfg: { path: fixture(`${cfg}.cfg`) } });

describe("checkSpec on TLA+ fixtures agrees with TLC", { timeout: 60_000 }, () => {
  it.each([
    ["Steps", "Steps", { verdict: "ok", generated: 12, distinct: 5, queue: 0, depth: 3, traceLength: null }],
    ["Steps", "StepsInv", { verdict: "invariant", name: "Inv5", generated: 10, distinct: 5, queue: 1, depth: 3, traceLength: 4 }],
    ["Steps", "StepsProp", { verdict: "property", name: "Prop", generated: 8, distinct: 5, queue: 1, depth: 3, traceLength: 3 }],
    ["Mutex", "Mutex", { verdict: "ok", generated: 49, distinct: 20, depth: 5 }],
    ["Mutex", "MutexSym", { verdict: "ok", generated: 19, distinct: 7, depth: 5 }],
    ["Count", "Count", { verdict: "deadlock", generated: 4, distinct: 4, depth: 4, traceLength: 4 }],
    ["SymUnion", "SymUnion", { verdict: "ok", generated: 10, distinct: 2, depth: 1 }],
    ["SymUnion", "SymProduct", { verdict: "ok", generated: 10, distinct: 2, depth: 1 }],
  ] as const)("%s with %s.cfg", async (tla, cfg, expected) => {
    expect(await checkSpec(spec(tla, cfg))).toMatchObject(expected);
  });

  it.each([
    ["Live_SpecWF_YReaches2", "liveness"],
    ["Live_SpecWF_LeadsTo", "ok"],
    ["Live_SpecWF_YStable", "liveness"],
    ["Live_SpecNone_XInfOften", "liveness"],
    ["Live_SpecWFY_YStable", "ok"],
    ["Live_SpecWFY_LeadsToY", "ok"],
    ["Live_SpecWF_ImpliesForm", "ok"],
    ["Live_SpecWF_ImpliesFormY", "liveness"],
    ["Live_SpecWF_StepsX", "ok"],
    ["Live_SpecWF_StepsY", "liveness"],
    ["Live_SpecNone_StepsAny", "liveness"],
  ] as const)("liveness: Live.tla with %s.cfg gives TLC's verdict (%s)", async (cfg, verdict) => {
    const r = await checkSpec(spec("Live", cfg));
    expect(r).toMatchObject({ verdict, distinct: 12, generated: 21 });
    if (verdict === "liveness") {
      expect(r.loopIndex).toBeGreaterThanOrEqual(0);
      expect(r.loopIndex).toBeLessThan(r.trace!.length);
    }
  });

  it.each([
    ["Lock_WSpec_Prop", "liveness"],
    ["Lock_SSpec_Prop", "ok"],
    ["Lock_NSpec_Busy", "liveness"],
    ["Lock_SSpec_Busy", "ok"],
  ] as const)("liveness: Lock.tla (starvation under WF, not under SF) with %s.cfg: %s", async (cfg, verdict) => {
    expect(await checkSpec(spec("Lock", cfg))).toMatchObject({ verdict, distinct: 8, generated: 15 });
  });

  it("liveness: weak fairness is not enough where strong fairness is (Fair.tla)", async () => {
    const weak = await checkSpec(spec("Fair", "FairWeak"));
    expect(weak).toMatchObject({ verdict: "liveness", name: "Done", traceLength: 2, loopIndex: 0 });
    expect(await checkSpec(spec("Fair", "FairStrong"))).toMatchObject({ verdict: "ok", distinct: 4 });
    const model = await loadModel({ ...spec("Fair", "FairWeak"), temporal: true });
    // TLC 2.20 ends this lasso with exactly this line (the label of the step closing the loop).
    expect(toTLCText(weak.trace!, model, weak.loopIndex, { source: (f) => readFileSync(f, "utf8") })).toMatch(
      /\n\nBack to state 1: <Toggle line 5, col 11 to line 5, col 32 of module Fair>\n$/,
    );
  });

  it("warns, as TLC does, when liveness is checked under SYMMETRY or VIEW (LiveSym.tla)", async () => {
    const seen: string[] = [];
    const sym = await checkSpec({ ...spec("LiveSym", "LiveSym"), onWarning: (w) => seen.push(w) });
    // TLC: the warning below, 10 generated / 5 distinct (it then reports a spurious violation).
    expect(sym).toMatchObject({ generated: 10, distinct: 5, warnings: [SYMMETRY_LIVENESS_WARNING] });
    expect(seen).toEqual([SYMMETRY_LIVENESS_WARNING]);
    expect(SYMMETRY_LIVENESS_WARNING).toBe(
      "Declaring symmetry during liveness checking is dangerous. It might cause TLC to miss violations of the stated liveness properties. Please check liveness without symmetry defined.",
    );
    const view = await checkSpec(spec("LiveSym", "LiveSym_View"));
    expect(view).toMatchObject({ verdict: "ok", generated: 15, distinct: 8, warnings: [VIEW_LIVENESS_WARNING] });
    const plain = await checkSpec(spec("LiveSym", "LiveSym_Plain"));
    expect(plain).toMatchObject({ verdict: "ok", generated: 15, distinct: 8 });
    expect(plain.warnings).toBeUndefined();
    // Symmetry without temporal properties is sound: no warning.
    expect((await checkSpec(spec("Mutex", "MutexSym"))).warnings).toBeUndefined();
  });

  it("liveness on the compact graph: verdicts as TLC's, lasso states re-derived from fingerprints (QueueLock.tla)", async () => {
    // TLC 2.20: both 457 generated / 248 distinct; QueueLock.cfg no error; QueueLock_LazyExit.cfg
    // violated with a stuttering lasso (TLC's is 8 states + "Stuttering"; ours may be shorter).
    expect(await checkSpec(spec("QueueLock", "QueueLock"))).toMatchObject({ verdict: "ok", generated: 457, distinct: 248 });
    const r = await checkSpec(spec("QueueLock", "QueueLock_LazyExit"));
    expect(r).toMatchObject({ verdict: "liveness", name: "NoStarvation", generated: 457, distinct: 248 });
    const trace = r.trace!;
    expect(r.loopIndex).toBe(trace.length - 1);
    const model = await loadModel({ ...spec("QueueLock", "QueueLock_LazyExit"), temporal: true });
    const fp = (st: readonly unknown[]) => model.values.fingerprintState(st);
    expect(model.initStates({ level: 1 }).some((i) => fp(i.state) === fp(trace[0]!.state))).toBe(true);
    for (let i = 1; i < trace.length; i++) {
      const step = model.successors(trace[i - 1]!.state, { level: i }).find((x) => fp(x.state) === fp(trace[i]!.state));
      expect(step, `state ${i + 1} follows state ${i}`).toBeDefined();
      expect(step!.label.action).toBe(trace[i]!.label.action);
    }
    // The process stuck in the critical section never exits (no fairness on Exit).
    const last = model.values.format(trace[trace.length - 1]!.state[0]);
    expect(last).toContain('"cs"');
  });

  it("gives the same figures with 2 workers", async () => {
    for (const [tla, cfg] of [["Mutex", "Mutex"], ["Mutex", "MutexSym"], ["Steps", "StepsInv"]]) {
      const one = await checkSpec(spec(tla, cfg));
      const two = await checkSpec({ ...spec(tla, cfg), workers: 2 });
      expect([two.verdict, two.distinct, two.depth, two.traceLength]).toEqual([one.verdict, one.distinct, one.depth, one.traceLength]);
      if (one.verdict === "ok") expect(two.generated).toBe(one.generated);
    }
  });

  it("with 2 workers, a spec that does not load is a load error, as with 1", async () => {
    // checkSpec starts the worker threads before it loads the model; they fail to load it too
    // and must neither hide the coordinator's error nor outlive the call.
    const bad = { spec: { name: "Bad", source: "---- MODULE Bad ----\nVARIABLE x\nInit == x = (1 +\nNext == x' = x\n====\n" }, cfg: { source: "INIT Init\nNEXT Next\n" } };
    const one = await checkSpec(bad);
    const two = await checkSpec({ ...bad, workers: 2 });
    expect(one).toMatchObject({ verdict: "error", error: { kind: "parse" } });
    expect(two).toMatchObject({ verdict: "error", error: one.error });
  });

  it("trace headers carry the formal parameters and the body's exact span, as TLC's (Header.tla)", async () => {
    const opts = spec("Header", "Header");
    const r = await checkSpec(opts);
    expect(r).toMatchObject({ verdict: "invariant", name: "Inv", traceLength: 5 });
    const model = await loadModel(opts);
    const source = (file: string) => readFileSync(file, "utf8");
    const headers = toTLCText(r.trace!, model, undefined, { source }).split("\n").filter((l) => l.startsWith("State "));
    // TLC 2.20 (fixtures/README.md): TLC drops a leading \E from Set's body and locates an inline
    // disjunct of Next at the disjunct (here the body of its \E).
    expect(headers.slice(1)).toEqual([
      "State 2: <Inc(p1,1) line 6, col 14 to line 8, col 27 of module Header>",
      "State 3: <Inc(p1,1) line 6, col 14 to line 8, col 27 of module Header>",
      'State 4: <Set("a") line 9, col 26 to line 9, col 50 of module Header>',
      "State 5: <Next line 12, col 27 to line 12, col 51 of module Header>",
    ]);
    // Without the source (a browser) the header is the same: the core says which parameters are formal.
    expect(toTLCText(r.trace!, model).split("\n").find((l) => l.startsWith("State 2:"))).toMatch(/^State 2: <Inc\(p1,1\) line 6, col 14 to /);
  });

  it("reports a tautology or a property TLC's liveness checker refuses before searching, with its location (Taut.tla)", async () => {
    // TLC 2.20 (`java -cp tla2tools.jar tlc2.TLC -workers 1 -config Taut.cfg Taut.tla`) stops before
    // computing initial states: "Temporal formula is a tautology (its negation is unsatisfiable)." (exit
    // 77) and, for Taut_ActionEv.cfg, "Temporal formulas containing actions must be of forms <>[]A or []<>A." (exit 255).
    const taut = await checkSpec(spec("Taut", "Taut"));
    expect(taut).toMatchObject({ verdict: "error", distinct: 0, generated: 0, error: { kind: "eval", location: { line: 7, column: 9 } } });
    expect(taut.error!.message).toContain("Temporal formula is a tautology (its negation is unsatisfiable): Taut");
    const action = await checkSpec(spec("Taut", "Taut_ActionEv"));
    expect(action).toMatchObject({ verdict: "error", distinct: 0, generated: 0, error: { kind: "unsupported", location: { line: 8, column: 13 } } });
    expect(action.error!.message).toContain("temporal formulas containing actions must be of forms <>[]A or []<>A");
  });

  it("labels an action passed as an argument by the outer operator at the call site, as TLC (ActionArg.tla)", async () => {
    const opts = spec("ActionArg", "ActionArg");
    const r = await checkSpec(opts);
    expect(r).toMatchObject({ verdict: "invariant", name: "Small", traceLength: 3 });
    const model = await loadModel(opts);
    const headers = toTLCText(r.trace!, model, undefined, { source: (f) => readFileSync(f, "utf8") })
      .split("\n")
      .filter((l) => l.startsWith("State "));
    // TLC 2.20: `java -cp tla2tools.jar tlc2.TLC -workers 1 -config ActionArg.cfg ActionArg.tla`.
    // Regression: the argument-less application printed as `<Once() ...>`.
    expect(headers).toEqual([
      "State 1: <Initial predicate>",
      "State 2: <Once line 7, col 12 to line 7, col 24 of module ActionArg>",
      "State 3: <Next line 8, col 12 to line 8, col 50 of module ActionArg>",
    ]);
  });

  it("prints the counterexample exactly as TLC does", async () => {
    const opts = spec("Steps", "StepsInv");
    const r = await checkSpec(opts);
    const model = await loadModel(opts);
    expect(toTLCText(r.trace!, model)).toBe(
      [
        "State 1: <Initial predicate>",
        "x = 0",
        "",
        "State 2: <Inc1 line 5, col 9 to line 5, col 18 of module Steps>",
        "x = 1",
        "",
        "State 3: <Inc2 line 6, col 9 to line 6, col 18 of module Steps>",
        "x = 3",
        "",
        "State 4: <Inc2 line 6, col 9 to line 6, col 18 of module Steps>",
        "x = 5",
        "",
      ].join("\n"),
    );
  });

  it("labels carry the parameters of the action", async () => {
    const r = await checkSpec({ ...spec("Mutex", "Mutex"), deadlock: true, maxStates: 3 });
    expect(r.complete).toBe(false);
    const bad = await checkSpec({
      spec: { name: "BadMutex", source: "---- MODULE BadMutex ----\nEXTENDS Naturals\nVARIABLE n\nInit == n = 0\nEnter(k) == n' = n + k\nNext == \\E k \\in {1, 2}: Enter(k)\nSafe == n < 3\n====\n" },
      cfg: { source: "INIT Init\nNEXT Next\nINVARIANT Safe\n" },
    });
    expect(bad).toMatchObject({ verdict: "invariant", name: "Safe", traceLength: 3 });
    expect(bad.trace!.map((s) => [s.label.action, s.label.params.map(([n, v]) => `${n}=${String(v)}`).join(",")])).toEqual([
      ["Init", ""],
      ["Enter", "k=1"],
      ["Enter", "k=2"],
    ]);
  });

  it("labels carry a parameter the body passes on by name (into an operator with it in an IF branch)", async () => {
    // Regression: `Max(a, b) == IF a >= b THEN a ELSE b` makes Max's parameters by-name (an IF
    // branch may be an action), so `Bump(i)`'s `i`, passed on inside `Max(v[i], 1)`, was by-name
    // too and left out of the label: `Bump()` — trace validation could not tell which i stepped.
    const model = await loadModel({
      spec: { name: "ByName", source: "---- MODULE ByName ----\nEXTENDS Naturals\nCONSTANT S\nVARIABLE v\nMax(a, b) == IF a >= b THEN a ELSE b\nInit == v = [s \\in S |-> 0]\nBump(i) == v' = [v EXCEPT ![i] = Max(v[i], 1)]\nNext == \\E i \\in S : Bump(i)\n====\n" },
      cfg: { source: "CONSTANT S = {a, b}\nINIT Init\nNEXT Next\n" },
      print: () => {},
    });
    const init = model.initStates({ level: 1 })[0]!.state;
    const labels = model.successors(init, { level: 2 }).map((x) => `${x.label.action}(${x.label.params.map(([n, v]) => `${n}=${model.values.format(v)}`).join(",")})`);
    expect(labels.sort()).toEqual(["Bump(i=a)", "Bump(i=b)"]);
  });

  it("returns load errors as verdict error with a location, never throws", async () => {
    const missing = await checkSpec({ spec: { path: fixture("Steps.tla") }, cfg: { path: fixture("NoSuch.cfg") } });
    expect(missing.verdict).toBe("error");
    expect(missing.error?.message).toMatch(/NoSuch\.cfg/);
    const syntax = await checkSpec({ spec: { name: "Broken", source: "---- MODULE Broken ----\nVARIABLE x\nInit == x = \n====\n" }, cfg: { source: "INIT Init\nNEXT Init\n" } });
    expect(syntax.verdict).toBe("error");
    expect(syntax.error?.location?.line).toBeGreaterThan(0);
    const assume = await checkSpec({ spec: { name: "Assumes", source: "---- MODULE Assumes ----\nVARIABLE x\nASSUME FALSE\nInit == x = 0\nNext == x' = x\n====\n" }, cfg: { source: "INIT Init\nNEXT Next\n" } });
    expect(assume.verdict).toBe("assume");
  });

  it("simulates a spec reproducibly from a seed", async () => {
    const opts = { ...spec("Count", "Count"), num: 5, depth: 10, seed: 42 };
    const r = await simulate(opts);
    expect(r).toMatchObject({ verdict: "deadlock", seed: 42, traceLength: 4 });
  });
});

// Refinement properties (`PROPERTY HCSpec` with `HCSpec == HC!Spec`, HC an instance of the abstract
// spec) and how a PROPERTY is split the way TLC 2.20 splits it: implied initial predicates,
// invariants `[]P`, implied actions `[][A]_v`, and the temporal rest for the liveness checker,
// each under the name TLC prints. Every name and figure below is what
//   java -XX:+UseParallelGC -cp tla2tools.jar tlc2.TLC -workers 1 -config X.cfg X.tla
// (TLC2 Version 2.20, rev 8d3143c) printed for the same spec and cfg.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSpec } from "../../src/api.js";
import { loadModel } from "../../src/load.js";
import { toTLCText } from "../../src/trace/tlc-text.js";
import { violationLines } from "../../src/cli/report.js";
import { corpusDir } from "../corpus/corpus.js";
import { loadError } from "./helpers.js";

const HOUR_CLOCK = `---- MODULE HourClock ----
EXTENDS Naturals
VARIABLE hr
HCTypeOK == hr \\in 1..12
HCini == hr \\in 1..12
HCnxt == hr' = IF hr # 12 THEN hr + 1 ELSE 1
HC == HCini /\\ [][HCnxt]_hr
Spec == HC /\\ WF_hr(HCnxt)
SafeSpec == HC /\\ []HCTypeOK
====
`;

/** An hour-minute clock; `init` and `hour` are its initial hours and its hour step. */
const clock = (init = "1..12", hour = "IF h # 12 THEN h + 1 ELSE 1", extra = ""): string => `---- MODULE HM ----
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>
Init == h \\in ${init} /\\ m = 0
Tick == IF m < 2 THEN m' = m + 1 /\\ UNCHANGED h
        ELSE m' = 0 /\\ h' = ${hour}
Spec == Init /\\ [][Tick]_vars /\\ WF_vars(Tick)
HC == INSTANCE HourClock WITH hr <- h
HCSpec == HC!Spec
HCSafe == HC!SafeSpec
HCInit == HC!HCini
${extra}
====
`;

const modules = { HourClock: HOUR_CLOCK };
const cfg = (...props: string[]): string => `SPECIFICATION Spec\nPROPERTY ${props.join(" ")}\n`;
const loadClock = (props: string[], source = clock()) =>
  loadModel({ spec: { name: "HM", source }, cfg: { source: cfg(...props) }, modules, temporal: true });

async function check(props: string[], source = clock()) {
  return checkSpec({ spec: { name: "HM", source }, cfg: { source: cfg(...props) }, modules });
}

describe("splitting a refinement property", () => {
  it("turns HC!Spec into an implied initial predicate, an implied action and a temporal formula", async () => {
    const m = await loadClock(["HCSpec"]);
    expect(m.impliedInits?.map((p) => p.name)).toEqual(["HCini"]);
    // TLC names a [][A]_v conjunct by its source span, in the module it is written in.
    expect(m.actionProperties.map((p) => p.name)).toEqual(["line 7, col 16 to line 7, col 27 of module HourClock"]);
    expect(m.invariants).toHaveLength(0);
    // The fairness of the abstract spec is left to the liveness checker, under the cfg's name.
    expect(m.liveness.properties.map((p) => [p.name, p.formula.k])).toEqual([["HCSpec", "fair"]]);
  });

  it("names a []P conjunct after P, not after the property", async () => {
    const m = await loadClock(["HCSafe"]);
    expect(m.invariants.map((p) => p.name)).toEqual(["HCTypeOK"]);
    expect(m.impliedInits?.map((p) => p.name)).toEqual(["HCini"]);
    expect(m.liveness.properties).toHaveLength(0);
  });

  it("names a state-level property reached through an instance by its prefixed name", async () => {
    const m = await loadClock(["HCInit"]);
    expect(m.impliedInits?.map((p) => p.name)).toEqual(["HC!HCini"]);
    expect(m.actionProperties).toHaveLength(0);
  });

  it("expands operators applied to arguments and names the pieces after the operator", async () => {
    const extra = `PInit(x) == h = x
Whole == PInit(1)
Bullets ==
  /\\ [](m \\in 0..2)
  /\\ [][h' # 3]_h
  /\\ h > 0
BulletInit ==
  /\\ [](m \\in 0..2)
  /\\ h < 12
BoxArg == [](PInit(1) \\/ PInit(2)) /\\ []PInit(1)
LetProp == LET A == h = 1 IN A`;
    const source = clock("1..12", "IF h # 12 THEN h + 1 ELSE 1", extra);
    const run = async (p: string) => {
      const r = await check([p], source);
      return [r.verdict, r.name, r.traceLength];
    };
    // TLC: "Property PInit is violated by the initial state" (the application was expanded).
    expect(await run("Whole")).toEqual(["property", "PInit", 1]);
    // TLC: "Action property line 17, col 6 to line 17, col 17 of module HM is violated." (38 generated, 36 distinct).
    const bullets = await check(["Bullets"], source);
    expect([bullets.verdict, bullets.name, bullets.generated, bullets.distinct, bullets.queue]).toEqual([
      "property", "line 17, col 6 to line 17, col 17 of module HM", 38, 36, 10,
    ]);
    expect(await run("BulletInit")).toEqual(["property", "line 21, col 6 to line 21, col 11 of module HM", 1]);
    // `[]PInit(1)` is not named after PInit: only a boxed name without arguments is.
    expect(await run("BoxArg")).toEqual(["invariant", "line 22, col 39 to line 22, col 48 of module HM", 1]);
    // LET is not split: the whole body is the implied initial predicate, under the property's name.
    expect(await run("LetProp")).toEqual(["property", "LetProp", 1]);
  });

  it("expands parameterised instances and \\A over a constant set", async () => {
    const dial = "---- MODULE Dial ----\nEXTENDS Naturals\nVARIABLE d\nInit == d = 0\nTurn == d' = (d + 1) % 3\nSpec == Init /\\ [][Turn]_d\n====\n";
    const panel = `---- MODULE Panel ----
EXTENDS Naturals
VARIABLE x
S == {1, 2}
Init == x = [i \\in S |-> 0]
Next == \\E i \\in S : x' = [x EXCEPT ![i] = (@ + 1) % 3]
Spec == Init /\\ [][Next]_x
D(i) == INSTANCE Dial WITH d <- x[i]
All == \\A i \\in S : D(i)!Spec
Two == D(1)!Spec /\\ D(2)!Spec
Live == \\A i \\in S : <>(x[i] = 2)
====
`;
    const m = await loadModel({ spec: { name: "Panel", source: panel }, cfg: { source: "SPECIFICATION Spec\nPROPERTIES All Two Live\n" }, modules: { Dial: dial }, temporal: true });
    expect(m.impliedInits?.map((p) => p.name)).toEqual(["Init", "Init", "Init", "Init"]);
    expect(m.actionProperties.map((p) => p.name)).toEqual(Array(4).fill("line 6, col 17 to line 6, col 26 of module Dial"));
    // A purely temporal \A goes to the liveness checker whole.
    expect(m.liveness.properties.map((p) => [p.name, p.formula.k])).toEqual([["Live", "and"]]);
    const [init] = m.initStates({ level: 1 });
    expect(m.impliedInits!.every((p) => p.holds(init!.state, { level: 1 }))).toBe(true);
    expect(m.impliedInits![1]!.holds([m.values.fromJS([0, 1])], { level: 1 })).toBe(false);
  });

  it("drops a property that is TRUE by definition and rejects one that is FALSE", async () => {
    const source = clock("1..12", "IF h # 12 THEN h + 1 ELSE 1", "Yes == 1 = 1\nNo == 1 = 2");
    const m = await loadClock(["Yes"], source);
    expect([m.impliedInits, m.invariants, m.actionProperties, m.liveness.properties].map((xs) => xs?.length)).toEqual([0, 0, 0, 0]);
    const e = await loadError(source, cfg("No"), modules);
    expect(e.kind).toBe("cfg");
    expect(e.message).toContain("The property No is equal to FALSE");
    expect(e.location).toMatchObject({ line: 2, column: 10 });
  });

  it("rejects an action that is not a temporal formula, naming the property and the cfg line", async () => {
    const e = await loadError(clock("1..12", "IF h # 12 THEN h + 1 ELSE 1", "Act == h' > h"), cfg("Act"), modules);
    expect(e.kind).toBe("cfg");
    expect(e.message).toContain("The property Act is not correctly defined");
    expect(e.location).toMatchObject({ line: 2, column: 10 });
  });
});

describe("errors in refinement properties", () => {
  it("names a missing instance operator and where it is used", async () => {
    const e = await loadError(clock("1..12", "IF h # 12 THEN h + 1 ELSE 1", "Nope == HC!Nope"), cfg("Nope"), modules);
    expect(e.kind).toBe("semantic");
    expect(e.message).toBe("HM.tla:13:9: HC!Nope is not defined");
  });

  it("rejects PROPERTY C!Spec in the cfg, as TLC does, and says what to write instead", async () => {
    const e = await loadError(clock(), "SPECIFICATION Spec\nPROPERTY HC!Nope\n", modules);
    expect(e.kind).toBe("cfg");
    expect(e.location).toMatchObject({ line: 2, column: 10 });
    expect(e.message).toContain("HC!Nope: a cfg names definitions of the spec");
    expect(e.message).toContain("define HCNope == HC!Nope in the module");
  });

  it("names a PROPERTY the spec does not define and its cfg line", async () => {
    const e = await loadError(clock(), "SPECIFICATION Spec\n\nPROPERTY Missing\n", modules);
    expect(e.kind).toBe("cfg");
    expect(e.message).toContain("PROPERTY Missing is not defined in module HM");
    expect(e.location).toMatchObject({ line: 3, column: 10 });
  });
});

describe("checking refinement properties", () => {
  it("reports an implied initial predicate violated by an initial state, as TLC does", async () => {
    // TLC: "Error: Property HCini is violated by the initial state:" with h = 0, m = 0 (no counts printed).
    const r = await check(["HCSpec"], clock("0..12"));
    expect([r.verdict, r.name, r.traceLength]).toEqual(["property", "HCini", 1]);
    expect(r.trace![0]!.state).toEqual([0, 0]);
    expect(violationLines(r, "State 1: <Initial predicate>\n/\\ h = 0\n/\\ m = 0\n")).toEqual([
      "Error: Property HCini is violated by the initial state:",
      "/\\ h = 0\n/\\ m = 0\n",
    ]);
  });

  it("checks invariants before implied initial predicates", async () => {
    // TLC: "Error: Invariant HCTypeOK is violated by the initial state:".
    const r = await check(["HCSafe"], clock("0..12"));
    expect([r.verdict, r.name, r.traceLength]).toEqual(["invariant", "HCTypeOK", 1]);
  });

  it("warns, with TLC's text, that a state-level property is checked on initial states only", async () => {
    const r = await check(["HCInit", "HCSpec"]);
    expect(r.warnings).toEqual([
      'The formula HCInit is a state-level formula, but it was used as a PROPERTY (or PROPERTIES), where a temporal formula is typically expected. State-level formulas used as PROPERTY or PROPERTIES are only checked in the initial state. To verify that the formula HCInit holds in all states of every behavior, use INVARIANT HCInit instead. Alternatively, applying the "always" temporal operator (\u25A1) to the state-level formula HCInit changes it into a temporal formula, asserting that HCInit holds in all states of every behavior. See https://explain.tlapl.us/invariants-and-properties for additional details.',
    ]);
    expect((await check(["HCSpec"])).warnings).toBeUndefined();
  });

  it("checks a state-level property on initial states only", async () => {
    // The clock skips from 5 to 7, so h = 6 never holds, but HC!HCini holds initially: TLC finds
    // no error (48 generated, 36 distinct, depth 3).
    const skip = "CASE h = 5 -> 7 [] h = 12 -> 1 [] OTHER -> h + 1";
    const ok = await check(["HCInit"], clock("1..12", skip));
    expect([ok.verdict, ok.generated, ok.distinct, ok.depth]).toEqual(["ok", 48, 36, 3]);
    // TLC: "Action property line 7, col 16 to line 7, col 27 of module HourClock is violated.",
    // 41 generated, 36 distinct, 7 left on queue, depth 3, a 4-state trace.
    const bad = await check(["HCSpec"], clock("1..12", skip));
    expect([bad.verdict, bad.name, bad.generated, bad.distinct, bad.queue, bad.depth, bad.traceLength]).toEqual([
      "property", "line 7, col 16 to line 7, col 27 of module HourClock", 41, 36, 7, 3, 4,
    ]);
    expect(violationLines(bad, "...")[0]).toBe("Error: Action property line 7, col 16 to line 7, col 27 of module HourClock is violated.");
  });

  it("takes the behaviour spec itself from an instance, labelling its steps as TLC does", async () => {
    // TLC on corpus/refinement-param/DialOnly.cfg: "Invariant NotTwo is violated", 3 generated, 3 distinct,
    // states 2 and 3 both "<Action line 6, col 1 to line 6, col 30 of module DialOnly>".
    const dir = join(corpusDir, "refinement-param");
    const r = await checkSpec({ spec: { path: join(dir, "DialOnly.tla") }, cfg: { path: join(dir, "DialOnly.cfg") } });
    expect([r.verdict, r.name, r.generated, r.distinct, r.traceLength]).toEqual(["invariant", "NotTwo", 3, 3, 3]);
    const m = await loadModel({ spec: { path: join(dir, "DialOnly.tla") } });
    const text = toTLCText(r.trace!, m);
    expect(text.split("\n").filter((l) => l.startsWith("State "))).toEqual([
      "State 1: <Initial predicate>",
      "State 2: <Action line 6, col 1 to line 6, col 30 of module DialOnly>",
      "State 3: <Action line 6, col 1 to line 6, col 30 of module DialOnly>",
    ]);
  });

  it("treats a primed instance variable mapped to an expression as free inside ENABLED, as TLC does", async () => {
    // Semantically ENABLED <<ANext>>_a is FALSE here (0 * x' cannot be 1), but TLC binds a' itself
    // and so finds WF_a(ANext) violated: "Temporal properties were violated", 3 generated, 2 distinct,
    // x = 0 then Stuttering.
    const abs = "---- MODULE AbsE ----\nEXTENDS Naturals\nVARIABLE a\nANext == a' = a + 1\nAFair == [][ANext]_a /\\ WF_a(ANext)\n====\n";
    const con = "---- MODULE ConE ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = 1 - x\nSpec == Init /\\ [][Next]_x\nA == INSTANCE AbsE WITH a <- 0 * x\nP == A!AFair\n====\n";
    const r = await checkSpec({ spec: { name: "ConE", source: con }, cfg: { source: "SPECIFICATION Spec\nPROPERTY P\n" }, modules: { AbsE: abs } });
    expect([r.verdict, r.name, r.generated, r.distinct, r.traceLength, r.loopIndex]).toEqual(["liveness", "P", 3, 2, 1, 0]);
  });

  it("takes UNCHANGED <<x, e>> of an instance whose e is mapped to an expression as TLC does (x' = x, then e' = e)", async () => {
    // Regression: Azure's azure-cosmos-tla show521677simplePCal.cfg instantiates CosmosDB WITH
    // epoch <- 1, and CosmosDB's actions say UNCHANGED <<log, epoch, ...>>. tla-check evaluated that
    // as a predicate before assigning log', and stopped with "the variable log has no value yet
    // here"; TLC: no error, 3 distinct states, 6 generated.
    const inner = "---- MODULE InnerU ----\nEXTENDS Naturals\nVARIABLES x, e\nSame == UNCHANGED <<x, e>>\n====\n";
    const outer = "---- MODULE OuterU ----\nEXTENDS Naturals\nVARIABLE x\nI == INSTANCE InnerU WITH e <- 1\nInit == x = 0\nNext == (x < 2 /\\ x' = x + 1) \\/ I!Same\n====\n";
    const r = await checkSpec({ spec: { name: "OuterU", source: outer }, cfg: { source: "INIT Init\nNEXT Next\n" }, modules: { InnerU: inner } });
    expect([r.verdict, r.distinct, r.generated]).toEqual(["ok", 3, 6]);
  });

  it("labels a step of an instance action in Next as TLC does: <C!Op(args)> at the INSTANCE definition", async () => {
    // TLC: "Action property Prop is violated", State 2: <D!Up line 4, col 1 to line 4, col 31 of module PrefNext4>,
    // State 3: <D!Down(1) line 4, col 1 to line 4, col 31 of module PrefNext4>.
    const dial = "---- MODULE Dial2 ----\nEXTENDS Naturals\nVARIABLE d\nUp == d < 3 /\\ d' = d + 1\nDown(k) == d >= k /\\ d' = d - k\n====\n";
    const spec = "---- MODULE PrefNext4 ----\nEXTENDS Naturals, TLC\nVARIABLE h\nD == INSTANCE Dial2 WITH d <- h\nInit == h = 0\nSpec == Init /\\ [][D!Up \\/ \\E k \\in {1} : D!Down(k)]_h\nProp == [][~(h = 1 /\\ h' = 0)]_h\n====\n";
    const opts = { spec: { name: "PrefNext4", source: spec }, cfg: { source: "SPECIFICATION Spec\nPROPERTY Prop\n" }, modules: { Dial2: dial } };
    const r = await checkSpec(opts);
    expect([r.verdict, r.name, r.traceLength]).toEqual(["property", "Prop", 3]);
    const text = toTLCText(r.trace!, await loadModel(opts));
    expect(text.split("\n").filter((l) => l.startsWith("State ")).map((l) => l.replace(/ of module .*/, ""))).toEqual([
      "State 1: <Initial predicate>",
      "State 2: <D!Up line 4, col 1 to line 4, col 31",
      "State 3: <D!Down(1) line 4, col 1 to line 4, col 31",
    ]);
  });

  it("gives the same verdict with two workers", async () => {
    const dir = join(corpusDir, "refinement-broken");
    const r = await checkSpec({ spec: { path: join(dir, "HMBadInit.tla") }, cfg: { path: join(dir, "HMBadInit.cfg") }, workers: 2 });
    expect([r.verdict, r.name, r.traceLength]).toEqual(["property", "HCini", 1]);
    expect(r.trace![0]!.state).toEqual([0, 0]);
  });
});

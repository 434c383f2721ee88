// Liveness material: fairness and temporal properties compiled into formula trees whose leaves
// are predicates the engine can evaluate; without `temporal: true` such properties are rejected.
import { describe, expect, it } from "vitest";
import type { LiveFormula } from "../../src/eval/temporal.js";
import { loadModel } from "../../src/load.js";
import { TlaError } from "../../src/model.js";
import { loadError } from "./helpers.js";

const SPEC = `---- MODULE Live ----
EXTENDS Naturals
CONSTANT Procs
VARIABLE pc
vars == <<pc>>
Init == pc = [p \\in Procs |-> 0]
Step(p) == pc[p] < 2 /\\ pc' = [pc EXCEPT ![p] = @ + 1]
Next == \\E p \\in Procs : Step(p)
Fair == \\A p \\in Procs : WF_vars(Step(p))
Spec == Init /\\ [][Next]_vars /\\ Fair
Done(p) == pc[p] = 2
AllDone == \\A p \\in Procs : <>Done(p)
Progress == (pc[1] = 0) ~> Done(1)
Safe == [](\\A p \\in Procs : pc[p] <= 2)
====
`;
const CFG = "CONSTANT Procs = {1, 2}\nSPECIFICATION Spec\nPROPERTIES AllDone Progress Safe\n";

function shape(f: LiveFormula): string {
  switch (f.k) {
    case "bool":
      return String(f.value);
    case "state":
    case "action":
      return `${f.k}(${f.text})`;
    case "not":
      return `~${shape(f.f)}`;
    case "and":
    case "or":
      return `${f.k}[${f.fs.map(shape).join(", ")}]`;
    case "always":
      return `[]${shape(f.f)}`;
    case "eventually":
      return `<>${shape(f.f)}`;
    case "leadsto":
      return `${shape(f.from)} ~> ${shape(f.to)}`;
    case "fair":
      return `${f.strong ? "SF" : "WF"}(${f.text})`;
  }
}

describe("temporal formulas for liveness", () => {
  it("rejects liveness properties unless the caller checks them", async () => {
    const e = await loadError(SPEC, CFG);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toContain("temporal properties not supported yet: AllDone");
  });

  it("expands fairness over constant sets and compiles properties into predicate leaves", async () => {
    const m = await loadModel({ spec: { name: "Live", source: SPEC }, cfg: { source: CFG }, temporal: true });
    expect(m.liveness.fairness.map(shape)).toEqual(["and[WF(WF_vars(Step(p))), WF(WF_vars(Step(p)))]"]);
    // However the PROPERTY's \A is split (one formula, or one per element: src/properties.ts),
    // each element is expanded with p bound.
    const conjuncts = (f: LiveFormula): LiveFormula[] => (f.k === "and" ? f.fs.flatMap(conjuncts) : [f]);
    const of = (name: string): string[] => m.liveness.properties.filter((p) => p.name === name).flatMap((p) => conjuncts(p.formula).map(shape));
    expect(of("AllDone")).toEqual(["<>state(Done(p))", "<>state(Done(p))"]);
    expect(of("Progress")).toEqual(["state(pc[1] = 0) ~> state(Done(1))"]);
    // Safe == [](...) is a state invariant, as TLC reports it.
    expect(m.invariants.map((i) => i.name)).toEqual(["Safe"]);
    const [init] = m.initStates({ level: 1 });
    const ec = { level: 1 };
    const fair = m.liveness.fairness[0]!;
    if (fair.k !== "and" || fair.fs[0]!.k !== "fair" || fair.fs[1]!.k !== "fair") throw new Error("unexpected shape");
    const [w1, w2] = [fair.fs[0]!, fair.fs[1]!];
    expect(w1.enabled(init!.state, ec)).toBe(true);
    const [s1] = m.successors(init!.state, ec);
    // The first successor steps process 1: <<Step(1)>>_vars holds, <<Step(2)>>_vars does not.
    expect(w1.step(init!.state, s1!.state, ec)).toBe(true);
    expect(w2.step(init!.state, s1!.state, ec)).toBe(false);
    const all = conjuncts(m.liveness.properties[0]!.formula);
    const done = all.map((f) => (f.k === "eventually" && f.f.k === "state" ? f.f : null));
    expect(done.map((d) => d?.holds(init!.state, ec))).toEqual([false, false]);
  });
});

const SHAPES = `---- MODULE Shapes ----
EXTENDS Naturals
CONSTANT N
VARIABLES x, y
vars == <<x, y>>
Init == x = 0 /\\ y = 0
Next == x' = (x + 1) % 3 /\\ UNCHANGED y
Spec == Init /\\ [][Next]_vars
Ev(v) == <>(v = 2)
Both == <>(x = 1 /\\ y = 0)
Const == <>(N > 2)
Branch == IF x = 0 THEN <>(x = 1) ELSE [](y = 0)
NoneE == \\E p \\in {} : <>(x = p)
NoneA == [](\\A p \\in {} : <>(x = p))
Implies == <>[](x = 0) => []<>(y = 1)
Negated == ~[]<>(x = 1)
Steps == []<><<Next>>_vars
Box == <>[][x' > x]_x
StateArg == []Ev(x)
Equiv == [](x = 0) <=> <>(y = 1)
StateSet == \\A p \\in {x} : <>(y = p)
CaseT == CASE x = 0 -> <>(y = 1) [] OTHER -> [](y = 0)
RECURSIVE Rec(_)
Rec(n) == IF n = 0 THEN <>(x = 0) ELSE <>Rec(n - 1)
RecProp == Rec(2)
====
`;

async function shapes(...props: string[]): Promise<LiveFormula[]> {
  const cfg = `CONSTANT N = 3\nSPECIFICATION Spec\nPROPERTIES ${props.join(" ")}\n`;
  const m = await loadModel({ spec: { name: "Shapes", source: SHAPES }, cfg: { source: cfg }, temporal: true });
  return m.liveness.properties.map((p) => p.formula);
}

describe("temporal formulas in TLC's shape (astToLive)", () => {
  it("makes each subformula without temporal operators one leaf, a constant one a boolean", async () => {
    const [both, konst] = await shapes("Both", "Const");
    expect(shape(both!)).toBe("<>state(x = 1 /\\ y = 0)");
    expect(shape(konst!)).toBe("<>true");
  });

  it("expands a temporal IF into two cases sharing the guard", async () => {
    const [f] = await shapes("Branch");
    expect(shape(f!)).toBe("or[and[state(x = 0), <>state(x = 1)], and[~state(x = 0), []state(y = 0)]]");
    if (f!.k !== "or" || f!.fs[0]!.k !== "and" || f!.fs[1]!.k !== "and" || f!.fs[1]!.fs[0]!.k !== "not") throw new Error("unexpected shape");
    expect(f!.fs[1]!.fs[0]!.f).toBe(f!.fs[0]!.fs[0]);
  });

  it("gives the constants TLC gives for temporal quantifiers over the empty set", async () => {
    expect((await shapes("NoneE", "NoneA")).map(shape)).toEqual(["false", "[]true"]);
  });

  it("keeps implication, negation and action leaves under [] and <>", async () => {
    expect((await shapes("Implies", "Negated", "Steps", "Box")).map(shape)).toEqual([
      "or[~<>[]state(x = 0), []<>state(y = 1)]",
      "~[]<>state(x = 1)",
      "[]<>action(<<Next>>_vars)",
      "<>[]action([x' > x]_x)",
    ]);
  });

  it("substitutes a state-level argument of a temporal operator, as TLC binds arguments lazily", async () => {
    const [f] = await shapes("StateArg");
    expect(shape(f!)).toBe("[]<>state(v = 2)");
    if (f!.k !== "always" || f!.f.k !== "eventually" || f!.f.f.k !== "state") throw new Error("unexpected shape");
    const leaf = f!.f.f;
    expect([0, 1, 2].map((x) => leaf.holds([x, 0], { level: 1 }))).toEqual([false, false, true]);
  });

  // TLC 2.20 on the same three properties: "TLC cannot handle the temporal formula line 20, col 10 to ..."
  // (Equiv), "... line 21, col 13 ...: In evaluation, the identifier x is either undefined ..." (StateSet),
  // "... line 22, col 10 ..." (CaseT).
  it("refuses what TLC cannot handle, naming the formula", async () => {
    const e = await loadModel({ spec: { name: "Shapes", source: SHAPES }, cfg: { source: "CONSTANT N = 3\nSPECIFICATION Spec\nPROPERTY Equiv\n" }, temporal: true }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: "unsupported", message: expect.stringContaining("TLC cannot handle the temporal formula [](x = 0) <=> <>(y = 1)") });
    const e2 = await loadModel({ spec: { name: "Shapes", source: SHAPES }, cfg: { source: "CONSTANT N = 3\nSPECIFICATION Spec\nPROPERTY StateSet\n" }, temporal: true }).catch((x: unknown) => x);
    expect(e2).toMatchObject({ kind: "unsupported", message: expect.stringContaining("ranges over a set that depends on the state"), location: { line: 21, column: 13 } });
    const e3 = await loadModel({ spec: { name: "Shapes", source: SHAPES }, cfg: { source: "CONSTANT N = 3\nSPECIFICATION Spec\nPROPERTY CaseT\n" }, temporal: true }).catch((x: unknown) => x);
    expect(e3).toMatchObject({ kind: "unsupported", message: expect.stringContaining("TLC cannot handle the temporal formula CASE"), location: { line: 22, column: 10 } });
    // TLC 2.20 overflows its stack on RecProp ("This was a Java StackOverflowError"); we refuse it.
    const e4 = await loadModel({ spec: { name: "Shapes", source: SHAPES }, cfg: { source: "CONSTANT N = 3\nSPECIFICATION Spec\nPROPERTY RecProp\n" }, temporal: true }).catch((x: unknown) => x);
    expect(e4).toMatchObject({ kind: "unsupported", message: expect.stringContaining("Rec is recursive") });
  });
});

describe("temporal leaves at run time", () => {
  it("a leaf that is not a boolean is an evaluation error at its place", async () => {
    const src = SHAPES.replace("====", "NotBool == <>(x + 1)\n====");
    const m = await loadModel({ spec: { name: "Shapes", source: src }, cfg: { source: "CONSTANT N = 3\nSPECIFICATION Spec\nPROPERTY NotBool\n" }, temporal: true });
    const f = m.liveness.properties[0]!.formula;
    if (f.k !== "eventually" || f.f.k !== "state") throw new Error("unexpected shape");
    const leaf = f.f;
    expect(() => leaf.holds([0, 0], { level: 1 })).toThrow(TlaError);
    expect(() => leaf.holds([0, 0], { level: 1 })).toThrow(/x \+ 1 evaluated to 1, not a boolean/);
    try {
      leaf.holds([0, 0], { level: 1 });
    } catch (e) {
      expect((e as TlaError).location).toMatchObject({ line: 26, column: 15 });
    }
  });
});

// Liveness material: fairness and temporal properties compiled into formula trees whose leaves
// are predicates the engine can evaluate; without `temporal: true` such properties are rejected.
import { describe, expect, it } from "vitest";
import type { LiveFormula } from "../../src/eval/temporal.js";
import { loadModel } from "../../src/load.js";
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
    expect(m.liveness.properties.map((p) => [p.name, shape(p.formula)])).toEqual([
      ["AllDone", "and[<>state(Done(p)), <>state(Done(p))]"],
      ["Progress", "state(pc[1] = 0) ~> state(Done(1))"],
    ]);
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
    const all = m.liveness.properties[0]!.formula;
    if (all.k !== "and" || all.fs[0]!.k !== "eventually" || all.fs[0]!.f.k !== "state") throw new Error("unexpected shape");
    expect(all.fs[0]!.f.holds(init!.state, ec)).toBe(false);
  });
});

// The liveness normal form (solutions, their checks and possible error models, tableaux)
// against TLC's own: testdata/live/<Name>.tlc.txt holds TLC's per-solution debug lines and
// <Name>.dot the tableau of its last solution with one, recorded by testdata/live/record.sh (TLC 2.20,
// rev 8d3143c, with -Dtlc2.tool.liveness.Liveness.debug=true and .tableauExportPath).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalForm, solutionsOf, type NormalSolution } from "../../src/check/live/normalize.js";
import { show } from "../../src/check/live/ln.js";
import { loadModel, type LoadedModel } from "../../src/load.js";
import { debugLines, tableauDot } from "./live-tlc-format.js";
import { TlaError } from "../../src/model.js";
import type { LiveFormula } from "../../src/eval/temporal.js";

const DIR = join(import.meta.dirname, "testdata", "live");

function loadCfg(cfg: string): Promise<LoadedModel> {
  // As record.sh: the spec is Live.tla unless the cfg names another ("\* module: Name").
  const module = /^\\\* module: *(\w+)/m.exec(readFileSync(join(DIR, cfg), "utf8"))?.[1] ?? "Live";
  return loadModel({ spec: { path: join(DIR, `${module}.tla`) }, cfg: { path: join(DIR, cfg) }, temporal: true });
}

const cfgs = readdirSync(DIR)
  .filter((f) => f.endsWith(".cfg"))
  .map((f) => f.slice(0, -4));

describe("liveness normal form equals TLC's", () => {
  it("has fixtures", () => expect(cfgs.length).toBeGreaterThan(20));

  for (const name of cfgs) {
    it(name, async () => {
      const tlc = readFileSync(join(DIR, `${name}.tlc.txt`), "utf8").split("\n");
      const m = await loadCfg(`${name}.cfg`);
      // TLC's startup warnings about properties checked without fairness (or without SPECIFICATION).
      const warned = tlc.filter((l) => l.startsWith("Warning: Temporal properties")).map((l) => l.slice("Warning: ".length));
      expect(m.warnings.filter((w) => w.startsWith("Temporal properties"))).toEqual(warned);
      const rejected = tlc.find((l) => l.startsWith("Error: Temporal formulas containing actions"));
      if (rejected) {
        let err: unknown;
        try {
          normalForm(m.liveness.fairness, m.liveness.properties);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(TlaError);
        expect((err as TlaError).kind).toBe("unsupported");
        expect((err as TlaError).message).toContain(`TLC cannot check the property ${name}: temporal formulas containing actions must be of forms <>[]A or []<>A`);
        expect((err as TlaError).location).toMatchObject({ file: expect.stringContaining("Live.tla") });
        return;
      }
      const sols = normalForm(m.liveness.fairness, m.liveness.properties);
      if (tlc.includes("Error: Temporal formula is a tautology (its negation is unsatisfiable).")) {
        expect(sols).toEqual([]);
        expect(() => solutionsOf(m.liveness.fairness, m.liveness.properties)).toThrow(`Temporal formula is a tautology (its negation is unsatisfiable): ${name}`);
        return;
      }
      expect(debugLines(sols)).toEqual(tlc.filter((l) => l.startsWith("Implied-temporal")));
      const dotFile = join(DIR, `${name}.dot`);
      // TLC writes the file for each tableau it builds: the last solution that has one.
      const last = sols.filter((s) => s.tableau).at(-1)?.tableau;
      if (existsSync(dotFile)) expect(last && tableauDot(last)).toBe(readFileSync(dotFile, "utf8"));
      else expect(last ?? null).toBeNull();
    });
  }
});

describe("solutions", () => {
  it("classifies WF/SF fairness and <>[]/[]<> properties into TLC's bins, AE actions before EA", async () => {
    const m = await loadCfg("Many.cfg");
    const sols = normalForm(m.liveness.fairness, m.liveness.properties);
    // ~(x = 1 ~> x = 2) is <>(x = 1 /\ []~(x = 2)); SF_vars(B) splits every disjunct in two.
    expect(sols.map((s) => (s.tf ? show(s.tf) : null))).toEqual([
      "<>((x = 1) /\\ []-(x = 2))",
      null,
      "<>((x = 1) /\\ <>-(x > 0))",
    ]);
    const second = sols[1]!;
    expect(second.checkAction.map(show)).toEqual([
      "(-(ENABLED of WF_vars(A)) \\/ (step of WF_vars(A)))",
      "-(ENABLED of SF_vars(B))",
      "-(x = 0)",
      "(x = 0)",
      "-(x = 1)",
      "(step of SF_vars(B))",
    ]);
    expect(second.pems).toEqual([
      { eaAction: [1, 2], aeState: [], aeAction: [0], property: "InfOften", propertyConditions: true },
      { eaAction: [1, 3, 4], aeState: [], aeAction: [0], property: "Implication", propertyConditions: true },
      { eaAction: [2], aeState: [], aeAction: [0, 5], property: "InfOften", propertyConditions: true },
      { eaAction: [3, 4], aeState: [], aeAction: [0, 5], property: "Implication", propertyConditions: true },
    ]);
    expect(sols[0]!.pems.map((p) => p.property)).toEqual(["LeadsTo", "LeadsTo"]);
    // ~(x = 1 ~> x = 2) is all tableau: its models' conditions are the fairness's alone.
    expect(sols[0]!.pems.map((p) => p.propertyConditions)).toEqual([false, false]);
    expect(sols[2]!.pems.map((p) => p.property)).toEqual(["NestedBox", "NestedBox"]);
  });

  it("merges []<> disjuncts of different properties into one model naming both, placed last", async () => {
    const m = await loadCfg("MergeAE.cfg");
    const sols = normalForm(m.liveness.fairness, m.liveness.properties);
    // ~<>[](x = 0) \/ ~<>[](x = 1) is []<>(~(x = 0) \/ ~(x = 1)): one AE state check, after LeadsTo's solution.
    expect(sols.map((s) => s.pems.map((p) => p.property))).toEqual([["LeadsTo", "LeadsTo"], ["EvAlways", "EvAlways"]]);
    expect(sols[1]!.checkState.map(show)).toEqual(["(-(x = 0) \\/ -(x = 1))"]);
    expect(sols[1]!.pems.map((p) => [p.aeState, p.properties])).toEqual([
      [[0], ["EvAlways", "EvAlways1"]],
      [[0], ["EvAlways", "EvAlways1"]],
    ]);
    expect(sols[0]!.pems[0]!.properties).toBeUndefined();
  });

  it("orders the AE actions of two SF conjuncts as TLC's cross product does", async () => {
    const m = await loadCfg("ManyAE.cfg");
    const [first] = normalForm(m.liveness.fairness, m.liveness.properties);
    // Checks: 0 WF(A), 1/2 ~ENABLED of SF(Step(1))/SF(Step(2)), 3 ~(x = 0), 4 ~ENABLED A, 5/6 the SF steps.
    expect(first!.pems.map((p) => [p.eaAction, p.aeAction])).toEqual([
      [[1, 2, 3], [0]],
      [[1, 2, 4], [0]],
      [[1, 3], [0, 5]],
      [[1, 4], [0, 5]],
      [[2, 3], [0, 6]],
      [[2, 4], [0, 6]],
      [[3], [0, 6, 5]],
      [[4], [0, 6, 5]],
    ]);
  });

  it("evaluates checks and tableau consistency on states", async () => {
    const m = await loadCfg("LeadsTo.cfg");
    const [sol] = solutionsOf(m.liveness.fairness, m.liveness.properties);
    const ec = { level: 1 };
    const [init] = m.initStates(ec);
    const s0 = init!.state;
    const s1 = m.successors(s0, ec).find((x) => x.label.action === "A")!.state;
    const tab = sol!.tableau!;
    // Node 0 holds x = 1 and []~(x = 2): consistent with x = 1 only; node 1 has no state literal.
    expect(tab.initialCount).toBe(2);
    expect([tab.nodes[0]!.consistent(s0, ec), tab.nodes[0]!.consistent(s1, ec)]).toEqual([false, true]);
    expect(tab.nodes[1]!.consistent(s0, ec)).toBe(true);
    expect(tab.nodes.map((n) => n.fulfilling)).toEqual([[true], [false], [true]]);
    expect(tab.nodes.map((n) => n.successors)).toEqual([[2], [0, 1], [2]]);
    expect(tab.nodes.map((n) => n.accepting)).toEqual([false, false, false]);
    // WF_vars(A): ~ENABLED <<A>>_vars \/ <<A>>_vars holds on the A step, not on the stutter.
    expect(sol!.checkAction[0]!(s0, s1, ec)).toBe(true);
    expect(sol!.checkAction[0]!(s0, s0, ec)).toBe(false);
  });

  it("has no solution without properties", async () => {
    const m = await loadCfg("LeadsTo.cfg");
    expect(solutionsOf(m.liveness.fairness, [])).toEqual([]);
  });
});

describe("a real spec", () => {
  // TLC 2.20 (rev 8d3143c) on specs/raft, recorded with
  //   java -Dtlc2.tool.liveness.Liveness.debug=true -cp tla2tools.jar tlc2.TLC -fp 0 -workers 1 \
  //     -config MCRaftLiveness.cfg MCRaftLiveness.tla
  const TLC_RAFT = [
    [0, 66, 0, 1],
    [1, 66, 0, 3],
    [1, 66, 0, 3],
    [1, 66, 0, 3],
    [0, 66, 1, 0],
  ].map(
    ([promises, first, second, nodes]) =>
      `Implied-temporal checking--branch of satisfiable problem has 5 possible error model(s), ${promises} promise(s), ${first} state check(s), ${second} action check(s), and a tableau with ${nodes} node(s).`,
  );

  it("Raft's liveness properties under its fairness have TLC's solutions", async () => {
    const dir = join(import.meta.dirname, "..", "..", "..", "..", "specs", "raft");
    const m = await loadModel({ spec: { path: join(dir, "MCRaftLiveness.tla") }, cfg: { path: join(dir, "MCRaftLiveness.cfg") }, temporal: true });
    const sols = normalForm(m.liveness.fairness, m.liveness.properties);
    expect(debugLines(sols)).toEqual([...TLC_RAFT, "Implied-temporal checking--satisfiability problem has 5 branches."]);
    // ~EventuallyLeader is a []<> disjunct: TLC moves it last.
    expect(sols.map((s) => s.pems[0]!.property)).toEqual(["EventuallyCommitted", "LeaderCommits", "LeaderCommits", "LeaderCommits", "EventuallyLeader"]);
  });
});

describe("atom evaluation", () => {
  it("evaluates an atom shared by several solutions once per state, and again for another state", () => {
    let calls = 0;
    const enabled = (s: readonly unknown[]): boolean => {
      calls++;
      return s[0] === 0;
    };
    const step = (from: readonly unknown[], to: readonly unknown[]): boolean => from[0] !== to[0];
    const fair: LiveFormula = { k: "fair", strong: false, text: "WF_x(A)", enabled, step };
    const p = (v: number): LiveFormula => ({ k: "eventually", f: { k: "state", text: `x = ${v}`, holds: (s) => s[0] === v } });
    const sols = solutionsOf([fair], [
      { name: "P1", formula: p(1) },
      { name: "P2", formula: p(2) },
    ]);
    expect(sols.length).toBe(2);
    const ec = { level: 1 };
    const s0 = [0];
    const s1 = [1];
    // The WF check ~ENABLED \/ <<A>>: both solutions, both edges of s0 (to s1 and the stutter).
    const wf = sols.map((s) => s.checkAction[0]!);
    expect([wf[0]!(s0, s1, ec), wf[1]!(s0, s1, ec), wf[0]!(s0, s0, ec), wf[1]!(s0, s0, ec)]).toEqual([true, true, false, false]);
    expect(calls).toBe(1);
    // A new state object is evaluated afresh, even with equal contents.
    expect(wf[0]!([1], [1], ec)).toBe(true);
    expect(wf[0]!([0], [0], ec)).toBe(false);
    expect(calls).toBe(3);
  });
});

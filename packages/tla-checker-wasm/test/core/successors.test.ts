// Successor enumeration: every path through Next is one generated successor (duplicates
// included), in a deterministic order, with the label of the action that fired. The totals
// (generated/distinct) were obtained with TLC 1.8: `tlc2.TLC -workers 1 -config Dup.cfg Dup.tla`.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/load.js";
import { explore } from "./bfs.js";
import { load } from "./helpers.js";

const testdata = (f: string): string => fileURLToPath(new URL(`./testdata/${f}`, import.meta.url));

describe("successor enumeration as TLC counts it", () => {
  it("matches TLC's generated and distinct counts, duplicates included (Dup: 95 generated, 9 distinct)", async () => {
    const m = await loadModel({ spec: { path: testdata("Dup.tla") } });
    expect(explore(m)).toEqual({ generated: 95, distinct: 9 });
  });

  it("lists each path's successor in order with its label", async () => {
    const m = await loadModel({ spec: { path: testdata("Dup.tla") } });
    const inits = m.initStates({ level: 1 });
    expect(inits.map((s) => s.state.map((v) => m.values.format(v)))).toEqual([["0", "0"], ["1", "0"]]);
    expect(inits[0]!.label).toEqual({ action: "Init", params: [] });
    const succ = m.successors(inits[0]!.state, { level: 1 });
    const show = succ.map((s) => `${s.label.action}(${s.label.params.map(([n, v]) => `${n}=${m.values.format(v)}`).join(",")}) ${s.state.map((v) => m.values.format(v)).join(" ")}`);
    expect(show).toEqual([
      "Inc() 1 0",
      "Inc() 1 0",
      "Same(i=1) 0 1",
      "Same(i=1) 0 1",
      "Same(i=2) 0 2",
      "Same(i=2) 0 2",
      "Next() 0 0",
      "Next() 1 0",
      "Next() 2 0",
      "Next() 2 0",
    ]);
  });

  it("keeps an action's parameter in its label when it is passed to a value operator whose body is an IF (TLC: A(1), A(2))", async () => {
    // Regression: the parameter of F sits in an IF branch, which made F's parameter, and through
    // it A's, "by name" (as for an action argument), and by-name arguments are left out of labels.
    const m = await load(
      `---- MODULE L ----
EXTENDS Naturals
VARIABLE x
F(r) == IF r > 0 THEN r ELSE r
A(c) == x' = F(c)
B(c) == LET y == F(c) IN x' = y + 10
Next == \\E c \\in 1..2 : A(c) \\/ B(c)
Init == x = 0
====
`,
      "INIT Init\nNEXT Next\n",
    );
    const [init] = m.initStates({ level: 1 });
    const labels = m.successors(init!.state, { level: 1 }).map((s) => `${s.label.action}(${s.label.params.map(([k, v]) => `${k}=${m.values.format(v)}`).join(",")})`);
    expect(labels).toEqual(["A(c=1)", "B(c=1)", "A(c=2)", "B(c=2)"]);
  });

  it("labels actions by the innermost operator with parameters and \\E-bound names", async () => {
    const m = await load(
      `---- MODULE L ----
EXTENDS Naturals
VARIABLES msgs, n
Init == msgs = {} /\\ n = 0
Send(p) == msgs' = msgs \\cup {p} /\\ UNCHANGED n
Recv == \\E m \\in msgs : \\E k \\in {1} : msgs' = msgs \\ {m} /\\ n' = n + k
Both(p) == Send(p) /\\ n < 5
Next == \\/ \\E p \\in {"a", "b"} : Both(p) \\/ Recv
        \\/ \\E z \\in {7} : UNCHANGED <<msgs>> /\\ n' = z
====
`,
      "INIT Init\nNEXT Next\n",
    );
    const [init] = m.initStates({ level: 1 });
    const s1 = m.successors(init!.state, { level: 1 });
    const labels = (xs: typeof s1): string[] => xs.map((s) => `${s.label.action}(${s.label.params.map(([k, v]) => `${k}=${m.values.format(v)}`).join(",")})`);
    // Send is applied inside a conjunction, so it is part of the Both action.
    expect(labels(s1)).toEqual(["Both(p=\"a\")", "Both(p=\"b\")", "Next(z=7)"]);
    const s2 = m.successors(s1[0]!.state, { level: 2 });
    // Recv sits inside \E p, so it is enumerated once per p (TLC generates both).
    expect(labels(s2)).toEqual(["Both(p=\"a\")", "Recv(m=\"a\",k=1)", "Both(p=\"b\")", "Recv(m=\"a\",k=1)", "Next(z=7)"]);
    // Located at the body under Recv's leading \E's, as TLC prints it (see Header.tla's Set in test/engine).
    expect(s2[1]!.label.location).toMatchObject({ file: "L.tla", line: 6, column: 40, endLine: 6 });
  });

  it("treats x' = e as a test when x' is already assigned, and a FALSE guard cuts the path", async () => {
    const m = await load(
      `---- MODULE T ----
VARIABLE x
Init == x = 0
Next == x' \\in {1, 2, 3} /\\ x' = 2 /\\ x = 0
====
`,
      "INIT Init\nNEXT Next\n",
    );
    const [init] = m.initStates({ level: 1 });
    const s = m.successors(init!.state, { level: 1 });
    expect(s.map((x) => m.values.format(x.state[0]))).toEqual(["2"]);
    expect(m.successors(s[0]!.state, { level: 2 })).toEqual([]);
  });

  it("reads Init and Next out of SPECIFICATION and keeps its fairness for liveness", async () => {
    const m = await load(
      `---- MODULE S ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 4
Spec == Init /\\ [][Next]_x /\\ WF_x(Next)
====
`,
      "SPECIFICATION Spec\n",
    );
    expect(explore(m)).toEqual({ generated: 5, distinct: 4 });
    expect(m.temporal.fairness).toHaveLength(1);
  });

  // TLC's enumeration quirks, each figure from TLC 1.8 on exactly this Next (VARIABLE x, Init == x = 0
  // unless given): operators are expanded and their \/ and \E branch; \A expands into one action
  // per binding; constant-level definitions without parameters are values; once every primed
  // variable is assigned, the remaining conjuncts are plain predicates.
  const quirks: [string, string, number, number][] = [
    ["Ok(v) == v = 0 \\/ v < 5\nHas == \\E i \\in {1, 2, 3} : i > x\nAll == \\A i \\in {1, 2} : i > 0 \\/ i > 1", "Ok(x) /\\ Has /\\ All /\\ x' = (x + 1) % 4", 10, 4],
    ["", "(\\A i \\in {1, 2} : (i > 0 \\/ i > 1)) /\\ x' = (x + 1) % 3", 7, 3],
    ["Two(v) == v >= 0 \\/ v >= 1", "(\\A i \\in {1, 2} : Two(i)) /\\ x' = (x + 1) % 3", 13, 3],
    ["Both == x >= 0 \\/ x < 5", "x < 2 /\\ Both /\\ x' = x + 1", 5, 3],
    ["Half(i) == x >= 0 \\/ i > 0", "x < 2 /\\ Half(1) /\\ x' = x + 1", 5, 3],
    ["", "x < 2 /\\ x' = x + 1 /\\ (x >= 0 \\/ x < 5)", 3, 3],
    ["", "x < 2 /\\ x' = x + 1 /\\ (\\E i \\in {1, 2} : i > 0)", 3, 3],
    ["", "(x < 5 => \\E i \\in {1, 2} : i > 0) /\\ x' = (x + 1) % 3", 7, 3],
    ["", "(x > 5 => \\E i \\in {1, 2} : i > 0) /\\ x' = (x + 1) % 3", 4, 3],
  ];
  it.each(quirks)("counts %j / Next == %j as TLC: %i generated, %i distinct", async (defs, next, generated, distinct) => {
    const m = await load(`---- MODULE Q ----\nEXTENDS Naturals\nVARIABLE x\n${defs}\nInit == x = 0\nNext == ${next}\n====\n`, "INIT Init\nNEXT Next\n");
    expect(explore(m)).toEqual({ generated, distinct });
  });

  it("enumerates \\E a, b \\in S with the first variable varying fastest, as TLC", async () => {
    const m = await load("---- MODULE O ----\nVARIABLE x\nInit == x = <<0, 0>>\nNext == \\E a, b \\in {1, 2} : x' = <<a, b>>\n====\n", "INIT Init\nNEXT Next\n");
    const [init] = m.initStates({ level: 1 });
    expect(m.successors(init!.state, { level: 1 }).map((s) => m.values.format(s.state[0]))).toEqual(["<<1, 1>>", "<<2, 1>>", "<<1, 2>>", "<<2, 2>>"]);
  });

  it("passes a primed operator argument by name, so Drop(a) with q' = Tail(q) assigns a (TLC: 3 generated, 3 distinct)", async () => {
    const m = await load(
      "---- MODULE D ----\nEXTENDS Sequences\nVARIABLES a, b\nInit == a = <<1, 2>> /\\ b = 0\nDrop(q) == q # <<>> /\\ q' = Tail(q)\nKeep(q) == UNCHANGED q\nNext == Drop(a) /\\ Keep(b)\n====\n",
      "INIT Init\nNEXT Next\n",
    );
    expect(explore(m)).toEqual({ generated: 3, distinct: 3 });
  });

  // TLC 1.8, `tlc2.TLC -workers 1 -config Wrap.cfg Wrap.tla`: "Deadlock reached", 7 states
  // generated, 6 distinct, 2 left on queue; both steps labelled
  // <Fault line 7, col 27 to line 7, col 39 of module Wrap> (the application, not Fault's body).
  it("enumerates an action passed as an operator argument in the caller's scope (Wrap: 7 generated, 6 distinct, deadlock)", async () => {
    const m = await load(
      "---- MODULE Wrap ----\nEXTENDS Naturals\nVARIABLES x, n\nInit == x = 0 /\\ n = 0\nInc(i) == x' = x + i\nFault(A) == n < 2 /\\ A /\\ n' = n + 1\nNext == \\E i \\in {1, 2} : Fault(Inc(i))\n====\n",
      "INIT Init\nNEXT Next\n",
    );
    expect(explore(m)).toEqual({ generated: 7, distinct: 6 });
    const [init] = m.initStates({ level: 1 });
    const step1 = m.successors(init!.state, { level: 2 });
    expect(step1.map((s) => s.state.map((v) => m.values.format(v)).join(" "))).toEqual(["1 1", "2 1"]);
    expect(step1[0]!.label.action).toBe("Fault");
    expect(step1[0]!.label.params).toEqual([]);
    expect(step1[0]!.label.location).toMatchObject({ line: 7, column: 27, endLine: 7, endColumn: 39 });
    // Deadlock: once n = 2 no action is enabled.
    const step2 = m.successors(step1[0]!.state, { level: 2 });
    expect(step2.map((s) => s.state.map((v) => m.values.format(v)).join(" "))).toEqual(["2 2", "3 2"]);
    expect(m.successors(step2[0]!.state, { level: 2 })).toEqual([]);
  });

  // TLC 1.8 on G: deadlock, 4 generated, 4 distinct, each step labelled
  // <Step line 6, col 9 to line 6, col 19 of module G>: an argument TLC cannot evaluate without a
  // state makes the application one action, named by its own span.
  it("evaluates a by-name parameter used as a conjunct as a predicate when given a state predicate (G: 4 generated, 4 distinct)", async () => {
    const m = await load(
      "---- MODULE G ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nStep(P) == P /\\ x' = x + 1\nNext == Step(x < 3)\n====\n",
      "INIT Init\nNEXT Next\n",
    );
    expect(explore(m)).toEqual({ generated: 4, distinct: 4 });
    const [init] = m.initStates({ level: 1 });
    const [step] = m.successors(init!.state, { level: 2 });
    expect(step!.label).toMatchObject({ action: "Step", params: [], location: { line: 6, column: 9, endLine: 6, endColumn: 19 } });
  });
});

describe("the static list of Next's actions", () => {
  it("names every action a step can be labelled with, including one the model never enables", async () => {
    const m = await load(
      `---- MODULE Acts ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\\ y = 0
Inc == x < 3 /\\ x' = x + 1 /\\ UNCHANGED y
Never == x > 100 /\\ x' = 0 /\\ UNCHANGED y
Pair(i) == IF i = 1 THEN y' = i /\\ UNCHANGED x ELSE Never
Wrap(i) == Pair(i)
Next == \\/ Inc
        \\/ \\E i \\in {1, 2} : Wrap(i)
        \\/ (x = 3 /\\ UNCHANGED <<x, y>>)
====
`,
      "INIT Init\nNEXT Next\n",
    );
    expect(m.actions).toEqual(["Inc", "Pair", "Never", "Next"]);
    // Every label the search produces is on the list (Never is listed but never taken).
    const seen = new Set<string>();
    const todo = m.initStates({ level: 1 }).map((s) => s.state);
    const fps = new Set<bigint>();
    while (todo.length > 0) {
      const s = todo.pop()!;
      for (const t of m.successors(s, { level: 1 })) {
        seen.add(t.label.action);
        const fp = m.values.fingerprintState(t.state);
        if (!fps.has(fp)) (fps.add(fp), todo.push(t.state));
      }
    }
    expect([...seen].sort()).toEqual(["Inc", "Next", "Pair"]);
  });

  it("lists the labels of the Dup spec", async () => {
    const m = await loadModel({ spec: { path: testdata("Dup.tla") } });
    expect(m.actions).toEqual(["Inc", "Same", "Next"]);
  });
});

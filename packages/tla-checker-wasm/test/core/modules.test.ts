// Modules and operators: EXTENDS and INSTANCE (named, unnamed, parameterised, implicit
// substitution), RECURSIVE operators, higher-order operators and LAMBDA, operator constants,
// ENABLED. Counts in comments were obtained with TLC 1.8 on the same text.
import { describe, expect, it } from "vitest";
import { explore } from "./bfs.js";
import { load, loadError } from "./helpers.js";

const CHANNEL = `---- MODULE Channel ----
EXTENDS Naturals, Sequences
CONSTANTS Data, Cap
VARIABLE chan
Empty == chan = <<>>
Send(d) == Len(chan) < Cap /\\ chan' = Append(chan, d)
Recv == chan # <<>> /\\ chan' = Tail(chan)
Size == Len(chan)
====
`;

describe("INSTANCE", () => {
  it("substitutes constants and variables, named and parameterised (TLC: 39 generated, 21 distinct)", async () => {
    const m = await load(
      `---- MODULE Two ----
EXTENDS Naturals, Sequences
VARIABLES a, b
A == INSTANCE Channel WITH chan <- a, Data <- {1, 2}, Cap <- 2
C(ch) == INSTANCE Channel WITH chan <- ch, Data <- {1, 2}, Cap <- 1
Init == a = <<>> /\\ b = <<>>
Next == \\/ \\E d \\in {1, 2} : A!Send(d) /\\ UNCHANGED b
        \\/ A!Recv /\\ C(b)!Send(Head(a))
        \\/ C(b)!Recv /\\ UNCHANGED a
Inv == A!Size <= 2 /\\ C(b)!Size <= 1
====
`,
      "INIT Init\nNEXT Next\nINVARIANT Inv\n",
      { Channel: CHANNEL },
    );
    expect(explore(m)).toEqual({ generated: 39, distinct: 21 });
    const [init] = m.initStates({ level: 1 });
    expect(m.invariants[0]!.holds(init!.state, { level: 1 })).toBe(true);
  });

  it("substitutes same-named identifiers implicitly and merges an unnamed INSTANCE (TLC: 7 generated, 4 distinct)", async () => {
    const m = await load(
      `---- MODULE Impl ----
EXTENDS Naturals
CONSTANTS Data, Cap
VARIABLE chan
INSTANCE Channel
Init == chan = <<>>
Next == (\\E d \\in Data : Send(d)) \\/ Recv
====
`,
      "CONSTANTS Data = {7}  Cap = 3\nINIT Init\nNEXT Next\n",
      { Channel: CHANNEL },
    );
    expect(explore(m)).toEqual({ generated: 7, distinct: 4 });
  });

  // heidihoward/pbft-tlaplus's MCpbft overrides `ViewChange <- MCViewChange` with
  // `MCViewChange(i) == ... /\ PBFT!ViewChange(i)`, PBFT == INSTANCE pbft: tla-check applied the
  // override to PBFT!ViewChange too and recursed until the stack ran out; TLC reaches the original.
  const OV_BASE = `---- MODULE OvBase ----
EXTENDS Naturals
VARIABLE x
Lim == 1
Step(d) == x' = x + d
Init == x = 0
Next == Step(1)
====
`;

  it("a root override `Op <- MCOp` leaves I!Op the instance's own definition (TLC: 4 distinct, no recursion)", async () => {
    const m = await load(
      `---- MODULE OvMC ----
EXTENDS OvBase
B == INSTANCE OvBase
MCStep(d) == x < 3 /\\ B!Step(d)
====
`,
      "INIT Init\nNEXT Next\nCONSTANT Step <- MCStep\nCHECK_DEADLOCK FALSE\n",
      { OvBase: OV_BASE },
    );
    expect(explore(m)).toEqual({ generated: 4, distinct: 4 });
  });

  it("a root override still reaches the references inside an instance's operators (TLC: 4 distinct, not 11)", async () => {
    const m = await load(
      `---- MODULE OvMC2 ----
EXTENDS OvBase
B == INSTANCE OvBase
MCStep(d) == x < 3 /\\ x' = x + d
Next2 == B!Next
Bound == x < 10
====
`,
      "INIT Init\nNEXT Next2\nCONSTANT Step <- MCStep\nCONSTRAINT Bound\n",
      { OvBase: OV_BASE },
    );
    expect(explore(m)).toEqual({ generated: 4, distinct: 4 });
  });

  it("a root value override `Def = v` leaves I!Def as written (TLC: 2 distinct, not 6)", async () => {
    const m = await load(
      `---- MODULE VMC ----
EXTENDS OvBase
B == INSTANCE OvBase
Next2 == x < 10 /\\ x < B!Lim /\\ x' = x + 1
====
`,
      "INIT Init\nNEXT Next2\nCONSTANT Lim = 5\n",
      { OvBase: OV_BASE },
    );
    expect(explore(m)).toEqual({ generated: 2, distinct: 2 });
  });

  it("a module-scoped override `Op <- [M]MCOp` does reach I!Op, as in TLC (which overflows its stack here)", async () => {
    const m = await load(
      `---- MODULE OvMC3 ----
EXTENDS OvBase
B == INSTANCE OvBase
MCStep(d) == x < 3 /\\ B!Step(d)
====
`,
      "INIT Init\nNEXT Next\nCONSTANT Step <- [OvBase]MCStep\n",
      { OvBase: OV_BASE },
    );
    expect(() => explore(m)).toThrow(/call stack|recursed/);
  });

  it("names a missing substitution", async () => {
    const e = await loadError(
      `---- MODULE Miss ----
VARIABLE x
A == INSTANCE Channel WITH chan <- x, Data <- {1}
Init == x = <<>>
Next == A!Recv
====
`,
      "INIT Init\nNEXT Next\n",
      { Channel: CHANNEL },
    );
    expect(e.message).toMatch(/^Miss\.tla:3:15: INSTANCE Channel: no substitution for Cap/);
  });

  it("reads EXTENDS from in-memory modules and reports a module that is missing", async () => {
    const e = await loadError("---- MODULE U ----\nEXTENDS Channel2\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n", "INIT Init\nNEXT Next\n", { Channel: CHANNEL });
    expect(e.message).toMatch(/^U\.tla:2:9: Cannot find module Channel2 \(referenced from module U\)/);
  });
});

describe("operators", () => {
  const OPS = `---- MODULE Ops ----
EXTENDS Naturals, Sequences
CONSTANT F(_)
VARIABLE x
RECURSIVE Fact(_)
Fact(n) == IF n = 0 THEN 1 ELSE n * Fact(n - 1)
Twice(G(_), v) == G(G(v))
Inc(v) == v + 1
Fold(op(_, _), s, init) == LET R[i \\in 0..Len(s)] == IF i = 0 THEN init ELSE op(R[i - 1], s[i]) IN R[Len(s)]
a \\oplus b == (a + b) % 5
Init == x = 0
Next == x' = x
Double(v) == 2 * v
====
`;
  it("evaluates RECURSIVE, higher-order, LAMBDA, user infix and operator constants", async () => {
    const m = await load(OPS, "CONSTANT F <- Double\nINIT Init\nNEXT Next\n");
    const show = (e: string): string => m.values.format(m.evaluate(e));
    expect(show("Fact(5)")).toBe("120");
    expect(show("Twice(Inc, 3)")).toBe("5");
    expect(show("Twice(LAMBDA v : v * v, 3)")).toBe("81");
    expect(show("Fold(+, <<1, 2, 3>>, 10)")).toBe("16");
    expect(show("Fold(LAMBDA acc, e : acc \\o <<e>>, <<1, 2>>, <<>>)")).toBe("<<1, 2>>");
    expect(show("3 \\oplus 4")).toBe("2");
    expect(show("F(21)")).toBe("42");
    expect(show("Twice(F, 1)")).toBe("4");
  });

  it("rejects an operator constant without a substitution, as TLC does before checking", async () => {
    const e = await loadError(OPS.replace("Next == x' = x", "Next == x' = F(x)"), "INIT Init\nNEXT Next\n");
    expect(e.message).toMatch(/^Ops\.tla:\d+:\d+: The constant parameter F is not assigned a value by the configuration file\./);
  });

  it("evaluates ENABLED on the current state", async () => {
    const m = await load(
      `---- MODULE En ----
EXTENDS Naturals
VARIABLE x
Up == x < 2 /\\ x' = x + 1
Init == x = 0
Next == Up \\/ (x = 2 /\\ x' = 0)
CanUp == ENABLED Up
====
`,
      "INIT Init\nNEXT Next\nINVARIANT CanUp\n",
    );
    const [init] = m.initStates({ level: 1 });
    const inv = m.invariants[0]!;
    expect(inv.holds(init!.state, { level: 1 })).toBe(true);
    const two = m.successors(m.successors(init!.state, { level: 1 })[0]!.state, { level: 2 })[0]!.state;
    expect(m.values.format(two[0])).toBe("2");
    expect(inv.holds(two, { level: 3 })).toBe(false);
  });
});

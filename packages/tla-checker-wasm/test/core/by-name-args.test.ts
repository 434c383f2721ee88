// Arguments passed by name (a parameter in action position, such as an IF branch, or primed in
// the operator's body) are evaluated at most once per context, as TLC's LazyValue caches an
// argument. Before, an operator reading such a parameter k times evaluated its argument k times,
// and a recursive operator passing its own recursion as the argument took time exponential in
// the recursion's depth: CommunityModules' DyadicRationals `Add(p, q) == IF p = Zero THEN q ELSE
// ... q ... q ...` inside Huang's `Sum(fun, set)` made the public Huang model (tlaplus/Examples)
// run for hours. The argument below calls Len once per evaluation, and the tests count Len's
// calls: one per level of the recursion, where the old evaluation made 5 + 5^2 + ... + 5^depth.
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import { countLenCalls, load } from "./helpers.js";

// Add reads its second parameter five times; the first read is an IF branch, which makes the
// parameter by name.
const OPS = `
Add(p, q) == IF p = 0 THEN q ELSE q + q + q + q - 3 * q + p
RECURSIVE Sum(_, _)
Sum(f, S) == IF S = {} THEN 0
             ELSE LET e == CHOOSE e \\in S : TRUE IN Add(f[e], Sum(f, S \\ {e}) + Len(<<e>>) - 1)
`;

const len = countLenCalls();

describe("by-name arguments are evaluated once", () => {
  it("in Init, where the state is built in place (constant arguments)", async () => {
    const model = await load(
      `---- MODULE ByNameInit ----
EXTENDS Naturals, Sequences
VARIABLE x
${OPS}
Init == x = Sum([i \\in 1..6 |-> i], 1..6)
Next == UNCHANGED x
====
`,
      "INIT Init\nNEXT Next\n",
    );
    const r = await checkModel(model, {});
    expect(r).toMatchObject({ verdict: "ok", distinct: 1, generated: 2 });
    expect(len.calls).toBe(6);
    expect(model.initStates({ level: 0 }).map((s) => s.state)).toEqual([[21]]);
  });

  it("in an invariant and in successors (state-level arguments)", async () => {
    const model = await load(
      `---- MODULE ByNameState ----
EXTENDS Naturals, Sequences
VARIABLE f
${OPS}
Init == f = [i \\in 1..6 |-> i]
Next == /\\ Sum(f, DOMAIN f) < 100
        /\\ f' = [f EXCEPT ![1] = Sum(f, DOMAIN f) - 19]
Inv == Sum(f, DOMAIN f) <= 100
====
`,
      "INIT Init\nNEXT Next\nINVARIANT Inv\n",
    );
    const r = await checkModel(model, { deadlock: false });
    // f[1] goes up by one per step (the sum is 20 + f[1]) while the sum is below 100.
    expect(r).toMatchObject({ verdict: "ok", distinct: 80, generated: 80 });
    // Per state: the invariant once, the guard and the EXCEPT once each (the successors' Sum
    // calls are not remembered across the two: their arguments are new objects).
    expect(len.calls).toBeLessThanOrEqual(80 * 3 * 6);
  });

  it("still re-evaluates an argument where Init assigns what it reads", async () => {
    // \`a\` reads y, which the body assigns in turn to 1, 2 and 3: a remembered value would be
    // stale (the context's state is the one being built).
    const model = await load(
      `---- MODULE ByNameBuild ----
EXTENDS Naturals
VARIABLE y
Op(a) == \\E v \\in 1..3 : y = v /\\ IF v > 0 THEN a ELSE a
Init == Op(y > 1)
Next == UNCHANGED y
====
`,
      "INIT Init\nNEXT Next\n",
    );
    expect(model.initStates({ level: 0 }).map((s) => s.state)).toEqual([[2], [3]]);
  });

  it("evaluates a primed by-name argument on the next state", async () => {
    const model = await load(
      `---- MODULE ByNamePrimed ----
EXTENDS Naturals
VARIABLES x, y
Pick(a, b) == IF a > b THEN a ELSE b
Init == x = 0 /\\ y = 0
Next == /\\ x' \\in {x + 1, x + 3}
        /\\ y' = Pick(x', 2) + Pick(x, 2)
====
`,
      "INIT Init\nNEXT Next\n",
    );
    expect(model.successors([0, 0], { level: 2 }).map((s) => s.state)).toEqual([
      [1, 4],
      [3, 5],
    ]);
  });
});

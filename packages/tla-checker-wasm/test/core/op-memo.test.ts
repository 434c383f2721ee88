// State-level operators are evaluated once per state and argument objects within one state's
// successor enumeration (`opMemo`, callDef in src/eval/compile.ts). Primed applications are
// evaluated on the next state and must not see the current state's remembered results; the
// figures are TLC 2.20's (`-workers 1 -deadlock`), measured on this spec.
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import { load } from "./helpers.js";

const SPEC = `---- MODULE OpMemo ----
EXTENDS Naturals
VARIABLES x, y, z
Init == x = 0 /\\ y = 0 /\\ z = 0
Plus(v) == v + x
Double == 2 * x
Next == \\/ /\\ x < 4
           /\\ x' = x + 1
           /\\ y' = Plus(1)' + Plus(1) + Plus(2)
           /\\ z' = Double' - Double
        \\/ /\\ x > 0
           /\\ x' = x - 1
           /\\ y' = Plus(1) - Plus(1)'
           /\\ z' = Double
Inv == z <= 6 /\\ y <= 2 * x + 6
====
`;

describe("operator results remembered per state", () => {
  it("keeps primed and unprimed applications of the same operator apart (TLC's figures)", async () => {
    const model = await load(SPEC, "INIT Init\nNEXT Next\nINVARIANT Inv\n");
    const r = await checkModel(model, { deadlock: false });
    expect(r).toMatchObject({ verdict: "invariant", name: "Inv", distinct: 9, generated: 12, depth: 6, traceLength: 6 });
  });

  it("gives every state its own results", async () => {
    const model = await load(SPEC, "INIT Init\nNEXT Next\n");
    // From x = 1: up to x = 2 with y = (1 + 2) + (1 + 1) + (2 + 1) and z = 4 - 2, and down to
    // x = 0 with y = (1 + 1) - (1 + 0) and z = 2.
    const from = [1, 6, 2];
    const succ = model.successors(from, { level: 2 }).map((s) => s.state);
    expect(succ).toEqual([
      [2, 8, 2],
      [0, 1, 2],
    ]);
    const again = model.successors([3, 0, 0], { level: 2 }).map((s) => s.state);
    expect(again).toEqual([
      [4, 14, 2],
      [2, 1, 6],
    ]);
  });

  it("stays right when an operator whose results are never asked again stops being remembered", async () => {
    // Rec(i) is applied once per state and argument (no hit: after a window of calls it is no
    // longer remembered); Same(1) five times out of six from the remembered result.
    const model = await load(
      `---- MODULE OpMemoOff ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Rec(i) == [a |-> i + x]
Same(i) == x * i
Next == \\E i \\in 1..3 : x' = (Rec(i).a + Same(1) + Same(1)) % 1000
====
`,
      "INIT Init\nNEXT Next\n",
    );
    for (let x = 0; x < 2000; x++) {
      const succ = model.successors([x], { level: 2 }).map((s) => s.state[0]);
      expect(succ).toEqual([1, 2, 3].map((i) => (i + 3 * x) % 1000));
    }
  });
});

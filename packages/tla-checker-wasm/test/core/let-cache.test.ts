// A LET definition without parameters is evaluated at most once per entry into the LET (and
// context), as TLC's LazyValue caches it. Before, every reference evaluated it again, and a
// recursive operator whose LET definitions read each other several times (tlaplus/Examples'
// dag-consensus `Linearize`: `dagOfL` read three times, `prevL` twice, `dagOfPrev` twice)
// multiplied the work at each level: TLCSailfish1 took over 400 s of CPU, where TLC takes under
// a minute. The definitions below call Len once per evaluation, and the tests count Len's calls.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import { SEQUENCES } from "../../src/stdlib/sequences.js";
import type { Val } from "../../src/values/value.js";
import { load } from "./helpers.js";

const len = SEQUENCES.get("Len")!;
const original = len.fn1!;
let lenCalls = 0;
beforeEach(() => {
  lenCalls = 0;
  len.fn1 = (a: Val): Val => {
    lenCalls++;
    return original(a);
  };
});
afterEach(() => {
  len.fn1 = original;
});

describe("LET definitions are evaluated once per entry", () => {
  it("in a recursive operator (was exponential in the depth)", async () => {
    const model = await load(
      `---- MODULE LetRec ----
EXTENDS Naturals, Sequences
VARIABLE x
RECURSIVE R(_)
R(n) == IF n = 0 THEN 0 ELSE LET a == Len(<<n>>) + R(n - 1) IN a + a + a - 2 * a
Init == x = 0
Next == x < 2 /\\ x' = x + 1
Inv == R(8 + x) = 8 + x
====
`,
      "INIT Init\nNEXT Next\nINVARIANT Inv\n",
    );
    const r = await checkModel(model, { deadlock: false });
    expect(r).toMatchObject({ verdict: "ok", distinct: 3, generated: 3 });
    // One Len per level and state: 8 + 9 + 10; read three times per level it was 3^8 + 3^9 + 3^10.
    expect(lenCalls).toBe(27);
  });

  it("again at each entry: the bound variables it reads may have changed", async () => {
    const model = await load(
      `---- MODULE LetBound ----
EXTENDS Naturals, Sequences
VARIABLE x
Init == x = 1
Next == x < 3 /\\ x' = x + 1
Inv == /\\ \\A i \\in 1..4 : LET y == i * 10 + x + Len(<<i>>) - 1 IN y = i * 10 + x /\\ y + y = 2 * (i * 10 + x)
       /\\ {LET y == i * x IN y + y : i \\in 1..3} = {2 * x, 4 * x, 6 * x}
       /\\ [i \\in 1..3 |-> LET y == i + x IN <<y, y>>] = [i \\in 1..3 |-> <<i + x, i + x>>]
       /\\ LET f[n \\in 0..3] == IF n = 0 THEN 0 ELSE LET y == n + f[n - 1] IN y IN f[3] = 6
====
`,
      "INIT Init\nNEXT Next\nINVARIANT Inv\n",
    );
    const r = await checkModel(model, { deadlock: false });
    expect(r).toMatchObject({ verdict: "ok", distinct: 3, generated: 3 });
    // Once per binding of i and state (4 bindings, 3 states), though y is read three times.
    expect(lenCalls).toBe(12);
  });

  it("again where the state is being built (Init) and on the next state (priming)", async () => {
    const model = await load(
      `---- MODULE LetBuild ----
EXTENDS Naturals
VARIABLES x, y, z
Init == /\\ x \\in 1..3
        /\\ LET d == x * 2 IN y = d
        /\\ z = 0
Next == /\\ x' = x + 1
        /\\ y' = LET d == x + 100 IN (d)' * 1000 + d
        /\\ z' = LET d == x + 100 IN d * 1000 + (d)'
====
`,
      "INIT Init\nNEXT Next\n",
    );
    expect(model.initStates({ level: 0 }).map((s) => s.state)).toEqual([
      [1, 2, 0],
      [2, 4, 0],
      [3, 6, 0],
    ]);
    // (d)' is x' + 100 = x + 101, d is x + 100, whichever is read first.
    expect(model.successors([1, 2, 0], { level: 2 }).map((s) => s.state)).toEqual([[2, 102101, 101102]]);
  });
});

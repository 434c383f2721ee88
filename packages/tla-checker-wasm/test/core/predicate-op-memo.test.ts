// A state-level definition read several times by an invariant or an action property is evaluated
// once per evaluation of it, on each of the two states of a step, as it already was within one
// state's successors. PaxosHowToWinATuringAward's refinement property `[][V!Next]_V!vars` reads
// the instance variable `votes`, mapped to a definition that builds a function from the message
// set, inside nested quantifiers: MCPaxosSmall spent two thirds of its time recomputing it. The
// definition below calls Len once per evaluation, and the tests count Len's calls.
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

const SPEC = (check: string): string => `---- MODULE PredMemo ----
EXTENDS Naturals, Sequences
VARIABLE x
d == x + Len(<<x>>) - 1
Init == x = 0
Next == x < 4 /\\ x' = x + 1
${check}
====
`;

describe("state-level definitions in predicates are evaluated once per state", () => {
  it("in an invariant", async () => {
    const model = await load(SPEC("Inv == \\A i \\in 1..3 : d + d = 2 * x"), "INIT Init\nNEXT Next\nINVARIANT Inv\n");
    const r = await checkModel(model, { deadlock: false });
    expect(r).toMatchObject({ verdict: "ok", distinct: 5, generated: 5 });
    // One call per state (five states), where every read made one: 5 * 3 * 2.
    expect(lenCalls).toBe(5);
  });

  it("in an action property, on both states of the step", async () => {
    const model = await load(SPEC("Prop == [][\\A i \\in 1..3 : d' + d' = 2 * d + 2]_x"), "INIT Init\nNEXT Next\nPROPERTY Prop\n");
    const r = await checkModel(model, { deadlock: false });
    expect(r).toMatchObject({ verdict: "ok", distinct: 5, generated: 5 });
    // Two calls per step (d and d'), four steps, where every read made one: 4 * 3 * 3.
    expect(lenCalls).toBe(8);
  });

  it("and the values stay those of each state (a violation is still found)", async () => {
    const model = await load(SPEC("Prop == [][d' = d + 1 /\\ d' < 3]_x"), "INIT Init\nNEXT Next\nPROPERTY Prop\n");
    const r = await checkModel(model, { deadlock: false });
    expect(r).toMatchObject({ verdict: "property", traceLength: 4 });
  });
});

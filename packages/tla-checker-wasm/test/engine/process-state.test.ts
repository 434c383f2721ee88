// Results must not depend on what else was loaded or checked in the same process. TLC orders
// strings by its process's intern table (the order its lexer met them), and tla-check used one
// table for the whole process: a model loaded after another one saw the first model's strings
// ranked ahead, so CHOOSE, set order and liveness counterexamples could change (specs/paxos'
// MCPaxosLivenessBroken was marked countsReliable: false for it). TLCSet's registers leaked the
// same way. Each model now has its own table and registers.
import { describe, expect, it } from "vitest";
import { checkModel, checkSpec } from "../../src/api.js";
import { loadModel } from "../../src/load.js";
import type { CheckResult } from "../../src/check/types.js";

// Mentions "zb" before "za": in its own table "zb" ranks first. (Not "a" and "b": TLC.tla, which
// TLC parses before it meets the root's strings, has identifiers a and b, so TLC ranks "a" first.)
const FIRST = `---- MODULE First ----
EXTENDS TLC
VARIABLE x
Init == x = CHOOSE s \\in {"zb", "za"} : TRUE
Next == UNCHANGED x
Set == TLCSet(1, 7)
Inv == Set /\\ x = "zb"
====
`;
// Mentions "za" first: CHOOSE picks "za", which violates Inv (with "zb" ranked first it would hold).
const SECOND = `---- MODULE Second ----
EXTENDS TLC
VARIABLE x
Init == x = CHOOSE s \\in {"za", "zb"} : TRUE
Next == UNCHANGED x
Inv == x # "za"
Reg == TLCGet(1) = 7
====
`;
const CFG = "INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n";
const spec = (source: string, name: string, cfg = CFG) => ({ spec: { name, source }, cfg: { source: cfg } });
const summary = (r: CheckResult) => ({ verdict: r.verdict, name: r.name, distinct: r.distinct, trace: r.trace?.map((t) => JSON.stringify(t.state)) ?? null, error: r.error?.message ?? null });

describe("a model's results do not depend on earlier checks in the same process", () => {
  it("checked one after the other, in both orders", async () => {
    const first1 = summary(await checkSpec(spec(FIRST, "First")));
    const second1 = summary(await checkSpec(spec(SECOND, "Second")));
    const second2 = summary(await checkSpec(spec(SECOND, "Second")));
    const first2 = summary(await checkSpec(spec(FIRST, "First")));
    expect(first1).toMatchObject({ verdict: "ok" });
    expect(second1).toMatchObject({ verdict: "invariant", name: "Inv" });
    expect(second2).toEqual(second1);
    expect(first2).toEqual(first1);
  });

  it("both loaded first, then checked in both orders", async () => {
    const a = await loadModel(spec(FIRST, "First"));
    const b = await loadModel(spec(SECOND, "Second"));
    const ab = [summary(await checkModel(a)), summary(await checkModel(b))];
    const b2 = await loadModel(spec(SECOND, "Second"));
    const a2 = await loadModel(spec(FIRST, "First"));
    const ba = [summary(await checkModel(b2)), summary(await checkModel(a2))];
    expect(ba[0]).toEqual(ab[1]);
    expect(ba[1]).toEqual(ab[0]);
    expect(ab[1]).toMatchObject({ verdict: "invariant" });
  });

  it("TLCSet's registers are the model's own", async () => {
    await checkSpec(spec(FIRST, "First"));
    const r = await checkSpec(spec(SECOND, "Second", "INIT Init\nNEXT Next\nINVARIANT Reg\nCHECK_DEADLOCK FALSE\n"));
    expect(r.verdict).toBe("error");
    expect(r.error?.message).toContain("register 1 was never set");
  });
});

// `\E` bindings whose body is certainly FALSE are skipped before the body is called
// (src/eval/guard-precheck.ts): message handlers that test `m.type`, `m.dest` first. Skipping must
// not change anything TLC reports: the figures below are TLC 2.20's (`-workers 1`, the same spec
// with `Extra` substituted as named), including the two evaluation errors a handler's first
// conjuncts raise (a missing field, values of kinds TLC cannot compare), which must still happen
// at the same binding of the same state.
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import { load } from "../core/helpers.js";

const SPEC = `---- MODULE Precheck ----
EXTENDS Naturals
CONSTANTS S1, S2, S3, Extra
Server == {S1, S2, S3}
Ack == "ack"
VARIABLES msgs, got
Init == /\\ msgs = {[type |-> "req", dest |-> S1, n |-> 0]} \\cup Extra
        /\\ got = [s \\in Server |-> 0]
Send(m) == msgs' = msgs \\cup {m}
Handle(i, m) ==
  /\\ m.type = "req" /\\ m.dest = i
  /\\ got' = [got EXCEPT ![i] = @ + 1]
  /\\ Send([type |-> Ack, dest |-> IF i = S1 THEN S2 ELSE S3, n |-> m.n + 1])
HandleAck(i, j, m) ==
  LET k == m.n IN
  /\\ Ack = m.type
  /\\ m.dest = i
  /\\ m.n = j
  /\\ got' = [got EXCEPT ![i] = @ + 2]
  /\\ Send([type |-> "req", dest |-> i, n |-> k + 1])
Bump(m) == m.type = "req" /\\ m.n < 3 /\\ Send([m EXCEPT !.n = @ + 1]) /\\ UNCHANGED got
Next == \\/ \\E i \\in Server, m \\in msgs : Handle(i, m)
        \\/ \\E i \\in Server, j \\in 0..3, m \\in msgs : HandleAck(i, j, m)
        \\/ \\E m \\in msgs : Bump(m) \\/ (m.type = "ack" /\\ m.dest = S3 /\\ msgs' = msgs \\ {m} /\\ UNCHANGED got)
Bounded == \\A s \\in Server : got[s] <= 3
Few == \\A s \\in Server : got[s] < 3
None == {}
NoDest == {[type |-> "ack", n |-> 0]}
StringN == {[type |-> "ack", dest |-> S2, n |-> "x", tag |-> 0]}
====
`;

const cfg = (extra: string, more = ""): string =>
  `CONSTANTS S1 = S1  S2 = S2  S3 = S3  Extra <- ${extra}\nINIT Init\nNEXT Next\nCONSTRAINT Bounded\nCHECK_DEADLOCK FALSE\n${more}`;

describe("handlers' first conjuncts tested before the call", () => {
  it("explores what TLC explores", async () => {
    const r = await checkModel(await load(SPEC, cfg("None")), { deadlock: false });
    expect(r).toMatchObject({ verdict: "ok", distinct: 726, generated: 7786, depth: 14 });
  });

  it("gives TLC's counterexample through handlers, states and step parameters", async () => {
    const r = await checkModel(await load(SPEC, cfg("None", "INVARIANT Few\n")), { deadlock: false });
    expect(r).toMatchObject({ verdict: "invariant", name: "Few", distinct: 9, generated: 11, depth: 4, traceLength: 4, queue: 4 });
    const model = await load(SPEC, cfg("None"));
    const got = r.trace!.map((s) => model.values.format(s.state[1]!));
    expect(got).toEqual(["(S1 :> 0 @@ S2 :> 0 @@ S3 :> 0)", "(S1 :> 1 @@ S2 :> 0 @@ S3 :> 0)", "(S1 :> 2 @@ S2 :> 0 @@ S3 :> 0)", "(S1 :> 3 @@ S2 :> 0 @@ S3 :> 0)"]);
  });

  it("leaves a message without the tested field to the handler, which fails where TLC fails", async () => {
    const r = await checkModel(await load(SPEC, cfg("NoDest")), { deadlock: false });
    expect(r).toMatchObject({ verdict: "error", distinct: 2, generated: 2, queue: 1, traceLength: 1 });
    expect(r.error?.message).toContain('field "dest"');
  });

  it("leaves values TLC cannot compare to the handler, which fails where TLC fails", async () => {
    const r = await checkModel(await load(SPEC, cfg("StringN")), { deadlock: false });
    expect(r).toMatchObject({ verdict: "error", distinct: 2, generated: 2, queue: 1, traceLength: 1 });
    expect(r.error?.location?.line).toBe(18);
  });
});

// TLC's standard modules beyond the six: TLCExt, Randomization and RealTime. What tla-check gives
// TLC's meaning to is checked against TLC in corpus/tlcext, corpus/randomization and
// corpus/realtime; here: every operator it cannot give TLC's meaning is refused by name (never
// evaluated as its placeholder definition), and random choices during a search depend on the
// state alone, so counts, traces and worker counts agree run after run.
import { describe, expect, it } from "vitest";
import { checkSpec } from "../../src/api.js";
import type { CheckResult } from "../../src/check/types.js";

const spec = (body: string, extendsList = "Naturals, TLC, TLCExt"): string => `---- MODULE M ----
EXTENDS ${extendsList}
VARIABLE x
Init == x = 0
Next == x < 2 /\\ x' = x + 1
${body}
====
`;

function check(source: string, cfg: string, extra: { modules?: Record<string, string>; workers?: number } = {}): Promise<CheckResult> {
  return checkSpec({ spec: { name: "M", source }, cfg: { source: cfg }, ...extra });
}

describe("TLCExt: what tla-check cannot give TLC's meaning is refused by name", () => {
  it.each([
    ["TLCDefer", "Inv == TLCDefer(x = 0)", "TLCDefer"],
    ["TLCFP", "Inv == TLCFP(x) # 0", "TLCFP"],
    ["TLCEvalDefinition", `Inv == TLCEvalDefinition("Init")`, "TLCEvalDefinition"],
    ["CounterExample", "Inv == CounterExample = CounterExample", "CounterExample"],
    ["ToTrace", "Inv == ToTrace(x) = x", "ToTrace"],
    ["PickSuccessor(FALSE)", "Inv == PickSuccessor(x < 1)", "PickSuccessor"],
    ["an AssertError whose expression fails", `Inv == AssertError("msg", 1 \\div 0)`, "AssertError"],
    ["a typed model value", `Inv == TLCModelValue("A_x") # x`, "typed model value"],
  ])("%s", async (_what, body, named) => {
    const r = await check(spec(body, "Naturals, Sequences, TLC, TLCExt"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Inv\n");
    expect(r.verdict).toBe("error");
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain(named);
    expect(r.error?.location?.line).toBe(6);
  });

  it("Trace during a search is the path the search took (TLC's figures: test/engine/tlc-features.test.ts)", async () => {
    const r = await check(spec("Inv == Len(Trace) = x + 1 /\\ Trace[1].x = 0", "Naturals, Sequences, TLC, TLCExt"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Inv\n");
    expect(r).toMatchObject({ verdict: "ok", distinct: 3 });
  });

  it("AssertError of an expression that evaluates is FALSE, as TLC (the expected error did not occur)", async () => {
    const r = await check(spec(`Inv == ~AssertError("x", x + 1)`), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Inv\n");
    expect(r).toMatchObject({ verdict: "ok", distinct: 3, generated: 3 });
  });

  it("a refused operator that is never evaluated does not stop the check (TLC calls it only when evaluated)", async () => {
    const r = await check(spec("Inv == x < 5 \\/ TLCFP(x) # 0", "Naturals, Sequences, TLC, TLCExt"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Inv\n");
    expect(r).toMatchObject({ verdict: "ok", distinct: 3 });
  });

  it("TLCExt's definitions are not visible without EXTENDS TLCExt (SANY: unknown operator)", async () => {
    const r = await check(spec("Inv == TLCNoOp(TRUE)", "Naturals, TLC"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Inv\n");
    expect(r.verdict).toBe("error");
    expect(r.error?.message).toContain("TLCNoOp");
  });
});

describe("RealTime without a RealTime.tla of the spec's own", () => {
  const clock = (spec: string): string => `---- MODULE M ----
EXTENDS Naturals, RealTime
VARIABLE hr
Init == hr = 1 /\\ now = 0
Tick == hr' = (IF hr = 12 THEN 1 ELSE hr + 1) /\\ UNCHANGED now
${spec}
====
`;
  it("declares now; RTnow is refused by name (TLC cannot evaluate Real either)", async () => {
    const r = await check(clock("Spec == Init /\\ [][Tick]_hr /\\ RTnow(hr)"), "SPECIFICATION Spec\nCHECK_DEADLOCK FALSE\n");
    expect(r.verdict).toBe("error");
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain("RTnow");
  });
  it("RTBound is refused by name", async () => {
    const r = await check(clock("Spec == Init /\\ [][Tick]_hr\nProp == RTBound(Tick, hr, 0, 1)"), "SPECIFICATION Spec\nCHECK_DEADLOCK FALSE\nPROPERTY Prop\n");
    expect(r.verdict).toBe("error");
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain("RTBound");
  });
  it("a RealTime.tla of the spec's own is used instead", async () => {
    const own = "---- MODULE RealTime ----\nVARIABLE now\nRTnow(v) == now \\in {0}\n====\n";
    const r = await check(clock("Spec == Init /\\ [][Tick]_hr /\\ RTnow(hr)"), "SPECIFICATION Spec\nCHECK_DEADLOCK FALSE\n", { modules: { RealTime: own } });
    expect(r).toMatchObject({ verdict: "ok", distinct: 12 });
  });
});

describe("a RealTime.tla as TLC's and tlapm's (EXTENDS Reals, \\EE in RTBound) is read; what it cannot evaluate is refused when evaluated", () => {
  // The shape of the standard module's text (Specifying Systems, ch. 9).
  const REAL_TIME = `---- MODULE RealTime ----
EXTENDS Reals
VARIABLE now
RTBound(A, v, D, E) ==
  LET TNext(t) == t' = IF <<A>>_v \\/ ~(ENABLED <<A>>_v)' THEN 0 ELSE t + (now' - now)
      Timer(t) == (t = 0) /\\ [][TNext(t)]_<<t, v, now>>
  IN \\EE t : Timer(t) /\\ [](t \\leq E)
RTnow(v) == /\\ now \\in Real
            /\\ [][now' \\in {r \\in Real : r > now} /\\ UNCHANGED v]_now
====
`;
  const clock = (extra: string): string => `---- MODULE M ----
EXTENDS Naturals, RealTime
VARIABLE hr
Init == hr = 1 /\\ now = 0
Tick == now < 4 /\\ hr' = (IF hr = 3 THEN 1 ELSE hr + 1) /\\ now' = now + 1
Spec == Init /\\ [][Tick]_<<hr, now>>
${extra}
====
`;
  it("a spec using only now is checked", async () => {
    const r = await check(clock("Inv == now >= 0"), "SPECIFICATION Spec\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n", { modules: { RealTime: REAL_TIME } });
    expect(r).toMatchObject({ verdict: "ok", distinct: 5 });
  });
  it("Real (which RTnow ranges over) is refused by name", async () => {
    const r = await check(clock("Inv == now \\in Real"), "SPECIFICATION Spec\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n", { modules: { RealTime: REAL_TIME } });
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain("Real");
  });
  it("a definition with \\EE is refused naming it", async () => {
    const r = await check(clock("Inv == RTBound(Tick, hr, 0, 2)"), "SPECIFICATION Spec\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n", { modules: { RealTime: REAL_TIME } });
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain("\\EE");
  });
  it("Reals' division is refused by name", async () => {
    const r = await check(spec("Inv == 1 / 2 = 0", "Reals"), "INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n");
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain("Division");
  });
});

describe("CommunityModules operators TLC runs as Java overrides (I/O) are refused by name", () => {
  // The CommunityModules' Json.tla defines these as placeholders, as here.
  const JSON_MODULE = `---- MODULE Json ----
JsonSerialize(absoluteFilename, value) == TRUE
JsonDeserialize(absoluteFilename) == CHOOSE val : TRUE
ToJson(value) == "json"
====
`;
  it("when evaluated", async () => {
    const r = await check(spec(`Inv == JsonSerialize("out.json", <<x>>)`, "Naturals, Json"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Inv\n", { modules: { Json: JSON_MODULE } });
    expect(r.verdict).toBe("error");
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain("Json!JsonSerialize");
    expect(r.error?.message).toContain("Java override");
  });
  it("not when never evaluated, and the module's other definitions stay usable", async () => {
    const r = await check(spec(`Inv == ToJson(x) = "json" \\/ JsonSerialize("out.json", <<x>>)`, "Naturals, Json"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Inv\n", {
      modules: { Json: JSON_MODULE },
    });
    expect(r).toMatchObject({ verdict: "ok", distinct: 3 });
  });
});

describe("CommunityModules' IOUtils!IOEnv is the process environment, as TLC's override reads it", () => {
  const IO_MODULE = `---- MODULE IOUtils ----
IOEnv == CHOOSE r \\in [STRING -> STRING] : TRUE
IOExec(command) == CHOOSE r \\in [exitValue : Int, stdout : STRING, stderr : STRING] : TRUE
====
`;
  it("reads a variable that is set", async () => {
    process.env.SYNOD_IOENV_TEST = "yes";
    try {
      const r = await check(spec(`Inv == IOEnv.SYNOD_IOENV_TEST = "yes" /\\ "PATH" \\in DOMAIN IOEnv`, "Naturals, IOUtils"), "INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n", { modules: { IOUtils: IO_MODULE } });
      expect(r).toMatchObject({ verdict: "ok", distinct: 3 });
    } finally {
      delete process.env.SYNOD_IOENV_TEST;
    }
  });
  it("IOExec is still refused by name", async () => {
    const r = await check(spec(`Inv == IOExec(<<"true">>).exitValue = 0`, "Naturals, IOUtils"), "INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n", { modules: { IOUtils: IO_MODULE } });
    expect(r.error?.kind).toBe("unsupported");
    expect(r.error?.message).toContain("IOUtils!IOExec");
  });
});

describe("random choices during a search depend on the state alone", () => {
  // How many distinct states there are depends on the subsets chosen: a counter with a random
  // set of subsets of 1..4 beside it, and a random element of it.
  const RANDOM = `---- MODULE M ----
EXTENDS Integers, FiniteSets, TLC, Randomization
VARIABLES n, s, e
Init == n = 0 /\\ s = {} /\\ e = 0
Next == /\\ n < 5
        /\\ n' = n + 1
        /\\ s' \\in RandomSetOfSubsets(3, 2, 1 .. 4)
        /\\ e' = RandomElement(1 .. 9)
Small == n < 5
====
`;
  it("the same counts run after run, and with two workers", async () => {
    const a = await check(RANDOM, "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n");
    const b = await check(RANDOM, "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n");
    const c = await check(RANDOM, "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n", { workers: 2 });
    expect(a.verdict).toBe("ok");
    expect(b).toMatchObject({ distinct: a.distinct, generated: a.generated });
    expect(c).toMatchObject({ distinct: a.distinct, generated: a.generated });
  });
  it("a counterexample's trace is rebuilt through the same choices", async () => {
    const r = await check(RANDOM, "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Small\n");
    expect(r.verdict).toBe("invariant");
    expect(r.trace).toHaveLength(6);
    const last = r.trace![5]!.state as unknown as Record<string, unknown>;
    expect(JSON.stringify(last)).toContain("5");
  });
  it("RandomSubset and RandomSetOfSubsets check their arguments as TLC does", async () => {
    const bad = async (expr: string): Promise<string | undefined> => (await check(RANDOM.replace("Small == n < 5", `Small == ${expr}`), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\nINVARIANT Small\n")).error?.message;
    expect(await bad("RandomSubset(5, 1 .. 4) = {}")).toContain("larger than the cardinality");
    expect(await bad("RandomSubset(-1, 1 .. 4) = {}")).toContain("nonnegative integer");
    expect(await bad("RandomSubset(1, Nat) = {}")).toContain("finite set");
    expect(await bad("RandomSetOfSubsets(2, 5, 1 .. 4) = {}")).toContain("range 0..Cardinality(S)");
    expect(await bad("RandomSetOfSubsets(17, 1, 1 .. 4) = {}")).toContain("2^Cardinality(S)");
  });
});

// TLC's order of strings and model values (its intern table's token numbers) and of variables
// (its root symbol table), on specs where getting it wrong changes what is printed or chosen.
// Every expected line is TLC 2.20's (8d3143c) output for the same text, run with
// `java -cp tla2tools.jar tlc2.TLC -workers 1 -noGenerateSpecTE -config M.cfg M.tla`; the same
// cases run against TLC itself in tlc-order-differential.test.ts (SYNOD_TLC_JAR).
//
// Regressions: strings were interned in source order with the identifiers, and the cfg's model
// values after the spec's tokens; so Azure's show521677simple (Cosmos DB) stopped at another
// violation than TLC's (11/7 states where TLC has 10/6), and MCPaxosLivenessBroken's lasso, whose
// successor order hashes model values by TLC's token number, was not TLC's -fp 0 lasso. Variables
// were printed in declaration order, and the liveness graph fingerprinted them in the order of a
// 191-bucket table even for specs whose table has 383.
import { describe, expect, it } from "vitest";
import { checkModel, toTLCText } from "../../src/index.js";
import { javaHashtableCapacity, tlcVariableSlots } from "../../src/modules/tlc-variable-order.js";
import { loadAll, register, type ModuleTable } from "../../src/modules/resolve.js";
import { tlcParseOrder } from "../../src/modules/tlc-intern.js";
import { parseModules } from "../../src/parse/parse.js";
import { load } from "./helpers.js";

/** What the spec prints (PrintT in Init) and, for a violation, its trace's state lines. */
async function run(_name: string, source: string, cfg: string, modules: Record<string, string> = {}): Promise<string[]> {
  const printed: string[] = [];
  const model = await load(source, cfg, modules, (l) => printed.push(l));
  const r = await checkModel(model);
  if (r.trace && r.verdict !== "ok") {
    for (const line of toTLCText(r.trace, model).split("\n")) if (line.startsWith("/\\") || /^[a-z]+ = /.test(line)) printed.push(line);
  }
  return printed;
}

describe("TLC's string and model value order", () => {
  it("puts the cfg's values first, in the cfg's order (model values and strings)", async () => {
    const out = await run("CfgFirst", `---- MODULE CfgFirst ----
EXTENDS TLC
CONSTANTS None, Procs, S
VARIABLE x
Init == x = 0 /\\ PrintT(<<{None, CHOOSE p \\in Procs : TRUE} \\cup Procs, S \\cup {"aa", "zz"}>>)
Next == UNCHANGED x
====
`, `CONSTANTS
  Procs = {p2, p1}
  None = None
  S = {"zz", "mm"}
INIT Init
NEXT Next
`);
    expect(out).toEqual(['<<{p2, p1, None}, {"zz", "mm", "aa"}>>']);
  });

  it("ranks a string by the standard module identifier of the same name (TLC.tla's a, b, e; Nat)", async () => {
    const out = await run("StdIdents", `---- MODULE StdIdents ----
EXTENDS TLC
VARIABLE x
Init == x = 0 /\\ PrintT(<<{"b", "a"}, {"zq", "e", "Nat"}>>)
Next == UNCHANGED x
====
`, `INIT Init
NEXT Next
`);
    expect(out).toEqual(['<<{"a", "b"}, {"Nat", "e", "zq"}>>']);
  });

  it("keeps source order for strings no module names", async () => {
    const out = await run("NoStd", `---- MODULE NoStd ----
VARIABLE x
Init == x = {"b", "a"}
Next == UNCHANGED x
Inv == x = {"a"}
====
`, `INIT Init
NEXT Next
INVARIANT Inv
`);
    expect(out).toEqual(['x = {"b", "a"}']);
  });

  it("puts an identifier's name, even a later one, before a string literal", async () => {
    const out = await run("IdentFirst", `---- MODULE IdentFirst ----
EXTENDS TLC
X == {"q", "zb"}
VARIABLE x
Init == x = 0 /\\ PrintT(<<{"q", "p"}, {"zb", "c"}>>)
Next == UNCHANGED x
p == 1
c == 2
====
`, `INIT Init
NEXT Next
`);
    expect(out).toEqual(['<<{"p", "q"}, {"c", "zb"}>>']);
  });

  it("puts the strings of extended and instantiated modules before the root's", async () => {
    const modules = { E2: `---- MODULE E2 ----
Ext2 == {"zq3", "zq0"}
====
`, E3: `---- MODULE E3 ----
Ext3 == {"zq4"}
====
` };
    const out = await run("DepsFirst", `---- MODULE DepsFirst ----
EXTENDS TLC, E2
E3 == INSTANCE E3
R == {"zq2", "zq1"}
VARIABLE x
Init == x = 0 /\\ PrintT({"zq1", "zq9", "zq0", "zq2", "zq3", "zq4"})
Next == UNCHANGED x
====
`, `INIT Init
NEXT Next
`, modules);
    expect(out).toEqual(['{"zq3", "zq0", "zq4", "zq2", "zq1", "zq9"}']);
  });
});

describe("SANY's order of parsing modules (the order their tokens are interned in)", () => {
  const order = async (root: string, modules: Record<string, string>, traceModule = false): Promise<string[]> => {
    const mods = await parseModules("Root.tla", root);
    const table: ModuleTable = new Map();
    for (const m of mods) register(table, m);
    await loadAll(mods[0]!, { dirs: [], modules }, table);
    return tlcParseOrder(mods[0]!, table, traceModule);
  };

  // The shape of specs/paxos' MCPaxosLiveness (EXTENDS MCPaxos; MCPaxos EXTENDS Paxos, TLC; Paxos
  // EXTENDS Naturals, FiniteSets): TLC 2.20 logs "Parsing file" for MCPaxosLiveness, MCPaxos,
  // Paxos, TLC, Naturals, FiniteSets, Sequences (TLC's LOCAL INSTANCE Sequences comes last).
  it("follows EXTENDS depth first, then INSTANCEs, as SpecObj.loadSpec", async () => {
    const modules = { A: "---- MODULE A ----\nEXTENDS B, TLC\n====\n", B: "---- MODULE B ----\nEXTENDS Naturals, FiniteSets\n====\n" };
    expect(await order("---- MODULE Root ----\nEXTENDS A\n====\n", modules)).toEqual(["Root", "A", "B", "TLC", "Naturals", "FiniteSets", "Sequences"]);
  });

  // TLC's intern table for `EXTENDS Naturals, TLC` with its trace-file module (TLC's default).
  it("adds _TLCTrace to the root's EXTENDS when TLC writes its trace file", async () => {
    const root = "---- MODULE Root ----\nEXTENDS Naturals, TLC\n====\n";
    expect(await order(root, {}, true)).toEqual(["Root", "Naturals", "TLC", "_TLCTrace", "Sequences", "FiniteSets", "TLCExt", "Integers"]);
    expect(await order(root, {})).toEqual(["Root", "Naturals", "TLC", "Sequences", "FiniteSets"]);
  });
});

describe("TLC's variable order", () => {
  it("lists variables by their bucket in the root's symbol table, not as declared", async () => {
    const out = await run("VarOrder", `---- MODULE VarOrder ----
EXTENDS Naturals
VARIABLES zz, aa, mm, count
Init == zz = 1 /\\ aa = 2 /\\ mm = 3 /\\ count = 0
Next == count' = count + 1 /\\ UNCHANGED <<zz, aa, mm>>
Inv == count < 1
====
`, `INIT Init
NEXT Next
INVARIANT Inv
`);
    expect(out).toEqual(["/\\ aa = 2", "/\\ mm = 3", "/\\ zz = 1", "/\\ count = 0", "/\\ aa = 2", "/\\ mm = 3", "/\\ zz = 1", "/\\ count = 1"]);
  });

  /** A module with six variables and `n` constant definitions D1..Dn, to size the root's symbol table. */
  const bigModule = (name: string, n: number): string =>
    [
      `---- MODULE ${name} ----`,
      "EXTENDS Naturals",
      "VARIABLES zz, aa, mm, count, msgs, state",
      ...Array.from({ length: n }, (_, k) => `D${k + 1} == ${k + 1}`),
      "I == INSTANCE Sequences",
      "Init == zz = 1 /\\ aa = 2 /\\ mm = 3 /\\ count = 0 /\\ msgs = 4 /\\ state = 5",
      "Next == count' = count + 1 /\\ UNCHANGED <<zz, aa, mm, msgs, state>>",
      "Inv == count < 1",
      "====",
      "",
    ].join("\n");

  // 72 built-ins + Naturals' 12 + 6 variables + D1..Dn + I and I's 8 Sequences names + Init, Next,
  // Inv: 143 symbols with n = 41 (191 buckets), 144 with n = 42 (383 buckets).
  it("counts the root's symbols as SANY does: the table grows from 191 to 383 buckets at 144", async () => {
    const at41 = await run("Big41", bigModule("Big41", 41), "INIT Init\nNEXT Next\nINVARIANT Inv\n");
    expect(at41.slice(0, 6)).toEqual(["/\\ state = 5", "/\\ msgs = 4", "/\\ aa = 2", "/\\ mm = 3", "/\\ zz = 1", "/\\ count = 0"]);
    const at42 = await run("Big42", bigModule("Big42", 42), "INIT Init\nNEXT Next\nINVARIANT Inv\n");
    expect(at42.slice(0, 6)).toEqual(["/\\ aa = 2", "/\\ mm = 3", "/\\ zz = 1", "/\\ state = 5", "/\\ msgs = 4", "/\\ count = 0"]);
  });

  it("sizes the table as java.util.Hashtable does (11 buckets, 2n+1 when 3/4 full)", () => {
    expect([8, 9, 71, 72, 143, 144, 287, 288].map(javaHashtableCapacity)).toEqual([11, 23, 95, 191, 191, 383, 383, 767]);
    expect(tlcVariableSlots(["zz", "aa", "mm"], 191)).toEqual([1, 2, 0]);
  });
});

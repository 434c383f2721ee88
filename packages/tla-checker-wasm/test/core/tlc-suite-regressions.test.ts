// Disagreements with TLC found by running TLC's own regression suite (tlaplus/tlaplus,
// tlatools/org.lamport.tlatools/test-model/suite) through both checkers; each case here is a
// small spec of ours with TLC 2.20's answer. etest9/10/11: membership of a value of another kind
// in Nat, Int, STRING is TLC's error, not FALSE; etest12: Cardinality beyond 2^31-1 is TLC's
// overflow; etest16: duplicate record fields are SANY's error; etest7: a constant substituted by a
// state-level operator is TLC's cfg error; test201a: a constant without a value is TLC's cfg
// error even when unused; test30: operator symbols in cfg substitutions; test10: function arguments over tuple patterns after
// other bound variables (an internal error before) and EXCEPT on a function over Int; test7: sets
// of Nat and Int.
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "../../src/load.js";
import { EVAL_MODULE, load, loadError, show } from "./helpers.js";

describe("TLC's regression suite, as TLC 2.20 answers it", () => {
  it("a value of another kind in Nat, Int, STRING or Seq(S) is an error; a model value is not an element", async () => {
    const m = await load(EVAL_MODULE(), "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n");
    expect(() => m.evaluate(`"x" \\in Nat`)).toThrow(/Attempted to check if the value "x" is an element of Nat/);
    expect(() => m.evaluate(`"x" \\in Int`)).toThrow(/is an element of Int/);
    expect(() => m.evaluate(`1 \\in STRING`)).toThrow(/Attempted to check if the value 1 is an element of STRING/);
    expect(() => m.evaluate(`[f |-> 1] \\in Seq(Nat)`)).toThrow(/is an element of Seq\(Nat\)/);
    expect(() => m.evaluate(`<<1, "x">> \\in Seq(Nat)`)).toThrow(/"x" is an element of Nat/);
    expect(m.values.format(m.evaluate(`<<a \\in Nat, a \\in Int, a \\in STRING, a \\in Seq(Nat), -1 \\in Nat, <<1, 2>> \\in Seq(Nat), "s" \\in STRING>>`))).toBe(
      "<<FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, TRUE>>",
    );
  });

  it("Cardinality beyond TLC's 32-bit integers is its overflow error", async () => {
    const m = await load(EVAL_MODULE(), "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n");
    expect(() => m.evaluate("Cardinality([0..2 -> 1..2000])")).toThrow(/Overflow when computing the number of elements in \[0\.\.2 -> 1\.\.2000\]/);
    expect(await show("Cardinality([0..1 -> 1..2000])")).toBe("4000000");
  });

  it("a record constructor or record set with a repeated field is SANY's error at the repeat", async () => {
    for (const body of ["Foo == [a |-> 1, b |-> 2, a |-> 1]", "Bar == [a : {1}, b : {2}, a : {1}]"]) {
      const e = await loadError(EVAL_MODULE(body), "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n");
      expect(e.message).toContain("Non-unique fields in constructor: a");
      expect(e.location?.line).toBe(5);
    }
  });

  it("a CONSTANT substituted by an operator that reads the state is a cfg error naming both", async () => {
    const src = `---- MODULE Cs ----
EXTENDS Naturals
CONSTANT C
VARIABLE x
Foo == x
Bar == 2
Init == x = 2
Next == x' = C
====
`;
    const e = await loadError(src, "INIT Init\nNEXT Next\nCONSTANT C <- Foo\n");
    expect(e.kind).toBe("cfg");
    expect(e.message).toContain("The configuration file substitutes constant C with non-constant Foo");
    const m = await load(src, "INIT Init\nNEXT Next\nCONSTANT C <- Bar\n");
    expect(m.initStates({ level: 1 }).length).toBe(1);
  });

  it("a CONSTANT substituted by a definition over a Java-only override is refused by the override's name, not as non-constant (EWD998ChanTrace)", async () => {
    const src = `---- MODULE Jt ----
EXTENDS Naturals, Json
CONSTANT N
VARIABLE x
TraceN == ndJsonDeserialize("log.ndjson")
Init == x = N
Next == x' = x
====
`;
    const json = "---- MODULE Json ----\nndJsonDeserialize(absoluteFilename) == TRUE\n====\n";
    const m = await load(src, "INIT Init\nNEXT Next\nCONSTANT N <- TraceN\n", { Json: json });
    expect(() => m.initStates({ level: 1 })).toThrow(/Json!ndJsonDeserialize is implemented in TLC by a Java override/);
  });

  it("a declared constant the cfg gives no value is TLC's cfg error, used or not, constant-level models included (test201a)", async () => {
    const src = `---- MODULE Uc ----
EXTENDS Naturals
CONSTANT A, B
VARIABLE x
Init == x = B
Next == x' = x
====
`;
    const e = await loadError(src, "CONSTANT B = 1\nINIT Init\nNEXT Next\n");
    expect(e.kind).toBe("cfg");
    expect(e.message).toContain("The constant parameter A is not assigned a value by the configuration file.");
    expect(e.location?.line).toBe(3);
    const c = await loadError("---- MODULE Uk ----\nCONSTANT A(_), b\ndef == A(b)\n====\n", "");
    expect(c.message).toContain("The constant parameter A is not assigned a value");
  });

  it("cfg substitutions name infix operators on either side (`++ <- PlusPlus`, `Plus <- +`, `\\o <- +`), as TLC's test30", async () => {
    const src = `---- MODULE Ops30 ----
EXTENDS Naturals, Sequences
CONSTANT Plus(_, _)
VARIABLE x
a ++ b == a - b
PlusPlus(a, b) == a * b
Init == x = <<3 ++ 4, Plus(3, 4), 3 \\o 4>>
Next == UNCHANGED x
====
`;
    const m = await load(src, "INIT Init\nNEXT Next\nCONSTANT\n  ++ <- PlusPlus\n  Plus <- +\n  \\o <- +\n");
    expect(m.values.format(m.initStates({ level: 1 })[0]!.state[0]!)).toBe("<<12, 7, 7>>");
  });

  it("a spec file whose module has another name is SANY's fatal error (pingcap/tla-plus DistributedTransaction/Test4.tla holds MODULE Test3)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "file-name-"));
    try {
      writeFileSync(join(dir, "Test4.tla"), "---- MODULE Test3 ----\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n");
      writeFileSync(join(dir, "Test4.cfg"), "INIT Init\nNEXT Next\n");
      await expect(loadModel({ spec: { path: join(dir, "Test4.tla") } })).rejects.toThrow("File name 'Test4' does not match the name 'Test3' of the top level module it contains.");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sets holding Nat, Int or STRING are ordered as TLC orders them, without enumerating (test7)", async () => {
    expect(await show("CHOOSE j \\in {{Nat}, {Int}} : \\E k \\in j : -1 \\in k")).toBe("{Int}");
    expect(await show("{{Int}, {Nat}, {Nat}}")).toBe("{{Nat}, {Int}}");
    const m = await load(EVAL_MODULE(), "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n");
    expect(() => m.evaluate("{{Nat}, {STRING}}")).toThrow(/Attempted to compare Nat with STRING/);
  });

  it("a function of bound variables and a tuple pattern takes its arguments in order", async () => {
    const body = "f3[i, j \\in Int, <<k, l>> \\in Int \\X Int, m \\in {5, 7, 8}] == i + 2*j + 3*k + 4*l + 5*m";
    const m = await load(EVAL_MODULE(body), "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n");
    expect(m.values.format(m.evaluate("<<f3[1, 2, <<3, 4>>, 5], f3[<<1, 2, <<3, 4>>, 5>>]>>"))).toBe("<<55, 55>>");
  });

  it("EXCEPT on a function over an infinite domain changes it at the key only", async () => {
    const body = "f1[i \\in Int] == i + 2";
    const m = await load(EVAL_MODULE(body), "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n");
    expect(m.values.format(m.evaluate("<<[f1 EXCEPT ![3] = @ * 10][3], [f1 EXCEPT ![3] = @ * 10][4], [f1 EXCEPT ![3] = [i \\in Int |-> @ + i]][3][7], [f1 EXCEPT ![3] = [i \\in Int |-> @ + i], ![3][6] = 44][3][6]>>"))).toBe(
      "<<50, 6, 12, 44>>",
    );
  });
});

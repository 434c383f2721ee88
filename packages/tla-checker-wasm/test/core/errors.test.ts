// Errors name the place (file:line:col) and the problem, for parse, semantic, cfg, assume and
// evaluation errors.
import { describe, expect, it } from "vitest";
import { TlaError } from "../../src/model.js";
import { load, loadError } from "./helpers.js";

const spec = (body: string, decls = "VARIABLE x"): string => `---- MODULE E ----
EXTENDS Naturals, Sequences, TLC
${decls}
${body}
====
`;
const CFG = "INIT Init\nNEXT Next\n";

async function evalError(body: string, where: "init" | "next" = "next", decls?: string): Promise<TlaError> {
  const m = await load(spec(body, decls), CFG);
  try {
    const inits = m.initStates({ level: 1 });
    if (where === "next") m.successors(inits[0]!.state, { level: 1 });
  } catch (e) {
    expect(e).toBeInstanceOf(TlaError);
    return e as TlaError;
  }
  throw new Error("expected an evaluation error");
}

describe("parse and semantic errors", () => {
  it("reports a syntax error at its line", async () => {
    const e = await loadError(spec("Init == x = 0\nNext == x' = (x + \nBad == 1"), CFG);
    expect(e.kind).toBe("parse");
    expect(e.message).toMatch(/^E\.tla:\d+:\d+: syntax error/);
    expect(e.location!.line).toBeGreaterThanOrEqual(5);
    expect(e.location!.line).toBeLessThanOrEqual(6);
  });
  it("names an undefined identifier and where it is used", async () => {
    const e = await loadError(spec("Init == x = 0\nNext == x' = y + 1"), CFG);
    expect(e.kind).toBe("semantic");
    expect(e.message).toBe("E.tla:5:14: Unknown operator: y");
  });
  it("rejects a wrong number of arguments", async () => {
    const e = await loadError(spec("F(a, b) == a + b\nInit == x = F(1)\nNext == x' = x"), CFG);
    expect(e.message).toBe("E.tla:5:13: F takes 2 argument(s), but is given 1");
  });
  it("names a module that cannot be found and the EXTENDS that wants it", async () => {
    const e = await loadError("---- MODULE E ----\nEXTENDS Naturals, NoSuchModule\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n", CFG);
    expect(e.message).toMatch(/^E\.tla:2:19: Cannot find module NoSuchModule/);
  });
  it("reports a false ASSUME with its location", async () => {
    const e = await loadError(spec("ASSUME 1 > 2\nInit == x = 0\nNext == x' = x"), CFG);
    expect(e.kind).toBe("assume");
    expect(e.message).toMatch(/^E\.tla:4:1: Assumption at line 4, col 1 of module E is false/);
  });
  it("names a named ASSUME", async () => {
    const e = await loadError(spec("ASSUME Big == 1 > 2\nInit == x = 0\nNext == x' = x"), CFG);
    expect(e.message).toContain("Assumption Big");
  });
});

describe("SANY's static checks (TLC refuses these specs)", () => {
  it("rejects a name defined twice in one module, at the second definition", async () => {
    const e = await loadError(spec("A == 1\nA == 2\nInit == x = A\nNext == x' = x"), CFG);
    expect(e.kind).toBe("semantic");
    expect(e.message).toBe("E.tla:5:1: Operator A already defined or declared (first at line 4, column 1)");
  });
  it("rejects a definition that clashes with a declared variable", async () => {
    const e = await loadError(spec("x == 1\nInit == TRUE\nNext == TRUE"), CFG);
    expect(e.message).toMatch(/^E\.tla:4:1: Operator x already defined or declared/);
  });
  it("rejects a use before the definition, naming where the definition is", async () => {
    const e = await loadError(spec("Init == x = B\nB == 3\nNext == x' = x"), CFG);
    expect(e.kind).toBe("semantic");
    expect(e.message).toMatch(/^E\.tla:4:13: Unknown operator: B \(it is defined at line 5, after this use/);
  });
  it("rejects an operator that calls itself without RECURSIVE, and a LET definition used before it", async () => {
    expect((await loadError(spec("F(n) == IF n = 0 THEN 0 ELSE F(n - 1)\nInit == x = F(2)\nNext == x' = x"), CFG)).message).toMatch(
      /^E\.tla:4:30: Unknown operator: F/,
    );
    expect((await loadError(spec("Init == LET a == b b == 1 IN x = a\nNext == x' = x"), CFG)).message).toMatch(/Unknown operator: b/);
  });
  it("accepts RECURSIVE operators, recursive functions, and bound names that reuse nothing", async () => {
    const m = await load(
      spec("G == 1\nRECURSIVE F(_)\nF(n) == IF n = 0 THEN 0 ELSE F(n - 1) + G\nf[n \\in 0..3] == IF n = 0 THEN 0 ELSE f[n - 1] + 1\nInit == x = F(2) + f[3] + LET a == 1 b == a IN b\nNext == x' = x"),
      CFG,
    );
    expect(m.initStates({ level: 1 }).length).toBe(1);
  });
});

describe("subexpression references that cannot be given a meaning", () => {
  it("names a position past the last operand", async () => {
    const e = await loadError(spec("Inv == x > 0 /\\ x < 9\nI3 == Inv!3\nInit == x = 0\nNext == x' = x"), CFG);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toBe("E.tla:5:7: Inv!3: Inv!3 does not exist: the expression has 2 operand(s)");
  });
  it("refuses to select inside a binder rather than guess its bound names", async () => {
    const e = await loadError(spec("Inv == \\A i \\in 1..2 : x # i /\\ x < 9\nP == Inv!1!2\nInit == x = 0\nNext == x' = x"), CFG);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/^E\.tla:5:6: Inv!1!2: Inv!1 selects inside a binder/);
  });
  it("names a base operator that is not defined", async () => {
    const e = await loadError(spec("P == Nope!1\nInit == x = 0\nNext == x' = x"), CFG);
    expect(e.kind).toBe("semantic");
    expect(e.message).toBe("E.tla:4:6: Nope!1: no operator Nope is defined in module E or the modules it extends");
  });
  it("refuses a reference through an instance, naming it", async () => {
    const e = await loadError(spec("P == I!Inv!1\nInit == x = 0\nNext == x' = x"), CFG);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/subexpression reference I!Inv!1: a reference through an instance or a label is not supported/);
  });
});

describe("cfg errors", () => {
  it("names an INIT that is not defined with the cfg position", async () => {
    const e = await loadError(spec("Init == x = 0\nNext == x' = x"), "INIT Start\nNEXT Next\n");
    expect(e.kind).toBe("cfg");
    expect(e.message).toBe("E.cfg:1:6: INIT Start is not defined in module E");
  });
  it("warns about a cfg value for a name the spec does not declare, which TLC silently ignores (etcd-io/raft's MCetcdraft.cfg: `s1 = 1`)", async () => {
    const m = await load(spec("Init == x = 0\nNext == x' = x"), "CONSTANT N = 3\nCONSTANT r = r\nCONSTANT q = r\nINIT Init\nNEXT Next\n");
    expect(m.warnings.filter((w) => w.includes("is not a constant or definition of the spec"))).toEqual([
      "E.cfg:1: N is not a constant or definition of the spec; as TLC, this cfg entry is ignored, and N in other cfg values is the model value N.",
      "E.cfg:3: q is not a constant or definition of the spec; as TLC, this cfg entry is ignored, and q in other cfg values is the model value q.",
    ]);
  });
  it("refuses a cfg without INIT when the spec has variables (TLC: no initial state predicate)", async () => {
    const e = await loadError(spec("Init == x = 0\nNext == x' = x"), "\\* nothing\n");
    expect(e.message).toBe("E.cfg:1:1: the cfg names no INIT (or SPECIFICATION), and the spec declares variables");
  });
  it("refuses a constant left without a value, at its declaration, as TLC does before checking", async () => {
    const e = await loadError(spec("Init == x = N\nNext == x' = x", "CONSTANT N\nVARIABLE x"), CFG);
    expect(e.kind).toBe("cfg");
    expect(e.message).toMatch(/^E\.tla:\d+:1: The constant parameter N is not assigned a value by the configuration file\./);
  });
});

describe("evaluation errors name the sub-expression and its location", () => {
  it("CHOOSE without a witness", async () => {
    const e = await evalError("Init == x = CHOOSE v \\in {1, 2} : v > 5\nNext == x' = x", "init");
    expect(e.kind).toBe("eval");
    expect(e.message).toContain("E.tla:4:13: Attempted to compute the value of an expression of form CHOOSE x \\in S: P, but no element of S satisfied P.");
    expect(e.message).toContain("while evaluating: CHOOSE v \\in {1, 2} : v > 5");
  });
  it("function application outside the domain shows the argument and function", async () => {
    const e = await evalError("f == [i \\in 1..2 |-> i]\nInit == x = 0\nNext == x' = f[x + 3]");
    expect(e.message).toContain("E.tla:6:14: Attempted to apply function:\n<<1, 2>>\nto argument 3, which is not in the domain of the function.");
  });
  it("arithmetic on a string", async () => {
    const e = await evalError('Init == x = 0\nNext == x\' = x + "a"');
    expect(e.message).toMatch(/^E\.tla:5:14: \+: expected an integer, got "a"/);
  });
  it("comparing an integer with a string", async () => {
    const e = await evalError('Init == x = 0\nNext == x = "a" /\\ x\' = x');
    expect(e.message).toContain('Attempted to check equality of integer 0 with non-integer: "a"');
  });
  it("a failed Assert with its message", async () => {
    const e = await evalError('Init == x = 0\nNext == Assert(x > 1, "x too small") /\\ x\' = x');
    expect(e.message).toContain('The first argument of Assert evaluated to FALSE; the second argument was:\n"x too small"');
    expect(e.location).toMatchObject({ file: "E.tla", line: 5, column: 9 });
  });
  it("a record without the field", async () => {
    const e = await evalError("r == [a |-> 1]\nInit == x = 0\nNext == x' = r.b");
    expect(e.message).toContain('E.tla:6:14: Attempted to access field "b" of [a |-> 1], which has no such field');
  });
  it("enumerating a non-enumerable set", async () => {
    const e = await evalError("Init == x = 0\nNext == \\E n \\in Nat : x' = n");
    expect(e.message).toContain("E.tla:5:18: Attempted to enumerate the non-enumerable set Nat");
  });
  it("a successor that leaves a variable unassigned names the variable and the action", async () => {
    const e = await evalError("Init == x = 0 /\\ y = 0\nMove == x' = 1\nNext == Move", "next", "VARIABLES x, y");
    expect(e.message).toContain("Successor state is not completely specified by action Move: the variable y is not assigned a value");
  });
  it("an initial predicate that leaves a variable unassigned", async () => {
    const e = await evalError("Init == x = 0\nNext == x' = x /\\ y' = y", "init", "VARIABLES x, y");
    expect(e.message).toContain("The variable y was not assigned a value by the initial predicate");
  });
  it("a primed variable read before it is assigned", async () => {
    const e = await evalError("Init == x = 0\nNext == x' > 1 /\\ x' = 2");
    expect(e.message).toContain("E.tla:5:9: x' is read before it is assigned a value");
  });
});

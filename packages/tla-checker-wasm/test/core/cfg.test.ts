// The cfg reader: every TLC section, values, comments, and errors with file:line:col.
import { describe, expect, it } from "vitest";
import { parseCfg } from "../../src/cfg/parse.js";
import { TlaError } from "../../src/model.js";

describe("parseCfg", () => {
  it("reads every section, values and comments", () => {
    const cfg = parseCfg(
      "M.cfg",
      `\\* a line comment
(* a block (* nested *) comment *)
CONSTANTS
  N = 3  Neg = -2  S = "s"  B = TRUE
  Procs = {p1, p2}  Nested = {{1}, {}}  T = <<1, "a">>
  p1 = p1
  Op <- MCOp
  Other <- [Mod] Sub
INIT Init NEXT Next
INVARIANTS TypeOK Safe
INVARIANT More
PROPERTIES Live
CONSTRAINT Bound
ACTION_CONSTRAINTS Step
SYMMETRY Sym
VIEW View
CHECK_DEADLOCK FALSE
`,
    );
    expect(cfg.constants.map((c) => (c.k === "value" ? [c.name, c.value] : [c.name, c.op, c.module]))).toEqual([
      ["N", { k: "int", v: 3 }],
      ["Neg", { k: "int", v: -2 }],
      ["S", { k: "str", v: "s" }],
      ["B", { k: "bool", v: true }],
      ["Procs", { k: "set", elems: [{ k: "mv", name: "p1" }, { k: "mv", name: "p2" }] }],
      ["Nested", { k: "set", elems: [{ k: "set", elems: [{ k: "int", v: 1 }] }, { k: "set", elems: [] }] }],
      ["T", { k: "tuple", elems: [{ k: "int", v: 1 }, { k: "str", v: "a" }] }],
      ["p1", { k: "mv", name: "p1" }],
      ["Op", "MCOp", null],
      ["Other", "Sub", "Mod"],
    ]);
    expect(cfg.init?.name).toBe("Init");
    expect(cfg.next?.name).toBe("Next");
    expect(cfg.invariants.map((n) => n.name)).toEqual(["TypeOK", "Safe", "More"]);
    expect(cfg.invariants[2]!.loc).toEqual({ file: "M.cfg", line: 11, column: 11 });
    expect(cfg.properties.map((n) => n.name)).toEqual(["Live"]);
    expect(cfg.constraints.map((n) => n.name)).toEqual(["Bound"]);
    expect(cfg.actionConstraints.map((n) => n.name)).toEqual(["Step"]);
    expect(cfg.symmetry?.name).toBe("Sym");
    expect(cfg.view?.name).toBe("View");
    expect(cfg.checkDeadlock).toBe(false);
  });

  it("reads SPECIFICATION and leaves CHECK_DEADLOCK unset by default", () => {
    const cfg = parseCfg("M.cfg", "SPECIFICATION Spec\n");
    expect(cfg.specification?.name).toBe("Spec");
    expect(cfg.checkDeadlock).toBeNull();
  });

  const bad: [string, string][] = [
    ["INIT Init\nNEXT Next\nFOO Bar\n", 'M.cfg:3:1: expected a cfg keyword (CONSTANT, INIT, NEXT, SPECIFICATION, INVARIANT, ...), found "FOO"'],
    ["CONSTANT N 3\n", 'M.cfg:1:12: expected "=" or "<-" after the constant N'],
    ["CONSTANT S = {1, 2\nINIT I\n", 'M.cfg:2:1: expected "," or "}" in a set'],
    ["INIT\n", "M.cfg:1:1: expected a name at end of file"],
    ["CHECK_DEADLOCK maybe\n", "M.cfg:1:16: CHECK_DEADLOCK expects TRUE or FALSE"],
    ["CONSTANT S = \"abc\n", "M.cfg:1:14: unterminated string"],
    ["(* open comment\nINIT I\n", "M.cfg:1:1: unterminated comment"],
    ["INIT I\nNEXT N\nSPECIFICATION S\n", "M.cfg:3:15: give either SPECIFICATION or INIT/NEXT, not both"],
    ["INIT A\nINIT B\n", "M.cfg:2:1: INIT is given twice"],
    ["CONSTANT N = ?\n", 'M.cfg:1:14: unexpected character "?"'],
  ];
  it.each(bad)("rejects %j with a located message", (src, message) => {
    let err: unknown;
    try {
      parseCfg("M.cfg", src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TlaError);
    expect((err as TlaError).kind).toBe("cfg");
    expect((err as TlaError).message).toBe(message);
  });
});

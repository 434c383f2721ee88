/**
 * The PlusCal translator against what pcal.trans (tla2tools 1.12) wrote: the corpus modules
 * under `corpus/pluscal-*` carry pcal.trans's translation, which ours must reproduce byte for
 * byte (checksums included); errors must be placed where pcal.trans places them (positions
 * taken from pcal.trans's own messages); and the staleness check must see what TLC sees.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checksum, matchChecksums, PlusCalError, splitLines, translateModule, validateModule } from "../../src/pluscal/index.js";
import { corpusDir } from "../corpus/corpus.js";

/** Every corpus module holding a PlusCal algorithm, with its text. */
const corpusModules = readdirSync(corpusDir)
  .filter((d) => d.startsWith("pluscal-"))
  .flatMap((d) => readdirSync(join(corpusDir, d)).filter((f) => f.endsWith(".tla")).map((f) => ({ name: `${d}/${f}`, text: readFileSync(join(corpusDir, d, f), "utf8") })));

/** The module with its BEGIN/END TRANSLATION lines and everything between them removed. */
function withoutTranslation(text: string): string {
  const lines = splitLines(text);
  const b = lines.findIndex((l) => l.startsWith("\\* BEGIN TRANSLATION"));
  const e = lines.findIndex((l) => l.startsWith("\\* END TRANSLATION"));
  return [...lines.slice(0, b), ...lines.slice(e + 1)].join("\n") + "\n";
}

/** A small module around an algorithm body (P-syntax), as the error cases below are written. */
function module(name: string, body: string): string {
  return `---- MODULE ${name} ----\nEXTENDS Naturals, Sequences, TLC\n(* --algorithm ${name}\n${body}\nend algorithm *)\n====\n`;
}

/** The PlusCalError translating `text` throws. */
function errorOf(text: string): PlusCalError {
  try {
    translateModule(text);
  } catch (e) {
    if (e instanceof PlusCalError) return e;
    throw e;
  }
  throw new Error("expected a PlusCal error");
}

describe("translation equals pcal.trans's", () => {
  it("the corpus has PlusCal modules", () => {
    expect(corpusModules.length).toBeGreaterThanOrEqual(9);
  });

  for (const m of corpusModules) {
    it(`${m.name}: translating it again reproduces the file, checksums included`, () => {
      const t = translateModule(m.text);
      expect(t.text).toBe(m.text);
      expect(validateModule(m.text)).toEqual({ kind: "ok" });
    });

    it(`${m.name}: without BEGIN/END TRANSLATION, the lines are added after the algorithm's comment`, () => {
      expect(translateModule(withoutTranslation(m.text)).text).toBe(m.text);
    });
  }

  it("the same algorithm in P-syntax and C-syntax translates to the same text and chksum(pcal)", () => {
    const c = corpusModules.find((m) => m.name === "pluscal-peterson/Peterson.tla")!.text;
    const p = c.replace(
      /\(\* --algorithm Peterson \{[\s\S]*?\} \*\)/,
      [
        "(* --algorithm Peterson",
        "  variables flag = [i \\in {0, 1} |-> FALSE], turn = 0;",
        "  define",
        "    Other(i) == 1 - i",
        "    \\* Never both in the critical section.",
        '    MutualExclusion == ~(pc[0] = "cs" /\\ pc[1] = "cs")',
        "  end define;",
        "  fair process proc \\in {0, 1}",
        "  begin",
        "    a0: while TRUE do",
        "      a1: flag[self] := TRUE;",
        "      a2: turn := Other(self);",
        "      a3: await ~flag[Other(self)] \\/ turn = self;",
        "      cs: skip;",
        "      a4: flag[self] := FALSE;",
        "    end while;",
        "  end process;",
        "end algorithm *)",
      ].join("\n"),
    );
    expect(p).not.toBe(c);
    const tp = translateModule(p);
    const tc = translateModule(c);
    expect(tp.lines).toEqual(tc.lines);
    expect(tp.checksums).toEqual(tc.checksums);
  });

  it("labels an unlabelled uniprocess algorithm, reporting what it added", () => {
    const t = translateModule(module("Count", "variables x = 0;\nbegin\n  while x < 3 do\n    x := x + 1;\n  end while;"));
    expect(t.addedLabels).toEqual([{ label: "Lbl_1", line: 6, col: 3 }]);
    expect(t.lines).toContain('Lbl_1 == /\\ pc = "Lbl_1"');
  });

  it("checksums are java.util.zip.CRC32 in lower-case hex without leading zeros", () => {
    // Values of Java's CRC32 (zlib's crc32) for these strings.
    expect(checksum("fair")).toBe("7c28162a");
    expect(checksum("")).toBe("0");
    expect(checksum("a")).toBe("e8b7be43");
    expect(checksum("\u2200")).toBe("4bc54cbf");
  });

  it("reads a BEGIN TRANSLATION line's checksums, also pcal.trans's other spellings", () => {
    expect(matchChecksums('\\* BEGIN TRANSLATION (chksum(pcal) = "f1aea66e" /\\ chksum(tla) = "195969c4")')).toMatchObject({ pcal: { value: "f1aea66e" }, tla: { value: "195969c4" } });
    expect(matchChecksums('\\* BEGIN TRANSLATION ( CheckSum(PlusCal) = "ab" /\\ checksum(TLA+)="cd" )')).toMatchObject({ pcal: { value: "ab" }, tla: { value: "cd" } });
    expect(matchChecksums("\\* BEGIN TRANSLATION (chksum(pcal) \\in STRING /\\ chksum(tla) \\in STRING)")).toEqual({ pcal: null, tla: null });
    expect(matchChecksums("\\* BEGIN TRANSLATION")).toBeNull();
  });

  it("keeps a BEGIN line without checksums as it is with checksums: \"keep\" (pcal.trans), adds them by default (the Toolbox)", () => {
    const m = corpusModules[0]!.text.replace(/^\\\* BEGIN TRANSLATION .*$/m, "\\* BEGIN TRANSLATION");
    const kept = translateModule(m, { checksums: "keep" });
    expect(kept.text).toBe(m);
    expect(translateModule(m).text).toBe(corpusModules[0]!.text);
  });

  it("applies pcal.trans command-line options, and the module's options statement overrides fairness", () => {
    const text = module("Opt", "variables x = 0;\nbegin\n  a: x := 1;");
    expect(translateModule(text).lines).toContain("Spec == Init /\\ [][Next]_vars");
    const wf = translateModule(text, { args: ["-wf"] }).lines;
    expect(wf).toContain("        /\\ WF_vars(Next)");
    const nof = translateModule(text.replace("EXTENDS", "\\* PlusCal options (nof)\nEXTENDS"), { args: ["-wf"] }).lines;
    expect(nof).toContain("Spec == Init /\\ [][Next]_vars");
  });
});

describe("errors are placed where pcal.trans places them", () => {
  // Each case: the algorithm body, pcal.trans's line and column, and what our message must say.
  const cases: { name: string; body: string; line: number; col: number; says: RegExp }[] = [
    { name: "while needs a label", body: "variables x = 0;\nbegin\na:  x := 1;\n    while x < 3 do\n      x := x + 1;\n    end while;", line: 7, col: 5, says: /Missing label[\s\S]*`while' statement must be labelled/ },
    { name: "second assignment in a step", body: "variables x = 0;\nprocess p \\in {1,2}\nbegin\na:  x := 1;\n    x := 2;\nend process", line: 8, col: 5, says: /`x' is assigned a second time in the same step/ },
    { name: "goto an unknown label", body: "variables x = 0;\nbegin\na:  x := 1;\n    goto b;", line: 7, col: 5, says: /`goto' to non-existent label `b'/ },
    { name: "a variable assigned twice by ||", body: "variables x = 0;\nbegin\na:  x := 1 || x := 2;", line: 6, col: 5, says: /Multiple assignment to x/ },
    { name: "a missing semicolon", body: "variables x = 0, y = 0;\nbegin\na:  x := 1\n    y := 2;", line: 7, col: 7, says: /Expected ";" but found ":="/ },
    { name: "an undefined macro", body: "variables x = 0;\nbegin\na:  Inc(x);", line: 6, col: 5, says: /Macro Inc undefined/ },
    { name: "a macro called with the wrong number of arguments", body: "variables x = 0;\nmacro Inc(v) begin v := v + 1 end macro;\nbegin\na:  Inc(x, 2);", line: 7, col: 5, says: /Macro Inc called with wrong number of arguments/ },
    { name: "a label in a macro", body: "variables x = 0;\nmacro Inc(v) begin l: v := v + 1 end macro;\nbegin\na:  Inc(x);", line: 5, col: 20, says: /A label may not appear in a macro/ },
    { name: "return outside a procedure", body: "variables x = 0;\nbegin\na:  x := 1;\n    return;", line: 7, col: 5, says: /`return' statement not in a procedure/ },
    { name: "a label used twice", body: "variables x = 0;\nbegin\na:  x := 1;\na:  x := 2;", line: 7, col: 5, says: /Label a redefined/ },
    { name: "a label inside with", body: "variables x = 0;\nbegin\na:  with i \\in 1..2 do\n      b: x := i;\n    end with;", line: 7, col: 10, says: /Label in `with' statement/ },
    { name: "Done as a label", body: "variables x = 0;\nbegin\nDone:  x := 1;", line: 6, col: 1, says: /Cannot use `Done' as a label/ },
    { name: "either without or", body: "variables x = 0;\nbegin\na:  either x := 1; end either;", line: 6, col: 5, says: /`either' statement has no `or'/ },
    { name: "an undeclared variable", body: "variables x = 0;\nbegin\na:  y := 1;", line: 6, col: 5, says: /Assignment to undeclared variable y/ },
    { name: "a call of an unknown procedure", body: "variables x = 0;\nbegin\na:  call P(1);", line: 6, col: 5, says: /Call of non-existent procedure P/ },
    { name: "a call with the wrong number of arguments", body: "variables x = 0;\nprocedure P(a) begin p1: return; end procedure;\nbegin\na:  call P(1, 2);\nb: skip;", line: 7, col: 5, says: /Procedure P called with wrong number of arguments/ },
    { name: "a statement after return", body: "variables x = 0;\nprocedure P(a) begin p1: return; x := 1; end procedure;\nbegin\na:  call P(1);\nb: skip;", line: 5, col: 34, says: /Missing label[\s\S]*follows a `return'/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = errorOf(module("E", c.body));
      expect({ line: e.line, column: e.column }).toEqual({ line: c.line, column: c.col });
      expect(e.message).toMatch(c.says);
    });
  }

  it("C-syntax: a missing semicolon between statements", () => {
    const e = errorOf("---- MODULE Ec ----\n(* --algorithm Ec {\n  variables x = 0;\n  { a: x := 1\n    b: x := 2; }\n} *)\n====\n");
    expect([e.line, e.column, e.message]).toEqual([5, 10, 'Expected ";" but found ":="']);
  });

  it("an algorithm whose comment is not closed, and text after the closing *)", () => {
    expect(errorOf("---- MODULE N ----\n(* --algorithm N\n  variables x = 0;\nbegin\n a: x := 1;\nend algorithm\n====\n").message).toMatch(/not in properly terminated comment/);
    const e = errorOf("---- MODULE T ----\n(* --algorithm T\n  variables x = 0;\nbegin\n a: x := 1;\nend algorithm *) foo\n====\n");
    expect([e.line, e.message]).toEqual([6, "Text on same line following `*)' that ends the comment containing the algorithm"]);
  });

  it("an unknown option in the options statement is an error (pcal.trans prints one and translates anyway)", () => {
    const e = errorOf(module("O", "variables x = 0;\nbegin\na:  x := 1;").replace("EXTENDS", "PlusCal options (-bogus)\nEXTENDS"));
    expect(e.message).toMatch(/Unknown or illegal option in options statement: -bogus/);
    expect(e.line).toBe(2);
  });

  it("a PlusCal-looking comment that is not PlusCal (pcal.trans rejects it too)", () => {
    const toggle = readFileSync(join(corpusDir, "comments-proofs", "Toggle.tla"), "utf8");
    const e = errorOf(toggle);
    expect([e.line, e.column, e.message]).toEqual([10, 5, 'Expected ";" but found "algorithm"']);
  });
});

describe("whether a translation is current", () => {
  const euclid = corpusModules.find((m) => m.name === "pluscal-euclid/Euclid.tla")!.text;
  const factorial = corpusModules.find((m) => m.name === "pluscal-factorial/Factorial.tla")!.text;

  it("an edited algorithm is stale (chksum(pcal) differs)", () => {
    const edited = factorial.replace("m1: call Twice(3);", "m1: call Twice(4);");
    expect(validateModule(edited)).toEqual({ kind: "stale", pcalChanged: true, tlaChanged: false });
  });

  it("a comment inside the algorithm is not a change", () => {
    expect(validateModule(factorial.replace("m1: call Twice(3);", "m1: call Twice(3); (* three *)"))).toEqual({ kind: "ok" });
  });

  it("an algorithm that no longer translates is stale, with its error", () => {
    const v = validateModule(factorial.replace("m2: Log(result);", "m2: Log(result)"));
    expect(v).toMatchObject({ kind: "stale", pcalChanged: true, tlaChanged: false });
    expect(v.kind === "stale" && v.error?.line).toBe(33);
  });

  it("a hand-edited translation shows in chksum(tla)", () => {
    const edited = factorial.replace("StackBound == Len(stack) <= 5", "StackBound == Len(stack) <= 5").replace("/\\ result' = n * result", "/\\ result' = n * result + 0");
    expect(validateModule(edited)).toEqual({ kind: "stale", pcalChanged: false, tlaChanged: true });
  });

  it("a --fair algorithm's chksum(pcal) never changes, so its translation is compared instead", () => {
    expect(euclid).toContain('chksum(pcal) = "7c28162a"');
    expect(validateModule(euclid)).toEqual({ kind: "ok" });
    expect(validateModule(euclid.replace("if x < y then y := y - x;", "if x <= y then y := y - x;"))).toEqual({ kind: "stale", pcalChanged: true, tlaChanged: false });
  });

  it("no translation, no checksums, no PlusCal", () => {
    expect(validateModule(withoutTranslation(factorial))).toEqual({ kind: "no-translation" });
    expect(validateModule(factorial.replace(/^\\\* BEGIN TRANSLATION .*$/m, "\\* BEGIN TRANSLATION"))).toEqual({ kind: "no-checksums" });
    expect(validateModule("---- MODULE M ----\nVARIABLE x\nInit == x = 0\n====\n")).toEqual({ kind: "no-pluscal" });
  });
});

/**
 * `tla-check --translate` and the PlusCal warnings before a check, end to end through the bin
 * (needs the build: the package's test script runs after `build`). Each test works on copies in
 * a fresh temporary folder.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { corpusDir } from "../corpus/corpus.js";

const bin = fileURLToPath(new URL("../../bin/tla-check.js", import.meta.url));

function run(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A fresh folder with copies of corpus files (`folder/File`). */
function workspace(...files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "synod-pluscal-cli-"));
  for (const f of files) copyFileSync(join(corpusDir, f), join(dir, f.split("/")[1]!));
  return dir;
}

/** The module without its translation (the BEGIN/END lines and what is between them). */
function strip(text: string): string {
  return text.replace(/\\\* BEGIN TRANSLATION[\s\S]*?\\\* END TRANSLATION *\n/, "");
}

describe("tla-check --translate", { timeout: 60_000 }, () => {
  it("writes pcal.trans's translation (with checksums) and, when there is no cfg, pcal.trans's cfg", () => {
    const dir = workspace("pluscal-factorial/Factorial.tla");
    const original = readFileSync(join(dir, "Factorial.tla"), "utf8");
    writeFileSync(join(dir, "Factorial.tla"), strip(original));
    const r = run(dir, "--translate", "Factorial.tla");
    expect(r.code).toBe(0);
    expect(r.out).toContain('Translation written to Factorial.tla (95 lines; chksum(pcal) = "f1aea66e", chksum(tla) = "195969c4").');
    expect(readFileSync(join(dir, "Factorial.tla"), "utf8")).toBe(original);
    expect(readFileSync(join(dir, "Factorial.cfg"), "utf8")).toBe("SPECIFICATION Spec\nCONSTANT defaultInitValue = defaultInitValue\n\\* Add statements after this line.\n");
    // The module then checks as it is (the cfg written above has no invariant).
    expect(run(dir, "Factorial.tla", "--json").code).toBe(0);
  });

  it("leaves an existing cfg alone, and reports the labels it added", () => {
    const dir = workspace("pluscal-euclid/Euclid.tla", "pluscal-euclid/Euclid.cfg");
    writeFileSync(join(dir, "Euclid.tla"), strip(readFileSync(join(dir, "Euclid.tla"), "utf8")));
    const cfg = readFileSync(join(dir, "Euclid.cfg"), "utf8");
    const r = run(dir, "--translate", "Euclid.tla", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ translated: "Euclid.tla", cfgWritten: null, addedLabels: [{ label: "Lbl_1", line: 18, col: 3 }] });
    expect(readFileSync(join(dir, "Euclid.cfg"), "utf8")).toBe(cfg);
  });

  it("reports a PlusCal error at its place in the module and exits 150 (TLC's status for a spec that does not parse)", () => {
    const dir = workspace("pluscal-factorial/Factorial.tla");
    const text = readFileSync(join(dir, "Factorial.tla"), "utf8");
    writeFileSync(join(dir, "Factorial.tla"), text.replace("  m2: Log(result);", "      Log(result);"));
    const r = run(dir, "--translate", "Factorial.tla");
    expect(r.code).toBe(150);
    // pcal.trans: "line 11, column 20 of macro called at line 32, column 7"; the label goes at the call.
    expect(r.err).toContain("Factorial.tla:32:7: Missing label at the following location:\n     line 11, column 20 of macro called at line 32, column 7 (it follows a `call')");
    expect(r.out).toContain("Error: The PlusCal algorithm could not be translated.");
    expect(readFileSync(join(dir, "Factorial.tla"), "utf8")).toBe(text.replace("  m2: Log(result);", "      Log(result);"));
  });

  it("is not combined with checking options", () => {
    const dir = workspace("pluscal-euclid/Euclid.tla");
    const r = run(dir, "--translate", "Euclid.tla", "--workers", "2");
    expect(r.code).toBe(1);
    expect(r.err).toContain("--translate only translates; --workers apply to checking");
  });
});

describe("PlusCal warnings before a check", { timeout: 60_000 }, () => {
  it("says when the algorithm changed since its translation, and how to translate it again", () => {
    const dir = workspace("pluscal-factorial/Factorial.tla", "pluscal-factorial/Factorial.cfg");
    const file = join(dir, "Factorial.tla");
    writeFileSync(file, readFileSync(file, "utf8").replace("m1: call Twice(3);", "m1: call Twice(4);"));
    const r = run(dir, "Factorial.tla", "--json");
    expect(r.err).toContain("Warning: The PlusCal algorithm in module Factorial has changed since its last translation. The model checked is the old translation; run `tla-check --translate Factorial.tla` to translate it again.");
    const json = JSON.parse(r.out);
    expect(json.verdict).toBe("ok");
    expect(json.warnings[0]).toMatch(/has changed since its last translation/);
  });

  it("names the error when the changed algorithm does not translate, all of it on the warning's line", () => {
    const dir = workspace("pluscal-factorial/Factorial.tla", "pluscal-factorial/Factorial.cfg");
    const file = join(dir, "Factorial.tla");
    writeFileSync(file, readFileSync(file, "utf8").replace("  m2: Log(result);", "      Log(result);"));
    const r = run(dir, "Factorial.tla");
    // Regression: only the message's first line ("Missing label at the following location:") was shown.
    expect(r.err).toContain(
      "Warning: The PlusCal algorithm in module Factorial has changed since its last translation. It does not translate: Factorial.tla:32:7: Missing label at the following location: line 11, column 20 of macro called at line 32, column 7 (it follows a `call'). The model checked is the old translation;",
    );
  });

  it("also for a module the spec EXTENDS", () => {
    const dir = workspace("pluscal-factorial/Factorial.tla");
    const file = join(dir, "Factorial.tla");
    writeFileSync(file, readFileSync(file, "utf8").replace("m1: call Twice(3);", "m1: call Twice(4);"));
    writeFileSync(join(dir, "MCFactorial.tla"), "---- MODULE MCFactorial ----\nEXTENDS Factorial\n====\n");
    writeFileSync(join(dir, "MCFactorial.cfg"), "CONSTANT defaultInitValue = defaultInitValue\nSPECIFICATION Spec\n");
    const r = run(dir, "MCFactorial.tla");
    expect(r.code).toBe(0);
    expect(r.err).toContain("Warning: The PlusCal algorithm in module Factorial has changed since its last translation.");
  });

  it("says nothing for a current translation", () => {
    const dir = workspace("pluscal-peterson/Peterson.tla", "pluscal-peterson/Peterson.cfg");
    const r = run(dir, "Peterson.tla");
    expect(r.code).toBe(0);
    expect(r.err).not.toContain("Warning");
  });

  it("hints at --translate for an algorithm without a translation, also when there is no cfg yet", () => {
    const dir = workspace("pluscal-euclid/Euclid.tla");
    const file = join(dir, "Euclid.tla");
    writeFileSync(file, strip(readFileSync(file, "utf8")));
    const r = run(dir, "Euclid.tla");
    expect(r.code).toBe(153);
    expect(r.err).toContain("Warning: Module Euclid contains a PlusCal algorithm but no translation");
    expect(r.err).toContain("run `tla-check --translate Euclid.tla` to write it");
    expect(existsSync(join(dir, "Euclid.cfg"))).toBe(false);
  });

  it("gives no hint for a comment that only looks like an algorithm", () => {
    const dir = workspace("comments-proofs/Toggle.tla", "comments-proofs/Toggle.cfg");
    const r = run(dir, "Toggle.tla");
    expect(r.err).not.toContain("PlusCal");
  });
});

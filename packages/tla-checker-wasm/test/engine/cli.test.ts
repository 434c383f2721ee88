// The tla-check bin end to end, spawned as users run it. Needs the build (dist/): the package's
// test script runs after `build`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/tla-check.js", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: fixtures, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("tla-check", { timeout: 60_000 }, () => {
  it("prints one JSON line with --json and exits 12 on an invariant violation", () => {
    const r = run("Steps.tla", "--config", "StepsInv.cfg", "--json");
    expect(r.code).toBe(12);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]);
    expect(json).toMatchObject({ verdict: "invariant", name: "Inv5", distinct: 5, generated: 10, depth: 3, traceLength: 4 });
    expect(Object.keys(json).sort()).toEqual(["depth", "distinct", "generated", "name", "seconds", "traceLength", "verdict"]);
  });

  it("uses Spec.cfg by default, prints TLC's summary and exits 0", () => {
    const r = run("Mutex.tla");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Model checking completed. No error has been found.");
    expect(r.out).toContain("49 states generated, 20 distinct states found, 0 states left on queue.");
    expect(r.out).toContain("The depth of the complete state graph search is 5.");
  });

  it("exits 11 on a deadlock, and TLC's -deadlock turns the check off", () => {
    const on = run("Count.tla");
    expect(on.code).toBe(11);
    expect(on.out).toContain("Error: Deadlock reached.");
    expect(on.out).toContain("State 4: <Next");
    expect(run("Count.tla", "-deadlock").code).toBe(0);
    expect(run("Count.tla", "--no-deadlock", "--json").out).toContain('"verdict":"ok"');
  });

  it("accepts TLC's spellings: -config, -workers, -simulate num=N, -depth, -seed", () => {
    const r = run("Mutex.tla", "-config", "MutexSym.cfg", "-workers", "2", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "ok", distinct: 7, generated: 19 });
    const sim = run("Count.tla", "-simulate", "num=3", "-depth", "10", "-seed", "7", "--json");
    expect(sim.code).toBe(11);
    expect(JSON.parse(sim.out)).toMatchObject({ verdict: "deadlock", seed: 7, traceLength: 4 });
  });

  it("simulation is reproducible from its seed", () => {
    const a = run("Mutex.tla", "--simulate", "--num", "20", "--depth", "15", "--seed", "123", "--json");
    const b = run("Mutex.tla", "--simulate", "--num", "20", "--depth", "15", "--seed", "123", "--json");
    expect(a.code).toBe(0);
    const [ja, jb] = [JSON.parse(a.out), JSON.parse(b.out)];
    expect(ja.generated).toBe(jb.generated);
    expect(ja.seed).toBe(123);
  });

  it("writes the counterexample as ITF and as TLC text", () => {
    const dir = mkdtempSync(join(tmpdir(), "tla-check-"));
    const itf = join(dir, "t.itf.json");
    const txt = join(dir, "t.txt");
    const r = run("Steps.tla", "--config", "StepsInv.cfg", "--trace-out", itf, "--trace-text", txt);
    expect(r.code).toBe(12);
    const doc = JSON.parse(readFileSync(itf, "utf8"));
    expect(doc.vars).toEqual(["x"]);
    expect(doc.states.map((s: { x: unknown }) => s.x)).toEqual([0, 1, 3, 5]);
    expect(doc.states[1]["#meta"]).toEqual({ index: 1, label: "Inc1", action: "Inc1", params: {} });
    expect(readFileSync(txt, "utf8")).toMatch(/^State 1: <Initial predicate>\nx = 0\n\nState 2: <Inc1 line 5/);
  });

  it("a bad cfg path is a clear error with exit 153 (a file error), no stack trace", () => {
    const r = run("Steps.tla", "--config", "NoSuch.cfg");
    expect(r.code).toBe(153);
    expect(r.err).toContain("cannot read config NoSuch.cfg");
    expect(r.err).not.toMatch(/\n\s+at /);
    const missing = run("NoSuch.tla");
    expect(missing.code).toBe(153);
    expect(missing.err).toContain("cannot read spec NoSuch.tla");
  });

  it("keeps stdout to the JSON line when the spec prints, also from worker threads", () => {
    const dir = mkdtempSync(join(tmpdir(), "tla-check-"));
    const spec = join(dir, "Printer.tla");
    writeFileSync(spec, "---- MODULE Printer ----\nEXTENDS Naturals, TLC\nVARIABLE x\nInit == x = 0\nNext == x < 40 /\\ PrintT(<<\"at\", x>>) /\\ x' = x + 1\n====\n");
    writeFileSync(join(dir, "Printer.cfg"), "INIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n");
    for (const workers of ["1", "2"]) {
      const r = spawnSync(process.execPath, [bin, spec, "--json", "--workers", workers], { encoding: "utf8", timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split("\n")).toHaveLength(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ verdict: "ok", distinct: 41 });
      expect(r.stderr).toContain('<<"at", 39>>');
    }
  });

  it("finds EXTENDed modules in --lib directories", () => {
    const dir = mkdtempSync(join(tmpdir(), "tla-check-"));
    const lib = mkdtempSync(join(tmpdir(), "tla-check-lib-"));
    writeFileSync(join(lib, "Helpers.tla"), "---- MODULE Helpers ----\nEXTENDS Naturals\nLimit == 3\n====\n");
    writeFileSync(join(dir, "UsesLib.tla"), "---- MODULE UsesLib ----\nEXTENDS Helpers\nVARIABLE x\nInit == x = 0\nNext == x < Limit /\\ x' = x + 1\n====\n");
    writeFileSync(join(dir, "UsesLib.cfg"), "INIT Init\nNEXT Next\n");
    const without = spawnSync(process.execPath, [bin, join(dir, "UsesLib.tla"), "--json"], { encoding: "utf8", timeout: 60_000 });
    expect(without.status).toBe(150);
    const r = spawnSync(process.execPath, [bin, join(dir, "UsesLib.tla"), "--lib", lib, "--json"], { encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(11);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: "deadlock", distinct: 4 });
  });

  it("reports a liveness violation with exit 13, a lasso in ITF, and TLC's closing line", () => {
    const dir = mkdtempSync(join(tmpdir(), "tla-check-"));
    const itf = join(dir, "lasso.itf.json");
    for (const workers of ["1", "2"]) {
      const r = run("Fair.tla", "--config", "FairWeak.cfg", "--workers", workers, "--trace-out", itf);
      expect(r.code).toBe(13);
      expect(r.out).toContain("Error: Temporal properties were violated (Done).");
      expect(r.out).toContain("Back to state 1: <Toggle line 5, col 11 to line 5, col 32 of module Fair>");
      const doc = JSON.parse(readFileSync(itf, "utf8"));
      expect(doc.loop).toBe(0);
      expect(doc.states).toHaveLength(2);
    }
    expect(run("Fair.tla", "--config", "FairStrong.cfg", "--json").code).toBe(0);
  });

  it("prints TLC's symmetry warning for liveness on stderr and in the JSON line", () => {
    const text = run("LiveSym.tla");
    expect(text.err).toContain(
      "Warning: Declaring symmetry during liveness checking is dangerous. It might cause TLC to miss violations of the stated liveness properties. Please check liveness without symmetry defined.",
    );
    const json = run("LiveSym.tla", "--json");
    expect(JSON.parse(json.out).warnings).toHaveLength(1);
    expect(json.err).toContain("Warning: Declaring symmetry");
    expect(run("LiveSym.tla", "--config", "LiveSym_View.cfg").err).toContain("Warning: Declaring a VIEW during liveness checking is dangerous.");
    expect(run("LiveSym.tla", "--config", "LiveSym_Plain.cfg").err).not.toContain("Warning");
    // TLC's -nowarning (ours --no-warnings) keeps them off stderr; the JSON line still lists them.
    for (const flag of ["-nowarning", "--no-warnings"]) {
      const quiet = run("LiveSym.tla", flag, "--json");
      expect(quiet.code, flag).toBe(json.code);
      expect(quiet.err, flag).not.toContain("Warning");
      expect(JSON.parse(quiet.out).warnings, flag).toHaveLength(1);
    }
  });

  it("ends parse, semantic and cfg errors with TLC's closing lines, not 'Evaluation failed'", () => {
    const dir = mkdtempSync(join(tmpdir(), "tla-check-"));
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
    const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    // TLC 2.20 on these: "Error: Parsing or semantic analysis failed." for the first two;
    // "TLC found an error in the configuration file at line 2" for the bad cfg, which tla-check
    // words with its own name: no message claims to come from TLC.
    write("Syn.tla", "---- MODULE Syn ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = x + \n====\n");
    write("Sem.tla", "---- MODULE Sem ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = y\nNext == x' = x\n====\n");
    write("Cfg.tla", "---- MODULE Cfg ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x < 2 /\\ x' = x + 1\n====\n");
    for (const m of ["Syn", "Sem", "Cfg"]) write(`${m}.cfg`, "INIT Init\nNEXT Next\n");
    write("Bad.cfg", "INIT Init\nNEXT\n");
    write("Undef.cfg", "INIT Init\nNEXT Nxt\n");
    for (const m of ["Syn", "Sem"]) {
      const r = cli(`${m}.tla`);
      expect(r.status).toBe(150);
      expect(r.stdout).toContain("Error: Parsing or semantic analysis failed.");
      expect(r.stdout).not.toContain("Evaluation failed");
      expect(r.stderr).toMatch(new RegExp(`${m}\\.tla:\\d+:\\d+: `));
    }
    for (const c of ["Bad.cfg", "Undef.cfg"]) {
      const r = cli("Cfg.tla", "--config", c);
      expect(r.status).toBe(151);
      expect(r.stdout).toContain("Error: tla-check found an error in the configuration file at line 2.");
      expect(r.stdout + r.stderr).not.toContain("TLC found an error");
      expect(r.stdout).not.toContain("Evaluation failed");
    }
    expect(cli("Cfg.tla").status).toBe(11);
  });

  it("gives -Dname=value (TLC: java -Dname=value) to TLCGet(\"-Dname\"), and names a property that is not set", () => {
    const set = run("Prop.tla", "-Dsynod.start=go", "--json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ verdict: "ok", distinct: 1 });
    expect(run("Prop.tla", "--property", "synod.start=go", "--json").code).toBe(0);
    const unset = run("Prop.tla", "--json");
    expect(unset.code).toBe(75);
    expect(JSON.parse(unset.out).error.message).toMatch(/TLCGet\("-Dsynod\.start"\): the property synod\.start is not set \(give it to tla-check as -Dsynod\.start=value\)/);
    expect(run("Prop.tla", "--property", "synod.start").code).toBe(1);
  });

  it("TLC options that change nothing reported pass with a note; those asking for what tla-check does not do are refused by name", () => {
    const ok = run("Steps.tla", "-fp", "3", "-metadir", "/tmp/unused", "-checkpoint", "0", "--json");
    expect(ok.code).toBe(0);
    expect(ok.err).toContain("ignoring TLC option -fp 3 (it changes nothing tla-check reports)");
    for (const [args, name] of [[["-invlevel", "3"], "-invlevel"], [["-postCondition", "M!P"], "-postCondition"], [["-checkpoint", "5"], "-checkpoint"], [["-recover", "x"], "-recover"]] as const) {
      const r = run("Steps.tla", ...args);
      expect(r.code, name).toBe(1);
      expect(r.err).toContain(`TLC's ${name} (`);
      expect(r.out).not.toContain("No error has been found");
    }
  });

  it("usage errors exit 1, as TLC's", () => {
    expect(run("Steps.tla", "--workers", "zero").code).toBe(1);
    expect(run().code).toBe(1);
    expect(run("Steps.tla", "--bogus").code).toBe(1);
    expect(run("Steps.tla", "--seed", "3").code).toBe(1);
  });

  it("an evaluation error in Next prints file:line:col with the offending line and exits 75", () => {
    const dir = mkdtempSync(join(tmpdir(), "tla-check-"));
    const spec = join(dir, "Oops.tla");
    // From x = 0 the step goes to x = 2, where 5 \div 0 fails.
    writeFileSync(spec, "---- MODULE Oops ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x < 3 /\\ x' = 5 \\div (2 - x)\n====\n");
    writeFileSync(join(dir, "Oops.cfg"), "INIT Init\nNEXT Next\n");
    const r = spawnSync(process.execPath, [bin, spec], { encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(75);
    expect(r.stderr).toMatch(/Oops\.tla:5:\d+: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain("Next == x < 3");
    expect(r.stdout).toContain("State 2: <Next");
  });
});

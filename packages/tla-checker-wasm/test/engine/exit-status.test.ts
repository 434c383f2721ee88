// tla-check's exit statuses and the cfg features that change a verdict (POSTCONDITION, ALIAS,
// --max-states, PROPERTY under -simulate), end to end through the bin. The statuses are TLC 2.20's
// on the same spec and cfg (fixtures/Status.tla; TLC's status in each case's comment).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/tla-check.js", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: fixtures, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("exit statuses are TLC's", { timeout: 60_000 }, () => {
  it.each([
    ["StatusInv", 12, "invariant"], // TLC 12: Invariant Small is violated.
    ["StatusAction", 13, "property"], // TLC 13: Action property Bounded is violated.
    ["StatusLive", 13, "liveness"], // TLC 13: Temporal properties were violated.
    ["StatusLiveFair", 0, "ok"], // TLC 0
    ["StatusAssume", 10, "assume"], // TLC 10: Assumption ... is false.
    ["StatusAssert", 14, "error"], // TLC 14: The first argument of Assert evaluated to FALSE
    ["StatusInvEval", 76, "error"], // TLC 76: Evaluating invariant Broken failed.
    ["StatusPost", 0, "ok"], // TLC 0
    ["StatusPostFalse", 10, "postcondition"], // TLC 10: Assumption line 34, ... is false.
  ])("%s exits %i with verdict %s", (cfg, code, verdict) => {
    const r = run("Status.tla", "--config", `${cfg}.cfg`, "--json");
    expect(r.code).toBe(code);
    expect(JSON.parse(r.out).verdict).toBe(verdict);
  });

  it("a false POSTCONDITION is reported as TLC 2.20 does, after the search's figures", () => {
    const r = run("Status.tla", "--config", "StatusPostFalse.cfg");
    expect(r.out).toContain("Error: Assumption line 34, col 15 to line 34, col 46 of module Status is false.");
    expect(r.out).toContain("4 states generated, 4 distinct states found, 0 states left on queue.");
    expect(r.out).not.toContain("No error has been found");
  });

  it("recursion deeper than the stack is an evaluation error (TLC 75: StackOverflowError), not an internal error", () => {
    const r = run("DeepRecursion.tla", "--config", "DeepRecursion.cfg", "--json");
    expect(r.code).toBe(75);
    const out = JSON.parse(r.out) as { verdict: string; error: { kind: string; message: string } };
    expect(out.verdict).toBe("error");
    expect(out.error.kind).toBe("eval");
    expect(out.error.message).toMatch(/recursed deeper than the JavaScript stack allows/);
  });

  it("an Assert failure prints TLC's message", () => {
    const r = run("Status.tla", "--config", "StatusAssert.cfg");
    expect(r.out).toContain('Error: The first argument of Assert evaluated to FALSE; the second argument was:\n"x reached 2"');
  });

  it("--max-states stops the search, says so, and exits 124: an incomplete search is not a pass", () => {
    const text = run("Status.tla", "--config", "StatusPost.cfg", "--max-states", "2");
    expect(text.code).toBe(124);
    expect(text.out).toContain("the search is incomplete");
    expect(text.out).not.toContain("No error has been found");
    const json = run("Status.tla", "--config", "StatusPost.cfg", "--max-states", "2", "--json");
    expect(json.code).toBe(124);
    expect(JSON.parse(json.out)).toMatchObject({ verdict: "incomplete", complete: false });
    // A budget the search does not reach changes nothing.
    expect(run("Status.tla", "--config", "StatusPost.cfg", "--max-states", "100").code).toBe(0);
  });

  it("ALIAS replaces the variables in the trace, fields in the order written (TLC 2.20's text)", () => {
    const r = run("Status.tla", "--config", "StatusAlias.cfg");
    expect(r.code).toBe(12);
    expect(r.out).toContain("State 3: <Next line 12, col 9 to line 12, col 31 of module Status>\n/\\ x = 2\n/\\ twice = 4\n");
  });

  it("-simulate checks temporal properties on every walk, as TLC's simulator", () => {
    // TLC -simulate num=5 -depth 10 -seed 1: exit 13, the lasso x = 0, 1, 2 then stuttering.
    const unfair = run("Status.tla", "--config", "StatusLive.cfg", "--simulate", "--num", "5", "--depth", "10", "--seed", "1");
    expect(unfair.code).toBe(13);
    expect(unfair.out).toContain("Error: Temporal properties were violated (Ends).");
    expect(unfair.out).toContain("Error: The following behavior constitutes a counter-example:");
    expect(unfair.out).toMatch(/State \d+: Stuttering/);
    // Under WF every walk reaches x = 3 (or is cut before stuttering could be forced): no violation.
    const fair = run("Status.tla", "--config", "StatusLiveFair.cfg", "--simulate", "--num", "5", "--depth", "10", "--seed", "1", "--json");
    expect(fair.code).toBe(0);
    expect(JSON.parse(fair.out).verdict).toBe("ok");
  });
});

describe("a reader that goes away", () => {
  // Spawning the bin takes seconds on a loaded machine: a budget, not a speed target.
  it("ends tla-check quietly with 141 (128 + SIGPIPE), not an EPIPE stack trace and not 0", { timeout: 60_000 }, async () => {
    const { spawn } = await import("node:child_process");
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "tla-pipe-"));
    // A 3,000-state error trace: far more output than a pipe holds once its reader is gone.
    writeFileSync(join(dir, "Long.tla"), "---- MODULE Long ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = x + 1\nSmall == x < 3000\n====\n");
    writeFileSync(join(dir, "Long.cfg"), "INIT Init\nNEXT Next\nINVARIANT Small\n");
    const child = spawn(process.execPath, [bin, "Long.tla"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    // As `| head -1`: take the first chunk, then close the pipe.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    rmSync(dir, { recursive: true });
    expect(err).not.toMatch(/EPIPE|at .*\.js/);
    expect(code).toBe(141);
  });
});

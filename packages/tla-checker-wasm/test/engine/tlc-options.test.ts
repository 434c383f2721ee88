// TLC's options that tla-check honours, through the bin, against what TLC 2.20 printed and wrote
// for the same command line (test/engine/fixtures/tlc-options: cases.json, recorded/ written by
// scripts/tlc-options-record.mjs). The same argv goes to both: tla-check takes TLC's spellings.
// The comparisons run the CLI in-process (main(), as the bin does) to keep the suite fast; each
// option also has a run through the bin below. With SYNOD_TLC_JAR set, the recordings are also compared with a fresh TLC run, so a stale
// recording is caught (cases needing the CommunityModules' Java overrides are left to the script).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { normalizeTlcOutput } from "../../scripts/tlc-options-record.mjs";
import { main } from "../../src/cli/main.js";

const bin = fileURLToPath(new URL("../../bin/tla-check.js", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/tlc-options/", import.meta.url));
const jar = process.env.SYNOD_TLC_JAR;

interface Case {
  name: string;
  args: string[];
  files?: string[];
  communityModules?: boolean;
  /**
   * Run through the bin: TLC orders the fields of records by when their names were first met in
   * the process (tla-check does the same), so a spec whose record field names other specs also use
   * prints them in TLC's order only in a process of its own.
   */
  freshProcess?: boolean;
  /**
   * tla-check's exit status where it deliberately differs from TLC's: with -continue TLC exits 0
   * and says "No error has been found" after printing violations; tla-check exits with the first
   * violation's status.
   */
  oursExit?: number;
  /**
   * TLC's -dfid picks initial states and successors at random, so which violation it reports
   * first, and its trace, vary from run to run (its counts do not): only the verdict and figures
   * are compared.
   */
  traceVaries?: boolean;
}

const cases: Case[] = JSON.parse(readFileSync(join(fixtures, "cases.json"), "utf8"));
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** A scratch copy of the fixtures, as the working directory of one run. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tlc-options-test-"));
  scratch.push(dir);
  for (const f of readdirSync(fixtures)) if (/\.(tla|cfg)$/.test(f)) cpSync(join(fixtures, f), join(dir, f));
  return dir;
}

/** Run the bin in `dir`. */
export function run(dir: string, args: readonly string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", timeout: 60_000, ...(input !== undefined ? { input } : {}) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Run the CLI in-process on `args` as if started in `dir`: the spec, cfg and output files named
 * in TLC's arguments are made absolute, and `dir` is taken out of what it prints.
 */
async function runIn(dir: string, c: Case) {
  const args = c.args.map((a, i) => (/\.(tla|cfg)$/.test(a) || (c.files ?? []).includes(a) || c.args[i - 1] === "-config" || (c.args[i - 1] === "-dump" && !/^dot(,|$)/.test(a)) || /^dot(,|$)/.test(c.args[i - 1] ?? "") ? join(dir, a) : a));
  let out = "";
  let err = "";
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), errIsTTY: false });
  const strip = (t: string) => t.split(`${dir}/`).join("");
  return { code, out: strip(out), err: strip(err) };
}

/** The recorded TLC run of a case: its exit status and normalised output. */
function recorded(name: string): { code: number; out: string } {
  const text = readFileSync(join(fixtures, "recorded", `${name}.out`), "utf8");
  const nl = text.indexOf("\n");
  return { code: Number(text.slice(5, nl)), out: text.slice(nl + 1) };
}

/**
 * What both checkers' outputs are compared on: the first error line, the trace (from `State 1:` to
 * the figures), the `CounterExample written` lines and the closing figures. Blank lines around
 * TLC's liveness headings, which tla-check does not print, are dropped from both.
 */
function comparable(out: string, c: Case): string {
  const lines = out.split("\n");
  const kept: string[] = [];
  let inTrace = false;
  const continued = c.args.includes("-continue");
  for (const line of lines) {
    if (/^State 1:/.test(line)) inTrace = true;
    if (/states generated/.test(line) || /^"CounterExample written/.test(line) || /^The coverage statistics/.test(line)) inTrace = false;
    // TLC prints a -continue violation's first line twice when deadlock checking is off.
    if (continued && /^Error: Invariant/.test(line) && kept[kept.length - 1] === line) continue;
    // With -continue the closing verdicts differ on purpose (see Case.oursExit).
    if (continued && /^Model checking completed/.test(line)) continue;
    // Coverage: the per-action lines (`<A line ..>: distinct:generated`); TLC's per-variable and
    // per-subexpression lines are not computed by tla-check (it says so on stderr).
    const coverage = /^<\w+ line .*>: \d+:\d+$/.test(line) || /^The coverage statistics at/.test(line) || line === "End of statistics.";
    if (c.traceVaries && inTrace) continue;
    if (inTrace || coverage || /^Starting level \d+: /.test(line) || /^Error: /.test(line) || /^"CounterExample written/.test(line) || /states generated|distinct states found|depth of the complete/.test(line) || /^Model checking completed/.test(line)) kept.push(line);
  }
  return kept
    .join("\n")
    .replace(/The coverage statistics at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "The coverage statistics at <time>")
    .replace(/^Error: Temporal properties were violated.*$/m, "Error: Temporal properties were violated.")
    .replace(/\n+$/, "\n");
}

/**
 * A dot file with its node ids (fingerprints: TLC's are its own) replaced by the node's label,
 * and the lines whose order in TLC is a hash table's (ids within a rank, the legend) sorted.
 */
function normalizeDot(text: string): string {
  const names = new Map<string, string>();
  for (const m of text.matchAll(/^(-?\d+) \[label="((?:[^"\\]|\\.)*)"/gm)) names.set(m[1]!, `<${m[2]!}>`);
  const named = text.replace(/-?\d{6,}/g, (id) => names.get(id) ?? id);
  const lines = named.split("\n").map((l) => (l.startsWith("{rank = same; ") ? `{rank = same; ${l.slice(14, -1).split(";").filter((x) => x !== "").sort().map((x) => `${x};`).join("")}}` : l));
  const legendStart = lines.findIndex((l) => l.startsWith("node [ labeljust"));
  if (legendStart >= 0) {
    const end = lines.findIndex((l, i) => i > legendStart && l.startsWith("}"));
    const legend = lines.slice(legendStart + 1, end).sort();
    lines.splice(legendStart + 1, legend.length, ...legend);
  }
  return lines.join("\n");
}

/** Our output with TLC's name for a `-inv` expression (`__DebuggerExpr__<n>`, normalised by the recorder). */
function asTlcNames(c: Case, out: string): string {
  let text = out;
  c.args.forEach((a, i) => {
    if (a === "-inv" && !/^\w+$/.test(c.args[i + 1]!)) text = text.split(`Invariant ${c.args[i + 1]} is violated`).join("Invariant __DebuggerExpr__ is violated");
  });
  // TLC names a definition given to -inv by its expression too.
  c.args.forEach((a, i) => {
    if (a === "-inv" && /^\w+$/.test(c.args[i + 1]!)) text = text.split(`Invariant ${c.args[i + 1]} is violated`).join("Invariant __DebuggerExpr__ is violated");
  });
  return text;
}

describe("TLC's options against TLC's own output", { timeout: 120_000 }, () => {
  for (const c of cases) {
    it(`${c.name}: ${c.args.join(" ")}`, async () => {
      const dir = workDir();
      const ours = c.freshProcess ? run(dir, c.args) : await runIn(dir, c);
      const tlc = recorded(c.name);
      expect(ours.err).not.toMatch(/internal error/);
      expect(ours.code).toBe(c.oursExit ?? tlc.code);
      expect(comparable(asTlcNames(c, ours.out), c)).toBe(comparable(tlc.out, c));
      for (const f of c.files ?? []) {
        expect(existsSync(join(dir, f)), `${f} written`).toBe(true);
        const [mine, theirs] = [readFileSync(join(dir, f), "utf8"), readFileSync(join(fixtures, "recorded", `${c.name}.${f}`), "utf8")];
        if (f.endsWith(".dot")) expect(normalizeDot(mine)).toBe(normalizeDot(theirs));
        else expect(mine).toBe(theirs);
      }
    });
  }

  it("the recordings are TLC's current output (live TLC when SYNOD_TLC_JAR is set)", () => {
    for (const c of cases) expect(recorded(c.name).out.length, c.name).toBeGreaterThan(0);
    if (!jar) return;
    for (const c of cases.filter((k) => !k.communityModules)) {
      const dir = workDir();
      const r = spawnSync("java", ["-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", join(dir, "states"), ...c.args], { cwd: dir, encoding: "utf8" });
      // Compared as tla-check's output is (a -dfid trace varies between TLC runs).
      const tlc = recorded(c.name);
      expect(r.status, c.name).toBe(tlc.code);
      expect(comparable(normalizeTlcOutput(r.stdout), c), c.name).toBe(comparable(tlc.out, c));
    }
  });
});

/** The CLI in-process with arguments taken as they are (paths relative to `dir` made absolute by the caller). */
async function cli(dir: string, args: readonly string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), errIsTTY: false });
  return { code, out: out.split(`${dir}/`).join(""), err: err.split(`${dir}/`).join("") };
}

describe("TLC's options through our long spellings (each once through the bin)", { timeout: 60_000 }, () => {
  it("--diff-trace and --view print as -difftrace and -view", async () => {
    const dir = workDir();
    const diff = run(dir, ["M.tla", "--diff-trace"]);
    expect(diff.code).toBe(12);
    expect(diff.out).toContain("State 2: <IncX line 6, col 9 to line 6, col 42 of module M>\n/\\ x = 1\n\nState 3:");
    const view = run(dir, ["M2.tla", "--view"]);
    expect(view.code).toBe(12);
    expect(view.out).toContain("State 1: <Initial predicate>\n[a |-> 0, b |-> 0]\nState 2:");
  });

  it("--view without a VIEW in the cfg is refused by name, not ignored", async () => {
    const dir = workDir();
    const r = await cli(dir, [join(dir, "M.tla"), "-view"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("--view (TLC's -view) prints states through the cfg's VIEW, and M.cfg names none");
    expect(r.out).toBe("");
  });

  it("--inv NAME checks a definition as an invariant (Apalache's form, comma-separated and repeatable)", async () => {
    const dir = workDir();
    const one = run(dir, ["M.tla", "--config", "M4.cfg", "--inv", "Small", "--json"]);
    expect(one.code).toBe(12);
    expect(JSON.parse(one.out)).toMatchObject({ verdict: "invariant", name: "Small", distinct: 7, generated: 8, traceLength: 4 });
    // Without it the cfg M4 has no invariant and the model deadlocks.
    expect(JSON.parse((await cli(dir, [join(dir, "M.tla"), "--config", join(dir, "M4.cfg"), "--json"])).out)).toMatchObject({ verdict: "deadlock" });
    const two = await cli(dir, [join(dir, "B.tla"), "--config", join(dir, "B2.cfg"), "--inv", "Inv, Inv", "--json"]);
    expect(JSON.parse(two.out)).toMatchObject({ verdict: "invariant", name: "Inv" });
    const missing = await cli(dir, [join(dir, "M.tla"), "--inv", "NoSuchDef"]);
    expect(missing.code).toBe(151);
    expect(missing.err + missing.out).toContain("INVARIANT NoSuchDef is not defined in module M");
  });

  it("--inv-expr checks a state predicate's text and names it in the verdict", async () => {
    const dir = workDir();
    const r = run(dir, ["M.tla", "--config", "M4.cfg", "--inv-expr", "x + y < 2"]);
    expect(r.code).toBe(12);
    expect(r.out).toContain("Error: Invariant x + y < 2 is violated.");
    const action = await cli(dir, [join(dir, "M.tla"), "--config", join(dir, "M4.cfg"), "--inv-expr", "x' = x"]);
    expect(action.code).toBe(151);
    expect(action.out + action.err).toContain('the invariant expression "x\' = x" is not a state predicate');
  });

  it("--dump-trace-json and --dump-trace-tla write what -dumpTrace writes; a format TLC lacks is refused", async () => {
    const dir = workDir();
    const r = run(dir, ["P.tla", "--dump-trace-json", "a.json", "--dump-trace-tla", "a.tla"]);
    expect(r.code).toBe(12);
    expect(r.out).toContain('"CounterExample written: a.json"\n"CounterExample written: a.tla"\n');
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe(readFileSync(join(fixtures, "recorded", "dumptrace-P.out.json"), "utf8"));
    expect(readFileSync(join(dir, "a.tla"), "utf8")).toBe(readFileSync(join(fixtures, "recorded", "dumptrace-P.out.tla"), "utf8").replace("MODULE out ", "MODULE a "));
    const bad = await cli(dir, [join(dir, "P.tla"), "-dumpTrace", "dot", "x.dot"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('TLC\'s -dumpTrace format "dot" is not supported');
    const none = await cli(dir, [join(dir, "M3.tla"), "--dump-trace-json", join(dir, "none.json")]);
    expect(none.code).toBe(0);
    expect(none.err).toContain("no counterexample, so no trace file was written");
    expect(existsSync(join(dir, "none.json"))).toBe(false);
  });
});

describe("-continue, -coverage and -dump through our long spellings (each once through the bin)", { timeout: 60_000 }, () => {
  it("--continue reports every violation, exits with the first one's status and says so in JSON", async () => {
    const dir = workDir();
    const r = run(dir, ["M.tla", "--continue", "--no-deadlock"]);
    expect(r.code).toBe(12);
    expect(r.out.match(/^Error: Invariant Small is violated\.$/gm)).toHaveLength(6);
    expect(r.out).toContain("Model checking completed. 6 violations were found and printed above (--continue went on past each).\n18 states generated, 12 distinct states found, 0 states left on queue.");
    expect(r.out).not.toContain("No error has been found");
    const json = await cli(dir, [join(dir, "M.tla"), "--continue", "--no-deadlock", "--json", "--workers", "2"]);
    expect(JSON.parse(json.out)).toMatchObject({ verdict: "invariant", name: "Small", violations: 6, distinct: 12, generated: 18, traceLength: 4 });
    expect(json.err).toContain("runs on one worker; --workers is ignored");
    // Nothing violated: the count is 0 and the verdict stays ok.
    expect(JSON.parse((await cli(dir, [join(dir, "M3.tla"), "--continue", "--json"])).out)).toMatchObject({ verdict: "ok", violations: 0 });
  });

  it("--coverage prints the per-action lines and says what it leaves out", async () => {
    const dir = workDir();
    const r = run(dir, ["M3.tla", "--coverage", "1"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/<IncY line 6, col 1 to line 6, col 7 of module M3>: 3:3\n<Reset line 7, col 1 to line 7, col 5 of module M3>: 0:1\nEnd of statistics\.\n10 states generated/);
    expect(r.err).toContain("per-variable and per-subexpression evaluation counts are not computed");
    expect((await cli(dir, [join(dir, "M3.tla"), "--coverage", "0"])).code).toBe(1);
  });

  it("--dump and --dump-dot with --dot-options write TLC's files; an option TLC lacks is refused by name", async () => {
    const dir = workDir();
    const r = run(dir, ["M3.tla", "--dump", "st", "--dump-dot", "g", "--dot-options", "colorize,actionlabels"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "st.dump"), "utf8")).toBe(readFileSync(join(fixtures, "recorded", "dump-M3.states.dump"), "utf8"));
    expect(normalizeDot(readFileSync(join(dir, "g.dot"), "utf8"))).toBe(normalizeDot(readFileSync(join(fixtures, "recorded", "dumpdot-M3-colorize-actionlabels.graph.dot"), "utf8")));
    const bad = await cli(dir, [join(dir, "M3.tla"), "-dump", "dot,colorise", join(dir, "x.dot")]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('-dump dot option "colorise" is not one TLC 2.20 has');
    const alone = await cli(dir, [join(dir, "M3.tla"), "--dot-options", "colorize"]);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain("--dot-options applies to --dump-dot only");
  });
});

describe("-dfid through our long spelling", { timeout: 60_000 }, () => {
  it("--dfid N searches depth-first to depth N; a search cut at N is incomplete, not a pass", async () => {
    const dir = workDir();
    const r = run(dir, ["M3.tla", "--dfid", "2"]);
    expect(r.code).toBe(124);
    expect(r.out).toContain("Starting level 2: 2 states generated, 2 distinct states found.\nModel checking stopped early: the search is incomplete, the state space was NOT exhausted.\n6 states generated, 5 distinct states found.\n");
    expect(r.out).not.toContain("No error has been found");
    const json = await cli(dir, [join(dir, "M3.tla"), "--dfid", "10", "--json"]);
    expect(JSON.parse(json.out)).toMatchObject({ verdict: "ok", distinct: 6, generated: 21, depth: 3 });
    const both = await cli(dir, [join(dir, "M3.tla"), "--dfid", "10", "--continue"]);
    expect(both.code).toBe(1);
    expect(both.err).toContain("--dfid (TLC's -dfid) runs its own depth-first search, which --continue cannot watch");
    for (const extra of [["--simulate", "--continue"], ["-simulate", "-dump", "x"], ["--simulate", "--dfid", "3"], ["--dfid", "3", "--max-states", "9"]]) {
      const r2 = await cli(dir, [join(dir, "M3.tla"), ...extra]);
      expect(r2.code, extra.join(" ")).toBe(1);
      expect(r2.err, extra.join(" ")).toMatch(/applies to the exhaustive search|apply to the exhaustive search|--dfid is bounded by its depth/);
    }
    const live = await cli(dir, [join(dir, "L.tla"), "-dfid", "5"]);
    expect(live.code).toBe(151);
    expect(live.err + live.out).toContain("depth-first iterative deepening (-dfid) does not check temporal properties");
  });
});

describe("seeds, pipes and names", { timeout: 60_000 }, () => {
  it("-seed takes any 64-bit integer, as TLC's Java long, and replays from it", async () => {
    const dir = workDir();
    const big = "9223372036854775807";
    const a = run(dir, ["B.tla", "-config", "B2.cfg", "-simulate", "num=5", "-depth", "10", "-seed", big, "--json"]);
    expect(a.code).toBe(11);
    const ja = JSON.parse(a.out);
    // Beyond the safe integers the JSON carries the seed as a string, so no reader rounds it.
    expect(ja.seed).toBe(big);
    const b = await cli(dir, [join(dir, "B.tla"), "--config", join(dir, "B2.cfg"), "--simulate", "--num", "5", "--depth", "10", "--seed", big, "--json"]);
    expect(JSON.parse(b.out)).toEqual({ ...ja, seconds: JSON.parse(b.out).seconds });
    expect((await cli(dir, [join(dir, "B.tla"), "--config", join(dir, "B2.cfg"), "--simulate", "--seed", "-9223372036854775808", "--json"])).code).toBe(11);
    const over = await cli(dir, [join(dir, "B.tla"), "--simulate", "--seed", "9223372036854775808"]);
    expect(over.code).toBe(1);
    expect(over.err).toContain("seed must be a 64-bit integer");
  });

  it("writing into a closed pipe (tla-check ... | head) ends quietly", () => {
    const dir = workDir();
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" Loud.tla 2>err.txt | head -2; echo "status=\${PIPESTATUS[0]}"`], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toBe('<<"step", 0>>\n<<"step", 1>>\nstatus=141\n');
    expect(readFileSync(join(dir, "err.txt"), "utf8")).toBe("");
  });
});

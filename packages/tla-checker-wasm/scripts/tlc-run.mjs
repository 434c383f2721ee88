// Run TLC (the reference TLA+ model checker, a Java program) on one spec + cfg and parse what it
// prints into the figures Synod's corpus compares against. Development tool only: the package's
// tests never need Java. Used by tlc-expected.mjs, differential.mjs and the differential test.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

/**
 * Parse TLC's standard output.
 * @param {string} out everything TLC printed
 * @returns {{verdict: string, name: string|null, distinct: number|null, generated: number|null, depth: number|null,
 *   queue: number|null, traceLength: number|null, loop: number|"stuttering"|null, message: string|null,
 *   errorLocation: {line: number, column: number, endLine: number, endColumn: number, module: string}|null,
 *   tlc: string|null}}
 */
export function parseTlcOutput(out) {
  const lines = out.split(/\r?\n/);
  const tlc = lines.find((l) => l.startsWith("TLC2 Version")) ?? null;
  let verdict = null;
  let name = null;
  let message = null;
  let errorLocation = null;
  const firstError = lines.find((l) => l.startsWith("Error: ") && !l.startsWith("Error: The behavior up to"));
  let m;
  if (lines.some((l) => l.startsWith("Model checking completed. No error has been found."))) {
    verdict = "ok";
  } else if ((m = out.match(/^Error: Invariant (\S+) is violated/m))) {
    verdict = "invariant";
    name = m[1];
  } else if ((m = out.match(/^Error: Action property (line \d+, col \d+ to line \d+, col \d+ of module \S+|\S+) is violated/m))) {
    // TLC names an action property by its operator, or by the span of a `[][A]_v` conjunct.
    verdict = "property";
    name = m[1];
  } else if ((m = out.match(/^Error: Property (line \d+, col \d+ to line \d+, col \d+ of module \S+|\S+) is violated by the initial state/m))) {
    // An implied initial predicate (a state-level conjunct of a PROPERTY, e.g. of a refined spec).
    verdict = "property";
    name = m[1];
  } else if (/^Error: Temporal properties were violated/m.test(out)) {
    verdict = "liveness";
  } else if (/^Error: Deadlock reached\./m.test(out)) {
    verdict = "deadlock";
  } else if ((m = out.match(/^Error: Assumption (line \d+, col \d+ to line \d+, col \d+ of module \S+) is false\./m))) {
    verdict = "assume";
    errorLocation = parseSpan(m[1]);
  } else if (/Parsing or semantic analysis failed|\*\*\*Parse Error\*\*\*|Semantic errors/.test(out)) {
    verdict = "parse";
  } else if (firstError) {
    verdict = "error";
  }
  if (verdict !== "ok" && firstError) message = errorMessage(lines, firstError);
  if (verdict === "error") {
    // TLC lists the nested expressions it was evaluating, outermost first; the last one is where
    // evaluation failed. Some errors (e.g. CHOOSE) also name a span in the message itself.
    const nested = lines.filter((l) => /^\d+\. Line \d+, column \d+ to line \d+, column \d+ in \S+$/.test(l));
    if (nested.length > 0) {
      const n = nested[nested.length - 1].match(/Line (\d+), column (\d+) to line (\d+), column (\d+) in (\S+)/);
      errorLocation = { line: +n[1], column: +n[2], endLine: +n[3], endColumn: +n[4], module: n[5] };
    } else if ((m = out.match(/line \d+, col \d+ to line \d+, col \d+ of module \S+/))) {
      errorLocation = parseSpan(m[0]);
    }
  }
  const stats = [...out.matchAll(/^([\d,]+) states generated, ([\d,]+) distinct states found, ([\d,]+) states left on queue\./gm)].pop();
  const depthMatch = [...out.matchAll(/^The depth of the complete state graph search is (\d+)\./gm)].pop();
  const num = (s) => Number(s.replaceAll(",", ""));
  // A lasso ends with "Back to state k: <action>" or "State m: Stuttering"; neither is a state of
  // the trace, so neither is counted. TLC prints the latter with m = (the cycle's first state) + 1
  // whenever the last state printed has the cycle's first state's fingerprint: m = n + 1 is a
  // genuine stutter in the last state, but m <= n means state n equals state m - 1 and the
  // behaviour goes on with state m (a real step), i.e. the same as "Back to state m".
  const stutterLine = lines.map((l) => l.match(/^State (\d+): Stuttering\s*$/)).find((x) => x);
  const stateHeaders = lines.filter((l) => /^State \d+: /.test(l) && !/^State \d+: Stuttering\s*$/.test(l)).length;
  const backTo = lines.map((l) => l.match(/^Back to state (\d+)(:|$)/)).find((x) => x);
  const stutterAt = stutterLine ? Number(stutterLine[1]) : null;
  const loop = backTo ? Number(backTo[1]) : stutterAt === null ? null : stutterAt > stateHeaders ? "stuttering" : stutterAt;
  // A violation in an initial state: TLC prints that state without a "State 1:" header and no
  // statistics, so the counts are unknown (null) and the trace is that one state.
  const inInit = /^Error: (Invariant|Property) .+ is violated by the initial state/m.test(out);
  return {
    verdict: verdict ?? "unknown",
    name,
    distinct: stats ? num(stats[2]) : inInit ? null : 0,
    generated: stats ? num(stats[1]) : inInit ? null : 0,
    depth: depthMatch ? num(depthMatch[1]) : inInit ? null : 0,
    queue: stats ? num(stats[3]) : null,
    traceLength: stateHeaders > 0 ? stateHeaders : inInit ? 1 : null,
    loop: verdict === "liveness" ? loop : null,
    message,
    errorLocation,
    tlc,
  };
}

function parseSpan(text) {
  const m = text.match(/line (\d+), col (\d+) to line (\d+), col (\d+) of module (\S+)/);
  return { line: +m[1], column: +m[2], endLine: +m[3], endColumn: +m[4], module: m[5] };
}

// The first error line, plus TLC's continuation lines for exceptions (the real reason is there).
function errorMessage(lines, firstError) {
  const i = lines.indexOf(firstError);
  if (!firstError.startsWith("Error: TLC threw an unexpected exception")) return firstError.slice(7);
  const rest = [];
  for (let j = i + 1; j < lines.length && !lines[j].startsWith("Error: "); j++) {
    if (/^(This was probably|See the User Output|The exception was a)/.test(lines[j])) continue;
    rest.push(lines[j].replace(/^: /, ""));
  }
  return rest.join(" ").trim();
}

/**
 * Run TLC with one worker on `specPath` with `cfgPath`, from the spec's folder, writing nothing
 * there (no trace-explorer spec, metadata in a temporary folder).
 * @param {{jar: string, specPath: string, cfgPath: string, deadlock?: boolean, workers?: number,
 *   timeoutMs?: number, libDirs?: string[], fp?: number, jvmArgs?: string[]}} opts `deadlock: false` adds `-deadlock`;
 *   `jvmArgs` go to the JVM before the class path (e.g. `-Dtlc2.tool.impl.Tool.cdot=true`);
 *   `fp` pins TLC's fingerprint polynomial (`-fp N`, 0..130), which TLC otherwise picks at random:
 *   the order in which TLC's liveness graph stores a state's successors follows their fingerprints,
 *   so a liveness counterexample (not the verdict or the counts) can differ from run to run
 * @returns {ReturnType<typeof parseTlcOutput> & {command: string, output: string, seconds: number}}
 */
export function runTlc(opts) {
  const { jar, specPath, cfgPath, deadlock = true, workers = 1, timeoutMs = 600_000, libDirs = [], fp, jvmArgs = [] } = opts;
  const metaRoot = join(tmpdir(), "synod-tlc-meta");
  mkdirSync(metaRoot, { recursive: true });
  const meta = mkdtempSync(join(metaRoot, `${basename(specPath, ".tla")}-`));
  const cp = [jar, ...libDirs].join(":");
  const args = ["-XX:+UseParallelGC", ...jvmArgs, "-cp", cp, "tlc2.TLC", "-workers", String(workers), "-noGenerateSpecTE",
    "-metadir", meta, ...(fp === undefined ? [] : ["-fp", String(fp)]), ...(deadlock ? [] : ["-deadlock"]), "-config", basename(cfgPath), basename(specPath)];
  const started = Date.now();
  const res = spawnSync("java", args, { cwd: dirname(specPath), encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 28 });
  const seconds = (Date.now() - started) / 1000;
  rmSync(meta, { recursive: true, force: true });
  if (res.error) throw new Error(`TLC on ${cfgPath}: ${res.error.message}`);
  const output = `${res.stdout}${res.stderr}`;
  const shownArgs = args.map((a) => (a === meta ? "<tmp>" : a === cp ? "tla2tools.jar" : a));
  return { ...parseTlcOutput(output), command: ["java", ...shownArgs].join(" "), output, seconds };
}

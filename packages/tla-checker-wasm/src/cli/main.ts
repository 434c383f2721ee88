/**
 * `tla-check`: model-check a TLA+ spec from the command line.
 *
 * ```
 * tla-check Spec.tla [--config Spec.cfg] [--workers N] [--no-deadlock] [--lib DIR]...
 *           [--simulate [--depth N] [--num N] [--seed N]] [--max-states N]
 *           [--trace-out t.itf.json] [--trace-text t.txt] [--json]
 *           [--diff-trace] [--view] [--inv NAME[,NAME]] [--inv-expr EXPR]
 *           [--dump-trace-json FILE] [--dump-trace-tla FILE]
 * tla-check --translate Spec.tla [--json]
 * ```
 * TLC's spellings work too (`-config X -workers N -deadlock -simulate num=N -depth N -seed N
 * -difftrace -view -inv EXPR -dumpTrace json|tla FILE`); see `tlc-args.ts`.
 * Exit statuses are TLC's (`@synod/exit-codes`); see {@link exitCodeFor}.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import cliProgress from "cli-progress";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { checkSpec, simulate } from "../api.js";
import type { CheckResult, Progress, TraceStep } from "../check/types.js";
import type { SimulateResult } from "../check/simulate.js";
import { loadModel } from "../load.js";
import { toITF } from "../trace/itf.js";
import { toTLCText, type DiffShape, type TLCTextOptions } from "../trace/tlc-text.js";
import { toTLCCounterExampleJson, toTLCCounterExampleModule } from "../trace/counterexample.js";
import { parseCfg } from "../cfg/parse.js";
import type { SearchObserver } from "../check/explorer.js";
import type { ContinuedViolation } from "../check/types.js";
import { Coverage, COVERAGE_NOTE } from "./coverage.js";
import { DOT_OPTIONS, DotDump, observeAll, StateDump, type DotOption } from "./state-dump.js";
import { exitCodeFor, ExitStatus } from "./exit-codes.js";
import { figuresLines, formatErrorWithSource, jsonLine, simulationJsonLine, verdictLine, violatedInitially, violationLines } from "./report.js";
import { rewriteTlcArgs } from "./tlc-args.js";
import { moduleTextWarnings, runTranslate } from "./translate.js";

/** Where the CLI writes; injectable for tests. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is a terminal (progress bar instead of progress lines). */
  errIsTTY: boolean;
}

const processIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  errIsTTY: Boolean(process.stderr.isTTY),
};

interface CliOptions {
  config?: string;
  workers: number;
  simulate?: boolean;
  depth?: number;
  num?: number;
  seed?: number | bigint;
  deadlock: boolean;
  lib: string[];
  property: string[];
  traceOut?: string;
  traceText?: string;
  json?: boolean;
  maxStates?: number;
  translate?: boolean;
  diffTrace?: boolean;
  view?: boolean;
  inv: string[];
  invExpr: string[];
  dumpTraceJson: string[];
  dumpTraceTla: string[];
  continue?: boolean;
  coverage?: number;
  dump?: string;
  dumpDot?: string;
  dotOptions?: string;
  dfid?: number;
}

function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
    }
    return Number(value);
  };
}

function parseWorkers(value: string): number {
  if (value === "auto") return availableParallelism();
  return positiveInt("workers")(value);
}

/** A seed: any 64-bit integer, as TLC's `-seed` takes a Java long; a number when it is a safe integer. */
function parseSeed(value: string): number | bigint {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`seed must be an integer, got "${value}"`);
  const n = BigInt(value);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new InvalidArgumentError(`seed must be a 64-bit integer (as TLC's -seed, a Java long), got "${value}"`);
  return Number.isSafeInteger(Number(value)) ? Number(value) : n;
}

/** Repeatable option collecting values; `--inv A,B` also splits on commas (Apalache's form). */
function collect(split: boolean) {
  return (value: string, acc: string[]): string[] => [...acc, ...(split ? value.split(",").map((v) => v.trim()).filter((v) => v !== "") : [value])];
}

function buildProgram(io: CliIO): Command {
  return new Command()
    .name("tla-check")
    .description("Model-check a TLA+ specification (TLC-compatible counts, verdicts and traces).")
    .argument("<spec>", "the root module, e.g. Spec.tla")
    .option("--config <file>", "the model configuration (default: the spec's name with .cfg)")
    .option("--workers <n>", "worker threads, or auto", parseWorkers, 1)
    .option("--no-deadlock", "do not report deadlocks (TLC: -deadlock)")
    .option("--lib <dir>", "directory searched for modules after the spec's own (repeatable)", (d: string, acc: string[]) => [...acc, d], [] as string[])
    .option("--property <name=value>", "a Java system property for TLCGet(\"-Dname\") (TLC: java -Dname=value; -Dname=value is accepted too)", (d: string, acc: string[]) => {
      if (!/^[^=]+=/.test(d)) throw new InvalidArgumentError(`a property is name=value, got "${d}"`);
      return [...acc, d];
    }, [] as string[])
    .option("--no-warnings", "do not print warnings on stderr (TLC: -nowarning)")
    .option("--simulate", "random walks instead of exhaustive search")
    .option("--depth <n>", "simulation: states per walk (default 100)", positiveInt("depth"))
    .option("--num <n>", "simulation: number of walks (default 1000)", positiveInt("num"))
    .option("--seed <n>", "simulation: random seed (default: fresh, printed)", parseSeed)
    .option("--max-states <n>", "stop after this many distinct states", positiveInt("max-states"))
    .option("--trace-out <file>", "write the counterexample as ITF JSON")
    .option("--trace-text <file>", "write the counterexample as TLC-style text")
    .option("--json", "print exactly one JSON line with the result on stdout")
    .option("--diff-trace", "in traces, print only the variables that changed since the previous state (TLC: -difftrace)")
    .option("--view", "print the states of traces as the value of the cfg's VIEW (TLC: -view)")
    .option("--inv <names>", "also check these definitions as invariants (Apalache's --inv; comma-separated, repeatable)", collect(true), [] as string[])
    .option("--inv-expr <expr>", "also check this state predicate, given as TLA+ text, as an invariant (TLC: -inv expr; repeatable)", collect(false), [] as string[])
    .option("--dump-trace-json <file>", "write the counterexample as TLC's CounterExample record in JSON (TLC: -dumpTrace json file)", collect(false), [] as string[])
    .option("--continue", "go on after an invariant or action property violation, printing each one (TLC: -continue)")
    .option("--coverage <minutes>", "print each action's distinct and generated states every N minutes and at the end (TLC: -coverage N)", positiveInt("coverage"))
    .option("--dump <file>", "write every distinct state as TLA+ to FILE.dump (TLC: -dump FILE)")
    .option("--dump-dot <file>", "write the state graph in GraphViz dot to FILE.dot (TLC: -dump dot FILE)")
    .option("--dot-options <list>", `with --dump-dot: comma-separated, of ${DOT_OPTIONS.join(", ")} (TLC: -dump dot,colorize,... FILE)`)
    .option("--dfid <depth>", "depth-first iterative deepening down to this depth instead of breadth-first search (TLC: -dfid N)", positiveInt("dfid"))
    .option("--dump-trace-tla <file>", "write the counterexample as a TLA+ module defining TLC's CounterExample (TLC: -dumpTrace tla file)", collect(false), [] as string[])
    .option("--translate", "write the translation of the module's PlusCal algorithm into it (as pcal.trans and the Toolbox do), then stop")
    .addHelpText(
      "after",
      "\nExit statuses (TLC's): 0 no error and the search complete, 1 usage, 10 ASSUME or POSTCONDITION false,\n" +
        "11 deadlock, 12 invariant violated, 13 action or temporal property violated, 14 Assert failed,\n" +
        "75/76/77 evaluation error in the spec/an invariant/a temporal property, 150 parse error, 151 cfg error\n" +
        "or unsupported feature, 124 search incomplete (--max-states, TLCSet(\"exit\", TRUE)), 153 file error, 255 internal error.\n" +
        "TLC spellings are accepted: -config X -workers N -deadlock -simulate [num=N] -depth N -seed N -Dname=value\n" +
        "-difftrace -view -inv EXPR -dumpTrace json|tla FILE -continue -coverage N -dump [dot[,...]] FILE -dfid N.",
    )
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
}

/** Run the CLI with `args` (without node and script); resolves to the exit code. */
export async function main(args: readonly string[], ioIn: CliIO = processIO): Promise<number> {
  const { argv, notes, errors } = rewriteTlcArgs(args);
  // TLC's -nowarning: the warnings are not printed (the JSON line still lists them).
  const io: CliIO = argv.includes("--no-warnings") ? { ...ioIn, err: (t) => (t.startsWith("Warning: ") ? undefined : ioIn.err(t)) } : ioIn;
  if (errors.length > 0) {
    for (const e of errors) io.err(`tla-check: ${e}\n`);
    return ExitStatus.USAGE;
  }
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitStatus.SUCCESS : ExitStatus.USAGE;
    }
    throw err;
  }
  for (const note of notes) io.err(`tla-check: ${note}\n`);
  const opts = program.opts<CliOptions>();
  const specPath = resolve(program.args[0]);
  if (!existsSync(specPath)) {
    io.err(`tla-check: cannot read spec ${program.args[0]}: no such file\n`);
    return ExitStatus.ERROR_SYSTEM;
  }
  const cfgPath = opts.config ? resolve(opts.config) : join(dirname(specPath), `${basename(specPath, extname(specPath))}.cfg`);
  if (opts.translate) {
    const checkOnly = ["config", "workers", "deadlock", "lib", "property", "simulate", "depth", "num", "seed", "maxStates", "traceOut", "traceText", "diffTrace", "view", "inv", "invExpr", "dumpTraceJson", "dumpTraceTla", "continue", "coverage", "dump", "dumpDot", "dotOptions", "dfid"].filter((o) => program.getOptionValueSource(o) === "cli");
    if (checkOnly.length > 0) {
      io.err(`tla-check: --translate only translates; ${checkOnly.map((o) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")} apply to checking (run tla-check again without --translate)\n`);
      return ExitStatus.USAGE;
    }
    return runTranslate(specPath, cfgPath, io, opts.json === true);
  }
  if (!existsSync(cfgPath)) {
    for (const w of moduleTextWarnings(specPath, readFileSync(specPath, "utf8"))) io.err(`Warning: ${w}\n`);
    io.err(
      opts.config
        ? `tla-check: cannot read config ${opts.config}: no such file\n`
        : `tla-check: no config given and ${cfgPath} does not exist (use --config FILE)\n`,
    );
    return ExitStatus.ERROR_SYSTEM;
  }
  const deadlockExplicit = program.getOptionValueSource("deadlock") === "cli";
  const print = opts.json ? (line: string) => io.err(`${line}\n`) : (line: string) => io.out(`${line}\n`);
  const load = {
    spec: { path: specPath },
    cfg: { path: cfgPath },
    ...(opts.lib.length > 0 ? { libDirs: opts.lib.map((d) => resolve(d)) } : {}),
    ...(opts.property.length > 0 ? { properties: Object.fromEntries(opts.property.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])) } : {}),
    ...(opts.inv.length > 0 ? { invariants: opts.inv } : {}),
    ...(opts.invExpr.length > 0 ? { invariantExpressions: opts.invExpr } : {}),
    print,
  };
  if (opts.view && !cfgHasView(cfgPath)) {
    io.err(`tla-check: --view (TLC's -view) prints states through the cfg's VIEW, and ${cfgPath} names none\n`);
    return ExitStatus.USAGE;
  }
  if (opts.view && cfgHasAlias(cfgPath)) io.err("tla-check: the cfg's ALIAS takes precedence over --view in traces, as in TLC\n");
  // PlusCal: a translation older than its algorithm (or missing) is said before checking, as TLC does.
  const pluscalWarnings: string[] = [];
  const onModuleText = (file: string, text: string) => {
    for (const w of moduleTextWarnings(file, text)) {
      pluscalWarnings.push(w);
      io.err(`Warning: ${w}\n`);
    }
  };
  // Options of the exhaustive search only: with --simulate they would be read and not honoured.
  const searchOnly = (names: string[]) => names.filter((o) => program.getOptionValueSource(o) === "cli").map((o) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (opts.simulate) {
    const refused = searchOnly(["continue", "coverage", "dump", "dumpDot", "dotOptions", "dfid", "maxStates"]);
    if (refused.length > 0) {
      io.err(`tla-check: ${refused.join(", ")} ${refused.length === 1 ? "applies" : "apply"} to the exhaustive search, not to --simulate\n`);
      return ExitStatus.USAGE;
    }
    return runSimulation(load, onModuleText, opts, deadlockExplicit, io);
  }
  if (opts.dfid !== undefined && opts.maxStates !== undefined) {
    io.err("tla-check: --max-states bounds the breadth-first search; --dfid is bounded by its depth\n");
    return ExitStatus.USAGE;
  }
  if (opts.depth !== undefined || opts.num !== undefined || opts.seed !== undefined) {
    io.err("tla-check: --depth, --num and --seed apply to --simulate only\n");
    return ExitStatus.USAGE;
  }

  if (opts.dfid !== undefined) {
    const watched = ["continue", "coverage", "dump", "dumpDot"].filter((o) => program.getOptionValueSource(o) === "cli");
    if (watched.length > 0) {
      io.err(`tla-check: --dfid (TLC's -dfid) runs its own depth-first search, which ${watched.map((o) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")} cannot watch; use them without --dfid\n`);
      return ExitStatus.USAGE;
    }
    if (opts.workers > 1) io.err("tla-check: --dfid searches on one worker (as TLC's -dfid); --workers is ignored\n");
  }
  const watch = await watchers(opts, load, cfgPath, specPath, io);
  if (typeof watch === "number") return watch;
  const progress = progressReporter(io, opts.json === true);
  const checked = await checkSpec({
    ...load,
    onModuleText,
    workers: watch.workers,
    ...(watch.observer ? { observer: watch.observer } : {}),
    ...(watch.onViolation ? { onViolation: watch.onViolation } : {}),
    ...(opts.dfid !== undefined
      ? { dfid: opts.dfid, workers: 1, onDfidLevel: (l: number, g: number, d: number) => print(`Starting level ${l}: ${g} states generated, ${d} distinct states found.`) }
      : {}),
    ...(deadlockExplicit ? { deadlock: opts.deadlock } : {}),
    ...(opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {}),
    onProgress: (p) => {
      progress.report(p);
      watch.dot?.snapshot();
    },
    onWarning: (w) => io.err(`Warning: ${w}\n`),
    progressIntervalMs: io.errIsTTY ? 1000 : 10_000,
  });
  progress.stop();
  watch.close();
  const result = pluscalWarnings.length > 0 ? { ...checked, warnings: [...pluscalWarnings, ...(checked.warnings ?? [])] } : checked;
  const shape = opts.dfid !== undefined ? (result.verdict === "invariant" ? "behavior" : null) : traceShape(result);
  const written = await writeTraces(result.trace, load, opts, io, shape, result.loopIndex, result.stutterLoop);
  if (opts.json) {
    io.out(`${jsonLine(result)}\n`);
    if (result.error) io.err(`${formatErrorWithSource(result.error)}\n`);
  } else {
    const continued = result.violations !== undefined && result.violations > 0 && (result.verdict === "invariant" || result.verdict === "property");
    printSummary(result, io, continued ? null : await traceText(result.trace, load, opts, shape, result.loopIndex, result.stutterLoop, result.verdict), written, watch.coverage?.lines() ?? [], opts.dfid !== undefined);
  }
  return exitCodeFor(result.verdict, result.error);
}

async function runSimulation(
  load: { spec: { path: string }; cfg: { path: string }; libDirs?: string[]; properties?: Record<string, string>; print: (l: string) => void },
  onModuleText: (file: string, text: string) => void,
  opts: CliOptions,
  deadlockExplicit: boolean,
  io: CliIO,
): Promise<number> {
  if (opts.workers > 1) io.err("tla-check: simulation runs on one thread; --workers is ignored\n");
  const result: SimulateResult = await simulate({
    ...load,
    onModuleText,
    ...(opts.depth !== undefined ? { depth: opts.depth } : {}),
    ...(opts.num !== undefined ? { num: opts.num } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(deadlockExplicit ? { deadlock: opts.deadlock } : {}),
    onProgress: (p) => io.err(`tla-check: ${p.traces} traces, ${p.states} states generated, ${p.seconds.toFixed(0)} s\n`),
    progressIntervalMs: 10_000,
  });
  const written = await writeTraces(result.trace, load, opts, io, "behavior", result.loopIndex, result.stutterLoop);
  if (opts.json) {
    io.out(`${simulationJsonLine(result)}\n`);
    if (result.error) io.err(`${formatErrorWithSource(result.error)}\n`);
    return exitCodeFor(result.verdict, result.error);
  }
  io.out(`Running random simulation with seed ${result.seed}.\n`);
  if (result.error) io.err(`${formatErrorWithSource(result.error)}\n`);
  if (result.verdict === "ok") {
    io.out(`${verdictLine("ok", null)}\n`);
  } else {
    io.out(`${verdictLine(result.verdict, result.name, result.error)}\n`);
    const text = await traceText(result.trace, load, opts, "behavior", result.loopIndex, result.stutterLoop);
    const heading = result.verdict === "liveness" ? "Error: The following behavior constitutes a counter-example:" : "Error: The behavior up to this point is:";
    if (text) io.out(`${heading}\n${text}\n`);
  }
  for (const line of written) io.out(`${line}\n`);
  if (result.stoppedBy === "exit") io.out(`The simulation was stopped by TLCSet("exit", TRUE).\n`);
  io.out(`${result.traces} traces, ${result.states} states generated, longest trace ${result.depth} states, seed ${result.seed}, ${result.seconds.toFixed(2)} s.\n`);
  return exitCodeFor(result.verdict, result.error);
}

function printSummary(result: CheckResult, io: CliIO, text: string | null, written: readonly string[], coverage: readonly string[], dfid = false): void {
  if (result.error) io.err(`${formatErrorWithSource(result.error)}\n`);
  const continued = result.violations !== undefined && result.violations > 0 && (result.verdict === "invariant" || result.verdict === "property");
  // With --continue each violation was printed when found; the search then ran to its end.
  const lines = continued ? [continuedLine(result.violations!)] : violationLines(result, text);
  for (const line of lines) io.out(`${line}\n`);
  for (const line of written) io.out(`${line}\n`);
  for (const line of coverage) io.out(`${line}\n`);
  if (dfid) {
    // TLC's -dfid figures: no queue, no depth.
    if (result.verdict !== "assume" && !(result.verdict === "error" && result.generated === 0)) io.out(`${result.generated} states generated, ${result.distinct} distinct states found.\n`);
  } else if (result.verdict !== "assume" && !(result.verdict === "error" && result.generated === 0) && (continued || !violatedInitially(result))) {
    for (const line of figuresLines(result)) io.out(`${line}\n`);
  }
  const rate = result.seconds > 0 ? Math.round(result.distinct / result.seconds) : 0;
  io.out(`Finished in ${result.seconds.toFixed(2)} s (${rate} distinct states/s).\n`);
}

/** Spec sources for trace headers (parameters, exact spans); unreadable files just lose those details. */
function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** What the search is watched by: TLC's -continue, -coverage and -dump. */
interface Watchers {
  workers: number;
  observer?: SearchObserver;
  onViolation?: (v: ContinuedViolation) => void;
  coverage?: Coverage;
  dot?: DotDump;
  /** Close the dump files (after the search). */
  close: () => void;
}

/**
 * Set up `--continue`, `--coverage`, `--dump` and `--dump-dot` (TLC's -continue, -coverage,
 * -dump): they watch the search step by step, which the sequential search does, so they run on
 * one worker. Returns an exit status for a usage error.
 */
async function watchers(opts: CliOptions, load: Parameters<typeof loadModel>[0], cfgPath: string, specPath: string, io: CliIO): Promise<Watchers | number> {
  const none: Watchers = { workers: opts.workers, close: () => {} };
  const dotOptions = (opts.dotOptions ?? "").split(",").filter((o) => o !== "");
  const unknown = dotOptions.filter((o) => !(DOT_OPTIONS as readonly string[]).includes(o));
  if (unknown.length > 0) {
    io.err(`tla-check: -dump dot option ${unknown.map((o) => JSON.stringify(o)).join(", ")} is not one TLC 2.20 has (${DOT_OPTIONS.join(", ")})\n`);
    return ExitStatus.USAGE;
  }
  if (opts.dotOptions !== undefined && opts.dumpDot === undefined) {
    io.err("tla-check: --dot-options applies to --dump-dot only\n");
    return ExitStatus.USAGE;
  }
  if (!opts.continue && opts.coverage === undefined && opts.dump === undefined && opts.dumpDot === undefined) return none;
  const workers = 1;
  if (opts.workers > 1) io.err("tla-check: --continue, --coverage and --dump watch every step of the search, which runs on one worker; --workers is ignored\n");
  let model: Awaited<ReturnType<typeof loadModel>>;
  try {
    model = await loadModel({ ...load, print: () => {}, temporal: true });
  } catch {
    // The check reports the load error itself, with its location.
    return none;
  }
  const observers: SearchObserver[] = [];
  const closers: (() => void)[] = [];
  const out: Watchers = { workers, close: () => closers.forEach((c) => c()) };
  if (opts.dump !== undefined) {
    const dump = new StateDump(model, opts.dump);
    observers.push(dump);
    closers.push(() => dump.close());
  }
  if (opts.dumpDot !== undefined) {
    const dot = new DotDump(model, opts.dumpDot, dotOptions as DotOption[], { source: readSource });
    observers.push(dot);
    closers.push(() => dot.close());
    out.dot = dot;
  }
  if (opts.coverage !== undefined) {
    io.err(`tla-check: ${COVERAGE_NOTE}\n`);
    const cfg = model.cfg;
    const init = cfg.init?.name ?? specInitName(readSource(specPath), cfg.specification?.name) ?? "Init";
    const coverage = new Coverage(init, model.actions ?? [], readSource, specPath, (line) => io.out(`${line}\n`), opts.coverage * 60_000);
    observers.push(coverage);
    out.coverage = coverage;
  }
  const observer = observeAll(observers);
  if (observer) out.observer = observer;
  if (opts.continue) {
    out.onViolation = (v) => {
      if (opts.json) return;
      const r = { verdict: v.verdict, name: v.name, traceLength: v.trace.length } as CheckResult;
      const text = toTLCText(v.trace, model, undefined, textOptions(opts, "successor"));
      for (const line of violationLines(r, text)) io.out(`${line}\n`);
    };
  }
  void cfgPath;
  return out;
}

/** The initial predicate's name in `Spec == Init /\ [][Next]_vars` (the first name after `==`). */
function specInitName(text: string | undefined, spec: string | undefined): string | undefined {
  if (!text || !spec) return undefined;
  return new RegExp(`^${spec}\\s*==\\s*(?:/\\\\\\s*)?([A-Za-z_][A-Za-z0-9_]*)`, "m").exec(text)?.[1];
}

/** TLC's closing line with `-continue` ("No error has been found", though errors were), ours. */
function continuedLine(n: number): string {
  return `Model checking completed. ${n} ${n === 1 ? "violation was" : "violations were"} found and printed above (--continue went on past ${n === 1 ? "it" : "each"}).`;
}

/** Whether the cfg names a VIEW (for `--view`, checked before the search rather than after it). */
function cfgHasView(cfgPath: string): boolean {
  try {
    return parseCfg(cfgPath, readFileSync(cfgPath, "utf8")).view != null;
  } catch {
    // A cfg that does not parse is reported by the check itself, with its location.
    return true;
  }
}

/** Whether the cfg names an ALIAS (which TLC prints instead of the VIEW under `-view`). */
function cfgHasAlias(cfgPath: string): boolean {
  try {
    return parseCfg(cfgPath, readFileSync(cfgPath, "utf8")).alias != null;
  } catch {
    return false;
  }
}

/**
 * How TLC's `-difftrace` shortens this result's trace (see `DiffShape`); null: not at all, as
 * TLC 2.20 prints a liveness counterexample in full under `-difftrace`.
 */
function traceShape(r: CheckResult): DiffShape | null {
  if (r.verdict === "liveness") return null;
  return r.endsAtExplored ? "explored" : "successor";
}

/** The text options the command line asks for. */
function textOptions(opts: CliOptions, shape: DiffShape | null, stutterLoop?: boolean, verdict?: CheckResult["verdict"]): TLCTextOptions {
  return {
    source: readSource,
    stutterLoop: stutterLoop === true,
    ...(opts.diffTrace && shape ? { diff: shape } : {}),
    ...(opts.view ? { view: true } : {}),
    // TLC's -dfid traces name no actions.
    ...(opts.dfid !== undefined ? { bareHeaders: verdict === "invariant" ? ("invariant" as const) : ("other" as const) } : {}),
  };
}

/** The trace as TLC text; needs the model for variable names and value printing. */
async function traceText(trace: TraceStep[] | null, load: Parameters<typeof loadModel>[0], opts: CliOptions, shape: DiffShape | null, loopIndex?: number, stutterLoop?: boolean, verdict?: CheckResult["verdict"]): Promise<string | null> {
  if (!trace || trace.length === 0) return null;
  const model = await loadModel({ ...load, print: () => {}, temporal: true });
  return toTLCText(trace, model, loopIndex, textOptions(opts, shape, stutterLoop, verdict));
}

/**
 * Write the trace files asked for; returns the lines TLC prints for them
 * (`"CounterExample written: t.json"`, as its `-dumpTrace` does through PrintT).
 */
async function writeTraces(
  trace: TraceStep[] | null,
  load: Parameters<typeof loadModel>[0],
  opts: CliOptions,
  io: CliIO,
  shape: DiffShape | null,
  loopIndex?: number,
  stutterLoop?: boolean,
): Promise<string[]> {
  const dumps = [...opts.dumpTraceJson.map((f) => ["json", f] as const), ...opts.dumpTraceTla.map((f) => ["tla", f] as const)];
  if (!opts.traceOut && !opts.traceText && dumps.length === 0) return [];
  if (!trace || trace.length === 0) {
    io.err("tla-check: no counterexample, so no trace file was written\n");
    return [];
  }
  const model = await loadModel({ ...load, print: () => {}, temporal: true });
  const source = basename("path" in load.spec ? load.spec.path : load.spec.name);
  const itfOptions = loopIndex === undefined ? { source } : { source, loopIndex };
  if (opts.traceOut) writeFileSync(opts.traceOut, `${JSON.stringify(toITF(trace, model, itfOptions), null, 2)}\n`);
  const text = textOptions(opts, shape, stutterLoop);
  if (opts.traceText) writeFileSync(opts.traceText, toTLCText(trace, model, loopIndex, text));
  const written: string[] = [];
  for (const [format, file] of dumps) {
    const content =
      format === "json"
        ? toTLCCounterExampleJson(trace, model, loopIndex, text)
        : toTLCCounterExampleModule(trace, model, basename(file).replace(/\.tla$/, ""), loopIndex, text);
    writeFileSync(file, content);
    written.push(`"CounterExample written: ${file}"`);
  }
  return written;
}

/** Progress on stderr: a live line on a terminal, a plain line every interval otherwise. */
function progressReporter(io: CliIO, quiet: boolean): { report: (p: Progress) => void; stop: () => void } {
  const describe = (p: Progress) =>
    `${p.generated} states generated, ${p.distinct} distinct, ${p.queue} on queue, depth ${p.depth}, ${Math.round(p.statesPerSecond)} distinct/s, ${p.seconds.toFixed(0)} s`;
  if (!io.errIsTTY) {
    return { report: (p) => (quiet ? undefined : io.err(`tla-check: ${describe(p)}\n`)), stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    { format: "{line}", stream: process.stderr, hideCursor: true, clearOnComplete: true, noTTYOutput: false },
    cliProgress.Presets.legacy,
  );
  let started = false;
  return {
    report: (p) => {
      if (!started) {
        bar.start(1, 0, { line: describe(p) });
        started = true;
      } else bar.update(0, { line: describe(p) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

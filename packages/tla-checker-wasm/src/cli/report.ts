/**
 * What `tla-check` prints: a TLC-like summary, the one-line JSON form, and errors with the
 * offending source line.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import type { CheckError, CheckResult } from "../check/types.js";
import type { SourceLocation } from "../model.js";
import type { SimulateResult } from "../check/simulate.js";

/**
 * TLC's closing line for a failed load or evaluation, by error kind, so scripts that grep TLC's
 * output ("Parsing or semantic analysis failed.", "...error in the configuration file...") carry
 * over.
 */
export function errorHeading(error: CheckError | undefined): string {
  switch (error?.kind) {
    case "parse":
    case "semantic":
      return "Error: Parsing or semantic analysis failed.";
    case "cfg": {
      const loc = error.location;
      // TLC's ConfigFileException text; the line only when the location is in the cfg itself.
      return loc && /\.cfg$/i.test(loc.file)
        ? `Error: tla-check found an error in the configuration file at line ${loc.line}.`
        : "Error: tla-check found an error in the configuration file.";
    }
    case "unsupported":
      return "Error: The spec uses a feature tla-check does not support.";
    case "io":
      return "Error: A file could not be read.";
    case "internal":
      return "Error: Internal error in tla-check (please report it with the spec).";
    case "assert":
      // TLC's own line: "The first argument of Assert evaluated to FALSE; the second argument was: ...".
      return `Error: ${error.message.split("\n  while evaluating")[0]}`;
    default:
      return "Error: Evaluation failed.";
  }
}

/**
 * TLC's first line for a violation verdict (for `error`, see {@link errorHeading}). `initial`: the
 * violation is in an initial state (a one-state trace), which TLC words differently; a `property`
 * violated there is an implied initial predicate (a state-level PROPERTY conjunct).
 */
export function verdictLine(verdict: CheckResult["verdict"], name: string | null, error?: CheckError, initial = false): string {
  switch (verdict) {
    case "ok":
      return "Model checking completed. No error has been found.";
    case "incomplete":
      return "Model checking stopped early: the search is incomplete, the state space was NOT exhausted.";
    case "postcondition":
      // TLC 2.20 reports a false POSTCONDITION with its ASSUME message and the definition's span.
      return `Error: Assumption ${error?.location ? tlcSpan(error.location) : name} is false.`;
    case "invariant":
      return initial ? `Error: Invariant ${name} is violated by the initial state:` : `Error: Invariant ${name} is violated.`;
    case "property":
      return initial ? `Error: Property ${name} is violated by the initial state:` : `Error: Action property ${name} is violated.`;
    case "liveness":
      return `Error: Temporal properties were violated (${name}).`;
    case "deadlock":
      return "Error: Deadlock reached.";
    case "assume":
      return "Error: An ASSUME is false.";
    case "error":
      return errorHeading(error);
    default: {
      const never: never = verdict;
      throw new Error(`unknown verdict ${String(never)}`);
    }
  }
}

/** TLC's way of naming a span: `line 6, col 9 to line 6, col 36 of module Post` (end inclusive). */
export function tlcSpan(loc: SourceLocation): string {
  const module = (loc.file.split(/[\\/]/).pop() ?? loc.file).replace(/\.tla$/, "");
  return `line ${loc.line}, col ${loc.column} to line ${loc.endLine ?? loc.line}, col ${loc.endColumn ?? loc.column} of module ${module}`;
}

/** Whether `r` is a safety violation found in an initial state (TLC prints it without counts). */
export function violatedInitially(r: CheckResult): boolean {
  return (r.verdict === "invariant" || r.verdict === "property") && r.traceLength === 1;
}

/**
 * A search the spec stopped with `TLCSet("exit", TRUE)`: TLC says "No error has been found"; it
 * proves nothing about the states not explored, so tla-check says so.
 */
const EXIT_LINE = 'Model checking stopped by TLCSet("exit", TRUE): no error was found in the states explored, but the search is incomplete, the state space was NOT exhausted.';

/**
 * The summary of a violation as TLC prints it: the verdict line, then the behaviour (`text`, the
 * trace in TLC's format). A violation in an initial state shows that state alone, without the
 * "State 1:" header.
 */
export function violationLines(r: CheckResult, text: string | null): string[] {
  const initial = violatedInitially(r);
  if (r.verdict === "incomplete" && r.stoppedBy === "exit") return [EXIT_LINE];
  const lines = [verdictLine(r.verdict, r.name, r.error, initial)];
  if (!text) return lines;
  if (initial) lines.push(text.replace(/^State 1: [^\n]*\n/, ""));
  else lines.push(r.verdict === "liveness" ? "Error: The following behavior constitutes a counter-example:" : "Error: The behavior up to this point is:", text);
  return lines;
}

/** TLC's closing figures. */
export function figuresLines(r: CheckResult): string[] {
  const lines = [
    `${r.generated} states generated, ${r.distinct} distinct states found, ${r.queue} states left on queue.`,
    `The depth of the complete state graph search is ${r.depth}.`,
  ];

  return lines;
}

/** The JSON line of `--json`. */
export function jsonLine(r: CheckResult): string {
  const out: Record<string, unknown> = {
    verdict: r.verdict,
    name: r.name,
    distinct: r.distinct,
    generated: r.generated,
    depth: r.depth,
    traceLength: r.traceLength,
    seconds: Number(r.seconds.toFixed(3)),
  };
  if (r.verdict === "incomplete") out.complete = false;
  if (r.stoppedBy) out.stoppedBy = r.stoppedBy;
  if (r.violations !== undefined) out.violations = r.violations;
  if (r.error) out.error = r.error;
  if (r.warnings) out.warnings = r.warnings;
  return JSON.stringify(out);
}

/** The JSON line of `--json --simulate`. */
export function simulationJsonLine(r: SimulateResult): string {
  const out: Record<string, unknown> = {
    verdict: r.verdict,
    name: r.name,
    distinct: null,
    generated: r.states,
    depth: r.depth,
    traceLength: r.traceLength,
    seconds: Number(r.seconds.toFixed(3)),
    // A 64-bit seed beyond the safe integers is a string, so that no JSON reader rounds it.
    seed: typeof r.seed === "bigint" ? String(r.seed) : r.seed,
    traces: r.traces,
  };
  if (r.stoppedBy) out.stoppedBy = r.stoppedBy;
  if (r.error) out.error = r.error;
  return JSON.stringify(out);
}

/**
 * `file:line:col: message`, then the offending source line with a caret under the column when
 * the file can be read.
 */
export function formatErrorWithSource(error: CheckError): string {
  const loc = error.location;
  if (!loc) return error.message;
  const head = `${loc.file}:${loc.line}:${loc.column}: ${error.message}`;
  let text: string | undefined;
  try {
    text = readFileSync(loc.file, "utf8").split(/\r?\n/)[loc.line - 1];
  } catch {
    return head;
  }
  if (text === undefined) return head;
  const width = loc.endLine === loc.line && loc.endColumn && loc.endColumn >= loc.column ? loc.endColumn - loc.column + 1 : 1;
  return `${head}\n  ${text}\n  ${" ".repeat(Math.max(0, loc.column - 1))}${"^".repeat(width)}`;
}

/**
 * Traces as TLC prints them, so users' scripts and eyes carry over:
 *
 * ```
 * State 1: <Initial predicate>
 * /\ x = 0
 * /\ y = 0
 *
 * State 2: <Inc line 5, col 9 to line 5, col 18 of module M>
 * /\ x = 1
 * /\ y = 0
 * ```
 *
 * A spec with a single variable prints `x = 0` without the conjunction bullet, as TLC does.
 *
 * @module
 */
import type { ActionLabel, CompiledModel, State, ValueOps } from "../model.js";
import { tlcVariableSlotsOf } from "../model.js";
import type { TraceStep } from "../check/types.js";

/** How the text writer may consult the spec's source (Node: read the file; browser: omit). */
export interface TLCTextOptions {
  /**
   * The text of a source file, or undefined when it cannot be read. With it, headers show the
   * action's parameters as TLC does (`<Inc(p1,1) ...>`) and the span ends at the body's last
   * character rather than at the whitespace after it.
   */
  source?: (file: string) => string | undefined;
  /** The lasso ends as TLC's `State k: Stuttering` with k = loopIndex + 1 (see `CheckResult.stutterLoop`). */
  stutterLoop?: boolean;
  /**
   * TLC's `-difftrace`: print only the variables that changed since the previous state, for the
   * states TLC prints that way in a trace of this shape (see {@link DiffShape}). Absent: every
   * state in full.
   */
  diff?: DiffShape;
  /**
   * TLC's `-view`: print a state that is printed in full as the value of the model's VIEW
   * (`[a |-> 0, b |-> 1]`, without the blank line after it), as TLC does. The model must have a
   * VIEW. An ALIAS takes precedence, as in TLC.
   */
  view?: boolean;
  /**
   * TLC's `-dfid` traces, which name no actions: `State n: ` (with the space) heads each state of
   * an invariant violation, `State n:` those of any other error.
   */
  bareHeaders?: "invariant" | "other";
}

/**
 * Which states of a trace `-difftrace` shortens; TLC's printers differ:
 * - `successor`: a safety trace whose last state is a successor of the last explored state (an
 *   invariant or action property violated, or an evaluation error on that successor). TLC prints
 *   the first and last states in full and the others as changes; with two states, the first is
 *   compared with itself (no lines) and the second with the first.
 * - `explored`: a safety trace ending at an explored state (a deadlock, or an error computing its
 *   successors): first and last in full, the others as changes.
 * - `behavior`: a simulated behaviour: the first state in full, every other as changes. (TLC 2.20
 *   prints a liveness counterexample in full under `-difftrace`: pass no shape for it.)
 */
export type DiffShape = "successor" | "explored" | "behavior";

/**
 * The state `trace[i]` is compared with under `-difftrace` (its index), or -1 when it is printed
 * in full.
 */
export function diffBase(i: number, length: number, shape: DiffShape): number {
  if (length === 1) return -1;
  switch (shape) {
    case "behavior":
      return i === 0 ? -1 : i - 1;
    case "successor":
      if (length === 2) return 0;
      return i === 0 || i === length - 1 ? -1 : i - 1;
    case "explored":
      return i === 0 || i === length - 1 ? -1 : i - 1;
  }
}

/**
 * `<Inc(p1,1) line 5, col 9 to line 5, col 18 of module M>`, or `<Initial predicate>` for the
 * first state. TLC prints the values of the operator's formal parameters only (not of `\E`-bound
 * names); `label.formals`, when the core provides it, says how many of `params` those are, else
 * they are read from the definition's header in the source.
 */
export function tlcStepHeader(label: ActionLabel, index: number, values?: ValueOps, opts: TLCTextOptions = {}): string {
  if (index === 0 || label.action === "Init") return "<Initial predicate>";
  const shown = values ? formalParams(label, opts) : [];
  const args = shown.length === 0 || !values ? "" : `(${shown.map(([, v]) => values.format(v)).join(",")})`;
  const span = tlcActionSpan(label, opts);
  if (!span) return `<${label.action}${args}>`;
  return `<${label.action}${args} line ${span.line}, col ${span.column} to line ${span.endLine}, col ${span.endColumn} of module ${span.module}>`;
}

/** Where TLC says an action is: its body's span (end inclusive, trailing blanks trimmed) and module. */
export interface TLCActionSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  module: string;
}

/**
 * The span TLC gives for the action of `label` (`line 5, col 9 to line 5, col 18 of module M`),
 * or undefined when the label has no location.
 */
export function tlcActionSpan(label: ActionLabel, opts: TLCTextOptions = {}): TLCActionSpan | undefined {
  const loc = label.location;
  if (!loc) return undefined;
  const text = opts.source ? opts.source(loc.file) : undefined;
  let endLine = loc.endLine ?? loc.line;
  let endColumn = loc.endColumn ?? loc.column;
  if (text !== undefined) [endLine, endColumn] = trimEnd(text, loc.line, loc.column, endLine, endColumn);
  return { line: loc.line, column: loc.column, endLine, endColumn, module: moduleName(loc.file) };
}

/**
 * The operator's formal parameters among `label.params`, the ones TLC prints (not `\E`-bound
 * names); `label.formals`, when the core provides it, says how many there are, else they are
 * read from the definition's header in the source.
 */
export function formalParams(label: ActionLabel, opts: TLCTextOptions = {}): ReadonlyArray<readonly [string, unknown]> {
  const loc = label.location;
  let count = label.formals;
  if (count === undefined && loc && opts.source) {
    const text = opts.source(loc.file);
    if (text !== undefined) count = headerParamCount(text, loc.line, loc.column);
  }
  // An action passed as an argument (`Fault(A)` applied to `Restart(i)`) has no value in params, and
  // TLC prints the bare name then: `<Fault line ...>`, never `<Fault() ...>`.
  return label.params.slice(0, count ?? 0);
}

/** 0-based offset of a 1-based (line, column) in `text`, or -1 when out of range. */
function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", off);
    if (nl < 0) return -1;
    off = nl + 1;
  }
  return off + column - 1;
}

/**
 * The number of ordinary (non-operator) parameters in the header `Name(a, b) ==` that precedes
 * the body starting at (line, column); 0 for `Name ==`, undefined when no header is found.
 */
function headerParamCount(text: string, line: number, column: number): number | undefined {
  const start = offsetOf(text, line, column);
  if (start < 0) return undefined;
  const before = text.slice(Math.max(0, start - 2000), start);
  const m = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(((?:[^()]|\([^()]*\))*)\))?\s*==\s*$/.exec(before);
  if (!m) return undefined;
  if (m[2] === undefined) return 0;
  // Operator parameters (`Op(_)`) are not printed by TLC and the core leaves them out of params.
  return splitTopLevel(m[2]).filter((p) => p.trim() !== "" && !p.includes("(")).length;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Move an inclusive end position back over whitespace (and a `(* *)`-free line comment) to the body's last character. */
function trimEnd(text: string, line: number, column: number, endLine: number, endColumn: number): [number, number] {
  const start = offsetOf(text, line, column);
  let end = offsetOf(text, endLine, endColumn);
  if (start < 0 || end < start || end >= text.length + 1) return [endLine, endColumn];
  end = Math.min(end, text.length - 1);
  for (;;) {
    while (end > start && /\s/.test(text[end]!)) end--;
    // A trailing `\* comment` on the body's last line is not part of the body.
    const lineStart = text.lastIndexOf("\n", end) + 1;
    const comment = text.slice(Math.max(lineStart, start), end + 1).indexOf("\\*");
    if (comment < 0) break;
    const next = Math.max(lineStart, start) + comment - 1;
    if (next <= start) break;
    end = next;
  }
  const lineStart = text.lastIndexOf("\n", end) + 1;
  const outLine = text.slice(0, end + 1).split("\n").length;
  return [outLine, end - lineStart + 1];
}

/** The label of a step from the lasso's last state back to `trace[loopIndex]`, if the model has one. */
export function closingLabel(trace: readonly TraceStep[], model: CompiledModel, loopIndex: number): ActionLabel | undefined {
  const last = trace[trace.length - 1]!.state;
  const target = trace[loopIndex]!.state;
  const same = (a: State, b: State) => a.every((v, i) => model.values.equals(v, b[i]));
  try {
    return model.successors(last, { level: trace.length }).find((s) => same(s.state, target))?.label;
  } catch {
    return undefined;
  }
}

/** The module a file holds: its base name without `.tla`. */
function moduleName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.endsWith(".tla") ? base.slice(0, -4) : base;
}

/**
 * The `/\\ x = v` lines of `trace[i]`: its variables, or the cfg's ALIAS evaluated on the state and
 * its successor in the trace (as TLC does; an alias that fails to evaluate shows the variables and
 * the error, as TLC 2.20 shows it as an extra line).
 */
function stateLines(model: CompiledModel, trace: readonly TraceStep[], i: number, single: boolean): string[] {
  const values = model.values;
  const state = trace[i]!.state;
  let pairs: ReadonlyArray<readonly [string, unknown]> = tlcVariableSlotsOf(model).map((slot) => [model.variables[slot]!, state[slot]] as const);
  let failure: string | null = null;
  if (model.alias) {
    try {
      pairs = model.alias(state, trace[i + 1]?.state ?? state, { level: i + 1 });
      single = pairs.length === 1;
    } catch (err) {
      failure = err instanceof Error ? err.message.split("\n")[0]! : String(err);
    }
  }
  const out = pairs.map(([name, v]) => (single ? `${name} = ${values.format(v)}` : `/\\ ${name} = ${values.format(v)}`));
  if (failure !== null) out.push(`/\\ _TEAliasError = ${JSON.stringify(failure)}`);
  return out;
}

/**
 * The text of a whole trace as TLC prints it (states separated by blank lines), less the final
 * newline TLC's last message ends with. For a liveness lasso pass `loopIndex`: TLC's closing
 * `State n: Back to state k` (or `Stuttering`).
 */
export function toTLCText(trace: readonly TraceStep[], model: CompiledModel, loopIndex?: number, opts: TLCTextOptions = {}): string {
  const values = model.values;
  const single = model.variables.length === 1;
  if (opts.view && !model.view) throw new Error("toTLCText: view printing needs a model with a VIEW");
  // As in TLC, an ALIAS takes precedence: the states print through it, not through the VIEW.
  const view = opts.view && !model.alias ? model.view : undefined;
  const printed = trace.map((_, i) => stateLines(model, trace, i, single));
  // Each part is one of TLC's messages: the header line, then the state text (its lines, each
  // ending in a newline; a VIEW value has none), and TLC ends every message with a newline.
  const parts = trace.map((step, i) => {
    const header = opts.bareHeaders ? `State ${i + 1}:${opts.bareHeaders === "invariant" ? " " : ""}` : `State ${i + 1}: ${tlcStepHeader(step.label, i, values, opts)}`;
    const base = opts.diff ? diffBase(i, trace.length, opts.diff) : -1;
    if (base >= 0) {
      const before = new Set(printed[base]);
      return `${header}\n${printed[i]!.filter((line) => !before.has(line)).map((l) => `${l}\n`).join("")}`;
    }
    if (view) return `${header}\n${values.format(view(step.state, { level: i + 1 }))}`;
    return `${header}\n${printed[i]!.map((l) => `${l}\n`).join("")}`;
  });
  if (loopIndex !== undefined) {
    if (loopIndex === trace.length - 1) parts.push(`State ${trace.length + 1}: Stuttering\n`);
    // TLC's printTrace says "Stuttering" whenever the lasso's last state is its cycle's start
    // state, numbered after that start, though the behaviour goes on with trace[loopIndex].
    else if (opts.stutterLoop) parts.push(`State ${loopIndex + 1}: Stuttering\n`);
    else {
      // TLC names the step that closes the loop: `Back to state 2: <Exit(b) line 9, ...>`.
      const closing = closingLabel(trace, model, loopIndex);
      parts.push(closing ? `Back to state ${loopIndex + 1}: ${tlcStepHeader(closing, 1, values, opts)}\n` : `Back to state ${loopIndex + 1}\n`);
    }
  }
  return parts.join("\n");
}

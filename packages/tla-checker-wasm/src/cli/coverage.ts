/**
 * TLC's `-coverage N`: per action, how many distinct states it found and how many states it
 * generated, printed every N minutes during the search and once at the end, in TLC 2.20's form:
 *
 * ```
 * The coverage statistics at 2026-12-07 18:26:00 (see https://explain.tlapl.us/module-coverage-statistics for how to interpret the following statistics).
 * <Init line 4, col 1 to line 4, col 4 of module M3>: 2:2
 * <IncX line 5, col 1 to line 5, col 4 of module M3>: 1:4
 * End of statistics.
 * ```
 *
 * An action's span is its definition's header (`IncY(d)`), read from the source. TLC also prints a
 * line per declared variable and indented lines per subexpression (how often each was
 * evaluated); tla-check does not count evaluations, so it prints the action lines only and says
 * so once on stderr when the option is given.
 *
 * @module
 */
import type { SearchObserver } from "../check/explorer.js";
import type { ActionLabel, SourceLocation, State } from "../model.js";

/** The note printed once for `-coverage` (what of TLC's statistics is left out). */
export const COVERAGE_NOTE =
  "-coverage prints TLC's per-action lines (<Action ...>: distinct:generated); TLC's per-variable and per-subexpression evaluation counts are not computed by tla-check and are left out";

interface ActionCount {
  name: string;
  /** Where the action's body is (the labels' location), to find its definition's header. */
  body: SourceLocation | undefined;
  distinct: number;
  generated: number;
}

/** A definition's header span: `Name` or `Name(a, b)`, 1-based, end inclusive. */
interface HeaderSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  module: string;
}

/** Position (1-based line, column) of a 0-based offset in `text`. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** 0-based offset of a 1-based (line, column), or -1. */
function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", off);
    if (nl < 0) return -1;
    off = nl + 1;
  }
  return off + column - 1;
}

function moduleOf(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.tla$/, "");
}

/** The header `Name(params) ==` right before the body at `body`, as a span, or undefined. */
export function headerBefore(text: string, body: SourceLocation): HeaderSpan | undefined {
  const start = offsetOf(text, body.line, body.column);
  if (start < 0) return undefined;
  const from = Math.max(0, start - 2000);
  const m = /([A-Za-z_][A-Za-z0-9_]*)(\s*\((?:[^()]|\([^()]*\))*\))?\s*==\s*$/.exec(text.slice(from, start));
  if (!m) return undefined;
  const s = positionOf(text, from + m.index);
  const e = positionOf(text, from + m.index + m[1]!.length + (m[2] ? m[2].length : 0) - 1);
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column, module: moduleOf(body.file) };
}

/** The header of the definition `name` in a module's text (`Name ==` at a line start), or undefined. */
export function headerOf(text: string, file: string, name: string): HeaderSpan | undefined {
  const m = new RegExp(`^(${name})(\\s*\\((?:[^()]|\\([^()]*\\))*\\))?\\s*==`, "m").exec(text);
  if (!m) return undefined;
  const s = positionOf(text, m.index);
  const e = positionOf(text, m.index + m[1]!.length + (m[2] ? m[2].length : 0) - 1);
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column, module: moduleOf(file) };
}

/** Counts per action, and TLC's coverage report of them. */
export class Coverage implements SearchObserver {
  private labels: readonly ActionLabel[] = [];
  private readonly counts = new Map<string, ActionCount>();
  private ticks = 0;
  private lastMs = performance.now();

  /**
   * @param init the initial predicate's definition (`Init`), with the source file it is in.
   * @param actions Next's action names in order (listed even when they never fire).
   * @param source a module's text by file, for the headers' spans.
   * @param rootFile the root module's file, where never-fired actions are looked up.
   * @param print where the report goes, a line at a time.
   * @param intervalMs the time between reports during the search.
   */
  constructor(
    private readonly init: string,
    actions: readonly string[],
    private readonly source: (file: string) => string | undefined,
    private readonly rootFile: string,
    private readonly print: (line: string) => void,
    private readonly intervalMs: number,
  ) {
    this.counts.set("Init", { name: init, body: undefined, distinct: 0, generated: 0 });
    for (const a of actions) if (!this.counts.has(a)) this.counts.set(a, { name: a, body: undefined, distinct: 0, generated: 0 });
  }

  expanding(_from: State | null, _level: number, labels: readonly ActionLabel[]): void {
    this.labels = labels;
  }

  transition(from: State | null, index: number, _next: State, _level: number, inModel: boolean, fresh: boolean): void {
    const label = this.labels[index];
    const key = from === null ? "Init" : (label?.action ?? "?");
    let c = this.counts.get(key);
    if (!c) {
      c = { name: key, body: undefined, distinct: 0, generated: 0 };
      this.counts.set(key, c);
    }
    if (c.body === undefined && from !== null && label?.location) c.body = label.location;
    c.generated++;
    if (inModel && fresh) c.distinct++;
    if (++this.ticks >= 1024) {
      this.ticks = 0;
      const now = performance.now();
      if (now - this.lastMs >= this.intervalMs) {
        this.lastMs = now;
        this.report();
      }
    }
  }

  /** The report's lines, TLC's, less the per-variable and per-subexpression ones. */
  lines(now = new Date()): string[] {
    const out = [`The coverage statistics at ${timestamp(now)} (see https://explain.tlapl.us/module-coverage-statistics for how to interpret the following statistics).`];
    for (const [key, c] of this.counts) {
      const span = this.span(key, c);
      const where = span ? ` line ${span.line}, col ${span.column} to line ${span.endLine}, col ${span.endColumn} of module ${span.module}` : "";
      out.push(`<${c.name}${where}>: ${c.distinct}:${c.generated}`);
    }
    out.push("End of statistics.");
    return out;
  }

  /** Print the report now. */
  report(): void {
    for (const line of this.lines()) this.print(line);
  }

  private span(key: string, c: ActionCount): HeaderSpan | undefined {
    if (c.body) {
      const text = this.source(c.body.file);
      return text === undefined ? undefined : headerBefore(text, c.body);
    }
    const text = this.source(this.rootFile);
    return text === undefined ? undefined : headerOf(text, this.rootFile, key === "Init" ? this.init : c.name);
  }
}

/** `2026-12-07 18:26:00`, local time, as TLC prints it. */
function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

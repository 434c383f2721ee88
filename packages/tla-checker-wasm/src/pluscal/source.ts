/**
 * Finding things in a module's text the way pcal.trans does, before any parsing: tabs
 * expanded, the `PlusCal options (...)` statement, the `BEGIN TRANSLATION` / `END TRANSLATION`
 * lines, where `--algorithm` / `--fair algorithm` starts, the end of the comment holding it, and
 * the algorithm's text with comments blanked out.
 *
 * @module
 */
import { PlusCalError } from "./errors.js";
import { versionToNumber, CURRENT_VERSION, type FairnessOption, type TranslatorOptions } from "./params.js";

/**
 * Tabs expanded to 8-column stops, and (pcal.trans's workaround for a tokenizer loop) a space
 * added at the end of every line.
 */
export function removeTabs(lines: readonly string[]): string[] {
  return lines.map((line) => {
    let out = "";
    for (const ch of line) {
      if (ch === "\t") out += " ".repeat(8 - (out.length % 8));
      else out += ch;
    }
    return `${out} `;
  });
}

/**
 * The first line at or after `from` holding `tok1`, then spaces, then `tok2` (where `tok2` is
 * the line's first occurrence of it); -1 when there is none.
 */
export function findTokenPair(lines: readonly string[], from: number, tok1: string, tok2: string): number {
  for (let i = Math.max(0, from); i < lines.length; i++) {
    const line = lines[i]!;
    const col = line.indexOf(tok1);
    if (col === -1) continue;
    let next = col + tok1.length;
    while (next < line.length && line.charAt(next) === " ") next++;
    if (next < line.length && next === line.indexOf(tok2)) return i;
  }
  return -1;
}

/** Where the algorithm begins: the position just after `--algorithm` or `--fair`. */
export interface AlgorithmStart {
  line: number;
  col: number;
  fair: boolean;
}

/** The first `--algorithm` or `--fair` (lines searched in order), or null. */
export function findAlgorithm(lines: readonly string[], untilLine = lines.length): AlgorithmStart | null {
  for (let i = 0; i < Math.min(untilLine, lines.length); i++) {
    const line = lines[i]!;
    const a = line.indexOf("--algorithm");
    if (a !== -1) return { line: i, col: a + "--algorithm".length, fair: false };
    const f = line.indexOf("--fair");
    if (f !== -1) return { line: i, col: f + "--fair".length, fair: true };
  }
  return null;
}

/**
 * The position just after the `*)` that closes the comment the algorithm starts in, or null.
 * Quotes and `\*` do not matter inside a comment.
 */
export function endOfAlgorithmComment(lines: readonly string[], start: AlgorithmStart): { line: number; col: number } | null {
  let depth = 1;
  let line = start.line;
  let col = start.col;
  while (line < lines.length) {
    const s = lines[line]!;
    while (col < s.length - 1) {
      const ch = s.charAt(col);
      const ch2 = s.charAt(col + 1);
      if (ch === "(" && ch2 === "*") {
        depth++;
        col += 2;
      } else if (ch === "*" && ch2 === ")") {
        depth--;
        col += 2;
        if (depth === 0) return { line, col };
      } else col++;
    }
    line++;
    col = 0;
  }
  return null;
}

/**
 * Blanks out the comments of the algorithm in place (`(* ... *)` by spaces, so positions stay,
 * `\*` to the end of the line), from (`line`, `col`) to the first unmatched `*)`.
 */
export function uncomment(lines: string[], begLine: number, begCol: number): void {
  let line = begLine;
  let col = begCol;
  let notDone = true;
  let depth = 0;
  let out = lines[line]!.slice(0, col);
  while (notDone && line < lines.length) {
    const old = lines[line]!;
    let inString = false;
    while (notDone && col < old.length) {
      const c = old.charAt(col);
      let o = c;
      if (c === "(" && !inString && col < old.length - 1 && old.charAt(col + 1) === "*") {
        depth++;
        o = " ";
        col++;
        out += o;
      } else if (c === "*" && !inString && col < old.length - 1 && old.charAt(col + 1) === ")") {
        if (depth === 0) {
          // The end of the comment holding the algorithm.
          out += c;
          o = ")";
          col++;
          notDone = false;
        } else {
          depth--;
          o = " ";
          col++;
          out += o;
        }
      } else if (depth === 0) {
        if (inString) {
          if (c === '"') inString = false;
          else if (c === "\\" && col < old.length - 1) {
            out += c;
            o = old.charAt(col + 1);
            col++;
          }
        } else if (c === "\\" && col < old.length - 1 && old.charAt(col + 1) === "*") {
          o = " ";
          col = old.length;
        } else if (c === '"') inString = true;
      } else o = " ";
      out += o;
      col++;
    }
    if (inString) throw new PlusCalError("Unterminated string", line + 1, col);
    lines[line] = out;
    out = "";
    col = 0;
    line++;
  }
}

/** Skips spaces from `loc` (possibly to following lines); returns the line reached ("" past the end). */
function gotoNextNonSpace(lines: readonly string[], loc: { one: number; two: number }): string {
  while (loc.one < lines.length) {
    const line = lines[loc.one]!;
    while (loc.two < line.length && line.charAt(loc.two) === " ") loc.two++;
    if (loc.two < line.length) return line;
    loc.one++;
    loc.two = 0;
  }
  return "";
}

/** Java's `split(regex)[0].length`, with its rule that an all-separator string splits to nothing. */
function firstPieceEnd(str: string, col: number, sep: RegExp): number {
  const rest = str.slice(col);
  if (rest.split(sep).every((p) => p === "")) return col;
  return col + rest.split(sep)[0]!.length;
}

/** Finds `token` as a whole word at or after `loc`; leaves `loc` just after it. */
function findToken(token: string, lines: readonly string[], loc: { one: number; two: number }): boolean {
  while (loc.one < lines.length) {
    const line = gotoNextNonSpace(lines, loc);
    let found = false;
    if (line.slice(loc.two).startsWith(token)) {
      const end = loc.two + token.length;
      if (end >= line.length || !(/\p{L}/u.test(line.charAt(end)) || line.charAt(end) === "_")) {
        found = true;
        loc.two = end;
      }
    }
    loc.two = firstPieceEnd(line, loc.two, / /);
    if (found) return true;
  }
  return false;
}

function nextNonIdChar(str: string, col: number): number {
  let c = col;
  while (c < str.length && /[\p{L}\p{Nd}_]/u.test(str.charAt(c))) c++;
  return c;
}

/**
 * The arguments of the module's `PlusCal options (...)` statement (pcal.trans looks for it
 * anywhere in the file, comments included), or null when there is none.
 */
export function findOptionsStatement(lines: readonly string[]): { args: string[]; line: number } | null {
  const loc = { one: 0, two: 0 };
  for (;;) {
    if (!findToken("PlusCal", lines, loc)) return null;
    const line = gotoNextNonSpace(lines, loc);
    const rest = line.slice(loc.two);
    if (!rest.startsWith("options") || nextNonIdChar(rest, 0) !== 7) continue;
    const at = loc.one + 1;
    loc.two += 7;
    let cur = gotoNextNonSpace(lines, loc);
    if (!cur.slice(loc.two).startsWith("(")) throw new PlusCalError("`PlusCal options' not followed by '('", at);
    loc.two++;
    cur = gotoNextNonSpace(lines, loc);
    const args: string[] = [];
    while (loc.one < lines.length && cur.charAt(loc.two) !== ")") {
      if (cur.charAt(loc.two) === ",") loc.two++;
      else {
        const end = firstPieceEnd(cur, loc.two, / |,|\)/);
        args.push(cur.slice(loc.two, end));
        loc.two = end;
      }
      cur = gotoNextNonSpace(lines, loc);
    }
    if (loc.one >= lines.length) throw new PlusCalError("No closing ')' found in options statement", at);
    return { args, line: at };
  }
}

/**
 * Applies pcal.trans options (from the command line, or with `inFile` from an options
 * statement, where the leading `-` may be left out) to `opts`. A fairness option in the file
 * replaces one given on the command line.
 */
export function applyOptions(args: readonly string[], opts: TranslatorOptions, inFile: boolean, at?: number): void {
  const error = (msg: string): never => {
    throw new PlusCalError(inFile ? `Error in the PlusCal options statement: ${msg}` : `Command-line error: ${msg}`, at);
  };
  let firstFairness = inFile;
  let explicitNof = false;
  const is = (a: string, name: string, fileToo = true) => a === `-${name}` || (inFile && fileToo && a === name);
  const fairness = (f: FairnessOption) => {
    if (firstFairness) {
      opts.fairness = "";
      firstFairness = false;
    }
    if (opts.fairness !== "") error("Can only have one of -wf, -sf, -wfNext, and -nof options");
    opts.fairness = f;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "") continue;
    if (is(a, "termination")) opts.termination = true;
    else if (a === "-noold" || a === "-nocfg") continue;
    else if (is(a, "noDoneDisjunct")) opts.noDoneDisjunct = true;
    else if (is(a, "wf")) fairness("wf");
    else if (is(a, "sf")) fairness("sf");
    else if (is(a, "wfNext")) fairness("wfNext");
    else if (is(a, "nof")) {
      fairness("nof");
      explicitNof = true;
    } else if (is(a, "label")) opts.label = true;
    else if (is(a, "labelRoot")) {
      const root = args[++i];
      if (root === undefined || root === "") error("Label root must follow `-labelRoot' option");
      if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(root!)) error("Label root must be a valid PlusCal identifier (must start with a letter and contain only letters, numbers, and underscores)");
      opts.labelRoot = root!;
    } else if (is(a, "version")) {
      const v = args[++i];
      const n = v === undefined || v === "" ? -1 : versionToNumber(v);
      if (n < 0 || n > CURRENT_VERSION) error(`Bad version number${v ? ` ${v}` : ""}`);
      opts.version = n;
    } else if (a === "-lineWidth") {
      const w = Number(args[++i]);
      if (!Number.isInteger(w) || w < 60) error("Integer value at least 60 must follow `-lineWidth' option");
      opts.lineWidth = w;
    } else if (is(a, "spec") || is(a, "myspec") || a === "-spec2" || a === "-myspec2") {
      error(`${a}: translating with a TLA+ specification of the translator is not supported`);
    } else error(inFile ? `Unknown or illegal option in options statement: ${a}` : `Unknown command-line option: ${a}`);
  }
  if (opts.termination && opts.fairness === "" && !explicitNof) opts.fairness = "wf";
}

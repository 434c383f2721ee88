/**
 * Translating the PlusCal algorithm of a module, as pcal.trans and the Toolbox do: the
 * translation is written between `\* BEGIN TRANSLATION` and `\* END TRANSLATION` (which are
 * added after the comment holding the algorithm when missing), with the checksums that let a
 * checker see later that the algorithm or the translation changed.
 *
 * @module
 */
import { astToString, type Algorithm } from "./ast.js";
import { checksum, checksumLines, checksumTemplate, matchChecksums } from "./checksum.js";
import { PlusCalError } from "./errors.js";
import { explode } from "./explode.js";
import { fixIds } from "./fixids.js";
import { generate } from "./generate.js";
import { defaultOptions, type Flags, type TranslatorOptions } from "./params.js";
import { parseAlgorithm } from "./parse.js";
import { CharReader } from "./reader.js";
import { applyOptions, endOfAlgorithmComment, findAlgorithm, findOptionsStatement, findTokenPair, removeTabs, uncomment } from "./source.js";
import { SymTab } from "./symtab.js";

const BEGIN_LINE = "\\* BEGIN TRANSLATION";
const END_LINE = "\\* END TRANSLATION";

/** Options of {@link translateModule}. */
export interface TranslateOptions {
  /**
   * pcal.trans command-line options (`-wf`, `-sf`, `-wfNext`, `-nof`, `-termination`,
   * `-label`, `-labelRoot X`, `-lineWidth N`, `-noDoneDisjunct`, `-version V`); the module's
   * `PlusCal options (...)` statement overrides their fairness.
   */
  args?: readonly string[];
  /**
   * When the BEGIN TRANSLATION line has no checksums: `"add"` writes them, as the Toolbox does
   * (default); `"keep"` leaves the line as it is, as pcal.trans on the command line does.
   */
  checksums?: "add" | "keep";
}

/** A successful translation. */
export interface Translation {
  /** The module's text with the new translation. */
  text: string;
  /** The translation's lines (between the BEGIN and END lines). */
  lines: string[];
  /** `chksum(pcal)` and `chksum(tla)` of this translation. */
  checksums: { pcal: string; tla: string };
  /** Labels the translator added to an unlabelled algorithm. */
  addedLabels: { label: string; line: number; col: number }[];
  /** pcal.trans's warnings (renamed symbols, ignored options). */
  warnings: string[];
  /** True when the translation it replaced was edited by hand (its chksum(tla) did not match). */
  replacedEditedTranslation: boolean;
  /** The options the translation used (after the module's options statement). */
  options: TranslatorOptions;
}

/** Splits a text into lines as Java's `readAllLines` does (LF, CR or CRLF; no final empty line). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The algorithm of `lines` parsed and translated, with the tree (for chksum(pcal)) after translation. */
interface Translated {
  ast: Algorithm;
  fair: boolean;
  lines: string[];
  flags: Flags;
  addedLabels: { label: string; line: number; col: number }[];
  warnings: string[];
}

/** Parses and translates the algorithm starting at `start` in the (tab-expanded) `untab` lines. */
function translateAlgorithm(untab: string[], start: { line: number; col: number; fair: boolean }, lastLine: number, opts: TranslatorOptions): Translated {
  uncomment(untab, start.line, start.col);
  const reader = new CharReader(untab, start.line, start.col, lastLine, 0);
  const parsed = parseAlgorithm(reader, start.fair, opts);
  const ast = parsed.ast;
  const st = new SymTab(ast);
  if (st.errorReport.length > 0) throw new PlusCalError(st.errorReport.trim(), st.errorLine, st.errorCol);
  st.disambiguate();
  const warnings = [...parsed.warnings];
  if (st.disambiguateReport.length > 0) warnings.push("symbols were renamed.");
  fixIds(ast, st);
  const exploded = explode(ast, st, parsed.flags);
  const lines = generate(exploded, st, parsed.flags, opts, st.disambiguateReport);
  if (parsed.flags.hasDefaultInitialization) {
    const uses = st.symtab.filter((s) => s.id === "defaultInitValue");
    if (uses.length > 0) throw new PlusCalError("Cannot use `defaultInitValue' as a name of a variable, label, procedure or process");
  }
  return { ast, fair: start.fair, lines, flags: parsed.flags, addedLabels: parsed.addedLabels, warnings };
}

/** chksum(pcal) of a translated algorithm (pcal.trans checksums only the word "fair" for `--fair`). */
function pcalChecksum(t: { ast: Algorithm; fair: boolean }): string {
  return checksum(t.fair ? "fair" : astToString(t.ast));
}

/** The options for a module: defaults, then `args`, then its `PlusCal options (...)` statement. */
function moduleOptions(untab: readonly string[], args: readonly string[]): TranslatorOptions {
  const opts = defaultOptions();
  applyOptions(args, opts, false);
  const stmt = findOptionsStatement(untab);
  if (stmt) applyOptions(stmt.args, opts, true, stmt.line);
  return opts;
}

/**
 * Translates the PlusCal algorithm in a module's text. Throws a {@link PlusCalError} (with the
 * line and column in the module where there is one) when the algorithm has an error.
 */
export function translateModule(text: string, options: TranslateOptions = {}): Translation {
  const input = splitLines(text);
  const untab = removeTabs(input);
  const opts = moduleOptions(untab, options.args ?? []);
  const output = [...input];
  let translationLine = findTokenPair(untab, 0, "BEGIN", "TRANSLATION");
  let replacedEdited = false;
  if (translationLine !== -1) {
    const end = findTokenPair(untab, translationLine + 1, "END", "TRANSLATION");
    if (end === -1) throw new PlusCalError("No line containing `END TRANSLATION' after the `BEGIN TRANSLATION' line", translationLine + 1);
    const old = matchChecksums(output[translationLine]!);
    if (old?.tla && old.tla.value !== checksumLines(input.slice(translationLine + 1, end))) replacedEdited = true;
    output.splice(translationLine + 1, end - translationLine - 1);
    untab.splice(translationLine + 1, end - translationLine - 1);
  }
  const start = findAlgorithm(untab);
  if (!start) throw new PlusCalError("No PlusCal algorithm: `--algorithm' or `--fair algorithm' not found");
  if (translationLine === -1) {
    const ec = endOfAlgorithmComment(untab, start);
    if (!ec) throw new PlusCalError("Algorithm not in properly terminated comment", start.line + 1);
    const after = untab[ec.line]!.slice(ec.col).trim();
    if (after !== "" && !after.startsWith("\\*")) throw new PlusCalError("Text on same line following `*)' that ends the comment containing the algorithm", ec.line + 1, ec.col + 1);
    output.splice(ec.line + 1, 0, `${BEGIN_LINE} ${checksumTemplate("ffffffff", "ffffffff")}`, `${END_LINE} `);
    untab.splice(ec.line + 1, 0, BEGIN_LINE, END_LINE);
    translationLine = ec.line + 1;
  }
  const t = translateAlgorithm(untab, start, output.length, opts);
  const sums = { pcal: pcalChecksum(t), tla: checksumLines(t.lines) };
  const m = matchChecksums(output[translationLine]!);
  let begin = output[translationLine]!;
  if (m) {
    // The tla checksum first: it comes after the pcal one on the line.
    if (m.tla) begin = begin.slice(0, m.tla.start) + sums.tla + begin.slice(m.tla.end);
    if (m.pcal) begin = begin.slice(0, m.pcal.start) + sums.pcal + begin.slice(m.pcal.end);
  } else if ((options.checksums ?? "add") === "add") begin = `${begin} ${checksumTemplate(sums.pcal, sums.tla)}`;
  output[translationLine] = begin;
  output.splice(translationLine + 1, 0, ...t.lines);
  const eol = /\r\n/.test(text) ? "\r\n" : "\n";
  return {
    text: output.join(eol) + eol,
    lines: t.lines,
    checksums: sums,
    addedLabels: t.addedLabels,
    warnings: t.warnings,
    replacedEditedTranslation: replacedEdited,
    options: opts,
  };
}

/** What {@link validateModule} found. */
export type Validation =
  | { kind: "no-pluscal" }
  | { kind: "no-translation" }
  | { kind: "no-checksums" }
  | { kind: "ok" }
  | { kind: "stale"; pcalChanged: boolean; tlaChanged: boolean; error?: PlusCalError };

/**
 * Whether a module's translation is current, as TLC (SANY) checks it with pcal.trans's
 * validator: the algorithm is translated again and its chksum(pcal) compared with the one on
 * the BEGIN TRANSLATION line (the algorithm changed), and the translation's text with
 * chksum(tla) (the translation was edited). For a `--fair algorithm`, whose chksum(pcal) never
 * changes (a pcal.trans quirk), an unedited translation is compared with a fresh one instead.
 */
export function validateModule(text: string): Validation {
  const all = splitLines(text);
  const [from, to] = moduleRange(all);
  const lines = all.slice(from, to);
  if (!lines.some((l) => l.indexOf("algorithm") > 0)) return { kind: "no-pluscal" };
  const untab = removeTabs(lines);
  const start = findAlgorithm(untab);
  const translationLine = findTokenPair(untab, 0, "BEGIN", "TRANSLATION");
  const endLine = findTokenPair(untab, translationLine + 1, "END", "TRANSLATION");
  if (translationLine === -1 || endLine === -1) return start ? { kind: "no-translation" } : { kind: "no-pluscal" };
  if (!start) return { kind: "no-pluscal" };
  const m = matchChecksums(untab[translationLine]!);
  if (!m) return { kind: "no-checksums" };
  let pcalChanged = false;
  let error: PlusCalError | undefined;
  const existing = lines.slice(translationLine + 1, endLine);
  const tlaChanged = m.tla !== null && m.tla.value !== checksumLines(existing);
  if (m.pcal) {
    try {
      const t = translateAlgorithm(untab, start, lines.length, moduleOptions(untab, []));
      pcalChanged = pcalChecksum(t) !== m.pcal.value;
      // pcal.trans's chksum(pcal) of a `--fair algorithm` is that of the word "fair": it never
      // changes. Then an unedited translation is compared with the algorithm's translation now.
      if (t.fair && !pcalChanged && m.tla !== null && !tlaChanged) pcalChanged = t.lines.join("\n") !== existing.join("\n");
    } catch (e) {
      if (!(e instanceof PlusCalError)) throw e;
      // An algorithm that no longer translates was changed since it was translated.
      pcalChanged = true;
      error = new PlusCalError(e.message, e.line === undefined ? undefined : e.line + from, e.column);
    }
  }
  if (!pcalChanged && !tlaChanged) return { kind: "ok" };
  return { kind: "stale", pcalChanged, tlaChanged, ...(error ? { error } : {}) };
}

/** The lines of the first module: from its `---- MODULE` line to its `====` line (the whole text if not found). */
function moduleRange(lines: readonly string[]): [number, number] {
  const begin = lines.findIndex((l) => /^\s*-{4,}\s*MODULE\b/.test(l));
  if (begin < 0) return [0, lines.length];
  for (let i = begin + 1; i < lines.length; i++) if (/^\s*={4,}/.test(lines[i]!)) return [begin, i + 1];
  return [begin, lines.length];
}

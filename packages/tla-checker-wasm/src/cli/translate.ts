/**
 * `tla-check --translate Spec.tla`: writes the translation of the module's PlusCal algorithm
 * into it, as the Toolbox does (between `\* BEGIN TRANSLATION` and `\* END TRANSLATION`, with
 * the checksums), and, when `Spec.cfg` does not exist, the cfg pcal.trans writes for it. Also
 * the PlusCal warnings printed before a check (stale or missing translation).
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, isAbsolute, relative } from "node:path";
import { PlusCalError } from "../pluscal/errors.js";
import { translationWarnings } from "../pluscal/hints.js";
import { translateModule, type Translation } from "../pluscal/translate.js";
import { ExitStatus } from "./exit-codes.js";
import { formatErrorWithSource } from "./report.js";

/** Where the translator writes; a subset of the CLI's IO. */
export interface TranslateIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A path as the user would type it: relative to the working directory when below it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** The module name of a `.tla` file. */
function moduleName(file: string): string {
  return basename(file).replace(/\.tla$/i, "");
}

/**
 * The cfg pcal.trans writes next to a module it translated when there is none: the
 * specification, `Termination` when asked for, the constant for uninitialized variables, and
 * its marker line.
 */
export function pcalTransCfg(t: Translation): string {
  const lines = ["SPECIFICATION Spec"];
  if (t.options.termination) lines.push("PROPERTY Termination");
  if (t.lines.includes("CONSTANT defaultInitValue")) lines.push("CONSTANT defaultInitValue = defaultInitValue");
  lines.push("\\* Add statements after this line.");
  return `${lines.join("\n")}\n`;
}

/** Translates `specPath` in place; returns the exit code. */
export function runTranslate(specPath: string, cfgPath: string, io: TranslateIO, json: boolean): number {
  const shown = displayPath(specPath);
  const text = readFileSync(specPath, "utf8");
  let t: Translation;
  try {
    t = translateModule(text);
  } catch (e) {
    if (!(e instanceof PlusCalError)) {
      // pcal.trans's own "You have discovered a bug" cases, and ours: no stack trace for the user.
      io.err(`tla-check: internal error in the PlusCal translator on ${shown} (please report it with the module): ${(e as Error).message}\n`);
      return ExitStatus.ERROR;
    }
    const error = { kind: "pluscal", message: e.message, ...(e.line !== undefined ? { location: { file: specPath, line: e.line, column: e.column ?? 1 } } : {}) };
    if (json) io.out(`${JSON.stringify({ translated: null, error })}\n`);
    io.err(`${formatErrorWithSource(error).replace(specPath, shown)}\n`);
    if (!json) io.out("Error: The PlusCal algorithm could not be translated.\n");
    // A PlusCal error is an error in the module's text: TLC's status for a spec that does not parse.
    return ExitStatus.ERROR_SPEC_PARSE;
  }
  if (t.replacedEditedTranslation) {
    const backup = specPath.replace(/\.tla$/i, ".old");
    writeFileSync(backup, text);
    io.err(`Warning: the translation in ${shown} had been edited by hand since it was written (its chksum(tla) did not match); the previous file is kept as ${displayPath(backup)}.\n`);
  }
  for (const w of t.warnings) io.err(`Warning: ${w}\n`);
  writeFileSync(specPath, t.text);
  const cfgWritten = !existsSync(cfgPath);
  if (cfgWritten) writeFileSync(cfgPath, pcalTransCfg(t));
  if (json) {
    io.out(`${JSON.stringify({ translated: shown, checksums: t.checksums, lines: t.lines.length, addedLabels: t.addedLabels, cfgWritten: cfgWritten ? displayPath(cfgPath) : null, warnings: t.warnings })}\n`);
    return ExitStatus.SUCCESS;
  }
  if (t.addedLabels.length > 0) {
    io.out(`Labels added: ${t.addedLabels.map((a) => `${a.label} (line ${a.line}, column ${a.col})`).join(", ")}.\n`);
  }
  io.out(`Translation written to ${shown} (${t.lines.length} lines; chksum(pcal) = "${t.checksums.pcal}", chksum(tla) = "${t.checksums.tla}").\n`);
  if (cfgWritten) io.out(`Wrote ${displayPath(cfgPath)} (SPECIFICATION Spec), as pcal.trans does for a module without a cfg.\n`);
  return ExitStatus.SUCCESS;
}

/** The PlusCal warnings for a module file about to be checked (see `translationWarnings`). */
export function moduleTextWarnings(file: string, text: string): string[] {
  if (text.indexOf("algorithm") < 0) return [];
  try {
    return translationWarnings(moduleName(file), text, displayPath(file));
  } catch (e) {
    // A bug in the translator must not stop the check it only comments on.
    return [`Could not check the PlusCal translation of module ${moduleName(file)} (internal error in the translator: ${(e as Error).message}).`];
  }
}

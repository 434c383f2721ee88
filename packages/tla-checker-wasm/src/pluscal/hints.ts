/**
 * What a checker should say about a module's PlusCal before checking it: that its algorithm
 * changed since it was translated (TLC's warnings, with the command that translates it again),
 * that its translation was edited by hand, or that it has an algorithm but no translation.
 *
 * @module
 */
import { PlusCalError } from "./errors.js";
import { translateModule, validateModule } from "./translate.js";

/**
 * Warnings about the PlusCal translation of the module in `text` (empty when it has no
 * algorithm or its translation is current). `display` is how to name the file in the
 * suggested command.
 */
export function translationWarnings(moduleName: string, text: string, display: string): string[] {
  const v = validateModule(text);
  const again = `run \`tla-check --translate ${display}\` to translate it again`;
  switch (v.kind) {
    case "no-pluscal":
    case "ok":
    case "no-checksums":
      return [];
    case "no-translation":
      // Only for text that is PlusCal: a comment that merely looks like an algorithm gets no hint.
      try {
        translateModule(text);
      } catch (e) {
        if (e instanceof PlusCalError) return [];
        throw e;
      }
      return [`Module ${moduleName} contains a PlusCal algorithm but no translation (no \\* BEGIN TRANSLATION and \\* END TRANSLATION lines); run \`tla-check --translate ${display}\` to write it.`];
    case "stale": {
      // A warning is one line: pcal.trans's messages can span several (the place of a missing
      // label is on the next line), so they are joined rather than cut.
      const broken = v.error ? ` It does not translate: ${display}:${v.error.line ?? "?"}:${v.error.column ?? "?"}: ${v.error.message.replace(/\s*\n\s*/g, " ")}.` : "";
      if (v.pcalChanged && v.tlaChanged) {
        return [`Both the PlusCal algorithm and its TLA+ translation in module ${moduleName} have changed since the last translation.${broken} The model checked is the translation in the file; ${again} (this replaces the edited translation).`];
      }
      if (v.pcalChanged) return [`The PlusCal algorithm in module ${moduleName} has changed since its last translation.${broken} The model checked is the old translation; ${again}.`];
      return [`The TLA+ translation in module ${moduleName} has changed since its last translation (it was edited by hand; \`tla-check --translate\` would replace the edits).`];
    }
  }
}

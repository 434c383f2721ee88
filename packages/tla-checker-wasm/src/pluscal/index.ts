/**
 * PlusCal: translating the algorithm of a module into TLA+ as pcal.trans (TLA+ tools 1.12)
 * does, with the same text, the same checksums and the same errors (with their place in the
 * module), and checking whether a module's translation is current.
 *
 * @example
 * ```ts
 * import { translateModule, validateModule } from "@synod/tla-checker-wasm";
 * const t = translateModule(readFileSync("Spec.tla", "utf8"));   // throws PlusCalError
 * writeFileSync("Spec.tla", t.text);
 * validateModule(t.text);                                          // { kind: "ok" }
 * ```
 *
 * @module
 */
export { translateModule, validateModule, splitLines, type TranslateOptions, type Translation, type Validation } from "./translate.js";
export { PlusCalError } from "./errors.js";
export { checksum, matchChecksums, type ChecksumMatch } from "./checksum.js";
export { defaultOptions, type TranslatorOptions, type FairnessOption } from "./params.js";

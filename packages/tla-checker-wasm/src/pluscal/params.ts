/**
 * The translator's settings (pcal.trans's command-line options, also settable in the module by
 * `PlusCal options (...)`) and the facts about an algorithm that its phases pass on to each
 * other (whether `pc` and the done-stuttering step can be left out, and so on).
 *
 * @module
 */

/** How the translation's `Spec` is made fair (pcal.trans's `-wf`, `-sf`, `-wfNext`, `-nof`). */
export type FairnessOption = "" | "wf" | "sf" | "wfNext" | "nof";

/** Options of a translation, with pcal.trans's defaults. */
export interface TranslatorOptions {
  fairness: FairnessOption;
  /** `--fair algorithm`: weak fairness of `Next` (uniprocess) as in pcal.trans. */
  fairAlgorithm: boolean;
  /** `-termination`: default fairness becomes `-wf` (pcal.trans also adds `PROPERTY Termination` to the cfg). */
  termination: boolean;
  /** `-label`: add missing labels in any algorithm (default: only in an unlabelled uniprocess algorithm). */
  label: boolean;
  /** Prefix of added labels (`-labelRoot`). */
  labelRoot: string;
  /** `-noDoneDisjunct`: no `Terminating` disjunct in `Next`. */
  noDoneDisjunct: boolean;
  /** `-lineWidth` (at least 60): where pcal.trans tries to wrap. */
  lineWidth: number;
  /** `-version` as pcal.trans's number (1.5 is 1500); older versions keep `pc` and the done step. */
  version: number;
}

/** pcal.trans 1.12's version weight (its `-version` default). */
export const CURRENT_VERSION = 1903;

/** The defaults of pcal.trans. */
export function defaultOptions(): TranslatorOptions {
  return { fairness: "", fairAlgorithm: false, termination: false, label: false, labelRoot: "Lbl_", noDoneDisjunct: false, lineWidth: 78, version: CURRENT_VERSION };
}

/** Facts the parser establishes and the later phases read (pcal.trans keeps them in globals). */
export interface Flags {
  /** No `pc` variable: every process (or the algorithm) is one `while (TRUE)` without inner labels. */
  omitPC: boolean;
  /** No `Terminating` step: some process can never terminate. */
  omitStutteringWhenDone: boolean;
  /** Some variable is declared without a value (`defaultInitValue` is then a constant). */
  hasDefaultInitialization: boolean;
}

/** pcal.trans's numbering of versions: "1.5" is 1500, "1.12" is 1120 (it compares these numbers). */
export function versionToNumber(str: string): number {
  let result = 0;
  let after = 0;
  let afterDecimal = false;
  for (const c of str) {
    if (c >= "0" && c <= "9") {
      result = 10 * result + (c.charCodeAt(0) - 48);
      if (afterDecimal && ++after > 3) return -1;
    } else if (c === ".") afterDecimal = true;
    else return -1;
  }
  for (let j = 0; j < 3 - after; j++) result *= 10;
  return result;
}

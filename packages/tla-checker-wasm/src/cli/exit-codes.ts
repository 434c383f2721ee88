/**
 * `tla-check`'s exit statuses: TLC's (`@synod/exit-codes`, read from tla2tools.jar), chosen for
 * each outcome the way TLC's `EC.ExitStatus.errorConstantToExitStatus` chooses them, so a script
 * written for `java tlc2.TLC` reads our verdicts unchanged.
 *
 * | outcome | status |
 * |---|---|
 * | no error, everything checked to the end | 0 SUCCESS |
 * | command line not understood | 1 USAGE |
 * | an ASSUME (or POSTCONDITION) is false, or fails to evaluate | 10 VIOLATION_ASSUMPTION |
 * | deadlock | 11 VIOLATION_DEADLOCK |
 * | invariant (or PROPERTY `[]P`, P a state predicate) violated | 12 VIOLATION_SAFETY |
 * | action property, implied initial predicate or temporal property violated | 13 VIOLATION_LIVENESS (TLC's choice for all three) |
 * | `Assert` failed | 14 VIOLATION_ASSERT |
 * | evaluation error in Init or Next | 75 FAILURE_SPEC_EVAL |
 * | evaluation error in an invariant | 76 FAILURE_SAFETY_EVAL |
 * | evaluation error in a temporal property, or a tautology | 77 FAILURE_LIVENESS_EVAL |
 * | parse or semantic error in a module | 150 ERROR_SPEC_PARSE |
 * | cfg error, or a spec or cfg feature tla-check does not support (TLC's "cannot handle") | 151 ERROR_CONFIG_PARSE |
 * | search stopped before the state space was exhausted (`--max-states`) | 124 INCOMPLETE (Synod's own, shared with lincheck) |
 * | a file could not be read or written | 153 ERROR_SYSTEM |
 * | internal error (a bug in tla-check) | 255 ERROR |
 *
 * An incomplete search is not a pass: TLC itself exits 0 when its developer-only
 * `-Dtlc2.TLC.stopAfter` stops it, but Synod's rule is that 0 means everything asked for was
 * checked, so a search cut by a budget exits 124, Synod's status for "stopped before a verdict"
 * (GNU timeout's number; lincheck's `unknown` uses it too).
 *
 * @module
 */
import { ExitStatus } from "@synod/exit-codes";
import type { CheckError, Verdict } from "../check/types.js";

export { ExitStatus };

/** Where an evaluation error happened, when the engine knows it (TLC's exit status depends on it). */
export type ErrorPhase = NonNullable<CheckError["phase"]>;

/** The exit status for a check's outcome. */
export function exitCodeFor(verdict: Verdict, error?: CheckError, name?: string | null): number {
  switch (verdict) {
    case "ok":
      return ExitStatus.SUCCESS;
    case "incomplete":
      return ExitStatus.INCOMPLETE;
    case "invariant":
      return ExitStatus.VIOLATION_SAFETY;
    case "property":
    case "liveness":
      return ExitStatus.VIOLATION_LIVENESS;
    case "deadlock":
      return ExitStatus.VIOLATION_DEADLOCK;
    case "assume":
    case "postcondition":
      return ExitStatus.VIOLATION_ASSUMPTION;
    case "error":
      return errorStatus(error);
    default: {
      const never: never = verdict;
      void name;
      throw new Error(`unknown verdict ${String(never)}`);
    }
  }
}

/** The exit status of an error, by its kind and (for evaluation errors) where it happened. */
export function errorStatus(error: CheckError | undefined): number {
  switch (error?.kind) {
    case "parse":
    case "semantic":
      return ExitStatus.ERROR_SPEC_PARSE;
    case "cfg":
    case "unsupported":
      return ExitStatus.ERROR_CONFIG_PARSE;
    case "io":
      return ExitStatus.ERROR_SYSTEM;
    case "assume":
      return ExitStatus.VIOLATION_ASSUMPTION;
    case "assert":
      return ExitStatus.VIOLATION_ASSERT;
    case "eval":
      switch (error.phase) {
        case "invariant":
          return ExitStatus.FAILURE_SAFETY_EVAL;
        case "liveness":
          return ExitStatus.FAILURE_LIVENESS_EVAL;
        case "property":
          return ExitStatus.VIOLATION_LIVENESS;
        case "assume":
        case "postcondition":
          return ExitStatus.VIOLATION_ASSUMPTION;
        default:
          return ExitStatus.FAILURE_SPEC_EVAL;
      }
    default:
      return ExitStatus.ERROR;
  }
}

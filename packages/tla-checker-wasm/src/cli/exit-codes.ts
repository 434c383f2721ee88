/**
 * `tla-check` exit codes (TLC's numbering where TLC has one).
 *
 * @module
 */
import type { Verdict } from "../check/types.js";

/** Exit codes: 0 ok, 12 invariant/property/liveness violation, 11 deadlock, 13 false ASSUME, 1 error, 2 usage. */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  deadlock: 11,
  violation: 12,
  assume: 13,
} as const;

/** The exit code for a verdict. */
export function exitCodeFor(verdict: Verdict): number {
  switch (verdict) {
    case "ok":
      return ExitCode.ok;
    case "invariant":
    case "property":
    case "liveness":
      return ExitCode.violation;
    case "deadlock":
      return ExitCode.deadlock;
    case "assume":
      return ExitCode.assume;
    case "error":
      return ExitCode.error;
    default: {
      const never: never = verdict;
      throw new Error(`unknown verdict ${String(never)}`);
    }
  }
}

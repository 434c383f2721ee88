/**
 * The exit statuses of Synod's command-line tools (`tla-check`, `lincheck`, `synod`).
 *
 * The numbers are TLC's (`tlc2.output.EC.ExitStatus` in tla2tools.jar 2.20, read with
 * `javap -constants -cp tla2tools.jar 'tlc2.output.EC$ExitStatus'`), so scripts written for TLC
 * read our verdicts unchanged. TLC exits 1 on a command-line it cannot parse; we keep that for
 * usage errors. Statuses TLC does not have are Synod's own and are said to be so below.
 *
 * @module
 */

/** Every exit status, by name. */
export const ExitStatus = {
  /** Everything asked for was checked to the end and holds. */
  SUCCESS: 0,
  /** The command line could not be understood (TLC: 1). */
  USAGE: 1,
  /** An ASSUME is false. */
  VIOLATION_ASSUMPTION: 10,
  /** A deadlock was reached. */
  VIOLATION_DEADLOCK: 11,
  /** An invariant, safety property or action property is violated; for lincheck: not linearizable. */
  VIOLATION_SAFETY: 12,
  /** A liveness (temporal) property is violated. */
  VIOLATION_LIVENESS: 13,
  /** An `Assert` failed during evaluation. */
  VIOLATION_ASSERT: 14,
  /** The spec could not be evaluated (initial states or next-state relation). */
  FAILURE_SPEC_EVAL: 75,
  /** An invariant or safety property could not be evaluated. */
  FAILURE_SAFETY_EVAL: 76,
  /** A liveness property could not be evaluated. */
  FAILURE_LIVENESS_EVAL: 77,
  /**
   * Synod's own, not TLC's: the check stopped before a verdict (its time budget ran out), so
   * nothing was found but not everything was checked. The number is GNU `timeout`'s status for
   * a command that ran out of time; TLC has no such status because it has no time budget.
   * lincheck: the verdict `unknown`.
   */
  INCOMPLETE: 124,
  /** The spec (or, for lincheck, the history) could not be parsed. */
  ERROR_SPEC_PARSE: 150,
  /** The configuration (`.cfg`, or a tool's options file) could not be parsed. */
  ERROR_CONFIG_PARSE: 151,
  /** The state space (or search) exceeded a limit the tool cannot raise. */
  ERROR_STATESPACE_TOO_LARGE: 152,
  /** A system error: I/O, out of memory, a worker crashed. */
  ERROR_SYSTEM: 153,
  /** An internal error (a bug in the tool). */
  ERROR: 255,
} as const;

/** The name of an exit status. */
export type ExitStatusName = keyof typeof ExitStatus;

/** The numeric value of an exit status. */
export type ExitStatusCode = (typeof ExitStatus)[ExitStatusName];

/** The name of a numeric exit status, or undefined for a number not in the table. */
export function exitStatusName(code: number): ExitStatusName | undefined {
  for (const [name, value] of Object.entries(ExitStatus)) if (value === code) return name as ExitStatusName;
  return undefined;
}

/**
 * The status of a command whose reader went away (`tla-check Spec.tla | head`): 128 + SIGPIPE,
 * what a shell reports for a process the signal ended. Not 0: the run did not finish, and with
 * `set -o pipefail` a script must not take it for a pass.
 */
export const EXIT_CLOSED_PIPE = 141;

/**
 * End the process quietly, with {@link EXIT_CLOSED_PIPE}, when stdout or stderr is a pipe whose
 * reader has gone, instead of Node's unhandled `EPIPE` stack trace. Call once, first thing, in a
 * command's entry point.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(EXIT_CLOSED_PIPE);
      throw e;
    });
  }
}

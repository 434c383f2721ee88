/**
 * Bad input: a malformed line, an operation the model does not know, a completion without an
 * invocation. `location` names the place (`file:line:col`, `line 12`, `entry 5`).
 */
export class HistoryError extends Error {
  /** Where the problem is. */
  readonly location: string;
  /** What the problem is. */
  readonly problem: string;

  /** @param location where, e.g. `history.edn:3:14`; @param problem what, in words. */
  constructor(location: string, problem: string) {
    super(`${location}: ${problem}`);
    this.name = "HistoryError";
    this.location = location;
    this.problem = problem;
  }
}

/** A file that could not be read or written at all (missing, unreadable): an I/O problem, not bad content. */
export class HistoryFileError extends HistoryError {
  /** @param path the file; @param problem what, in words. */
  constructor(path: string, problem: string) {
    super(path, problem);
    this.name = "HistoryFileError";
  }
}

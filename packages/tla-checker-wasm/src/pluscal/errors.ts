/**
 * Errors of the PlusCal translator. Each carries the place in the module (1-based line and
 * column, tabs expanded to 8 as pcal.trans counts) when there is one; the message names the
 * construct and, where pcal.trans says less, why.
 *
 * @module
 */

/** A PlusCal error, at a place in the module when there is one. */
export class PlusCalError extends Error {
  constructor(
    message: string,
    /** 1-based line in the module, when known. */
    readonly line?: number,
    /** 1-based column in the module, when known. */
    readonly column?: number,
  ) {
    super(message);
    this.name = "PlusCalError";
  }
}

/** What {@link errorAt} needs of a node. */
export interface Positioned {
  line: number;
  col: number;
  macroLine: number;
  macroCol: number;
}

/**
 * An error at a node's position (`line` 0: unknown). A statement that came from a macro is
 * placed at the macro call (where a missing label goes), and the message says where in the
 * macro's body it is.
 */
export function errorAt(message: string, at: Positioned | null | undefined): PlusCalError {
  if (!at || at.line === 0) return new PlusCalError(message);
  if (at.macroLine >= 0) return new PlusCalError(`${message} (from line ${at.line}, column ${at.col} of the macro called here)`, at.macroLine, at.macroCol);
  return new PlusCalError(message, at.line, at.col);
}

/**
 * The one error storage recovery raises: the files cannot be trusted, so the node must not start.
 *
 * @module
 */

/**
 * Durable state on disk is damaged in a way that could hide an acknowledged write (a CRC mismatch
 * before the tail, a bad header, a missing snapshot a WAL depends on). The message names the file
 * and the byte offset; a host must refuse to start rather than run with partial state.
 */
export class StorageCorruptionError extends Error {
  /** The damaged file's path. */
  readonly file: string;
  /** Byte offset in `file` where the damage was found. */
  readonly offset: number;
  /** What is wrong, in words. */
  readonly problem: string;

  constructor(file: string, offset: number, problem: string) {
    super(`${file}: offset ${offset}: ${problem}`);
    this.name = "StorageCorruptionError";
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }
}

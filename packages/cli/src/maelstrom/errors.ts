/**
 * Maelstrom's error codes (doc/protocol.md, "Errors"), with whether each is definite: a definite
 * error means the operation did not and never will happen; an indefinite one that it may have
 * happened, or may still happen. Maelstrom reads histories by this, so a node must never send a
 * definite code for an operation that might take effect.
 *
 * @module
 */

/** One of Maelstrom's defined errors. */
export interface MaelstromErrorKind {
  code: number;
  name: string;
  definite: boolean;
}

/** Every error Maelstrom defines, by name. */
export const MAELSTROM_ERRORS = {
  timeout: { code: 0, name: "timeout", definite: false },
  nodeNotFound: { code: 1, name: "node-not-found", definite: true },
  notSupported: { code: 10, name: "not-supported", definite: true },
  temporarilyUnavailable: { code: 11, name: "temporarily-unavailable", definite: true },
  malformedRequest: { code: 12, name: "malformed-request", definite: true },
  crash: { code: 13, name: "crash", definite: false },
  abort: { code: 14, name: "abort", definite: true },
  keyDoesNotExist: { code: 20, name: "key-does-not-exist", definite: true },
  keyAlreadyExists: { code: 21, name: "key-already-exists", definite: true },
  preconditionFailed: { code: 22, name: "precondition-failed", definite: true },
  txnConflict: { code: 30, name: "txn-conflict", definite: true },
} as const satisfies Record<string, MaelstromErrorKind>;

/** The error with code `code`, if Maelstrom defines it. */
export function errorByCode(code: number): MaelstromErrorKind | undefined {
  return Object.values(MAELSTROM_ERRORS).find((e) => e.code === code);
}

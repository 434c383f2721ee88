/**
 * Turning exceptions thrown by the core into {@link CheckError} records users can act on.
 *
 * @module
 */
import { TlaError } from "../model.js";
import { STACK_OVERFLOW } from "../eval/context.js";
import { ValueError } from "../values/value.js";
import type { CheckError } from "./types.js";

/** Describe a thrown value: a TlaError keeps its kind and location, anything else is an internal error. */
export function describeError(err: unknown): CheckError {
  if (err instanceof TlaError || isTlaErrorLike(err)) {
    const location = err.location;
    // TlaError prefixes its message with the location; keep the bare message next to the location.
    const prefix = location ? `${location.file}:${location.line}:${location.column}: ` : "";
    const message = prefix && err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    const out: CheckError = location ? { kind: err.kind, message, location } : { kind: err.kind, message };
    if (err.phase) out.phase = err.phase;
    return out;
  }
  // Deep recursion that reached no located frame on its way out: an evaluation error of the spec
  // (it needs a larger stack), not a checker bug.
  if (err instanceof RangeError && err.message.includes("call stack")) return { kind: "eval", message: STACK_OVERFLOW };
  // A value operation that failed outside a located evaluation (fingerprinting a state whose
  // variable holds Int, as TLC's "unable to fingerprint"): the spec's error, not the checker's.
  if (err instanceof ValueError) return { kind: err.kind === "unsupported" ? "unsupported" : "eval", message: err.message };
  if (err instanceof Error) return { kind: "internal", message: err.message };
  return { kind: "internal", message: String(err) };
}

/** A TlaError that crossed a realm (a worker thread, a second copy of the module) loses its prototype. */
function isTlaErrorLike(err: unknown): err is TlaError {
  return (
    typeof err === "object" &&
    err !== null &&
    (err as { name?: unknown }).name === "TlaError" &&
    typeof (err as { kind?: unknown }).kind === "string" &&
    typeof (err as { message?: unknown }).message === "string"
  );
}

/** `file:line:col: message`, the one-line form of an error. */
export function formatCheckError(error: CheckError): string {
  const where = error.location ? `${error.location.file}:${error.location.line}:${error.location.column}: ` : "";
  return `${where}${error.message}`;
}

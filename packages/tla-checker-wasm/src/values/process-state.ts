/**
 * What TLC keeps per Java process and tla-check keeps per loaded model: the intern table that
 * orders strings and model values (TLC's `UniqueString` table: the order in which its lexer met
 * the tokens, then strings met at run time), and the registers of `TLCSet`/`TLCGet`. One process
 * may check several models (tests, the bench, an editor): each model gets its own state when it is
 * loaded, and checking it makes its state current, so a model's results — which CHOOSE picks, a
 * liveness counterexample, state order — never depend on what was loaded or checked before.
 *
 * @module
 */
import type { Val } from "./value.js";

let nextId = 1;

/** One model's process-wide TLC state. */
export class ProcessState {
  /** Distinguishes states; 0 is never used (a model value's rank cache starts at 0). */
  readonly id = nextId++;
  /** Ranks of strings in TLC's token order. */
  readonly ranks = new Map<string, number>();
  /** `TLCSet(k, v)` registers. */
  readonly registers = new Map<number, Val>();
  /**
   * Set by `TLCSet("exit", TRUE)`: the search ends after the state being explored, as TLC's
   * `finishAll` empties its queue. Cleared when a search starts.
   */
  exitRequested = false;
  /** Java system properties as `TLCGet("-Dname")` reads them (the CLI's `-Dname=value`). */
  readonly properties = new Map<string, string>();
  /** What `TLCGet("config").deadlock` reports: the cfg's CHECK_DEADLOCK. */
  checkDeadlock = true;
}

let current = new ProcessState();

/** The state evaluation uses now. */
export function currentProcessState(): ProcessState {
  return current;
}

/** Make `state` current (when a model is loaded, and before it is checked or evaluated). */
export function activateProcessState(state: ProcessState): void {
  current = state;
}

/** Whether `TLCSet("exit", TRUE)` was evaluated since the current search started. */
export function exitRequested(): boolean {
  return current.exitRequested;
}

/** Forget an earlier `TLCSet("exit", TRUE)`: a search starts. */
export function clearExitRequest(): void {
  current.exitRequested = false;
}

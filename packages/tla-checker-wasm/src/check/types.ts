/**
 * What a check returns: verdicts, counts, progress reports and traces.
 *
 * @module
 */
import type { ActionLabel, ErrorPhase, SourceLocation, State } from "../model.js";

/**
 * The outcome of a check. `invariant`: an INVARIANT (or a PROPERTY `[]P` the core turned into one)
 * is false in a reachable state. `property`: an action property `[][A]_v` is false on a step, or
 * an implied initial predicate (a state-level conjunct of a PROPERTY, such as the initial
 * predicate of a refined spec `C!Spec`) is false in an initial state (a one-state trace).
 * `liveness`: a temporal PROPERTY (`P ~> Q`, `[]<>P`, `<>[]P`, `<>P`) fails on a fair behaviour.
 * `deadlock`: a reachable state has no successor. `assume`: an ASSUME is false. `postcondition`:
 * the cfg's POSTCONDITION is false after the search. `incomplete`: no error was found, but the
 * search stopped before the state space was exhausted (`maxStates`), so nothing is proved.
 * `error`: the spec or cfg could not be loaded, or evaluation failed in a reachable state.
 */
export type Verdict = "ok" | "incomplete" | "invariant" | "property" | "liveness" | "deadlock" | "assume" | "postcondition" | "error";

/** One state of a trace and the action that produced it (`Init` for the first). */
export interface TraceStep {
  label: ActionLabel;
  state: State;
}

/** A periodic report while the search runs. */
export interface Progress {
  /** States generated so far (initial states and every successor, duplicates included). */
  generated: number;
  /** Distinct states found so far. */
  distinct: number;
  /** States waiting to be explored. */
  queue: number;
  /** Current BFS depth (initial states are depth 1). */
  depth: number;
  /** Distinct states per second since the search started. */
  statesPerSecond: number;
  /** Seconds since the search started. */
  seconds: number;
}

/** Why evaluation failed, for verdict `error` and `assume`. */
export interface CheckError {
  /** `TlaError.kind` (`parse`, `cfg`, `eval`, ...), or `internal` for a bug in the checker. */
  kind: string;
  message: string;
  location?: SourceLocation;
  /**
   * For evaluation errors, what was being evaluated: the initial predicate or next-state relation
   * (absent), an invariant, an action property, a temporal property, an ASSUME or the
   * POSTCONDITION. TLC's exit status depends on it.
   */
  phase?: ErrorPhase;
}


/** A violation the search reported and went past (TLC's `-continue`), with its counterexample. */
export interface ContinuedViolation {
  verdict: "invariant" | "property";
  name: string;
  /** From an initial state to the violating state (rebuilt when it was found). */
  trace: TraceStep[];
}

/** What {@link checkModel} and `checkSpec` return. */
export interface CheckResult {
  verdict: Verdict;
  /** The violated invariant or property, else null. */
  name: string | null;
  distinct: number;
  generated: number;
  /** Depth of the search: the highest BFS level holding a distinct state (TLC's "depth"). */
  depth: number;
  /** Initial states generated (TLC's `TLCGet("stats").initial`); absent where the engine does not count them. */
  initial?: number;
  /** States still queued when the search stopped (0 when it completed). */
  queue: number;
  /** Number of states in the counterexample, the initial one included; null when there is none. */
  traceLength: number | null;
  /** Wall-clock seconds of the search (loading included for `checkSpec`). */
  seconds: number;
  /** The counterexample, shortest with one worker; null when there is none. */
  trace: TraceStep[] | null;
  /**
   * For a liveness counterexample (a lasso): the index of the state the behaviour returns to
   * after the last one (the last index itself means it stutters there forever).
   */
  loopIndex?: number;
  /**
   * TLC ends this lasso with `State k: Stuttering`, k = loopIndex + 1, although the behaviour goes
   * on with `trace[loopIndex]`: TLC says "Stuttering" whenever the last state is the state its
   * cycle started from (here `trace[loopIndex - 1]`), not only for a real stutter.
   */
  stutterLoop?: boolean;
  /**
   * True when a safety trace ends at a state the search had explored (a deadlock, or an error
   * computing its successors) rather than at a successor it generated; TLC's `-difftrace` prints
   * the two differently. Absent otherwise.
   */
  endsAtExplored?: boolean;
  /**
   * With TLC's `-continue`: how many violations the search reported and went past. The verdict,
   * name and trace are then the first one's (unless the search ended on a deadlock or an error,
   * which `-continue` does not go past). Absent without `-continue`.
   */
  violations?: number;
  /** False when `maxStates` (or `TLCSet("exit", TRUE)`) stopped the search before the state space was exhausted. */
  complete: boolean;
  /**
   * `exit`: the spec stopped the search with `TLCSet("exit", TRUE)` (the verdict is then
   * `incomplete`; TLC prints "No error has been found" and exits 0). Absent otherwise.
   */
  stoppedBy?: "exit";
  /** Details when the verdict is `error` or `assume`. */
  error?: CheckError;
  /**
   * Warnings about the soundness of the result, e.g. TLC's "Declaring symmetry during liveness
   * checking is dangerous..." when temporal properties are checked under SYMMETRY or VIEW.
   * Absent when there is none.
   */
  warnings?: string[];
}

/**
 * Judges of client histories: what a protocol's histories must satisfy. Linearizability (lincheck)
 * is one; convergence of replicas (CRDTs), atomic commitment (2PC), one holder per fencing token
 * (locks and leases) and bounded staleness (quorums) are others. A judge sees the whole history
 * in lincheck's JSON event vocabulary (invoke/ok/fail/info with `process`, `f`, `key`, `value`,
 * `time`) and reports the smallest piece that breaks its promise, in words.
 *
 * @module
 */
import { checkHistory, type HistoryEvent, type Model } from "@synod/lincheck";

export type { HistoryEvent };

/** A judge's verdict. `unknown`: it could not decide within its budget (never a pass). */
export type JudgeVerdict =
  | { verdict: "ok"; detail: string }
  | { verdict: "violation"; explanation: string }
  | { verdict: "unknown"; reason: string };

/** Options every judge takes. */
export interface JudgeOptions {
  /** Budget for one history. */
  timeoutMs: number;
}

/** What a protocol's histories must satisfy. */
export interface Judge {
  /** Its name in reports (`linearizable`, `convergent`, `atomic`, ...). */
  name: string;
  /** The promise it checks, in words. */
  promise: string;
  /** Judge one history. */
  check(history: readonly HistoryEvent[], options: JudgeOptions): JudgeVerdict;
}

/**
 * The linearizability judge: lincheck with `model` (partitioned by key where the model says so).
 * A linearizable history also lost no acknowledged write: a later read could not be explained.
 */
export function linearizable<S, I, O>(model: Model<S, I, O>, modelName: string): Judge {
  return {
    name: "linearizable",
    promise: `every history is linearizable (lincheck, ${modelName} model)`,
    check(history, options) {
      const r = checkHistory(history as HistoryEvent[], model, { timeoutMs: options.timeoutMs });
      switch (r.verdict) {
        case "ok":
          return { verdict: "ok", detail: `linearizable (${r.operations.length} operations)` };
        case "illegal":
          return { verdict: "violation", explanation: r.explanation };
        case "unknown":
          return { verdict: "unknown", reason: r.reason };
      }
    },
  };
}

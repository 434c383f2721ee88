/**
 * Single-threaded breadth-first search, level by level. Browser-safe: no Node modules here.
 *
 * The frontier of the current level is explored in order while new states are appended to the
 * next level's, which visits states in exactly the order of TLC's FIFO queue; only the frontier is
 * held in memory, the seen set holds fingerprints (see `fingerprint-set.ts`).
 *
 * @module
 */
import type { CompiledModel, State } from "../model.js";
import { clearExitRequest, exitRequested } from "../values/process-state.js";
import { makeFingerprinter } from "./canonical.js";
import { describeError } from "./errors.js";
import { Explorer, type ExplorerOptions, type SearchObserver, type Stop } from "./explorer.js";
import { FingerprintSet } from "./fingerprint-set.js";
import { reconstructTrace } from "./reconstruct.js";
import type { CheckResult, ContinuedViolation, Progress } from "./types.js";

/** Options of a search. */
export interface SearchOptions {
  /** Report states without successors. */
  deadlock: boolean;
  /** Stop (with `complete: false`) once this many distinct states are found. */
  maxStates?: number;
  onProgress?: (p: Progress) => void;
  /** Time between progress reports; default 2000. */
  progressIntervalMs?: number;
  print?: (line: string) => void;
  /** Watch every step (TLC's `-dump`, `-coverage`); sequential search only. */
  observer?: SearchObserver;
  /**
   * TLC's `-continue`: called with each invariant or action property violation, its trace
   * rebuilt, and the search goes on; the result then carries the first one (see
   * `CheckResult.violations`). Sequential search only.
   */
  onViolation?: (v: ContinuedViolation) => void;
}

/** Explore `model` breadth-first on this thread and return TLC's figures, with a trace on a violation. */
export function searchSequential(model: CompiledModel, options: SearchOptions): CheckResult {
  const startMs = performance.now();
  const table = new FingerprintSet();
  const fingerprint = makeFingerprinter(model);
  const explorerOptions: ExplorerOptions = { deadlock: options.deadlock };
  if (options.print) explorerOptions.print = options.print;
  if (options.observer) explorerOptions.observer = options.observer;
  let first: ContinuedViolation | null = null;
  let violations = 0;
  const onViolation = options.onViolation;
  if (onViolation) {
    explorerOptions.onViolation = (stop) => {
      const trace = reconstructTrace(model, table, fingerprint, stop.site, (lvl) => explorer.context(lvl));
      const v: ContinuedViolation = { verdict: stop.verdict as ContinuedViolation["verdict"], name: stop.name ?? "", trace };
      violations++;
      if (first === null) first = v;
      onViolation(v);
    };
  }
  const explorer = new Explorer(model, table, fingerprint, explorerOptions);
  let next: State[] = [];
  let nextKeys: number[] = [];
  const enqueue = (state: State, keyLo: number, keyHi: number): void => {
    next.push(state);
    nextKeys.push(keyLo, keyHi);
  };
  const progress = new ProgressClock(startMs, options);
  clearExitRequest();
  let stop: Stop | null = explorer.initial(enqueue);
  const initial = explorer.generated;
  let queue = next.length;
  // TLCSet("exit", TRUE) empties TLC's queue: the state being explored is finished, no other starts.
  let complete = stop !== null || !exitRequested();
  let level = 1;
  while (stop === null && complete && next.length > 0) {
    const frontier = next;
    const keys = nextKeys;
    next = [];
    nextKeys = [];
    for (let i = 0; i < frontier.length; i++) {
      const state = frontier[i];
      // Drop the reference so explored states can be collected while the level is in progress.
      (frontier as (State | undefined)[])[i] = undefined;
      stop = explorer.expand(state, keys[2 * i], keys[2 * i + 1], level, enqueue);
      if (stop !== null || exitRequested() || (options.maxStates !== undefined && table.size >= options.maxStates)) {
        queue = frontier.length - i - 1 + next.length;
        complete = stop !== null;
        break;
      }
      progress.tick(() => ({ generated: explorer.generated, distinct: table.size, queue: frontier.length - i - 1 + next.length, depth: level }));
    }
    if (stop !== null || !complete) break;
    queue = next.length;
    level++;
  }
  if (stop === null && complete) queue = 0;
  const base = {
    distinct: table.size,
    generated: explorer.generated,
    depth: explorer.depth,
    queue,
    complete,
    initial,
  };
  const continued = { ...(onViolation ? { violations } : {}), ...(stop === null && exitRequested() ? { stoppedBy: "exit" as const } : {}) };
  if (stop === null) {
    const v = first as ContinuedViolation | null;
    if (v !== null) return { verdict: v.verdict, name: v.name, ...base, ...continued, traceLength: v.trace.length, seconds: secondsSince(startMs), trace: v.trace };
    return { verdict: "ok", name: null, ...base, ...continued, traceLength: null, seconds: secondsSince(startMs), trace: null };
  }
  const found = stop;
  return { ...finishWithTrace(found, base, () => reconstructTrace(model, table, fingerprint, found.site, (lvl) => explorer.context(lvl)), startMs), ...continued };
}

/** Attach the counterexample for `stop`; a failure to rebuild it becomes an internal error. */
export function finishWithTrace(
  stop: Stop,
  base: Pick<CheckResult, "distinct" | "generated" | "depth" | "queue" | "complete" | "initial">,
  rebuild: () => CheckResult["trace"],
  startMs: number,
): CheckResult {
  let trace: CheckResult["trace"];
  try {
    trace = rebuild();
  } catch (err) {
    const cause = describeError(err);
    const error = stop.error ?? cause;
    return { verdict: "error", name: stop.name, ...base, traceLength: null, seconds: secondsSince(startMs), trace: null, error: { ...error, message: `${error.message} (and the trace could not be rebuilt: ${cause.message})` } };
  }
  const result: CheckResult = {
    verdict: stop.verdict,
    name: stop.name,
    ...base,
    traceLength: trace ? trace.length : null,
    seconds: secondsSince(startMs),
    trace,
  };
  if (stop.error) result.error = stop.error;
  if (stop.site.index === null && stop.site.fromKey !== null) result.endsAtExplored = true;
  return result;
}

/** Seconds elapsed since `startMs` (a `performance.now()` reading). */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/** Calls `onProgress` at most once per interval, checking the clock only every few hundred states. */
export class ProgressClock {
  private countdown = 256;
  private lastMs: number;
  private readonly startMs: number;
  private readonly intervalMs: number;
  private readonly onProgress: ((p: Progress) => void) | undefined;

  constructor(startMs: number, options: { onProgress?: (p: Progress) => void; progressIntervalMs?: number }) {
    this.startMs = startMs;
    this.lastMs = startMs;
    this.intervalMs = options.progressIntervalMs ?? 2000;
    this.onProgress = options.onProgress;
  }

  /** Count one unit of work; report when the interval has passed. */
  tick(read: () => Omit<Progress, "statesPerSecond" | "seconds">): void {
    if (!this.onProgress || --this.countdown > 0) return;
    this.countdown = 256;
    const now = performance.now();
    if (now - this.lastMs < this.intervalMs) return;
    this.lastMs = now;
    this.report(read(), now);
  }

  /** Report now. */
  report(figures: Omit<Progress, "statesPerSecond" | "seconds">, now = performance.now()): void {
    if (!this.onProgress) return;
    const seconds = (now - this.startMs) / 1000;
    this.onProgress({ ...figures, seconds, statesPerSecond: seconds > 0 ? figures.distinct / seconds : 0 });
  }
}

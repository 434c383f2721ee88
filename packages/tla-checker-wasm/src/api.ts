/**
 * The checker's public entry points: check a spec (load and search), check an already loaded
 * model, simulate, and write traces.
 *
 * @example
 * ```ts
 * const result = await checkSpec({ spec: { path: "specs/raft/MCRaft.tla" }, workers: 2 });
 * if (result.verdict !== "ok") console.log(toTLCText(result.trace ?? [], model));
 * ```
 *
 * @module
 */
import { searchSequential, secondsSince } from "./check/bfs.js";
import { describeError } from "./check/errors.js";
import { coreLoadModel, type LoadOptions } from "./check/loader.js";
import type { ModelSource } from "./check/model-source.js";
import type { WorkerPool } from "./check/parallel.js";
import type { CheckError, CheckResult, ContinuedViolation, Progress } from "./check/types.js";
import type { SearchObserver } from "./check/explorer.js";
import type { ShareStats } from "./check/level-share.js";
import type { CompiledModel, SearchStats } from "./model.js";
import type { LivenessSpec } from "./check/liveness.js";
import { solutionsOf } from "./check/live/normalize.js";
import { freshSeed } from "./check/rng.js";
import { simulateModel, type SimulateResult, type SimulationSettings } from "./check/simulate.js";

export type { CheckResult, CheckError, ContinuedViolation, Progress, TraceStep, Verdict } from "./check/types.js";
export type { SearchObserver } from "./check/explorer.js";
export type { LoadOptions, SourceInput } from "./check/loader.js";
export type { ModelSource } from "./check/model-source.js";
export type { SimulateResult, SimulationSettings, SimulationProgress } from "./check/simulate.js";
export { simulateModel } from "./check/simulate.js";

/** Options of {@link simulate}: where the spec is, and how to walk it. */
export interface SimulateOptions extends LoadOptions, SimulationSettings {}

/**
 * Load a spec and run random walks over it (TLC's `-simulate`): `num` walks (default 1000) of up
 * to `depth` states (default 100) from `seed` (default fresh; reported in the result).
 */
export async function simulate(opts: SimulateOptions): Promise<SimulateResult> {
  const startMs = performance.now();
  const seed = opts.seed ?? freshSeed();
  let model: CompiledModel;
  try {
    // Temporal properties are checked on every walk, as TLC's simulator does.
    model = await (await coreLoadModel())({ ...opts, temporal: true });
  } catch (err) {
    const error = describeError(err);
    return { verdict: error.kind === "assume" ? "assume" : "error", name: null, seed, traces: 0, states: 0, depth: 0, traceLength: null, trace: null, seconds: secondsSince(startMs), error };
  }
  const result = simulateModel(model, { ...opts, seed });
  return { ...result, seconds: secondsSince(startMs) };
}

/** Search options shared by {@link checkSpec} and {@link checkModel}. */
export interface SearchSettings {
  /** Worker threads (Node only); default 1. Counts and verdicts do not depend on it. */
  workers?: number;
  /** Override the cfg's CHECK_DEADLOCK (TLC's default is to check). */
  deadlock?: boolean;
  /** Called every `progressIntervalMs` (default 2000) with the running figures. */
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  /**
   * Stop after this many distinct states; when no error was found by then the verdict is
   * `incomplete` (and `complete: false`): the state space was not exhausted.
   */
  maxStates?: number;
  /** Called once per soundness warning before the search starts (they also land in `CheckResult.warnings`). */
  onWarning?: (warning: string) => void;
  /** Initial fingerprint table size in slots for the parallel search (it grows as needed). */
  tableSlots?: number;
  /**
   * Parallel search only: called at the end with each participant's work-sharing figures
   * (states expanded, batches handed over; index 0 is the calling thread).
   */
  onShareStats?: (stats: ShareStats[]) => void;
  /** Watch every step of the search (TLC's `-dump`, `-coverage`); needs `workers: 1`. */
  observer?: SearchObserver;
  /**
   * TLC's `-continue`: report each invariant or action property violation here, with its trace,
   * and go on searching; the result carries the first one and the count
   * (`CheckResult.violations`). Needs `workers: 1`.
   */
  onViolation?: (v: ContinuedViolation) => void;
  /**
   * TLC's `-dfid N`: depth-first iterative deepening down to depth N instead of breadth-first
   * search (see `check/dfid.ts`), on one worker; `onDfidLevel` hears each iteration start.
   * Temporal properties are refused with it, as TLC refuses them.
   */
  dfid?: number;
  onDfidLevel?: (level: number, generated: number, distinct: number) => void;
}

/** Options of {@link checkSpec}: where the spec is, and how to search it. */
export interface CheckOptions extends LoadOptions, SearchSettings {}

/** Options of {@link checkModel}. */
export interface ModelCheckOptions extends SearchSettings {
  /** How worker threads rebuild the model; required when `workers > 1`. */
  source?: ModelSource;
  print?: (line: string) => void;
}

/**
 * Load a spec with its cfg and model-check it. Load failures come back as verdict `error` (or
 * `assume` for a false ASSUME) with the location, never as a thrown exception.
 */
export async function checkSpec(opts: CheckOptions): Promise<CheckResult> {
  const startMs = performance.now();
  const source: ModelSource = { kind: "load", options: portableLoadOptions(opts) };
  // A parallel search's worker threads build their models while this thread builds its own.
  const workers = opts.workers ?? 1;
  const parallel = Number.isInteger(workers) && workers > 1 && opts.dfid === undefined && !opts.observer && !opts.onViolation;
  const pool = parallel ? new (await import("./check/parallel.js")).WorkerPool(source, workers, opts.print ?? ((line) => console.log(line))) : undefined;
  try {
    return await loadAndCheck(opts, source, startMs, pool);
  } finally {
    await pool?.close();
  }
}

async function loadAndCheck(opts: CheckOptions, source: ModelSource, startMs: number, pool: WorkerPool | undefined): Promise<CheckResult> {
  let model: CompiledModel;
  try {
    const loadModel = await coreLoadModel();
    model = await loadModel({ ...opts, temporal: true });
  } catch (err) {
    const error = describeError(err);
    return {
      verdict: error.kind === "assume" ? "assume" : "error",
      name: null,
      distinct: 0,
      generated: 0,
      depth: 0,
      queue: 0,
      traceLength: null,
      seconds: secondsSince(startMs),
      trace: null,
      complete: false,
      error,
    };
  }
  const result = await checkModelWith(model, { ...opts, source }, pool);
  return { ...result, seconds: secondsSince(startMs) };
}

/** TLC's warning (tlc2.output.MP, verbatim) for temporal properties checked under SYMMETRY. */
export const SYMMETRY_LIVENESS_WARNING =
  "Declaring symmetry during liveness checking is dangerous. It might cause TLC to miss violations of the stated liveness properties. Please check liveness without symmetry defined.";

/**
 * The same warning for VIEW. TLC 2.20 prints nothing for VIEW, but a view merges states that
 * differ in the hidden variables just as symmetry merges permuted ones, so the liveness verdict
 * is unsound in general for the same reason; issue 6 asks not to stay silent.
 */
export const VIEW_LIVENESS_WARNING =
  "Declaring a VIEW during liveness checking is dangerous. It might cause the checker to miss violations of the stated liveness properties. Please check liveness without a VIEW defined.";

/** Soundness warnings for a model about to be checked (empty when there is nothing to say). */
export function livenessWarnings(model: CompiledModel): string[] {
  const liveness = (model as { liveness?: LivenessSpec }).liveness;
  if (!liveness || liveness.properties.length === 0) return [];
  const out: string[] = [];
  if (model.symmetry.length > 0) out.push(SYMMETRY_LIVENESS_WARNING);
  if (model.view) out.push(VIEW_LIVENESS_WARNING);
  return out;
}

/**
 * After a clean safety search, check the temporal properties the core compiled (as TLC does,
 * liveness is only reported when no safety error was found).
 */
async function withLiveness(model: CompiledModel, result: CheckResult): Promise<CheckResult> {
  const liveness = (model as { liveness?: LivenessSpec }).liveness;
  if (result.verdict !== "ok" || !result.complete || !liveness || liveness.properties.length === 0) return result;
  const { checkLiveness } = await import("./check/liveness.js");
  let outcome;
  try {
    outcome = checkLiveness(model, liveness);
  } catch (err) {
    return { ...result, verdict: "error", error: describeError(err) };
  }
  if (outcome.ok) return result;
  if ("unsupported" in outcome) return { ...result, verdict: "error", error: { kind: "unsupported", message: outcome.unsupported } };
  // TLC stops its state search where it met a finite counterexample; it reports those figures.
  const found = { ...result, ...(outcome.counts ?? {}), verdict: "liveness" as const, name: outcome.name, trace: outcome.trace, traceLength: outcome.trace.length };
  // A finite counterexample (TLC's accepting-tableau shortcut) has no loop.
  if (outcome.loopIndex === null) return found;
  return { ...found, loopIndex: outcome.loopIndex, ...(outcome.stutterLoop ? { stutterLoop: true } : {}) };
}

/**
 * Model-check a model that is already loaded (or built by hand). A model loaded with
 * `temporal: true` also has its liveness properties checked after a clean safety search.
 */
export async function checkModel(model: CompiledModel, opts: ModelCheckOptions = {}): Promise<CheckResult> {
  return checkModelWith(model, opts, undefined);
}

/** {@link checkModel}, with the worker threads of a parallel search already started (`pool`; closed by the caller). */
async function checkModelWith(model: CompiledModel, opts: ModelCheckOptions, pool: WorkerPool | undefined): Promise<CheckResult> {
  const startMs = performance.now();
  model.activate?.();
  const deadlock = opts.deadlock ?? model.checkDeadlock;
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const settings = {
    deadlock,
    ...(opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.progressIntervalMs !== undefined ? { progressIntervalMs: opts.progressIntervalMs } : {}),
    ...(opts.print ? { print: opts.print } : {}),
    ...(opts.observer ? { observer: opts.observer } : {}),
    ...(opts.onViolation ? { onViolation: opts.onViolation } : {}),
  };
  if ((opts.observer || opts.onViolation) && workers > 1) throw new RangeError("checkModel: observer and onViolation need workers: 1");
  // As TLC, the temporal properties are put in normal form before the search: a formula the
  // liveness checker cannot take, or a tautology, is reported at once, not after a long search.
  const liveness = (model as { liveness?: LivenessSpec }).liveness;
  if (liveness && liveness.properties.length > 0) {
    try {
      solutionsOf(liveness.fairness, liveness.properties);
    } catch (err) {
      return { verdict: "error", name: null, distinct: 0, generated: 0, depth: 0, queue: 0, traceLength: null, seconds: 0, trace: null, complete: false, error: describeError(err) };
    }
  }
  const warnings = [...((model as { warnings?: readonly string[] }).warnings ?? []), ...livenessWarnings(model)];
  // Warn before the search, as TLC does, so a long run does not hide it until the end.
  if (opts.onWarning) for (const w of warnings) opts.onWarning(w);
  const withWarnings = (r: CheckResult): CheckResult => (warnings.length > 0 ? { ...r, warnings } : r);
  const finish = async (r: CheckResult): Promise<CheckResult> => (model.activate?.(), withWarnings(withPostconditions(model, await withLiveness(model, incomplete(r)), startMs)));
  if (opts.dfid !== undefined) {
    if (liveness && liveness.properties.length > 0) {
      return { verdict: "error", name: null, distinct: 0, generated: 0, depth: 0, queue: 0, traceLength: null, seconds: 0, trace: null, complete: false, error: { kind: "unsupported", message: "depth-first iterative deepening (-dfid) does not check temporal properties (TLC refuses them too); check them with the breadth-first search" } };
    }
    const { searchDfid } = await import("./check/dfid.js");
    return finish(searchDfid(model, { maxDepth: opts.dfid, deadlock, ...(opts.print ? { print: opts.print } : {}), ...(opts.onDfidLevel ? { onLevel: opts.onDfidLevel } : {}) }));
  }
  if (workers === 1) return finish(searchSequential(model, settings));
  if (!opts.source) throw new Error("checkModel: workers > 1 needs opts.source, so that each worker can rebuild the model");
  // Node-only: imported on demand so a browser bundle never sees worker_threads.
  const { searchParallel } = await import("./check/parallel.js");
  return finish(await searchParallel(model, opts.source, { ...settings, workers, ...(opts.tableSlots ? { tableSlots: opts.tableSlots } : {}), ...(opts.onShareStats ? { onShareStats: opts.onShareStats } : {}) }, pool));
}

/**
 * After a search that found no error, the cfg's POSTCONDITIONs, with `TLCGet("stats")` the final
 * figures and `TLCGet("level")` 0, as TLC evaluates them. TLC reports a false one as a false
 * assumption (exit status 10).
 */
function withPostconditions(model: CompiledModel, result: CheckResult, startMs: number): CheckResult {
  if (result.verdict !== "ok" || !model.postconditions || model.postconditions.length === 0) return result;
  const stats: SearchStats = {
    generated: result.generated,
    distinct: result.distinct,
    queue: result.queue,
    diameter: result.depth,
    initial: result.initial ?? 0,
    durationSeconds: secondsSince(startMs),
  };
  for (const p of model.postconditions) {
    let holds: boolean;
    try {
      holds = p.holds([], { level: 0, stats: () => stats });
    } catch (err) {
      return { ...result, verdict: "error", name: p.name, error: describeError(err) };
    }
    if (!holds) {
      const error: CheckError = { kind: "postcondition", message: `POSTCONDITION ${p.name} is false` };
      if (p.location) error.location = p.location;
      return { ...result, verdict: "postcondition", name: p.name, error };
    }
  }
  return result;
}

/** A search that found no error but stopped early (`maxStates`) proves nothing: verdict `incomplete`. */
function incomplete(r: CheckResult): CheckResult {
  return r.verdict === "ok" && !r.complete ? { ...r, verdict: "incomplete" } : r;
}

/** The part of LoadOptions that can be posted to a worker (functions cannot). */
function portableLoadOptions(opts: LoadOptions): LoadOptions {
  const out: LoadOptions = { spec: opts.spec, temporal: true };
  if (opts.cfg) out.cfg = opts.cfg;
  if (opts.libDirs) out.libDirs = opts.libDirs;
  if (opts.modules) out.modules = opts.modules;
  if (opts.properties) out.properties = opts.properties;
  if (opts.invariants) out.invariants = opts.invariants;
  if (opts.invariantExpressions) out.invariantExpressions = opts.invariantExpressions;
  return out;
}

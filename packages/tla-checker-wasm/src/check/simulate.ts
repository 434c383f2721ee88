/**
 * Simulation: random walks through the state graph, as TLC's `-simulate`. Each walk starts in a
 * random initial state and takes up to `depth - 1` random steps. Invariants are checked on every
 * generated state and action properties on every step, like the exhaustive search; a walk ends
 * early when the chosen state has no successor (a deadlock, if deadlocks are checked) or all its
 * successors are outside the constraints. Temporal properties are checked on every walk once it
 * ends, as TLC's simulator does (`checkTraceLiveness`): a violation is a lasso within the walk
 * (a cycle it closes, or stuttering where fairness allows it). The same seed gives the same
 * walks. Browser-safe.
 *
 * @module
 */
import { TlaError, type CompiledModel, type EvalContext, type State, type Successor } from "../model.js";
import { clearExitRequest, exitRequested } from "../values/process-state.js";
import { checkTraceLiveness, type LivenessSpec } from "./liveness.js";
import { solutionsOf } from "./live/normalize.js";
import type { LiveSolution } from "./live/solution.js";
import { secondsSince } from "./bfs.js";
import { describeError } from "./errors.js";
import { satisfiesConstraints } from "./explorer.js";
import { randomIndex, seededRandom } from "./rng.js";
import type { CheckError, TraceStep, Verdict } from "./types.js";

/** Options of a simulation run. */
export interface SimulationSettings {
  /** States per walk, the initial one included (TLC's `-depth`); default 100. */
  depth?: number;
  /** Number of walks; default 1000. */
  num?: number;
  /**
   * Seed of the random choices, any 64-bit integer (TLC's `-seed` is a Java long; a bigint beyond
   * the safe integers); default a fresh one (reported in the result).
   */
  seed?: number | bigint;
  /** Override the cfg's CHECK_DEADLOCK. */
  deadlock?: boolean;
  /** Stop after this many seconds even if fewer walks were made. */
  maxSeconds?: number;
  /** Called every `progressIntervalMs` (default 2000). */
  onProgress?: (p: SimulationProgress) => void;
  progressIntervalMs?: number;
  print?: (line: string) => void;
}

/** Running figures of a simulation. */
export interface SimulationProgress {
  traces: number;
  states: number;
  seconds: number;
}

/** What a simulation returns. */
export interface SimulateResult {
  verdict: Verdict;
  name: string | null;
  /** The seed used: pass it back to replay exactly these walks. */
  seed: number | bigint;
  /** Walks completed or cut short by the violation. */
  traces: number;
  /** States generated over all walks (initial states and every successor). */
  states: number;
  /** Length of the longest walk, in states. */
  depth: number;
  traceLength: number | null;
  trace: TraceStep[] | null;
  /** For a temporal property violated by a walk: the lasso's loop (see `CheckResult.loopIndex`). */
  loopIndex?: number;
  /** See `CheckResult.stutterLoop`. */
  stutterLoop?: boolean;
  seconds: number;
  error?: CheckError;
  /** `exit`: the spec ended the simulation with `TLCSet("exit", TRUE)` (after the walk in progress). */
  stoppedBy?: "exit";
}

/** Run random walks over `model`. */
export function simulateModel(model: CompiledModel, settings: SimulationSettings & { seed: number | bigint }): SimulateResult {
  const startMs = performance.now();
  model.activate?.();
  clearExitRequest();
  const depthMax = settings.depth ?? 100;
  const num = settings.num ?? 1000;
  if (!Number.isInteger(depthMax) || depthMax < 1) throw new RangeError(`depth must be a positive integer, got ${depthMax}`);
  if (!Number.isInteger(num) || num < 1) throw new RangeError(`num must be a positive integer, got ${num}`);
  const deadlock = settings.deadlock ?? model.checkDeadlock;
  const random = seededRandom(settings.seed);
  const context = (level: number): EvalContext => {
    const ctx: EvalContext = { level, random };
    if (settings.print) ctx.print = settings.print;
    return ctx;
  };
  let states = 0;
  let longest = 0;
  let lastReportMs = startMs;
  const result = (verdict: Verdict, name: string | null, traces: number, trace: TraceStep[] | null, error?: CheckError): SimulateResult => {
    if (trace && trace.length > longest) longest = trace.length;
    const r: SimulateResult = {
      verdict,
      name,
      seed: settings.seed,
      traces,
      states,
      depth: longest,
      traceLength: trace ? trace.length : null,
      trace,
      seconds: secondsSince(startMs),
    };
    if (error) r.error = error;
    return r;
  };

  // Temporal properties in TLC's normal form, once: each walk is checked against them when it ends.
  const liveness = (model as { liveness?: LivenessSpec }).liveness;
  let solutions: LiveSolution[] = [];
  if (liveness && liveness.properties.length > 0) {
    try {
      solutions = solutionsOf(liveness.fairness, liveness.properties);
    } catch (err) {
      return result("error", null, 0, null, describeError(err));
    }
  }
  const checkWalk = (walk: number, trace: TraceStep[]): SimulateResult | null => {
    if (solutions.length === 0) return null;
    let outcome;
    try {
      outcome = checkTraceLiveness(model, solutions, liveness!.properties, trace);
    } catch (err) {
      const error = describeError(err);
      if (err instanceof TlaError && err.phase === undefined) error.phase = "liveness";
      return result("error", null, walk + 1, trace, error);
    }
    if (outcome.ok) return null;
    if ("unsupported" in outcome) return result("error", null, walk + 1, null, { kind: "unsupported", message: outcome.unsupported });
    const r = result("liveness", outcome.name, walk + 1, outcome.trace);
    if (outcome.loopIndex !== null) r.loopIndex = outcome.loopIndex;
    if (outcome.stutterLoop) r.stutterLoop = true;
    return r;
  };

  let inits: Successor[];
  try {
    inits = model.initStates(context(1));
  } catch (err) {
    return result("error", null, 0, [], describeError(err));
  }
  // Every initial state is reachable: check them all once, as TLC does before simulating. TLC's
  // simulator does not check implied initial predicates (state-level PROPERTY conjuncts; TLC 2.20
  // simulates a spec whose initial state violates one without error), so neither do we.
  const startable: Successor[] = [];
  for (const init of inits) {
    states++;
    const trace = [{ label: init.label, state: init.state }];
    try {
      for (const inv of model.invariants) if (!inv.holds(init.state, context(1))) return result("invariant", inv.name, 0, trace);
      if (satisfiesConstraints(model, null, init.state, context(1))) startable.push(init);
    } catch (err) {
      return result("error", null, 0, trace, describeError(err));
    }
  }
  if (startable.length === 0) return result("ok", null, 0, null);

  for (let walk = 0; walk < num; walk++) {
    const first = startable[randomIndex(random, startable.length)];
    const trace: TraceStep[] = [{ label: first.label, state: first.state }];
    let state: State = first.state;
    while (trace.length < depthMax) {
      const level = trace.length;
      let succs: Successor[];
      try {
        succs = model.successors(state, context(level));
      } catch (err) {
        return result("error", null, walk + 1, trace, describeError(err));
      }
      if (succs.length === 0) {
        if (deadlock) return result("deadlock", null, walk + 1, trace);
        break;
      }
      const ctx = context(level + 1);
      const inModel: Successor[] = [];
      for (const succ of succs) {
        states++;
        try {
          for (const inv of model.invariants) {
            if (!inv.holds(succ.state, ctx)) return result("invariant", inv.name, walk + 1, [...trace, succ]);
          }
          for (const prop of model.actionProperties) {
            if (!prop.holds(state, succ.state, ctx)) return result("property", prop.name, walk + 1, [...trace, succ]);
          }
          if (satisfiesConstraints(model, state, succ.state, ctx)) inModel.push(succ);
        } catch (err) {
          return result("error", null, walk + 1, [...trace, succ], describeError(err));
        }
      }
      if (inModel.length === 0) break;
      const chosen = inModel[randomIndex(random, inModel.length)];
      trace.push({ label: chosen.label, state: chosen.state });
      state = chosen.state;
      if (exitRequested()) break;
    }
    if (trace.length > longest) longest = trace.length;
    const violated = checkWalk(walk, trace);
    if (violated) return violated;
    // TLCSet("exit", TRUE): TLC's simulator stops its workers; the walk it was in is the last.
    if (exitRequested()) return { ...result("ok", null, walk + 1, null), stoppedBy: "exit" };
    const now = performance.now();
    if (settings.onProgress && now - lastReportMs >= (settings.progressIntervalMs ?? 2000)) {
      lastReportMs = now;
      settings.onProgress({ traces: walk + 1, states, seconds: secondsSince(startMs) });
    }
    if (settings.maxSeconds !== undefined && secondsSince(startMs) >= settings.maxSeconds) return result("ok", null, walk + 1, null);
  }
  return result("ok", null, num, null);
}

/**
 * `num` random walks of up to `depth` states each, from `seed`, without checking anything: the
 * behaviours themselves, for replaying on implementations. Steps outside the constraints are
 * never taken; a walk ends early where no step is possible.
 *
 * @example
 * ```ts
 * for (const walk of randomWalks(model, { seed: 7, num: 100, depth: 30 })) replay(walk);
 * ```
 */
export function randomWalks(model: CompiledModel, settings: { seed: number | bigint; num?: number; depth?: number }): TraceStep[][] {
  model.activate?.();
  clearExitRequest();
  const depthMax = settings.depth ?? 100;
  const num = settings.num ?? 100;
  const random = seededRandom(settings.seed);
  const ctx = (level: number): EvalContext => ({ level, random });
  const inits = model.initStates(ctx(1)).filter((s) => satisfiesConstraints(model, null, s.state, ctx(1)));
  const walks: TraceStep[][] = [];
  if (inits.length === 0) return walks;
  for (let w = 0; w < num; w++) {
    const first = inits[randomIndex(random, inits.length)];
    const walk: TraceStep[] = [{ label: first.label, state: first.state }];
    while (walk.length < depthMax) {
      const from = walk[walk.length - 1].state;
      const next = model.successors(from, ctx(walk.length)).filter((s) => satisfiesConstraints(model, from, s.state, ctx(walk.length + 1)));
      if (next.length === 0) break;
      const chosen = next[randomIndex(random, next.length)];
      walk.push({ label: chosen.label, state: chosen.state });
    }
    walks.push(walk);
  }
  return walks;
}

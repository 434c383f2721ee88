/**
 * Liveness checking the way TLC does it, so that verdicts and counterexample lassos agree with
 * TLC's (with `-fp 0`, see `live/tlc-order.ts`).
 *
 * The formula side (`live/normalize.ts`) turns `Fairness => Properties` into TLC's solutions: the
 * negation in disjunctive normal form, grouped by tableau, each with its possible error models
 * (`live/solution.ts`). The graph side, here and in `live/`, builds the behaviour graph in TLC's
 * order (`live/graph.ts`), searches each solution's graph for a bad strongly connected component,
 * error model by error model (`live/scc.ts`), and prints the first one found as TLC's lasso
 * (`live/counterexample.ts`). Like TLC 2.20, a solution whose tableau reaches an accepting node (the
 * rest of the formula holds whatever follows) is reported with a finite trace and no loop
 * (`loopIndex: null`) and the state-search figures TLC had when it stopped there, but only when
 * the prefix is bad for the property on every fair extension (see `checkSolutions`): TLC 2.20
 * also reports it when the error model still asks something of the cycle, that is for
 * properties that hold; there we search cycles instead, as TLC's current source does. The counterexample is named after the first cfg PROPERTY it violates
 * (`live/violated.ts`).
 *
 * Memory (issue 6): the state graph keeps per state a fingerprint, two offsets and one bit per
 * predicate (16 bytes plus the bits and the fingerprint index), per step its target and its
 * position in TLC's order (about 8 bytes) and one bit per action predicate; the graph a solution is
 * searched on adds 16 bytes per node and 8 per edge (4 per edge without a tableau), built one
 * solution at a time. States are re-derived from fingerprints only for a counterexample.
 * TLC checks liveness periodically on partial graphs of big models; we check once, on the whole
 * graph, after a clean safety search. Browser-safe.
 *
 * @module
 */
import { TlaError, type CompiledModel, type EvalContext, type State } from "../model.js";
import { satisfiesConstraints } from "./explorer.js";
import type { LiveFormula } from "../eval/temporal.js";
import type { TraceStep } from "./types.js";
import { finiteTraceTo, lassoOf, traceOf } from "./live/counterexample.js";
import { buildStateGraph, GraphTooLarge, nodeGraph, type StateGraph } from "./live/graph.js";
import { solutionsOf } from "./live/normalize.js";
import { findBadComponent } from "./live/scc.js";
import { firstViolated } from "./live/violated.js";
import type { LiveSolution } from "./live/solution.js";

/** The liveness material the core attaches to a loaded model (`LoadedModel.liveness`). */
export interface LivenessSpec {
  fairness: LiveFormula[];
  properties: { name: string; formula: LiveFormula }[];
}

/** The outcome of {@link checkLiveness}. */
export type LivenessOutcome =
  | { ok: true; states: number }
  | {
      ok: false;
      name: string;
      trace: TraceStep[];
      loopIndex: number | null;
      /** TLC ends the lasso with `State k: Stuttering` though it cycles (see `CheckResult.stutterLoop`). */
      stutterLoop?: boolean;
      states: number;
      /** For a finite counterexample: TLC's state-search figures at the point it stopped (it reports those). */
      counts?: SearchCounts;
    }
  | { ok: false; unsupported: string };

const ctx: EvalContext = { level: 1 };

/**
 * Check the liveness properties of `model` under its fairness. `maxStates` bounds the graph
 * (default 10,000,000 states; a JS Map holds at most 2^24 entries).
 */
export function checkLiveness(model: CompiledModel, spec: LivenessSpec, maxStates = 10_000_000): LivenessOutcome {
  if (spec.properties.length === 0) return { ok: true, states: 0 };
  let solutions: LiveSolution[];
  try {
    solutions = solutionsOf(spec.fairness, spec.properties);
  } catch (err) {
    if (err instanceof TlaError && err.kind === "unsupported") return { ok: false, unsupported: `liveness checking does not support ${err.message}` };
    throw err;
  }
  return checkSolutions(model, solutions, maxStates, spec.properties);
}

/**
 * Check one finite behaviour against the temporal properties, as TLC's simulator does after each
 * trace (LiveCheck.checkTrace): the behaviour graph has the trace's states, each step of the trace,
 * and a stuttering step at every state but the last (which has no step at all, so a violation
 * needs a cycle the trace closes or a state it may stutter in). Fairness applies as usual.
 */
export function checkTraceLiveness(model: CompiledModel, solutions: readonly LiveSolution[], properties: LivenessSpec["properties"], trace: readonly TraceStep[]): LivenessOutcome {
  if (trace.length === 0 || solutions.length === 0) return { ok: true, states: 0 };
  const fp = (s: State): bigint => model.values.fingerprintState(s);
  const steps = new Map<bigint, TraceStep[]>();
  for (let i = 0; i + 1 < trace.length; i++) {
    const key = fp(trace[i]!.state);
    const out = steps.get(key) ?? [];
    if (!out.some((t) => fp(t.state) === fp(trace[i + 1]!.state))) out.push(trace[i + 1]!);
    steps.set(key, out);
  }
  const behaviour: CompiledModel = {
    ...model,
    // The trace's own states are the graph's nodes: its steps are keyed by the states themselves.
    view: undefined,
    constraints: [],
    actionConstraints: [],
    initStates: () => [{ label: trace[0]!.label, state: trace[0]!.state }],
    successors: (s) => (steps.get(fp(s)) ?? []).map((t) => ({ label: t.label, state: t.state })),
  };
  return checkSolutions(behaviour, solutions, trace.length + 1, properties, (s) => steps.has(fp(s)));
}

/** The figures of a state search: what TLC prints when it stops. */
export interface SearchCounts {
  generated: number;
  distinct: number;
  depth: number;
  queue: number;
}

/**
 * TLC's figures when it stops right after expanding the state numbered `last` (in its
 * breadth-first order): every initial state and successor generated so far counts, duplicates and
 * states outside the constraints included; distinct states are those found; the queue holds those
 * found but not expanded; depth is the highest level holding one. The graph keeps no counts, so
 * the search is re-run that far (this happens once, for a counterexample).
 */
function countsAfter(model: CompiledModel, last: number): SearchCounts {
  const seen = new Set<bigint>();
  const frontier: State[] = [];
  const level: number[] = [];
  let generated = 0;
  const add = (st: State, from: State | null, lv: number): void => {
    generated++;
    if (!satisfiesConstraints(model, from, st, ctx)) return;
    const fp = model.values.fingerprintState(st);
    if (seen.has(fp)) return;
    seen.add(fp);
    frontier.push(st);
    level.push(lv);
  };
  for (const init of model.initStates(ctx)) add(init.state, null, 1);
  for (let v = 0; v <= last && v < frontier.length; v++) {
    for (const succ of model.successors(frontier[v]!, ctx)) add(succ.state, frontier[v]!, level[v]! + 1);
  }
  return { generated, distinct: frontier.length, depth: level.length > 0 ? level[level.length - 1]! : 0, queue: frontier.length - (last + 1) };
}

/**
 * The name reported for a counterexample: the first cfg PROPERTY it violates (TLC names none), else
 * the property the error model came from.
 */
function nameOf(properties: LivenessSpec["properties"], trace: readonly TraceStep[], loop: number | null, fallback: string): string {
  return firstViolated(properties, trace.map((t) => t.state), loop, ctx) ?? fallback;
}

/**
 * Search `model`'s behaviour graph for a counterexample to any of `solutions`, in order (TLC's
 * LiveCheck with one worker: solution by solution, error model by error model).
 */
export function checkSolutions(
  model: CompiledModel,
  solutions: readonly LiveSolution[],
  maxStates = 10_000_000,
  properties: LivenessSpec["properties"] = [],
  stutters?: (state: State) => boolean,
): LivenessOutcome {
  let g: StateGraph;
  try {
    g = buildStateGraph(model, solutions, maxStates, ctx, stutters);
  } catch (err) {
    if (err instanceof GraphTooLarge) return { ok: false, unsupported: `liveness checking stopped: the state graph has more than ${maxStates} states` };
    throw err;
  }
  // TLC meets an accepting tableau node while it explores states, before any cycle search: the
  // solution whose graph met one at the earliest state wins. Only then are all graphs needed at once.
  // TLC 2.20 takes this shortcut whatever the error model still asks of the cycle, and so reports
  // properties that hold; TLC's current source requires an empty error model. We take it when some
  // error model asks only what the specification's fairness asks (`propertyConditions` false):
  // fairness is machine-closed, so the prefix has a fair extension and every extension violates
  // the property. This keeps TLC 2.20's finite traces for pure-tableau properties such as
  // `[](P => []Q)` under WF/SF, and searches cycles everywhere else.
  const finiteModels = (s: LiveSolution) => (s.tableau?.nodes.some((t) => t.accepting === true) ? s.pems.filter((p) => p.propertyConditions === false) : []);
  const mayAccept = solutions.some((s) => finiteModels(s).length > 0);
  const graphs = mayAccept ? solutions.map((solution, si) => nodeGraph(g, solution, si, finiteModels(solution).length > 0)) : null;
  if (graphs) {
    const candidates = graphs
      .map((graph, si) => si)
      .filter((si) => graphs[si]!.accepting !== -1)
      .sort((a, b) => graphs[a]!.acceptingAt - graphs[b]!.acceptingAt || a - b);
    const si = candidates[0];
    if (si !== undefined) {
      const graph = graphs[si]!;
      const trace = traceOf(model, g, finiteTraceTo(graph, graph.accepting), ctx);
      // Named after a property the prefix is bad for (not merely one its stuttering violates).
      const pems = finiteModels(solutions[si]!);
      const bad = new Set(pems.flatMap((p) => p.properties ?? [p.property]));
      const name = firstViolated(properties.filter((p) => bad.has(p.name)), trace.map((t) => t.state), null, ctx) ?? pems[0]!.property;
      return { ok: false, name, trace, loopIndex: null, states: g.n, counts: countsAfter(model, graph.acceptingAt) };
    }
  }
  for (const [si, solution] of solutions.entries()) {
    const graph = graphs ? graphs[si]! : nodeGraph(g, solution, si);
    for (const pem of solution.pems) {
      const c = { graph, bits: g.bits[si]!, solution, pem };
      const bad = findBadComponent(c);
      if (!bad) continue;
      const lasso = lassoOf(c, bad);
      const trace = traceOf(model, g, lasso.states, ctx);
      return { ok: false, name: nameOf(properties, trace, lasso.loopIndex, pem.property), trace, loopIndex: lasso.loopIndex, ...(lasso.stutterLoop ? { stutterLoop: true } : {}), states: g.n };
    }
  }
  return { ok: true, states: g.n };
}

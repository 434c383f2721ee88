/**
 * Check 1, spec → implementation (model-based testing): traces of the spec — random walks, and a
 * set of traces that together reach every distinct state of a bounded model — are replayed on
 * fresh implementation nodes through an {@link Adapter}; after every step the abstracted
 * implementation state must equal the spec state (the checker's own equality).
 *
 * @module
 */
import { coveringTraces, type CompiledModel, type State, type Successor } from "@synod/tla-checker-wasm";
import { AdapterError, diffStates, formatAction, type Adapter, type SpecAction, type StateDiff } from "./adapter.js";
import { SeededRng } from "@synod/protocol";

/** Where a replay went wrong. */
export interface ReplayMismatch {
  /** Which trace (walk number, or coverage trace number). */
  trace: string;
  /** 0 = initial state, k = after the k-th action. */
  step: number;
  /** The actions up to and including the failing one, formatted. */
  actions: string[];
  /** The implementation refused the action, or its state differs. */
  problem: string;
  /** Variables that differ (empty when the implementation refused or threw). */
  diff: StateDiff[];
}

/** What a replay run covered. */
export interface ReplayReport {
  /** Traces replayed. */
  traces: number;
  /** Spec steps replayed, over all traces. */
  steps: number;
  /** Distinct spec states visited (concrete states; see `coverage` for symmetry-reduced counts). */
  distinctStates: number;
  /** How often each spec action was replayed. */
  actions: Record<string, number>;
  /** Spec actions that the model has but no replayed trace took. */
  uncovered: string[];
  /** The first disagreement, or null when every step agreed. */
  mismatch: ReplayMismatch | null;
  /** Wall-clock duration. */
  seconds: number;
}

/** Renders a mismatch for humans: the trace, the step, and the variables that differ. */
export function formatMismatch(m: ReplayMismatch): string {
  const lines = [`${m.trace}, step ${m.step}: ${m.problem}`, "  trace:"];
  m.actions.forEach((a, k) => lines.push(`    ${k + 1}. ${a}`));
  for (const d of m.diff) lines.push(`  ${d.variable}:`, `    spec: ${d.expected}`, `    impl: ${d.actual}`);
  return lines.join("\n");
}

/** Replays traces of one model on one adapter and accumulates coverage. */
export class TraceReplayer<Impl> {
  private readonly seen = new Set<bigint>();
  private readonly actionCounts = new Map<string, number>();
  private traces = 0;
  private steps = 0;

  constructor(
    private readonly model: CompiledModel,
    private readonly adapter: Adapter<Impl>,
  ) {}

  /** Replay one trace (the initial state and the labelled steps after it). */
  replay(name: string, init: State, steps: readonly Successor[]): ReplayMismatch | null {
    this.traces++;
    const impl = this.adapter.create();
    const done: string[] = [];
    const check = (expected: State, step: number): ReplayMismatch | null => {
      this.seen.add(this.model.values.fingerprintState(expected));
      let actual: State;
      try {
        actual = this.adapter.abstract(impl);
      } catch (e) {
        return { trace: name, step, actions: [...done], problem: `abstraction failed: ${(e as Error).message}`, diff: [] };
      }
      const diff = diffStates(this.model, this.adapter.observable ? this.adapter.observable(expected) : expected, actual);
      return diff.length === 0 ? null : { trace: name, step, actions: [...done], problem: "implementation state differs from the spec state", diff };
    };
    let bad = check(init, 0);
    if (bad) return bad;
    for (let k = 0; k < steps.length; k++) {
      const s = steps[k] as Successor;
      done.push(formatAction(this.model, s.label as SpecAction));
      this.steps++;
      this.actionCounts.set(s.label.action, (this.actionCounts.get(s.label.action) ?? 0) + 1);
      try {
        this.adapter.apply(impl, s.label as SpecAction);
      } catch (e) {
        const why = e instanceof AdapterError ? e.message : `implementation threw: ${(e as Error).message}`;
        return { trace: name, step: k + 1, actions: [...done], problem: why, diff: [] };
      }
      bad = check(s.state, k + 1);
      if (bad) return bad;
    }
    return null;
  }

  /** The coverage so far. */
  report(allActions: readonly string[], mismatch: ReplayMismatch | null, seconds: number): ReplayReport {
    return {
      traces: this.traces,
      steps: this.steps,
      distinctStates: this.seen.size,
      actions: Object.fromEntries([...this.actionCounts].sort()),
      uncovered: allActions.filter((a) => !this.actionCounts.has(a)),
      mismatch,
      seconds,
    };
  }
}

/** Options for {@link randomWalks}. */
export interface WalkOptions {
  /** Seed of the walks' choices (same seed, same walks). */
  seed: number;
  /** Number of walks. */
  walks: number;
  /** Steps per walk at most. */
  depth: number;
}

/** The actions of the model's Next (the checker finds them statically). */
export function specActions(model: CompiledModel): readonly string[] {
  if (model.actions === undefined) throw new Error("the checker did not list the actions of Next: cannot report which were exercised");
  return model.actions;
}

/** Successors of `state` that satisfy the model's CONSTRAINTs. */
function boundedSuccessors(model: CompiledModel, state: State, level: number): Successor[] {
  const ctx = { level };
  return model.successors(state, ctx).filter((s) => model.constraints.every((c) => c.holds(s.state, ctx)));
}

/** Random walks over the spec (TLC's simulation mode), each replayed on fresh implementation nodes. */
export function randomWalks<Impl>(model: CompiledModel, adapter: Adapter<Impl>, opts: WalkOptions): ReplayReport {
  const t0 = performance.now();
  const rng = SeededRng.derive(opts.seed, "random-walks");
  const r = new TraceReplayer(model, adapter);
  const inits = model.initStates({ level: 1 });
  for (let w = 0; w < opts.walks; w++) {
    const init = (inits[rng.nextInt(0, inits.length - 1)] as Successor).state;
    const steps: Successor[] = [];
    let s = init;
    for (let d = 0; d < opts.depth; d++) {
      const next = boundedSuccessors(model, s, d + 2);
      if (next.length === 0) break;
      // Uniform over action names first, then over that action's successors: otherwise actions
      // with many instances (Restart, Timeout, DropMessage) drown out the rare ones (commit).
      const names = [...new Set(next.map((x) => x.label.action))];
      const name = names[rng.nextInt(0, names.length - 1)];
      const ofName = next.filter((x) => x.label.action === name);
      const pick = ofName[rng.nextInt(0, ofName.length - 1)] as Successor;
      steps.push(pick);
      s = pick.state;
    }
    const bad = r.replay(`walk ${w} (seed ${opts.seed})`, init, steps);
    if (bad) return r.report(specActions(model), bad, (performance.now() - t0) / 1000);
  }
  return r.report(specActions(model), null, (performance.now() - t0) / 1000);
}

/** A spec trace: an initial state and the labelled steps after it. */
export interface SpecTrace {
  /** The initial state. */
  init: State;
  /** Each step's action label and the state it leads to. */
  steps: Successor[];
}

/**
 * Traces that together reach every distinct state of the bounded model (symmetry-reduced when it
 * declares SYMMETRY): the checker's root-to-leaf paths of its BFS spanning tree, so each state is
 * reached by a shortest path.
 */
export function stateCoveringTraces(model: CompiledModel, maxStates = 2_000_000): SpecTrace[] {
  return coveringTraces(model, { maxStates }).map((t) => {
    const [init, ...steps] = t;
    if (init === undefined) throw new Error("coveringTraces returned an empty trace");
    return { init: init.state, steps: steps.map((x) => ({ label: x.label, state: x.state })) };
  });
}

/** How {@link replayCoverage} goes through the covering traces. */
export interface CoverageOptions {
  /** The model's covering traces when already computed ({@link stateCoveringTraces}), to share one BFS between passes. */
  traces?: readonly SpecTrace[];
  /**
   * Replay the longest traces first (ties in BFS order). For hunting a broken variant: a bug that
   * shows only after a long sequence of actions is met within the first few traces instead of the
   * last, while a clean build still replays every trace. Trace numbers stay those of BFS order.
   */
  deepestFirst?: boolean;
}

/** Replay every covering trace of the model. */
export function replayCoverage<Impl>(model: CompiledModel, adapter: Adapter<Impl>, options: CoverageOptions = {}): ReplayReport {
  const t0 = performance.now();
  const r = new TraceReplayer(model, adapter);
  const traces = options.traces ?? stateCoveringTraces(model);
  const order = traces.map((_, k) => k);
  if (options.deepestFirst === true) order.sort((a, b) => (traces[b] as SpecTrace).steps.length - (traces[a] as SpecTrace).steps.length || a - b);
  for (const k of order) {
    const t = traces[k] as SpecTrace;
    const bad = r.replay(`coverage trace ${k + 1} of ${traces.length}`, t.init, t.steps);
    if (bad) return r.report(specActions(model), bad, (performance.now() - t0) / 1000);
  }
  return r.report(specActions(model), null, (performance.now() - t0) / 1000);
}


/**
 * TLC's `-dfid N`: depth-first iterative deepening, with TLC's semantics for what is explored,
 * counted and reported (TLC's DFIDModelChecker, DFIDWorker and FPIntSet).
 *
 * Iteration L = 2, 3, ..., N searches depth first from every initial state down to depth L. Each
 * fingerprint keeps the iteration it was first found in and two flags: `done` (nothing new below
 * it) and `leveled` (finished in this iteration; the flag's meaning flips at every iteration, as
 * TLC's FPIntSet does). A state first found in this iteration counts as finished for it, so each
 * iteration expands only states known from earlier ones and discovers the next frontier. A state
 * is expanded again in every later iteration until it is done, and every expansion counts its
 * successors as generated: TLC's generated count, which grows faster than a breadth-first one.
 * The search ends when an iteration finds nothing new (complete), at a violation, or after
 * iteration N (then incomplete: the states deeper than N were not explored).
 *
 * TLC chooses the next initial state and successor at random (unseeded); tla-check takes them in
 * the order the spec enumerates them, so a run is reproducible. Counts of complete runs and
 * verdicts agree with TLC; which violation is found first, its trace and the counts at that
 * point may differ from one TLC run to another and from ours. Like TLC's, the trace of a
 * violation is the depth-first path (not a shortest one) and names no actions.
 *
 * @module
 */
import type { ActionLabel, CompiledModel, EvalContext, State, Successor } from "../model.js";
import { makeFingerprinter, fingerprintKey } from "./canonical.js";
import { describeError } from "./errors.js";
import { satisfiesConstraints } from "./explorer.js";
import { secondsSince } from "./bfs.js";
import type { CheckError, CheckResult, TraceStep, Verdict } from "./types.js";

/** Options of {@link searchDfid}. */
export interface DfidOptions {
  /** The deepest level searched (TLC's `-dfid N`); the initial states are level 1. */
  maxDepth: number;
  deadlock: boolean;
  print?: (line: string) => void;
  /**
   * Called as each iteration starts, with TLC's figures so far (TLC prints
   * `Starting level L: G states generated, D distinct states found.`).
   */
  onLevel?: (level: number, generated: number, distinct: number) => void;
}

const DONE = 1;
const LEVELED = 2;

/** Why the search stopped: a violation or error at `state` (reached through the stack), or none. */
interface Found {
  verdict: Exclude<Verdict, "ok" | "incomplete" | "liveness" | "assume" | "postcondition">;
  name: string | null;
  /** The states from an initial state to the offending one. */
  path: State[];
  error?: CheckError;
}

/** Depth-first iterative deepening over `model`, with TLC's counts. */
export function searchDfid(model: CompiledModel, options: DfidOptions): CheckResult {
  const startMs = performance.now();
  if (!Number.isInteger(options.maxDepth) || options.maxDepth < 1) throw new RangeError(`dfid depth must be a positive integer, got ${options.maxDepth}`);
  const fingerprint = makeFingerprinter(model);
  // TLC's FPIntSet: per fingerprint, (iteration found << 2) | leveled bit | done bit.
  const status = new Map<bigint, number>();
  let level = 1;
  let leveled = 0;
  let generated = 0;
  /** The deepest level at which a distinct state was found (the JSON line's depth; TLC prints none for -dfid). */
  let deepest = 0;
  const ctx = (lvl: number): EvalContext => (options.print ? { level: lvl, print: options.print } : { level: lvl });
  const isCompleted = (s: number) => (s & LEVELED) === leveled || (s & DONE) === DONE;
  const isLeafStatus = (s: number | undefined) => s === undefined || s >>> 2 === level;
  /** TLC's setStatus(fp, NEW): the old status, or undefined when the fingerprint is new (then added). */
  const visit = (key: bigint): number | undefined => {
    const old = status.get(key);
    if (old === undefined) status.set(key, (level << 2) | leveled);
    return old;
  };
  const result = (verdict: Verdict, found: Found | null, complete: boolean): CheckResult => {
    const trace: TraceStep[] | null = found ? found.path.map((state, i) => ({ label: { action: i === 0 ? "Init" : "", params: [] }, state })) : null;
    const r: CheckResult = {
      verdict,
      name: found?.name ?? null,
      distinct: status.size,
      generated,
      depth: deepest,
      queue: 0,
      traceLength: trace ? trace.length : null,
      seconds: secondsSince(startMs),
      trace,
      complete,
    };
    if (found?.error) r.error = found.error;
    return r;
  };

  /** Invariants (and, from an initial state, implied initial predicates) on a new state. */
  const checkNew = (path: State[], next: State, lvl: number): Found | null => {
    const c = ctx(lvl);
    for (const inv of model.invariants) if (!inv.holds(next, c)) return { verdict: "invariant", name: inv.name, path: [...path, next] };
    if (path.length === 0 && model.impliedInits) {
      for (const p of model.impliedInits) if (!p.holds(next, c)) return { verdict: "property", name: p.name, path: [next] };
    }
    return null;
  };

  // The initial states: counted, added and checked as TLC's doInit does.
  const inits: { state: State; key: bigint }[] = [];
  try {
    const c = ctx(1);
    for (const s of model.initStates(c)) {
      generated++;
      const inModel = satisfiesConstraints(model, null, s.state, c);
      let old: number | undefined;
      if (inModel) {
        const key = fingerprintKey(fingerprint, s.state, c);
        old = visit(key);
        if (old === undefined) {
          inits.push({ state: s.state, key });
          deepest = 1;
        }
      }
      if (old === undefined) {
        const bad = checkNew([], s.state, 1);
        if (bad) return result(bad.verdict, bad, true);
      }
    }
  } catch (err) {
    return result("error", { verdict: "error", name: null, path: [], error: describeError(err) }, false);
  }

  /**
   * TLC's doNext: generate the successors of the last state of `path` (its key `curKey`), count
   * and check them, and return those not finished at this iteration; marks the state done when
   * nothing new can come from it. Sets `stop` on a violation or an error.
   */
  // A violation or deadlock: TLC reports the first and lets the depth-first search from the
  // current initial state run on to its end (counting), then stops. An evaluation error stops at once.
  let stop: Found | null = null;
  let failed: Found | null = null;
  let moreLevel = false;
  /** Whether the last doNext met a successor new at this iteration (TLC's `!noLeaf`). */
  let lastNotAllNonLeaf = false;
  const doNext = (path: State[], curKey: bigint, isLeaf: boolean): Entry[] => {
    const cur = path[path.length - 1]!;
    const depth = path.length;
    const c = ctx(depth + 1);
    const out: Entry[] = [];
    let labelled: readonly Successor[];
    try {
      labelled = model.successors(cur, ctx(depth));
    } catch (err) {
      failed = { verdict: "error", name: null, path: [...path], error: describeError(err) };
      return out;
    }
    const succs = labelled.map((s) => s.state);
    let allDone = true;
    let allNonLeaf = true;
    for (let i = 0; i < succs.length; i++) {
      const next = succs[i]!;
      // TLC counts an action's successors as generated before it checks the first of them, so a
      // violation stops the count at the end of the violating state's action.
      if (i === 0 || !sameAction(labelled[i - 1]!.label, labelled[i]!.label)) {
        let j = i + 1;
        while (j < succs.length && sameAction(labelled[i]!.label, labelled[j]!.label)) j++;
        generated += j - i;
      }
      try {
        const inModel = satisfiesConstraints(model, cur, next, c);
        let old: number | undefined;
        if (inModel) {
          const key = fingerprintKey(fingerprint, next, c);
          old = visit(key);
          if (old === undefined && depth + 1 > deepest) deepest = depth + 1;
          allDone = allDone && old !== undefined && (old & DONE) === DONE;
          allNonLeaf = allNonLeaf && !isLeafStatus(old);
          if (old === undefined || !isCompleted(old)) out.push({ state: next, key });
        }
        if (old === undefined) {
          const bad = checkNew(path, next, depth + 1);
          if (bad) {
            stop ??= bad;
            lastNotAllNonLeaf = !allNonLeaf;
            return out;
          }
        }
        for (const p of model.actionProperties) {
          if (!p.holds(cur, next, c)) {
            stop ??= { verdict: "property", name: p.name, path: [...path, next] };
            lastNotAllNonLeaf = !allNonLeaf;
            return out;
          }
        }
      } catch (err) {
        failed = { verdict: "error", name: null, path: [...path, next], error: describeError(err) };
        return out;
      }
    }
    if (succs.length === 0 && options.deadlock) {
      stop ??= { verdict: "deadlock", name: null, path: [...path] };
      lastNotAllNonLeaf = !allNonLeaf;
      return out;
    }
    if (allDone || (isLeaf && allNonLeaf)) status.set(curKey, status.get(curKey)! | DONE);
    lastNotAllNonLeaf = !allNonLeaf;
    return out;
  };

  /** Whether two successors come from the same action of TLC's (the same operator and parameter values). */
  const sameAction = (a: ActionLabel, b: ActionLabel): boolean =>
    a === b || (a.action === b.action && a.location === b.location && a.params.length === b.params.length && a.params.every(([n, v], k) => n === b.params[k]![0] && model.values.equals(v, b.params[k]![1])));

  /** TLC's vectors remove an element by moving the last one into its place. */
  const removeAt = <T>(xs: T[], i: number): void => {
    xs[i] = xs[xs.length - 1]!;
    xs.pop();
  };

  for (let toLevel = 2; toLevel <= options.maxDepth; toLevel++) {
    options.onLevel?.(toLevel, generated, status.size);
    level++;
    leveled = LEVELED - leveled;
    moreLevel = false;
    // TLC's worker for this iteration: its own copy of the initial states.
    const todo = inits.slice();
    for (;;) {
      // getInit: an initial state not finished at this iteration (TLC picks one at random).
      while (todo.length > 0 && isCompleted(status.get(todo[0]!.key)!)) removeAt(todo, 0);
      if (todo.length === 0) break;
      const init = todo[0]!;
      const path: State[] = [init.state];
      const keys: bigint[] = [init.key];
      let isLeaf = toLevel < 2;
      const succStack: Entry[][] = [doNext(path, init.key, isLeaf)];
      if (failed) return result("error", failed, false);
      moreLevel ||= lastNotAllNonLeaf;
      // The depth-first search; it ends at the first leaf expanded, and TLC starts over from an
      // initial state (expanding, and counting, the states on the way down again).
      while (!isLeaf) {
        const curLevel = path.length;
        const succs = succStack[curLevel - 1]!;
        // getNext: a successor not finished at this iteration and first found deeper than here.
        while (succs.length > 0) {
          const st = status.get(succs[0]!.key)!;
          if (!isCompleted(st) && curLevel < st >>> 2) break;
          removeAt(succs, 0);
        }
        if (succs.length === 0) {
          // Nothing more below this state at this iteration: backtrack.
          const key = keys[curLevel - 1]!;
          status.set(key, (status.get(key)! & ~LEVELED) | leveled);
          if (curLevel === 1) break;
          path.pop();
          keys.pop();
          succStack.pop();
          continue;
        }
        const next = succs[0]!;
        path.push(next.state);
        keys.push(next.key);
        isLeaf = curLevel >= toLevel - 1;
        succStack.push(doNext(path, next.key, isLeaf));
        if (failed) return result("error", failed, false);
        moreLevel ||= lastNotAllNonLeaf;
      }
      if (stop) return result((stop as Found).verdict, stop, false);
    }
    if (!moreLevel) return result("ok", null, true);
  }
  return result("incomplete", null, false);
}

/** A state on the search's stacks with its fingerprint key. */
interface Entry {
  state: State;
  key: bigint;
}

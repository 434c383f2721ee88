/**
 * Expanding one state the way TLC does, shared by the single-threaded search and the workers.
 *
 * TLC's rules, checked against TLC 1.8 on small specs (see test/engine/fixtures/README.md):
 * - every initial state and every successor counts as generated, duplicates included, counted one
 *   at a time (a violation stops the count where it happens);
 * - a state that violates a CONSTRAINT, or a step that violates an ACTION_CONSTRAINT, is not added
 *   to the seen set and not explored, but its invariants ARE checked (TLC checks every state that
 *   was not seen before, and such a state never is);
 * - action properties are checked on every step, to new, seen and constrained states alike;
 * - implied initial predicates (state-level PROPERTY conjuncts) are checked on new initial states,
 *   after the invariants (TLC's DoInitFunctor order), and on no other state;
 * - a state is a deadlock only when it has no successor at all; successors all cut by constraints
 *   do not make a deadlock.
 *
 * @module
 */
import type { ActionLabel, ActionPredicate, CompiledModel, EvalContext, State, StatePredicate, Successor, TracePath } from "../model.js";
import { describeError } from "./errors.js";
import type { Fingerprinter } from "./canonical.js";
import { joinKey, type FingerprintSet } from "./fingerprint-set.js";
import { ReadsMemo } from "./predicate-memo.js";
import { reconstructTrace } from "./reconstruct.js";
import type { CheckError } from "./types.js";

/**
 * Where a search stopped: the explored state the last step left from (`fromKey`, null for the
 * initial states) and the position of the offending state in `successors(from)` or `initStates()`
 * (`index`, null when the trace ends at `from` itself: a deadlock, or an error computing its
 * successors). The trace is rebuilt from this by `reconstruct.ts`.
 */
export interface StopSite {
  fromKey: bigint | null;
  index: number | null;
}

/** Why a search stopped early. */
export interface Stop {
  verdict: "invariant" | "property" | "deadlock" | "error";
  name: string | null;
  site: StopSite;
  error?: CheckError;
}

/** Receives each new state to explore at the next level, with its table key in 32-bit halves. */
export type Enqueue = (state: State, keyLo: number, keyHi: number) => void;

/**
 * Watches a search step by step (TLC's `-dump`, `-coverage`); only the sequential search takes
 * one. Labels come from `CompiledModel.successors`, so a search with an observer does not use
 * the label-free `successorStates`.
 */
export interface SearchObserver {
  /**
   * About to admit the successors of `from` (null: the initial states), which came with these
   * labels, in order; `level` is `from`'s (0 for the initial states).
   */
  expanding(from: State | null, level: number, labels: readonly ActionLabel[]): void;
  /**
   * The `index`-th successor `next` of `from` (the `index`-th initial state when `from` is null)
   * was generated. `inModel`: within the CONSTRAINTs and ACTION_CONSTRAINTs; `fresh`: not seen
   * before (then it was just added to the seen set, under the key `(keyLo, keyHi)`, at `level`).
   * Called before its invariants are checked, as TLC writes its dumps.
   */
  transition(from: State | null, index: number, next: State, level: number, inModel: boolean, fresh: boolean, keyLo: number, keyHi: number): void;
}

/** Options for an {@link Explorer}. */
export interface ExplorerOptions {
  /** Watch every step (see {@link SearchObserver}). */
  observer?: SearchObserver;
  /**
   * TLC's `-continue`: an invariant or action property violated by a state is reported here and
   * the search goes on (the state is explored as any other); absent, it stops the search.
   */
  onViolation?: (stop: Stop) => void;
  deadlock: boolean;
  print?: (line: string) => void;
  random?: () => number;
  /**
   * The variables each invariant's evaluations have read so far, `invariants.length` rows of
   * `variables.length` bytes (see {@link invariantReadsBytes}). Explorers of one search that hand
   * states to each other must share it (worker threads: in a SharedArrayBuffer); absent, the
   * explorer keeps its own.
   */
  invariantReads?: Uint8Array;
  /**
   * Remember the results of pure invariants, constraints and action properties by the values of
   * the variables they read (`predicate-memo.ts`); default true. False evaluates every time (the
   * tests compare both).
   */
  memoize?: boolean;
  /**
   * Called before each insert into the fingerprint table: the parallel coordinator grows the
   * shared table there while it is the only thread inserting (initial states, first levels).
   */
  beforeInsert?: () => void;
}

/** Size of {@link ExplorerOptions.invariantReads} for a model. */
export function invariantReadsBytes(model: CompiledModel): number {
  return invariantPieces(model).length * model.variables.length;
}

/** The invariants as separately checked pieces (their conjuncts where the core splits them), in order. */
function invariantPieces(model: CompiledModel): { name: string; piece: StatePredicate }[] {
  return model.invariants.flatMap((inv) => (inv.conjuncts ?? [inv]).map((piece) => ({ name: inv.name, piece })));
}

/** Applies TLC's per-state rules against a shared or local fingerprint set. */
export class Explorer {
  /** States generated by this explorer. */
  generated = 0;
  /** Highest level at which this explorer added a distinct state. */
  depth = 0;
  private readonly model: CompiledModel;
  private readonly table: FingerprintSet;
  private readonly fingerprint: Fingerprinter;
  private readonly options: ExplorerOptions;
  private readonly key = new Uint32Array(2);
  /**
   * Per invariant, the variable slots any of its evaluations has read (1) so far; null when some
   * invariant cannot report its reads. An invariant held on every explored state; on a successor
   * whose variables at those slots are the same objects as in the state it comes from, the
   * evaluation would read the same values and take the same path, so it holds again and is
   * skipped. The rows only grow: each covers the reads of every evaluation whose result a skip
   * relies on (also across explorers, which share the rows).
   */
  private readonly reads: Uint8Array[] | null;
  /** The pieces the rows of {@link Explorer.reads} belong to, with their invariant's name. */
  private readonly pieces: { name: string; piece: StatePredicate }[];
  /** Per piece, its memo (null: not memoised). */
  private readonly pieceMemos: (ReadsMemo | null)[];
  /**
   * The CONSTRAINTs as separately checked pieces (their conjuncts where the core splits them), in
   * order, each with its memo and row (null: not memoised). The rows are this explorer's own: a
   * memo answers only from its own evaluations.
   */
  private readonly constraintPieces: { piece: StatePredicate; memo: MemoOf | null }[];
  /** Per ACTION_CONSTRAINT, its memo and rows (null: not memoised). */
  private readonly actionConstraintMemos: (ActionMemoOf | null)[];
  /** Per action property, its memo and rows (null: not memoised). */
  private readonly propertyMemos: (ActionMemoOf | null)[];
  /** The key of the state being expanded, for TLCExt's Trace ({@link Explorer.traceOfCurrent}). */
  private traceLo = 0;
  private traceHi = 0;
  /** The path to the state being expanded, rebuilt on the first Trace evaluated while expanding it. */
  private tracePath: readonly State[] | null = null;
  /** Trace in the initial predicate, or in an invariant or constraint of an initial state. */
  private readonly traceOfInitial = (s0: State): TracePath => ({ variables: this.model.variables, states: [s0] });
  /** Trace in the next-state relation: the path to the state being expanded. */
  private readonly traceOfCurrent = (): TracePath => ({ variables: this.model.variables, states: this.pathToCurrent() });
  /** Trace in an invariant or constraint of a successor `s0`: the path to its parent, then `s0`. */
  private readonly traceOfSuccessor = (s0: State): TracePath => ({ variables: this.model.variables, states: [...this.pathToCurrent(), s0] });

  private pathToCurrent(): readonly State[] {
    if (this.tracePath === null) {
      const site = { fromKey: joinKey(this.traceLo, this.traceHi), index: null };
      this.tracePath = reconstructTrace(this.model, this.table, this.fingerprint, site, (lvl) => this.context(lvl)).map((step) => step.state);
    }
    return this.tracePath;
  }
  /** Scratch argument arrays of the memos (no allocation per lookup). */
  private readonly one: State[] = [[]];
  private readonly two: State[] = [[], []];

  constructor(model: CompiledModel, table: FingerprintSet, fingerprint: Fingerprinter, options: ExplorerOptions) {
    this.model = model;
    this.table = table;
    this.fingerprint = fingerprint;
    this.options = options;
    const nVars = model.variables.length;
    this.pieces = invariantPieces(model);
    if (this.pieces.every(({ piece }) => piece.pure === true && piece.holdsReading !== undefined)) {
      const all = options.invariantReads ?? new Uint8Array(invariantReadsBytes(model));
      if (all.length !== invariantReadsBytes(model)) throw new Error("Explorer: invariantReads has the wrong size");
      this.reads = this.pieces.map((_, i) => all.subarray(i * nVars, (i + 1) * nVars));
    } else this.reads = null;
    const memoize = options.memoize !== false;
    const reads = this.reads;
    this.pieceMemos = this.pieces.map((_, i) => (memoize && reads !== null ? new ReadsMemo(model.values, [reads[i]!]) : null));
    this.constraintPieces = model.constraints.flatMap((c) => {
      const pieces = memoize && c.conjuncts && c.conjuncts.every((p) => p.pure === true && p.holdsReading !== undefined) ? c.conjuncts : [c];
      return pieces.map((piece) => ({ piece, memo: memoize ? stateMemo(model, piece) : null }));
    });
    this.actionConstraintMemos = model.actionConstraints.map((c) => (memoize ? actionMemo(model, c) : null));
    this.propertyMemos = model.actionProperties.map((p) => (memoize ? actionMemo(model, p) : null));
  }

  /** Check the invariants on `next`, reached from `from` (null: initial); the first violated, or null. */
  private violatedInvariant(from: State | null, next: State, ctx: EvalContext): string | null {
    const reads = this.reads;
    if (reads === null) {
      for (const inv of this.model.invariants) if (!inv.holds(next, ctx)) return inv.name;
      return null;
    }
    const pieces = this.pieces;
    const one = this.one;
    one[0] = next;
    for (let i = 0; i < pieces.length; i++) {
      const row = reads[i]!;
      if (from !== null && sameAt(row, from, next)) continue;
      // An invariant false on a state stops the search, so only true results are ever remembered.
      const memo = this.pieceMemos[i]!;
      if (memo !== null && memo.lookup(one) === true) continue;
      if (!pieces[i]!.piece.holdsReading!(next, ctx, row)) return pieces[i]!.name;
      if (memo !== null) memo.remember(one, true);
    }
    return null;
  }

  /** The first action property violated by the step from `from` to `next`, or null. */
  private violatedProperty(from: State, next: State, ctx: EvalContext): string | null {
    const props = this.model.actionProperties;
    for (let i = 0; i < props.length; i++) {
      if (!this.stepHolds(props[i]!, this.propertyMemos[i]!, from, next, ctx)) return props[i]!.name;
    }
    return null;
  }

  /** `p` on the step from `from` to `next`, through its memo when it has one. */
  private stepHolds(p: ActionPredicate, m: ActionMemoOf | null, from: State, next: State, ctx: EvalContext): boolean {
    if (m === null) return p.holds(from, next, ctx);
    const two = this.two;
    two[0] = from;
    two[1] = next;
    const known = m.memo.lookup(two);
    if (known !== undefined) return known;
    const result = p.holdsReading!(from, next, ctx, m.reads, m.readsNext);
    two[0] = from;
    two[1] = next;
    m.memo.remember(two, result);
    return result;
  }

  /** Evaluation context for a state at `level`. */
  context(level: number): EvalContext {
    const ctx: EvalContext = { level };
    if (this.options.print) ctx.print = this.options.print;
    if (this.options.random) ctx.random = this.options.random;
    return ctx;
  }

  /** Generate, check and enqueue the initial states (level 1). */
  initial(enqueue: Enqueue): Stop | null {
    const ctx = this.context(1);
    ctx.trace = this.traceOfInitial;
    let inits;
    try {
      inits = this.model.initStates(ctx);
    } catch (err) {
      // TLC has already added the states enumerated before the failure: count and check them first.
      const before = statesBeforeError(err);
      this.options.observer?.expanding(null, 0, before.map((s) => s.label));
      for (let i = 0; i < before.length; i++) {
        this.generated++;
        const stop = this.admit(null, 0, 0, before[i].state, i, 1, ctx, enqueue);
        if (stop) return stop;
      }
      return { verdict: "error", name: null, site: { fromKey: null, index: null }, error: describeError(err) };
    }
    this.options.observer?.expanding(null, 0, inits.map((s) => s.label));
    for (let i = 0; i < inits.length; i++) {
      this.generated++;
      const state = inits[i].state;
      const stop = this.admit(null, 0, 0, state, i, 1, ctx, enqueue);
      if (stop) return stop;
    }
    return null;
  }

  /**
   * Expand `state` (stored under the key `(keyLo, keyHi)`, at `level`): generate, check and
   * enqueue its successors.
   */
  expand(state: State, keyLo: number, keyHi: number, level: number, enqueue: Enqueue): Stop | null {
    const ctx = this.context(level);
    ctx.trace = this.traceOfCurrent;
    this.traceLo = keyLo;
    this.traceHi = keyHi;
    this.tracePath = null;
    let succs: readonly State[];
    const observer = this.options.observer;
    try {
      const model = this.model;
      if (observer) {
        const labelled = model.successors(state, ctx);
        observer.expanding(state, level, labelled.map((s) => s.label));
        succs = labelled.map((s) => s.state);
      } else succs = model.successorStates ? model.successorStates(state, ctx) : model.successors(state, ctx).map((s) => s.state);
    } catch (err) {
      this.generated += ctx.intermediate ?? 0;
      // TLC has already added the successors enumerated before the failure: count and check them first.
      const before = statesBeforeError(err);
      observer?.expanding(state, level, before.map((s) => s.label));
      const nextCtx = this.context(level + 1);
      nextCtx.trace = this.traceOfSuccessor;
      for (let i = 0; i < before.length; i++) {
        this.generated++;
        const stop = this.admit(state, keyLo, keyHi, before[i].state, i, level + 1, nextCtx, enqueue);
        if (stop) return stop;
      }
      return { verdict: "error", name: null, site: { fromKey: joinKey(keyLo, keyHi), index: null }, error: describeError(err) };
    }
    this.generated += ctx.intermediate ?? 0;
    if (succs.length === 0 && this.options.deadlock) {
      return { verdict: "deadlock", name: null, site: { fromKey: joinKey(keyLo, keyHi), index: null } };
    }
    const nextCtx = this.context(level + 1);
    nextCtx.trace = this.traceOfSuccessor;
    for (let i = 0; i < succs.length; i++) {
      this.generated++;
      const stop = this.admit(state, keyLo, keyHi, succs[i]!, i, level + 1, nextCtx, enqueue);
      if (stop) return stop;
    }
    return null;
  }

  /**
   * TLC's treatment of one generated state `next`, reached from `from` (null: initial) whose key
   * is `(fromLo, fromHi)`.
   */
  private admit(
    from: State | null,
    fromLo: number,
    fromHi: number,
    next: State,
    index: number,
    level: number,
    ctx: EvalContext,
    enqueue: Enqueue,
  ): Stop | null {
    let inModel = false;
    let fresh = false;
    const key = this.key;
    try {
      inModel = this.inModel(from, next, ctx);
      fresh = true;
      if (inModel) {
        this.fingerprint(next, ctx, key);
        this.options.beforeInsert?.();
        fresh = this.table.insertParts(key[0], key[1], fromLo, fromHi);
        if (fresh && level > this.depth) this.depth = level;
      }
      this.options.observer?.transition(from, index, next, level, inModel, fresh, key[0]!, key[1]!);
      const onViolation = this.options.onViolation;
      if (fresh) {
        const violated = this.violatedInvariant(from, next, ctx);
        if (violated !== null) {
          const stop: Stop = { verdict: "invariant", name: violated, site: siteOf(from, fromLo, fromHi, index) };
          if (!onViolation) return stop;
          onViolation(stop);
        }
        if (from === null && this.model.impliedInits) {
          for (const p of this.model.impliedInits) {
            if (p.holds(next, ctx)) continue;
            const stop: Stop = { verdict: "property", name: p.name, site: siteOf(from, fromLo, fromHi, index) };
            if (!onViolation) return stop;
            onViolation(stop);
            break;
          }
        }
      }
      if (from !== null && this.model.actionProperties.length > 0) {
        const violated = this.violatedProperty(from, next, ctx);
        if (violated !== null) {
          const stop: Stop = { verdict: "property", name: violated, site: siteOf(from, fromLo, fromHi, index) };
          if (!onViolation) return stop;
          onViolation(stop);
        }
      }
      if (inModel && fresh) enqueue(next, key[0], key[1]);
      return null;
    } catch (err) {
      const error = describeError(err);
      if (from === null && error.phase === "invariant") {
        // TLC queues an initial state before checking its invariants, and reports their failure
        // as a failure of the initial predicate's evaluation (exit 75, the state left on queue).
        delete error.phase;
        if (inModel && fresh) enqueue(next, key[0]!, key[1]!);
      }
      return { verdict: "error", name: null, site: siteOf(from, fromLo, fromHi, index), error };
    }
  }

  /** {@link satisfiesConstraints}, through the memos. */
  private inModel(from: State | null, next: State, ctx: EvalContext): boolean {
    const model = this.model;
    const pieces = this.constraintPieces;
    if (pieces.length > 0) {
      const one = this.one;
      for (let i = 0; i < pieces.length; i++) {
        const { piece, memo: m } = pieces[i]!;
        if (m === null) {
          if (!piece.holds(next, ctx)) return false;
          continue;
        }
        one[0] = next;
        let result = m.memo.lookup(one);
        if (result === undefined) {
          result = piece.holdsReading!(next, ctx, m.reads);
          one[0] = next;
          m.memo.remember(one, result);
        }
        if (!result) return false;
      }
    }
    if (from !== null) {
      const acs = model.actionConstraints;
      for (let i = 0; i < acs.length; i++) if (!this.stepHolds(acs[i]!, this.actionConstraintMemos[i]!, from, next, ctx)) return false;
    }
    return true;
  }
}

/** A state predicate's memo with the row its evaluations fill in. */
interface MemoOf {
  memo: ReadsMemo;
  reads: Uint8Array;
}

/** An action predicate's memo with its rows (unprimed and primed reads). */
interface ActionMemoOf {
  memo: ReadsMemo;
  reads: Uint8Array;
  readsNext: Uint8Array;
}

function stateMemo(model: CompiledModel, p: StatePredicate): MemoOf | null {
  if (p.pure !== true || p.holdsReading === undefined) return null;
  const reads = new Uint8Array(model.variables.length);
  return { memo: new ReadsMemo(model.values, [reads]), reads };
}

function actionMemo(model: CompiledModel, p: ActionPredicate): ActionMemoOf | null {
  if (p.pure !== true || p.holdsReading === undefined) return null;
  const reads = new Uint8Array(model.variables.length);
  const readsNext = new Uint8Array(model.variables.length);
  return { memo: new ReadsMemo(model.values, [reads, readsNext]), reads, readsNext };
}

/** Whether `a` and `b` hold the same objects at every slot marked in `row`. */
function sameAt(row: Uint8Array, a: State, b: State): boolean {
  for (let i = 0; i < row.length; i++) if (row[i] !== 0 && a[i] !== b[i]) return false;
  return true;
}

/** Where a stop happened, built only when one does (no closure per generated state). */
function siteOf(from: State | null, fromLo: number, fromHi: number, index: number): StopSite {
  return { fromKey: from === null ? null : joinKey(fromLo, fromHi), index };
}

/**
 * The states an enumeration produced before it failed: the core attaches them to the error it
 * throws (`successorsBeforeError`), because TLC has counted and stored them by then.
 */
export function statesBeforeError(err: unknown): readonly Successor[] {
  const before = (err as { successorsBeforeError?: unknown } | null)?.successorsBeforeError;
  return Array.isArray(before) ? (before as Successor[]) : [];
}

/**
 * Successors of `state` (initial states when `state` is null); if enumeration fails part way,
 * the ones produced before the failure, so a trace can be rebuilt through them.
 */
export function successorsUpToError(model: CompiledModel, state: State | null, ctx: EvalContext): readonly Successor[] {
  try {
    return state === null ? model.initStates(ctx) : model.successors(state, ctx);
  } catch (err) {
    const before = statesBeforeError(err);
    if (before.length === 0) throw err;
    return before;
  }
}

/** CONSTRAINTs on the state `next` and ACTION_CONSTRAINTs on the step from `from` (null: initial). */
export function satisfiesConstraints(model: CompiledModel, from: State | null, next: State, ctx: EvalContext): boolean {
  for (const c of model.constraints) if (!c.holds(next, ctx)) return false;
  if (from !== null) for (const c of model.actionConstraints) if (!c.holds(from, next, ctx)) return false;
  return true;
}

/**
 * The seam between the language core (parser, values, evaluator: `parse/`, `values/`, `eval/`,
 * `modules/`, `stdlib/`, `cfg/`) and the engine that explores states (`check/`, `trace/`,
 * `cli/`). The engine only sees a {@link CompiledModel}; it never walks syntax.
 *
 * The contract is deliberately small, like Porcupine's model record: a state is an array of
 * values indexed by variable slot, successors come with their action labels, and everything the
 * engine needs to know about values (fingerprints, symmetry, printing) goes through
 * {@link ValueOps}.
 *
 * @module
 */

/**
 * A TLA+ value as the core represents it. Opaque to the engine: it is only ever passed back to
 * {@link ValueOps} functions.
 */
export type Value = unknown;

/** A state: one value per declared variable, in declaration order ({@link CompiledModel.variables}). */
export type State = readonly Value[];

/** A source location, 1-based line and column, as shown to users (`file:line:col`). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * The action that produced a step: the operator of `Next` that fired and the values of its
 * parameters and existential bindings, in binding order. `Init` labels initial states.
 */
export interface ActionLabel {
  /** Operator name, e.g. `"Receive"`; `"Init"` for initial states. */
  action: string;
  /** Parameter and `\E`-bound names with their values, in the order they were bound. */
  params: ReadonlyArray<readonly [name: string, value: Value]>;
  /** Where the action is defined, for TLC-style trace text (`<Receive line 40, col 1 ...>`). */
  location?: SourceLocation;
  /** How many of `params` are the operator's formal parameters; TLC prints only those. */
  formals?: number;
}

/** A successor of a state, produced by one enumeration path through `Next`. */
export interface Successor {
  label: ActionLabel;
  state: State;
}

/** Context the engine passes to every evaluation that depends on where in the search it runs. */
export interface EvalContext {
  /** `TLCGet("level")`: depth of the current state, initial states being level 1 (as in TLC). */
  level: number;
  /** Random source for `RandomElement` and simulation, uniform in [0, 1). */
  random?: () => number;
  /** Where `Print`/`PrintT` output goes. */
  print?: (line: string) => void;
  /** The search's counters, for `TLCGet("distinct")` and friends (optional; absent → error). */
  stats?: () => SearchStats;
  /**
   * TLCExt's `Trace` evaluated on the state `s0`: the states from an initial state to `s0` along
   * the path the search reached it by (TLC rebuilds it from its trace file). Absent where there is
   * no such path (outside a model-checking search): Trace is then refused by name.
   */
  trace?: (s0: State) => TracePath;
  /**
   * States the first action of an action composition `A \cdot B` reached on the way: TLC counts
   * them as generated, so the search adds them to its count after each expansion.
   */
  intermediate?: number;
}

/** What TLCExt's `Trace` reads: the states of a path, and the variables they give values to. */
export interface TracePath {
  variables: readonly string[];
  states: readonly State[];
}

/** The search's running figures, as `TLCGet("stats")` reports them. */
export interface SearchStats {
  generated: number;
  distinct: number;
  queue: number;
  /** The deepest level reached so far (TLC's "diameter"). */
  diameter: number;
  /** Initial states generated. */
  initial: number;
  durationSeconds: number;
}

/** A named state predicate from the cfg: INVARIANT, or CONSTRAINT. */
export interface StatePredicate {
  name: string;
  location?: SourceLocation;
  holds(state: State, ctx: EvalContext): boolean;
  /**
   * True when the result depends on the state alone (no Print, TLCGet, TLCSet, RandomElement,
   * ...): the engine may then skip re-checking a state equal to one that passed. Absent: false.
   */
  pure?: boolean;
  /**
   * For pure predicates: {@link StatePredicate.holds}, also setting `reads[slot] = 1` for every
   * variable slot the evaluation read. The value on a state equals the value on any state whose
   * variables at those slots are the same values, which lets the engine skip re-checking an
   * invariant on a successor that shares them with its parent.
   */
  holdsReading?(state: State, ctx: EvalContext, reads: Uint8Array): boolean;
  /**
   * Pure pieces whose conjunction, evaluated in this order, is the predicate (the conjuncts of an
   * invariant's definition), each with {@link StatePredicate.holdsReading}: the engine then skips
   * each piece separately. Absent: one piece.
   */
  conjuncts?: readonly StatePredicate[];
}

/** A named action predicate: ACTION_CONSTRAINT, or an action property `[][A]_v`. */
export interface ActionPredicate {
  name: string;
  location?: SourceLocation;
  holds(from: State, to: State, ctx: EvalContext): boolean;
  /** As {@link StatePredicate.pure}. Absent: false. */
  pure?: boolean;
  /**
   * For pure predicates: {@link ActionPredicate.holds}, also setting `reads[slot] = 1` for every
   * variable of `from` and `readsNext[slot] = 1` for every variable of `to` (a primed variable)
   * the evaluation read; the value on a step equals the value on any step with the same values at
   * those slots.
   */
  holdsReading?(from: State, to: State, ctx: EvalContext, reads: Uint8Array, readsNext: Uint8Array): boolean;
}

/**
 * A spec bound to a cfg, compiled and ready to explore. Produced by the core's loader; consumed by
 * the engine, conformance and the browser bundle.
 */
export interface CompiledModel {
  /**
   * Make the model's own process-wide state current (the core's intern table that orders strings,
   * and TLCSet's registers: what TLC keeps per Java process). The engine calls it before a check,
   * so what was loaded or checked before in the same process does not change the results.
   */
  activate?(): void;
  /** Variable names in slot order. */
  readonly variables: readonly string[];
  /**
   * The slots in the order TLC lists the variables (printed states, trace files, dumps, its state
   * fingerprint): see `modules/tlc-variable-order.ts`. Absent: slot order.
   */
  readonly tlcVariableOrder?: readonly number[];
  /**
   * The names of Next's actions as step labels name them (`"HandleAppendEntriesRequest"`, ...),
   * found statically, so actions the model never enables are listed too. Absent where a loader
   * cannot tell.
   */
  readonly actions?: readonly string[];
  /** Initial states, with duplicates exactly as TLC enumerates them (they count as generated). */
  initStates(ctx: EvalContext): Successor[];
  /**
   * Successors of `state`, with duplicates exactly as TLC enumerates them (TLC counts every one as
   * generated). Order is deterministic.
   */
  successors(state: State, ctx: EvalContext): Successor[];
  /**
   * The states of {@link CompiledModel.successors}, in the same order, without their labels (the
   * search needs labels only to print a trace, which it rebuilds with `successors`). On an error,
   * the states produced before it are attached as `successors` does. Optional.
   */
  successorStates?(state: State, ctx: EvalContext): State[];
  readonly invariants: readonly StatePredicate[];
  readonly constraints: readonly StatePredicate[];
  readonly actionConstraints: readonly ActionPredicate[];
  /** Action properties `[][A]_v` from PROPERTY, checked on every explored step. */
  readonly actionProperties: readonly ActionPredicate[];
  /**
   * Implied initial predicates: the state-level conjuncts of a PROPERTY (e.g. the `Init` of a
   * refined spec `C!Spec`), checked on every new initial state after the invariants, as TLC does.
   * TLC reports a violation as "Property P is violated by the initial state". Absent: none.
   */
  readonly impliedInits?: readonly StatePredicate[];
  /**
   * ALIAS: what a trace shows of a state instead of its variables, as (name, value) pairs; `next`
   * is the following state of the trace (primed variables in the alias), or the state itself at
   * the end. Absent: the variables are shown.
   */
  alias?(state: State, next: State, ctx: EvalContext): ReadonlyArray<readonly [string, Value]>;
  /** VIEW: the value fingerprinted instead of the whole state, when the cfg names one. */
  view?(state: State, ctx: EvalContext): Value;
  /**
   * SYMMETRY: the permutations of model values, each as pairs (from, to). Empty when the cfg
   * names none. The engine canonicalises a state as TLC does (smallest fingerprint over all
   * permutations of the state).
   */
  readonly symmetry: ReadonlyArray<ReadonlyArray<readonly [Value, Value]>>;
  /**
   * POSTCONDITION: checked once after a search that found no error, with `TLCGet("stats")` the
   * search's final figures (TLC reports a false one as a false assumption). Absent: none.
   */
  readonly postconditions?: readonly StatePredicate[];
  /** CHECK_DEADLOCK from the cfg (TLC's default is true). */
  readonly checkDeadlock: boolean;
  /** Evaluate a constant-level or state-level expression (source text) in `state`. */
  evaluate(expression: string, state?: State, ctx?: EvalContext): Value;
  /** Value operations the engine needs. */
  readonly values: ValueOps;
}

/** What the engine may do with values. */
export interface ValueOps {
  equals(a: Value, b: Value): boolean;
  /** 64-bit fingerprint of a value; states are fingerprinted with {@link ValueOps.fingerprintState}. */
  fingerprint(v: Value): bigint;
  fingerprintState(state: State): bigint;
  /** Apply a model-value permutation (symmetry) to a value. */
  permute(v: Value, perm: ReadonlyArray<readonly [Value, Value]>): Value;
  /** TLC's text form: `[a |-> 1, b |-> {"x"}]`, `<<1, 2>>`, `(s1 :> 0 @@ s2 :> 1)`. */
  format(v: Value): string;
  /** Apalache's ITF JSON form (`#set`, `#tup`, `#map`, `#bigint`, records as objects). */
  toITF(v: Value): unknown;
  fromITF(json: unknown): Value;
  /** A structured-clone-safe form for worker threads, and back. */
  toPortable(v: Value): unknown;
  fromPortable(p: unknown): Value;
  /**
   * Optional: a batch of states (each of `width` variables) in a form cheaper to send than
   * {@link ValueOps.toPortable} value by value; `transfer` lists what postMessage may move rather
   * than copy. {@link ValueOps.fromPortableStates} takes it back.
   */
  toPortableStates?(states: readonly State[], width: number): { batch: unknown; transfer: ArrayBuffer[] };
  fromPortableStates?(batch: unknown): State[];
  /** Build values from plain JS (numbers, strings, booleans, arrays as tuples, Sets, Maps, records as objects). */
  fromJS(js: unknown): Value;
}

/**
 * Errors the checker reports to users. `kind` separates a bad spec or cfg (fix your input) from an
 * evaluation failure (a trace reached a bad expression).
 */
export class TlaError extends Error {
  constructor(
    readonly kind: "parse" | "semantic" | "cfg" | "eval" | "assert" | "assume" | "unsupported" | "io",
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(location ? `${location.file}:${location.line}:${location.column}: ${message}` : message);
    this.name = "TlaError";
  }

  /** For evaluation errors: what was being evaluated (see `CheckError.phase`); set once, innermost first. */
  phase?: ErrorPhase;
}

/**
 * What was being evaluated when an evaluation error happened: an invariant, an action property
 * or implied initial predicate, a temporal property, an ASSUME or the POSTCONDITION (absent: the
 * initial predicate or the next-state relation). TLC's exit status depends on it.
 */
export type ErrorPhase = "invariant" | "property" | "liveness" | "assume" | "postcondition";

/**
 * Mark an error thrown while evaluating `phase` (an invariant, a property, ...), unless an inner
 * evaluation already did; returns it for rethrowing.
 */
export function inPhase(err: unknown, phase: ErrorPhase): unknown {
  if (err instanceof TlaError && err.phase === undefined) err.phase = phase;
  return err;
}

/** The slots of `model`'s variables in the order TLC lists them (see {@link CompiledModel.tlcVariableOrder}). */
export function tlcVariableSlotsOf(model: Pick<CompiledModel, "variables" | "tlcVariableOrder">): readonly number[] {
  return model.tlcVariableOrder ?? model.variables.map((_, i) => i);
}

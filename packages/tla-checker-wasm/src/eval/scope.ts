/**
 * Compile-time name resolution: module environments (what a module's names mean, including
 * instance substitutions and built-ins), operator definitions, and the frame layouts that turn
 * bound names into array slots.
 *
 * @module
 */
import type { Bound, Expr, Param, Span } from "../ast/types.js";
import type { Builtin } from "../stdlib/coerce.js";
import type { Val } from "../values/value.js";
import type { C, Origin } from "./context.js";

/** The slots of one frame; `parent` is the layout of the frame in slot 0. */
export class Layout {
  size = 1;
  constructor(readonly parent: Layout | null) {}
  /** Reserve a slot. */
  alloc(): number {
    return this.size++;
  }
}

/** A user-defined operator (module level, LET, or instance copy) compiled on demand. */
export class OpDef {
  /** The compiled body, reading parameters from frame slots 1..n. */
  fn: C | undefined;
  /** Level of the body: 0 constant, 1 state, 2 action, 3 temporal. */
  level = 0;
  /** Frame slots the body needs. */
  frameSize = 1;
  compiling = false;
  /** Cached value for constant-level operators without parameters. */
  constValue: Val | undefined;
  /** Compiled action enumerator (set by the action compiler). */
  act: unknown;
  /** Whether the body calls impure built-ins (Print, TLCGet, RandomElement). */
  impure = false;
  /**
   * The per-state operator memo (`callDef` in compile.ts) for this operator: calls and hits in
   * the current window of calls, and whether it still pays (an operator asked once per state and
   * arguments, or given a fresh record each call, never hits; it stops remembering).
   */
  memoCalls = 0;
  memoHits = 0;
  memoOff = false;
  /**
   * For a LET definition without parameters compiled as an expression: the first of two slots of
   * the frame it closes over that remember its value for the current entry into the LET (the
   * context it was computed in, then the value); -1 when it is not remembered. See `let` in
   * compile.ts.
   */
  letCacheSlot = -1;
  constructor(
    readonly name: string,
    readonly params: readonly Param[],
    readonly body: Expr,
    readonly env: ModuleEnv,
    readonly origin: Origin,
    readonly span: Span,
    /** For LET operators and LAMBDAs: the layout of the frame they close over. */
    readonly closure: Layout | null,
    /** Scope of a LET definition (its enclosing scope). */
    readonly scope: Scope | null,
    /** For recursive function definitions `f[x \in S] == e`: the bounds. */
    readonly fnBounds: Bound[] | null = null,
  ) {}
}

/** A named instance `M == INSTANCE Mod WITH ...` (with parameters for `P(x) == INSTANCE`). */
export interface InstanceRef {
  env: ModuleEnv;
  params: readonly Param[];
  /** The instantiated module, substitutions and instantiating environment (to specialise `P(args)!Op`). */
  module: string;
  subs: [string, Expr][];
  outer: ModuleEnv;
  span: Span;
  /** The whole definition `C == INSTANCE ...` and its file (TLC labels steps of `C!Op` there). */
  def?: { span: Span; file: string };
}

/**
 * Builds a copy of an instance whose parameters are replaced by argument expressions of one use
 * site; its operators close over the use site's frame (`closure`).
 */
export type InstantiateHook = (inst: InstanceRef, outer: ModuleEnv, closure: Layout) => ModuleEnv;

/** What a module-level name means. */
export type GlobalBinding =
  | { k: "var"; slot: number; name: string }
  | { k: "const"; value: Val; name: string }
  | { k: "op"; def: OpDef }
  | { k: "builtin"; b: Builtin }
  | { k: "inst"; inst: InstanceRef }
  /** A substituted name; `variable`: a VARIABLE of an instantiated module. */
  | { k: "subst"; expr: Expr; env: ModuleEnv; scope: Scope | null; name: string; variable?: boolean }
  | { k: "unbound"; name: string; span: Span; origin: Origin };

/** The names visible in one module (or one instance of it). */
export class ModuleEnv {
  readonly defs = new Map<string, GlobalBinding>();
  /**
   * The definitions a root-level cfg override (`Op <- MCOp`, `Op = v`) replaced in `defs`, as
   * written. TLC sets such an override on the root module's definition: references to `Op`
   * inside an instance's operators get the override, but `I!Op` names the instance's own copy of
   * the definition, which keeps its body (so `MCOp == ... /\ I!Op` reaches the original, as specs
   * written for TLC do). Module-scoped overrides (`Op <- [M]MCOp`) reach `I!Op` too, and are not
   * recorded here.
   */
  readonly unoverridden = new Map<string, GlobalBinding>();
  /** Parameters of a parameterised instance `P(x) == INSTANCE M`, bound in every operator's frame. */
  instParams: readonly Param[] = [];
  /**
   * Definitions this module has through an unnamed `INSTANCE M WITH ...` of a module that declares
   * constants or variables (so SANY gives the instance substitutions), with the INSTANCE
   * statement's place: TLC neither splits such an action nor labels it at its definition in M,
   * but `<Name line .. of module This>` at the INSTANCE statement, as for a named instance.
   */
  readonly viaInstance = new Map<GlobalBinding, { span: Span; file: string }>();
  constructor(
    readonly name: string,
    readonly origin: Origin,
  ) {}

  /** What `I!name` means when this is the environment of instance `I`. */
  qualified(name: string): GlobalBinding | undefined {
    return this.unoverridden.get(name) ?? this.defs.get(name);
  }
}

/** What a locally bound name means. */
export type LocalBinding =
  | { k: "local"; layout: Layout; slot: number; name: string }
  /** A parameter passed by name (it is primed in the body): the slot holds a {@link Thunk}. */
  | { k: "byname"; layout: Layout; slot: number; name: string }
  | { k: "opparam"; layout: Layout; slot: number; arity: number; name: string }
  | { k: "letop"; def: OpDef }
  /** `LET I == INSTANCE M ...`: the instance, its substitutions compiled in the LET's scope. */
  | { k: "letinst"; env: ModuleEnv; name: string };

/** A compile-time scope: local bindings over a module environment. */
export class Scope {
  /** The file and source the code in this scope comes from (for error locations). */
  readonly origin: Origin;
  constructor(
    readonly env: ModuleEnv,
    readonly layout: Layout,
    readonly locals: Map<string, LocalBinding>,
    readonly parent: Scope | null,
    origin?: Origin,
  ) {
    this.origin = origin ?? parent?.origin ?? env.origin;
  }

  /** A child scope in the same frame (quantifier bodies, LET). */
  child(): Scope {
    return new Scope(this.env, this.layout, new Map(), this, this.origin);
  }

  /** Look a name up through the local chain. */
  lookupLocal(name: string): LocalBinding | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const b = s.locals.get(name);
      if (b) return b;
    }
    return undefined;
  }
}

/** How many frames up from `from` the layout `target` is. */
export function depthOf(from: Layout, target: Layout): number {
  let d = 0;
  for (let l: Layout | null = from; l; l = l.parent, d++) if (l === target) return d;
  throw new Error("internal: layout not on the frame chain");
}

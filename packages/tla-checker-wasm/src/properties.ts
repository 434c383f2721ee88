/**
 * Splitting a PROPERTY into what TLC checks separately, the way TLC's SpecProcessor does it
 * (`processConfigProps`): definitions are expanded (also `C!Op` of an instance and operators
 * applied to arguments, `P(x)!Spec` included), conjunctions are split, `\A x \in S : F` over a
 * constant set is split into one piece per element, and every piece becomes
 * - an implied initial predicate (a state-level piece: checked on every initial state),
 * - an invariant (`[]P` with `P` state-level),
 * - an implied action (`[][A]_v`: checked on every step),
 * - or a temporal formula for the liveness checker (what is left: WF/SF, `<>`, `~>`, ...).
 *
 * The names are TLC's too, because TLC prints them: a piece is named after the innermost
 * operator expanded to reach it (`HCini`, or `HC!HCini` when the expansion went through an
 * instance prefix), a conjunct that is not an operator application after its source location
 * (`line 7, col 16 to line 7, col 27 of module HourClock`), and `[]P` after `P` when `P` is a
 * name.
 *
 * Refinement is the common use: `HCSpec == HC!Spec` with `HC == INSTANCE HourClock WITH hr <- h`
 * and `PROPERTY HCSpec` (TLC's cfg only takes names defined in the spec, not `HC!Spec` itself).
 *
 * @module
 */
import { basename, extname } from "node:path";
import type { Bound, Expr, Span } from "./ast/types.js";
import type { CfgName } from "./cfg/parse.js";
import type { Compiler } from "./eval/compile.js";
import type { Origin } from "./eval/context.js";
import { Layout, ModuleEnv, Scope, type GlobalBinding, type OpDef } from "./eval/scope.js";
import { TlaError, type SourceLocation } from "./model.js";
import { formatValue } from "./values/format.js";
import { SetValue, type Val } from "./values/value.js";

/** One piece of a PROPERTY: an expression and the scope it is compiled in. */
export type PropertyPart =
  /** A state-level piece, checked on every initial state. */
  | { k: "init"; name: string; e: Expr; s: Scope }
  /** `[]P` with `P` (here `e`) state-level, checked on every state. */
  | { k: "invariant"; name: string; e: Expr; s: Scope }
  /** `[][A]_v`: `e` is the step `[A]_v`, checked on every step. */
  | { k: "action"; name: string; e: Expr; s: Scope }
  /**
   * Anything else of temporal level, for the liveness checker. `pieces`: for a purely temporal
   * `\A x \in S : F`, the same formula split per element, for when the whole cannot be compiled.
   */
  | { k: "temporal"; name: string; e: Expr; s: Scope; pieces?: PropertyPart[] };

/** Expansions deeper than this are treated as leaves (a RECURSIVE operator must not loop here). */
const MAX_EXPANSION_DEPTH = 64;

/**
 * Split the PROPERTY `prop` of the module environment `env` as TLC does. Throws a TlaError naming
 * the cfg line for a property that is FALSE by definition, or that has a piece of action level
 * (TLC: "The property P is not correctly defined").
 */
export function splitProperty(prop: CfgName, env: ModuleEnv, compiler: Compiler): PropertyPart[] {
  const parts: PropertyPart[] = [];
  // One frame layout for every piece: a piece never binds names of its own here (splitting stops
  // at binders), and specialised instances `P(x)!Op` close over the layout of their use site.
  const layout = new Layout(null);
  const scopeOf = (e: ModuleEnv, origin: Origin): Scope => new Scope(e, layout, new Map(), null, origin);
  const levelOf = (e: Expr, s: Scope): number => compiler.expr(e, s).l;

  const visit = (name: string, e: Expr, s: Scope, depth: number): void => {
    if (depth < MAX_EXPANSION_DEPTH) {
      const expansion = expand(e, s);
      if (expansion === "dropped") return;
      if (expansion) return visit(expansion.name, expansion.body, expansion.scope, depth + 1);
    }
    if (e.k === "and") {
      for (const conj of e.items) visit(locationName(conj.span, s.origin), conj, s, depth);
      return;
    }
    if (e.k === "quant" && e.q === "A" && depth < MAX_EXPANSION_DEPTH) {
      // TLC splits `\A x \in S : F` over a constant S into one piece per element, named after F.
      const scopes = forallScopes(e.bounds, s);
      if (scopes) {
        const before = parts.length;
        for (const sc of scopes) visit(locationName(e.body.span, s.origin), e.body, sc, depth + 1);
        // A purely temporal quantifier goes to the liveness checker whole (it expands it itself);
        // the conjunction of the pieces would mean the same.
        if (parts.slice(before).every((p) => p.k === "temporal")) {
          const pieces = parts.splice(before);
          parts.push({ k: "temporal", name, e, s, pieces });
        }
        return;
      }
    }
    if (e.k === "temporal" && e.op === "[]") {
      const boxed = e.e;
      if (boxed.k === "step" && !boxed.angle) {
        parts.push({ k: "action", name, e: boxed, s });
        return;
      }
      if (levelOf(boxed, s) < 2) {
        parts.push({ k: "invariant", name: nameOfZeroArity(boxed, s) ?? name, e: boxed, s });
        return;
      }
      parts.push({ k: "temporal", name, e, s });
      return;
    }
    const level = levelOf(e, s);
    if (level <= 1) parts.push({ k: "init", name, e, s });
    else if (level === 3) parts.push({ k: "temporal", name, e, s });
    else {
      throw new TlaError(
        "cfg",
        `The property ${name} is not correctly defined: it is an action (it primes variables) but not a temporal formula; an action property is written [][A]_vars`,
        prop.loc,
      );
    }
  };

  /**
   * A defined operator is replaced by its body (TLC's way); a constant-level definition of the
   * spec that is TRUE is dropped, FALSE is an error.
   */
  const expand = (e: Expr, s: Scope): Expansion | "dropped" | null => {
    const x = expandApplication(e, s, compiler, layout);
    if (!x || x.args > 0 || x.def.env !== env || !isConstantLevel(x.def)) return x;
    const v = compiler.expr(e, s).f({ s: [], n: null, ec: { level: 0 } }, new Array(layout.size));
    if (v === true) return "dropped";
    const why = v === false ? "is equal to FALSE, so the spec is trivially false" : `is equal to ${formatValue(v)}, not a temporal formula`;
    throw new TlaError("cfg", `The property ${x.name} ${why}`, prop.loc);
  };

  /**
   * One scope per element of the bounds' product, each binding the bound names to values; null
   * when a bound is not a constant set of names (TLC then treats the formula as a whole).
   */
  const forallScopes = (bounds: readonly Bound[], s: Scope): Scope[] | null => {
    if (bounds.some((b) => b.tuple)) return null;
    const names = bounds.flatMap((b) => b.names.map((n) => ({ n, set: b.set })));
    let scopes: Scope[] = [s];
    for (const { n, set } of names) {
      const next: Scope[] = [];
      for (const sc of scopes) {
        const c = compiler.expr(set, sc);
        if (c.l > 0) return null;
        const v = c.f({ s: [], n: null, ec: { level: 0 } }, new Array(layout.size));
        if (!(v instanceof SetValue)) return null;
        let elems: readonly Val[];
        try {
          elems = v.elems();
        } catch {
          return null;
        }
        for (const x of elems) {
          const bound = copyEnv(sc.env);
          bound.defs.set(n, { k: "const", value: x, name: n });
          next.push(scopeOf(bound, sc.origin));
        }
      }
      scopes = next;
    }
    return scopes;
  };

  const isConstantLevel = (def: OpDef): boolean => {
    compiler.ensureCompiled(def);
    return def.level === 0 && !def.impure;
  };

  visit(prop.name, { k: "id", name: prop.name, span: spanAt(prop.loc) }, scopeOf(env, env.origin), 0);
  return parts;
}

/** An operator application replaced by the operator's body. */
export interface Expansion {
  /** TLC's name for it: the operator's name, with the instance path (`HC!HCini`, `P!Spec`). */
  name: string;
  def: OpDef;
  /** How many arguments it was applied to. */
  args: number;
  body: Expr;
  /** The scope of the body: the operator's module, parameters bound to the arguments. */
  scope: Scope;
}

/**
 * Expand `e` when it applies a defined operator (`Op`, `Op(a, b)`, `C!Op`, `P(x)!Op(a)`) to as
 * many arguments as it takes, none of them an operator; null otherwise. Bodies share the frame
 * `layout` of the use site (splitting never binds names, so no slots are needed; instances
 * specialised for `P(x)!` close over that layout).
 */
export function expandApplication(e: Expr, s: Scope, compiler: Compiler, layout: Layout): Expansion | null {
  let target: GlobalBinding | undefined;
  let args: readonly Expr[];
  let name: string;
  if ((e.k === "id" || e.k === "app") && !s.lookupLocal(e.name)) {
    target = s.env.defs.get(e.name);
    args = e.k === "app" ? e.args : [];
    name = e.name;
  } else if (e.k === "prefixed") {
    name = `${e.path.map((p) => p.name).join("!")}!${e.name}`;
    // A missing operator is left to the compiler, which names it and where it is used.
    target = compiler.prefixEnv(e, s).qualified(e.name);
    args = e.args;
  } else return null;
  if (!target || target.k !== "op") return null;
  const def = target.def;
  if (def.fnBounds || def.params.length !== args.length || def.params.some((p) => p.arity > 0)) return null;
  const scope = new Scope(bindArguments(def, args, s), layout, new Map(), null, def.origin);
  return { name, def, args: args.length, body: def.body, scope };
}

/**
 * The environment an operator's body sees when it is applied to `args` at the scope `use`: its own
 * module's names with each parameter bound to its argument expression (TLA+ application is
 * substitution; the argument is evaluated where it was written, like TLC's lazy arguments).
 */
function bindArguments(def: OpDef, args: readonly Expr[], use: Scope): ModuleEnv {
  if (args.length === 0) return def.env;
  const bound = copyEnv(def.env);
  def.params.forEach((p, i) => bound.defs.set(p.name, { k: "subst", expr: args[i]!, env: use.env, scope: use, name: p.name }));
  return bound;
}

/** A copy of `env` whose names can be rebound without touching the original. */
function copyEnv(env: ModuleEnv): ModuleEnv {
  const copy = new ModuleEnv(env.name, env.origin);
  for (const [k, v] of env.defs) copy.defs.set(k, v);
  copy.instParams = env.instParams;
  return copy;
}

/** The name TLC gives `[]P` when `P` is a name (an operator, variable or constant without arguments). */
function nameOfZeroArity(e: Expr, s: Scope): string | null {
  if (e.k === "id" && !s.lookupLocal(e.name)) return e.name;
  if (e.k === "prefixed" && e.args.length === 0 && e.path.every((p) => p.args.length === 0)) return `${e.path.map((p) => p.name).join("!")}!${e.name}`;
  return null;
}

/** TLC's name for an expression that is not a definition: its source span. */
export function locationName(span: Span, origin: Origin): string {
  const module = basename(origin.file, extname(origin.file));
  return `line ${span.line}, col ${span.col} to line ${span.endLine}, col ${span.endCol - 1} of module ${module}`;
}

function spanAt(loc: SourceLocation): Span {
  return { line: loc.line, col: loc.column, endLine: loc.line, endCol: loc.column, start: 0, end: 0 };
}

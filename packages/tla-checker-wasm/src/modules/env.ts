/**
 * Building module environments: EXTENDS merges a module's names into the extender's,
 * INSTANCE makes a copy of a module's definitions with its constants and variables replaced by
 * the substitutions (explicit `WITH x <- e`, or the same-named identifiers of the instantiating
 * module).
 *
 * @module
 */
import type { Expr, ModuleAst, Param, Span } from "../ast/types.js";
import { TlaError, type SourceLocation } from "../model.js";
import type { Builtin } from "../stdlib/coerce.js";
import { STANDARD_MODULES } from "../stdlib/index.js";
import { communityOverride } from "./community-overrides.js";
import type { Origin } from "../eval/context.js";
import { ModuleEnv, OpDef, type GlobalBinding, type InstanceRef, type Layout, type Scope } from "../eval/scope.js";
import type { Val } from "../values/value.js";
import type { ModuleTable } from "./resolve.js";

/** An ASSUME of the root context. */
export interface Assumption {
  name: string | null;
  expr: Expr;
  env: ModuleEnv;
  span: Span;
  /** The module file it is written in. */
  origin: Origin;
}

/**
 * A cfg entry scoped to one module (TLC's module overrides): `X <- [M]Op` makes the definition X
 * of module M mean the root module's `Op`; `X = [M]v` makes it the value v. TLC sets the override
 * on the definition's body, which every module sharing that definition shares (EXTENDS, and
 * INSTANCE copies of it, also LOCAL ones: `Nat <- [M]MyNat` changes Nat wherever Naturals'
 * Nat is meant); so does this.
 */
export interface ScopedOverride {
  module: string;
  name: string;
  /** `Op` of the root module, or a constant value. */
  to: { k: "op"; op: string } | { k: "value"; value: Val };
  /** Where the cfg writes it. */
  loc: SourceLocation;
}

/** A definition as TLC's override sees it: the body it shares, or the built-in. */
type DefinitionKey = Expr | Builtin;

/** How declared constants and variables are bound while populating an environment. */
type Mode =
  | { k: "root"; constant: (name: string, decl: Param, span: Span, origin: Origin) => GlobalBinding }
  | { k: "instance"; subs: Map<string, Expr>; outer: ModuleEnv; what: string; span: Span; scope: Scope | null };

/** Builds the environments of one model. */
export class EnvBuilder {
  /** State variables in slot order. */
  readonly variables: string[] = [];
  readonly variableSpans: { file: string; span: Span }[] = [];
  readonly assumptions: Assumption[] = [];
  /** Declared constants of the root context (name → declaration). */
  readonly constants = new Map<string, { decl: Param; span: Span; origin: Origin }>();

  /** The frame layout operators of the environment being built close over (specialised instances). */
  private closure: Layout | null = null;
  /** The cfg's module-scoped overrides by the definition they replace, with its arity. */
  private readonly overrides = new Map<DefinitionKey, { o: ScopedOverride; arity: number; rootLevel: boolean }>();
  /** Building a LET instance: the root's own overrides do not reach into it (see letInstance). */
  private inLet = false;
  /** The root environment (a scoped `<-` names one of its definitions). */
  private rootEnv: ModuleEnv | null = null;

  constructor(
    readonly table: ModuleTable,
    scoped: readonly ScopedOverride[] = [],
  ) {
    for (const o of scoped) this.override(o, false);
  }

  /**
   * Register a cfg override of a definition (before {@link root}). With `ifDefinition`, a name
   * that is no definition of the module is left alone (false): the root's `X <- Op` may name a
   * declared constant.
   */
  override(o: ScopedOverride, ifDefinition: boolean): boolean {
    if (!this.table.has(o.module) && !STANDARD_MODULES.has(o.module)) throw new TlaError("cfg", `module ${o.module} is not part of the spec`, o.loc);
    const def = this.definitionOf(o.module, o.name, new Set());
    if (!def && ifDefinition) return false;
    // As TLC: definitions only, not declared constants (those take a plain `X = v` or `X <- Op`).
    if (!def) throw new TlaError("cfg", `${o.name} is not a definition of module ${o.module}`, o.loc);
    if (o.to.k === "value" && def.arity > 0) {
      throw new TlaError("cfg", `${o.name} of module ${o.module} takes ${def.arity} argument(s); override it with ${o.name} <- [${o.module}]Op`, o.loc);
    }
    this.overrides.set(def.key, { o, arity: def.arity, rootLevel: ifDefinition });
    return true;
  }

  /** The definition `name` means in module `module` (its own, or one it imports), if any. */
  private definitionOf(module: string, name: string, seen: Set<string>): { key: DefinitionKey; arity: number } | null {
    if (seen.has(module)) return null;
    seen.add(module);
    const mod = this.table.get(module);
    if (!mod) {
      const b = STANDARD_MODULES.get(module)?.get(name);
      return b ? { key: b, arity: b.arity } : null;
    }
    for (const u of mod.units) {
      if (u.k === "op" && u.name === name) return { key: u.body, arity: u.params.length };
      if (u.k === "fn" && u.name === name) return { key: u.body, arity: 0 };
    }
    const imports = [...mod.extends.map((x) => x.name), ...mod.units.flatMap((u) => (u.k === "inst" && !u.name ? [u.module] : []))];
    for (const m of imports) {
      const d = this.definitionOf(m, name, seen);
      if (d) return d;
    }
    return null;
  }

  /** Bind a definition, or what the cfg overrides it with. */
  private bindDefinition(env: ModuleEnv, name: string, key: DefinitionKey, binding: GlobalBinding): void {
    const over = this.overrides.get(key);
    if (!over || (over.rootLevel && this.inLet)) {
      env.defs.set(name, binding);
      return;
    }
    if (over.rootLevel) env.unoverridden.set(name, binding);
    if (over.o.to.k === "value") env.defs.set(name, constBinding(name, over.o.to.value));
    else {
      // Resolved in the root environment when used (it may be defined after the instance).
      const span: Span = { line: over.o.loc.line, col: over.o.loc.column, endLine: over.o.loc.line, endCol: over.o.loc.column, start: 0, end: 0 };
      env.defs.set(name, { k: "subst", expr: { k: "id", name: over.o.to.op, span }, env: this.rootEnv!, scope: null, name });
    }
  }

  /**
   * A copy of a parameterised instance for one use site `P(a1, ..., an)!Op`: the parameters are
   * substituted by the argument expressions (by name, as TLA+ substitution is syntactic), which
   * are compiled in the use site's scope.
   */
  specialise(inst: InstanceRef, argsEnv: ModuleEnv, args: readonly Expr[], useScope: Scope): ModuleEnv {
    const penv = new ModuleEnv(inst.outer.name, inst.outer.origin);
    for (const [k, v] of inst.outer.defs) penv.defs.set(k, v);
    inst.params.forEach((p, i) => penv.defs.set(p.name, { k: "subst", expr: args[i]!, env: argsEnv, scope: useScope, name: p.name }));
    const saved = this.closure;
    this.closure = useScope.layout;
    try {
      return this.instantiate(inst.module, inst.subs, penv, [], inst.span, inst.outer.origin);
    } finally {
      this.closure = saved;
    }
  }

  /**
   * `LET I == INSTANCE M WITH ...` inside an operator: the substitutions are compiled in the LET's
   * scope (they may name its bound variables and parameters) and M's operators close over its frame.
   * The root's overrides (`Op <- MCOp`) do not apply inside it: TLC sets them on the root's
   * definition, not on the fresh copies an INSTANCE in a LET makes, and specs use exactly this to
   * reach the original (`LET CC == INSTANCE M IN CC!Op` inside the operator substituted for Op).
   * Overrides scoped to a module (`Op <- [M]MCOp`) do apply.
   */
  letInstance(module: string, subs: [string, Expr][], useScope: Scope, span: Span): ModuleEnv {
    const saved = this.closure;
    const savedLet = this.inLet;
    this.closure = useScope.layout;
    this.inLet = true;
    try {
      return this.instantiate(module, subs, useScope.env, [], span, useScope.origin, useScope);
    } finally {
      this.closure = saved;
      this.inLet = savedLet;
    }
  }

  /** The root environment of `mod`; `constant` binds each declared constant. */
  root(mod: ModuleAst, constant: (name: string, decl: Param, span: Span, origin: Origin) => GlobalBinding): ModuleEnv {
    const env = new ModuleEnv(mod.name, { file: mod.file, source: mod.source });
    this.rootEnv = env;
    this.populate(env, mod, { k: "root", constant }, new Set());
    for (const { o, arity } of this.overrides.values()) {
      if (o.to.k !== "op") continue;
      const target = env.defs.get(o.to.op);
      const targetArity = !target ? null : target.k === "op" ? target.def.params.length : target.k === "builtin" ? target.b.arity : 0;
      if (targetArity === null) throw new TlaError("cfg", `unknown operator ${o.to.op} substituted for ${o.name} of module ${o.module}`, o.loc);
      if (targetArity !== arity) throw new TlaError("cfg", `${o.to.op} takes ${targetArity} argument(s) but ${o.name} of module ${o.module} takes ${arity}`, o.loc);
    }
    return env;
  }

  private populate(env: ModuleEnv, mod: ModuleAst, mode: Mode, visited: Set<string>): void {
    if (visited.has(mod.name)) return;
    visited.add(mod.name);
    const origin: Origin = { file: mod.file, source: mod.source };
    for (const ext of mod.extends) this.include(env, ext.name, ext.span, origin, mode, visited);
    for (const u of mod.units) {
      switch (u.k) {
        case "variables":
          u.names.forEach((name, i) => {
            if (mode.k === "root") {
              if (env.defs.get(name)?.k === "var") return;
              const slot = this.variables.length;
              this.variables.push(name);
              this.variableSpans.push({ file: mod.file, span: u.spans[i]! });
              env.defs.set(name, { k: "var", slot, name });
            } else env.defs.set(name, { ...this.substitute(name, mode, origin, u.span, env), variable: true });
          });
          break;
        case "constants":
          for (const d of u.decls) {
            if (mode.k === "root") {
              this.constants.set(d.name, { decl: d, span: u.span, origin });
              env.defs.set(d.name, mode.constant(d.name, d, u.span, origin));
            } else env.defs.set(d.name, this.substitute(d.name, mode, origin, u.span, env));
          }
          break;
        case "op": {
          // A CommunityModules operator TLC replaces by a Java override: its native form.
          const native = u.params.every((p) => p.arity === 0) ? communityOverride(mod.name, u.name, u.params.length) : undefined;
          this.bindDefinition(env, u.name, u.body, native ? { k: "builtin", b: native } : { k: "op", def: new OpDef(u.name, u.params, u.body, env, origin, u.span, this.closure, null) });
          break;
        }
        case "fn":
          this.bindDefinition(env, u.name, u.body, { k: "op", def: new OpDef(u.name, [], u.body, env, origin, u.span, this.closure, null, u.bounds) });
          break;
        case "inst": {
          const target = this.table.get(u.module);
          if (u.name) {
            const ienv = this.instantiate(u.module, u.subs, env, u.params, u.moduleSpan, origin);
            env.defs.set(u.name, { k: "inst", inst: { env: ienv, params: u.params, module: u.module, subs: u.subs, outer: env, span: u.moduleSpan, def: { span: u.span, file: origin.file } } });
          } else if (!target && STANDARD_MODULES.has(u.module)) {
            this.include(env, u.module, u.moduleSpan, origin, mode, visited);
          } else {
            const ienv = this.instantiate(u.module, u.subs, env, [], u.moduleSpan, origin);
            const substituted = [...ienv.defs.values()].some((v) => v.k === "subst");
            for (const [k, v] of ienv.defs) {
              if (v.k !== "subst" || !env.defs.has(k)) env.defs.set(k, v);
              if (substituted && v.k === "op") env.viaInstance.set(v, { span: u.span, file: origin.file });
            }
          }
          break;
        }
        case "assume":
          if (mode.k === "root") this.assumptions.push({ name: u.name, expr: u.e, env, span: u.span, origin });
          // A named assumption defines its name as an operator, like a theorem.
          if (u.name) env.defs.set(u.name, { k: "op", def: new OpDef(u.name, [], u.e, env, origin, u.span, this.closure, null) });
          break;
        case "recursive":
        case "module":
          break;
        default: {
          const never: never = u;
          throw new Error(`internal: ${JSON.stringify(never)}`);
        }
      }
    }
  }

  private include(env: ModuleEnv, name: string, span: Span, origin: Origin, mode: Mode, visited: Set<string>): void {
    const std = STANDARD_MODULES.get(name);
    const mod = this.table.get(name);
    if (std && !mod) {
      for (const [k, b] of std) if (!env.defs.has(k)) this.bindDefinition(env, k, b, { k: "builtin", b });
      return;
    }
    if (!mod) throw new TlaError("semantic", `Cannot find module ${name}`, { file: origin.file, line: span.line, column: span.col });
    this.populate(env, mod, mode, visited);
  }

  private substitute(name: string, mode: Extract<Mode, { k: "instance" }>, origin: Origin, span: Span, env: ModuleEnv): Extract<GlobalBinding, { k: "subst" }> {
    const explicit = mode.subs.get(name);
    if (explicit) return { k: "subst", expr: explicit, env: mode.outer, scope: mode.scope, name };
    if (mode.outer.defs.has(name) || env.instParams.some((p) => p.name === name) || mode.outer.instParams.some((p) => p.name === name) || mode.scope?.lookupLocal(name)) {
      return { k: "subst", expr: { k: "id", name, span: mode.span }, env: mode.outer, scope: mode.scope, name };
    }
    void origin;
    void span;
    throw new TlaError(
      "semantic",
      `INSTANCE ${mode.what}: no substitution for ${name}, and the instantiating module defines no ${name}`,
      { file: mode.outer.origin.file, line: mode.span.line, column: mode.span.col },
    );
  }

  /** A copy of module `name` with substitutions, seen from `outer`. */
  instantiate(name: string, subs: [string, Expr][], outer: ModuleEnv, params: readonly Param[], span: Span, origin: Origin, scope: Scope | null = null): ModuleEnv {
    const mod = this.table.get(name);
    const ienv = new ModuleEnv(name, mod ? { file: mod.file, source: mod.source } : origin);
    ienv.instParams = params;
    if (!mod) {
      const std = STANDARD_MODULES.get(name);
      if (!std) throw new TlaError("semantic", `Cannot find module ${name}`, { file: origin.file, line: span.line, column: span.col });
      for (const [k, b] of std) this.bindDefinition(ienv, k, b, { k: "builtin", b });
      return ienv;
    }
    this.populate(ienv, mod, { k: "instance", subs: new Map(subs), outer, what: name, span, scope }, new Set());
    return ienv;
  }
}

/** Bind a constant to a value. */
export function constBinding(name: string, value: Val): GlobalBinding {
  return { k: "const", value, name };
}

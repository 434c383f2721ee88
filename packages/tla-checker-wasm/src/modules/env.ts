/**
 * Building module environments: EXTENDS merges a module's names into the extender's,
 * INSTANCE makes a copy of a module's definitions with its constants and variables replaced by
 * the substitutions (explicit `WITH x <- e`, or the same-named identifiers of the instantiating
 * module).
 *
 * @module
 */
import type { Expr, ModuleAst, Param, Span } from "../ast/types.js";
import { TlaError } from "../model.js";
import { STANDARD_MODULES } from "../stdlib/index.js";
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

/** How declared constants and variables are bound while populating an environment. */
type Mode =
  | { k: "root"; constant: (name: string, decl: Param, span: Span, origin: Origin) => GlobalBinding }
  | { k: "instance"; subs: Map<string, Expr>; outer: ModuleEnv; what: string; span: Span };

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

  constructor(readonly table: ModuleTable) {}

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

  /** The root environment of `mod`; `constant` binds each declared constant. */
  root(mod: ModuleAst, constant: (name: string, decl: Param, span: Span, origin: Origin) => GlobalBinding): ModuleEnv {
    const env = new ModuleEnv(mod.name, { file: mod.file, source: mod.source });
    this.populate(env, mod, { k: "root", constant }, new Set());
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
            } else env.defs.set(name, this.substitute(name, mode, origin, u.span, env));
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
        case "op":
          env.defs.set(u.name, { k: "op", def: new OpDef(u.name, u.params, u.body, env, origin, u.span, this.closure, null) });
          break;
        case "fn":
          env.defs.set(u.name, { k: "op", def: new OpDef(u.name, [], u.body, env, origin, u.span, this.closure, null, u.bounds) });
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
            for (const [k, v] of ienv.defs) if (v.k !== "subst" || !env.defs.has(k)) env.defs.set(k, v);
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
      for (const [k, b] of std) if (!env.defs.has(k)) env.defs.set(k, { k: "builtin", b });
      return;
    }
    if (!mod) throw new TlaError("semantic", `Cannot find module ${name}`, { file: origin.file, line: span.line, column: span.col });
    this.populate(env, mod, mode, visited);
  }

  private substitute(name: string, mode: Extract<Mode, { k: "instance" }>, origin: Origin, span: Span, env: ModuleEnv): GlobalBinding {
    const explicit = mode.subs.get(name);
    if (explicit) return { k: "subst", expr: explicit, env: mode.outer, scope: null, name };
    if (mode.outer.defs.has(name) || env.instParams.some((p) => p.name === name) || mode.outer.instParams.some((p) => p.name === name)) {
      return { k: "subst", expr: { k: "id", name, span: mode.span }, env: mode.outer, scope: null, name };
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
  instantiate(name: string, subs: [string, Expr][], outer: ModuleEnv, params: readonly Param[], span: Span, origin: Origin): ModuleEnv {
    const mod = this.table.get(name);
    const ienv = new ModuleEnv(name, mod ? { file: mod.file, source: mod.source } : origin);
    ienv.instParams = params;
    if (!mod) {
      const std = STANDARD_MODULES.get(name);
      if (!std) throw new TlaError("semantic", `Cannot find module ${name}`, { file: origin.file, line: span.line, column: span.col });
      for (const [k, b] of std) ienv.defs.set(k, { k: "builtin", b });
      return ienv;
    }
    this.populate(ienv, mod, { k: "instance", subs: new Map(subs), outer, what: name, span }, new Set());
    return ienv;
  }
}

/** Bind a constant to a value. */
export function constBinding(name: string, value: Val): GlobalBinding {
  return { k: "const", value, name };
}

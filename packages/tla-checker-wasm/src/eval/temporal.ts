/**
 * Temporal formulas compiled for liveness checking: the engine gets a tree of temporal operators
 * whose leaves are compiled state and action predicates, with bounded `\A`/`\E` over constant
 * sets, `IF`, `LET`, operator applications and instance-prefixed operators expanded (as TLC's
 * `Liveness.astToLive` does before building its tableau). Every subformula without temporal
 * operators is one leaf, a constant one a boolean; `src/check/live/normalize.ts` turns the tree
 * into the search's solutions.
 *
 * @module
 */
import type { Expr } from "../ast/types.js";
import { TlaError, type EvalContext, type SourceLocation, type State } from "../model.js";
import { formatValue } from "../values/format.js";
import { SetValue, type Val } from "../values/value.js";
import type { ActionCompiler } from "./action.js";
import type { Compiler } from "./compile.js";
import { spanText, type C, type Ctx, type Frame } from "./context.js";
import { Layout, ModuleEnv, Scope, depthOf, type OpDef } from "./scope.js";

/**
 * A temporal formula whose leaves are compiled predicates. A leaf object is one occurrence of a
 * subformula: the liveness normal form treats two leaves as the same atom only when they are the
 * same object (as TLC compares its tagged atoms), so a shared guard stays one atom.
 */
export type LiveFormula =
  | { k: "bool"; value: boolean }
  /** `text` is the leaf's whole source text (whitespace collapsed). */
  | { k: "state"; text: string; holds(state: State, ctx: EvalContext): boolean }
  | { k: "action"; text: string; holds(from: State, to: State, ctx: EvalContext): boolean }
  | { k: "not"; f: LiveFormula }
  | { k: "and"; fs: LiveFormula[] }
  | { k: "or"; fs: LiveFormula[] }
  | { k: "always"; f: LiveFormula }
  | { k: "eventually"; f: LiveFormula }
  | { k: "leadsto"; from: LiveFormula; to: LiveFormula }
  | {
      /** WF_v(A) (strong: SF_v(A)): `step` is <<A>>_v, `enabled` is ENABLED <<A>>_v. */
      k: "fair";
      strong: boolean;
      text: string;
      step(from: State, to: State, ctx: EvalContext): boolean;
      enabled(state: State, ctx: EvalContext): boolean;
    };

/** A formula without temporal operators as one leaf; constant ones are evaluated now, as TLC does. */
function leaf(l: number, f: C, frame: Frame, text: string, where: SourceLocation): LiveFormula {
  if (l === 0) return { k: "bool", value: bool(f({ s: [], n: null, ec: { level: 0 } }, frame), text, where) };
  if (l === 2) return { k: "action", text, holds: (from, to, ec) => bool(f({ s: from as Val[], n: to as Val[], ec }, frame), text, where) };
  return { k: "state", text, holds: (state, ec) => bool(f({ s: state as Val[], n: null, ec }, frame), text, where) };
}

function bool(v: Val, text: string, where?: SourceLocation): boolean {
  if (typeof v === "boolean") return v;
  throw new TlaError("eval", `${text} evaluated to ${formatValue(v)}, not a boolean`, where);
}

/** Expands temporal formulas of one model. */
export class TemporalCompiler {
  /** Operators being expanded, to refuse a recursive one instead of looping. */
  private readonly expanding = new Set<OpDef>();

  constructor(
    private readonly cx: Compiler,
    private readonly actions: ActionCompiler,
  ) {}

  /**
   * Compile `e` (in scope `s`, with `frame` holding the values of its bound names). As TLC's
   * `astToLive`, a subformula without temporal operators becomes one leaf (a constant one is
   * evaluated now), whatever its boolean structure; only temporal structure is kept as nodes.
   */
  compile(e: Expr, s: Scope, frame: Frame): LiveFormula {
    const text = spanText(s.origin, e.span);
    switch (e.k) {
      case "temporal": {
        const f = this.compile(e.e, s, frame);
        return e.op === "[]" ? { k: "always", f } : { k: "eventually", f };
      }
      case "leadsto":
        return { k: "leadsto", from: this.compile(e.a, s, frame), to: this.compile(e.b, s, frame) };
      case "fair": {
        const stepExpr: Expr = { k: "step", angle: true, action: e.action, sub: e.sub, span: e.span };
        const step = this.cx.expr(stepExpr, s).f;
        const enabled = this.actions.enabled(stepExpr, s).f;
        const fr = frame;
        const at = { file: s.origin.file, line: e.span.line, column: e.span.col };
        return {
          k: "fair",
          strong: e.strong,
          text,
          step: (from, to, ec) => bool(step({ s: from as Val[], n: to as Val[], ec }, fr), text, at),
          enabled: (state, ec) => bool(enabled({ s: state as Val[], n: null, ec }, fr), text, at),
        };
      }
      default:
        break;
    }
    const whole = this.cx.expr(e, s);
    const where = { file: s.origin.file, line: e.span.line, column: e.span.col };
    if (whole.l < 3) return leaf(whole.l, whole.f, frame, s.origin.source.slice(e.span.start, e.span.end).replace(/\s+/g, " "), where);
    switch (e.k) {
      case "and":
        return { k: "and", fs: e.items.map((x) => this.compile(x, s, frame)) };
      case "or":
        return { k: "or", fs: e.items.map((x) => this.compile(x, s, frame)) };
      case "if": {
        // IF c THEN t ELSE u is (c /\ t) \/ (~c /\ u), with one occurrence of c (TLC's rule).
        const c = this.compile(e.c, s, frame);
        return {
          k: "or",
          fs: [
            { k: "and", fs: [c, this.compile(e.t, s, frame)] },
            { k: "and", fs: [{ k: "not", f: c }, this.compile(e.e, s, frame)] },
          ],
        };
      }
      case "quant":
        return this.quantifier(e, s, frame, text, where);
      case "app":
      case "id": {
        if (e.k === "app" && e.name === "~" && e.args.length === 1) return { k: "not", f: this.compile(e.args[0]!, s, frame) };
        if (e.k === "app" && e.name === "=>" && e.args.length === 2) {
          return { k: "or", fs: [{ k: "not", f: this.compile(e.args[0]!, s, frame) }, this.compile(e.args[1]!, s, frame)] };
        }
        const inlined = this.inline(e.name, e.k === "app" ? e.args : [], s, frame, e);
        if (inlined) return inlined;
        break;
      }
      case "let":
        return this.cx.let(e.defs, s, (inner) => this.compile(e.body, inner, frame));
      case "prefixed": {
        const env = this.cx.prefixEnv(e, s);
        const g = env.qualified(e.name);
        if (g && g.k === "op" && !g.def.closure && g.def.params.length === e.args.length) {
          return this.expandDef(g.def, e.args, s, frame, e);
        }
        break;
      }
      default:
        break;
    }
    throw new TlaError("unsupported", `TLC cannot handle the temporal formula ${text}`, where);
  }

  /** `\A x \in S : F` and `\E x \in S : F` over constant sets: one conjunct/disjunct per binding. */
  private quantifier(e: Extract<Expr, { k: "quant" }>, s: Scope, frame: Frame, text: string, where: SourceLocation): LiveFormula {
    const inner = s.child();
    const cb = this.cx.bounds(e.bounds, s, inner);
    // TLC expands the quantifier only over sets it can enumerate before the search.
    if (cb.l > 0) throw new TlaError("unsupported", `TLC cannot handle the temporal formula ${text}: its quantifier ranges over a set that depends on the state`, where);
    const fs: LiveFormula[] = [];
    const ctx: Ctx = { s: [], n: null, ec: { level: 0 } };
    const fr = frame.slice();
    const sets = cb.groups.map((g) => g.set(ctx, fr));
    const rec = (gi: number, ni: number): void => {
      if (gi === cb.groups.length) {
        fs.push(this.compile(e.body, inner, fr.slice()));
        return;
      }
      const g = cb.groups[gi]!;
      const sv = sets[gi]!;
      if (!(sv instanceof SetValue) || !sv.finite) throw new TlaError("unsupported", `TLC cannot handle the temporal formula ${text}: its quantifier ranges over a non-enumerable set`, where);
      for (const x of sv.elems()) {
        if (g.tuple) {
          const t = x as unknown as { rng: Val[] };
          g.slots.forEach((sl, i) => (fr[sl] = t.rng[i]!));
          rec(gi + 1, 0);
        } else {
          fr[g.slots[ni]!] = x;
          if (ni + 1 < g.slots.length) rec(gi, ni + 1);
          else rec(gi + 1, 0);
        }
      }
    };
    rec(0, 0);
    // Over the empty set TLC gives the constant (TRUE for \A, FALSE for \E).
    if (fs.length === 0) return { k: "bool", value: e.q === "A" };
    return { k: e.q === "A" ? "and" : "or", fs };
  }

  private inline(name: string, args: readonly Expr[], s: Scope, frame: Frame, at: Expr): LiveFormula | null {
    const local = s.lookupLocal(name);
    if (local && local.k === "letop" && local.def.params.length === args.length) return this.expandDef(local.def, args, s, frame, at);
    if (local) return null;
    const g = s.env.defs.get(name);
    if (g && g.k === "op" && g.def.params.length === args.length && !g.def.fnBounds) return this.expandDef(g.def, args, s, frame, at);
    return null;
  }

  /**
   * Expand an operator application. Constant arguments are evaluated now; a module-level
   * operator with a state-level argument gets it substituted (as TLC binds arguments lazily).
   */
  private expandDef(def: OpDef, args: readonly Expr[], s: Scope, frame: Frame, at: Expr): LiveFormula {
    // TLC does not expand a RECURSIVE operator; one of temporal level is then beyond it.
    if (this.expanding.has(def)) {
      throw new TlaError("unsupported", `TLC cannot handle the temporal formula ${spanText(s.origin, at.span)}: ${def.name} is recursive`, {
        file: s.origin.file,
        line: at.span.line,
        column: at.span.col,
      });
    }
    this.expanding.add(def);
    try {
      return this.expandOnce(def, args, s, frame, at);
    } finally {
      this.expanding.delete(def);
    }
  }

  private expandOnce(def: OpDef, args: readonly Expr[], s: Scope, frame: Frame, at: Expr): LiveFormula {
    const argCs = this.cx.callArgs(def, args, s);
    const nInst = def.closure ? 0 : def.env.instParams.length;
    const lazy = def.params.some((p, i) => p.arity === 0 && argCs[i]!.l > 0);
    if (lazy) {
      if (def.closure || nInst > 0) {
        throw new TlaError("unsupported", `cannot expand the temporal formula ${spanText(s.origin, at.span)}: an argument is not a constant`, {
          file: s.origin.file,
          line: at.span.line,
          column: at.span.col,
        });
      }
      // The body sees each parameter as its argument expression, compiled where it was written.
      const env = new ModuleEnv(def.env.name, def.env.origin);
      for (const [k, v] of def.env.defs) env.defs.set(k, v);
      def.params.forEach((p, i) => env.defs.set(p.name, { k: "subst", expr: args[i]!, env: s.env, scope: s, name: p.name }));
      return this.compile(def.body, new Scope(env, s.layout, new Map(), null, def.origin), frame);
    }
    const { scope } = this.cx.defScope(def);
    const ctx: Ctx = { s: [], n: null, ec: { level: 0 } };
    const fr: Frame = [];
    fr[0] = def.closure ? upTo(frame, s.layout, def.closure) : null;
    let k = 1;
    // A definition of a parameterised instance reads the instance's parameters first.
    if (nInst > 0) {
      let root = s.layout;
      while (root.parent) root = root.parent;
      const src = upTo(frame, s.layout, root);
      for (let i = 1; i <= nInst; i++) fr[k++] = src[i];
    }
    for (const a of argCs) fr[k++] = a.f(ctx, frame);
    return this.compile(def.body, scope, fr);
  }

  /** The top-level scope and frame for a formula of a module environment. */
  static top(scope: Scope): { scope: Scope; frame: Frame } {
    return { scope, frame: [null] };
  }
}

function upTo(frame: Frame, from: Layout, target: Layout): Frame {
  let fr = frame;
  for (let d = depthOf(from, target); d > 0; d--) fr = fr[0] as Frame;
  return fr;
}

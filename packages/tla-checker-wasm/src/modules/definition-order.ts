/**
 * Two of SANY's static checks that the compiler, which resolves names lazily, would otherwise let
 * pass: a name defined or declared twice in one module, and a name used before its definition
 * (TLA+ is read top to bottom; only a RECURSIVE declaration lets an operator be used first, and
 * only a recursive function `f[x \in S] == ...` may refer to itself). TLC refuses such a spec with
 * SANY's "already defined or declared" and "Unknown operator"; accepting it would check a spec
 * TLC does not.
 *
 * Names from other modules (EXTENDS, INSTANCE, the standard modules) are left to the compiler.
 *
 * @module
 */
import type { Def, Expr, ModuleAst, Span } from "../ast/types.js";
import { children } from "../eval/compile.js";
import { TlaError } from "../model.js";

/** Throw SANY's error for the first duplicate or forward reference in `mod` (not its nested modules). */
export function checkDefinitionOrder(mod: ModuleAst): void {
  const at = (span: Span, message: string): TlaError => new TlaError("semantic", message, { file: mod.file, line: span.line, column: span.col });
  // Where each module-level name of this module is introduced.
  const introduced = new Map<string, Span>();
  const introduce = (name: string, span: Span): void => {
    const first = introduced.get(name);
    if (first) throw at(span, `Operator ${name} already defined or declared (first at line ${first.line}, column ${first.col})`);
    introduced.set(name, span);
  };
  for (const u of mod.units) {
    switch (u.k) {
      case "variables":
        u.names.forEach((n, i) => introduce(n, u.spans[i] ?? u.span));
        break;
      case "constants":
        for (const d of u.decls) introduce(d.name, u.span);
        break;
      case "op":
      case "fn":
        // Operators made for subexpression references (`Inv!2`) are not written by the user.
        if (!u.name.includes("!")) introduce(u.name, u.span);
        break;
      case "inst":
      case "assume":
        if (u.name) introduce(u.name, u.span);
        break;
      case "module":
      case "recursive":
        break;
    }
  }

  const defined = new Set<string>();
  // LET definitions further down the LET being walked: visible only after their own definition.
  let laterInLet = new Map<string, Span>();
  const use = (name: string, span: Span, bound: ReadonlySet<string>): void => {
    const base = name.includes("!") ? name.slice(0, name.indexOf("!")) : name;
    if (bound.has(base)) return;
    const def = laterInLet.get(base) ?? (defined.has(base) ? undefined : introduced.get(base));
    if (!def) return;
    throw at(
      span,
      `Unknown operator: ${base} (it is defined at line ${def.line}, after this use; TLA+ requires a definition before its use — declare it RECURSIVE for recursion)`,
    );
  };
  const walk = (e: Expr, bound: ReadonlySet<string>): void => {
    const withNames = (names: readonly string[]): Set<string> => new Set([...bound, ...names]);
    switch (e.k) {
      case "id":
        use(e.name, e.span, bound);
        return;
      case "app":
        use(e.name, e.span, bound);
        for (const a of e.args) walk(a, bound);
        return;
      case "prefixed":
        if (e.path.length > 0) use(e.path[0]!.name, e.span, bound);
        for (const p of e.path) for (const a of p.args) walk(a, bound);
        for (const a of e.args) walk(a, bound);
        return;
      case "quant":
      case "setmap":
      case "fnlit": {
        const inner = withNames(e.bounds.flatMap((b) => b.names));
        for (const b of e.bounds) walk(b.set, inner);
        walk(e.k === "setmap" ? e.map : e.body, inner);
        return;
      }
      case "uquant":
        walk(e.body, withNames(e.names));
        return;
      case "choose":
        if (e.set) walk(e.set, bound);
        walk(e.body, withNames(e.names));
        return;
      case "setfilter":
        walk(e.bound.set, bound);
        walk(e.pred, withNames(e.bound.names));
        return;
      case "lambda":
        walk(e.body, withNames(e.params));
        return;
      case "let": {
        const inner = new Set(bound);
        const outer = laterInLet;
        laterInLet = new Map(outer);
        for (const d of e.defs) if (d.k === "op" || d.k === "fn" || (d.k === "inst" && d.name)) laterInLet.set(d.name!, d.span);
        for (const d of e.defs) {
          walkDef(d, inner, (n) => {
            inner.add(n);
            laterInLet.delete(n);
          });
        }
        laterInLet = outer;
        walk(e.body, inner);
        return;
      }
      default:
        for (const c of children(e)) walk(c, bound);
    }
  };
  // Walk one definition; `add` makes its name visible to what follows (before its body for the
  // forms that may refer to themselves).
  const walkDef = (d: Def, bound: Set<string>, add: (name: string) => void): void => {
    switch (d.k) {
      case "recursive":
        for (const p of d.names) add(p.name);
        return;
      case "op":
        walk(d.body, new Set([...bound, ...d.params.map((p) => p.name)]));
        add(d.name);
        return;
      case "fn":
        add(d.name);
        walk({ k: "fnlit", bounds: d.bounds, body: d.body, span: d.span }, bound);
        return;
      case "inst":
        for (const [, sub] of d.subs) walk(sub, new Set([...bound, ...d.params.map((p) => p.name)]));
        if (d.name) add(d.name);
        return;
    }
  };
  const none = new Set<string>();
  for (const u of mod.units) {
    switch (u.k) {
      case "variables":
        for (const n of u.names) defined.add(n);
        break;
      case "constants":
        for (const d of u.decls) defined.add(d.name);
        break;
      case "assume":
        walk(u.e, none);
        if (u.name) defined.add(u.name);
        break;
      case "module":
        break;
      default:
        walkDef(u, none, (n) => defined.add(n));
    }
  }
}

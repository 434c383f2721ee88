/**
 * The names of the actions of a next-state relation, as step labels name them, found statically:
 * the split descends through disjunctions, `\E`, LET, IF/CASE and applications of user-defined
 * operators (an action-level operator names what lies below it), and stops at anything else (a
 * conjunction, UNCHANGED, a built-in), which is one action named after the innermost action-level
 * operator above it. Conformance uses the list to report the actions no trace exercised, so an
 * action the model never enables is still listed.
 *
 * @module
 */
import type { Expr } from "../ast/types.js";
import { isSubexpressionName } from "../modules/subexpr.js";
import { expandApplication } from "../properties.js";
import type { Compiler } from "./compile.js";
import type { Scope } from "./scope.js";

/** Deeper nesting than this is treated as one action (recursive definitions cannot be split). */
const MAX_DEPTH = 64;

/** The distinct action names of `next` (in first-seen order), starting from the name `root`. */
export function actionNames(next: Expr, scope: Scope, root: string, compiler: Compiler): string[] {
  const out = new Set<string>();
  const walk = (e: Expr, s: Scope, name: string, depth: number, bound: ReadonlySet<string>): void => {
    if (depth > MAX_DEPTH) {
      out.add(name);
      return;
    }
    switch (e.k) {
      case "or":
        for (const x of e.items) walk(x, s, name, depth, bound);
        return;
      case "quant":
        if (e.q === "E") {
          const inner = new Set(bound);
          for (const b of e.bounds) for (const n of b.names) inner.add(n);
          walk(e.body, s, name, depth, inner);
          return;
        }
        break;
      case "let":
        walk(e.body, s, name, depth, bound);
        return;
      case "if":
        walk(e.t, s, name, depth, bound);
        walk(e.e, s, name, depth, bound);
        return;
      case "case":
        for (const [, arm] of e.arms) walk(arm, s, name, depth, bound);
        if (e.other) walk(e.other, s, name, depth, bound);
        return;
      case "id":
      case "app":
      case "prefixed": {
        if (e.k !== "prefixed" && bound.has(e.name)) break;
        const x = expandApplication(e, s, compiler, s.layout);
        if (x === null) break;
        compiler.ensureCompiled(x.def);
        // An action reached through an instance is one action, labelled `C!Op`.
        if (e.k === "prefixed" && x.def.level >= 2) {
          out.add(x.name);
          return;
        }
        walk(x.body, x.scope, x.def.level >= 2 && !isSubexpressionName(x.def.name) ? x.def.name : name, depth + 1, new Set());
        return;
      }
      default:
        break;
    }
    out.add(name);
  };
  walk(next, scope, root, 0, new Set());
  return [...out];
}

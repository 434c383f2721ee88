/**
 * A cheap test, per binding of an `\E`, that the body is certainly FALSE: the message handlers of
 * protocol specs.
 *
 * `\E i, j \in Server, m \in DOMAIN messages : HandleAppendEntriesRequest(i, j, m)` tries every
 * message with every pair of servers, and the handler's first conjuncts reject nearly all of them:
 *
 *     HandleAppendEntriesRequest(i, j, m) ==
 *         /\ m.mtype = AppendEntriesRequest
 *         /\ m.mdest = i /\ m.msource = j
 *         /\ ...
 *
 * Each rejected binding still costs an operator call (a frame, its arguments, the label) and three
 * compiled comparisons. The precheck reads those fields straight from the record and compares
 * them with the keys (literals, constants, bound variables) before the body is called; a binding
 * is skipped only when the body would have evaluated those same conjuncts, in the same order, to
 * FALSE without an error (a missing field, a record or set on either side, or values of kinds
 * that cannot be compared leave the binding to the body, which reports what TLC reports). The
 * bindings that remain are enumerated in the same order as before, and the body evaluates its
 * conjuncts itself, so successors, their order, TLC's generated counts and traces are unchanged.
 *
 * @module
 */
import type { Expr } from "../ast/types.js";
import { indexOfSorted } from "../values/sets.js";
import { Fcn, ModelValue, type Val } from "../values/value.js";
import type { C, Ctx, Frame } from "./context.js";
import type { Compiler } from "./compile.js";
import type { ModuleEnv, Scope } from "./scope.js";

/** Per binding: false when the body is certainly FALSE without an error; true: evaluate it. */
export type Precheck = (c: Ctx, f: Frame) => boolean;

/** `rec.field = key` with `rec` and `key` compiled in the quantifier's scope. */
interface FieldTest {
  rec: C;
  field: string;
  key: C;
}

/**
 * Where names are resolved while looking through operator bodies: the quantifier's own scope
 * (`subst` null), or the body of an operator applied in it, whose parameters stand for the
 * caller's arguments.
 */
interface Place {
  env: ModuleEnv;
  /** Parameters of the operator (and of operators it applies first) as expressions of the quantifier's scope. */
  subst: Map<string, Expr> | null;
  /** Names defined by LETs on the way in (they hide module-level names). */
  shadow: ReadonlySet<string>;
}

/** Operators looked through, at most (recursion guard). */
const MAX_DEPTH = 4;

/** The precheck of `body`, the body of an `\E` compiled in `scope`; null when it has none. */
export function guardPrecheck(cx: Compiler, body: Expr, scope: Scope): Precheck | null {
  return precheckOf(cx, body, scope, { env: scope.env, subst: null, shadow: new Set() }, 0);
}

function precheckOf(cx: Compiler, e: Expr, scope: Scope, at: Place, depth: number): Precheck | null {
  switch (e.k) {
    case "and": {
      const items = flatten(e.items);
      const tests: FieldTest[] = [];
      for (const item of items) {
        const t = fieldTest(cx, item, scope, at);
        if (t === null) break;
        tests.push(t);
      }
      if (tests.length > 0) return testsPrecheck(tests);
      return precheckOf(cx, items[0]!, scope, at, depth);
    }
    case "or": {
      const pres = e.items.map((x) => precheckOf(cx, x, scope, at, depth));
      if (pres.some((p) => p === null)) return null;
      const ps = pres as Precheck[];
      return (c, f) => {
        for (let i = 0; i < ps.length; i++) if (ps[i]!(c, f)) return true;
        return false;
      };
    }
    case "let": {
      // LET definitions are evaluated when used, not before the body.
      const shadow = new Set(at.shadow);
      for (const d of e.defs) if ("name" in d && d.name) shadow.add(d.name);
      return precheckOf(cx, e.body, scope, { ...at, shadow }, depth);
    }
    case "app": {
      const t = fieldTest(cx, e, scope, at);
      if (t !== null) return testsPrecheck([t]);
      return depth < MAX_DEPTH ? throughOperator(cx, e, scope, at, depth) : null;
    }
    default:
      return null;
  }
}

/** `/\ a /\ (b /\ c)`: the conjuncts in evaluation order. */
function flatten(items: readonly Expr[]): Expr[] {
  return items.flatMap((x) => (x.k === "and" ? flatten(x.items) : [x]));
}

/**
 * A module-level operator applied to arguments that are evaluated without error (literals,
 * constants, bound variables): the precheck of its body, its parameters standing for the
 * arguments.
 */
function throughOperator(cx: Compiler, e: Extract<Expr, { k: "app" }>, scope: Scope, at: Place, depth: number): Precheck | null {
  if (at.shadow.has(e.name) || at.subst?.has(e.name)) return null;
  if (at.subst === null && scope.lookupLocal(e.name) !== undefined) return null;
  const g = at.env.defs.get(e.name);
  if (!g || g.k !== "op") return null;
  const def = g.def;
  if (def.closure || def.fnBounds || def.env.instParams.length > 0 || def.params.length !== e.args.length) return null;
  if (def.params.some((p) => p.arity !== 0)) return null;
  if (cx.byNameParams(def).some(Boolean)) return null;
  const subst = new Map<string, Expr>();
  for (let i = 0; i < e.args.length; i++) {
    const arg = callerExpr(e.args[i]!, scope, at);
    if (arg === null) return null;
    subst.set(def.params[i]!.name, arg);
  }
  return precheckOf(cx, def.body, scope, { env: def.env, subst, shadow: new Set() }, depth + 1);
}

/**
 * `x` as an expression of the quantifier's scope that evaluates without error and without
 * reading the state: a literal, a bound variable, a CONSTANT (through the parameters of the
 * operators looked through); null otherwise.
 */
function callerExpr(x: Expr, scope: Scope, at: Place): Expr | null {
  if (x.k === "num" || x.k === "str" || x.k === "bool") return x;
  if (x.k !== "id") return null;
  if (at.shadow.has(x.name)) return null;
  if (at.subst !== null) {
    const mapped = at.subst.get(x.name);
    if (mapped !== undefined) return mapped;
    const g = at.env.defs.get(x.name);
    return g?.k === "const" && scope.env.defs.get(x.name) === g && scope.lookupLocal(x.name) === undefined ? x : null;
  }
  const local = scope.lookupLocal(x.name);
  if (local !== undefined) return local.k === "local" ? x : null;
  return scope.env.defs.get(x.name)?.k === "const" ? x : null;
}

/** `r.f = k` or `k = r.f` with `r` a bound variable and `k` a key: the compiled test. */
function fieldTest(cx: Compiler, e: Expr, scope: Scope, at: Place): FieldTest | null {
  if (e.k !== "app" || e.name !== "=" || e.args.length !== 2) return null;
  if (at.subst === null && scope.lookupLocal("=") !== undefined) return null;
  const [a, b] = e.args as [Expr, Expr];
  const dot = a.k === "dot" ? a : b.k === "dot" ? b : null;
  if (dot === null) return null;
  const other = dot === a ? b : a;
  // The record side is evaluated first when it is on the left; a key on the left is evaluated
  // first otherwise. Keys never fail, so the order does not change which error comes first.
  const rec = callerExpr(dot.rec, scope, at);
  if (rec === null || rec.k !== "id") return null;
  if (scope.lookupLocal(rec.name)?.k !== "local") return null;
  const key = keyOf(cx, other, scope, at);
  if (key === null) return null;
  return { rec: cx.expr(rec, scope).f, field: dot.field, key };
}

/**
 * A key compiled in the quantifier's scope: a literal, bound variable or CONSTANT, or a
 * constant-level module operator without parameters (`AppendEntriesRequest ==
 * "AppendEntriesRequest"`). The latter may fail; the test catches that and leaves the binding
 * to the body.
 */
function keyOf(cx: Compiler, x: Expr, scope: Scope, at: Place): C | null {
  const direct = callerExpr(x, scope, at);
  if (direct !== null) return cx.expr(direct, scope).f;
  if (x.k !== "id" || at.shadow.has(x.name) || at.subst?.has(x.name)) return null;
  if (at.subst === null && scope.lookupLocal(x.name) !== undefined) return null;
  const g = at.env.defs.get(x.name);
  if (!g || g.k !== "op") return null;
  const def = g.def;
  if (def.params.length > 0 || def.closure || def.fnBounds || def.env.instParams.length > 0) return null;
  cx.ensureCompiled(def);
  if (def.compiling || def.level !== 0 || def.impure) return null;
  return cx.callDef(def, [], x, scope).f;
}

function testsPrecheck(tests: readonly FieldTest[]): Precheck {
  const n = tests.length;
  const recs = tests.map((t) => t.rec);
  const fields = tests.map((t) => t.field);
  const keys = tests.map((t) => t.key);
  // Inline caches: records built at the same places share their domain array.
  const lastDom: (readonly Val[] | null)[] = tests.map(() => null);
  const lastIdx = new Int32Array(n);
  return (c, f) => {
    for (let t = 0; t < n; t++) {
      const r = recs[t]!(c, f);
      if (!(r instanceof Fcn)) return true;
      let idx: number;
      if (r.dom === lastDom[t]) idx = lastIdx[t]!;
      else {
        idx = indexOfSorted(r.dom, fields[t]!);
        if (idx < 0) return true;
        lastDom[t] = r.dom;
        lastIdx[t] = idx;
      }
      const v = r.rng[idx]!;
      let k: Val;
      try {
        k = keys[t]!(c, f);
      } catch {
        return true;
      }
      if (v === k) continue;
      if (!certainlyUnequal(v, k)) return true;
      return false;
    }
    return true;
  };
}

/**
 * Whether `v = k` is FALSE without an error, for `v !== k`: model values equal only themselves
 * and differ from any value; numbers, strings and booleans differ from values of their own kind;
 * anything else (records, sets, different kinds) is left to the evaluator.
 */
function certainlyUnequal(v: Val, k: Val): boolean {
  if (v instanceof ModelValue || k instanceof ModelValue) return true;
  const tv = typeof v;
  return tv !== "object" && tv === typeof k;
}

/**
 * Successor enumeration, as TLC does it: an action is walked left to right; a disjunction
 * yields each true branch, `\E` each witness, `x' \in S` each element, and `x' = e` assigns x'
 * when it is not assigned yet (otherwise it is an equality test). Every complete path is one
 * generated successor, duplicates included. Init is enumerated the same way on unprimed
 * variables.
 *
 * @module
 */
import type { Expr, Span } from "../ast/types.js";
import { TlaError, type SourceLocation } from "../model.js";
import { valueEquals } from "../values/compare.js";
import { formatValue } from "../values/format.js";
import { Fcn, SetValue, type Val } from "../values/value.js";
import { Thunk, evalError, locate, type C, type Ctx, type Frame, type Origin } from "./context.js";
import { forEachBinding, type CE, type Compiler } from "./compile.js";
import type { Bound } from "../ast/types.js";
import { Layout, ModuleEnv, OpDef, Scope, depthOf, type GlobalBinding } from "./scope.js";
import { isSubexpressionName } from "../modules/subexpr.js";
import { guardPrecheck } from "./guard-precheck.js";

/** The action label being built along an enumeration path. */
export interface LabelState {
  name: string;
  params: [string, Val][];
  location?: SourceLocation;
  /** How many of `params` are the operator's formal parameters (the rest are `\E`-bound names). */
  formals?: number;
}

/** The context of an action run: the evaluation context plus the label. */
export interface ActCtx extends Ctx {
  label: LabelState;
  /**
   * True when nobody reads the labels (the search wants the states only): the enumeration then
   * does not build them, which saves an allocation per binding and per action. An error raised
   * this way may name the wrong action; callers rerun with labels to report it.
   */
  unlabelled?: boolean;
}

/** Continuation: called once per complete path. */
export type K = () => void;

/** A compiled action. */
export type A = (c: ActCtx, f: Frame, k: K) => void;

/** Init enumerates unprimed assignments; Next primed ones. */
export type Mode = "init" | "next";

interface CompiledDefAction {
  act: A;
  frameSize: number;
}

function allAssigned(n: readonly (Val | undefined)[], count: number): boolean {
  for (let i = 0; i < count; i++) if (n[i] === undefined) return false;
  return true;
}

function up(f: Frame, depth: number): Frame {
  let fr = f;
  for (let i = 0; i < depth; i++) fr = fr[0] as Frame;
  return fr;
}

/** A by-name argument that is an action, with its enumerator compiled in the caller's scope. */
class ActionThunk extends Thunk {
  constructor(
    f: C,
    frame: Frame,
    varSlot: number,
    readonly act: A,
  ) {
    super(f, frame, varSlot);
  }
}

/** Compiles actions (Init, Next and the operators they call) into enumerators. */
export class ActionCompiler {
  private readonly defActs = new Map<OpDef, Map<string, CompiledDefAction>>();

  constructor(
    readonly cx: Compiler,
    readonly varNames: readonly string[],
  ) {
    cx.enabledHook = (e, s) => this.enabled(e, s);
  }

  /**
   * Compile `e` as an action in scope `s`. `head` is false inside conjunctions: an operator
   * applied there is part of the enclosing action, not an action of its own (as TLC splits Next
   * into actions only through disjunctions, \E and definitions).
   */
  action(e: Expr, s: Scope, mode: Mode, head = true): A {
    // Conjuncts that can neither branch nor assign are plain predicates: evaluate them directly.
    if (!this.mayBranch(e, s, mode, 0)) return this.guard(this.cx.expr(e, s), e.span, s);
    if (head && mode === "next" && this.isLeafAction(e, s)) return this.locatedAt(this.action(e, s, mode, false), e, s);
    switch (e.k) {
      case "and":
        return this.conjunction(e.items, s, mode);
      case "or": {
        const parts = e.items.map((x) => this.action(x, s, mode, head));
        return (c, f, k) => {
          for (let i = 0; i < parts.length; i++) parts[i]!(c, f, k);
        };
      }
      case "quant": {
        if (e.q === "A") return this.forall(e.bounds, e.body, s, mode, head);
        const inner = s.child();
        const cb = this.cx.bounds(e.bounds, s, inner);
        const body = this.action(e.body, inner, mode, head);
        const o = s.origin;
        const names = cb.groups.flatMap((g) => g.names);
        const slots = cb.groups.flatMap((g) => g.slots);
        const n = names.length;
        // Bindings whose body is certainly FALSE (a message handler's first conjuncts) are skipped.
        const pre = guardPrecheck(this.cx, e.body, inner);
        return (c, f, k) => {
          if (c.unlabelled === true) {
            forEachBinding(
              cb,
              c,
              f,
              pre === null
                ? () => {
                    body(c, f, k);
                    return false;
                  }
                : () => {
                    if (pre(c, f)) body(c, f, k);
                    return false;
                  },
              o,
            );
            return;
          }
          const params = c.label.params;
          const base = params.length;
          forEachBinding(
            cb,
            c,
            f,
            () => {
              if (pre !== null && !pre(c, f)) return false;
              // The body leaves the label's parameter list as it found it (base + n entries).
              const ps = c.label.params;
              for (let i = 0; i < n; i++) ps[base + i] = [names[i]!, f[slots[i]!] as Val];
              body(c, f, k);
              return false;
            },
            o,
          );
          if (c.label.params.length !== base) c.label.params.length = base;
          void params;
        };
      }
      case "if": {
        const cond = this.cx.expr(e.c, s).f;
        const t = this.action(e.t, s, mode, head);
        const el = this.action(e.e, s, mode, head);
        const o = s.origin;
        return (c, f, k) => {
          const v = cond(c, f);
          if (v === true) t(c, f, k);
          else if (v === false) el(c, f, k);
          else throw evalError(o, e.c.span, `A non-boolean expression (${formatValue(v)}) was used as the condition of an IF`);
        };
      }
      case "case": {
        const arms = e.arms.map(([g, a]) => [this.cx.expr(g, s).f, this.action(a, s, mode, head)] as const);
        const other = e.other ? this.action(e.other, s, mode, head) : null;
        const o = s.origin;
        return (c, f, k) => {
          for (const [g, a] of arms) {
            const v = g(c, f);
            if (v === true) return a(c, f, k);
            if (v !== false) throw evalError(o, e.span, `A CASE guard evaluated to ${formatValue(v)}, not a boolean`);
          }
          if (other) return other(c, f, k);
          throw evalError(o, e.span, "Attempted to evaluate a CASE with no conditions true");
        };
      }
      case "let":
        return this.cx.let(e.defs, s, (inner) => this.action(e.body, inner, mode, head));
      case "id":
      case "app": {
        const call = this.callAction(e.name, e.k === "app" ? e.args : [], e, s, mode, head);
        if (call) return call;
        if (e.k === "id") {
          const byName = this.byNameAction(e, s);
          if (byName) return byName;
        }
        if (e.k === "app" && e.args.length === 2 && (e.name === "=" || e.name === "\\in")) {
          const asg = this.assignment(e.name, e.args[0]!, e.args[1]!, e.span, s, mode);
          if (asg) return asg;
        }
        if (e.k === "app" && e.args.length === 2 && e.name === "\\cdot" && mode === "next" && !s.lookupLocal("\\cdot") && !s.env.defs.has("\\cdot")) {
          return this.composition(e.args[0]!, e.args[1]!, s);
        }
        if (e.k === "app" && e.args.length === 2 && e.name === "=>" && !s.lookupLocal("=>") && !s.env.defs.has("=>")) {
          // As TLC: A => B continues once when A is FALSE, and walks B as an action when A is TRUE.
          const cond = this.cx.expr(e.args[0]!, s).f;
          const then = this.action(e.args[1]!, s, mode, head);
          const o = s.origin;
          const span = e.args[0]!.span;
          return (c, f, k) => {
            const v = cond(c, f);
            if (v === false) return k();
            if (v !== true) throw evalError(o, span, `The left side of => evaluated to ${formatValue(v)}, not a boolean`);
            then(c, f, k);
          };
        }
        break;
      }
      case "prefixed": {
        const call = this.prefixedAction(e, s, mode, head);
        if (call) return call;
        break;
      }
      case "unchanged":
        return this.unchanged(e.e, s, mode, e.span);
      case "fnapp": {
        const call = this.fnAppAction(e, s, mode);
        if (call) return call;
        break;
      }
      case "step": {
        const a = this.action(e.action, s, mode, head);
        if (e.angle) {
          const sub = this.cx.expr(e.sub, s).f;
          const primed: Expr = { k: "prime", e: e.sub, span: e.sub.span };
          const subNext = this.cx.expr(primed, s).f;
          return (c, f, k) => a(c, f, () => (valueEquals(subNext(c, f), sub(c, f)) ? undefined : k()));
        }
        const u = this.unchanged(e.sub, s, mode, e.span);
        return (c, f, k) => {
          a(c, f, k);
          u(c, f, k);
        };
      }
      default:
        break;
    }
    return this.guard(this.cx.expr(e, s), e.span, s);
  }

  /**
   * Action composition `A \cdot B` (TLC's, behind `-Dtlc2.tool.impl.Tool.cdot=true`): every
   * successor of B from every successor of A. A must give every variable its next value; the
   * step's label stays the enclosing action's.
   */
  private composition(first: Expr, second: Expr, s: Scope): A {
    const a = this.action(first, s, "next", false);
    const b = this.action(second, s, "next", false);
    const nVars = this.varNames.length;
    const names = this.varNames;
    const o = s.origin;
    return (c, f, k) => {
      const mids: Val[][] = [];
      const ca: ActCtx = { s: c.s, n: new Array(nVars), ec: c.ec, label: c.label, ...(c.unlabelled ? { unlabelled: true } : {}) };
      a(ca, f, () => {
        const n = ca.n!;
        for (let i = 0; i < nVars; i++) {
          if (n[i] === undefined) throw evalError(o, first.span, `the first action of \\cdot does not give ${names[i]}' a value`);
        }
        mids.push(n.slice() as Val[]);
      });
      c.ec.intermediate = (c.ec.intermediate ?? 0) + mids.length;
      const out = c.n!;
      for (const mid of mids) {
        const cb: ActCtx = { s: mid, n: new Array(nVars), ec: c.ec, label: c.label, ...(c.unlabelled ? { unlabelled: true } : {}) };
        b(cb, f, () => {
          const before = out.slice();
          for (let i = 0; i < nVars; i++) if (cb.n![i] !== undefined) out[i] = cb.n![i];
          try {
            k();
          } finally {
            for (let i = 0; i < nVars; i++) out[i] = before[i];
          }
        });
      }
    };
  }

  /**
   * A conjunction, left to right. Conjuncts that cannot assign anything (guards) are tested in a
   * loop; only conjuncts that may assign continue through a closure.
   */
  private conjunction(items: readonly Expr[], s: Scope, mode: Mode): A {
    type Part =
      | { k: "guard"; f: C; span: Span }
      | { k: "asg"; slot: number; rhs: C; span: Span }
      | { k: "unch"; slots: number[]; span: Span }
      | { k: "act"; act: A; pred: C; span: Span };
    const parts: Part[] = items.map((x): Part => {
      // Deterministic assignments (`x' = e`, UNCHANGED <<...>>) run inline, without a continuation.
      if (x.k === "app" && x.name === "=" && x.args.length === 2 && !s.lookupLocal("=")) {
        const slot = this.target(x.args[0]!, s, mode);
        if (slot !== null) return { k: "asg", slot, rhs: this.cx.expr(x.args[1]!, s).f, span: x.span };
      }
      if (x.k === "unchanged" && mode === "next") {
        const slots = this.unchangedSlots(x.e, s, 0);
        if (slots) return { k: "unch", slots, span: x.span };
      }
      const g = this.guardOnly(x, s, mode);
      return g ? { k: "guard", f: g.f, span: x.span } : { k: "act", act: this.action(x, s, mode, false), pred: this.cx.expr(x, s).f, span: x.span };
    });
    const n = parts.length;
    const o = s.origin;
    const nVars = this.varNames.length;
    const test = (v: Val, span: Span): boolean => {
      if (v === true) return true;
      if (v !== false) throw evalError(o, span, `An action conjunct evaluated to ${formatValue(v)}, not a boolean`);
      return false;
    };
    const predOf = (p: Part): C => {
      switch (p.k) {
        case "guard":
          return p.f;
        case "act":
          return p.pred;
        case "asg":
          return (c, f) => valueEquals((mode === "next" ? c.n! : c.s)[p.slot]!, p.rhs(c, f));
        case "unch":
          return (c) => p.slots.every((sl) => valueEquals(c.n![sl]!, c.s[sl]!));
      }
    };
    const preds = parts.map(predOf);
    const run = (c: ActCtx, f: Frame, k: K, from: number): void => {
      const st = mode === "next" ? c.n! : c.s;
      // The slots this run assigned, to clear when it returns: a bit mask while the slots fit in
      // 31 bits (no array per run: this runs once per action tried on every state).
      let undoMask = 0;
      let undo: number[] | null = null;
      let complete = true;
      loop: for (let i = from; i < n; i++) {
        const p = parts[i]!;
        switch (p.k) {
          case "guard":
            if (!test(p.f(c, f), p.span)) {
              complete = false;
              break loop;
            }
            continue;
          case "asg": {
            const v = p.rhs(c, f);
            const cur = st[p.slot];
            if (cur === undefined) {
              st[p.slot] = v;
              if (p.slot < 31) undoMask |= 1 << p.slot;
              else (undo ??= []).push(p.slot);
            } else {
              let same: boolean;
              try {
                same = valueEquals(cur, v);
              } catch (err) {
                throw locate(err, o, p.span);
              }
              if (!same) {
                complete = false;
                break loop;
              }
            }
            continue;
          }
          case "unch":
            for (let j = 0; j < p.slots.length; j++) {
              const sl = p.slots[j]!;
              const cur = st[sl];
              if (cur === undefined) {
                st[sl] = c.s[sl];
                if (sl < 31) undoMask |= 1 << sl;
                else (undo ??= []).push(sl);
              } else if (!valueEquals(cur, c.s[sl]!)) {
                complete = false;
                break loop;
              }
            }
            continue;
          case "act":
            // As TLC: once every (primed, in Next) variable has a value, the remaining conjuncts
            // are plain predicates (a disjunction or \E there no longer yields several states).
            // TLC does this in Init too (Tool.getInitStates), which matters for inductive
            // invariants used as Init: `TypeOK /\ IInv` gives one state per assignment.
            if (i > 0 && allAssigned(st, nVars)) {
              for (let j = i; j < n; j++) {
                if (!test(preds[j]!(c, f), parts[j]!.span)) {
                  complete = false;
                  break loop;
                }
              }
              break loop;
            }
            complete = false;
            if (i === n - 1) p.act(c, f, k);
            else p.act(c, f, () => run(c, f, k, i + 1));
            break loop;
        }
      }
      if (complete) k();
      for (let sl = 0; undoMask !== 0; sl++, undoMask >>>= 1) if ((undoMask & 1) !== 0) st[sl] = undefined;
      if (undo) for (const sl of undo) st[sl] = undefined;
    };
    return (c, f, k) => run(c, f, k, 0);
  }

  /** If `e` can never assign a variable nor branch in this mode, its compiled predicate. */
  private guardOnly(e: Expr, s: Scope, mode: Mode): CE | null {
    if (this.mayBranch(e, s, mode, 0)) return null;
    return this.cx.expr(e, s);
  }

  private readonly branching = new Map<OpDef, Map<Mode, boolean>>();

  /**
   * Whether enumerating `e` may give other than one path: a disjunction, \E, or an assignment
   * somewhere in its action structure (through inlined definitions), as TLC walks it.
   */
  mayBranch(e: Expr, s: Scope, mode: Mode, depth: number): boolean {
    if (depth > 40) return true;
    switch (e.k) {
      case "or":
      case "unchanged":
      case "step":
      case "prefixed":
        return true;
      case "quant":
        return e.q === "E" || this.mayBranch(e.body, s, mode, depth + 1);
      case "and":
        return e.items.some((x) => this.mayBranch(x, s, mode, depth + 1));
      case "if":
        return this.mayBranch(e.t, s, mode, depth + 1) || this.mayBranch(e.e, s, mode, depth + 1);
      case "case":
        return e.arms.some(([, a]) => this.mayBranch(a, s, mode, depth + 1)) || (!!e.other && this.mayBranch(e.other, s, mode, depth + 1));
      case "let":
        return true;
      case "id":
      case "app": {
        if (e.k === "app" && (e.name === "=" || e.name === "\\in") && e.args.length === 2) {
          if (this.target(e.args[0]!, s, mode) !== null || this.byNameTarget(e.args[0]!, s, mode) || this.freeTarget(e.args[0]!, s, mode)) return true;
        }
        if (e.k === "app" && e.name === "=>" && e.args.length === 2) return this.mayBranch(e.args[1]!, s, mode, depth + 1);
        if (e.k === "app" && e.name === "\\cdot" && e.args.length === 2 && mode === "next" && !s.lookupLocal(e.name) && !s.env.defs.has(e.name)) return true;
        const local = s.lookupLocal(e.name);
        if (local) return local.k === "letop" || (local.k === "byname" && e.k === "id");
        const g = s.env.defs.get(e.name);
        if (!g) return false;
        if (g.k === "subst") return true;
        if (g.k !== "op" || g.def.fnBounds) return false;
        if (g.def.params.length === 0 && this.defLevel(g.def) === 0) return false;
        if (e.k === "app" && e.args.some((a) => this.assignable(a, s, mode))) return true; // may assign through a parameter (primedArgs)
        let memo = this.branching.get(g.def);
        if (!memo) {
          memo = new Map();
          this.branching.set(g.def, memo);
        }
        const known = memo.get(mode);
        if (known !== undefined) return known;
        memo.set(mode, true); // assume branching while recursing
        const { scope } = this.cx.defScope(g.def);
        const r = this.mayBranch(g.def.body, scope, mode, depth + 1);
        memo.set(mode, r);
        return r;
      }
      case "fnapp":
        // A function defined `f[x \in S] == e` applied in an action: its body is walked (fnAppAction).
        return this.walkableFn(e, s) !== null;
      default:
        return false;
    }
  }

  /**
   * `\A x \in S : A` in an action, as TLC enumerates it: the conjunction of the body for every
   * binding, each walked as an action (so its \/ and \E branch).
   */
  private forall(bounds: Bound[], body: Expr, s: Scope, mode: Mode, head: boolean): A {
    const inner = s.child();
    const cb = this.cx.bounds(bounds, s, inner);
    const act = this.action(body, inner, mode, head);
    const slots = cb.groups.flatMap((g) => g.slots);
    const o = s.origin;
    return (c, f, k) => {
      const bindings: Val[][] = [];
      forEachBinding(
        cb,
        c,
        f,
        () => {
          bindings.push(slots.map((sl) => f[sl] as Val));
          return false;
        },
        o,
      );
      const bind = (b: Val[]): void => slots.forEach((sl, i) => (f[sl] = b[i]!));
      const run = (i: number): void => {
        if (i === bindings.length) return k();
        bind(bindings[i]!);
        act(c, f, () => {
          run(i + 1);
          // Later instances rebound the slots; this instance may still enumerate more branches.
          bind(bindings[i]!);
        });
      };
      run(0);
    };
  }

  /** A predicate conjunct: the path continues when it is TRUE. */
  private guard(p: CE, span: Span, s: Scope): A {
    const pf = p.f;
    const o = s.origin;
    return (c, f, k) => {
      const v = pf(c, f);
      if (v === true) k();
      else if (v !== false) throw evalError(o, span, `An action conjunct evaluated to ${formatValue(v)}, not a boolean`);
    };
  }

  /** The state slot an assignment target denotes (`x'` in Next, `x` in Init), if any. */
  private target(lhs: Expr, s: Scope, mode: Mode): number | null {
    if (mode === "next") {
      if (lhs.k === "id" && !s.lookupLocal(lhs.name)) {
        // A parameter given a primed variable (`Set(x, x')`, see primedArgs): `new = e` assigns x'.
        const g = s.env.defs.get(lhs.name);
        if (g?.k !== "subst" || g.expr.k !== "prime" || g.expr.e.k !== "id") return null;
        const v = this.cx.resolveVar(g.expr.e.name, this.cx.substScope(g, s));
        return v ? v.slot : null;
      }
      if (lhs.k !== "prime" || lhs.e.k !== "id") return null;
      const v = this.cx.resolveVar(lhs.e.name, s);
      return v ? v.slot : null;
    }
    if (lhs.k !== "id") return null;
    const v = this.cx.resolveVar(lhs.name, s);
    return v ? v.slot : null;
  }

  /**
   * A by-name parameter used as an action: when the caller passed an action (an
   * {@link ActionThunk}), it is enumerated in the caller's scope, as TLC substitutes arguments by
   * name; otherwise it is a predicate.
   */
  private byNameAction(e: Extract<Expr, { k: "id" }>, s: Scope): A | null {
    const local = s.lookupLocal(e.name);
    if (!local || local.k !== "byname") return null;
    const depth = depthOf(s.layout, local.layout);
    const slot = local.slot;
    const pred = this.guard(this.cx.expr(e, s), e.span, s);
    return (c, f, k) => {
      const t = up(f, depth)[slot] as Thunk;
      if (t instanceof ActionThunk) return t.act(c, t.frame, k);
      pred(c, f, k);
    };
  }

  /** A by-name parameter in assignment position (`q' = e` with q bound to a variable by the caller). */
  private byNameTarget(lhs: Expr, s: Scope, mode: Mode): { depth: number; slot: number } | null {
    const id = mode === "next" ? (lhs.k === "prime" && lhs.e.k === "id" ? lhs.e : null) : lhs.k === "id" ? lhs : null;
    if (!id) return null;
    const local = s.lookupLocal(id.name);
    if (!local || local.k !== "byname") return null;
    return { depth: depthOf(s.layout, local.layout), slot: local.slot };
  }

  /**
   * `a'` where `a` is an instance variable substituted by an expression that is not a variable
   * (`INSTANCE M WITH a <- f(x)`): the binding, else null. Only ENABLED gives it a value of its own.
   */
  private freeTarget(lhs: Expr, s: Scope, mode: Mode): object | null {
    if (mode !== "next" || lhs.k !== "prime" || lhs.e.k !== "id" || s.lookupLocal(lhs.e.name)) return null;
    if (this.cx.resolveVar(lhs.e.name, s)) return null;
    const g = s.env.defs.get(lhs.e.name);
    return g && g.k === "subst" ? g : null;
  }

  /**
   * `a' = e` / `a' \in S` for such an `a`: inside ENABLED, TLC binds `a'` itself (the mapped
   * expression is not solved for the concrete variables); elsewhere it is a plain condition.
   */
  private assignFree(op: string, binding: object, lhs: Expr, rhs: Expr, span: Span, s: Scope): A {
    const cond = this.cx.expr({ k: "app", name: op, args: [lhs, rhs], span }, s).f;
    const r = this.cx.expr(rhs, s).f;
    const o = s.origin;
    return (c, f, k) => {
      const free = c.free;
      if (!free) {
        const v = cond(c, f);
        if (v === true) k();
        else if (v !== false) throw evalError(o, span, `An action conjunct evaluated to ${formatValue(v)}, not a boolean`);
        return;
      }
      const cur = free.get(binding);
      const rv = r(c, f);
      if (op === "=") {
        if (cur === undefined) {
          free.set(binding, rv);
          k();
          free.delete(binding);
        } else if (valueEquals(cur, rv)) k();
        return;
      }
      if (!(rv instanceof SetValue)) throw evalError(o, rhs.span, `${formatValue(rv)} is not a set`);
      if (cur !== undefined) {
        if (rv.has(cur)) k();
        return;
      }
      for (const x of rv.elems()) {
        free.set(binding, x);
        k();
      }
      free.delete(binding);
    };
  }

  private assignment(op: string, lhs: Expr, rhs: Expr, span: Span, s: Scope, mode: Mode): A | null {
    const free = this.freeTarget(lhs, s, mode);
    if (free) return this.assignFree(op, free, lhs, rhs, span, s);
    const bn = this.byNameTarget(lhs, s, mode);
    if (bn) {
      // Whether this assigns is known only at run time: it does when the argument is a variable.
      const pred = this.guard(this.cx.expr({ k: "app", name: op, args: [lhs, rhs], span }, s), span, s);
      const staticAsg = (slot: number): A => this.assignTo(op, slot, rhs, span, s, mode);
      const cache = new Map<number, A>();
      return (c, f, k) => {
        const t = up(f, bn.depth)[bn.slot] as Thunk;
        if (t.varSlot < 0) return pred(c, f, k);
        let a = cache.get(t.varSlot);
        if (!a) {
          a = staticAsg(t.varSlot);
          cache.set(t.varSlot, a);
        }
        a(c, f, k);
      };
    }
    const slot = this.target(lhs, s, mode);
    if (slot === null) return null;
    return this.assignTo(op, slot, rhs, span, s, mode);
  }

  private assignTo(op: string, slot: number, rhs: Expr, span: Span, s: Scope, mode: Mode): A {
    const r = this.cx.expr(rhs, s).f;
    const o = s.origin;
    const arr = (c: Ctx): (Val | undefined)[] => (mode === "next" ? c.n! : c.s);
    if (op === "=") {
      return (c, f, k) => {
        const st = arr(c);
        const v = r(c, f);
        const cur = st[slot];
        if (cur === undefined) {
          st[slot] = v;
          k();
          st[slot] = undefined;
        } else {
          let same: boolean;
          try {
            same = valueEquals(cur, v);
          } catch (err) {
            throw locate(err, o, span);
          }
          if (same) k();
        }
      };
    }
    return (c, f, k) => {
      const st = arr(c);
      const sv = r(c, f);
      if (!(sv instanceof SetValue)) throw evalError(o, rhs.span, `${formatValue(sv)} is not a set`);
      const cur = st[slot];
      if (cur !== undefined) {
        let member: boolean;
        try {
          member = sv.has(cur);
        } catch (err) {
          throw locate(err, o, span);
        }
        if (member) k();
        return;
      }
      if (!sv.finite) throw evalError(o, rhs.span, `Attempted to enumerate the non-enumerable set ${sv.describe()}`);
      for (const x of sv.elems()) {
        st[slot] = x;
        k();
      }
      st[slot] = undefined;
    };
  }

  /** UNCHANGED over a variable, a tuple of them, or a definition that names them. */
  private unchanged(e: Expr, s: Scope, mode: Mode, span: Span): A {
    if (e.k === "id" && mode === "next") {
      const local = s.lookupLocal(e.name);
      if (local && local.k === "byname") {
        const depth = depthOf(s.layout, local.layout);
        const slot = local.slot;
        const pred = this.guard(this.cx.expr({ k: "unchanged", e, span }, s), span, s);
        return (c, f, k) => {
          const t = up(f, depth)[slot] as Thunk;
          if (t.varSlot < 0) return pred(c, f, k);
          const n = c.n!;
          const cur = n[t.varSlot];
          if (cur === undefined) {
            n[t.varSlot] = c.s[t.varSlot];
            k();
            n[t.varSlot] = undefined;
          } else if (valueEquals(cur, c.s[t.varSlot]!)) k();
        };
      }
    }
    const slots = this.unchangedSlots(e, s, 0);
    if (slots && mode === "next") {
      return (c, f, k) => {
        const n = c.n!;
        const set: number[] = [];
        for (const slot of slots) {
          const cur = n[slot];
          if (cur === undefined) {
            n[slot] = c.s[slot];
            set.push(slot);
          } else if (!valueEquals(cur, c.s[slot]!)) {
            for (const sl of set) n[sl] = undefined;
            return;
          }
        }
        k();
        for (const sl of set) n[sl] = undefined;
      };
    }
    const ex: Expr = { k: "unchanged", e, span };
    const pred = this.guard(this.cx.expr(ex, s), span, s);
    const items = mode === "next" ? this.unchangedItems(e, s, 0) : null;
    if (!items) return pred;
    // Inside ENABLED, an instance variable mapped to an expression is free (see assignFree):
    // TLC's UNCHANGED binds it to its current value as it binds a variable.
    return (c, f, k) => {
      const free = c.free;
      if (!free) {
        // Outside ENABLED: assign the state variables of the tuple first (as TLC does), then the
        // whole UNCHANGED is a predicate, where an instance variable mapped to an expression (`e <- 1`)
        // means expr' = expr. Evaluated as a predicate straight away, the variables' primed values
        // would be read before anything assigned them.
        const n = c.n!;
        const set: number[] = [];
        for (const it of items) {
          if (typeof it !== "number") continue;
          const cur = n[it];
          if (cur === undefined) {
            n[it] = c.s[it];
            set.push(it);
          } else if (!valueEquals(cur, c.s[it]!)) {
            for (const sl of set) n[sl] = undefined;
            return;
          }
        }
        pred(c, f, k);
        for (const sl of set) n[sl] = undefined;
        return;
      }
      const n = c.n!;
      const setSlots: number[] = [];
      const setFree: object[] = [];
      const undo = (): void => {
        for (const sl of setSlots) n[sl] = undefined;
        for (const b of setFree) free.delete(b);
      };
      for (const it of items) {
        if (typeof it === "number") {
          const cur = n[it];
          if (cur === undefined) {
            n[it] = c.s[it];
            setSlots.push(it);
          } else if (!valueEquals(cur, c.s[it]!)) return undo();
        } else {
          const v0 = it.cur(c, f);
          const cur = free.get(it.binding);
          if (cur === undefined) {
            free.set(it.binding, v0);
            setFree.push(it.binding);
          } else if (!valueEquals(cur, v0)) return undo();
        }
      }
      k();
      undo();
    };
  }

  /**
   * The variables of an UNCHANGED tuple: state slots, and instance variables mapped to
   * expressions (with their current value); null if some element is neither.
   */
  private unchangedItems(e: Expr, s: Scope, depth: number): (number | { binding: object; cur: C })[] | null {
    if (depth > 20) return null;
    if (e.k === "tuple") {
      const out: (number | { binding: object; cur: C })[] = [];
      for (const x of e.elems) {
        const sl = this.unchangedItems(x, s, depth + 1);
        if (!sl) return null;
        out.push(...sl);
      }
      return out;
    }
    if (e.k !== "id" || s.lookupLocal(e.name)) return null;
    const v = this.cx.resolveVar(e.name, s);
    if (v) return [v.slot];
    const g = s.env.defs.get(e.name);
    if (g?.k === "subst") {
      const slots = this.unchangedSlots(g.expr, this.cx.substScope(g, s), depth + 1);
      if (slots) return slots;
      return g.variable ? [{ binding: g, cur: this.cx.expr(e, s).f }] : null;
    }
    if (g?.k === "op" && g.def.params.length === 0 && !g.def.fnBounds) return this.unchangedItems(g.def.body, this.cx.topScope(g.def.env), depth + 1);
    return null;
  }

  private unchangedSlots(e: Expr, s: Scope, depth: number): number[] | null {
    if (depth > 20) return null;
    if (e.k === "tuple") {
      const out: number[] = [];
      for (const x of e.elems) {
        const sl = this.unchangedSlots(x, s, depth + 1);
        if (!sl) return null;
        out.push(...sl);
      }
      return out;
    }
    if (e.k === "id") {
      const v = this.cx.resolveVar(e.name, s);
      if (v) return [v.slot];
      if (s.lookupLocal(e.name)) return null;
      const g = s.env.defs.get(e.name);
      if (g && g.k === "op" && g.def.params.length === 0 && !g.def.fnBounds) {
        return this.unchangedSlots(g.def.body, this.cx.topScope(g.def.env), depth + 1);
      }
      // An instance's name substituted by a tuple of variables (`vars <- <<pc, lock>>`, or a
      // definition of the instantiating module that is one).
      if (g && g.k === "subst") return this.unchangedSlots(g.expr, this.cx.substScope(g, s), depth + 1);
    }
    return null;
  }

  private defLevel(def: OpDef): number {
    this.cx.ensureCompiled(def);
    return def.level;
  }

  /**
   * Whether TLC's split of Next into actions stops at `e`: it descends through disjunctions, `\E`,
   * LET and operator applications, and any other expression is one action, named after the
   * operator it sits in and located at its own span (an inline disjunct of Next, or the body of
   * `Set(q) == \E v \in S : ...` without the leading `\E`).
   */
  private isLeafAction(e: Expr, s: Scope): boolean {
    if (e.k === "and" || e.k === "unchanged") return true;
    if (e.k !== "app") return false;
    if (s.lookupLocal(e.name) || s.env.defs.has(e.name)) return false;
    return e.name !== "=>";
  }

  /** Runs `act` with the label located at `e`'s span (name and parameters kept). */
  private locatedAt(act: A, e: Expr, s: Scope): A {
    const b = e.span;
    const location: SourceLocation = { file: s.origin.file, line: b.line, column: b.col, endLine: b.endLine, endColumn: b.endCol - 1 };
    return (c, f, k) => {
      if (c.unlabelled === true) return act(c, f, k);
      const saved = c.label;
      c.label = { ...saved, location };
      try {
        act(c, f, k);
      } finally {
        c.label = saved;
      }
    };
  }

  /** An application of a user-defined action operator, inlined into the enumeration. */
  private callAction(name: string, args: readonly Expr[], e: Expr, s: Scope, mode: Mode, head: boolean): A | null {
    const local = s.lookupLocal(name);
    let def: OpDef | null = null;
    if (local) {
      if (local.k === "letop") def = local.def;
      else return null;
    } else {
      const g: GlobalBinding | undefined = s.env.defs.get(name);
      if (g && g.k === "op") def = g.def;
      else if (g && g.k === "subst") {
        if (args.length > 0) {
          // An operator constant of an instance standing for an action operator (it may prime its
          // arguments, `Send(p, m, mem, mem')`): inlined with the use site's arguments.
          const op = this.cx.substOperator(g, s);
          if (op?.k !== "def") return null;
          def = op.def;
        } else {
          const target = this.cx.substScope(g, s);
          return this.action(g.expr, target, mode, head);
        }
      }
    }
    // TLC inlines every user-defined operator in an action, whatever its level: a disjunction or
    // \E inside a state predicate used as a conjunct yields one successor per true branch.
    if (!def || def.fnBounds || def.params.length !== args.length) return null;
    // TLC evaluates constant-level definitions without parameters once, as values: no branching.
    if (this.defLevel(def) === 0 && def.params.length === 0) return null;
    // Through an unnamed INSTANCE with substitutions: one action, labelled at the INSTANCE statement.
    const where = local ? undefined : s.env.viaInstance.get(s.env.defs.get(name)!);
    if (head && mode === "next" && where) {
      const b = where.span;
      const location: SourceLocation = { file: where.file, line: b.line, column: b.col, endLine: b.endLine, endColumn: b.endCol - 1 };
      return this.inline(def, args, s, mode, e.span, null, head, { name, location });
    }
    return this.inline(def, args, s, mode, e.span, null, head);
  }

  private prefixedAction(e: Extract<Expr, { k: "prefixed" }>, s: Scope, mode: Mode, head: boolean): A | null {
    const env = this.cx.prefixEnv(e, s);
    const g = env.qualified(e.name);
    if (!g) return null;
    if (g.k === "subst" && e.args.length === 0) return this.action(g.expr, this.cx.substScope(g, new Scope(env, s.layout, new Map(), s)), mode, head);
    if (g.k === "subst") {
      const op = this.cx.substOperator(g, new Scope(env, s.layout, new Map(), s));
      if (op?.k !== "def" || op.def.fnBounds || op.def.params.length !== e.args.length) return null;
      return this.inline(op.def, e.args, s, mode, e.span, null, head);
    }
    if (g.k !== "op" || g.def.fnBounds || g.def.params.length !== e.args.length) return null;
    if (this.defLevel(g.def) === 0 && g.def.params.length === 0) return null;
    // TLC does not split an action reached through an instance: every step of `C!Op(args)` is
    // labelled `<C!Op(args) ...>` at the INSTANCE definition.
    const inst = s.env.defs.get(e.path[0]!.name);
    const where = inst?.k === "inst" ? inst.inst.def : undefined;
    if (head && mode === "next" && where) {
      const b = where.span;
      const location: SourceLocation = { file: where.file, line: b.line, column: b.col, endLine: b.endLine, endColumn: b.endCol - 1 };
      return this.inline(g.def, e.args, s, mode, e.span, null, head, { name: `${e.path.map((p) => p.name).join("!")}!${e.name}`, location });
    }
    return this.inline(g.def, e.args, s, mode, e.span, null, head);
  }

  /**
   * `f[a]` for a function defined as `f[x \in S] == e` (in a LET, or at module level) that
   * depends on the state: TLC keeps such a function lazy and, applied in an action, walks its
   * body as an action with `x` bound to `a` (Tool.getNextStates on a FcnLambdaValue), so a
   * disjunction or `\E` in the body gives one successor per true branch, duplicates counted, as
   * an operator's body does (byzpaxos/VoteProof's recursive `SafeAt`). The function's own name
   * inside the body is the same definition, so recursive applications are walked too.
   */
  private fnAppAction(e: Extract<Expr, { k: "fnapp" }>, s: Scope, mode: Mode): A | null {
    const def = this.walkableFn(e, s);
    if (!def) return null;
    const body = this.compiledFnBody(def, mode);
    const argCs = e.args.map((a) => this.cx.expr(a, s).f);
    const closureDepth = def.closure ? depthOf(s.layout, def.closure) : -1;
    const whole = this.guard(this.cx.expr(e, s), e.span, s);
    return (c, f, k) => {
      const fr: Frame = new Array(body.frameSize);
      fr[0] = closureDepth >= 0 ? up(f, closureDepth) : null;
      const args = argCs.map((a) => a(c, f));
      // The domains are evaluated in the function's own frame (they may read enclosing names).
      for (let i = 0; i < args.length; i++) {
        const dom = body.domains[i]!(c, fr);
        if (!(dom instanceof SetValue) || !dom.has(args[i]!)) return whole(c, f, k); // the value's own error
        fr[body.slots[i]!] = args[i];
      }
      body.act(c, fr, k);
    };
  }

  /** The definition of `f` in `f[a]` when TLC walks its body in an action (see fnAppAction). */
  private walkableFn(e: Extract<Expr, { k: "fnapp" }>, s: Scope): OpDef | null {
    if (e.fn.k !== "id") return null;
    const local = s.lookupLocal(e.fn.name);
    let def: OpDef | null = null;
    if (local) {
      if (local.k !== "letop") return null;
      def = local.def;
    } else {
      const g = s.env.defs.get(e.fn.name);
      if (g && g.k === "op") def = g.def;
    }
    if (!def || !def.fnBounds || def.params.length > 0) return null;
    // Module-level functions of a parameterised instance take instance parameters: not walked.
    if (!def.closure && def.env.instParams.length > 0) return null;
    if (def.fnBounds.some((b) => b.tuple)) return null;
    const arity = def.fnBounds.reduce((n, b) => n + b.names.length, 0);
    // A module-level function that does not depend on the state is a value TLC computed once.
    if (arity !== e.args.length || (!def.closure && this.defLevel(def) === 0)) return null;
    return def;
  }

  private readonly fnBodies = new Map<OpDef, Map<Mode, { act: A; frameSize: number; slots: number[]; domains: C[] }>>();

  private compiledFnBody(def: OpDef, mode: Mode): { act: A; frameSize: number; slots: number[]; domains: C[] } {
    let entry = this.fnBodies.get(def);
    if (!entry) {
      entry = new Map();
      this.fnBodies.set(def, entry);
    }
    let c = entry.get(mode);
    if (!c) {
      const { scope, layout } = this.cx.defScope(def);
      const domains = def.fnBounds!.flatMap((b) => {
        const d = this.cx.expr(b.set, scope).f;
        return b.names.map(() => d);
      });
      const inner = scope.child();
      const slots = def.fnBounds!.flatMap((b) =>
        b.names.map((name) => {
          const slot = layout.alloc();
          inner.locals.set(name, { k: "local", layout, slot, name });
          return slot;
        }),
      );
      // A placeholder first: the body applies the function recursively.
      const holder = { act: (() => undefined) as A, frameSize: 1, slots, domains };
      entry.set(mode, holder);
      const act = this.action(def.body, inner, mode, false);
      holder.act = act;
      holder.frameSize = layout.size;
      c = holder;
    }
    return c;
  }

  private compiledDef(def: OpDef, mode: Mode, head: boolean): CompiledDefAction {
    let entry = this.defActs.get(def);
    if (!entry) {
      entry = new Map();
      this.defActs.set(def, entry);
    }
    const key = `${mode}/${head}`;
    let c = entry.get(key);
    if (!c) {
      // Recursion through actions is not enumerable; a placeholder breaks cycles.
      const holder: CompiledDefAction = { act: () => undefined, frameSize: 1 };
      entry.set(key, holder);
      const { scope, layout } = this.cx.defScope(def);
      const act = this.action(def.body, scope, mode, head);
      holder.act = act;
      holder.frameSize = layout.size;
      c = holder;
    }
    return c;
  }

  /**
   * An application whose arguments include primed variables (`Set(x, x')`, `CalculateHash(b, h,
   * h')`) where the parameter is not primed in the body: TLA+ substitutes arguments, so
   * `new = e` in the body assigns x'. The call gets its own copy of the operator with those
   * parameters bound to the argument expressions (compiled in the caller's scope), closing over
   * the caller's frame; null when no argument is primed or the operator cannot be copied so.
   */
  private primedArgs(def: OpDef, args: readonly Expr[], s: Scope, mode: Mode): { def: OpDef; args: Expr[] } | null {
    if (def.closure || def.scope || def.fnBounds || def.env.instParams.length > 0 || def.params.length !== args.length) return null;
    const byName = this.cx.byNameParams(def);
    const primed = def.params.map((p, i) => p.arity === 0 && !byName[i] && this.assignable(args[i]!, s, mode));
    if (!primed.includes(true)) return null;
    const key = args.map((a, i) => (primed[i] ? `${a.span.line}:${a.span.col}` : "")).join(",");
    let perSite = this.primedDefs.get(def);
    if (!perSite) {
      perSite = new Map();
      this.primedDefs.set(def, perSite);
    }
    const siteKey = `${s.origin.file}:${key}`;
    let copy = perSite.get(siteKey);
    if (!copy || copy.closure !== s.layout) {
      const env = new ModuleEnv(def.env.name, def.env.origin);
      for (const [k, v] of def.env.defs) env.defs.set(k, v);
      def.params.forEach((p, i) => {
        if (primed[i]) env.defs.set(p.name, { k: "subst", expr: args[i]!, env: s.env, scope: s, name: p.name });
      });
      copy = new OpDef(def.name, def.params.filter((_, i) => !primed[i]), def.body, env, def.origin, def.span, s.layout, null);
      perSite.set(siteKey, copy);
    }
    return { def: copy, args: args.filter((_, i) => !primed[i]) };
  }

  private readonly primedDefs = new Map<OpDef, Map<string, OpDef>>();

  /** An argument the callee may assign through its parameter: `x'` in Next, a variable `x` in Init. */
  private assignable(a: Expr, s: Scope, mode: Mode): boolean {
    if (mode === "next") return a.k === "prime" && a.e.k === "id";
    return a.k === "id" && !s.lookupLocal(a.name) && this.cx.resolveVar(a.name, s) !== null;
  }

  private inline(
    def0: OpDef,
    args0: readonly Expr[],
    s: Scope,
    mode: Mode,
    span: Span,
    instArgs: readonly Expr[] | null,
    head: boolean,
    /** A label that replaces the operator's own, and stops the split of its body into actions. */
    labelAs?: { name: string; location: SourceLocation },
  ): A {
    const withPrimed = this.primedArgs(def0, args0, s, mode);
    const def = withPrimed?.def ?? def0;
    const args = withPrimed?.args ?? args0;
    const argCs: C[] = this.cx.callArgs(def, args, s).map((a) => a.f);
    const byName = this.cx.byNameParams(def);
    let actionArgs = false;
    def.params.forEach((p, i) => {
      const a = args[i]!;
      if (p.arity > 0 || !byName[i] || !this.mayBranch(a, s, mode, 0)) return;
      if (a.k === "id" && s.lookupLocal(a.name)?.k === "byname") return; // passed on as is
      // An action argument: the callee enumerates it where it uses the parameter as an action.
      const af = this.cx.expr(a, s).f;
      const act = this.action(a, s, mode, false);
      argCs[i] = (_c, f) => new ActionThunk(af, f, -1, act) as unknown as Val;
      actionArgs = true;
    });
    const instCs: C[] = (instArgs ?? []).map((a) => this.cx.argument(a, s).f);
    const closureDepth = def.closure ? depthOf(s.layout, def.closure) : -1;
    const nInst = def.closure ? 0 : def.env.instParams.length;
    let instDepth = -1;
    if (nInst > 0 && instCs.length === 0) {
      let root: Layout = s.layout;
      while (root.parent) root = root.parent;
      instDepth = depthOf(s.layout, root);
    }
    const names = def.params.map((p) => (p.arity > 0 ? null : p.name));
    // TLC names an action by the span of its body, end column inclusive.
    // TLC evaluates an action operator's arguments without a state; when one depends on the
    // state (or is an action) that fails, and the whole application becomes one action, named
    // by the application's own span and without parameter values.
    const atCallSite =
      actionArgs || withPrimed !== null || def.params.some((p, i) => p.arity === 0 && this.cx.expr(args[i]!, s).l > 0);
    // An application that is one action as a whole is not split further (its body keeps the label).
    const compiled = this.compiledDef(def, mode, head && !atCallSite && !labelAs && !isSubexpressionName(def.name));
    const b = atCallSite ? span : def.body.span;
    const file = atCallSite ? s.origin.file : def.origin.file;
    const location: SourceLocation = labelAs?.location ?? { file, line: b.line, column: b.col, endLine: b.endLine, endColumn: b.endCol - 1 };
    // A subexpression reference (`Next!1`, defined as an operator named so) labels nothing: TLC
    // names such a step after the operator whose body holds the reference.
    const relabel = head && mode === "next" && def.level >= 2 && !isSubexpressionName(def.name);
    const name = labelAs?.name ?? def.name;
    return (c, f, k) => {
      const fr: Frame = new Array(compiled.frameSize);
      fr[0] = closureDepth >= 0 ? up(f, closureDepth) : null;
      let slot = 1;
      if (nInst > 0) {
        if (instCs.length > 0) for (const ic of instCs) fr[slot++] = ic(c, f);
        else {
          const src = up(f, instDepth);
          for (let i = 1; i <= nInst; i++) fr[slot++] = src[i];
        }
      }
      const firstParam = slot;
      for (let i = 0; i < argCs.length; i++) fr[slot++] = argCs[i]!(c, f);
      if (!relabel || c.unlabelled === true) return compiled.act(c, fr, k);
      const saved = c.label;
      const params: [string, Val][] = [];
      if (!atCallSite) for (let i = 0; i < names.length; i++) {
        const v = fr[firstParam + i];
        if (names[i] === null) continue;
        if (!(v instanceof Thunk)) {
          params.push([names[i]!, v as Val]);
          continue;
        }
        // A by-name argument (a parameter the body passes on where an operator may use it as an
        // action, e.g. to `Max(a, b) == IF a >= b THEN a ELSE b`) is still a constant-level value
        // here — a state-level or action argument makes the application one action at its call
        // site — so it has a value, as TLC's label shows it.
        try {
          params.push([names[i]!, v.f(c, v.frame)]);
        } catch {
          // Not a value after all: no place in the label.
        }
      }
      c.label = { name, params, location, formals: params.length };
      try {
        compiled.act(c, fr, k);
      } finally {
        c.label = saved;
      }
    };
  }

  /** `ENABLED A`: whether A has a successor from the current state. */
  enabled(e: Expr, s: Scope): CE {
    const act = this.action(e, s, "next");
    const nVars = this.varNames.length;
    const found = { stop: true };
    return {
      f: (c, f) => {
        // The enumeration below reads the state directly (UNCHANGED): count every variable as read.
        c.reads?.fill(1);
        const ac: ActCtx = { s: c.s, n: new Array(nVars), ec: c.ec, label: { name: "ENABLED", params: [] }, free: new Map() };
        try {
          act(ac, f, () => {
            throw found;
          });
        } catch (err) {
          if (err === found) return true;
          throw err;
        }
        return false;
      },
      l: 1,
    };
  }

  /** The error for a path that leaves a primed variable unassigned. */
  incomplete(slot: number, label: LabelState, mode: Mode): TlaError {
    const v = this.varNames[slot]!;
    return new TlaError(
      "eval",
      mode === "init"
        ? `The variable ${v} was not assigned a value by the initial predicate`
        : `Successor state is not completely specified by action ${label.name}: the variable ${v} is not assigned a value`,
      label.location,
    );
  }
}

/** Wrap a compiled predicate over a state into a function of the engine's types. */
export function isFcnLike(v: Val): boolean {
  return v instanceof Fcn;
}

void ({} as Origin);

/**
 * The expression compiler: TLA+ syntax to closures over (context, frame), with every name
 * resolved at compile time to a state slot, a frame slot, a constant or an operator.
 *
 * @module
 */
import type { Bound, Expr, ExceptStep, Span } from "../ast/types.js";
import { TlaError } from "../model.js";
import { withFast, type Builtin } from "../stdlib/coerce.js";
import { compareStrings, compareValues, valueEquals } from "../values/compare.js";
import { formatValue } from "../values/format.js";
import {
  BOOLEAN,
  EMPTY,
  FcnSet,
  FinSet,
  Interval,
  PowerSet,
  PredicateSet,
  ProductSet,
  RecordSet,
  STRING,
  asSet,
  bigUnion,
  difference,
  fcnFromPairs,
  indexOfSorted,
  intersect,
  recordDomain,
  setOf,
  subseteq,
  union,
} from "../values/sets.js";
import { Fcn, LazyFcn, OpValue, SetValue, ValueError, tuple, type Val } from "../values/value.js";
import { getModelValue } from "../values/ops.js";
import { implementedOverride, javaOverrideMessage, javaOverrideOf } from "../modules/java-overrides.js";
import { Thunk, evalError, locate, primedCtx, type C, type Ctx, type Frame, type Origin } from "./context.js";
import { Layout, ModuleEnv, OpDef, Scope, depthOf, type GlobalBinding, type InstanceRef, type LocalBinding } from "./scope.js";

/** A compiled expression with its level (0 constant, 1 state, 2 action, 3 temporal). */
export interface CE {
  f: C;
  l: number;
  /** Calls an impure built-in (result must not be cached). */
  impure?: boolean;
}

function ce(f: C, l: number, impure = false): CE {
  return impure ? { f, l, impure } : { f, l };
}

function maxL(xs: readonly CE[]): number {
  let l = 0;
  for (const x of xs) if (x.l > l) l = x.l;
  return l;
}

function anyImpure(xs: readonly CE[]): boolean {
  for (const x of xs) if (x.impure) return true;
  return false;
}

/** Read a frame `depth` levels up. */
function up(f: Frame, depth: number): Frame {
  let fr = f;
  for (let i = 0; i < depth; i++) fr = fr[0] as Frame;
  return fr;
}

function truth(v: Val, what: string): boolean {
  if (typeof v === "boolean") return v;
  throw new ValueError(`${what} should be a boolean, but is ${formatValue(v)}`);
}

/** Apply a function value to an argument (TLC's messages for values outside the domain). */
export function applyFcn(fv: Val, arg: Val): Val {
  if (fv instanceof Fcn) {
    if (typeof arg === "number" && fv.isSeq) {
      const v = fv.rng[arg - 1];
      if (v !== undefined && arg >= 1) return v;
    } else {
      const i = indexOfSorted(fv.dom, arg);
      if (i >= 0) return fv.rng[i]!;
    }
    throw new ValueError(
      `Attempted to apply function:\n${formatValue(fv)}\nto argument ${formatValue(arg)}, which is not in the domain of the function.`,
    );
  }
  if (fv instanceof LazyFcn) {
    if (!fv.domain.has(arg)) {
      throw new ValueError(`Attempted to apply function ${fv.name} to argument ${formatValue(arg)}, which is not in its domain ${fv.domain.describe()}.`);
    }
    return fv.apply(arg);
  }
  throw new ValueError(`Attempted to apply ${formatValue(fv)} as a function, but it is not a function`);
}

/** Iterate bound groups, binding frame slots; `visit` returns true to stop early. */
export interface CompiledBounds {
  groups: { set: C; slots: number[]; tuple: boolean; names: string[]; span: Span }[];
  l: number;
  impure: boolean;
}

/** Enumerate all bindings of `b` (in canonical order, nesting left to right). */
export function forEachBinding(b: CompiledBounds, c: Ctx, f: Frame, visit: () => boolean, origin: Origin): boolean {
  const groups = b.groups;
  if (groups.length === 1 && !groups[0]!.tuple && groups[0]!.slots.length === 1) {
    // The common case `\E x \in S`: a plain loop.
    const g = groups[0]!;
    const sv = g.set(c, f);
    if (!(sv instanceof SetValue)) throw evalError(origin, g.span, `Attempted to enumerate ${formatValue(sv)}, which is not a set`);
    if (!sv.finite) throw evalError(origin, g.span, `Attempted to enumerate the non-enumerable set ${sv.describe()}`);
    const xs = sv.elems();
    const slot = g.slots[0]!;
    for (let i = 0; i < xs.length; i++) {
      f[slot] = xs[i]!;
      if (visit()) return true;
    }
    return false;
  }
  // Several bound variables: like TLC, evaluate every domain first, then enumerate as an
  // odometer whose FIRST variable varies fastest.
  const lists: (readonly Val[])[] = [];
  const binders: { slots: number[]; tuple: boolean; names: string[]; span: Span }[] = [];
  for (const g of groups) {
    const sv = g.set(c, f);
    if (!(sv instanceof SetValue)) throw evalError(origin, g.span, `Attempted to enumerate ${formatValue(sv)}, which is not a set`);
    if (!sv.finite) throw evalError(origin, g.span, `Attempted to enumerate the non-enumerable set ${sv.describe()}`);
    const xs = sv.elems();
    if (g.tuple) {
      lists.push(xs);
      binders.push(g);
    } else {
      for (const slot of g.slots) {
        lists.push(xs);
        binders.push({ slots: [slot], tuple: false, names: g.names, span: g.span });
      }
    }
  }
  const n = lists.length;
  for (const l of lists) if (l.length === 0) return false;
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    for (let i = 0; i < n; i++) {
      const x = lists[i]![idx[i]!]!;
      const bnd = binders[i]!;
      if (bnd.tuple) {
        if (!(x instanceof Fcn) || !x.isSeq || x.rng.length !== bnd.slots.length) {
          throw evalError(origin, bnd.span, `cannot bind ${formatValue(x)} to the tuple <<${bnd.names.join(", ")}>>`);
        }
        for (let j = 0; j < bnd.slots.length; j++) f[bnd.slots[j]!] = x.rng[j]!;
      } else f[bnd.slots[0]!] = x;
    }
    if (visit()) return true;
    let k = 0;
    while (k < n && ++idx[k]! === lists[k]!.length) idx[k++] = 0;
    if (k === n) return false;
  }
}

/** Hook through which the action compiler provides ENABLED. */
export type EnabledHook = (e: Expr, scope: Scope) => CE;

/** Compiles expressions of one model (all modules share the variable slots). */
export class Compiler {
  enabledHook: EnabledHook | undefined;
  /** Specialises parameterised instances per use site (set by the loader). */
  specialise: ((inst: InstanceRef, argsEnv: ModuleEnv, args: readonly Expr[], useScope: Scope) => ModuleEnv) | undefined;
  /** Builds `LET I == INSTANCE module WITH subs` seen from scope `s` (set by the loader). */
  letInstance: ((module: string, subs: [string, Expr][], s: Scope, span: Span) => ModuleEnv) | undefined;

  constructor(
    /** Built-ins available in every module (=, \in, SUBSET, ...). */
    readonly core: ReadonlyMap<string, Builtin>,
  ) {}

  /** A scope for a module-level definition body. */
  topScope(env: ModuleEnv): Scope {
    return new Scope(env, new Layout(null), new Map(), null);
  }

  /** Compile an expression in a scope; closed constant expressions are evaluated once. */
  expr(e: Expr, s: Scope): CE {
    const r = this.expr0(e, s);
    if (r.l !== 0 || r.impure || e.k === "num" || e.k === "str" || e.k === "bool" || e.k === "id") return r;
    // Only closed expressions (no names bound outside them) can be evaluated once.
    if (hasFreeLocal(e, s)) return r;
    const f0 = r.f;
    let cached: Val | undefined;
    return ce((c, f) => (cached !== undefined ? cached : (cached = f0(c, f))), 0);
  }

  private expr0(e: Expr, s: Scope): CE {
    switch (e.k) {
      case "num":
        return ce(() => e.v, 0);
      case "str": {
        const v = e.v;
        return ce(() => v, 0);
      }
      case "bool": {
        const v = e.v;
        return ce(() => v, 0);
      }
      case "id":
        return this.ident(e.name, [], e, s);
      case "app":
        return this.ident(e.name, e.args, e, s);
      case "prefixed":
        return this.prefixed(e, s);
      case "opsym":
        return this.opArg(e, s, -1);
      case "and":
        return this.and(e.items.map((x) => this.expr(x, s)), e.span, s);
      case "or":
        return this.or(e.items.map((x) => this.expr(x, s)), e.span, s);
      case "if": {
        const c = this.expr(e.c, s);
        const t = this.expr(e.t, s);
        const el = this.expr(e.e, s);
        const o = s.origin;
        const cf = c.f;
        const tf = t.f;
        const ef = el.f;
        const span = e.c.span;
        return ce(
          (cx, f) => {
            const v = cf(cx, f);
            if (v === true) return tf(cx, f);
            if (v === false) return ef(cx, f);
            throw evalError(o, span, `A non-boolean expression (${formatValue(v)}) was used as the condition of an IF`);
          },
          maxL([c, t, el]),
          anyImpure([c, t, el]),
        );
      }
      case "case": {
        const arms = e.arms.map(([g, v]) => [this.expr(g, s), this.expr(v, s)] as const);
        const other = e.other ? this.expr(e.other, s) : null;
        const o = s.origin;
        const all = [...arms.flat(), ...(other ? [other] : [])];
        return ce(
          (cx, f) => {
            for (const [g, v] of arms) {
              if (truth(g.f(cx, f), "A CASE guard")) return v.f(cx, f);
            }
            if (other) return other.f(cx, f);
            throw evalError(o, e.span, "Attempted to evaluate a CASE with no conditions true");
          },
          maxL(all),
          anyImpure(all),
        );
      }
      case "let": {
        const cacheSlots: number[] = [];
        const body = this.let(e.defs, s, (inner) => this.expr(e.body, inner), cacheSlots);
        if (cacheSlots.length === 0) return body;
        const bf = body.f;
        // Entering the LET forgets what its definitions were worth at the last entry: the bound
        // variables they read (of quantifiers around the LET, in the same frame) may differ now.
        if (cacheSlots.length === 1) {
          const slot = cacheSlots[0]!;
          return ce((c, f) => {
            f[slot] = undefined;
            return bf(c, f);
          }, body.l, body.impure);
        }
        return ce((c, f) => {
          for (let i = 0; i < cacheSlots.length; i++) f[cacheSlots[i]!] = undefined;
          return bf(c, f);
        }, body.l, body.impure);
      }
      case "quant":
        return this.quant(e.q, e.bounds, e.body, e.span, s);
      case "uquant":
        return this.fail(s, e.span, "unbounded quantifiers (\\A x : P, \\E x : P) cannot be evaluated; bound the variable with \\in", "unsupported");
      case "choose":
        return this.choose(e, s);
      case "setlit": {
        const xs = e.elems.map((x) => this.expr(x, s));
        const fs = xs.map((x) => x.f);
        const o = s.origin;
        if (fs.length === 0) return ce(() => EMPTY, 0);
        return ce(
          (cx, f) => {
            const out = new Array<Val>(fs.length);
            for (let i = 0; i < fs.length; i++) out[i] = fs[i]!(cx, f);
            try {
              return setOf(out);
            } catch (err) {
              throw locate(err, o, e.span);
            }
          },
          maxL(xs),
          anyImpure(xs),
        );
      }
      case "setfilter":
        return this.setFilter(e.bound, e.pred, e.span, s);
      case "setmap":
        return this.setMap(e.map, e.bounds, e.span, s);
      case "fnapp": {
        const fn = this.expr(e.fn, s);
        const args = e.args.map((a) => this.expr(a, s));
        const o = s.origin;
        const ff = fn.f;
        const span = e.span;
        if (args.length === 1) {
          const af = args[0]!.f;
          return ce(
            (cx, f) => {
              const fv = ff(cx, f);
              const a = af(cx, f);
              try {
                return applyFcn(fv, a);
              } catch (err) {
                throw locate(err, o, span);
              }
            },
            maxL([fn, ...args]),
            anyImpure([fn, ...args]),
          );
        }
        const afs = args.map((a) => a.f);
        return ce(
          (cx, f) => {
            const fv = ff(cx, f);
            const a = tuple(afs.map((g) => g(cx, f)));
            try {
              return applyFcn(fv, a);
            } catch (err) {
              throw locate(err, o, span);
            }
          },
          maxL([fn, ...args]),
          anyImpure([fn, ...args]),
        );
      }
      case "fnlit":
        return this.fnLit(e.bounds, e.body, e.span, s, null);
      case "fnset": {
        const d = this.expr(e.dom, s);
        const r = this.expr(e.rng, s);
        const o = s.origin;
        return ce(
          (cx, f) => {
            try {
              return new FcnSet(asSet(d.f(cx, f), "[S -> T]"), asSet(r.f(cx, f), "[S -> T]"));
            } catch (err) {
              throw locate(err, o, e.span);
            }
          },
          maxL([d, r]),
          anyImpure([d, r]),
        );
      }
      case "reclit": {
        const sorted = [...e.fields].sort((a, b) => compareStrings(a[0], b[0]));
        const dom = recordDomain(sorted.map((p) => p[0]));
        const vs = sorted.map((p) => this.expr(p[1], s));
        const fs = vs.map((v) => v.f);
        return ce(
          (cx, f) => {
            const rng = new Array<Val>(fs.length);
            for (let i = 0; i < fs.length; i++) rng[i] = fs[i]!(cx, f);
            return new Fcn(dom, rng);
          },
          maxL(vs),
          anyImpure(vs),
        );
      }
      case "recset": {
        const sorted = [...e.fields].sort((a, b) => compareStrings(a[0], b[0]));
        const names = sorted.map((p) => p[0]);
        const vs = sorted.map((p) => this.expr(p[1], s));
        const o = s.origin;
        return ce(
          (cx, f) => {
            try {
              return new RecordSet(
                names,
                vs.map((v) => asSet(v.f(cx, f), "record set")),
              );
            } catch (err) {
              throw locate(err, o, e.span);
            }
          },
          maxL(vs),
          anyImpure(vs),
        );
      }
      case "dot": {
        const r = this.expr(e.rec, s);
        const field = e.field;
        const rf = r.f;
        const o = s.origin;
        // Inline cache: records built at the same places share their domain array.
        let lastDom: readonly Val[] | null = null;
        let lastIdx = 0;
        return ce(
          (cx, f) => {
            const rv = rf(cx, f);
            if (rv instanceof Fcn) {
              if (rv.dom === lastDom) return rv.rng[lastIdx]!;
              const i = indexOfSorted(rv.dom, field);
              if (i >= 0) {
                lastDom = rv.dom;
                lastIdx = i;
                return rv.rng[i]!;
              }
            }
            throw evalError(o, e.span, `Attempted to access field "${field}" of ${formatValue(rv)}, which has no such field`);
          },
          r.l,
          r.impure,
        );
      }
      case "except":
        return this.except(e, s);
      case "at": {
        const b = s.lookupLocal("@");
        if (!b || b.k !== "local") return this.fail(s, e.span, "@ used outside of an EXCEPT");
        return this.localRead(b, s);
      }
      case "tuple": {
        const xs = e.elems.map((x) => this.expr(x, s));
        const fs = xs.map((x) => x.f);
        return ce(
          (cx, f) => {
            const out = new Array<Val>(fs.length);
            for (let i = 0; i < fs.length; i++) out[i] = fs[i]!(cx, f);
            return tuple(out);
          },
          maxL(xs),
          anyImpure(xs),
        );
      }
      case "times": {
        const xs = e.sets.map((x) => this.expr(x, s));
        const o = s.origin;
        return ce(
          (cx, f) => {
            try {
              return new ProductSet(xs.map((x) => asSet(x.f(cx, f), "\\X")));
            } catch (err) {
              throw locate(err, o, e.span);
            }
          },
          maxL(xs),
          anyImpure(xs),
        );
      }
      case "prime":
        return this.prime(e.e, e.span, s);
      case "unchanged": {
        const cur = this.expr(e.e, s);
        const o = s.origin;
        const cf = cur.f;
        return ce(
          (cx, f) => {
            try {
              return valueEquals(cf(primedCtx(cx), f), cf(cx, f));
            } catch (err) {
              throw locate(err, o, e.span);
            }
          },
          2,
          cur.impure,
        );
      }
      case "enabled": {
        if (!this.enabledHook) return this.fail(s, e.span, "ENABLED is not supported here", "unsupported");
        return this.enabledHook(e.e, s);
      }
      case "step": {
        const a = this.expr(e.action, s);
        const v = this.expr(e.sub, s);
        const af = a.f;
        const vf = v.f;
        const angle = e.angle;
        return ce(
          (cx, f) => {
            if (angle) return truth(af(cx, f), "An action") && !valueEquals(vf(primedCtx(cx), f), vf(cx, f));
            return truth(af(cx, f), "An action") || valueEquals(vf(primedCtx(cx), f), vf(cx, f));
          },
          2,
        );
      }
      case "fair":
      case "temporal":
      case "leadsto":
        return ce(() => {
          throw evalError(s.origin, e.span, "temporal formulas cannot be evaluated as values");
        }, 3);
      case "lambda":
        return this.fail(s, e.span, "LAMBDA can only be passed as an operator argument");
      default: {
        const never: never = e;
        throw new Error(`internal: unknown expression ${JSON.stringify(never)}`);
      }
    }
  }

  /** Raise a semantic (or unsupported) error at a span. */
  fail(s: Scope, span: Span, message: string, kind: "semantic" | "unsupported" = "semantic"): never {
    throw new TlaError(kind, message, { file: s.origin.file, line: span.line, column: span.col });
  }

  private and(xs: CE[], span: Span, s: Scope): CE {
    const fs = xs.map((x) => x.f);
    const o = s.origin;
    const check = (v: Val): boolean => {
      if (typeof v === "boolean") return v;
      throw evalError(o, span, `A non-boolean expression (${formatValue(v)}) was used as a conjunct`);
    };
    if (fs.length === 2) {
      const [a, b] = fs as [C, C];
      return ce((c, f) => check(a(c, f)) && check(b(c, f)), maxL(xs), anyImpure(xs));
    }
    return ce(
      (c, f) => {
        for (let i = 0; i < fs.length; i++) if (!check(fs[i]!(c, f))) return false;
        return true;
      },
      maxL(xs),
      anyImpure(xs),
    );
  }

  private or(xs: CE[], span: Span, s: Scope): CE {
    const fs = xs.map((x) => x.f);
    const o = s.origin;
    const check = (v: Val): boolean => {
      if (typeof v === "boolean") return v;
      throw evalError(o, span, `A non-boolean expression (${formatValue(v)}) was used as a disjunct`);
    };
    return ce(
      (c, f) => {
        for (let i = 0; i < fs.length; i++) if (check(fs[i]!(c, f))) return true;
        return false;
      },
      maxL(xs),
      anyImpure(xs),
    );
  }

  /** Compile bound groups, allocating their slots in the scope's frame. */
  bounds(bs: readonly Bound[], s: Scope, inner: Scope): CompiledBounds {
    const groups: CompiledBounds["groups"] = [];
    let l = 0;
    let impure = false;
    for (const b of bs) {
      // The set is evaluated in the outer scope (earlier bounds of the same quantifier are visible).
      const set = this.expr(b.set, inner.parent === s ? inner : s);
      l = Math.max(l, set.l);
      impure ||= !!set.impure;
      const slots = b.names.map((name) => {
        const slot = inner.layout.alloc();
        inner.locals.set(name, { k: "local", layout: inner.layout, slot, name });
        return slot;
      });
      groups.push({ set: set.f, slots, tuple: b.tuple, names: b.names, span: b.set.span });
    }
    return { groups, l, impure };
  }

  private quant(q: "A" | "E", bs: readonly Bound[], body: Expr, span: Span, s: Scope): CE {
    const inner = s.child();
    const cb = this.bounds(bs, s, inner);
    const b = this.expr(body, inner);
    const bf = b.f;
    const o = s.origin;
    const isE = q === "E";
    return ce(
      (c, f) => {
        let result = !isE;
        forEachBinding(
          cb,
          c,
          f,
          () => {
            const v = bf(c, f);
            if (typeof v !== "boolean") throw evalError(o, span, `The body of a quantifier evaluated to ${formatValue(v)}, not a boolean`);
            if (v === isE) {
              result = isE;
              return true;
            }
            return false;
          },
          o,
        );
        return result;
      },
      Math.max(cb.l, b.l),
      cb.impure || b.impure,
    );
  }

  private choose(e: Extract<Expr, { k: "choose" }>, s: Scope): CE {
    if (!e.set) return this.fail(s, e.span, "unbounded CHOOSE cannot be evaluated; use CHOOSE x \\in S : P", "unsupported");
    const inner = s.child();
    const cb = this.bounds([{ names: e.names, tuple: e.tuple, set: e.set }], s, inner);
    const body = this.expr(e.body, inner);
    const bf = body.f;
    const o = s.origin;
    const slots = cb.groups[0]!.slots;
    const isTuple = e.tuple;
    return ce(
      (c, f) => {
        let found: Val | undefined;
        forEachBinding(
          cb,
          c,
          f,
          () => {
            if (truth(bf(c, f), "The body of CHOOSE")) {
              found = isTuple ? tuple(slots.map((sl) => f[sl] as Val)) : (f[slots[0]!] as Val);
              return true;
            }
            return false;
          },
          o,
        );
        if (found === undefined) {
          throw evalError(o, e.span, "Attempted to compute the value of an expression of form CHOOSE x \\in S: P, but no element of S satisfied P.");
        }
        return found;
      },
      Math.max(cb.l, body.l),
      cb.impure || body.impure,
    );
  }

  private setFilter(bound: Bound, pred: Expr, span: Span, s: Scope): CE {
    const inner = s.child();
    const setCE = this.expr(bound.set, s);
    const cb = this.bounds([bound], s, inner);
    const p = this.expr(pred, inner);
    const pf = p.f;
    const o = s.origin;
    const slots = cb.groups[0]!.slots;
    const isTuple = bound.tuple;
    return ce(
      (c, f) => {
        const sv = setCE.f(c, f);
        if (sv instanceof SetValue && !sv.finite) {
          // `{x \in Nat : P}` is known by membership only.
          const slot = slots[0]!;
          const frame = f;
          return new PredicateSet(`{x \\in ${sv.describe()} : ...}`, (v) => {
            if (!sv.has(v)) return false;
            if (isTuple) {
              if (!(v instanceof Fcn)) return false;
              slots.forEach((sl, i) => (frame[sl] = v.rng[i]!));
            } else frame[slot] = v;
            return truth(pf(c, frame), "A set filter");
          });
        }
        const out: Val[] = [];
        forEachBinding(
          cb,
          c,
          f,
          () => {
            if (truth(pf(c, f), "The predicate of a set filter")) {
              out.push(isTuple ? tuple(slots.map((sl) => f[sl] as Val)) : (f[slots[0]!] as Val));
            }
            return false;
          },
          o,
        );
        // Elements come from an already canonical set, so they stay canonical.
        return new FinSet(out);
      },
      Math.max(cb.l, p.l),
      cb.impure || p.impure,
    );
    void span;
  }

  private setMap(map: Expr, bs: readonly Bound[], span: Span, s: Scope): CE {
    const inner = s.child();
    const cb = this.bounds(bs, s, inner);
    const m = this.expr(map, inner);
    const mf = m.f;
    const o = s.origin;
    return ce(
      (c, f) => {
        const out: Val[] = [];
        forEachBinding(
          cb,
          c,
          f,
          () => {
            out.push(mf(c, f));
            return false;
          },
          o,
        );
        try {
          return setOf(out);
        } catch (err) {
          throw locate(err, o, span);
        }
      },
      Math.max(cb.l, m.l),
      cb.impure || m.impure,
    );
  }

  /** `[x \in S, y \in T |-> e]`; `self` names a recursive function definition. */
  fnLit(bs: readonly Bound[], body: Expr, span: Span, s: Scope, self: { name: string; slot: number } | null): CE {
    const inner = s.child();
    const cb = this.bounds(bs, s, inner);
    const b = this.expr(body, inner);
    const bf = b.f;
    const o = s.origin;
    const nVars = cb.groups.reduce((n, g) => n + g.slots.length, 0);
    const allSlots = cb.groups.flatMap((g) => g.slots);
    const single = nVars === 1 && !cb.groups[0]!.tuple;
    return ce(
      (c, f) => {
        // Domain: the product of the bound sets (one set when a single variable is bound).
        const sets: SetValue[] = [];
        for (const g of cb.groups) {
          const sv = g.set(c, f);
          if (!(sv instanceof SetValue)) throw evalError(o, g.span, `${formatValue(sv)} is not a set`);
          if (g.tuple) sets.push(sv);
          else for (let i = 0; i < g.slots.length; i++) sets.push(sv);
        }
        const domain = sets.length === 1 ? sets[0]! : new ProductSet(sets);
        if (!domain.finite || self) {
          const frame = f.slice();
          const lazy = new LazyFcn(domain, (arg) => {
            const fr = frame.slice();
            if (single) fr[allSlots[0]!] = arg;
            else if (arg instanceof Fcn) allSlots.forEach((sl, i) => (fr[sl] = flatArg(arg, i, cb)));
            return bf(c, fr);
          }, self ? self.name : "function");
          // A recursive function sees itself through a slot of the frame it captured.
          if (self) frame[self.slot] = lazy;
          return lazy;
        }
        const keys = domain.elems();
        const vals = new Array<Val>(keys.length);
        for (let k = 0; k < keys.length; k++) {
          const arg = keys[k]!;
          if (single) f[allSlots[0]!] = arg;
          else allSlots.forEach((sl, i) => (f[sl] = flatArg(arg as Fcn, i, cb)));
          vals[k] = bf(c, f);
        }
        return new Fcn(keys, vals);
      },
      Math.max(cb.l, b.l),
      cb.impure || b.impure,
    );
  }

  private except(e: Extract<Expr, { k: "except" }>, s: Scope): CE {
    const base = this.expr(e.fn, s);
    const o = s.origin;
    const updates = e.updates.map((u) => {
      const inner = s.child();
      const atSlot = inner.layout.alloc();
      inner.locals.set("@", { k: "local", layout: inner.layout, slot: atSlot, name: "@" });
      const path = u.path.map((step: ExceptStep) =>
        step.k === "field"
          ? { field: step.name as Val, arg: null as CE | null }
          : { field: null, arg: step.args.length === 1 ? this.expr(step.args[0]!, s) : this.tupleOf(step.args, s) },
      );
      return { path, val: this.expr(u.val, inner), atSlot };
    });
    const all = [base, ...updates.map((u) => u.val), ...updates.flatMap((u) => u.path.flatMap((p) => (p.arg ? [p.arg] : [])))];
    // Paths of one or two steps (`![p] = ...`, `![p][q] = ...`: nearly all of them) are updated
    // without a key array or a closure per application; longer ones go through `updateAt`.
    // Either way every key is evaluated before the function is taken apart, as TLC does.
    const deep = updates.some((u) => u.path.length > 2);
    const f0s = updates.map((u) => u.path[0]!.arg?.f ?? null);
    const k0s = updates.map((u) => u.path[0]!.field);
    const f1s = updates.map((u) => (u.path.length > 1 ? (u.path[1]!.arg?.f ?? null) : null));
    const k1s = updates.map((u) => (u.path.length > 1 ? u.path[1]!.field : null));
    const vals = updates.map((u) => u.val.f);
    const atSlots = updates.map((u) => u.atSlot);
    const nUpd = updates.length;
    if (!deep) {
      return ce(
        (c, f) => {
          let v = base.f(c, f);
          for (let ui = 0; ui < nUpd; ui++) {
            const g0 = f0s[ui]!;
            const key0 = g0 !== null ? g0(c, f) : k0s[ui]!;
            const twoSteps = updates[ui]!.path.length === 2;
            const g1 = f1s[ui]!;
            const key1 = twoSteps ? (g1 !== null ? g1(c, f) : k1s[ui]!) : null;
            try {
              if (v instanceof LazyFcn && !v.domain.finite) {
                const slot = atSlots[ui]!;
                const val = vals[ui]!;
                v = updateAt(v, twoSteps ? [key0, key1!] : [key0], 0, (old) => {
                  f[slot] = old;
                  return val(c, f);
                });
                continue;
              }
              const outer = exceptTarget(v);
              const i0 = exceptIndex(outer, key0);
              if (i0 < 0) {
                v = outer;
                continue;
              }
              if (!twoSteps) {
                f[atSlots[ui]!] = outer.rng[i0]!;
                const rng = outer.rng.slice();
                rng[i0] = vals[ui]!(c, f);
                v = new Fcn(outer.dom, rng);
                continue;
              }
              const inner = exceptTarget(outer.rng[i0]!);
              const i1 = exceptIndex(inner, key1!);
              let nextInner: Fcn = inner;
              if (i1 >= 0) {
                f[atSlots[ui]!] = inner.rng[i1]!;
                const rng1 = inner.rng.slice();
                rng1[i1] = vals[ui]!(c, f);
                nextInner = new Fcn(inner.dom, rng1);
              }
              const rng = outer.rng.slice();
              rng[i0] = nextInner;
              v = new Fcn(outer.dom, rng);
            } catch (err) {
              throw locate(err, o, e.span);
            }
          }
          return v;
        },
        maxL(all),
        anyImpure(all),
      );
    }
    return ce(
      (c, f) => {
        let v = base.f(c, f);
        for (const u of updates) {
          const keys = u.path.map((p) => (p.arg ? p.arg.f(c, f) : p.field!));
          try {
            v = updateAt(v, keys, 0, (old) => {
              f[u.atSlot] = old;
              return u.val.f(c, f);
            });
          } catch (err) {
            throw locate(err, o, e.span);
          }
        }
        return v;
      },
      maxL(all),
      anyImpure(all),
    );
  }

  private tupleOf(args: readonly Expr[], s: Scope): CE {
    const xs = args.map((a) => this.expr(a, s));
    return ce((c, f) => tuple(xs.map((x) => x.f(c, f))), maxL(xs), anyImpure(xs));
  }

  private prime(inner: Expr, span: Span, s: Scope): CE {
    const o = s.origin;
    if (inner.k === "id") {
      const g = this.resolveVar(inner.name, s);
      if (g) {
        const slot = g.slot;
        const name = g.name;
        return ce((c) => {
          const n = c.n;
          if (!n) throw evalError(o, span, `${name}' cannot be evaluated outside of an action`);
          const v = n[slot];
          if (v === undefined) throw evalError(o, span, `${name}' is read before it is assigned a value`);
          const reads = c.readsNext;
          if (reads !== undefined) reads[slot] = 1;
          return v;
        }, 2);
      }
    }
    const e = this.expr(inner, s);
    const ef = e.f;
    const free = inner.k === "id" && !s.lookupLocal(inner.name) ? s.env.defs.get(inner.name) : undefined;
    // An instance variable mapped to an expression: inside ENABLED it may have been given a next value.
    const mapped = free && free.k === "subst" ? free : null;
    return ce(
      (c, f) => {
        const v = mapped ? c.free?.get(mapped) : undefined;
        if (v !== undefined) return v;
        try {
          return ef(primedCtx(c), f);
        } catch (err) {
          throw locate(err, o, span);
        }
      },
      Math.max(2, e.l),
      e.impure,
    );
  }

  /**
   * `x \in {y \in S : P}` (the set written there, or the body of a module-level definition
   * without parameters) as `x \in S /\ P` with y bound to x, without enumerating the set, as
   * TLC's SetPredValue.member does: `UV \in DomainPartitions` (LoopInvariance/Quicksort) filters
   * `SUBSET SUBSET 1..n`, which enumerating on every state makes far slower than TLC.
   */
  private filterMembership(x: Expr, set: Expr, negate: boolean, span: Span, s: Scope): CE | null {
    let filter: Extract<Expr, { k: "setfilter" }> | null = null;
    let scope = s;
    let def: OpDef | null = null;
    if (set.k === "setfilter") filter = set;
    else if (set.k === "id" && !s.lookupLocal(set.name)) {
      const g = s.env.defs.get(set.name);
      if (g && g.k === "op" && !g.def.closure && g.def.params.length === 0 && !g.def.fnBounds && g.def.env.instParams.length === 0 && g.def.body.k === "setfilter") {
        def = g.def;
        filter = g.def.body;
      }
    }
    if (!filter || filter.bound.tuple || filter.bound.names.length !== 1) return null;
    const xc = this.expr(x, s);
    let layout: Layout | null = null;
    if (def) {
      const ds = this.defScope(def);
      scope = ds.scope;
      layout = ds.layout;
    }
    const inner = scope.child();
    const cb = this.bounds([filter.bound], scope, inner);
    const slot = cb.groups[0]!.slots[0]!;
    const setF = cb.groups[0]!.set;
    const pred = this.expr(filter.pred, inner);
    const pf = pred.f;
    const xf = xc.f;
    const o = s.origin;
    const size = layout ? () => layout!.size : null;
    return ce(
      (c, f) => {
        const xv = xf(c, f);
        const fr = size ? (new Array(size()) as Frame) : f;
        if (size) fr[0] = null;
        let inside: boolean;
        try {
          const sv = setF(c, fr);
          inside = asSet(sv, "\\in").has(xv);
        } catch (err) {
          throw locate(err, o, span);
        }
        if (inside) {
          fr[slot] = xv;
          inside = truth(pf(c, fr), "A set filter");
        }
        return negate ? !inside : inside;
      },
      Math.max(xc.l, cb.l, pred.l),
      xc.impure || cb.impure || pred.impure,
    );
  }

  /** If `name` resolves (through instance substitutions) to a state variable, that variable. */
  resolveVar(name: string, s: Scope): { slot: number; name: string } | null {
    if (s.lookupLocal(name)) return null;
    const g = s.env.defs.get(name);
    if (!g) return null;
    if (g.k === "var") return { slot: g.slot, name: g.name };
    if (g.k === "subst" && g.expr.k === "id") return this.resolveVar(g.expr.name, g.scope ?? this.topScope(g.env));
    return null;
  }

  /** Read of a local slot from the current frame or an enclosing one. */
  localRead(b: Extract<LocalBinding, { k: "local" | "opparam" }>, s: Scope): CE {
    const d = depthOf(s.layout, b.layout);
    const slot = b.slot;
    if (d === 0) return ce((_c, f) => f[slot] as Val, 0);
    if (d === 1) return ce((_c, f) => (f[0] as Frame)[slot] as Val, 0);
    return ce((_c, f) => up(f, d)[slot] as Val, 0);
  }

  /** An identifier or operator application `name(args)`. */
  ident(name: string, args: readonly Expr[], e: Expr, s: Scope): CE {
    const local = s.lookupLocal(name);
    if (local) {
      switch (local.k) {
        case "local":
          if (args.length > 0) return this.fail(s, e.span, `${name} is not an operator; it takes no arguments`);
          return this.localRead(local, s);
        case "opparam": {
          if (local.arity !== args.length) {
            if (local.arity === 0 && args.length === 0) return this.localRead(local, s);
            return this.fail(s, e.span, `the operator parameter ${name} takes ${local.arity} argument(s), but is given ${args.length}`);
          }
          if (local.arity === 0) return this.localRead(local, s);
          const read = this.localRead(local, s).f;
          const as = args.map((a) => this.expr(a, s));
          const o = s.origin;
          return ce(
            (c, f) => {
              const op = read(c, f) as OpValue;
              try {
                return op.call(as.map((a) => a.f(c, f)));
              } catch (err) {
                throw locate(err, o, e.span);
              }
            },
            Math.max(1, maxL(as)),
            true,
          );
        }
        case "letop":
          return this.callDef(local.def, args, e, s);
        case "letinst":
          return this.fail(s, e.span, `${name} is an instance; refer to its definitions as ${name}!Op`);
        case "byname": {
          if (args.length > 0) return this.fail(s, e.span, `${name} is not an operator; it takes no arguments`);
          const d = depthOf(s.layout, local.layout);
          const slot = local.slot;
          // Level 0 like a parameter passed by value: the call's level counts the argument's.
          return ce((c, f) => {
            const t = up(f, d)[slot] as Thunk;
            return t.value(c);
          }, 0);
        }
      }
    }
    const g = s.env.defs.get(name) ?? this.coreBinding(name);
    if (!g) return this.fail(s, e.span, `Unknown operator: ${name}`);
    if (g.k === "builtin" && name === "=>" && args.length === 2) {
      // Implication short-circuits: FALSE => anything is TRUE without evaluating the right side.
      const a = this.expr(args[0]!, s);
      const b = this.expr(args[1]!, s);
      const o = s.origin;
      return ce(
        (c, f) => {
          const x = a.f(c, f);
          if (x === false) return true;
          if (x !== true) throw evalError(o, e.span, `The left side of => evaluated to ${formatValue(x)}, not a boolean`);
          const y = b.f(c, f);
          if (typeof y !== "boolean") throw evalError(o, e.span, `The right side of => evaluated to ${formatValue(y)}, not a boolean`);
          return y;
        },
        Math.max(a.l, b.l),
        a.impure || b.impure,
      );
    }
    return this.global(g, name, args, e, s);
  }

  private coreBinding(name: string): GlobalBinding | undefined {
    const b = this.core.get(name);
    return b ? { k: "builtin", b } : undefined;
  }

  /** Compile a reference to a module-level binding. */
  global(g: GlobalBinding, name: string, args: readonly Expr[], e: Expr, s: Scope): CE {
    const arityCheck = (n: number): void => {
      if (args.length !== n) this.fail(s, e.span, `${name} takes ${n} argument(s), but is given ${args.length}`);
    };
    switch (g.k) {
      case "var": {
        arityCheck(0);
        const slot = g.slot;
        const o = s.origin;
        return ce((c) => {
          const v = c.s[slot];
          if (v === undefined) throw evalError(o, e.span, `the variable ${name} has no value yet here`);
          const reads = c.reads;
          if (reads !== undefined) reads[slot] = 1;
          return v;
        }, 1);
      }
      case "const": {
        arityCheck(0);
        const v = g.value;
        return ce(() => v, 0);
      }
      case "unbound":
        return this.fail(s, e.span, `the constant ${name} has no value: assign it in the cfg (CONSTANT ${name} = ...)`, "semantic");
      case "op":
        return this.callDef(g.def, args, e, s);
      case "builtin":
        return this.callBuiltin(g.b, args, e, s);
      case "inst":
        return this.fail(s, e.span, `${name} is an instance; refer to its definitions as ${name}!Op`);
      case "subst": {
        const target = this.substScope(g, s);
        if (args.length > 0) {
          // A constant operator of an instance substituted by an operator (`Op <- MCOp`, or the
          // instantiating module's operator of the same name): applied to the use site's arguments.
          const op = this.substOperator(g, s);
          if (op?.k === "def") return this.callDef(op.def, args, e, s);
          if (op?.k === "builtin") return this.callBuiltin(op.b, args, e, s);
          if (g.expr.k === "lambda") return this.applyLambda(g.expr, target, name, args, e, s);
          return this.fail(s, e.span, `${name} takes no arguments`);
        }
        const sub = this.expr(g.expr, target);
        if (!g.variable || this.resolveVar(name, s)) return sub;
        // An instance variable mapped to an expression, read in `(e)'` inside ENABLED where the
        // action gave it a next value of its own (Ctx.free): that value, as TLC.
        const sf = sub.f;
        return ce((c, f) => (c.primedFree?.get(g) ?? sf(c, f)) as Val, sub.l, sub.impure);
      }
      default: {
        const never: never = g;
        throw new Error(`internal: ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * The operator an instance's operator constant stands for when its substitution names one
   * (through chains of instances), else null.
   */
  substOperator(g: Extract<GlobalBinding, { k: "subst" }>, s: Scope): { k: "def"; def: OpDef } | { k: "builtin"; b: Builtin } | null {
    if (g.expr.k !== "id") return null;
    const target = this.substScope(g, s);
    const local = target.lookupLocal(g.expr.name);
    if (local) return local.k === "letop" ? { k: "def", def: local.def } : null;
    const b = target.env.defs.get(g.expr.name) ?? this.coreBinding(g.expr.name);
    if (!b) return null;
    if (b.k === "op") return { k: "def", def: b.def };
    if (b.k === "builtin") return { k: "builtin", b: b.b };
    if (b.k === "subst" && b !== g) return this.substOperator(b, target);
    return null;
  }

  /** The scope a substitution expression is compiled in, seen from the use site. */
  substScope(g: Extract<GlobalBinding, { k: "subst" }>, s: Scope): Scope {
    // Parameterised instances bind their parameters in slots 1..n of the operator's root frame.
    let root = s.layout;
    while (root.parent) root = root.parent;
    const sc = new Scope(g.env, s.layout, new Map(), g.scope);
    const params = s.env.instParams;
    params.forEach((p, i) => {
      if (p.arity === 0) sc.locals.set(p.name, { k: "local", layout: root, slot: i + 1, name: p.name });
      else sc.locals.set(p.name, { k: "opparam", layout: root, slot: i + 1, arity: p.arity, name: p.name });
    });
    return sc;
  }

  private callBuiltin(b: Builtin, args: readonly Expr[], e: Expr, s: Scope): CE {
    if ((b.name === "\\in" || b.name === "\\notin") && args.length === 2) {
      const fast = this.filterMembership(args[0]!, args[1]!, b.name === "\\notin", e.span, s);
      if (fast) return fast;
    }
    if (b.arity !== args.length) {
      if (args.length === 0 && b.arity > 0) return this.opArg(e, s, b.arity);
      return this.fail(s, e.span, `${b.name} takes ${b.arity} argument(s), but is given ${args.length}`);
    }
    const as = args.map((a) => this.argument(a, s));
    const fs = as.map((a) => a.f);
    const fn = b.fn;
    const o = s.origin;
    const span = e.span;
    if (b.lazy) {
      const lazy = b.lazy;
      return ce(
        (c, f) => {
          try {
            return lazy(
              fs.map((g) => () => g(c, f)),
              c,
              args,
            );
          } catch (err) {
            throw locate(err, o, span);
          }
        },
        b.stateful ? Math.max(1, maxL(as)) : maxL(as),
        true,
      );
    }
    const impure = !b.pure || anyImpure(as);
    const l = b.stateful ? Math.max(1, maxL(as)) : maxL(as);
    if (fs.length === 0) {
      if (b.pure) {
        let cached: Val | undefined;
        return ce((c) => (cached ??= fn([], c)), 0);
      }
      return ce((c) => fn([], c), 1, true);
    }
    if (fs.length === 1 && b.fn1) {
      const a0 = fs[0]!;
      const g = b.fn1;
      return ce(
        (c, f) => {
          const x = a0(c, f);
          try {
            return g(x);
          } catch (err) {
            throw locate(err, o, span);
          }
        },
        l,
        impure,
      );
    }
    if (fs.length === 2 && b.fn2) {
      const a0 = fs[0]!;
      const a1 = fs[1]!;
      const g = b.fn2;
      return ce(
        (c, f) => {
          const x = a0(c, f);
          const y = a1(c, f);
          try {
            return g(x, y);
          } catch (err) {
            throw locate(err, o, span);
          }
        },
        l,
        impure,
      );
    }
    if (fs.length === 1) {
      const a0 = fs[0]!;
      return ce(
        (c, f) => {
          const x = a0(c, f);
          try {
            return fn([x], c);
          } catch (err) {
            throw locate(err, o, span);
          }
        },
        l,
        impure,
      );
    }
    if (fs.length === 2) {
      const a0 = fs[0]!;
      const a1 = fs[1]!;
      return ce(
        (c, f) => {
          const x = a0(c, f);
          const y = a1(c, f);
          try {
            return fn([x, y], c);
          } catch (err) {
            throw locate(err, o, span);
          }
        },
        l,
        impure,
      );
    }
    return ce(
      (c, f) => {
        const xs = fs.map((g) => g(c, f));
        try {
          return fn(xs, c);
        } catch (err) {
          throw locate(err, o, span);
        }
      },
      l,
      impure,
    );
  }

  /**
   * An instance's operator constant substituted by a LAMBDA (`INSTANCE M WITH Op <- LAMBDA s, l :
   * TRUE`), applied at a use site inside the instance: the LAMBDA, compiled where the substitution
   * was written (`target`), called on the use site's arguments.
   */
  private applyLambda(lambda: Extract<Expr, { k: "lambda" }>, target: Scope, name: string, args: readonly Expr[], e: Expr, s: Scope): CE {
    if (lambda.params.length !== args.length) {
      return this.fail(s, e.span, `${name} takes ${lambda.params.length} argument(s) (it is substituted by a LAMBDA of ${lambda.params.length}), but is given ${args.length}`);
    }
    const op = this.opArg(lambda, target, -1).f;
    const as = args.map((a) => this.argument(a, s));
    const fs = as.map((a) => a.f);
    return ce((c, f) => (op(c, f) as OpValue).call(fs.map((g) => g(c, f))), Math.max(1, maxL(as)), true);
  }

  /** An argument that may be an operator (for higher-order parameters and built-ins). */
  argument(a: Expr, s: Scope): CE {
    if (a.k === "lambda" || a.k === "opsym") return this.opArg(a, s, -1);
    if (a.k === "id") {
      const local = s.lookupLocal(a.name);
      if (local && local.k === "opparam" && local.arity > 0) return this.localRead(local, s);
      if (local && local.k === "letop" && local.def.params.length > 0) return this.opArg(a, s, local.def.params.length);
      if (!local) {
        const g = s.env.defs.get(a.name) ?? this.coreBinding(a.name);
        if (g && g.k === "op" && g.def.params.length > 0) return this.opArg(a, s, g.def.params.length);
        if (g && g.k === "builtin" && g.b.arity > 0) return this.opArg(a, s, g.b.arity);
      }
    }
    return this.expr(a, s);
  }

  /** An operator passed as a value: a name, an operator symbol, or a LAMBDA. */
  opArg(a: Expr, s: Scope, arity: number): CE {
    if (a.k === "lambda") {
      const layout = new Layout(s.layout);
      const inner = new Scope(s.env, layout, new Map(), s);
      const slots = a.params.map((p) => {
        const slot = layout.alloc();
        inner.locals.set(p, { k: "local", layout, slot, name: p });
        return slot;
      });
      const body = this.expr(a.body, inner);
      const bf = body.f;
      const n = a.params.length;
      return ce(
        (c, f) =>
          new OpValue(
            n,
            (args) => {
              const fr: Frame = new Array(layout.size);
              fr[0] = f;
              for (let i = 0; i < n; i++) fr[slots[i]!] = args[i];
              return bf(c, fr);
            },
            "LAMBDA",
          ),
        body.l,
        true,
      );
    }
    const name = a.k === "opsym" || a.k === "id" || a.k === "app" ? a.name : "";
    const n = arity >= 0 ? arity : this.arityOf(name, s);
    if (n <= 0) return this.fail(s, a.span, `${name} is not an operator that can be passed as an argument`);
    // Compile a call of the operator on fresh parameter slots.
    const layout = new Layout(s.layout);
    const inner = new Scope(s.env, layout, new Map(), s);
    const params = Array.from({ length: n }, (_, i) => `$arg${i}`);
    const slots = params.map((p) => {
      const slot = layout.alloc();
      inner.locals.set(p, { k: "local", layout, slot, name: p });
      return slot;
    });
    const call = this.ident(name, params.map((p) => ({ k: "id", name: p, span: a.span }) as Expr), a, inner);
    const cf = call.f;
    return ce(
      (c, f) =>
        new OpValue(
          n,
          (args) => {
            const fr: Frame = new Array(layout.size);
            fr[0] = f;
            for (let i = 0; i < n; i++) fr[slots[i]!] = args[i];
            return cf(c, fr);
          },
          name,
        ),
      call.l,
      true,
    );
  }

  private arityOf(name: string, s: Scope): number {
    const local = s.lookupLocal(name);
    if (local) return local.k === "opparam" ? local.arity : local.k === "letop" ? local.def.params.length : 0;
    const g = s.env.defs.get(name) ?? this.coreBinding(name);
    if (!g) return -1;
    if (g.k === "op") return g.def.params.length;
    if (g.k === "builtin") return g.b.arity;
    return 0;
  }

  /** The scope of an operator's body: a fresh frame with instance parameters, then parameters. */
  defScope(def: OpDef): { scope: Scope; layout: Layout } {
    const layout = new Layout(def.closure);
    const scope = new Scope(def.env, layout, new Map(), def.scope, def.origin);
    const params = def.closure ? def.params : [...def.env.instParams, ...def.params];
    const byName = this.byNameParams(def);
    const offset = params.length - def.params.length;
    params.forEach((p, i) => {
      const slot = layout.alloc();
      if (p.arity > 0) scope.locals.set(p.name, { k: "opparam", layout, slot, arity: p.arity, name: p.name });
      else if (i >= offset && byName[i - offset]) scope.locals.set(p.name, { k: "byname", layout, slot, name: p.name });
      else scope.locals.set(p.name, { k: "local", layout, slot, name: p.name });
    });
    return { scope, layout };
  }

  /**
   * While a by-name argument is compiled: the operators it calls whose bodies are still being
   * compiled (recursion), whose level is not known yet (see {@link Compiler.callArgs}).
   */
  private recursiveRefs: OpDef[] | null = null;

  private readonly byNameMemo = new Map<OpDef, boolean[]>();
  private readonly primedMemo = new Map<OpDef, boolean[]>();

  /** Which parameters of `def` are primed (directly or through other operators) in its body. */
  byNameParams(def: OpDef): boolean[] {
    const known = this.byNameMemo.get(def);
    if (known) return known;
    const result = this.primedParams(def).slice();
    this.byNameMemo.set(def, result); // provisional, for recursion
    const index = new Map(def.params.map((p, i) => [p.name, i] as const));
    if (index.size === 0) return result;
    const scope = new Scope(def.env, new Layout(null), new Map(), def.scope, def.origin);
    // A parameter used as an action (a conjunct, disjunct, \E body or IF/CASE branch of the
    // body, or passed to such a parameter of an operator applied there) is by name too: its
    // argument may be an action such as `Inc(i)`, which must be enumerated in the caller's scope
    // rather than evaluated where it is passed. Only in action position: `x' = F(c)` with
    // `F(r) == IF r > 0 THEN r ELSE r` passes c by value, and the step's label keeps it.
    const actionPos = (e: Expr, depth: number): void => {
      if (depth > 40) return;
      switch (e.k) {
        case "id":
          if (index.has(e.name)) result[index.get(e.name)!] = true;
          return;
        case "and":
        case "or":
          for (const x of e.items) actionPos(x, depth + 1);
          return;
        case "quant":
          return actionPos(e.body, depth + 1);
        case "if":
          actionPos(e.t, depth + 1);
          return actionPos(e.e, depth + 1);
        case "case":
          for (const [, a] of e.arms) actionPos(a, depth + 1);
          if (e.other) actionPos(e.other, depth + 1);
          return;
        case "let":
          return actionPos(e.body, depth + 1);
        case "app": {
          if (e.name === "=>" && e.args.length === 2) return actionPos(e.args[1]!, depth + 1);
          const g = scope.lookupLocal(e.name) ? undefined : def.env.defs.get(e.name);
          const callee = g && g.k === "op" && g.def.params.length === e.args.length ? this.byNameParams(g.def) : null;
          if (callee) e.args.forEach((a, i) => callee[i] && actionPos(a, depth + 1));
          return;
        }
        default:
          return;
      }
    };
    actionPos(def.body, 0);
    return result;
  }

  /** The parameters of `def` that its body primes (directly, or through an operator it calls). */
  private primedParams(def: OpDef): boolean[] {
    const known = this.primedMemo.get(def);
    if (known) return known;
    const result = def.params.map(() => false);
    this.primedMemo.set(def, result); // provisional, for recursion
    const index = new Map(def.params.map((p, i) => [p.name, i] as const));
    if (index.size === 0) return result;
    const scope = new Scope(def.env, new Layout(null), new Map(), def.scope, def.origin);
    const visit = (e: Expr | null, primed: boolean): void => {
      if (!e) return;
      switch (e.k) {
        case "id":
          if (primed && index.has(e.name)) result[index.get(e.name)!] = true;
          return;
        case "prime":
        case "unchanged":
        case "enabled":
          return visit(e.e, true);
        case "step":
          visit(e.action, primed);
          return visit(e.sub, true);
        case "app": {
          // A parameter passed on to a primed parameter of another operator is by name too.
          const g = scope.lookupLocal(e.name) ? undefined : def.env.defs.get(e.name);
          const callee = g && g.k === "op" && g.def.params.length === e.args.length ? this.primedParams(g.def) : null;
          e.args.forEach((a, i) => visit(a, primed || !!callee?.[i]));
          return;
        }
        default:
          for (const child of children(e)) visit(child, primed);
      }
    };
    visit(def.body, false);
    return result;
  }

  /** Ensure an operator definition's body is compiled. */
  ensureCompiled(def: OpDef): void {
    if (def.fn || def.compiling) return;
    def.compiling = true;
    try {
      const { scope, layout } = this.defScope(def);
      let body: CE;
      if (def.fnBounds) {
        // A recursive function `f[x \in S] == e` is the value of a lazily evaluated function.
        const self = def;
        const fnScope = scope.child();
        const selfSlot = layout.alloc();
        fnScope.locals.set(def.name, { k: "local", layout, slot: selfSlot, name: def.name });
        const lit = this.fnLit(def.fnBounds, def.body, def.span, fnScope, { name: self.name, slot: selfSlot });
        body = lit;
      } else {
        body = this.expr(def.body, scope);
      }
      def.fn = body.f;
      def.level = body.l;
      def.impure = !!body.impure;
      def.frameSize = layout.size;
    } finally {
      def.compiling = false;
    }
  }

  /** Compile a call of a user-defined operator. */
  callDef(def: OpDef, args: readonly Expr[], e: Expr, s: Scope): CE {
    if (def.params.length !== args.length) {
      if (args.length === 0 && def.params.length > 0) return this.opArg(e, s, def.params.length);
      return this.fail(s, e.span, `${def.name} takes ${def.params.length} argument(s), but is given ${args.length}`);
    }
    const implemented = implementedOverride(def);
    if (implemented && args.length === 0) {
      let value: Val | undefined;
      return ce(() => (value ??= implemented()), 0);
    }
    const javaOnly = javaOverrideOf(def);
    if (javaOnly) {
      const err = new TlaError("unsupported", javaOverrideMessage(javaOnly, def.name), { file: s.origin.file, line: e.span.line, column: e.span.col, endLine: e.span.endLine, endColumn: e.span.endCol });
      // Refused when evaluated, as TLC would only then call the override. Constant level (as the
      // override's value is: `N <- TraceN` over a JSON log is a constant substitution for TLC) but
      // impure, so that it is never evaluated ahead of its use.
      return ce(() => {
        throw err;
      }, 0, true);
    }
    this.ensureCompiled(def);
    if (def.compiling && this.recursiveRefs) this.recursiveRefs.push(def);
    const as = this.callArgs(def, args, s);
    const fs = as.map((a) => a.f);
    const n = fs.length;
    const level = Math.max(def.compiling ? 0 : def.level, maxL(as));
    const impure = def.impure || anyImpure(as);
    const closureDepth = def.closure ? depthOf(s.layout, def.closure) : -1;
    // Instance parameters of a parameterised instance are passed along from the caller's frame.
    const nInst = def.closure ? 0 : def.env.instParams.length;
    let instRoot: Layout | null = null;
    if (nInst > 0) {
      instRoot = s.layout;
      while (instRoot.parent) instRoot = instRoot.parent;
    }
    const instDepth = instRoot ? depthOf(s.layout, instRoot) : 0;
    if (n === 0 && !def.closure && nInst === 0) {
      // Zero-argument module-level operator: constant-level ones are evaluated once.
      return ce(
        (c) => {
          if (def.constValue !== undefined) return def.constValue;
          // State-level and pure: once per state within a successor enumeration (see below).
          let memo: Map<object, unknown> | null = null;
          if (c.opMemo !== undefined && def.level === 1 && !def.impure && !def.compiling && !def.memoOff) {
            memo = c.opMemo ??= new Map();
            const hit = memo.get(def);
            if (memoPays(def, hit !== undefined)) return hit as Val;
          }
          const fr: Frame = new Array(def.frameSize);
          fr[0] = null;
          const v = def.fn!(c, fr);
          if (memo !== null) memo.set(def, v);
          // As TLC, constant-level definitions are evaluated once (RandomElement included).
          if (def.level === 0 && !def.compiling) def.constValue = v;
          return v;
        },
        level,
        impure,
      );
    }
    // A module-level operator of values (no closure, no instance parameters, no operator or
    // by-name arguments) whose body is state-level and pure gives the same value for the same
    // state and the same argument objects: within one state's successor enumeration (a context
    // with an `opMemo`) it is evaluated once per argument tuple. `LastIndex(i)`, `FullLog(i)` are
    // asked for by the guards of many actions and bindings of the same state.
    const cacheable = !def.closure && nInst === 0 && def.params.every((p) => p.arity === 0) && !this.byNameParams(def).some(Boolean);
    const letSlot = def.letCacheSlot;
    if (letSlot >= 0 && n === 0 && closureDepth >= 0 && nInst === 0) {
      return ce(
        (c, f) => {
          const cf = up(f, closureDepth);
          if (cf[letSlot] === c) return cf[letSlot + 1] as Val;
          const fr: Frame = new Array(def.frameSize);
          fr[0] = cf;
          const v = def.fn!(c, fr);
          // Not remembered: a value that reads the next state, calls an impure built-in, or is
          // computed in a context whose state is being built in place (Init, primed).
          if (def.level <= 1 && !def.impure && !def.compiling && c.partial !== true) {
            cf[letSlot] = c;
            cf[letSlot + 1] = v;
          }
          return v;
        },
        level,
        impure,
      );
    }
    return ce(
      (c, f) => {
        const fr: Frame = new Array(def.frameSize);
        fr[0] = closureDepth >= 0 ? up(f, closureDepth) : null;
        let k = 1;
        if (nInst > 0) {
          const src = up(f, instDepth);
          for (let i = 1; i <= nInst; i++) fr[k++] = src[i];
        }
        for (let i = 0; i < n; i++) fr[k++] = fs[i]!(c, f);
        let memo = c.opMemo;
        if (memo === undefined || n === 0 || !cacheable || def.level !== 1 || def.impure || def.compiling || def.memoOff) return def.fn!(c, fr);
        memo ??= c.opMemo = new Map();
        // Nested maps keyed by the operator, then by each argument object (identity: the same
        // object is the same value; numbers, strings and booleans by value).
        let table = memo.get(def) as Map<unknown, unknown> | undefined;
        if (table === undefined) memo.set(def, (table = new Map()));
        for (let i = 1; i < n; i++) {
          const arg = fr[i];
          let next = table.get(arg) as Map<unknown, unknown> | undefined;
          if (next === undefined) table.set(arg, (next = new Map()));
          table = next;
        }
        const last = fr[n];
        const hit = table.get(last);
        if (memoPays(def, hit !== undefined)) return hit as Val;
        const v = def.fn!(c, fr);
        table.set(last, v);
        return v;
      },
      level,
      impure,
    );
  }

  /** Compile the arguments of a call: operators, by-name thunks, or values. */
  callArgs(def: OpDef, args: readonly Expr[], s: Scope): CE[] {
    const byName = this.byNameParams(def);
    return def.params.map((p, i) => {
      const a = args[i]!;
      if (p.arity > 0) return this.opArg(a, s, p.arity);
      if (!byName[i]) return this.argument(a, s);
      if (a.k === "id") {
        const local = s.lookupLocal(a.name);
        // A by-name parameter passed on: pass the same thunk.
        if (local && local.k === "byname") {
          const d = depthOf(s.layout, local.layout);
          const slot = local.slot;
          return ce((_c, f) => up(f, d)[slot] as Val, 0);
        }
      }
      const v = a.k === "id" ? this.resolveVar(a.name, s) : null;
      const varSlot = v ? v.slot : -1;
      const saved = this.recursiveRefs;
      const refs: OpDef[] = (this.recursiveRefs = []);
      let arg: CE;
      try {
        arg = this.expr(a, s);
      } finally {
        this.recursiveRefs = saved;
        saved?.push(...refs);
      }
      const af = arg.f;
      // The call's level from this argument: an argument that reads the next state counts as
      // state-level, as the parameter may be read under ENABLED (`En(A) == ENABLED A`).
      const level = Math.min(arg.l, 1);
      const memoOf = (l: number, impure: boolean): 0 | 1 | 2 => (impure ? 0 : l === 0 ? 2 : l === 1 ? 1 : 0);
      if (refs.length === 0) {
        const memo = memoOf(arg.l, !!arg.impure);
        return ce((_c, f) => new Thunk(af, f, varSlot, memo) as unknown as Val, level);
      }
      // The argument calls an operator being compiled (a recursive call), whose level counted as
      // constant here: how its value may be remembered is known once those are compiled.
      let memo: 0 | 1 | 2 | -1 = -1;
      const settle = (): 0 | 1 | 2 => {
        if (refs.some((d) => d.compiling)) return 0;
        return (memo = memoOf(Math.max(arg.l, ...refs.map((d) => d.level)), !!arg.impure || refs.some((d) => d.impure)));
      };
      return ce((_c, f) => new Thunk(af, f, varSlot, memo === -1 ? settle() : memo) as unknown as Val, level);
    });
  }

  /**
   * `LET defs IN body`: definitions become LET operators closing over the current frame. With
   * `cacheSlots`, a definition without parameters is evaluated at most once per entry into the
   * LET and context, as TLC's LazyValue does (`LET dagOfL == SubDag(dag, {l}) IN` ... read three
   * times was computed three times, and recursive operators such as dag-consensus' Linearize
   * multiplied that at each level): two frame slots remember it, and the caller must clear the
   * first of each pair, listed in `cacheSlots`, whenever the LET is entered.
   */
  let<T>(defs: readonly import("../ast/types.js").Def[], s: Scope, body: (inner: Scope) => T, cacheSlots?: number[]): T {
    const inner = s.child();
    for (const d of defs) {
      if (d.k === "op") {
        const def = new OpDef(d.name, d.params, d.body, s.env, s.origin, d.span, s.layout, inner);
        if (cacheSlots && d.params.length === 0) {
          def.letCacheSlot = s.layout.alloc();
          s.layout.alloc();
          cacheSlots.push(def.letCacheSlot);
        }
        inner.locals.set(d.name, { k: "letop", def });
      } else if (d.k === "fn") {
        const def = new OpDef(d.name, [], d.body, s.env, s.origin, d.span, s.layout, inner, d.bounds);
        inner.locals.set(d.name, { k: "letop", def });
      } else if (d.k === "recursive") {
        continue;
      } else if (d.k === "inst" && d.name && d.params.length === 0 && this.letInstance) {
        inner.locals.set(d.name, { k: "letinst", env: this.letInstance(d.module, d.subs, inner, d.moduleSpan), name: d.name });
      } else {
        this.fail(s, d.span, d.k === "inst" && d.params.length > 0 ? "a parameterised INSTANCE inside LET is not supported" : `${d.k} inside LET is not supported`, "unsupported");
      }
    }
    return body(inner);
  }

  /** The environment `M!` or `P(args)!` of a prefixed name denotes, seen from scope `s`. */
  prefixEnv(e: Extract<Expr, { k: "prefixed" }>, s: Scope): ModuleEnv {
    let env = s.env;
    for (const step of e.path) {
      const local = env === s.env ? s.lookupLocal(step.name) : undefined;
      if (local?.k === "letinst" && step.args.length === 0) {
        env = local.env;
        continue;
      }
      const g = env.defs.get(step.name);
      if (!g || g.k !== "inst") return this.fail(s, e.span, `${step.name} is not an instance (in ${e.path.map((p) => p.name).join("!")}!${e.name})`);
      if (g.inst.params.length !== step.args.length) {
        return this.fail(s, e.span, `the instance ${step.name} takes ${g.inst.params.length} argument(s), but is given ${step.args.length}`);
      }
      if (step.args.length > 0) {
        if (!this.specialise) return this.fail(s, e.span, "parameterised instances are not available here", "unsupported");
        if (env !== s.env) return this.fail(s, e.span, "nested parameterised instances are not supported", "unsupported");
        env = this.specialise(g.inst, s.env, step.args, s);
      } else env = g.inst.env;
    }
    return env;
  }

  private prefixed(e: Extract<Expr, { k: "prefixed" }>, s: Scope): CE {
    const env = this.prefixEnv(e, s);
    const target = env.qualified(e.name);
    if (!target) return this.fail(s, e.span, `${e.path.map((p) => p.name).join("!")}!${e.name} is not defined`);
    return this.globalFrom(target, e, s, env);
  }

  /** A reference to a binding of another module environment from scope `s`. */
  globalFrom(g: GlobalBinding, e: Extract<Expr, { k: "prefixed" }>, s: Scope, env: ModuleEnv): CE {
    if (g.k === "op") return this.callDef(g.def, e.args, e, s);
    if (g.k === "subst") return this.global(g, e.name, e.args, e, new Scope(env, s.layout, new Map(), s));
    return this.global(g, e.name, e.args, e, s);
  }

  /** Compile a zero-argument module-level definition by name (Init, Next, invariants). */
  compileNamed(name: string, env: ModuleEnv, span: Span): CE {
    const e: Expr = { k: "id", name, span };
    return this.expr(e, this.topScope(env));
  }
}

function flatArg(arg: Fcn, i: number, cb: CompiledBounds): Val {
  // A function of one argument bound by a tuple pattern (`f[<<x, y>> \in S \X T]`): the argument
  // is the tuple itself.
  if (cb.groups.length === 1 && cb.groups[0]!.tuple) return arg.rng[i]!;
  // Arguments of multi-variable functions are tuples, one component per bound variable or tuple
  // pattern (`f[i, j \in S, <<k, l>> \in T]` takes <<i, j, <<k, l>>>>): slot i is found by
  // counting both the slots (k) and the components (pos).
  let k = 0;
  let pos = 0;
  for (let gi = 0; gi < cb.groups.length; gi++) {
    const g = cb.groups[gi]!;
    if (g.tuple) {
      if (i < k + g.slots.length) return (arg.rng[pos] as Fcn).rng[i - k]!;
      k += g.slots.length;
      pos++;
    } else {
      for (let j = 0; j < g.slots.length; j++, k++, pos++) if (k === i) return arg.rng[pos]!;
    }
  }
  return arg.rng[i]!;
}

/** Whether `e` mentions a name bound in `s` (a parameter or bound variable) or `@`. */
function hasFreeLocal(e: Expr, s: Scope): boolean {
  switch (e.k) {
    case "at":
      return true;
    case "id":
      return !!s.lookupLocal(e.name);
    case "app":
      if (s.lookupLocal(e.name)) return true;
      break;
    case "let":
      return true;
    default:
      break;
  }
  for (const c of children(e)) if (hasFreeLocal(c, s)) return true;
  return false;
}

/** The direct sub-expressions of an expression (for syntactic analyses). */
export function children(e: Expr): Expr[] {
  switch (e.k) {
    case "num":
    case "str":
    case "bool":
    case "id":
    case "opsym":
    case "at":
      return [];
    case "app":
    case "prefixed":
      return e.args;
    case "quant":
      return [...e.bounds.map((b) => b.set), e.body];
    case "uquant":
      return [e.body];
    case "choose":
      return e.set ? [e.set, e.body] : [e.body];
    case "setlit":
    case "tuple":
      return e.elems;
    case "setfilter":
      return [e.bound.set, e.pred];
    case "setmap":
      return [e.map, ...e.bounds.map((b) => b.set)];
    case "fnapp":
      return [e.fn, ...e.args];
    case "fnlit":
      return [...e.bounds.map((b) => b.set), e.body];
    case "fnset":
      return [e.dom, e.rng];
    case "reclit":
    case "recset":
      return e.fields.map((f) => f[1]);
    case "dot":
      return [e.rec];
    case "except":
      return [e.fn, ...e.updates.flatMap((u) => [...u.path.flatMap((p) => (p.k === "index" ? p.args : [])), u.val])];
    case "times":
      return e.sets;
    case "prime":
    case "unchanged":
    case "enabled":
      return [e.e];
    case "step":
      return [e.action, e.sub];
    case "fair":
      return [e.sub, e.action];
    case "temporal":
      return [e.e];
    case "leadsto":
      return [e.a, e.b];
    case "if":
      return [e.c, e.t, e.e];
    case "case":
      return [...e.arms.flat(), ...(e.other ? [e.other] : [])];
    case "let":
      return [...e.defs.flatMap((d) => (d.k === "op" || d.k === "fn" ? [d.body] : [])), e.body];
    case "and":
    case "or":
      return e.items;
    case "lambda":
      return [e.body];
  }
}

/**
 * Calls per window of the operator memo's hit count: an operator remembered per state whose
 * window has fewer than {@link OP_MEMO_MIN_HITS} hits stops being remembered (its tables cost
 * maps and lookups on every call and answer nothing).
 */
const OP_MEMO_WINDOW = 4096;
const OP_MEMO_MIN_HITS = OP_MEMO_WINDOW / 16;

/** Count a memo lookup of `def` (`hit`: found); whether to use the remembered value. */
function memoPays(def: OpDef, hit: boolean): boolean {
  if (hit) def.memoHits++;
  if (++def.memoCalls === OP_MEMO_WINDOW) {
    if (def.memoHits < OP_MEMO_MIN_HITS) def.memoOff = true;
    def.memoCalls = 0;
    def.memoHits = 0;
  }
  return hit;
}

/** `[f EXCEPT ![k1][k2] = ...]` at one path. Keys outside the domain leave the function as is. */
function updateAt(v: Val, keys: readonly Val[], i: number, val: (old: Val) => Val): Val {
  if (v instanceof LazyFcn && !v.domain.finite) {
    // A function over an infinite domain (`[f1 EXCEPT ![3] = ...]` with `f1[i \in Int] == ...`,
    // as TLC's FcnLambdaValue keeps its excepts): the same rule but at the key.
    const key = keys[i]!;
    if (!v.domain.has(key)) return v;
    const old = v.apply(key);
    const nv = i === keys.length - 1 ? val(old) : updateAt(old, keys, i + 1, val);
    const base = v;
    return new LazyFcn(v.domain, (arg) => (valueEquals(arg, key) ? nv : base.apply(arg)), v.name);
  }
  const fv = exceptTarget(v);
  const idx = exceptIndex(fv, keys[i]!);
  if (idx < 0) return fv;
  const rng = fv.rng.slice();
  rng[idx] = i === keys.length - 1 ? val(fv.rng[idx]!) : updateAt(fv.rng[idx]!, keys, i + 1, val);
  return new Fcn(fv.dom, rng);
}

/** The function an EXCEPT step takes apart (a lazy one as its table). */
function exceptTarget(v: Val): Fcn {
  if (v instanceof Fcn) return v;
  if (v instanceof LazyFcn) return v.force();
  throw new ValueError(`EXCEPT applied to ${formatValue(v)}, which is not a function`);
}

/** Where `key` is in the domain of `v`, or -1 (EXCEPT then leaves the function as it is). */
function exceptIndex(v: Fcn, key: Val): number {
  return typeof key === "number" && v.isSeq ? (key >= 1 && key <= v.rng.length ? key - 1 : -1) : indexOfSorted(v.dom, key);
}

/** The built-ins of the language itself (no EXTENDS needed). */
export function coreBuiltins(): Map<string, Builtin> {
  const b = (name: string, arity: number, fn: Builtin["fn"]): [string, Builtin] => [name, withFast({ name, arity, fn, pure: true })];
  const bool = (v: Val, op: string): boolean => {
    if (typeof v === "boolean") return v;
    throw new ValueError(`${op}: expected a boolean, got ${formatValue(v)}`);
  };
  const temporalQuantifier = (name: string): [string, Builtin] => {
    const refuse = (): never => {
      throw new ValueError(`the temporal quantifier ${name} cannot be evaluated (TLC cannot check it either)`, "unsupported");
    };
    return [name, { name, arity: 0, pure: false, fn: refuse, lazy: refuse }];
  };
  return new Map([
    temporalQuantifier("\\EE"),
    temporalQuantifier("\\AA"),
    [ "=", { name: "=", arity: 2, pure: true, fn: ([x, y]) => valueEquals(x!, y!), fn2: valueEquals }],
    [ "#", { name: "#", arity: 2, pure: true, fn: ([x, y]) => !valueEquals(x!, y!), fn2: (x, y) => !valueEquals(x, y) }],
    [ "\\in", { name: "\\in", arity: 2, pure: true, fn: ([x, y]) => asSet(y!, "\\in").has(x!), fn2: (x, y) => (y instanceof SetValue ? y.has(x) : asSet(y, "\\in").has(x)) }],
    [ "\\notin", { name: "\\notin", arity: 2, pure: true, fn: ([x, y]) => !asSet(y!, "\\notin").has(x!), fn2: (x, y) => !asSet(y, "\\notin").has(x) }],
    b("\\cup", 2, ([x, y]) => union(asSet(x!, "\\cup"), asSet(y!, "\\cup"))),
    b("\\cap", 2, ([x, y]) => intersect(asSet(x!, "\\cap"), asSet(y!, "\\cap"))),
    b("\\", 2, ([x, y]) => difference(asSet(x!, "\\"), asSet(y!, "\\"))),
    b("\\subseteq", 2, ([x, y]) => subseteq(asSet(x!, "\\subseteq"), asSet(y!, "\\subseteq"))),
    b("\\supseteq", 2, ([x, y]) => subseteq(asSet(y!, "\\supseteq"), asSet(x!, "\\supseteq"))),
    b("\\subset", 2, ([x, y]) => {
      const a = asSet(x!, "\\subset");
      const c = asSet(y!, "\\subset");
      return subseteq(a, c) && a.size() < c.size();
    }),
    b("SUBSET", 1, ([x]) => new PowerSet(asSet(x!, "SUBSET"))),
    b("UNION", 1, ([x]) => bigUnion(asSet(x!, "UNION"))),
    b("DOMAIN", 1, ([x]) => {
      if (x instanceof Fcn) return x.isSeq && x.dom.length > 0 ? new Interval(1, x.dom.length) : new FinSet(x.dom);
      if (x instanceof LazyFcn) return x.domain;
      throw new ValueError(`DOMAIN applied to ${formatValue(x!)}, which is not a function`);
    }),
    b("~", 1, ([x]) => !bool(x!, "~")),
    b("=>", 2, ([x, y]) => !bool(x!, "=>") || bool(y!, "=>")),
    b("<=>", 2, ([x, y]) => bool(x!, "<=>") === bool(y!, "<=>")),
    b("\\equiv", 2, ([x, y]) => bool(x!, "\\equiv") === bool(y!, "\\equiv")),
    // Action composition is enumerated by the action compiler (a step of Next); as a predicate it
    // has no value here, and saying so beats a wrong one.
    ["\\cdot", { name: "\\cdot", arity: 2, fn: () => {
      throw new ValueError("\\cdot (action composition) is evaluated only as a step of the next-state relation, not as a predicate");
    } }],
    b("BOOLEAN", 0, () => BOOLEAN),
    b("STRING", 0, () => STRING),
  ]);
}

/** A model value or constant from the cfg. */
export function modelValue(name: string): Val {
  return getModelValue(name);
}

void compareValues;
void fcnFromPairs;

/**
 * Binding a message handler's variables straight from the message's fields.
 *
 * `\E i, j \in Server, m \in DOMAIN messages : Handle(i, j, m)` with `Handle` starting
 * `/\ m.mtype = Req /\ m.mdest = i /\ m.msource = j` enumerates, like TLC, `i` fastest and `m`
 * slowest, and the precheck (`guard-precheck.ts`) rejects all but one `(i, j)` per message of the
 * right type. Here the tests are applied once per message instead: with `m` bound, each test
 * whose field holds a model value either fixes a variable (`m.mdest = i`: `i` can only be that
 * value) or decides the message (`m.mtype = Req`), so the faster variables run only over the
 * values that pass. Filtering keeps the odometer's order, so the bindings that reach the body,
 * and their order, are exactly those the precheck lets through: successors, TLC's counts and
 * traces are unchanged.
 *
 * A test that cannot be decided for every binding of a message at once (the value is not a
 * record with that field, a field that is not a model value compared with values of other kinds,
 * a key that fails) stops the filtering there: the bindings left go through the precheck one by
 * one, as before.
 *
 * @module
 */
import type { Expr } from "../ast/types.js";
import { formatValue } from "../values/format.js";
import { indexOfSorted } from "../values/sets.js";
import { Fcn, SetValue, type Val } from "../values/value.js";
import type { CompiledBounds } from "./compile.js";
import { evalError, type C, type Ctx, type Frame, type Origin } from "./context.js";
import { certainlyUnequal, type FieldTest, type Precheck } from "./guard-precheck.js";
import type { Scope } from "./scope.js";

/** One test of a {@link FieldPlan}, on the record bound last. */
interface PlannedTest {
  field: string;
  /** Position (among the quantifier's variables, first varies fastest) of the key; -1: a fixed key. */
  keyPos: number;
  key: C;
}

/** How to enumerate a quantifier's bindings from its last variable's fields. */
export interface FieldPlan {
  tests: readonly PlannedTest[];
  /** Frame slot of each variable, in odometer order (the last one is the record). */
  slots: readonly number[];
}

/**
 * The plan for the quantifier over `cb` (compiled in `inner`) whose body's precheck makes
 * `tests`; null unless every test reads a field of the last variable and compares it with
 * another of the quantifier's variables or with a key that does not depend on them.
 */
export function fieldPlan(cb: CompiledBounds, inner: Scope, tests: readonly FieldTest[] | null): FieldPlan | null {
  if (tests === null || tests.length === 0) return null;
  if (cb.groups.some((g) => g.tuple)) return null;
  const slots = cb.groups.flatMap((g) => g.slots);
  if (slots.length < 2) return null;
  const positionOf = (x: Expr | null): number | null => {
    if (x === null || x.k !== "id") return null;
    const b = inner.lookupLocal(x.name);
    if (b === undefined || b.k !== "local" || b.layout !== inner.layout) return null;
    const pos = slots.indexOf(b.slot);
    return pos < 0 ? null : pos;
  };
  const last = slots.length - 1;
  const planned: PlannedTest[] = [];
  for (const t of tests) {
    if (positionOf(t.recExpr) !== last) return null;
    const keyPos = positionOf(t.keyExpr);
    if (keyPos === last) return null;
    // A key that is some other local may be bound by an enclosing quantifier (fixed here) or be
    // an unrelated name; only the quantifier's own variables are filtered, the rest compared.
    planned.push({ field: t.field, keyPos: keyPos ?? -1, key: t.key });
  }
  return { tests: planned, slots };
}

/**
 * Enumerate the bindings of `cb` as `forEachBinding` does, calling `visit` on those the
 * precheck `pre` lets through, with the plan's tests applied once per value of the last variable.
 */
export function forEachBindingByFields(plan: FieldPlan, cb: CompiledBounds, c: Ctx, f: Frame, pre: Precheck, visit: () => boolean, origin: Origin): boolean {
  // As forEachBinding: every domain first, in order, then nothing if one is empty.
  const lists: (readonly Val[])[] = [];
  for (const g of cb.groups) {
    const sv = g.set(c, f);
    if (!(sv instanceof SetValue)) throw evalError(origin, g.span, `Attempted to enumerate ${formatValue(sv)}, which is not a set`);
    if (!sv.finite) throw evalError(origin, g.span, `Attempted to enumerate the non-enumerable set ${sv.describe()}`);
    const xs = sv.elems();
    for (let i = 0; i < g.slots.length; i++) lists.push(xs);
  }
  for (const l of lists) if (l.length === 0) return false;
  const n = lists.length;
  const last = n - 1;
  const slots = plan.slots;
  const tests = plan.tests;
  const cand: (readonly Val[])[] = lists.slice();
  // Per variable, the one-element list a test narrows it to (reused from message to message).
  const single: Val[][] = lists.map(() => [undefined as unknown as Val]);
  const idx = new Array<number>(last).fill(0);
  const records = lists[last]!;
  for (let r = 0; r < records.length; r++) {
    const m = records[r]!;
    f[slots[last]!] = m;
    for (let p = 0; p < last; p++) cand[p] = lists[p]!;
    // exact: every test was decided for all bindings left, so they need no precheck.
    let exact = true;
    let skip = false;
    for (let t = 0; t < tests.length && !skip; t++) {
      const test = tests[t]!;
      if (!(m instanceof Fcn)) {
        exact = false;
        break;
      }
      const fi = indexOfSorted(m.dom, test.field);
      if (fi < 0) {
        exact = false;
        break;
      }
      const v = m.rng[fi]!;
      if (test.keyPos >= 0) {
        const xs = cand[test.keyPos]!;
        let decided = true;
        for (let i = 0; i < xs.length; i++) {
          if (xs[i] !== v && !certainlyUnequal(v, xs[i]!)) {
            decided = false;
            break;
          }
        }
        if (!decided) {
          exact = false;
          break;
        }
        // Elements of a set are distinct, so at most one is `v` itself.
        const at = xs.indexOf(v);
        if (at < 0) skip = true;
        else {
          const one = single[test.keyPos]!;
          one[0] = xs[at]!;
          cand[test.keyPos] = one;
        }
      } else {
        let k: Val;
        try {
          k = test.key(c, f);
        } catch {
          exact = false;
          break;
        }
        if (v === k) continue;
        if (certainlyUnequal(v, k)) skip = true;
        else {
          exact = false;
          break;
        }
      }
    }
    if (skip) continue;
    // The odometer over the variables before the last, first fastest, on what is left.
    idx.fill(0);
    for (;;) {
      for (let p = 0; p < last; p++) f[slots[p]!] = cand[p]![idx[p]!]!;
      f[slots[last]!] = m;
      if ((exact || pre(c, f)) && visit()) return true;
      let k = 0;
      while (k < last && ++idx[k]! === cand[k]!.length) idx[k++] = 0;
      if (k === last) break;
    }
  }
  return false;
}

/**
 * The liveness formula algebra, shaped like TLC's `LiveExprNode` family (LNBool, LNState,
 * LNAction, LNNeg, LNConj, LNDisj, LNAll, LNEven, LNNext), with the same rewriting steps:
 * simplify, push negation to the atoms, disjunctive normal form (with `[]<>A \/ []<>B` merged
 * into `[]<>(A \/ B)`), flattening of singleton junctions, binary junctions for the tableau, and
 * promise extraction. TLC's search order (and so its counterexamples) depends on the exact shape
 * these steps produce, which is why they are reproduced rule for rule rather than improved.
 *
 * Atoms are compared the way TLC compares its tagged atoms: two atoms are equal when they are
 * the same occurrence of the source formula (here: the same {@link Leaf} object).
 *
 * @module
 */
import { TlaError, type EvalContext, type State } from "../../model.js";

/** Levels as TLC numbers them. */
export const CONSTANT = 0;
/** State level. */
export const STATE = 1;
/** Action level. */
export const ACTION = 2;
/** Temporal level. */
export const TEMPORAL = 3;

/** An atom: one occurrence of a state predicate (ENABLED included) or an action. */
export interface Leaf {
  readonly text: string;
  /** Index of the PROPERTY it comes from, -1 for fairness. */
  readonly origin: number;
  readonly holds: ((state: State, ctx: EvalContext) => boolean) | null;
  readonly step: ((from: State, to: State, ctx: EvalContext) => boolean) | null;
}

/** A liveness formula node. */
export type LN =
  | { readonly k: "bool"; readonly b: boolean; readonly origin: number }
  | { readonly k: "state"; readonly leaf: Leaf }
  | { readonly k: "action"; readonly leaf: Leaf }
  | { readonly k: "neg"; readonly body: LN }
  | { readonly k: "conj"; readonly items: LN[] }
  | { readonly k: "disj"; readonly items: LN[] }
  | { readonly k: "all"; readonly body: LN }
  | { readonly k: "even"; readonly body: LN }
  | { readonly k: "next"; readonly body: LN };

/** `TRUE` or `FALSE`; `origin` is the PROPERTY it comes from (-1: fairness or unknown). */
export const bool = (b: boolean, origin = -1): LN => ({ k: "bool", b, origin });
/** `~body`. */
export const neg = (body: LN): LN => ({ k: "neg", body });
/** `[]body`. */
export const all = (body: LN): LN => ({ k: "all", body });
/** `<>body`. */
export const even = (body: LN): LN => ({ k: "even", body });
/** The tableau's next-state operator. */
export const next = (body: LN): LN => ({ k: "next", body });
/** A conjunction of exactly these items (TLC's two-argument constructor: no flattening). */
export const conj2 = (items: LN[]): LN => ({ k: "conj", items });
/** A disjunction of exactly these items. */
export const disj2 = (items: LN[]): LN => ({ k: "disj", items });

/** Append to a conjunction's items, splicing in a nested conjunction (TLC's addConj). */
export function addConj(items: LN[], x: LN): void {
  if (x.k === "conj") for (const y of x.items) addConj(items, y);
  else items.push(x);
}

/** Append to a disjunction's items, splicing in a nested disjunction (TLC's addDisj). */
export function addDisj(items: LN[], x: LN): void {
  if (x.k === "disj") for (const y of x.items) addDisj(items, y);
  else items.push(x);
}

/** A flattened conjunction of `xs`. */
export function conj(xs: LN[]): LN {
  const items: LN[] = [];
  for (const x of xs) addConj(items, x);
  return { k: "conj", items };
}

/** A flattened disjunction of `xs`. */
export function disj(xs: LN[]): LN {
  const items: LN[] = [];
  for (const x of xs) addDisj(items, x);
  return { k: "disj", items };
}

/** The level: 0 constant, 1 state, 2 action (the tableau's next operator counts as one), 3 temporal. */
export function level(f: LN): number {
  switch (f.k) {
    case "bool":
      return CONSTANT;
    case "state":
      return STATE;
    case "action":
    case "next":
      return ACTION;
    case "neg":
      return level(f.body);
    case "conj":
    case "disj": {
      let l = CONSTANT;
      for (const x of f.items) l = Math.max(l, level(x));
      return l;
    }
    case "all":
    case "even":
      return TEMPORAL;
  }
}

/** Whether an action atom occurs in `f`. */
export function containsAction(f: LN): boolean {
  switch (f.k) {
    case "bool":
    case "state":
      return false;
    case "action":
      return true;
    case "conj":
    case "disj":
      return f.items.some(containsAction);
    default:
      return containsAction(f.body);
  }
}

/** Syntactic equality, atoms by occurrence (TLC's LiveExprNode.equals). */
export function equal(a: LN, b: LN): boolean {
  if (a === b) return true;
  switch (a.k) {
    case "bool":
      return b.k === "bool" && a.b === b.b;
    case "state":
    case "action":
      return b.k === a.k && b.leaf === a.leaf;
    case "conj":
    case "disj": {
      if (b.k !== a.k || b.items.length !== a.items.length) return false;
      return a.items.every((x, i) => equal(x, b.items[i]!));
    }
    default:
      return b.k === a.k && equal(a.body, (b as { body: LN }).body);
  }
}

/** Fold boolean constants and `[][]`, `<><>` (TLC's simplify; it leaves negations in place). */
export function simplify(f: LN): LN {
  switch (f.k) {
    case "conj": {
      const items: LN[] = [];
      for (const x of f.items) {
        const y = simplify(x);
        if (y.k === "bool") {
          if (!y.b) return bool(false, y.origin);
        } else addConj(items, y);
      }
      if (items.length === 0) return bool(true, originOf(f));
      return items.length === 1 ? items[0]! : { k: "conj", items };
    }
    case "disj": {
      const items: LN[] = [];
      for (const x of f.items) {
        const y = simplify(x);
        if (y.k === "bool") {
          if (y.b) return bool(true, y.origin);
        } else addDisj(items, y);
      }
      if (items.length === 0) return bool(false, originOf(f));
      return items.length === 1 ? items[0]! : { k: "disj", items };
    }
    case "neg": {
      const b = simplify(f.body);
      return b.k === "bool" ? bool(!b.b, b.origin) : neg(b);
    }
    case "all": {
      const b = simplify(f.body);
      return all(b.k === "all" ? b.body : b);
    }
    case "even": {
      const b = simplify(f.body);
      return even(b.k === "even" ? b.body : b);
    }
    default:
      return f;
  }
}

/** The negation of `f` with `~` pushed down to the atoms (TLC's pushNeg). */
export function pushNeg(f: LN): LN {
  switch (f.k) {
    case "conj":
      return disj(f.items.map(pushNeg));
    case "disj":
      return conj(f.items.map(pushNeg));
    case "neg":
      return f.body;
    case "all":
      return even(pushNeg(f.body));
    case "even":
      return all(pushNeg(f.body));
    case "bool":
      return bool(!f.b, f.origin);
    default:
      return neg(f);
  }
}

/**
 * Disjunctive normal form as TLC computes it. Only the propositional structure is normalised:
 * the bodies of `[]` and `<>` are left as they are (the tableau deals with them).
 */
export function toDNF(f: LN): LN {
  switch (f.k) {
    case "neg":
      return f.body.k === "state" || f.body.k === "action" ? f : toDNF(pushNeg(f.body));
    case "conj":
      return conjToDNF(f.items);
    case "disj":
      return disjToDNF(f.items);
    default:
      return f;
  }
}

function conjToDNF(items: LN[]): LN {
  const parts = items.map(toDNF);
  // The factors of the cross product, in order; a nested conjunction is spliced in.
  const factors: LN[] = [];
  let total = 1;
  for (const p of parts) {
    if (p.k === "disj") {
      factors.push(p);
      total *= p.items.length;
      if (!Number.isSafeInteger(total) || total > 2 ** 31 - 1) {
        throw new TlaError("unsupported", "TLC cannot handle this temporal formula because it exceeds the maximum supported size in disjunctive normal form");
      }
    } else if (p.k === "conj") factors.push(...p.items);
    else factors.push(p);
  }
  if (total === 1) return { k: "conj", items: factors };
  const rows: LN[][] = Array.from({ length: total }, () => []);
  // The first disjunction varies slowest, as in TLC's enumeration.
  let seen = 1;
  let run = total;
  for (const x of factors) {
    if (x.k === "disj") {
      run /= x.items.length;
      let idx = 0;
      for (let j = 0; j < seen; j++) {
        for (const y of x.items) {
          for (let l = 0; l < run; l++) addConj(rows[idx++]!, y);
        }
      }
      seen *= x.items.length;
    } else {
      for (const r of rows) addConj(r, x);
    }
  }
  return { k: "disj", items: rows.map((r) => ({ k: "conj", items: r }) as LN) };
}

function disjToDNF(items: LN[]): LN {
  // []<>A1 \/ []<>A2 is []<>(A1 \/ A2): TLC gathers such disjuncts into one, placed last.
  const ae: LN[] = [];
  const res: LN[] = [];
  const put = (x: LN): void => {
    const body = aeBody(x);
    if (body) addDisj(ae, body);
    else addDisj(res, x);
  };
  for (const x of items) {
    const y = toDNF(x);
    if (y.k === "disj") y.items.forEach(put);
    else put(y);
  }
  if (ae.length === 1) addDisj(res, all(even(ae[0]!)));
  else if (ae.length > 1) addDisj(res, all(even({ k: "disj", items: ae })));
  return { k: "disj", items: res };
}

/** A if `f` is `[]<>A`. */
export function aeBody(f: LN): LN | null {
  return f.k === "all" && f.body.k === "even" ? f.body.body : null;
}

/** Drop singleton junctions and double negations (TLC's flattenSingleJunctions). */
export function flattenSingle(f: LN): LN {
  switch (f.k) {
    case "conj":
      return f.items.length === 1 ? flattenSingle(f.items[0]!) : conj(f.items.map(flattenSingle));
    case "disj":
      return f.items.length === 1 ? flattenSingle(f.items[0]!) : disj(f.items.map(flattenSingle));
    case "neg":
      return f.body.k === "neg" ? flattenSingle(f.body.body) : neg(flattenSingle(f.body));
    case "all":
      return all(flattenSingle(f.body));
    case "even":
      return even(flattenSingle(f.body));
    case "next":
      return next(flattenSingle(f.body));
    default:
      return f;
  }
}

/** Balanced binary junctions, as the tableau's alpha/beta triples need (TLC's makeBinary). */
export function makeBinary(f: LN): LN {
  switch (f.k) {
    case "conj":
    case "disj": {
      if (f.items.length === 1) return makeBinary(f.items[0]!);
      const mid = Math.floor(f.items.length / 2);
      const join = f.k === "conj" ? conj : disj;
      const left = join(f.items.slice(0, mid));
      const right = join(f.items.slice(mid));
      return { k: f.k, items: [makeBinary(left), makeBinary(right)] };
    }
    case "neg":
      return neg(makeBinary(f.body));
    case "all":
      return all(makeBinary(f.body));
    case "even":
      return even(makeBinary(f.body));
    case "next":
      return next(makeBinary(f.body));
    case "action":
      throw new TlaError("unsupported", `TLC cannot handle the action ${f.leaf.text} inside this temporal formula`);
    default:
      return f;
  }
}

/** The `<>` subformulas of a binary formula, outermost first, without duplicates (TLC's extractPromises). */
export function promises(f: LN): LN[] {
  const out: LN[] = [];
  const walk = (g: LN): void => {
    switch (g.k) {
      case "conj":
      case "disj":
        walk(g.items[0]!);
        walk(g.items[1]!);
        return;
      case "even":
        if (!out.some((p) => equal(p, g))) out.push(g);
        walk(g.body);
        return;
      case "neg":
      case "all":
      case "next":
        walk(g.body);
        return;
      default:
        return;
    }
  };
  walk(f);
  return out;
}

/** The property indices the atoms and constants of `f` come from. */
export function origins(f: LN, out: Set<number> = new Set()): Set<number> {
  switch (f.k) {
    case "bool":
      out.add(f.origin);
      return out;
    case "state":
    case "action":
      out.add(f.leaf.origin);
      return out;
    case "conj":
    case "disj":
      for (const x of f.items) origins(x, out);
      return out;
    default:
      return origins(f.body, out);
  }
}

function originOf(f: LN): number {
  for (const o of origins(f)) if (o >= 0) return o;
  return -1;
}

/** A state-level formula as a predicate on one state. */
export function stateFn(f: LN): (state: State, ctx: EvalContext) => boolean {
  switch (f.k) {
    case "bool": {
      const b = f.b;
      return () => b;
    }
    case "state":
      return f.leaf.holds!;
    case "neg": {
      const g = stateFn(f.body);
      return (s, c) => !g(s, c);
    }
    case "conj": {
      const gs = f.items.map(stateFn);
      return (s, c) => gs.every((g) => g(s, c));
    }
    case "disj": {
      const gs = f.items.map(stateFn);
      return (s, c) => gs.some((g) => g(s, c));
    }
    default:
      throw new TlaError("unsupported", `TLC cannot evaluate ${show(f)} on a single state`);
  }
}

/** An action-level (or lower) formula as a predicate on a step; state parts read the first state. */
export function actionFn(f: LN): (from: State, to: State, ctx: EvalContext) => boolean {
  switch (f.k) {
    case "bool": {
      const b = f.b;
      return () => b;
    }
    case "state": {
      const g = f.leaf.holds!;
      return (s, _t, c) => g(s, c);
    }
    case "action":
      return f.leaf.step!;
    case "neg": {
      const g = actionFn(f.body);
      return (s, t, c) => !g(s, t, c);
    }
    case "conj": {
      const gs = f.items.map(actionFn);
      return (s, t, c) => gs.every((g) => g(s, t, c));
    }
    case "disj": {
      const gs = f.items.map(actionFn);
      return (s, t, c) => gs.some((g) => g(s, t, c));
    }
    case "next": {
      const g = stateFn(f.body);
      return (_s, t, c) => g(t, c);
    }
    default:
      throw new TlaError("unsupported", `TLC cannot evaluate ${show(f)} on a step`);
  }
}

/**
 * A readable rendering in TLC's notation (`-` for negation, `()` for next), for tests and
 * messages.
 */
export function show(f: LN): string {
  return showWith(f, (a) => `(${a.leaf.text})`);
}

/** {@link show} with leaves rendered by `atom`. */
export function showWith(f: LN, atom: (f: Extract<LN, { k: "state" | "action" }>) => string): string {
  const sub = (g: LN): string => showWith(g, atom);
  switch (f.k) {
    case "bool":
      return f.b ? "TRUE" : "FALSE";
    case "state":
    case "action":
      return atom(f);
    case "neg":
      return `-${sub(f.body)}`;
    case "conj":
      return `(${f.items.map(sub).join(" /\\ ")})`;
    case "disj":
      return `(${f.items.map(sub).join(" \\/ ")})`;
    case "all":
      return `[]${sub(f.body)}`;
    case "even":
      return `<>${sub(f.body)}`;
    case "next":
      return `()${sub(f.body)}`;
  }
}

/**
 * An independent check of a liveness counterexample: a lasso `s0 .. s(n-1)` that returns to
 * `s(loopIndex)` after its last state (forever). It uses only the model's own initial states,
 * successors and fingerprints plus the compiled temporal formulas (`LiveFormula` trees of
 * `src/eval/temporal.ts`), evaluated directly on the ultimately periodic behaviour — nothing of
 * the liveness engine — so a wrong lasso is caught even when its length happens to equal TLC's.
 *
 * Fingerprints are compared without symmetry: the check is for models without it. With a VIEW the
 * closing step only has to reach a state with the loop state's view, as in TLC, whose liveness
 * graph is keyed by the view (`corpus/view-liveness`); every other step is checked exactly.
 */
import type { LoadedModel } from "../../src/load.js";
import type { LiveFormula } from "../../src/eval/temporal.js";
import type { EvalContext, State } from "../../src/model.js";

/** One position's truth value for every position of the lasso. */
type Truth = boolean[];

/** The behaviour `trace[0] .. trace[n-1], trace[loop], ..., trace[n-1], trace[loop], ...`. */
interface Lasso {
  states: readonly State[];
  loop: number;
}

/** The lasso's successor position of `i`. */
function next(l: Lasso, i: number): number {
  return i + 1 < l.states.length ? i + 1 : l.loop;
}

/**
 * The positions a behaviour starting at `i` visits: from `i` to the end, and the whole cycle
 * when `i` lies in it (positions are visited again after the end).
 */
function reach(l: Lasso, i: number): [from: number, to: number] {
  return [Math.min(i, l.loop), l.states.length - 1];
}

function always(l: Lasso, f: Truth): Truth {
  return f.map((_, i) => {
    const [a, b] = reach(l, i);
    for (let j = a; j <= b; j++) if (!f[j]) return false;
    return true;
  });
}

function eventually(l: Lasso, f: Truth): Truth {
  return f.map((_, i) => {
    const [a, b] = reach(l, i);
    for (let j = a; j <= b; j++) if (f[j]) return true;
    return false;
  });
}

function ctxAt(i: number): EvalContext {
  // TLCGet("level") is 1 for the initial state.
  return { level: i + 1 };
}

/**
 * The truth value of `f` at every position of the lasso. Throws on a node kind it does not know,
 * so an extension of `LiveFormula` cannot be silently misread.
 */
export function evaluate(l: Lasso, f: LiveFormula): Truth {
  const n = l.states.length;
  const positions = [...Array(n).keys()];
  // A plain string, so an unknown kind (a LiveFormula extended elsewhere) still reaches `default`.
  const kind: string = f.k;
  switch (kind) {
    case "bool":
      return positions.map(() => (f as { value: boolean }).value);
    case "state": {
      const g = f as Extract<LiveFormula, { k: "state" }>;
      return positions.map((i) => g.holds(l.states[i]!, ctxAt(i)));
    }
    case "action": {
      const g = f as Extract<LiveFormula, { k: "action" }>;
      return positions.map((i) => g.holds(l.states[i]!, l.states[next(l, i)]!, ctxAt(i)));
    }
    case "not":
      return evaluate(l, (f as Extract<LiveFormula, { k: "not" }>).f).map((v) => !v);
    case "and": {
      const parts = (f as Extract<LiveFormula, { k: "and" }>).fs.map((g) => evaluate(l, g));
      return positions.map((i) => parts.every((p) => p[i]));
    }
    case "or": {
      const parts = (f as Extract<LiveFormula, { k: "or" }>).fs.map((g) => evaluate(l, g));
      return positions.map((i) => parts.some((p) => p[i]));
    }
    case "always":
      return always(l, evaluate(l, (f as Extract<LiveFormula, { k: "always" }>).f));
    case "eventually":
      return eventually(l, evaluate(l, (f as Extract<LiveFormula, { k: "eventually" }>).f));
    case "leadsto": {
      const g = f as Extract<LiveFormula, { k: "leadsto" }>;
      const from = evaluate(l, g.from);
      const to = eventually(l, evaluate(l, g.to));
      return always(l, positions.map((i) => !from[i] || to[i]!));
    }
    case "fair": {
      // WF_v(A) == []<>~ENABLED <<A>>_v \/ []<><<A>>_v ; SF_v(A) == <>[]~ENABLED <<A>>_v \/ []<><<A>>_v
      const g = f as Extract<LiveFormula, { k: "fair" }>;
      const disabled = positions.map((i) => !g.enabled(l.states[i]!, ctxAt(i)));
      const step = positions.map((i) => g.step(l.states[i]!, l.states[next(l, i)]!, ctxAt(i)));
      const taken = always(l, eventually(l, step));
      const excuse = g.strong ? eventually(l, always(l, disabled)) : always(l, eventually(l, disabled));
      return positions.map((i) => excuse[i]! || taken[i]!);
    }
    default:
      throw new Error(`lasso-check: LiveFormula node kind "${kind}" is not known to the validator; teach test/corpus/lasso-check.ts its meaning`);
  }
}

/** What {@link checkLasso} is asked to confirm. */
export interface LassoClaim {
  /** The counterexample's states, the initial one first. */
  states: readonly State[];
  /**
   * The index the behaviour returns to after the last state (the last index: it stutters there);
   * undefined for a finite trace (TLC's bad prefix): its stuttering extension must violate the
   * property (fairness aside), and no fair lasso extending it within {@link LassoClaim.extensionDepth}
   * more steps may satisfy the property (else it is no bad prefix).
   */
  loopIndex: number | undefined;
  /** How many steps past a finite trace's end the search for a satisfying fair extension goes (default 6). */
  extensionDepth?: number;
  /** The cfg PROPERTY the counterexample is said to violate. */
  property: string;
}

/**
 * Every reason the claimed counterexample is not one, or an empty list when it is: (1) it starts
 * in an initial state and each step is a successor or a stutter, (2) the closing step from the
 * last state back to `loopIndex` is a successor or a stutter, (3) the lasso satisfies every
 * fairness conjunct of SPECIFICATION and violates the named property.
 * @param model loaded with `temporal: true`
 */
export function checkLasso(model: LoadedModel, claim: LassoClaim): string[] {
  const problems: string[] = [];
  const { states, loopIndex, property } = claim;
  const n = states.length;
  if (n === 0) return ["the trace is empty"];
  const fp = (s: State): bigint => model.values.fingerprintState(s);
  const show = (s: State): string => model.variables.map((v, i) => `${v} = ${model.values.format(s[i])}`).join(", ");

  const inits = new Set(model.initStates(ctxAt(0)).map((x) => fp(x.state)));
  if (!inits.has(fp(states[0]!))) problems.push(`state 1 is not an initial state: ${show(states[0]!)}`);

  const isStep = (i: number, to: State): boolean => {
    const from = states[i]!;
    if (fp(from) === fp(to)) return true;
    const target = fp(to);
    return model.successors(from, ctxAt(i)).some((x) => fp(x.state) === target);
  };
  for (let i = 0; i + 1 < n; i++) {
    if (!isStep(i, states[i + 1]!)) problems.push(`state ${i + 2} is not a successor of state ${i + 1}: ${show(states[i]!)} -> ${show(states[i + 1]!)}`);
  }
  if (loopIndex !== undefined) {
    if (!Number.isInteger(loopIndex) || loopIndex < 0 || loopIndex >= n) {
      problems.push(`loopIndex ${loopIndex} is outside the trace (0..${n - 1})`);
      return problems;
    }
    const closes = model.view
      ? (() => {
          const viewFp = (st: State, i: number): bigint => model.values.fingerprint(model.view!(st, ctxAt(i)));
          const target = viewFp(states[loopIndex]!, loopIndex);
          const last = states[n - 1]!;
          return viewFp(last, n - 1) === target || model.successors(last, ctxAt(n - 1)).some((x) => viewFp(x.state, n) === target);
        })()
      : isStep(n - 1, states[loopIndex]!);
    if (!closes) problems.push(`the closing step from state ${n} back to state ${loopIndex + 1} is not a successor`);
  }

  const lasso: Lasso = { states, loop: loopIndex ?? n - 1 };
  const parts = model.liveness.properties.filter((p) => p.name === property);
  let satisfied = false;
  if (parts.length === 0) {
    problems.push(`no temporal PROPERTY named ${property} (have: ${[...new Set(model.liveness.properties.map((p) => p.name))].join(", ") || "none"})`);
  } else if (parts.every((p) => evaluate(lasso, p.formula)[0])) {
    satisfied = true;
    problems.push(`the lasso satisfies ${property}`);
  }
  if (loopIndex !== undefined) {
    conjuncts(model.liveness.fairness).forEach((f, i) => {
      if (!evaluate(lasso, f)[0]) problems.push(`the lasso violates fairness conjunct ${i + 1}${f.k === "fair" ? ` (${f.text})` : ""}`);
    });
  } else if (parts.length > 0 && !satisfied) {
    const witness = satisfyingExtension(model, states, parts.map((p) => p.formula), claim.extensionDepth ?? 6);
    if (witness) problems.push(`no bad prefix: a fair behaviour extending it satisfies ${property} (${witness})`);
  }
  return problems;
}

/**
 * A fair lasso that starts with `prefix`, goes on for at most `depth` more steps and returns to
 * one of its own states (or stutters), on which every formula of `property` holds; described in
 * words, or null when there is none that short.
 */
function satisfyingExtension(model: LoadedModel, prefix: readonly State[], property: readonly LiveFormula[], depth: number): string | null {
  const fp = (s: State): bigint => model.values.fingerprintState(s);
  const fairness = conjuncts(model.liveness.fairness);
  const holds = (l: Lasso): boolean => property.every((f) => evaluate(l, f)[0]) && fairness.every((f) => evaluate(l, f)[0]);
  const path = [...prefix];
  const search = (left: number): string | null => {
    const last = path[path.length - 1]!;
    const lastFp = fp(last);
    // Close the lasso from the last state: stutter there, or step back to any state of the path.
    const targets = new Set([lastFp, ...model.successors(last, ctxAt(path.length - 1)).map((x) => fp(x.state))]);
    for (let k = path.length - 1; k >= 0; k--) {
      if (!targets.has(fp(path[k]!))) continue;
      const loop = k === path.length - 1 || fp(path[k]!) !== lastFp ? k : k + 1;
      if (loop < path.length && holds({ states: path, loop })) return `${path.length} states, back to state ${loop + 1}`;
    }
    if (left === 0) return null;
    for (const next of model.successors(last, ctxAt(path.length - 1))) {
      if (fp(next.state) === lastFp) continue;
      path.push(next.state);
      const found = search(left - 1);
      path.pop();
      if (found) return found;
    }
    return null;
  };
  return search(depth);
}

/** The fairness conjuncts with nested conjunctions (`\A p \in S : WF(A(p))` expanded) flattened. */
function conjuncts(fs: readonly LiveFormula[]): LiveFormula[] {
  return fs.flatMap((f) => (f.k === "and" ? conjuncts(f.fs) : [f]));
}

/**
 * From temporal formulas to the liveness search's solutions, following TLC's
 * `Liveness.processLiveness`: the formula `Fairness /\ ~Properties` is simplified and put in
 * disjunctive normal form; in each disjunct the conjuncts `<>[]A` (EA), `[]<>P` and `[]<>A` (AE)
 * are set aside for the strongly-connected-component check, and what is left (the "tf") needs a
 * tableau; disjuncts with syntactically equal tfs share one solution (TLC's OrderOfSolution)
 * with one possible error model each, whose predicates are gathered, without duplicates, into
 * the solution's `checkState` / `checkAction` lists in TLC's order.
 *
 * @module
 */
import { TlaError, type SourceLocation } from "../../model.js";
import type { LiveFormula } from "../../eval/temporal.js";
import {
  ACTION,
  STATE,
  TEMPORAL,
  actionFn,
  addConj,
  addDisj,
  all,
  bool,
  conj,
  conj2,
  containsAction,
  disj2,
  equal,
  even,
  flattenSingle,
  level,
  makeBinary,
  neg,
  origins,
  promises as promisesOf,
  simplify,
  stateFn,
  toDNF,
  type LN,
  type Leaf,
} from "./ln.js";
import { memoState, memoStep } from "./memo.js";
import type { LiveSolution, PossibleErrorModel, Tableau } from "./solution.js";
import { buildTableau, isFulfilling, particleHas, type TableauGraph } from "./tableau.js";

/** A PROPERTY to check: its cfg name, formula and (for messages) where it is defined. */
export interface Property {
  name: string;
  formula: LiveFormula;
  location?: SourceLocation;
}

/** One disjunct of the normal form, classified (TLC's OSExprPem). */
interface Disjunct {
  /** `<>[]A` bodies (state predicates included: they are checked on every edge). */
  ea: LN[];
  /** `[]<>P` bodies, P of state or constant level. */
  aeState: LN[];
  /** `[]<>A` bodies, A of action level. */
  aeAction: LN[];
  /** The rest: temporal formulas without actions, for the tableau. */
  tfs: LN[];
  /** The properties (indices) whose negation this disjunct comes from. */
  from: number[];
}

/** A solution before its formulas are turned into predicates: for tests and diagnostics. */
export interface NormalSolution {
  /** The tableau formula (binary junctions), null when no tableau is needed. */
  tf: LN | null;
  tableau: TableauGraph | null;
  promises: LN[];
  checkState: LN[];
  checkAction: LN[];
  pems: PossibleErrorModel[];
}

/**
 * TLC's normal form of `fairness /\ ~(p1 /\ p2 /\ ...)` as solutions, in TLC's order. Empty
 * when there is no property (TLC then checks no liveness) or the negation is unsatisfiable
 * syntactically (e.g. `<>[]TRUE => TRUE`).
 */
export function normalForm(fairness: LiveFormula[], properties: Property[]): NormalSolution[] {
  if (properties.length === 0) return [];
  const lexpr = combine(fairness, properties);
  const dnf = toDNF(simplify(lexpr));
  if (dnf.k === "bool" && !dnf.b) return [];
  const disjuncts = (dnf.k === "disj" ? dnf.items : [dnf]).map((d) => classify(flattenSingle(d), properties));

  // Group disjuncts by their tableau formula, in order of first appearance.
  const groups: { tf: LN | null; members: Disjunct[] }[] = [];
  for (const d of disjuncts) {
    const tf = d.tfs.length === 0 ? null : d.tfs.length === 1 ? d.tfs[0]! : conj(d.tfs);
    let g = groups.find((x) => (x.tf === null ? tf === null : tf !== null && equal(x.tf, tf)));
    if (!g) {
      g = { tf, members: [] };
      groups.push(g);
    }
    g.members.push(d);
  }

  return groups.map(({ tf, members }) => {
    const tf1 = tf ? makeBinary(tf) : null;
    const checkState: LN[] = [];
    const checkAction: LN[] = [];
    // TLC fills the action list with each model's AE actions before its EA actions.
    const pems = members.map((d): PossibleErrorModel => {
      const aeAction = d.aeAction.map((x) => addToBin(x, checkAction));
      const aeState = d.aeState.map((x) => addToBin(x, checkState));
      const eaAction = d.ea.map((x) => addToBin(x, checkAction));
      const fromProperty = [...d.ea, ...d.aeState, ...d.aeAction].some((x) => [...origins(x)].some((o) => o >= 0));
      const pem: PossibleErrorModel = { eaAction, aeState, aeAction, property: nameOf(d, properties), propertyConditions: fromProperty };
      if (d.from.length > 1) pem.properties = d.from.map((i) => properties[i]!.name);
      return pem;
    });
    return {
      tf: tf1,
      tableau: tf1 ? buildTableau(tf1) : null,
      promises: tf1 ? promisesOf(tf1) : [],
      checkState,
      checkAction,
      pems,
    };
  });
}

/**
 * The solutions the liveness search checks for `fairness => properties` (TLC's
 * OrderOfSolution list): see {@link normalForm}. Throws `TlaError("unsupported")` where TLC
 * rejects a formula, and `TlaError("eval")` for TLC's "Temporal formula is a tautology" (there
 * are properties, but no solution to search for).
 */
export function solutionsOf(fairness: LiveFormula[], properties: Property[]): LiveSolution[] {
  const sols = normalForm(fairness, properties);
  if (sols.length === 0 && properties.length > 0) {
    // TLC refuses to check, before its state search, a property whose negation simplifies to FALSE.
    throw new TlaError(
      "eval",
      `Temporal formula is a tautology (its negation is unsatisfiable): ${[...new Set(properties.map((p) => p.name))].join(", ")}`,
      properties[0]!.location,
    );
  }
  return sols.map((sol) => {
    let tableau: Tableau | null = null;
    if (sol.tableau) {
      tableau = {
        initialCount: sol.tableau.initCount,
        nodes: sol.tableau.nodes.map((n, i) => {
          const preds = n.statePreds.map(stateFn);
          return {
            successors: n.nexts.slice(),
            consistent: (state, ctx) => preds.every((p) => p(state, ctx)),
            fulfilling: sol.promises.map((p) => isFulfilling(n.particle, p)),
            pending: sol.promises.map((p) => particleHas(n.particle, p)),
            fulfils: sol.promises.map((p) => p.k === "even" && particleHas(n.particle, p.body)),
            accepting: n.particle.length === 0 && n.nexts.length === 1 && n.nexts[0] === i,
          };
        }),
      };
    }
    return {
      tableau,
      checkState: sol.checkState.map(stateFn),
      checkAction: sol.checkAction.map(actionFn),
      promiseCount: sol.promises.length,
      pems: sol.pems,
    };
  });
}

/** The index of `x` in `bin`, appending it if absent (TLC's addToBin). */
function addToBin(x: LN, bin: LN[]): number {
  const i = bin.findIndex((y) => equal(x, y));
  if (i >= 0) return i;
  bin.push(x);
  return bin.length - 1;
}

/** `fairness /\ ~p` shaped as TLC's parseLiveness shapes it (one negated property, or a disjunction of them). */
function combine(fairness: LiveFormula[], properties: Property[]): LN {
  const fair: LN[] = [];
  for (const f of fairness) addConj(fair, toLN(f, -1, new Map()));
  const negated = properties.map((p, i) => neg(toLN(p.formula, i, new Map())));
  let bad: LN;
  if (negated.length === 1) bad = negated[0]!;
  else {
    const items: LN[] = [];
    for (const n of negated) addDisj(items, n);
    bad = disj2(items);
  }
  if (fair.length === 0) return bad;
  addConj(fair, bad);
  return conj2(fair);
}

/**
 * A compiled formula in TLC's node shapes (its `astToLive`; the compiler already made every
 * subformula without temporal operators one leaf, and TLC keeps the junctions it builds itself,
 * such as IF's `~c /\ e`, as junctions): `P ~> Q` is `[](~P \/ <>Q)`,
 * `WF_v(A)` is `[]<>(~ENABLED <<A>>_v \/ <<A>>_v)` and `SF_v(A)` is
 * `<>[]~ENABLED <<A>>_v \/ []<><<A>>_v`. `leaves` keeps one atom per leaf occurrence.
 */
function toLN(f: LiveFormula, origin: number, leaves: Map<object, Leaf>): LN {
  const atom = (key: object, make: () => Leaf): Leaf => {
    let l = leaves.get(key);
    if (!l) {
      l = make();
      leaves.set(key, l);
    }
    return l;
  };
  switch (f.k) {
    case "bool":
      return bool(f.value, origin);
    case "state":
      return { k: "state", leaf: atom(f, () => ({ text: f.text, origin, holds: memoState(f.holds), step: null })) };
    case "action":
      return { k: "action", leaf: atom(f, () => ({ text: f.text, origin, holds: null, step: memoStep(f.holds) })) };
    case "not":
      // Kept as a negation even over an atom: TLC builds ~c that way for IF's guard and for =>.
      return neg(toLN(f.f, origin, leaves));
    case "and": {
      const items: LN[] = [];
      for (const g of f.fs) addConj(items, toLN(g, origin, leaves));
      return conj2(items);
    }
    case "or": {
      const items: LN[] = [];
      for (const g of f.fs) addDisj(items, toLN(g, origin, leaves));
      return disj2(items);
    }
    case "always":
      return all(toLN(f.f, origin, leaves));
    case "eventually":
      return even(toLN(f.f, origin, leaves));
    case "leadsto":
      return all(disj2([neg(toLN(f.from, origin, leaves)), even(toLN(f.to, origin, leaves))]));
    case "fair": {
      const en: LN = { k: "state", leaf: atom(f.enabled, () => ({ text: `ENABLED of ${f.text}`, origin, holds: memoState(f.enabled), step: null })) };
      const act: LN = { k: "action", leaf: atom(f.step, () => ({ text: `step of ${f.text}`, origin, holds: null, step: memoStep(f.step) })) };
      if (f.strong) return disj2([even(all(neg(en))), all(even(act))]);
      return all(even(disj2([neg(en), act])));
    }
  }
}

/** Sort a disjunct's conjuncts into EA, AE and tableau parts (TLC's classifyExpr). */
function classify(d: LN, properties: Property[]): Disjunct {
  const from = [...origins(d)].filter((o) => o >= 0 && o < properties.length).sort((a, b) => a - b);
  const out: Disjunct = { ea: [], aeState: [], aeAction: [], tfs: [], from };
  for (const f of d.k === "conj" ? d.items : [d]) {
    if (f.k === "even" && f.body.k === "all" && level(f.body.body) < TEMPORAL) {
      out.ea.push(f.body.body);
      continue;
    }
    if (f.k === "all" && f.body.k === "even") {
      const body = f.body.body;
      const l = level(body);
      if (l <= STATE) {
        out.aeState.push(body);
        continue;
      }
      if (l === ACTION) {
        out.aeAction.push(body);
        continue;
      }
    }
    if (containsAction(f)) {
      // Name the property the offending conjunct comes from (none: the specification's fairness).
      const p = properties[[...origins(f)].filter((o) => o >= 0).sort((a, b) => a - b)[0] ?? -1];
      throw new TlaError(
        "unsupported",
        `TLC cannot check ${p ? `the property ${p.name}` : "the fairness of the specification"}: temporal formulas containing actions must be of forms <>[]A or []<>A`,
        p?.location,
      );
    }
    out.tfs.push(f);
  }
  return out;
}

/** The PROPERTY a disjunct's counterexample violates (the first one it comes from). */
function nameOf(d: Disjunct, properties: { name: string }[]): string {
  // A disjunct without atoms of any property comes from a property that is trivially false.
  return properties[d.from[0] ?? 0]!.name;
}

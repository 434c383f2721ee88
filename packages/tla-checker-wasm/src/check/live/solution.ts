/**
 * What the liveness search needs from the temporal formulas, in TLC's shape (its
 * `OrderOfSolution` and `PossibleErrorModel`): the negation of `Fairness => Properties`, put in
 * disjunctive normal form, becomes a list of solutions. Each has an optional tableau for the
 * temporal part that is not of the forms `[]<>` / `<>[]`, the state and action predicates the
 * behaviour graph evaluates once per state and once per edge, the tableau's promises, and the
 * possible error models: the `<>[]` (EA) and `[]<>` (AE) conditions a fair, bad cycle satisfies.
 *
 * The formula side (normal form, classification, tableau) produces these; the graph side (product
 * graph, strongly connected components, counterexample) consumes them. Neither side evaluates
 * the other's data structures beyond what is declared here.
 *
 * @module
 */
import type { EvalContext, State } from "../../model.js";

/** A state predicate evaluated once per state of the behaviour graph. */
export type LiveStateCheck = (state: State, ctx: EvalContext) => boolean;

/** An action predicate evaluated once per edge (the stuttering self-loop `s -> s` included). */
export type LiveActionCheck = (from: State, to: State, ctx: EvalContext) => boolean;

/**
 * One disjunct's acceptance conditions (TLC's PossibleErrorModel). A strongly connected
 * component of the (product) graph is a counterexample when every edge taken inside it satisfies
 * all `eaAction` checks, some state in it satisfies each `aeState` check, some edge in it
 * satisfies each `aeAction` check, and it fulfils every promise of its solution.
 * Numbers index {@link LiveSolution.checkState} / {@link LiveSolution.checkAction}.
 */
export interface PossibleErrorModel {
  /** `<>[]A`: must hold on every edge of the cycle (state predicates arrive lifted to edges). */
  eaAction: number[];
  /** `[]<>P`: some state of the cycle satisfies P. */
  aeState: number[];
  /** `[]<>A`: some edge of the cycle satisfies A. */
  aeAction: number[];
  /** The cfg PROPERTY name a counterexample for this model violates (our report names it). */
  property: string;
  /**
   * Every PROPERTY this model comes from, when there are several: TLC merges `[]<>A \/ []<>B`
   * of two negated properties into one `[]<>(A \/ B)`, so a counterexample violates one of them.
   */
  properties?: string[];
  /**
   * Some `<>[]`/`[]<>` condition of this model comes from a negated PROPERTY, not only from the
   * fairness of the specification. When none does, a finite prefix that reaches an accepting
   * tableau node violates the property on every (fair) extension.
   */
  propertyConditions?: boolean;
}

/** A node of the tableau (TLC's TBGraphNode, built from a particle TBPar). */
export interface TableauNode {
  /** Tableau nodes that may follow this one (indices into {@link Tableau.nodes}). */
  successors: number[];
  /** Whether a state agrees with this node's state-level literals. */
  consistent(state: State, ctx: EvalContext): boolean;
  /** Per promise of the solution: this node fulfils it (TLC's TBPar.isFulfilling). */
  fulfilling: boolean[];
  /**
   * Per promise `<>p`: the node contains `<>p` (it is pending here) / contains `p`. TLC's
   * `fulfilling` is "not pending or p": right for the maximal atoms of Manna and Pnueli's
   * tableau, but a particle without `<>p` does not assert `[]~p`, so a component can mix nodes
   * where `<>p` is pending with nodes where it is absent and never meet `p`. A component fulfils
   * the promise when no node has it pending or some node contains `p`.
   */
  pending?: boolean[];
  fulfils?: boolean[];
  /**
   * TLC's TBGraphNode.isAccepting: the particle is empty and its only successor is itself. A
   * state paired with it satisfies the rest of the formula whatever follows.
   */
  accepting?: boolean;
}

/** The tableau of a solution's temporal part (TLC's TBGraph). */
export interface Tableau {
  nodes: TableauNode[];
  /** Nodes 0 .. initialCount-1 are the ones an initial state may pair with. */
  initialCount: number;
}

/** One group of disjuncts sharing a tableau (TLC's OrderOfSolution). */
export interface LiveSolution {
  /** Null when the disjuncts need no tableau: the graph is the plain behaviour graph. */
  tableau: Tableau | null;
  checkState: LiveStateCheck[];
  checkAction: LiveActionCheck[];
  /** Number of promises (`<>` subformulas of the tableau); see {@link TableauNode.fulfilling}. */
  promiseCount: number;
  /** Checked in order; the first that has a counterexample is reported. */
  pems: PossibleErrorModel[];
}

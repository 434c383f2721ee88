import type { AnyModel, FlowFacts, Operation } from "./types.js";

type FlowModel = AnyModel & Required<Pick<AnyModel, "flow" | "satisfies">>;

/**
 * Bound on the tests of operations whose effect depends on the state before (an append may make
 * any needed fact that ends with what it appends) against the needed facts: past it, the
 * partition is searched without value flow rather than spend quadratic time preparing it.
 */
const MAY_MAKE_TESTS_MAX = 4_000_000;

/**
 * Dead-end detection from `Model.flow`: every completed operation that needs a fact about the
 * state (a read of u needs "the value is u") must be placed at a moment the state satisfies it,
 * and the state only comes to satisfy it through an operation that may make it. So once a fact
 * is needed by an unplaced completed operation, no unplaced operation may make it, and the state
 * does not satisfy it now, no order of the rest can work: the search backtracks at once instead
 * of finding out many placements later.
 *
 * Only needed facts are tracked; an operation may make several of them (an append of "b" may
 * make "ab" and "cb"), kept as one list per operation.
 */
export class ValueFlow {
  private readonly needs: Int32Array;
  /** Operation i may make facts makeList[makeStart[i] .. makeStart[i + 1]). */
  private readonly makeStart: Int32Array;
  private readonly makeList: Int32Array;
  private readonly needers: Int32Array;
  private readonly makers: Int32Array;
  private readonly facts: readonly string[];
  /** Facts needed, never to be made again: the state must satisfy each of them now. */
  private readonly blocked = new Set<number>();

  private constructor(
    needs: Int32Array,
    makeStart: Int32Array,
    makeList: Int32Array,
    facts: readonly string[],
    private readonly model: FlowModel,
  ) {
    this.needs = needs;
    this.makeStart = makeStart;
    this.makeList = makeList;
    this.facts = facts;
    this.needers = new Int32Array(facts.length);
    this.makers = new Int32Array(facts.length);
    for (let i = 0; i < needs.length; i++) {
      if (needs[i] >= 0) this.needers[needs[i]]++;
      for (let k = makeStart[i]; k < makeStart[i + 1]; k++) this.makers[makeList[k]]++;
    }
    for (let v = 0; v < facts.length; v++) if (this.makers[v] === 0) this.blocked.add(v);
  }

  /** The tracker for a partition, or `undefined` when the model cannot describe every operation. */
  static of(ops: readonly Operation[], model: AnyModel): ValueFlow | undefined {
    if (model.flow === undefined || model.satisfies === undefined) return undefined;
    const flows: FlowFacts[] = [];
    for (const op of ops) {
      const flow = model.flow(op.input, op.output);
      if (flow === undefined) return undefined;
      flows.push(flow);
    }
    const n = ops.length;
    const ids = new Map<string, number>();
    const facts: string[] = [];
    const needs = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const need = flows[i].needs;
      if (need === undefined || ops[i].status !== "ok") continue;
      let v = ids.get(need);
      if (v === undefined) {
        v = facts.length;
        ids.set(need, v);
        facts.push(need);
      }
      needs[i] = v;
    }
    let tests = 0;
    for (const f of flows) if (typeof f.makes === "function") tests += facts.length;
    if (tests > MAY_MAKE_TESTS_MAX) return undefined;
    const makeStart = new Int32Array(n + 1);
    const makeList: number[] = [];
    for (let i = 0; i < n; i++) {
      makeStart[i] = makeList.length;
      const makes = flows[i].makes;
      if (typeof makes === "string") {
        const v = ids.get(makes);
        if (v !== undefined) makeList.push(v);
      } else if (makes !== undefined) {
        for (let v = 0; v < facts.length; v++) if (makes(facts[v])) makeList.push(v);
      }
    }
    makeStart[n] = makeList.length;
    return new ValueFlow(needs, makeStart, Int32Array.from(makeList), facts, model as FlowModel);
  }

  /** Operation i was placed. */
  place(i: number): void {
    const need = this.needs[i];
    if (need >= 0 && --this.needers[need] === 0) this.blocked.delete(need);
    for (let k = this.makeStart[i]; k < this.makeStart[i + 1]; k++) {
      const make = this.makeList[k];
      if (--this.makers[make] === 0 && this.needers[make] > 0) this.blocked.add(make);
    }
  }

  /** Operation i was taken back (reverse of {@link place}). */
  unplace(i: number): void {
    for (let k = this.makeStart[i + 1] - 1; k >= this.makeStart[i]; k--) {
      const make = this.makeList[k];
      if (this.makers[make]++ === 0) this.blocked.delete(make);
    }
    const need = this.needs[i];
    if (need >= 0 && this.needers[need]++ === 0 && this.makers[need] === 0) this.blocked.add(need);
  }

  /**
   * The unplaced completed operations that can never be placed from `state`: what they need is
   * not true now and nothing left can make it true. For explanations.
   */
  starved(state: unknown, placed: ReadonlySet<number>): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.needs.length; i++) {
      const need = this.needs[i];
      if (need >= 0 && !placed.has(i) && this.blocked.has(need) && !this.model.satisfies(state, this.facts[need])) out.push(i);
    }
    return out;
  }

  /** True when no order of the unplaced operations can work from `state`. */
  dead(state: unknown): boolean {
    for (const v of this.blocked) if (!this.model.satisfies(state, this.facts[v])) return true;
    return false;
  }
}

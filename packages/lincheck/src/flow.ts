import type { AnyModel, Operation } from "./types.js";

type FlowModel = AnyModel & Required<Pick<AnyModel, "flow" | "satisfies">>;

/**
 * Dead-end detection from `Model.flow`: every completed operation that needs a fact about the
 * state (a read of u needs "the value is u") must be placed at a moment the state satisfies it,
 * and the state only comes to satisfy it through an operation that makes it. So once a fact is
 * needed by an unplaced completed operation, no unplaced operation makes it, and the state does
 * not satisfy it now, no order of the rest can work: the search backtracks at once instead of
 * finding out many placements later.
 */
export class ValueFlow {
  private readonly needs: Int32Array;
  private readonly makes: Int32Array;
  private readonly needers: Int32Array;
  private readonly makers: Int32Array;
  private readonly facts: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Facts needed, never to be made again: the state must satisfy each of them now. */
  private readonly blocked = new Set<number>();

  private constructor(
    ops: readonly Operation[],
    flows: readonly ({ readonly needs?: string; readonly makes?: string })[],
    private readonly model: FlowModel,
  ) {
    const n = ops.length;
    this.needs = new Int32Array(n).fill(-1);
    this.makes = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const flow = flows[i];
      if (flow.needs !== undefined && ops[i].status === "ok") this.needs[i] = this.id(flow.needs);
      if (flow.makes !== undefined) this.makes[i] = this.id(flow.makes);
    }
    this.needers = new Int32Array(this.facts.length);
    this.makers = new Int32Array(this.facts.length);
    for (let i = 0; i < n; i++) {
      if (this.needs[i] >= 0) this.needers[this.needs[i]]++;
      if (this.makes[i] >= 0) this.makers[this.makes[i]]++;
    }
    for (let v = 0; v < this.facts.length; v++) if (this.needers[v] > 0 && this.makers[v] === 0) this.blocked.add(v);
  }

  /** The tracker for a partition, or `undefined` when the model cannot describe every operation. */
  static of(ops: readonly Operation[], model: AnyModel): ValueFlow | undefined {
    if (model.flow === undefined || model.satisfies === undefined) return undefined;
    const flows = [];
    for (const op of ops) {
      const flow = model.flow(op.input, op.output);
      if (flow === undefined) return undefined;
      flows.push(flow);
    }
    return new ValueFlow(ops, flows, model as FlowModel);
  }

  private id(fact: string): number {
    let v = this.ids.get(fact);
    if (v === undefined) {
      v = this.facts.length;
      this.ids.set(fact, v);
      this.facts.push(fact);
    }
    return v;
  }

  /** Operation i was placed. */
  place(i: number): void {
    const need = this.needs[i];
    if (need >= 0 && --this.needers[need] === 0) this.blocked.delete(need);
    const make = this.makes[i];
    if (make >= 0 && --this.makers[make] === 0 && this.needers[make] > 0) this.blocked.add(make);
  }

  /** Operation i was taken back (reverse of {@link place}). */
  unplace(i: number): void {
    const make = this.makes[i];
    if (make >= 0 && this.makers[make]++ === 0) this.blocked.delete(make);
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

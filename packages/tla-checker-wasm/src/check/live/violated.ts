/**
 * Which PROPERTY a counterexample violates: temporal formulas evaluated on an ultimately periodic
 * behaviour. TLC 2.20 names none ("Temporal properties were violated"); we name the first cfg
 * PROPERTY the lasso violates, so the name does not depend on how the solutions were grouped.
 *
 * The behaviour is `states[0] .. states[n-1]`, then `states[loop] .. states[n-1]` forever (a finite
 * counterexample stutters in its last state, as TLC's current source reads it). A formula's value
 * at position i is its value on the suffix from i; on the cycle every suffix is a rotation, so
 * `[]` and `<>` there are "at all / some cycle positions".
 *
 * @module
 */
import type { EvalContext, State } from "../../model.js";
import type { LiveFormula } from "../../eval/temporal.js";

/** Evaluates formulas at every position of one lasso. */
class Lasso {
  readonly n: number;
  constructor(
    readonly states: readonly State[],
    readonly loop: number,
    readonly ctx: EvalContext,
  ) {
    this.n = states.length;
  }

  next(i: number): number {
    return i + 1 < this.n ? i + 1 : this.loop;
  }

  /** The value of `f` at each position. */
  eval(f: LiveFormula): boolean[] {
    const { n, states, ctx } = this;
    const all = (p: (i: number) => boolean) => Array.from({ length: n }, (_, i) => p(i));
    switch (f.k) {
      case "bool":
        return all(() => f.value);
      case "state":
        return all((i) => f.holds(states[i]!, ctx));
      case "action":
        return all((i) => f.holds(states[i]!, states[this.next(i)]!, ctx));
      case "not": {
        const g = this.eval(f.f);
        return g.map((v) => !v);
      }
      case "and": {
        const gs = f.fs.map((g) => this.eval(g));
        return all((i) => gs.every((g) => g[i]));
      }
      case "or": {
        const gs = f.fs.map((g) => this.eval(g));
        return all((i) => gs.some((g) => g[i]));
      }
      case "always":
        return this.suffix(this.eval(f.f), true);
      case "eventually":
        return this.suffix(this.eval(f.f), false);
      case "leadsto": {
        const from = this.eval(f.from);
        const to = this.suffix(this.eval(f.to), false);
        return this.suffix(
          from.map((v, i) => !v || to[i]!),
          true,
        );
      }
      case "fair": {
        // Only the cycle matters: WF holds unless <<A>>_v is enabled at every cycle state and
        // never taken; SF unless it is enabled at some cycle state and never taken.
        const cycle = Array.from({ length: n - this.loop }, (_, j) => this.loop + j);
        const taken = cycle.some((i) => f.step(states[i]!, states[this.next(i)]!, ctx));
        const enabled = cycle.map((i) => f.enabled(states[i]!, ctx));
        const holds = taken || (f.strong ? !enabled.some((e) => e) : !enabled.every((e) => e));
        return all(() => holds);
      }
      default: {
        const never: never = f;
        throw new Error(`liveness: cannot evaluate ${JSON.stringify(never)}`);
      }
    }
  }

  /** `[]` (every = true) or `<>` of values per position. */
  private suffix(v: boolean[], every: boolean): boolean[] {
    const { n, loop } = this;
    let onCycle = every;
    for (let i = loop; i < n; i++) onCycle = every ? onCycle && v[i]! : onCycle || v[i]!;
    const out = new Array<boolean>(n);
    for (let i = n - 1; i >= 0; i--) {
      if (i >= loop) out[i] = onCycle;
      else out[i] = every ? v[i]! && out[i + 1]! : v[i]! || out[i + 1]!;
    }
    return out;
  }
}

/**
 * The first of `properties` (cfg order) that the behaviour `states`, looping back to
 * `states[loop]` after the last one (null: it stutters there), violates; null if none does.
 */
export function firstViolated(properties: readonly { name: string; formula: LiveFormula }[], states: readonly State[], loop: number | null, ctx: EvalContext): string | null {
  if (states.length === 0) return null;
  const lasso = new Lasso(states, loop ?? states.length - 1, ctx);
  for (const p of properties) if (!lasso.eval(p.formula)[0]) return p.name;
  return null;
}

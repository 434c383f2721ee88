// A minimal breadth-first exploration over a CompiledModel, counting as TLC does, so the core's
// successor enumeration can be checked against TLC's figures without the engine.
import type { CompiledModel, State } from "../../src/model.js";

/** TLC's "states generated" and "distinct states found" for a model (no invariants checked). */
export function explore(m: CompiledModel, maxStates = 1e6): { generated: number; distinct: number } {
  const seen = new Set<bigint>();
  const queue: State[] = [];
  let generated = 0;
  const add = (s: State): void => {
    generated++;
    if (!m.constraints.every((c) => c.holds(s, { level: 1 }))) return;
    const fp = m.values.fingerprintState(s);
    if (!seen.has(fp)) {
      seen.add(fp);
      queue.push(s);
    }
  };
  for (const s of m.initStates({ level: 1 })) add(s.state);
  for (let i = 0; i < queue.length && seen.size <= maxStates; i++) {
    for (const s of m.successors(queue[i]!, { level: 2 })) add(s.state);
  }
  return { generated, distinct: seen.size };
}

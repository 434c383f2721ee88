// Shared helpers for the engine tests.
import { expect } from "vitest";
import type { CompiledModel } from "../../src/model.js";
import type { TraceStep } from "../../src/check/types.js";
import { canon } from "./models/values.mjs";

/** The trace starts in an initial state and every step is a successor of the previous state with that label. */
export function expectValidTrace(model: CompiledModel, trace: TraceStep[]): void {
  expect(trace.length).toBeGreaterThan(0);
  const inits = model.initStates({ level: 1 });
  expect(inits.some((s) => canon([...s.state]) === canon([...trace[0].state]))).toBe(true);
  expect(trace[0].label.action).toBe("Init");
  for (let i = 1; i < trace.length; i++) {
    const succs = model.successors(trace[i - 1].state, { level: i });
    const match = succs.some(
      (s) => canon([...s.state]) === canon([...trace[i].state]) && s.label.action === trace[i].label.action && canon(s.label.params.map((p) => [p[0], p[1]])) === canon(trace[i].label.params.map((p) => [p[0], p[1]])),
    );
    expect(match, `step ${i + 1} (${trace[i].label.action}) is not a successor of step ${i}`).toBe(true);
  }
}

/** The values of variable slot `slot` along a trace. */
export function column(trace: TraceStep[] | null, slot = 0): unknown[] {
  return (trace ?? []).map((s) => s.state[slot]);
}

/** URL of the test models module, for worker threads. */
export const modelsUrl = new URL("./models/models.mjs", import.meta.url).href;

import { ValueFlow } from "./flow.js";
import type { AnyModel, Failure, Operation, StuckOperation } from "./types.js";

/**
 * Turns the search's longest prefix into a failure a person can follow: the state after the
 * prefix and, for each operation that could be linearized next in real time (invoked before
 * the earliest pending return), why it cannot.
 */
export function explainFailure(
  key: string | undefined,
  group: readonly Operation[],
  prefix: readonly number[],
  model: AnyModel,
): Failure {
  let state: unknown = model.init();
  for (const i of prefix) {
    const after = model.step(state, group[i].input, group[i].output);
    if (after === undefined) throw new Error(`internal error: prefix replay failed at ${group[i].description}`);
    state = after;
  }
  const placed = new Set(prefix);
  const pending = group.filter((_, i) => !placed.has(i));
  const stuck: StuckOperation[] = [];
  // The root cause when value flow cut the search: operations whose needed value is gone for good.
  const flow = ValueFlow.of(group, model);
  if (flow !== undefined) {
    for (const i of prefix) flow.place(i);
    for (const i of flow.starved(state, placed)) {
      stuck.push({
        id: group[i].id,
        reason: `${group[i].description} is impossible in state ${model.describeState(state)}, and no remaining operation can change that`,
      });
    }
  }
  let earliestReturn = Infinity;
  for (const op of pending) if (op.status === "ok" && op.ret < earliestReturn) earliestReturn = op.ret;
  // Operations with unknown outcome may always be left out, so they explain nothing; list the
  // completed ones that could go next.
  for (const op of pending) {
    if (op.call > earliestReturn || op.status !== "ok" || stuck.some((s) => s.id === op.id)) continue;
    const after = model.step(state, op.input, op.output);
    const reason =
      after === undefined
        ? `${op.description} is impossible in state ${model.describeState(state)}`
        : `would leave state ${model.describeState(after)}, from which the remaining operations cannot be ordered`;
    stuck.push({ id: op.id, reason });
  }
  return {
    partition: key,
    operationIds: group.map((o) => o.id),
    prefix: prefix.map((i) => group[i].id),
    stateAfterPrefix: model.describeState(state),
    stuck,
  };
}

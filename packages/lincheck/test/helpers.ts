import { expect } from "vitest";
import { parseEdnValue } from "../src/readers/edn.js";
import type { AnyModel, CheckResult, EventType, History, HistoryEvent } from "../src/types.js";

/**
 * A compact history notation for tests, one event per line: `process type f value [key]`, the
 * value and key as EDN. `0 invoke write 1` / `0 ok write 1` / `1 ok read 1` / `2 info cas [1 2]`.
 */
export function h(text: string): History {
  const events: HistoryEvent[] = [];
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .forEach((line, i) => {
      const m = /^(\S+)\s+(invoke|ok|fail|info)\s+(\S+)\s*(.*)$/.exec(line);
      if (!m) throw new Error(`bad test line ${line}`);
      const forms = m[4].trim() === "" ? [] : m[4].trim();
      const parsed = forms === "" ? [] : (parseEdnValue(`[${forms}]`) as unknown[]);
      const process = /^\d+$/.test(m[1]) ? Number(m[1]) : m[1];
      events.push({
        process,
        type: m[2] as EventType,
        f: m[3],
        value: (parsed[0] ?? null) as HistoryEvent["value"],
        ...(parsed.length > 1 ? { key: parsed[1] as HistoryEvent["value"] } : {}),
        source: `line ${i + 1}`,
      });
    });
  return events;
}

/**
 * Checks that an `ok` verdict's witness is real: every completed operation appears once, the
 * order respects real time, and replaying it through the model accepts every output.
 */
export function expectValidWitness(result: CheckResult, model: AnyModel): void {
  expect(result.verdict).toBe("ok");
  if (result.verdict !== "ok") return;
  const ops = result.operations;
  const order = result.linearization.map((id) => ops[id]);
  expect(new Set(result.linearization).size).toBe(order.length);
  const placed = new Set(result.linearization);
  expect(ops.filter((op) => op.status === "ok" && !placed.has(op.id)).map((op) => op.id)).toEqual([]);
  // Real time: nothing placed after an operation may have returned before that operation was
  // invoked, i.e. every operation was invoked before the earliest return among those after it.
  let earliestLaterReturn = Infinity;
  const violations: string[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    if (earliestLaterReturn < order[i].call) violations.push(order[i].description);
    earliestLaterReturn = Math.min(earliestLaterReturn, order[i].ret);
  }
  expect(violations, "operations placed after one that returned before they were invoked").toEqual([]);
  // Per partition, the sequential model accepts the order.
  for (const partition of result.partitions) {
    const members = new Set(partition.operationIds);
    const part = order.filter((op) => members.has(op.id));
    let state = model.init();
    for (const op of part) {
      const next = model.step(state, op.input, op.output);
      if (next === undefined) expect.fail(`witness step ${op.description} is impossible in state ${model.describeState(state)}`);
      state = next;
    }
  }
}

import type { Model } from "../types.js";
import { showValue, valueEqual, valueKey, type Value } from "../value.js";
import { rejectNilRead, unknownOperation, type ModelOptions } from "./common.js";

/** An operation on a FIFO queue. */
export type QueueInput = { readonly kind: "enqueue"; readonly value: Value } | { readonly kind: "dequeue" };

const KNOWN = ["enqueue", "dequeue"];

/**
 * A FIFO queue: `enqueue x`; `dequeue` returns the head, or `nil` when the queue is empty.
 * The initial value, if given, is a vector of elements, head first.
 */
export function queue(options: ModelOptions = {}): Model<readonly Value[], QueueInput, Value> {
  rejectNilRead("queue", options);
  const init = options.init ?? null;
  if (init !== null && !Array.isArray(init)) throw new Error("the initial queue must be a vector of elements");
  const initial = (init ?? []) as readonly Value[];
  return {
    name: "queue",
    init: () => initial,
    step(state, input, output) {
      switch (input.kind) {
        case "enqueue":
          return [...state, input.value];
        case "dequeue": {
          const head = state.length > 0 ? state[0] : null;
          if (output !== undefined && !valueEqual(head, output)) return undefined;
          return state.length > 0 ? state.slice(1) : state;
        }
      }
    },
    equal: (a, b) => valueKey(a) === valueKey(b),
    hash: (s) => valueKey(s),
    decode({ f, value, result }) {
      switch (f) {
        case "enqueue":
          return { input: { kind: "enqueue", value }, output: result === undefined ? undefined : null };
        case "dequeue":
          return { input: { kind: "dequeue" }, output: result };
        default:
          return unknownOperation("queue", f, KNOWN);
      }
    },
    describeOperation(input, output) {
      return input.kind === "enqueue"
        ? `enqueue ${showValue(input.value)}`
        : `dequeue -> ${output === undefined ? "?" : showValue(output)}`;
    },
    describeState: (s) => `[${s.map(showValue).join(" ")}] (head first)`,
  };
}

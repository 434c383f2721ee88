import type { Model } from "../types.js";
import type { Value } from "../value.js";
import { numberValue, rejectNilRead, unknownOperation, type ModelOptions } from "./common.js";

/** An operation on a counter. */
export type CounterInput = { readonly kind: "add"; readonly delta: number } | { readonly kind: "read" };

const KNOWN = ["add (increment)", "read"];

/**
 * A counter: `add n` (`increment`/`incr` with `nil` adds 1) and `read`, which returns the sum.
 * The initial value defaults to 0.
 */
export function counter(options: ModelOptions = {}): Model<number, CounterInput, Value> {
  rejectNilRead("counter", options);
  const init = numberValue(options.init ?? 0, "the initial counter");
  return {
    name: "counter",
    init: () => init,
    step(state, input, output) {
      switch (input.kind) {
        case "add":
          return state + input.delta;
        case "read":
          return output === undefined || output === state ? state : undefined;
      }
    },
    equal: (a, b) => a === b,
    hash: (s) => s,
    readOnly: (input) => input.kind === "read",
    decode({ f, value, result }) {
      switch (f) {
        case "add":
        case "increment":
        case "incr":
          return {
            input: { kind: "add", delta: value === null ? 1 : numberValue(value, "the amount to add") },
            output: result === undefined ? undefined : null,
          };
        case "read":
          if (result !== undefined && result !== null) numberValue(result, "the value read");
          return { input: { kind: "read" }, output: result };
        default:
          return unknownOperation("counter", f, KNOWN);
      }
    },
    describeOperation(input, output) {
      return input.kind === "add" ? `add ${input.delta}` : `read -> ${output === undefined ? "?" : String(output)}`;
    },
    describeState: (s) => String(s),
  };
}

import type { Model } from "../types.js";
import type { Value } from "../value.js";
import { rejectNilRead, unknownOperation, type ModelOptions } from "./common.js";

/** An operation on a lock. */
export type MutexInput = { readonly kind: "acquire" } | { readonly kind: "release" };

const KNOWN = ["acquire", "release"];

/**
 * A mutex (Knossos's lock model): `acquire` succeeds only when free, `release` only when held.
 * Owners are not tracked. The initial value `true` starts it held.
 */
export function mutex(options: ModelOptions = {}): Model<boolean, MutexInput, Value> {
  rejectNilRead("mutex", options);
  const held = options.init === true;
  return {
    name: "mutex",
    init: () => held,
    step(state, input) {
      switch (input.kind) {
        case "acquire":
          return state ? undefined : true;
        case "release":
          return state ? false : undefined;
      }
    },
    equal: (a, b) => a === b,
    hash: (s) => (s ? 1 : 0),
    decode({ f, result }) {
      switch (f) {
        case "acquire":
          return { input: { kind: "acquire" }, output: result === undefined ? undefined : null };
        case "release":
          return { input: { kind: "release" }, output: result === undefined ? undefined : null };
        default:
          return unknownOperation("mutex", f, KNOWN);
      }
    },
    describeOperation: (input) => input.kind,
    describeState: (s) => (s ? "held" : "free"),
  };
}

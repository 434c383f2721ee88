import type { Model } from "../types.js";
import { showValue, valueEqual, valueKey, type Value } from "../value.js";
import { pair, unknownOperation, valueHash, type ModelOptions } from "./common.js";

/** An operation on a register. */
export type RegisterInput =
  | { readonly kind: "read" }
  | { readonly kind: "write"; readonly value: Value }
  | { readonly kind: "cas"; readonly from: Value; readonly to: Value };

/**
 * What a register operation returned: the value read, `true`/`false` for a CAS that did or did
 * not find its expected value, `null` for a write.
 */
export type RegisterOutput = Value;

function makeRegister(name: string, withCas: boolean, options: ModelOptions): Model<Value, RegisterInput, RegisterOutput> {
  const init = options.init ?? null;
  const known = withCas ? ["read", "write", "cas"] : ["read", "write"];
  return {
    name,
    init: () => init,
    step(state, input, output) {
      switch (input.kind) {
        case "read":
          return output === undefined || valueEqual(state, output) ? state : undefined;
        case "write":
          return input.value;
        case "cas": {
          const matches = valueEqual(state, input.from);
          if (output === undefined) return matches ? input.to : state;
          if (output === false) return matches ? undefined : state;
          return matches ? input.to : undefined;
        }
      }
    },
    equal: valueEqual,
    hash: valueHash,
    readOnly: (input, output) => input.kind === "read" || (input.kind === "cas" && output === false),
    flow(input, output) {
      switch (input.kind) {
        case "read":
          return output === undefined ? {} : { needs: valueKey(output) };
        case "write":
          return { makes: valueKey(input.value) };
        case "cas":
          if (output === false) return {};
          return output === undefined ? { makes: valueKey(input.to) } : { needs: valueKey(input.from), makes: valueKey(input.to) };
      }
    },
    satisfies: (state, fact) => valueKey(state) === fact,
    decode({ f, value, result }) {
      switch (f) {
        case "read":
          return { input: { kind: "read" }, output: result };
        case "write":
          return { input: { kind: "write", value }, output: result === undefined ? undefined : null };
        case "cas": {
          if (!withCas) break;
          const [from, to] = pair(value, "the cas value [expected new]");
          // Jepsen logs a CAS whose compare failed as `fail`; readers pass that on as result `false`.
          return { input: { kind: "cas", from, to }, output: result === undefined ? undefined : result !== false };
        }
      }
      return unknownOperation(name, f, known);
    },
    describeOperation(input, output) {
      switch (input.kind) {
        case "read":
          return `read -> ${output === undefined ? "?" : showValue(output)}`;
        case "write":
          return `write ${showValue(input.value)}${output === undefined ? " (outcome unknown)" : ""}`;
        case "cas":
          return `cas ${showValue(input.from)}->${showValue(input.to)}${output === undefined ? " (outcome unknown)" : output === false ? " (compare failed)" : ""}`;
      }
    },
    describeState: (state) => showValue(state),
  };
}

/** A read/write register. `read` returns the value; `write v` sets it. */
export function register(options: ModelOptions = {}): Model<Value, RegisterInput, RegisterOutput> {
  return makeRegister("register", false, options);
}

/**
 * A compare-and-set register: `read`, `write v`, and `cas [expected new]`, which sets `new` when
 * the value is `expected`. An `ok` CAS succeeded; a completion value of `false` records a CAS that
 * ran and found another value (how Jepsen's etcd logs' `:fail :cas` is read).
 */
export function casRegister(options: ModelOptions = {}): Model<Value, RegisterInput, RegisterOutput> {
  return makeRegister("cas-register", true, options);
}

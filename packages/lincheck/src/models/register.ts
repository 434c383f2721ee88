import type { Model } from "../types.js";
import { showValue, valueEqual, valueHash, valueKey, type Value } from "../value.js";
import { FactMeanings, nilReadOption, pair, unknownOperation, type ModelOptions } from "./common.js";

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
  const nilIsUnknown = nilReadOption(options, "unknown") === "unknown";
  const known = withCas ? ["read", "write", "cas"] : ["read", "write"];
  const facts = new FactMeanings<Value>();
  const fact = (v: Value): string => facts.name(valueKey(v), v);
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
          return output === undefined ? {} : { needs: fact(output) };
        case "write":
          return { makes: fact(input.value) };
        case "cas":
          if (output === false) return {};
          return output === undefined ? { makes: fact(input.to) } : { needs: fact(input.from), makes: fact(input.to) };
      }
    },
    satisfies: (state, f) => {
      const v = facts.meaning(f);
      return v !== undefined ? valueEqual(state, v) : valueKey(state) === f;
    },
    decode({ f, value, result }) {
      switch (f) {
        case "read":
          // Knossos: a nil read says nothing about the value (unless nil is asked to be a value).
          return { input: { kind: "read" }, output: result === null && nilIsUnknown ? undefined : result };
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

/**
 * A read/write register. `read` returns the value; `write v` sets it. A read of nil is legal in
 * every state unless `nilRead: "value"` (Knossos's semantics; see {@link ModelOptions.nilRead}).
 */
export function register(options: ModelOptions = {}): Model<Value, RegisterInput, RegisterOutput> {
  return makeRegister("register", false, options);
}

/**
 * A compare-and-set register: `read`, `write v`, and `cas [expected new]`, which sets `new` when
 * the value is `expected`. An `ok` CAS succeeded; a completion value of `false` records a CAS that
 * ran and found another value (how Jepsen's etcd logs' `:fail :cas` is read). Reads of nil are
 * unknown reads unless `nilRead: "value"`, as for {@link register}.
 */
export function casRegister(options: ModelOptions = {}): Model<Value, RegisterInput, RegisterOutput> {
  return makeRegister("cas-register", true, options);
}

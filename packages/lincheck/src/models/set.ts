import type { Model } from "../types.js";
import { showValue, valueKey, type Value } from "../value.js";
import { rejectNilRead, unknownOperation, type ModelOptions } from "./common.js";

/** An operation on a set. */
export type SetInput =
  | { readonly kind: "add"; readonly element: Value }
  | { readonly kind: "remove"; readonly element: Value }
  | { readonly kind: "contains"; readonly element: Value }
  | { readonly kind: "read" };

/** The set as sorted canonical keys, with the values kept for display. */
export interface SetState {
  /** Sorted canonical keys of the members. */
  readonly keys: readonly string[];
  /** The members, parallel to `keys`. */
  readonly members: readonly Value[];
}

const KNOWN = ["add", "remove", "contains", "read (read-all)"];

function fromValues(values: readonly Value[]): SetState {
  const byKey = new Map<string, Value>();
  for (const v of values) byKey.set(valueKey(v), v);
  const keys = [...byKey.keys()].sort();
  return { keys, members: keys.map((k) => byKey.get(k) as Value) };
}

function elements(value: Value, what: string): readonly Value[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw new Error(`expected ${what} to be a set or vector, got ${JSON.stringify(value)}`);
  return value as readonly Value[];
}

/**
 * A set: `add x`, `remove x`, `contains x` (returns true/false) and `read` (also `read-all`),
 * which returns every member. The initial value, if given, is a collection of members.
 */
export function set(options: ModelOptions = {}): Model<SetState, SetInput, Value> {
  rejectNilRead("set", options);
  const initial = fromValues(elements(options.init ?? null, "the initial set"));
  const has = (s: SetState, e: Value): boolean => s.keys.includes(valueKey(e));
  return {
    name: "set",
    init: () => initial,
    step(state, input, output) {
      switch (input.kind) {
        case "add":
          return has(state, input.element) ? state : fromValues([...state.members, input.element]);
        case "remove": {
          const k = valueKey(input.element);
          return has(state, input.element) ? fromValues(state.members.filter((m) => valueKey(m) !== k)) : state;
        }
        case "contains":
          return output === undefined || output === has(state, input.element) ? state : undefined;
        case "read": {
          if (output === undefined) return state;
          const seen = Array.isArray(output) ? fromValues(output as readonly Value[]) : undefined;
          return seen !== undefined && seen.keys.join("\u0000") === state.keys.join("\u0000") ? state : undefined;
        }
      }
    },
    equal: (a, b) => a.keys.join("\u0000") === b.keys.join("\u0000"),
    hash: (s) => s.keys.join("\u0000"),
    readOnly: (input) => input.kind === "contains" || input.kind === "read",
    // Operations on one element never depend on another, so without read-alls each element is
    // checked alone (a read-all spans every element and turns partitioning off).
    partition: (input) => (input.kind === "read" ? undefined : valueKey(input.element)),
    flow(input, output) {
      const fact = (member: boolean): string => `${member ? "in" : "out"}\u0000${valueKey((input as { element: Value }).element)}`;
      switch (input.kind) {
        case "add":
          return { makes: fact(true) };
        case "remove":
          return { makes: fact(false) };
        case "contains":
          return output === undefined ? {} : { needs: fact(output === true) };
        case "read":
          return undefined; // needs the whole set, not one fact
      }
    },
    satisfies: (state, fact) => {
      const cut = fact.indexOf("\u0000");
      return state.keys.includes(fact.slice(cut + 1)) === (fact.slice(0, cut) === "in");
    },
    decode({ f, value, result }) {
      switch (f) {
        case "add":
          return { input: { kind: "add", element: value }, output: result === undefined ? undefined : null };
        case "remove":
          return { input: { kind: "remove", element: value }, output: result === undefined ? undefined : null };
        case "contains":
          if (result !== undefined && typeof result !== "boolean") {
            throw new Error(`contains must return true or false, got ${JSON.stringify(result)}`);
          }
          return { input: { kind: "contains", element: value }, output: result };
        case "read":
        case "read-all":
          if (result !== undefined) elements(result, "the read result");
          return { input: { kind: "read" }, output: result === null ? [] : result };
        default:
          return unknownOperation("set", f, KNOWN);
      }
    },
    describeOperation(input, output) {
      const out = output === undefined ? "?" : showValue(output);
      switch (input.kind) {
        case "add":
          return `add ${showValue(input.element)}`;
        case "remove":
          return `remove ${showValue(input.element)}`;
        case "contains":
          return `contains ${showValue(input.element)} -> ${out}`;
        case "read":
          return `read -> ${output === undefined ? "?" : showValue(fromValues(output as readonly Value[]).members)}`;
      }
    },
    describeState: (s) => `#{${s.members.map(showValue).join(" ")}}`,
  };
}

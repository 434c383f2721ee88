import type { Model, RawOperation } from "../types.js";
import { showValue, valueEqual, valueHash, valueHashAppend, valueKey, type Value } from "../value.js";
import { FactMeanings, nilReadOption, pair, unknownOperation, type ModelOptions } from "./common.js";

/** An operation on one key of a key-value map. */
export type KvInput =
  | { readonly kind: "get"; readonly key: string }
  | { readonly kind: "put"; readonly key: string; readonly value: Value }
  | { readonly kind: "append"; readonly key: string; readonly value: Value }
  | { readonly kind: "cas"; readonly key: string; readonly from: Value; readonly to: Value };

/**
 * The map as `[key, value, hash of value]` entries sorted by key; keys never written hold the
 * initial value. Within a per-key partition it has at most one entry, so steps stay cheap. The
 * value's hash is kept so that an append hashes only what it appends (the checker hashes the
 * state at every step, and appended strings grow long).
 */
export type KvState = readonly (readonly [key: string, value: Value, hash: number])[];

const KNOWN = ["get (read)", "put (write)", "append", "cas"];

/**
 * Splits an operation into its key and value: the event's `key`, or a `[k v]` tuple value as
 * jepsen.independent writes it.
 */
function keyed(op: RawOperation): { key: Value; value: Value; result: Value | undefined } {
  if (op.key !== undefined) return { key: op.key, value: op.value, result: op.result };
  const [key, value] = pair(op.value, "a key-value operation without :key, [key value],");
  let result = op.result;
  if (result !== undefined && result !== false) {
    const [resultKey, inner] = pair(result, "the completion's [key value]");
    if (!valueEqual(resultKey, key)) {
      throw new Error(`completion is for key ${showValue(resultKey)} but the invocation was for ${showValue(key)}`);
    }
    result = inner;
  }
  return { key, value, result };
}

/** `append` concatenates strings and pushes onto lists; the initial `nil` counts as empty. */
function appendTo(current: Value, value: Value): Value {
  if (typeof value === "string" && (current === null || typeof current === "string")) return (current ?? "") + value;
  if (current === null) return [value];
  if (Array.isArray(current)) return [...(current as readonly Value[]), value];
  throw new Error(`cannot append ${showValue(value)} to ${showValue(current)}`);
}

/**
 * Which facts (`key NUL valueKey(v)`) an append of `value` to `key` might make: the value after
 * an append ends with what was appended, so its canonical text ends with the appended text (a
 * string: the same characters before the closing quote; a list: the element before the closing
 * bracket). The test may say yes to facts it cannot make (that only costs speed), never no to
 * one it can.
 */
function appendMayMake(key: string, value: Value): (fact: string) => boolean {
  const prefix = `${key}\u0000`;
  const element = `${valueKey(value)}]`;
  // A string's canonical text is its JSON; escaping is per character, so a string ending with
  // `value` has a JSON text ending with value's JSON without its opening quote.
  const tail = typeof value === "string" ? JSON.stringify(value).slice(1) : undefined;
  return (fact) => {
    if (!fact.startsWith(prefix) || fact.lastIndexOf("\u0000") !== key.length) return false;
    const text = fact.slice(prefix.length);
    if (text.endsWith(element)) return true;
    return tail !== undefined && text.startsWith('"') && text.endsWith(tail);
  };
}

/**
 * A key-value map with `get`/`read`, `put`/`write`, `append` and `cas [expected new]`, partitioned
 * per key (each key is checked alone). The key comes from the event's `key` field or from a
 * `[k v]` tuple value.
 */
export function kv(options: ModelOptions = {}): Model<KvState, KvInput, Value> {
  const init = options.init ?? null;
  const nilIsUnknown = nilReadOption(options, "value") === "unknown";
  // Indexed loops: the state is read at every step of the search.
  const get = (s: KvState, k: string): Value => {
    for (let j = 0; j < s.length; j++) if (s[j][0] === k) return s[j][1];
    return init;
  };
  const initHash = valueHash(init);
  const hashOf = (s: KvState, k: string): number => {
    for (let j = 0; j < s.length; j++) if (s[j][0] === k) return s[j][2];
    return initHash;
  };
  const set = (s: KvState, k: string, v: Value, h: number = valueHash(v)): KvState => {
    if (s.length === 0 || (s.length === 1 && s[0][0] === k)) return [[k, v, h]];
    const out = s.filter(([key]) => key !== k);
    out.push([k, v, h]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  /** The state after appending `value` to key `k`, hashing only the appended text when it can. */
  const append = (s: KvState, k: string, current: Value, value: Value): KvState => {
    const after = appendTo(current, value);
    if (typeof value !== "string" || typeof after !== "string") return set(s, k, after);
    return set(s, k, after, valueHashAppend(current === null ? valueHash("") : hashOf(s, k), value));
  };
  const empty: KvState = [];
  const facts = new FactMeanings<readonly [string, Value]>();
  return {
    name: "kv",
    init: () => empty,
    step(state, input, output) {
      const current = get(state, input.key);
      switch (input.kind) {
        case "get":
          return output === undefined || valueEqual(current, output) ? state : undefined;
        case "put":
          return set(state, input.key, input.value);
        case "append":
          try {
            return append(state, input.key, current, input.value);
          } catch {
            return undefined;
          }
        case "cas": {
          const matches = valueEqual(current, input.from);
          if (output === undefined) return matches ? set(state, input.key, input.to) : state;
          if (output === false) return matches ? undefined : state;
          return matches ? set(state, input.key, input.to) : undefined;
        }
      }
    },
    equal: (a, b) => a === b || (a.length === b.length && a.every(([k, v, h], i) => k === b[i][0] && h === b[i][2] && valueEqual(v, b[i][1]))),
    hash: (s) => {
      let h = 0x811c9dc5;
      for (let j = 0; j < s.length; j++) h = Math.imul(h ^ valueHash(s[j][0]) ^ Math.imul(s[j][2], 0x9e3779b1), 0x01000193);
      return h >>> 0;
    },
    decode(op) {
      const { key: keyValue, value, result } = keyed(op);
      const key = typeof keyValue === "string" ? keyValue : valueKey(keyValue);
      switch (op.f) {
        case "get":
        case "read":
          return { input: { kind: "get", key }, output: result === null && nilIsUnknown ? undefined : result };
        case "put":
        case "write":
          return { input: { kind: "put", key, value }, output: result === undefined ? undefined : null };
        case "append":
          return { input: { kind: "append", key, value }, output: result === undefined ? undefined : null };
        case "cas": {
          const [from, to] = pair(value, "the cas value [expected new]");
          return { input: { kind: "cas", key, from, to }, output: result === undefined ? undefined : result !== false };
        }
        default:
          return unknownOperation("kv", op.f, KNOWN);
      }
    },
    partition: (input) => input.key,
    readOnly: (input, output) => input.kind === "get" || (input.kind === "cas" && output === false),
    flow(input, output) {
      const fact = (v: Value): string => facts.name(`${input.key}\u0000${valueKey(v)}`, [input.key, v]);
      switch (input.kind) {
        case "get":
          return output === undefined ? {} : { needs: fact(output) };
        case "put":
          return { makes: fact(input.value) };
        case "append":
          return { makes: appendMayMake(input.key, input.value) };
        case "cas":
          if (output === false) return {};
          return output === undefined ? { makes: fact(input.to) } : { needs: fact(input.from), makes: fact(input.to) };
      }
    },
    satisfies: (state, fact) => {
      const meaning = facts.meaning(fact);
      if (meaning !== undefined) return valueEqual(get(state, meaning[0]), meaning[1]);
      const cut = fact.lastIndexOf("\u0000");
      return valueKey(get(state, fact.slice(0, cut))) === fact.slice(cut + 1);
    },
    describeOperation(input, output) {
      const unknown = output === undefined ? " (outcome unknown)" : "";
      switch (input.kind) {
        case "get":
          return `get ${input.key} -> ${output === undefined ? "?" : showValue(output)}`;
        case "put":
          return `put ${input.key} ${showValue(input.value)}${unknown}`;
        case "append":
          return `append ${input.key} ${showValue(input.value)}${unknown}`;
        case "cas":
          return `cas ${input.key} ${showValue(input.from)}->${showValue(input.to)}${unknown}${output === false ? " (compare failed)" : ""}`;
      }
    },
    describeState: (s) => {
      if (s.length === 0) return `every key ${showValue(init)}`;
      return s.map(([k, v]) => `${k}=${showValue(v)}`).join(", ");
    },
  };
}

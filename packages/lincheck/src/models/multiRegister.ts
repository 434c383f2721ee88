import type { Model } from "../types.js";
import { hashString } from "../bitset.js";
import { showValue, valueEqual, valueKey, type Value } from "../value.js";
import { nilReadOption, unknownOperation, type ModelOptions } from "./common.js";

/** One micro-operation of a multi-register transaction. */
export type MicroOp =
  | { readonly kind: "read"; readonly key: string; readonly value: Value | undefined }
  | { readonly kind: "write"; readonly key: string; readonly value: Value };

/**
 * The registers: key to value for the keys not holding the initial value,
 * with the canonical text of that map and its hash, made once per state: the search compares
 * and hashes states at every step, and reads far outnumber writes.
 */
export interface MultiRegisterState {
  /** Key to value, for every key that does not hold the initial value. */
  readonly values: ReadonlyMap<string, Value>;
  /** The map as canonical text (keys sorted): equal states have equal text. */
  readonly text: string;
  /** A hash of {@link MultiRegisterState.text}. */
  readonly hash: number;
}

function makeState(values: ReadonlyMap<string, Value>): MultiRegisterState {
  const keys = [...values.keys()].sort();
  let text = "";
  for (const k of keys) text += `${JSON.stringify(k)}:${valueKey(values.get(k) as Value)},`;
  return { values, text, hash: hashString(text) };
}

const EMPTY: MultiRegisterState = makeState(new Map());

function microOps(value: Value, known: boolean, nilIsUnknown: boolean): MicroOp[] {
  if (!Array.isArray(value)) throw new Error(`expected a txn as a vector of [:read k v] / [:write k v], got ${JSON.stringify(value)}`);
  return (value as readonly Value[]).map((m, i) => {
    if (!Array.isArray(m) || m.length !== 3) {
      throw new Error(`micro-op ${i + 1} should be [:read k v] or [:write k v], got ${JSON.stringify(m)}`);
    }
    const [f, k, v] = m as readonly Value[];
    const key = typeof k === "string" ? k : valueKey(k);
    if (f === "read" || f === "r") return { kind: "read", key, value: known && !(v === null && nilIsUnknown) ? v : undefined };
    if (f === "write" || f === "w") return { kind: "write", key, value: v };
    throw new Error(`micro-op ${i + 1} has unknown function ${JSON.stringify(f)}; expected :read or :write`);
  });
}

/**
 * Knossos's multi-register: `txn` with a vector of `[:read k v]` / `[:write k v]` micro-ops,
 * applied atomically. Reads are taken from the completion (the invocation's are `nil`); a
 * transaction with an unknown outcome checks no reads, and a read of nil checks nothing unless
 * `nilRead: "value"` (Knossos: "nil reads are always legal"). Not partitioned: a txn spans keys.
 */
export function multiRegister(options: ModelOptions = {}): Model<MultiRegisterState, readonly MicroOp[], null> {
  const init = options.init ?? null;
  const nilIsUnknown = nilReadOption(options, "unknown") === "unknown";
  return {
    name: "multi-register",
    init: () => EMPTY,
    step(state, ops) {
      let values: Map<string, Value> | undefined;
      for (const op of ops) {
        const map = values ?? state.values;
        const current = map.has(op.key) ? (map.get(op.key) as Value) : init;
        if (op.kind === "read") {
          if (op.value !== undefined && !valueEqual(current, op.value)) return undefined;
        } else if (!valueEqual(current, op.value)) {
          // A key holding the initial value is left out of the map, so that equal states have
          // equal maps however they came about.
          values ??= new Map(state.values);
          if (valueEqual(op.value, init)) values.delete(op.key);
          else values.set(op.key, op.value);
        }
      }
      return values === undefined ? state : makeState(values);
    },
    equal: (a, b) => a === b || (a.hash === b.hash && a.text === b.text),
    hash: (s) => s.hash,
    readOnly: (ops) => ops.every((o) => o.kind === "read"),
    decode({ f, value, result }) {
      if (f !== "txn") return unknownOperation("multi-register", f, ["txn"]);
      if (result === undefined) return { input: microOps(value, false, nilIsUnknown), output: undefined };
      const ops = microOps(result, true, nilIsUnknown);
      const invoked = microOps(value, false, nilIsUnknown);
      if (invoked.length !== ops.length) throw new Error("the completion's txn has a different number of micro-ops than the invocation");
      return { input: ops, output: null };
    },
    describeOperation(ops) {
      const parts = ops.map((o) =>
        o.kind === "read" ? `r ${o.key} ${o.value === undefined ? "?" : showValue(o.value)}` : `w ${o.key} ${showValue(o.value)}`,
      );
      return `txn [${parts.join(", ")}]`;
    },
    describeState: (s) => {
      const keys = [...s.values.keys()].sort();
      return keys.length === 0 ? `every key ${showValue(init)}` : keys.map((k) => `${k}=${showValue(s.values.get(k))}`).join(", ");
    },
  };
}

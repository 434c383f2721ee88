import { valueKey, type Value } from "../value.js";

/** Options shared by the built-in models. */
export interface ModelOptions {
  /** The initial value (of the register, of every key, ...). Jepsen's default is `nil` (`null`). */
  readonly init?: Value;
}

/** Throws the error a model's `decode` raises for an unknown operation name. */
export function unknownOperation(model: string, f: string, known: readonly string[]): never {
  throw new Error(`unknown operation ${JSON.stringify(f)}; the ${model} model knows ${known.join(", ")}`);
}

/** A `[a b]` pair, or an error naming what was expected. */
export function pair(value: Value, what: string): readonly [Value, Value] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new Error(`expected ${what} as a two-element vector, got ${JSON.stringify(value)}`);
  }
  return [value[0] as Value, value[1] as Value];
}

/** A hash for a value: integers hash to themselves, everything else through its canonical key. */
export function valueHash(v: Value): number | string {
  return typeof v === "number" && Number.isInteger(v) ? v | 0 : valueKey(v);
}

/** A number, or an error naming what was expected. */
export function numberValue(value: Value, what: string): number {
  if (typeof value !== "number") throw new Error(`expected ${what} to be a number, got ${JSON.stringify(value)}`);
  return value;
}

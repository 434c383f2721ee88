import type { Value } from "../value.js";

/** What a completed read that returned nil (`null`) means. */
export type NilRead =
  /** Nothing is known about the value read (Knossos): the read is legal in every state. */
  | "unknown"
  /** The read saw the value nil, like any other value. */
  | "value";

/** Options shared by the built-in models. */
export interface ModelOptions {
  /** The initial value (of the register, of every key, ...). Jepsen's default is `nil` (`null`). */
  readonly init?: Value;
  /**
   * What a completed read of nil means, for the models with reads of a value: `register`,
   * `cas-register` and `multi-register` default to `unknown`, as Knossos's models do (Jepsen
   * histories record a read whose value was not learnt as `:ok` with `:value nil`); `kv`
   * defaults to `value`, because its histories (Synod's, Porcupine's) read a missing key as the
   * initial value. Other models reject the option.
   */
  readonly nilRead?: NilRead;
}

/** The models that honour {@link ModelOptions.nilRead}. */
export const NIL_READ_MODELS: readonly string[] = ["register", "cas-register", "multi-register", "kv"];

/** The option's value for a model that honours it, checked; `fallback` when not given. */
export function nilReadOption(options: ModelOptions, fallback: NilRead): NilRead {
  const v = options.nilRead ?? fallback;
  if (v !== "unknown" && v !== "value") throw new Error(`nilRead must be "unknown" or "value", got ${JSON.stringify(v)}`);
  return v;
}

/** Throws for a model that has no nil reads to interpret, so the option is never silently ignored. */
export function rejectNilRead(model: string, options: ModelOptions): void {
  if (options.nilRead !== undefined) {
    throw new Error(`the ${model} model has no reads of a nil value to interpret; nilRead applies to ${NIL_READ_MODELS.join(", ")}`);
  }
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


/** A number, or an error naming what was expected. */
export function numberValue(value: Value, what: string): number {
  if (typeof value !== "number") throw new Error(`expected ${what} to be a number, got ${JSON.stringify(value)}`);
  return value;
}

/** Bound on the facts a {@link FactMeanings} remembers; past it, it starts again. */
const FACTS_MAX = 1 << 16;

/**
 * What each value-flow fact a model named stands for (a key and a value), so that `satisfies`
 * compares values instead of rebuilding canonical text at every step of the search. Bounded:
 * a fact it has forgotten is answered by the model's slower path.
 */
export class FactMeanings<T> {
  private readonly meanings = new Map<string, T>();

  /** Records what `fact` means and returns it. */
  name(fact: string, meaning: T): string {
    if (this.meanings.size >= FACTS_MAX && !this.meanings.has(fact)) this.meanings.clear();
    this.meanings.set(fact, meaning);
    return fact;
  }

  /** What `fact` means, if remembered. */
  meaning(fact: string): T | undefined {
    return this.meanings.get(fact);
  }
}

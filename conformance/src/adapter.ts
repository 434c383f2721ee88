/**
 * The protocol-agnostic contract between conformance checks and a protocol (DESIGN.md, "Adapter"):
 * how to build fresh implementation nodes, how a spec action becomes implementation events, and
 * how implementation state maps to spec variables. All protocol-specific code lives behind it.
 *
 * @module
 */
import type { CompiledModel, State, Value } from "@synod/tla-checker-wasm";

/** A spec action as the checker labels it, with parameters by name (checker values). */
export interface SpecAction {
  /** Operator name, e.g. `"HandleAppendEntriesRequest"`. */
  action: string;
  /** Parameter and `\E`-bound names with their values, in binding order. */
  params: ReadonlyArray<readonly [name: string, value: Value]>;
}

/** Why an implementation could not take a spec action. */
export class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdapterError";
  }
}

/**
 * What conformance needs from a protocol.
 *
 * @typeParam Impl - the implementation under test (typically a small in-memory cluster host).
 */
export interface Adapter<Impl> {
  /** The spec's variable names, in the checker's slot order. */
  readonly variables: readonly string[];
  /** Fresh implementation nodes in the spec's initial state. */
  create(): Impl;
  /**
   * Make the implementation take the spec action `label`. Throws {@link AdapterError} when the
   * implementation refuses it (an action the spec allows but the implementation does not).
   */
  apply(impl: Impl, label: SpecAction): void;
  /** The abstraction function: the implementation's state as a spec state (checker values). */
  abstract(impl: Impl): State;
  /**
   * Optional: the part of a spec state the implementation can be held to. Applied to the spec
   * state before comparing it with {@link Adapter.abstract}; it must only erase values the spec
   * never reads again (dead state), and says why in its documentation.
   */
  observable?(state: State): State;
}

/** One variable whose values differ, both formatted with the checker's printer (TLC syntax). */
export interface StateDiff {
  /** The spec variable. */
  variable: string;
  /** Its value in the spec state. */
  expected: string;
  /** Its value in the abstracted implementation state. */
  actual: string;
}

/** The variables whose values differ between two states. */
export function diffStates(model: CompiledModel, expected: State, actual: State): StateDiff[] {
  const out: StateDiff[] = [];
  model.variables.forEach((name, k) => {
    if (!model.values.equals(expected[k], actual[k])) {
      out.push({ variable: name, expected: model.values.format(expected[k]), actual: model.values.format(actual[k]) });
    }
  });
  return out;
}

/** `Name(p1=v1, p2=v2)`, the way traces print labels. */
export function formatAction(model: CompiledModel, label: SpecAction): string {
  const ps = label.params.map(([n, v]) => `${n}=${model.values.format(v)}`);
  return `${label.action}(${ps.join(", ")})`;
}

/**
 * A spec's bag of messages (a function from message records to their counts, as Raft.tla's
 * `messages`) from messages already turned into spec records: equal records count together.
 */
export function messageBag(model: CompiledModel, records: Iterable<unknown>): Value {
  const { values } = model;
  const counts: { v: Value; n: number }[] = [];
  for (const r of records) {
    const v = values.fromJS(r);
    const hit = counts.find((c) => values.equals(c.v, v));
    if (hit) hit.n++;
    else counts.push({ v, n: 1 });
  }
  return values.fromJS(new Map(counts.map((c) => [c.v, c.n])));
}

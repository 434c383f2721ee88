/**
 * Traces as ITF JSON, the Informal Trace Format of Apalache (ADR-015): a `vars` list, a `states`
 * list of objects mapping each variable to its value (`#set`, `#tup`, `#map`, `#bigint`, records
 * as objects), an optional `loop` index, and `#meta` objects. Each state's `#meta` carries its
 * index and the action that produced it, which conformance replays.
 *
 * @module
 */
import type { CompiledModel } from "../model.js";
import type { TraceStep } from "../check/types.js";
import { formatLabel } from "./label.js";

/** The `#meta` of one ITF state. */
export interface ITFStateMeta {
  index: number;
  /** The label as text, e.g. `Receive(i = s2, m = ...)`. */
  label: string;
  /** The action's operator name (`Init` for the first state). */
  action: string;
  /** Parameter values in ITF form, by name. */
  params: Record<string, unknown>;
}

/** An ITF trace document. */
export interface ITFTrace {
  "#meta": { format: "ITF"; "format-description": string; description: string; source?: string };
  vars: string[];
  states: Array<{ "#meta": ITFStateMeta } & Record<string, unknown>>;
  loop?: number;
}

/** Options of {@link toITF}. */
export interface ITFOptions {
  /** Index of the state a lasso loops back to (liveness counterexamples). */
  loopIndex?: number;
  /** The spec the trace comes from, recorded in `#meta.source`. */
  source?: string;
  /** Free text for `#meta.description`. */
  description?: string;
}

/**
 * Convert a trace to an ITF document (serialise it with `JSON.stringify`).
 *
 * @example
 * ```ts
 * writeFileSync("cex.itf.json", JSON.stringify(toITF(result.trace!, model), null, 2));
 * ```
 */
export function toITF(trace: readonly TraceStep[], model: CompiledModel, options: ITFOptions | number = {}): ITFTrace {
  const opts: ITFOptions = typeof options === "number" ? { loopIndex: options } : options;
  const values = model.values;
  const doc: ITFTrace = {
    "#meta": {
      format: "ITF",
      "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
      description: opts.description ?? "Created by Synod tla-check",
      ...(opts.source ? { source: opts.source } : {}),
    },
    vars: [...model.variables],
    states: trace.map((step, index) => {
      const meta: ITFStateMeta = {
        index,
        label: formatLabel(step.label, values),
        action: step.label.action,
        params: Object.fromEntries(step.label.params.map(([name, v]) => [name, values.toITF(v)])),
      };
      const state: { "#meta": ITFStateMeta } & Record<string, unknown> = { "#meta": meta };
      model.variables.forEach((name, slot) => {
        state[name] = values.toITF(step.state[slot]);
      });
      return state;
    }),
  };
  if (opts.loopIndex !== undefined) {
    if (!Number.isInteger(opts.loopIndex) || opts.loopIndex < 0 || opts.loopIndex >= trace.length) {
      throw new RangeError(`loop index ${opts.loopIndex} is outside the trace (${trace.length} states)`);
    }
    doc.loop = opts.loopIndex;
  }
  return doc;
}

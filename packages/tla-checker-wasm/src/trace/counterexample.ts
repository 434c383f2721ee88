/**
 * TLC's `-dumpTrace json FILE` and `-dumpTrace tla FILE`: the counterexample as TLCExt's
 * `CounterExample` record, written as TLC 2.20 writes it.
 *
 * The record is `[action |-> A, state |-> S]`: S holds `<<i, [v1 |-> .., v2 |-> ..]>>` for the
 * i-th state, A holds `<<<<i, s_i>>, r, <<i + 1, s_(i+1)>>>>` for each step, r being
 * `[name |-> "Op", location |-> [beginLine |-> .., beginColumn |-> .., endLine |-> ..,
 * endColumn |-> .., module |-> "M"]]`, with `context |-> [p |-> v, ..]` and
 * `parameters |-> <<"p", ..>>` added when the operator has formal parameters. A lasso's step
 * back to the state it returns to is in A too.
 *
 * - `json`: the record through the Json module's `JsonSerialize` (CommunityModules): records
 *   become objects, sequences and sets arrays (sets in TLC's order), functions with another
 *   domain objects keyed by the domain value's text, model values strings; on one line.
 * - `tla`: a module `---- MODULE <file name> ----` whose `CounterExample ==` is the record's
 *   text, as TLC's `_TLAPlusCounterExample` writes it (no newline after `====`).
 *
 * @module
 */
import type { CompiledModel, Value } from "../model.js";
import { tlcVariableSlotsOf } from "../model.js";
import type { TraceStep } from "../check/types.js";
import { closingLabel, formalParams, tlcActionSpan, type TLCTextOptions } from "./tlc-text.js";

/** The pieces of one step of the counterexample, in TLC's order. */
interface Piece {
  /** `[name |-> .., location |-> .., context |-> .., parameters |-> ..]` as (field, text or JSON). */
  name: string;
  location: ReturnType<typeof tlcActionSpan>;
  params: ReadonlyArray<readonly [string, Value]>;
}

/** The steps (from, action, to) as 0-based indices into the trace. */
function steps(trace: readonly TraceStep[], model: CompiledModel, loopIndex: number | undefined, opts: TLCTextOptions): { from: number; to: number; piece: Piece }[] {
  const out: { from: number; to: number; piece: Piece }[] = [];
  const piece = (label: TraceStep["label"]): Piece => ({ name: label.action, location: tlcActionSpan(label, opts), params: formalParams(label, opts) });
  for (let i = 1; i < trace.length; i++) out.push({ from: i - 1, to: i, piece: piece(trace[i]!.label) });
  if (loopIndex !== undefined && loopIndex < trace.length - 1) {
    const closing = closingLabel(trace, model, loopIndex);
    if (closing) out.push({ from: trace.length - 1, to: loopIndex, piece: piece(closing) });
  }
  return out;
}

/** The counterexample as TLC's `-dumpTrace tla` module text. */
export function toTLCCounterExampleModule(trace: readonly TraceStep[], model: CompiledModel, moduleName: string, loopIndex?: number, opts: TLCTextOptions = {}): string {
  const fmt = (v: Value) => model.values.format(v);
  const slots = tlcVariableSlotsOf(model);
  const state = (i: number) => `<<${i + 1}, [${slots.map((slot) => `${model.variables[slot]!} |-> ${fmt(trace[i]!.state[slot])}`).join(", ")}]>>`;
  const action = (p: Piece) => {
    const fields = [`name |-> ${JSON.stringify(p.name)}`];
    if (p.location) {
      const l = p.location;
      fields.push(`location |-> [beginLine |-> ${l.line}, beginColumn |-> ${l.column}, endLine |-> ${l.endLine}, endColumn |-> ${l.endColumn}, module |-> ${JSON.stringify(l.module)}]`);
    }
    if (p.params.length > 0) {
      fields.push(`context |-> [${p.params.map(([n, v]) => `${n} |-> ${fmt(v)}`).join(", ")}]`);
      fields.push(`parameters |-> <<${p.params.map(([n]) => JSON.stringify(n)).join(", ")}>>`);
    }
    return `[${fields.join(", ")}]`;
  };
  const actions = steps(trace, model, loopIndex, opts).map((s) => `<<${state(s.from)}, ${action(s.piece)}, ${state(s.to)}>>`);
  const states = trace.map((_, i) => state(i));
  const record = `[action |-> {${actions.join(", ")}}, state |-> {${states.join(", ")}}]`;
  return `---- MODULE ${moduleName} ----\nLOCAL INSTANCE TLC\n\nCounterExample == \n\t${record}\n\n====`;
}

/** The counterexample as TLC's `-dumpTrace json` text (one line, no newline). */
export function toTLCCounterExampleJson(trace: readonly TraceStep[], model: CompiledModel, loopIndex?: number, opts: TLCTextOptions = {}): string {
  const json = (v: Value) => tlcJson(model, model.values.toITF(v));
  const slots = tlcVariableSlotsOf(model);
  const state = (i: number) => [i + 1, Object.fromEntries(slots.map((slot) => [model.variables[slot]!, json(trace[i]!.state[slot])]))];
  const action = (p: Piece) => {
    const out: Record<string, unknown> = { name: p.name };
    if (p.location) {
      const l = p.location;
      out.location = { beginLine: l.line, beginColumn: l.column, endLine: l.endLine, endColumn: l.endColumn, module: l.module };
    }
    if (p.params.length > 0) {
      out.context = Object.fromEntries(p.params.map(([n, v]) => [n, json(v)]));
      out.parameters = p.params.map(([n]) => n);
    }
    return out;
  };
  const record = {
    action: steps(trace, model, loopIndex, opts).map((s) => [state(s.from), action(s.piece), state(s.to)]),
    state: trace.map((_, i) => state(i)),
  };
  return JSON.stringify(record);
}

/**
 * The Json module's form of a value, from its ITF form (which already has sets in TLC's order and
 * records as objects): sets and tuples are arrays, other functions objects keyed by the text of
 * the domain value. Big integers, which TLC cannot hold, stay numbers.
 */
function tlcJson(model: CompiledModel, itf: unknown): unknown {
  if (itf === null || typeof itf !== "object") return itf;
  if (Array.isArray(itf)) return itf.map((x) => tlcJson(model, x));
  const o = itf as Record<string, unknown>;
  if ("#set" in o) return (o["#set"] as unknown[]).map((x) => tlcJson(model, x));
  if ("#tup" in o) return (o["#tup"] as unknown[]).map((x) => tlcJson(model, x));
  if ("#bigint" in o) return Number(o["#bigint"]);
  if ("#map" in o) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of o["#map"] as [unknown, unknown][]) {
      out[typeof k === "string" ? k : model.values.format(model.values.fromITF(k))] = tlcJson(model, v);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = tlcJson(model, v);
  return out;
}

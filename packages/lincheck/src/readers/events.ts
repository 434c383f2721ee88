import { HistoryError } from "../errors.js";
import type { EventType, HistoryEvent, ProcessId } from "../types.js";
import { isValue, type Value } from "../value.js";

const TYPES: readonly EventType[] = ["invoke", "ok", "fail", "info"];

/**
 * Turns one parsed op map (from JSON or EDN) into a {@link HistoryEvent}, checking every field.
 * `timeKey` names the timestamp field (`time` in both formats, in nanoseconds).
 */
export function eventFromRecord(record: unknown, at: string): HistoryEvent {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new HistoryError(at, `expected an operation map, got ${JSON.stringify(record)}`);
  }
  const r = record as Record<string, unknown>;
  const process = r.process;
  if (typeof process !== "number" && typeof process !== "string") {
    throw new HistoryError(at, `missing or invalid process (got ${JSON.stringify(process)}); expected an integer or "nemesis"`);
  }
  const type = r.type;
  if (typeof type !== "string" || !(TYPES as readonly string[]).includes(type)) {
    throw new HistoryError(at, `invalid type ${JSON.stringify(type)}; expected invoke, ok, fail or info`);
  }
  const f = r.f;
  if (typeof f !== "string" || f === "") {
    if (process === "nemesis") return { process, type: type as EventType, f: String(f), value: null, source: at };
    throw new HistoryError(at, `missing or invalid f (got ${JSON.stringify(f)}); expected an operation name`);
  }
  const value = r.value === undefined ? null : r.value;
  if (!isValue(value)) throw new HistoryError(at, "value is not plain data");
  const event: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] } = {
    process: process as ProcessId,
    type: type as EventType,
    f,
    value: value as Value,
    source: at,
  };
  if (r.key !== undefined) {
    if (!isValue(r.key)) throw new HistoryError(at, "key is not plain data");
    event.key = r.key;
  }
  if (r.time !== undefined) {
    if (typeof r.time !== "number") throw new HistoryError(at, `time must be a number of nanoseconds, got ${JSON.stringify(r.time)}`);
    event.timeNs = r.time;
  }
  if (r.index !== undefined) {
    if (typeof r.index !== "number") throw new HistoryError(at, `index must be a number, got ${JSON.stringify(r.index)}`);
    event.index = r.index;
  }
  if (r.error !== undefined && isValue(r.error)) event.error = r.error;
  return event;
}

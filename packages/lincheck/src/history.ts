import { HistoryError } from "./errors.js";
import type { AnyModel, History, HistoryEvent, Operation, ProcessId } from "./types.js";

/** Jepsen's fault injector issues ops under this process; they are not client operations. */
const NEMESIS = "nemesis";

function where(event: HistoryEvent, position: number): string {
  return event.source ?? `entry ${position + 1}`;
}

/**
 * Events in the order they happened: by timestamp when every event has one (file order breaks
 * ties), otherwise in the given order.
 */
export function orderEvents(history: History): HistoryEvent[] {
  const events = history.filter((e) => e.process !== NEMESIS);
  let timed = events.length > 0;
  let sorted = true;
  for (let i = 0; i < events.length && timed; i++) {
    const t = events[i].timeNs;
    if (typeof t !== "number") timed = false;
    else if (i > 0 && t < (events[i - 1].timeNs as number)) sorted = false;
  }
  if (timed && !sorted) {
    const indexed = events.map((e, i) => ({ e, i }));
    indexed.sort((a, b) => (a.e.timeNs as number) - (b.e.timeNs as number) || a.i - b.i);
    return indexed.map((x) => x.e);
  }
  return events;
}

interface Open {
  readonly event: HistoryEvent;
  readonly position: number;
}

/**
 * Pairs invocations with completions and decodes them with the model. `fail` operations are
 * dropped (they did not take effect); `info` operations and invocations never completed stay
 * open to the end. Throws {@link HistoryError} on malformed histories, naming the entry.
 */
export function prepareOperations(history: History, model: AnyModel): Operation[] {
  const events = orderEvents(history);
  const open = new Map<ProcessId, Open>();
  const crashed = new Map<ProcessId, HistoryEvent>();
  const done: { invoke: Open; complete: Open | undefined; status: "ok" | "info" }[] = [];
  events.forEach((event, position) => {
    const at = where(event, position);
    if (!isEventType(event.type)) throw new HistoryError(at, `unknown event type ${JSON.stringify(event.type)}`);
    if (event.type === "invoke") {
      const prior = open.get(event.process);
      if (prior !== undefined) {
        throw new HistoryError(
          at,
          `process ${event.process} invokes ${event.f} while its ${prior.event.f} from ${where(prior.event, prior.position)} is still open`,
        );
      }
      const lost = crashed.get(event.process);
      if (lost !== undefined) {
        throw new HistoryError(
          at,
          `process ${event.process} invokes ${event.f} after its ${lost.f} ended in info at ${lost.source ?? "an earlier entry"}; a crashed process must not be reused`,
        );
      }
      open.set(event.process, { event, position });
      return;
    }
    const invoke = open.get(event.process);
    if (invoke === undefined) {
      throw new HistoryError(at, `${event.type} ${event.f} on process ${event.process} has no open invocation`);
    }
    if (invoke.event.f !== event.f) {
      throw new HistoryError(
        at,
        `${event.type} ${event.f} on process ${event.process} completes a ${invoke.event.f} invoked at ${where(invoke.event, invoke.position)}`,
      );
    }
    open.delete(event.process);
    switch (event.type) {
      case "ok":
        done.push({ invoke, complete: { event, position }, status: "ok" });
        break;
      case "info":
        crashed.set(event.process, { ...event, source: at });
        done.push({ invoke, complete: undefined, status: "info" });
        break;
      case "fail":
        break;
    }
  });
  // Invocations that never completed are indeterminate, as in Jepsen.
  for (const invoke of open.values()) done.push({ invoke, complete: undefined, status: "info" });
  done.sort((a, b) => a.invoke.position - b.invoke.position);
  return done.map((d, id) => {
    const inv = d.invoke.event;
    const at = where(inv, d.invoke.position);
    let decoded;
    try {
      decoded = model.decode({
        f: inv.f,
        value: inv.value,
        result: d.complete?.event.value,
        key: inv.key ?? d.complete?.event.key,
      });
    } catch (err) {
      throw new HistoryError(at, `${model.name} model: ${(err as Error).message}`);
    }
    // One object shape for every operation keeps the search's property reads monomorphic.
    const op: Operation = {
      id,
      process: inv.process,
      f: inv.f,
      partition: model.partition?.(decoded.input),
      input: decoded.input,
      output: decoded.output,
      status: d.status,
      call: d.invoke.position,
      ret: d.complete?.position ?? Infinity,
      callTimeNs: inv.timeNs,
      retTimeNs: d.complete?.event.timeNs,
      source: at,
      description: model.describeOperation(decoded.input, decoded.output),
    };
    return op;
  });
}

function isEventType(t: string): t is HistoryEvent["type"] {
  return t === "invoke" || t === "ok" || t === "fail" || t === "info";
}

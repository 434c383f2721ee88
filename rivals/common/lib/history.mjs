/**
 * The history recorder every rival run writes its files with, in the event vocabulary Synod's
 * judges read (`synod judge <judge> FILE`): one `invoke` and one completion (`ok`, `fail` or
 * `info`) per operation, each event with its process, operation name `f`, value and time in ns.
 * A rival's own recorder extends it with the fields its judge needs (a key, a fixed `f`).
 *
 * @module
 */
import fs from "node:fs";

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

/** Events of one run, timed in ns since the recorder was made (the host's monotonic clock). */
export class EventLog {
  constructor() {
    /** process.hrtime is the same clock in every process of the machine, so files merge by time. */
    this.t0 = process.hrtime.bigint();
    /** @type {Record<string, unknown>[]} */
    this.events = [];
  }

  /** ns since the run began. */
  now() {
    return Number(process.hrtime.bigint() - this.t0);
  }

  /**
   * Append one event and return its time. `fields` go between `f` and `value` (a key, say);
   * `time` defaults to now. Throws naming the type when the judges would not know it.
   */
  record(proc, type, f, value, fields = {}, time = this.now()) {
    if (!TYPES.has(type)) throw new Error(`history: event type ${JSON.stringify(type)} is not invoke, ok, fail or info`);
    this.events.push({ type, process: proc, f, ...fields, value, time });
    return time;
  }

  /** Record the invocation of `f` by `proc`; returns its time. */
  invoke(proc, f, value, fields) {
    return this.record(proc, "invoke", f, value, fields);
  }

  /** Record a completion (`ok`, `fail` or `info`); returns its time. */
  complete(type, proc, f, value, fields) {
    if (type !== "ok" && type !== "fail" && type !== "info") throw new Error(`history: completion type ${JSON.stringify(type)} is not ok, fail or info`);
    return this.record(proc, type, f, value, fields);
  }

  /** The events as a JSON array, one event per line. */
  toJson() {
    return `[${this.events.map((e) => JSON.stringify(e)).join(",\n")}]\n`;
  }

  /** Write the history to `file` (what `synod judge <judge> FILE` reads). */
  write(file) {
    fs.writeFileSync(file, this.toJson());
  }
}

/** Percentile `p` (0–100) of `xs` by nearest rank, or NaN for none. */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

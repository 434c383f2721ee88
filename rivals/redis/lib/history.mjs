/**
 * Histories in lincheck's JSON event vocabulary, as the mutual-exclusion judge reads them: one
 * `invoke` and one completion (`ok`, `fail` or `info`) per operation, each with its process and a
 * time in ns since the run's epoch, so events written by several processes merge by time.
 *
 * @module
 */
import { writeFileSync } from "node:fs";

/** ms since the Unix epoch with sub-ms precision, the same in every process of the machine. */
export function wallMs() {
  return performance.timeOrigin + performance.now();
}

/** A history being recorded. Times are ms since `epochMs` (shared by every process of a run). */
export class History {
  /** @param {number} epochMs */
  constructor(epochMs, clock = wallMs) {
    this.epochMs = epochMs;
    this.clock = clock;
    this.events = [];
  }

  /** ms since the epoch, now. */
  now() {
    return this.clock() - this.epochMs;
  }

  /** Record an event; `atMs` (ms since the epoch) defaults to now. */
  add(process, type, f, value, atMs = this.now()) {
    if (!["invoke", "ok", "fail", "info"].includes(type)) throw new Error(`history: event type ${JSON.stringify(type)} is not invoke, ok, fail or info`);
    this.events.push({ process: String(process), type, f, value: value ?? null, timeNs: Math.round(atMs * 1e6) });
  }

  /** Add events recorded elsewhere (another process of the run). */
  merge(events) {
    for (const e of events) this.events.push(e);
  }

  /** The events ordered by time (stable for ties). */
  sorted() {
    return this.events.map((e, k) => [e, k]).sort((a, b) => a[0].timeNs - b[0].timeNs || a[1] - b[1]).map(([e]) => e);
  }

  /** Write the sorted events as a JSON array. */
  write(file) {
    writeFileSync(file, `${JSON.stringify(this.sorted(), null, 0).replace(/\},\{/g, "},\n{")}\n`);
  }
}

/** The final `log` read in the judge's vocabulary (`process` "final"). */
export function logRead(history, writes) {
  history.add("final", "invoke", "log", null);
  history.add("final", "ok", "log", { writes });
}

/**
 * The storage list of one Redis load: its setup label and client count, so that no two loads of a
 * run share a list (a shared list carries one load's writes into the next one's judged log).
 */
export function storageListName(setup, clients) {
  return `${setup.replace(/\W+/g, "-")}-${clients}`;
}

/**
 * Histories in the mutual-exclusion judge's vocabulary (conformance/src/mutual-exclusion.ts):
 * `work` operations (ok value `{ attempt, token, accepted }`) and one final `log` read of the
 * storage (ok value `{ writes: [{ attempt, token, value }] }`), each event with its process and
 * its time in ns since the run began. An operation whose outcome is unknown (its process was
 * killed, or it timed out) completes as `info`, which claims nothing.
 *
 * @module
 */
import fs from "node:fs";

/** A history being recorded. */
export class History {
  constructor() {
    this.t0 = process.hrtime.bigint();
    /** @type {{ type: string, process: string, f: string, value: unknown, time: number }[]} */
    this.events = [];
  }

  /** ns since the run began. */
  now() {
    return Number(process.hrtime.bigint() - this.t0);
  }

  /** Record an invocation; returns its time in ns. */
  invoke(proc, f, value) {
    const time = this.now();
    this.events.push({ type: "invoke", process: proc, f, value, time });
    return time;
  }

  /** Record a completion (`ok`, `fail` or `info`); returns its time in ns. */
  complete(type, proc, f, value) {
    if (type !== "ok" && type !== "fail" && type !== "info") throw new Error(`history: completion type ${JSON.stringify(type)} is not ok, fail or info`);
    const time = this.now();
    this.events.push({ type, process: proc, f, value, time });
    return time;
  }

  /** Write the history as a JSON array (what `synod judge mutual-exclusion FILE` reads). */
  write(file) {
    fs.writeFileSync(file, JSON.stringify(this.events, null, 0).replace(/},{/g, "},\n{") + "\n");
  }
}

/** Percentile `p` (0–100) of `xs` by nearest rank, or NaN for none. */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[k];
}

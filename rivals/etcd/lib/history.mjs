/**
 * Histories in the leadership judge's vocabulary (conformance/src/leadership.ts): `lead`
 * operations whose `ok` value `{ node, generation, leaseRemainingMs }` is a node's claim to lead
 * generation `generation` (its fencing token) with that much lease left; `fail` and `info` claim
 * nothing. Times are ns since `t0`, a reading of process.hrtime (the host's monotonic clock, the
 * same in every process), so claims recorded by other processes share the driver's time line.
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

  now() {
    return Number(process.hrtime.bigint() - this.t0);
  }

  /** Record an invocation of `lead` by `proc`; returns its time. */
  invoke(proc) {
    const time = this.now();
    this.events.push({ type: "invoke", process: proc, f: "lead", value: null, time });
    return time;
  }

  /** Record a completion (`ok` with a claim, `fail` or `info`); returns its time. */
  complete(type, proc, value) {
    if (type !== "ok" && type !== "fail" && type !== "info") throw new Error(`history: completion type ${JSON.stringify(type)} is not ok, fail or info`);
    const time = this.now();
    this.events.push({ type, process: proc, f: "lead", value, time });
    return time;
  }

  /** Record a whole claim made by another process at the times it measured. */
  claim(proc, invokeNs, okNs, value) {
    this.events.push({ type: "invoke", process: proc, f: "lead", value: null, time: invokeNs });
    this.events.push({ type: "ok", process: proc, f: "lead", value, time: okNs });
  }

  /** Write the history as a JSON array (what `synod judge leadership FILE` reads). */
  write(file) {
    fs.writeFileSync(file, "[" + this.events.map((e) => JSON.stringify(e)).join(",\n") + "]\n");
  }
}

/** Percentile `p` (0–100) of `xs` by nearest rank, or NaN for none. */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

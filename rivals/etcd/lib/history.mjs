/**
 * Histories in the leadership judge's vocabulary (conformance/src/leadership.ts): `lead`
 * operations whose `ok` value `{ node, generation, leaseRemainingMs }` is a node's claim to lead
 * generation `generation` (its fencing token) with that much lease left; `fail` and `info` claim
 * nothing. Times are ns since the recorder was made, on process.hrtime (the host's monotonic
 * clock, the same in every process), so claims recorded by other processes share the driver's
 * time line.
 *
 * @module
 */
import { EventLog } from "@synod/rival-common/history";

export { percentile } from "@synod/rival-common/history";

/** A history of `lead` operations being recorded. */
export class History extends EventLog {
  /** Record an invocation of `lead` by `proc`; returns its time. */
  invoke(proc) {
    return super.invoke(proc, "lead", null);
  }

  /** Record a completion (`ok` with a claim, `fail` or `info`); returns its time. */
  complete(type, proc, value) {
    return super.complete(type, proc, "lead", value);
  }

  /** Record a whole claim made by another process at the times it measured. */
  claim(proc, invokeNs, okNs, value) {
    this.record(proc, "invoke", "lead", null, {}, invokeNs);
    this.record(proc, "ok", "lead", value, {}, okNs);
  }
}

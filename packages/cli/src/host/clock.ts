/**
 * The host's clock: a monotonic millisecond reading for every event's `nowMs`.
 *
 * @module
 */
import { performance } from "node:perf_hooks";

/** A source of local time in milliseconds. Only differences between readings mean anything. */
export interface Clock {
  /** The current reading in milliseconds. */
  nowMs(): number;
}

/**
 * A monotonic clock on `performance.now()`: it never jumps when the wall clock is adjusted, which
 * matters because election timeouts and leader leases are measured as local durations.
 */
export function monotonicClock(): Clock {
  return { nowMs: () => performance.now() };
}

/**
 * The protocol-agnostic host: event loop, clock, timers and RNGs.
 *
 * @module
 */
export { NodeHost, type DurableSink, type HostOutputs, type HostStats, type NodeHostOptions } from "./node-host.js";
export { monotonicClock, type Clock } from "./clock.js";
export { TimerTable } from "./timers.js";
export { cryptoRng, seededRng } from "./rng.js";

/**
 * `@synod/sim`: Synod's deterministic simulator. Hosts any `@synod/protocol` node on virtual time
 * with a seeded network (latency, loss, duplication, reordering, partitions), durable storage with
 * fsync delay, crashes, restarts, pauses and clock skew; records messages, node steps and the
 * client history. Same seed, same run, byte for byte.
 *
 * @module
 */
export { Simulation, type RunResult } from "./simulation.js";
export type { InvokeOptions } from "./clients.js";
export { parseSimulationConfig, validateConfig } from "./options.js";
export type {
  SimulationConfig,
  SimulationOptions,
  NetworkOptions,
  LinkOptions,
  ClockOptions,
  StorageOptions,
  ClientOptions,
  RetryPolicy,
  RecordOptions,
  Budget,
  Observer,
  NodeContext,
} from "./options.js";
export { type LatencyDistribution, validateLatency } from "./latency.js";
export { type Fault, type ScheduledFault, type FaultSchedule, FAULT_TYPES, parseFaultSchedule, validateFault } from "./faults.js";
export type { HistoryEntry, HistoryAdapter, ClientOutcome } from "./history.js";
export { defaultHistoryAdapter } from "./history.js";
export type {
  DropReason,
  MessageRecord,
  RecordedEvent,
  StepRecord,
  FaultRecord,
  InFlightMessage,
  SimulationStats,
  SimulationLog,
  StopReason,
} from "./records.js";
export type { NodeStatus } from "./node-slot.js";
export { SeededRng } from "@synod/protocol";
export { SimulationConfigError, SimulationError } from "./errors.js";
export { BYZANTINE_BEHAVIOURS, HOOKED_BEHAVIOURS, type ByzantineBehaviour, type ByzantineEnvelope, type ByzantineHook } from "./byzantine.js";
export { ALL_NEMESIS_KINDS, generateNemesis, NEMESIS_KINDS, type NemesisKind, type NemesisOptions } from "./nemesis.js";
export { startWorkload, type WorkloadOptions, type WorkloadProgress, type CommandContext } from "./workload.js";
export { renderSpaceTime, type DiagramOptions } from "./diagram.js";

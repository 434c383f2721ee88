/**
 * `@synod/kv`: the replicated service shared by Synod's replicated-log protocols (Raft,
 * Multi-Paxos, PBFT, ...). A protocol applies committed entries to a {@link SessionService}: a
 * deterministic {@link StateMachine} behind a client session table that makes retries
 * exactly-once. The key-value store ({@link KvMap}, {@link KvStore}) is the first such service.
 *
 * @example
 * ```ts
 * import { newKvStore } from "@synod/kv";
 * const store = newKvStore();
 * store.apply("c1", 1, { op: "put", key: "x", value: "1" }); // { kind: "applied", result: { ok: true } }
 * store.apply("c1", 1, { op: "put", key: "x", value: "1" }); // a retry: { kind: "duplicate", ... }
 * store.query({ op: "get", key: "x" });                        // { value: "1" }
 * ```
 *
 * @module
 */
export type { StateMachine, StateMachineType } from "./state-machine.js";
export { SessionService, type ApplyOutcome, type Session } from "./sessions.js";
export { KvMap, kvService, newKvStore, restoreKvStore, validateKvCommand, type KvCommand, type KvResult, type KvStore } from "./kv.js";
export { CoordTree, coordService, validateCoordCommand, type CoordCommand, type CoordResult } from "./coord.js";
export { kvCompletion, kvInvocation, nextKvCommand, workloadKeys, type KvWorkloadShape } from "./workload.js";

/**
 * `@synod/raft`: Raft as a pure per-node state machine (step/ready) with a replicated,
 * deduplicating key-value store on top.
 *
 * @module
 */
export type {
  ActionLabel,
  AdminCommand,
  LogCommand,
  LogEntry,
  Membership,
  RaftCommand,
  RaftDurableState,
  RaftInspect,
  RaftOptions,
  ReadMode,
  Role,
  Snapshot,
  StepMode,
  UnsafeOptions,
} from "./types.js";
export { checkRaftMessage, type RaftMessage, type RaftMessageType } from "./messages.js";
export { createKvNode, createRaftNode, defaultRaftOptions, RaftConfigError, RaftKvNode, resolveRaftOptions, type KvNodeConfig } from "./node.js";
export { ELECTION_TIMER, HEARTBEAT_TIMER } from "./raft.js";
export { DRIVEN_ACTIONS, PRODUCTION, SPEC, type Granularity } from "./spec-step.js";
export {
  HARDSTATE_KEY,
  LOG_PREFIX,
  logKey,
  MEMBERSHIP_KEY,
  NODE_KEY,
  RaftStorageError,
  SNAPSHOT_KEY,
  recover,
  type HardState,
  type Recovered,
} from "./storage.js";
export { newKvStore, restoreKvStore, type KvCommand, type KvResult, type KvStore, type ApplyOutcome as KvApplyOutcome } from "@synod/kv";
export { quorumIndex, quorumSize, voteResult, type VoteResult } from "./quorum.js";
export type { CommandValidator } from "./validate.js";

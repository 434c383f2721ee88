/**
 * `@synod/paxos`: single-decree Paxos and Multi-Paxos as pure per-node state machines
 * (step/ready), with the replicated, deduplicating key-value store of `@synod/kv` on Multi-Paxos.
 *
 * @module
 */
export type {
  AcceptedValue,
  Ballot,
  LogValue,
  MultiPaxosInspect,
  MultiPaxosOptions,
  PaxosCommand,
  Proposal,
  ReadMode,
  Role,
  StepMode,
  UnsafeOptions,
} from "./types.js";
export { compareBallots, formatBallot, maxBallot, nextBallot, sameBallot, ZERO_BALLOT } from "./ballot.js";
export { Acceptor, type AcceptorReply } from "./acceptor.js";
export { checkPaxosMessage, validateBallot, type PaxosMessage, type PaxosMessageType } from "./messages.js";
export { validateLogValue, type CommandValidator } from "./validate.js";
export { DRIVEN_ACTIONS } from "./spec-step.js";
export { ELECTION_TIMER, HEARTBEAT_TIMER } from "./multipaxos.js";
export {
  createMultiPaxosNode,
  createMultiPaxosServiceNode,
  defaultMultiPaxosOptions,
  MultiPaxosKvNode,
  PaxosConfigError,
  resolveMultiPaxosOptions,
  type MultiPaxosNodeConfig,
} from "./node.js";
export { ACCEPTED_PREFIX, acceptedKey, CHOSEN_PREFIX, chosenKey, NODE_KEY, PaxosStorageError, PROMISED_KEY, recover, type Recovered } from "./storage.js";
export { SingleDecreeNode, type SingleDecreeCommand, type SingleDecreeResult } from "./single-decree.js";
export type { KvCommand, KvResult } from "@synod/kv";

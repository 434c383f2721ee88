/**
 * `@synod/pbft`: Practical Byzantine Fault Tolerance (Castro and Liskov) as a pure per-node state
 * machine, with a linearizable key-value store on top. n = 3f + 1 replicas tolerate f that behave
 * arbitrarily; clients accept a result once f + 1 replicas agree on it.
 *
 * @example
 * ```ts
 * import { createPbftReplica, deterministicKeyFile, PbftClient } from "@synod/pbft";
 * const ids = ["n1", "n2", "n3", "n4"];
 * const keys = deterministicKeyFile("test", ids, ["c1"]);   // tests only; `synod keygen` for real keys
 * const replica = createPbftReplica({ id: "n1", replicas: ids, keys, rng });
 * const client = new PbftClient(keys, "c1", ids.length);
 * replica.step({ type: "request", nowMs: 0, request: { clientId: "c1", seq: 1, command: client.command(1, { op: "put", key: "x", value: "1" }) } });
 * ```
 *
 * @module
 */
export {
  canonical,
  ClientSigner,
  deterministicKeyFile,
  digestOf,
  generateKeyFile,
  keyFileFor,
  keyFileForClient,
  parseKeyFile,
  PbftKeyError,
  ReplicaKeys,
  type PbftKeyFile,
} from "./auth.js";
export { parseReplyAuth, PbftClient, PbftReplyRule, replyBody, signCommand, type ReplyAuth, type UnsafeClientOptions } from "./client.js";
export {
  bodyOf,
  checkPbftMessage,
  type CheckpointMsg,
  type NewViewEntry,
  type PbftMessage,
  type PbftMessageType,
  type PrePreparedClaim,
  type PreparedClaim,
  type ViewChangeMsg,
} from "./messages.js";
export { createPbftReplica, PbftReplica, resolvePbftOptions } from "./node.js";
export {
  EXECUTED_LOG_MAX,
  INDEX_STRIDE,
  PbftConfigError,
  PbftCore,
  requestName,
  STATUS_TIMER,
  validatePbftOptions,
  VIEW_CHANGE_TIMER,
  type PbftInit,
  type PbftOutput,
  type PbftSpecView,
} from "./replica.js";
export { PbftStorageError } from "./storage.js";
export * from "./types.js";
export { decideNewView, NULL_DIGEST, type NewViewDecision } from "./view-change.js";

/**
 * Two-phase commit with presumed abort as pure per-node state machines: a transaction manager
 * (coordinator) and resource managers (participants), in the step/ready style of
 * `@synod/protocol`. See the package README for the host's order of persist, send and reply.
 *
 * @example
 * ```ts
 * import { createNode } from "@synod/2pc";
 * const options = { tm: "n1", rms: ["n2", "n3"] };
 * const tm = createNode("n1", options);
 * tm.step({ type: "request", nowMs: 0, request: { clientId: "c1", seq: 1, command: { op: "txn", refuse: [] } } });
 * const rd = tm.ready(); // Prepare to n2 and n3, a vote timeout and a resend timer
 * ```
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { resolveOptions, type TwoPcOptions } from "./options.js";
import { ResourceManager } from "./rm.js";
import { TransactionManager } from "./tm.js";

export { NodeBase } from "./base.js";
export { checkCommand, checkMessage, type RmRecord, type TwoPcCommand, type TwoPcMessage, type TwoPcResult, type TxnId } from "./messages.js";
export { resolveOptions, TwoPcConfigError, type ResolvedOptions, type TwoPcOptions } from "./options.js";
export { ResourceManager, RmStorageError } from "./rm.js";
export { incarnationOf, TmStorageError, TransactionManager, type TmTxn, type TmView } from "./tm.js";

/** A node of a two-phase-commit cluster: the TM or an RM. */
export type TwoPcNode = TransactionManager | ResourceManager;

/**
 * The node `id` of a cluster laid out by `options`: the TM if `id` is `options.tm`, else an RM.
 * @throws TwoPcConfigError for bad options; Error if `id` is neither the TM nor an RM.
 */
export function createNode(id: NodeId, options: TwoPcOptions): TwoPcNode {
  const o = resolveOptions(options);
  return id === o.tm ? new TransactionManager(id, o) : new ResourceManager(id, o);
}

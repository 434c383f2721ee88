/**
 * Dynamo-style quorum replication (DeCandia et al., SOSP 2007) as a pure per-node state machine
 * in the step/ready style of `@synod/protocol`: a consistent-hash ring with virtual nodes and
 * preference lists, a coordinator per request with N, R and W chosen per request, dotted version
 * vectors that keep concurrent writes as siblings, sloppy quorums with hinted handoff, read
 * repair, and Merkle-tree anti-entropy. The key-value API: `get` returns every sibling and a
 * context; `put` takes the context of the siblings it replaces.
 *
 * @example
 * ```ts
 * import { DynamoNode } from "@synod/dynamo";
 * const node = new DynamoNode("n1", { nodes: ["n1", "n2", "n3"], n: 3, r: 2, w: 2 }, rng);
 * node.step({ type: "request", nowMs: 0, request: { clientId: "c1", seq: 1, command: { op: "put", key: "k", value: "v1", context: {} } } });
 * const rd = node.ready(); // its own write persisted, Replicate to n2 and n3, request timers
 * ```
 *
 * @module
 */
export { crdtPut, resolveSiblings, type SiblingsRead } from "./crdt-siblings.js";
export { hash32 } from "./hash.js";
export { bucketOf, DEPTH, FANOUT, LEAVES, MerkleTree } from "./merkle.js";
export { checkCommand, checkMessage, checkSiblings, checkVV, type DynamoCommand, type DynamoMessage, type DynamoResult, type Quorum, type QuorumUsed } from "./messages.js";
export { DynamoNode, DynamoStorageError, type DynamoCounters, type DynamoTrace, type RequestView } from "./node.js";
export { DynamoConfigError, resolveOptions, type DynamoOptions, type ReadRepairMode, type ResolvedOptions } from "./options.js";
export { keyPosition, Ring, RingError, type Token } from "./ring.js";
export { contextOf, covers, descends, digestOf, formatDot, joinVV, reflects, sync, update, type Dot, type Sibling, type VersionVector } from "./version.js";

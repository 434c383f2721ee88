/**
 * Distributed locks as pure per-node state machines in the step/ready style of
 * `@synod/protocol`: Redlock over independent stores ({@link LockStore}, {@link RedlockClient}),
 * a fencing-token counter ({@link TokenCounter}) and a storage service that rejects stale tokens
 * ({@link FencedStorage}). `specs/lock/Redlock.tla` is their spec, action for action. The
 * ZooKeeper lock recipe ({@link ZkLockClient}) runs over `@synod/kv`'s coordination tree, hosted
 * by one server ({@link CoordServer}) or replicated by a Raft cluster ({@link CoordReplica}), and
 * hands out the sequence number of its ephemeral sequential key as the fencing token.
 *
 * @example
 * ```ts
 * import { createLockNode } from "@synod/lock";
 * import { SeededRng } from "@synod/protocol";
 * const options = { stores: ["n1", "n2", "n3"], counter: "n4", storage: "n5", clients: ["n6"] };
 * const client = createLockNode("n6", options, SeededRng.derive(1, "n6"));
 * client.step({ type: "request", nowMs: 0, request: { clientId: "c1", seq: 1, command: { op: "work", value: "x" } } });
 * client.ready(); // SetNX to n1, n2 and n3, a give-up timer and a resend timer
 * ```
 *
 * @module
 */
import type { Json, NodeId, Rng } from "@synod/protocol";
import { RedlockClient } from "./client.js";
import { TokenCounter } from "./counter.js";
import { LockConfigError, resolveLockOptions, type LockOptions } from "./options.js";
import { FencedStorage } from "./storage.js";
import { LockStore } from "./store.js";
import { CoordServer } from "./coord-server.js";
import { CoordReplica } from "./coord-replica.js";
import { ZkLockClient } from "./zk-client.js";
import { resolveZkOptions, type ZkOptions } from "./zk-options.js";

export { LockNodeBase, readRecords, ServerNode, type MessageOf } from "./base.js";
export { ClientStorageError, RedlockClient, type ClientPhase } from "./client.js";
export { CounterStorageError, TokenCounter, type Issued } from "./counter.js";
export { checkCommand, checkMessage, type AcceptedWrite, type AttemptId, type LockCommand, type LockMessage, type LockResult } from "./messages.js";
export { LockConfigError, resolveLockOptions, tickOf, type LockOptions, type ResolvedLockOptions } from "./options.js";
export { FencedStorage, StorageStorageError } from "./storage.js";
export { LockStore, StoreStorageError, type StoreEntry } from "./store.js";
export { CoordServer, CoordStorageError } from "./coord-server.js";
export { CoordReplica, type CoordRaftNode, type CoordReplicaOptions } from "./coord-replica.js";
export { SEQ_PER_INCARNATION, ZkClientStorageError, ZkLockClient, type ZkPhase } from "./zk-client.js";
export { resolveZkOptions, type ResolvedZkOptions, type ZkOptions } from "./zk-options.js";
export { type BaseOptions } from "./base.js";

/** A node of a lock cluster. */
export type LockNode = LockStore | TokenCounter | FencedStorage | RedlockClient;

/**
 * The node `id` of a cluster laid out by `options`, by its role. A lock client needs `rng` (it
 * draws its retry delays from it).
 * @throws LockConfigError for bad options, an `id` with no role in them, or a client without `rng`.
 */
export function createLockNode(id: NodeId, options: LockOptions, rng?: Rng): LockNode {
  const o = resolveLockOptions(options);
  if (o.stores.includes(id)) return new LockStore(id, o);
  if (id === o.counter) return new TokenCounter(id, o);
  if (id === o.storage) return new FencedStorage(id, o);
  if (o.clients.includes(id)) {
    if (rng === undefined) throw new LockConfigError(`lock: client ${id} needs an rng (its retry delays)`);
    return new RedlockClient(id, o, rng);
  }
  throw new LockConfigError(`lock: node ${id} has no role (stores ${o.stores.join(", ")}, counter ${o.counter}, storage ${o.storage}, clients ${o.clients.join(", ")})`);
}

/** A node of a ZooKeeper-recipe lock cluster. */
export type ZkNode = CoordServer | CoordReplica | FencedStorage | ZkLockClient;

/**
 * The node `id` of a ZooKeeper-recipe cluster laid out by `options`, by its role. A Raft replica
 * of the tree (`coord` given as a list) needs `rng` for its election timeouts, and recovers from
 * `durable` (as after a restart) when it is not empty.
 * @throws LockConfigError for bad options, an `id` with no role in them, or a replica without `rng`.
 */
export function createZkNode(id: NodeId, options: ZkOptions, rng?: Rng, durable?: ReadonlyMap<string, Json>): ZkNode {
  const o = resolveZkOptions(options);
  if (o.coord.includes(id)) {
    if (!o.replicated) return new CoordServer(id, o, o.expireEveryMs);
    if (rng === undefined) throw new LockConfigError(`zk lock: replica ${id} of the Raft-replicated tree needs an rng (election timeouts)`);
    return new CoordReplica(id, { ...o, replicas: o.coord }, rng, durable);
  }
  if (id === o.storage) return new FencedStorage(id, o);
  if (o.clients.includes(id)) return new ZkLockClient(id, o);
  throw new LockConfigError(`zk lock: node ${id} has no role (coord ${o.coord}, storage ${o.storage}, clients ${o.clients.join(", ")})`);
}

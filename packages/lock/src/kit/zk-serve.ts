/**
 * The ZooKeeper lock recipe served over TCP (`synod serve zklock`): every node of the layout is a
 * process of its own (the tree's replicas, the storage, each lock client), so a test can kill or
 * SIGSTOP the very process that holds the lock, or the tree's Raft leader, as it would a
 * ZooKeeper server or a ZooKeeper client.
 *
 * The layout is the recipe's {@link ZkOptions}, given with `--protocol-options` (the same JSON on
 * every node); `--peers` must name exactly the nodes of that layout. Clients of the service send
 * `{ op: "work", value }` to a lock client's client port and `{ op: "log" }` to the storage's.
 *
 * @module
 */
import { performance } from "node:perf_hooks";
import type { KitTypes, ServedNode, ServeTuning } from "@synod/conformance";
import type { Json, NodeId, Rng } from "@synod/protocol";
import { checkMessage, createZkNode, LockConfigError, resolveZkOptions, type ZkNode, type ZkOptions } from "../index.js";
import { checkServedLayout } from "./served-layout.js";

/** The error names of the recipe's nodes' damaged durable state. */
const STORAGE_ERRORS = new Set(["ZkClientStorageError", "StorageStorageError", "CoordStorageError", "RaftStorageError"]);

/**
 * Create served node `id` from the layout in `options`, and step it with a `restart` carrying its
 * durable state (empty on the first start), as the simulator brings a node back. Every start is a
 * restart: a lock client's incarnation grows on each, so a session id is never reused by a new
 * process while the old process's session may still live on the tree.
 *
 * @throws LockConfigError naming the option, for a bad layout, tuning the layout cannot honour,
 *   or `--peers` that do not list exactly the layout's nodes.
 */
export function createServedZkNode(init: { id: NodeId; peers: readonly NodeId[]; rng: Rng; durable: ReadonlyMap<string, Json>; tuning: ServeTuning; options: { [key: string]: Json } }): ZkNode {
  const { id, peers, rng, durable, tuning } = init;
  const given = init.options as unknown as ZkOptions;
  const resolved = resolveZkOptions(given);
  const raftTuning: { electionTimeoutMsMin?: number; electionTimeoutMsMax?: number; heartbeatMs?: number } = {};
  if (tuning.electionTimeoutMsMin !== undefined) raftTuning.electionTimeoutMsMin = tuning.electionTimeoutMsMin;
  if (tuning.electionTimeoutMsMax !== undefined) raftTuning.electionTimeoutMsMax = tuning.electionTimeoutMsMax;
  if (tuning.heartbeatMs !== undefined) raftTuning.heartbeatMs = tuning.heartbeatMs;
  if (tuning.snapshotEveryEntries !== undefined) throw new LockConfigError("--snapshot-every-entries: zklock's replicas snapshot the tree on their own schedule");
  if (Object.keys(raftTuning).length > 0 && !resolved.replicated) {
    throw new LockConfigError("--election-timeout-ms / --heartbeat-ms: these tune the Raft replicas of the tree, but protocol option coord names one server");
  }
  const layout = [...resolved.coord, resolved.storage, ...resolved.clients];
  checkServedLayout(id, peers, layout, "coord, storage, clients");
  const options: ZkOptions = Object.keys(raftTuning).length > 0 ? { ...given, raft: { ...(given.raft ?? {}), ...raftTuning } } : given;
  const node = createZkNode(id, options, rng);
  node.step({ type: "restart", nowMs: performance.now(), durable });
  return node;
}

/** `synod serve zklock`: the descriptor's served node. */
export function zkServed<T extends KitTypes & { node: ZkNode }>(): ServedNode<T> {
  return {
    createNode: (init) => createServedZkNode(init) as T["node"],
    checkMessage: (m) => checkMessage(m),
    isStorageError: (err) => err instanceof Error && STORAGE_ERRORS.has(err.name),
    isConfigError: (err) => err instanceof LockConfigError,
    knobs: {
      electionTimeoutMsMin: "election timeout range of the tree's Raft replicas (with electionTimeoutMsMax)",
      electionTimeoutMsMax: "election timeout range of the tree's Raft replicas (with electionTimeoutMsMin)",
      heartbeatMs: "Raft heartbeat period of the tree's replicas (a lock client's session heartbeat is protocol option heartbeatMs)",
    },
  };
}

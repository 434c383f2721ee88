/**
 * Redlock served over TCP (`synod serve lock`): every node of the layout is a process of its own
 * (each store, the token counter, the storage, each lock client), so a test can SIGKILL a store or
 * SIGSTOP the very client that holds the lock, as it would a Redis master or an application.
 *
 * The layout is {@link LockOptions}, given with `--protocol-options` (the same JSON on every
 * node); `--peers` must name exactly the nodes of that layout. Clients of the service send
 * `{ op: "work", value }` to a lock client's client port (it takes the lock, writes `value` to the
 * storage with its fencing token, releases, and answers with the storage's verdict) and
 * `{ op: "log" }` to the storage's. A lock client draws its retry delays from the node's rng
 * (`--seed` makes them reproducible).
 *
 * @module
 */
import { performance } from "node:perf_hooks";
import type { KitTypes, ServedNode, ServeTuning } from "@synod/conformance";
import type { Json, NodeId, Rng } from "@synod/protocol";
import { checkMessage, createLockNode, LockConfigError, resolveLockOptions, type LockNode, type LockOptions } from "../index.js";
import { checkServedLayout } from "./served-layout.js";

/** The error names of the nodes' damaged durable state. */
const STORAGE_ERRORS = new Set(["ClientStorageError", "StorageStorageError", "StoreStorageError", "CounterStorageError"]);

/**
 * Create served node `id` from the layout in `options`, and step it with a `restart` carrying its
 * durable state (empty on the first start), as the simulator brings a node back: a lock client's
 * incarnation grows on each start, so its attempt ids never repeat, and a store keeps a restored
 * key for a whole lease from its restart (its new process's clock is not the one that granted it).
 *
 * @throws LockConfigError naming the option, for a bad layout, any tuning flag (Redlock has no
 *   election or snapshots to tune), or `--peers` that do not list exactly the layout's nodes.
 */
export function createServedLockNode(init: { id: NodeId; peers: readonly NodeId[]; rng: Rng; durable: ReadonlyMap<string, Json>; tuning: ServeTuning; options: { [key: string]: Json } }): LockNode {
  const { id, peers, rng, durable, tuning } = init;
  const flags: Record<keyof ServeTuning, string> = {
    electionTimeoutMsMin: "--election-timeout-ms",
    electionTimeoutMsMax: "--election-timeout-ms",
    heartbeatMs: "--heartbeat-ms",
    snapshotEveryEntries: "--snapshot-every-entries",
  };
  for (const [k, flag] of Object.entries(flags)) {
    if (tuning[k as keyof ServeTuning] !== undefined) throw new LockConfigError(`${flag}: Redlock has no election, heartbeat or snapshots to tune (its timing is protocol options tickMs, ttlTicks, retryDelayMs, resendMs)`);
  }
  const given = init.options as unknown as LockOptions;
  const resolved = resolveLockOptions(given);
  const layout = [...resolved.stores, resolved.counter, resolved.storage, ...resolved.clients];
  checkServedLayout(id, peers, layout, "stores, counter, storage, clients");
  const node = createLockNode(id, given, rng);
  node.step({ type: "restart", nowMs: performance.now(), durable });
  return node;
}

/** `synod serve lock`: the descriptor's served node. */
export function lockServed<T extends KitTypes & { node: LockNode }>(): ServedNode<T> {
  return {
    createNode: (init) => createServedLockNode(init) as T["node"],
    checkMessage: (m) => checkMessage(m),
    isStorageError: (err) => err instanceof Error && STORAGE_ERRORS.has(err.name),
    isConfigError: (err) => err instanceof LockConfigError,
    knobs: {},
  };
}

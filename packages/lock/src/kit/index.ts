/**
 * Redlock's protocol descriptor: how conformance, `verify` and `replay` run it (see
 * `@synod/conformance`'s kit). Found by the registry through package.json's `synod.kit`; the
 * protocol core never imports it.
 *
 * - Spec → implementation: `MCRedlock.tla` with fencing (stores n1-n3, clients n6 and n7),
 *   replayed action by action through {@link lockAdapter}, one tick of the cluster's clock per
 *   `Tick`.
 * - Implementation → spec: the production nodes under the simulator with partitions, pauses,
 *   loss and duplication; time reaches the spec through the validator's clock (`Tick` per tick of
 *   10 ms), and a lock client takes a `work` request now and then.
 * - Histories: clients have lock clients take the lock and write under it, under pauses, clock
 *   drift, crashes, partitions, loss and duplication; after healing, the storage's log is read and
 *   the mutual-exclusion judge holds it to token order. A targeted schedule checks progress: one
 *   client's works back to back must not wait out the lease ({@link backToBackWorks}).
 *
 * @module
 */
import type { KitTypes, ProtocolKit, TargetedSchedule } from "@synod/conformance";
import { createLockNode, type LockNode } from "../index.js";
import type { RedlockClient } from "../client.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import type { LockOptions } from "../options.js";
import { lockAdapter, type Harness, type LockVariant } from "./adapter.js";
import { backToBack } from "./back-to-back.js";
import { bench } from "./bench.js";
import { lockServed } from "./serve.js";
import { lockHistories, pauseAtWork } from "./lock-histories.js";
import { zkKit } from "./zk-kit.js";
import { CLIENTS, COUNTER, LAYOUT, loadRedlock, NODES, nodeView, SPEC_DIR, specState, STORAGE, STORES, type LockSpec } from "./spec-model.js";

export { lockAdapter, REPLAY_TICK_MS, type Harness, type LockVariant } from "./adapter.js";
export { backToBack, type BackToBack } from "./back-to-back.js";
export { bench, BENCH_LATENCY_MS, lockCost, type LockCost, type LockKind } from "./bench.js";
export { lockHistories, lockService, pauseAtWork, type LockHistoryTypes, type PauseAtWork } from "./lock-histories.js";
export { loadZkLock, ZK_COVERAGE_DISTINCT, zkAdapter, type ZkHarness } from "./zk-replay.js";
export { createServedZkNode, zkServed } from "./zk-serve.js";
export { createServedLockNode, lockServed } from "./serve.js";
export { loadZkLockFor, ZK_COVERAGE, ZK_VALIDATE_NODES, zkKit, zkNodeView, type ZkKitTypes } from "./zk-kit.js";
export { clientView, serverView, storageView, zkSpecState, type ZkClientView, type ZkServerView, type ZkStorageView, type ZkView } from "./zk-abstraction.js";
export { CRASH_LEADER_AT_MS, crashLeader, pauseHolder, ZK_LAYOUTS, ZK_NODES, ZK_RAFT_OPTIONS, ZK_SESSION_TTL_MS, zkHistories, zkOptions, type ZkHost, type ZkTypes, type ZkVariant } from "./zk-histories.js";
export * from "./spec-model.js";

/** The types the lock descriptor is written over. */
export interface LockTypes extends KitTypes {
  msg: LockMessage;
  cmd: LockCommand;
  res: LockResult;
  node: LockNode;
  traced: LockNode;
  impl: Harness;
  spec: LockSpec;
  variant: LockVariant;
}

/** The clock of the simulated clusters (validation and histories). */
export const SIM_TICK_MS = 10;
/** Their lease, in ticks. */
export const SIM_TTL_TICKS = 5;

/** TLC's distinct states of the coverage models (`MCRedlockFenced.cfg`, `MCRedlockFull.cfg`). */
export const COVERAGE_DISTINCT = { ci: 27708, full: 1581894 };

/** The options of a simulated node. */
export function simOptions(variant: LockVariant | undefined): LockOptions {
  return {
    ...LAYOUT,
    tickMs: SIM_TICK_MS,
    ttlTicks: SIM_TTL_TICKS,
    workMs: 3,
    resendMs: 15,
    uncheckedToken: variant?.uncheckedToken ?? false,
    noRelease: variant?.noRelease ?? false,
    noRetryDelay: variant?.noRetryDelay ?? false,
  };
}

/**
 * The progress check: lock client n6's works back to back for a second, alone. With keys deleted
 * on release each takes a few round trips; a client that lets its keys expire waits out the
 * 50 ms lease before each next one.
 */
export const backToBackWorks: TargetedSchedule<LockTypes> = backToBack({ client: CLIENTS[0] as string, startMs: 100, windowMs: 1000, minWorks: 24, leaseMs: SIM_TICK_MS * SIM_TTL_TICKS });

/**
 * Kleppmann's pause: a lock client that has just checked its lease (armed its `send` timer) is
 * paused for three leases, long enough for the other client to take the lock and write; then it
 * resumes and writes.
 */
export const pauseAfterLeaseCheck: TargetedSchedule<LockTypes> = pauseAtWork({
  description: "pause a lock client right after its lease check, for three leases, then resume it",
  clients: CLIENTS,
  startsWork: (timers) => timers.some((t) => t.name === "send" && t.afterMs !== null),
  pauseMs: 3 * SIM_TICK_MS * SIM_TTL_TICKS,
  times: 3,
});

/** Redlock with fencing tokens, described once. */
export const kit: ProtocolKit<LockTypes> = {
  name: "lock",
  title: "Redlock with fencing",
  summary: "Redlock over independent stores, a fencing-token counter and a storage that rejects stale tokens; a mutual-exclusion judge",
  spec: {
    dir: SPEC_DIR,
    load: (purpose, size) => {
      if (purpose === "validate") return loadRedlock({ ttl: SIM_TTL_TICKS, unbounded: true });
      return size === "ci" ? loadRedlock({ ttl: 1, maxTime: 1, maxTokens: 2, maxWrites: 2, maxAttempts: 2 }) : loadRedlock({ ttl: 2, maxTime: 2, maxTokens: 2, maxWrites: 2, maxAttempts: 3 });
    },
  },
  replay: {
    adapter: (spec, variant) => lockAdapter(spec, variant ?? {}),
    walks: { ci: 60, full: 400 },
    depth: 30,
    coverageDistinct: COVERAGE_DISTINCT,
  },
  validate: {
    node: ({ id, rng, variant }) => createLockNode(id, simOptions(variant), rng),
    abstraction: (spec) => ({
      node: (n) => nodeView(n),
      state: (views, inflight, nowMs) => specState(spec, views, nowMs, SIM_TICK_MS, inflight),
    }),
    network: "bag",
    driven: [],
    clock: { action: "Tick", tickMs: SIM_TICK_MS },
    request: (_spec, rng, node) => {
      if (!CLIENTS.includes(node.id) || (node as RedlockClient).phase !== "idle" || rng.nextFloat() >= 0.5) return null;
      return { op: "work", value: `v${rng.nextInt(0, 999)}` };
    },
    faults: ["partition", "pause"],
    seeds: { ci: 12, full: 100 },
    durationMs: 1500,
  },
  histories: lockHistories<LockTypes>(({ id, rng, variant }) => createLockNode(id, simOptions(variant), rng), NODES.length, { pauseAfterLeaseCheck, backToBackWorks }),
  brokenVariants: [
    {
      name: "uncheckedToken",
      description: "the storage accepts writes without checking their fencing tokens (a lock user that does not check its token: Redlock without fencing)",
      variant: { uncheckedToken: true },
      caughtBy: ["replay", "histories"],
      targeted: "pauseAfterLeaseCheck",
    },
    {
      name: "noRelease",
      description: "clients never delete their keys, on release or after a failed attempt: every next holder waits out the previous lease (Redlock without its unlock)",
      variant: { noRelease: true },
      caughtBy: ["replay", "histories"],
      targeted: "backToBackWorks",
    },
    {
      name: "noRetryDelay",
      description: "a failed attempt is retried at once, without Redlock's random delay (clients that split the stores split them again)",
      variant: { noRetryDelay: true },
      caughtBy: ["replay", "validate"],
    },
  ],
  bench,
  serve: lockServed<LockTypes>(),
  status: (n) => {
    // A lock client's role carries its phase: `client (holding)` is the holder, seen from outside.
    const phase = (n as RedlockClient).phase;
    const role = STORES.includes(n.id) ? "store" : n.id === COUNTER ? "counter" : n.id === STORAGE ? "storage" : phase === "idle" ? "client" : `client (${phase})`;
    return { role, leader: false, epoch: n.id === COUNTER ? (n as { issuedCount: number }).issuedCount : 0, epochName: "token", leaderId: null, commitIndex: 0, appliedIndex: 0, members: NODES };
  },
};

/** Both lock protocols on `specs/lock`, for the registry: Redlock with fencing, and the ZooKeeper recipe. */
export const kits = [kit, zkKit] as const;

/**
 * The ZooKeeper lock recipe's protocol descriptor, beside Redlock's in this package and on the same
 * spec folder (`specs/lock`): `verify` runs every descriptor that claims it.
 *
 * - Spec → implementation: `MCZkLock.tla` with fencing, replayed on the recipe's nodes through
 *   {@link zkAdapter} with the tree replicated by 3 Raft replicas (each of the tree's atomic
 *   operations is a delivery to the leader, its replication, and the answer).
 * - Implementation → spec: the production nodes of the one-server layout under the simulator with
 *   pauses, partitions, clock drift, loss and duplication; the server names `OpenSession`,
 *   `Create`, `List`, `Release` and `SessionExpire` (time-driven: its expiry timer) as it applies
 *   them, the clients `WatchFires`, `SendWrite` and `SessionLost`, the storage `StorageWrite`.
 *   Crashes are left out: the spec has no crash of a client (a restarted client forgets an attempt
 *   whose node lives on until its session expires).
 * - Histories: the recipe over a 3-replica Raft tree (leader crashes, partitions, client pauses,
 *   session expiry, loss, duplication, clock drift), judged by the mutual-exclusion judge.
 *
 * @module
 */
import { loadSpec, specDirNear, type KitTypes, type LoadedSpec, type ProtocolKit } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { CoordReplica } from "../coord-replica.js";
import { CoordServer } from "../coord-server.js";
import { createZkNode, type ZkNode } from "../index.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import { FencedStorage } from "../storage.js";
import { ZkLockClient } from "../zk-client.js";
import { clientView, serverView, storageView, zkSpecState, type ZkClientView, type ZkServerView, type ZkStorageView, type ZkView } from "./zk-abstraction.js";
import { ZK_LAYOUTS, ZK_NODES, zkHistories, zkOptions, type ZkVariant } from "./zk-histories.js";
import { ZK_COVERAGE_DISTINCT, ZK_REPLAY_CLIENTS, zkAdapter, type ZkHarness } from "./zk-replay.js";
import { zkServed } from "./zk-serve.js";

/** The types the recipe's descriptor is written over. */
export interface ZkKitTypes extends KitTypes {
  msg: LockMessage;
  cmd: LockCommand;
  res: LockResult;
  node: ZkNode;
  traced: ZkNode;
  impl: ZkHarness;
  spec: LoadedSpec;
  variant: ZkVariant;
}

/** TLC's distinct states of the recipe's coverage models (`MCZkLockFenced.cfg`, `MCZkLockFull.cfg`). */
export const ZK_COVERAGE = { ci: ZK_COVERAGE_DISTINCT, full: 171100 };

const SINGLE = ZK_LAYOUTS.single;
/** The trace-validation cluster: the one-server layout's nodes, its clients the spec's `Client`. */
export const ZK_VALIDATE_NODES: readonly NodeId[] = [SINGLE.coord, SINGLE.storage, ...SINGLE.clients];
const LOCK_PATH = "/lock/";

/** Load `ZkLock.tla` with fencing: bounded like `MCZkLockFenced.cfg` / `MCZkLockFull.cfg`, or unbounded for trace validation. */
export function loadZkLockFor(purpose: "bounded" | "validate", size: "ci" | "full" = "ci"): Promise<LoadedSpec> {
  const dir = specDirNear(import.meta.url, "specs/lock");
  if (purpose === "validate") {
    const cfg = `CONSTANTS Client = {${SINGLE.clients.join(", ")}} Fencing = TRUE\nINIT Init\nNEXT Next\n`;
    return loadSpec({ dir, module: "ZkLock.tla", cfg, servers: ZK_VALIDATE_NODES });
  }
  const [maxSeq, maxWrites] = size === "ci" ? [3, 2] : [5, 3];
  const cfg = `CONSTANTS Client = {${ZK_REPLAY_CLIENTS.join(", ")}} Fencing = TRUE MaxSeq = ${maxSeq} MaxWrites = ${maxWrites}\nINIT Init\nNEXT Next\nCONSTRAINT Bounds\n`;
  return loadSpec({ dir, module: "MCZkLock.tla", cfg, servers: ["z1", "z2", ...ZK_REPLAY_CLIENTS] });
}

/** A node's part of the spec state in trace validation. */
export function zkNodeView(n: ZkNode): ZkView {
  if (n instanceof CoordServer) return serverView(n, LOCK_PATH);
  if (n instanceof FencedStorage) return storageView(n);
  if (n instanceof ZkLockClient) return clientView(n);
  throw new Error(`zklock validation: node ${n.id} is a Raft replica; trace validation runs the one-server layout`);
}

/** The ZooKeeper lock recipe, described once. */
export const zkKit: ProtocolKit<ZkKitTypes> = {
  name: "zklock",
  title: "ZooKeeper lock recipe",
  summary: "the ZooKeeper lock recipe (ephemeral sequential nodes, watch the predecessor) over a Raft-replicated coordination tree with sessions; the sequence number is the fencing token",
  spec: {
    dir: "specs/lock",
    load: (purpose, size) => (purpose === "validate" ? loadZkLockFor("validate") : loadZkLockFor("bounded", size)),
  },
  replay: {
    adapter: (spec, variant) => zkAdapter(spec, variant ?? {}, "raft"),
    walks: { ci: 60, full: 400 },
    depth: 40,
    coverageDistinct: ZK_COVERAGE,
  },
  validate: {
    node: ({ id, variant }) => createZkNode(id, zkOptions(variant, "single")),
    abstraction: (spec) => ({
      node: (n) => zkNodeView(n),
      state: (views) => {
        const server = views.get(SINGLE.coord) as ZkServerView | undefined;
        const storage = views.get(SINGLE.storage) as ZkStorageView | undefined;
        if (server === undefined || storage === undefined) throw new Error("zklock validation: no view of the server or the storage");
        return zkSpecState(spec, server, storage, new Map(SINGLE.clients.map((c) => [c, views.get(c) as ZkClientView])));
      },
    }),
    network: "bag",
    driven: [],
    request: (_spec, rng, node) => {
      if (!(node instanceof ZkLockClient) || node.phase !== "idle" || rng.nextFloat() >= 0.5) return null;
      return { op: "work", value: `v${rng.nextInt(0, 999)}` };
    },
    faults: ["partition", "pause", "clock", "loss", "duplicate"],
    seeds: { ci: 12, full: 100 },
    durationMs: 1500,
  },
  histories: zkHistories,
  brokenVariants: [
    {
      name: "uncheckedToken",
      description: "the storage accepts writes without checking their fencing tokens (a lock user that does not check its token): a holder paused past its session writes after the next holder",
      variant: { uncheckedToken: true },
      caughtBy: ["replay", "histories"],
      targeted: "pauseHolder",
    },
    {
      name: "trustWatch",
      description: "a waiter whose watch fires takes the lock without listing again: when its predecessor went with an expired session, a node below still holds",
      variant: { trustWatch: true },
      caughtBy: ["replay", "validate"],
    },
  ],
  status: (n) => {
    // A lock client's role carries its phase, so an operator (or a test pausing the holder) sees
    // which client holds: `client (working)` holds the lock and has not yet written.
    const role = n instanceof CoordReplica ? "replica" : n instanceof CoordServer ? "server" : n instanceof FencedStorage ? "storage" : n.phase === "idle" ? "client" : `client (${n.phase})`;
    const leader = n instanceof CoordReplica && n.raft.role === "leader";
    const tree = n instanceof CoordReplica ? n.tree : n instanceof CoordServer ? n.service.machine : null;
    // A replica reports its Raft log's positions and leader, so an operator sees the tree's log move.
    const r = n instanceof CoordReplica ? n.raft.inspect() : null;
    return { role, leader, epoch: tree?.lastSeq ?? 0, epochName: "sequence", leaderId: r?.leaderId ?? null, commitIndex: r?.commitIndex ?? 0, appliedIndex: r?.lastApplied ?? 0, members: ZK_NODES };
  },
  serve: zkServed<ZkKitTypes>(),
};

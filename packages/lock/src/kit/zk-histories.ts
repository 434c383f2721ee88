/**
 * Histories of the ZooKeeper lock recipe under the simulator's faults, judged by the
 * mutual-exclusion judge.
 *
 * The cluster: the coordination tree replicated by Raft on n1-n3 (a leader's crash, a partition
 * and a paused replica are survived), the storage n4, the recipe clients n5-n7. The single-server
 * layout (server n1, storage n2, clients n3-n5) is kept for the bench's comparison. The same
 * service as Redlock's (`work`, then a final `log` read), so the same judge.
 *
 * @module
 */
import type { HistoriesPart, KitTypes, TargetedSchedule } from "@synod/conformance";
import { CoordReplica, createZkNode, type ZkNode } from "../index.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import type { ZkOptions } from "../zk-options.js";
import { lockHistories, pauseAtWork } from "./lock-histories.js";

/** Where the recipe's tree lives: replicated by Raft, or on one server. */
export type ZkHost = "raft" | "single";

/** The recipe clusters' layouts. */
export const ZK_LAYOUTS = {
  raft: { coord: ["n1", "n2", "n3"], storage: "n4", clients: ["n5", "n6", "n7"] },
  single: { coord: "n1", storage: "n2", clients: ["n3", "n4", "n5"] },
} as const satisfies Record<ZkHost, Pick<ZkOptions, "coord" | "storage" | "clients">>;
/** The Raft-hosted cluster's nodes. */
export const ZK_NODES = ["n1", "n2", "n3", "n4", "n5", "n6", "n7"];
const CLIENTS: readonly string[] = ZK_LAYOUTS.raft.clients;
/** The sessions' ttl. */
export const ZK_SESSION_TTL_MS = 60;
/**
 * Raft's options for the tree's replicas: elections well within a few session ttls (a new leader
 * does not count the election against the sessions, see `CoordReplica`), and a snapshot of the
 * tree every 200 entries, so that the log stays bounded and a replica that crashed or was cut off
 * catches up from a snapshot of the tree (InstallSnapshot) in the histories.
 */
export const ZK_RAFT_OPTIONS = { electionTimeoutMsMin: 50, electionTimeoutMsMax: 100, heartbeatMs: 10, snapshotEveryEntries: 200, snapshotRetainEntries: 50 } as const;

/** What a broken recipe build changes. */
export interface ZkVariant {
  /** The storage accepts writes without checking their tokens. */
  uncheckedToken?: boolean;
  /** A waiter whose watch fires takes the lock without listing again. */
  trustWatch?: boolean;
}

/** The types the recipe's histories are written over. */
export interface ZkTypes extends KitTypes {
  msg: LockMessage;
  cmd: LockCommand;
  res: LockResult;
  node: ZkNode;
  traced: ZkNode;
  impl: never;
  variant: ZkVariant;
}

/** The options of a recipe node of the `host` layout. */
export function zkOptions(variant: ZkVariant | undefined, host: ZkHost = "raft"): ZkOptions {
  const layout = ZK_LAYOUTS[host];
  return {
    coord: typeof layout.coord === "string" ? layout.coord : [...layout.coord],
    storage: layout.storage,
    clients: [...layout.clients],
    ...(host === "raft" ? { raft: { ...ZK_RAFT_OPTIONS } } : {}),
    sessionTtlMs: ZK_SESSION_TTL_MS,
    heartbeatMs: 15,
    expireEveryMs: 10,
    workMs: 3,
    resendMs: 15,
    uncheckedToken: variant?.uncheckedToken ?? false,
    trustWatch: variant?.trustWatch ?? false,
  };
}

/**
 * The first holder is paused right as its protected work starts (armed its `work` timer), for
 * three session ttls: its session expires, the next client holds and writes, then the paused one
 * resumes and writes with its stale token. (Pausing every holder in turn would let the first
 * resume before any later holder wrote, when its write is still in token order.)
 */
export const pauseHolder: TargetedSchedule<ZkTypes> = pauseAtWork({
  description: "pause a recipe client right as it starts its protected work, for three session ttls, then resume it",
  clients: CLIENTS,
  startsWork: (timers) => timers.some((t) => t.name === "work" && t.afterMs !== null),
  pauseMs: 3 * ZK_SESSION_TTL_MS,
  times: 1,
});

/** When {@link crashLeader} crashes the tree's leader, and for how long. */
export const CRASH_LEADER_AT_MS = [300, 700, 1100];
const CRASH_LEADER_DOWN_MS = 150;

/**
 * The tree's Raft leader crashes three times while clients hold and wait for the lock, each time
 * for longer than the election timeout: a new leader takes over the sessions, the log and the
 * sequence counter, and the lock goes on in token order.
 */
export const crashLeader: TargetedSchedule<ZkTypes> = {
  description: "crash the coordination tree's Raft leader three times while clients hold and wait, restarting it after 150 ms",
  arm(sim) {
    for (const at of CRASH_LEADER_AT_MS) {
      sim.at(at, () => {
        const leader = ZK_LAYOUTS.raft.coord.find((id) => {
          const n = sim.node(id);
          return n instanceof CoordReplica && n.raft.role === "leader";
        });
        if (leader === undefined) return;
        sim.applyFault({ type: "crash", node: leader });
        sim.after(CRASH_LEADER_DOWN_MS, () => sim.applyFault({ type: "restart", node: leader }));
      });
    }
    return { onStep: () => undefined };
  },
};

/** The recipe's histories part. */
export const zkHistories: HistoriesPart<ZkTypes> = lockHistories<ZkTypes>(({ id, rng, durable, variant }) => createZkNode(id, zkOptions(variant), rng, durable), ZK_NODES.length, { pauseHolder, crashLeader });

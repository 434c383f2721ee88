/**
 * Histories of the ZooKeeper lock recipe under the simulator's faults, judged by the
 * mutual-exclusion judge: the histories part of a descriptor, without a spec (the recipe has no
 * TLA+ model yet, so it is not registered as a protocol; tests run it through conformance's
 * history check directly).
 *
 * The cluster: the coordination server n1, the storage n2, the recipe clients n3-n5. The same
 * service as Redlock's (`work`, then a final `log` read), so the same judge.
 *
 * @module
 */
import { mutualExclusion, type HistoriesPart, type KitTypes, type ProtocolKit, type TargetedSchedule } from "@synod/conformance";
import type { Json } from "@synod/protocol";
import { createZkNode, type ZkNode } from "../index.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import type { ZkOptions } from "../zk-options.js";

/** The recipe cluster's layout. */
export const ZK_NODES = ["n1", "n2", "n3", "n4", "n5"];
const CLIENTS = ["n3", "n4", "n5"];
/** Its sessions' ttl. */
export const ZK_SESSION_TTL_MS = 60;

/** What a broken recipe build changes. */
export interface ZkVariant {
  /** The storage accepts writes without checking their tokens. */
  uncheckedToken?: boolean;
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

/** The options of a recipe node. */
export function zkOptions(variant: ZkVariant | undefined): ZkOptions {
  return { coord: "n1", storage: "n2", clients: CLIENTS, sessionTtlMs: ZK_SESSION_TTL_MS, heartbeatMs: 15, expireEveryMs: 10, workMs: 3, resendMs: 15, uncheckedToken: variant?.uncheckedToken ?? false };
}

/** A holder paused right as its protected work starts, for three session ttls: its session expires, the next client holds. */
export const pauseHolder: TargetedSchedule<ZkTypes> = {
  description: "pause a recipe client right as it starts its protected work, for three session ttls, then resume it",
  arm(sim) {
    let fired = 0;
    return {
      onStep(step) {
        if (fired >= 3 || !CLIENTS.includes(step.node) || step.ready === null || !step.ready.timers.some((t) => t.name === "work" && t.afterMs !== null)) return;
        fired++;
        sim.after(0.5, () => sim.applyFault({ type: "pause", node: step.node }));
        sim.after(3 * ZK_SESSION_TTL_MS, () => sim.applyFault({ type: "resume", node: step.node }));
      },
    };
  },
};

/** The recipe's histories part. */
export const zkHistories: HistoriesPart<ZkTypes> = {
  node: ({ id, variant }) => createZkNode(id, zkOptions(variant)),
  service: {
    name: "lock",
    nextCommand: (_shape, _rng, clientId, opIndex) => ({ op: "work", value: `${clientId}-${opIndex}` }),
    finalCommands: () => [{ op: "log" }],
    invoke: (cmd) => (cmd.op === "work" ? { f: "work", value: cmd.value } : { f: "log", value: null }),
    complete: (_cmd, res) => res as unknown as Json,
  },
  judge: mutualExclusion(),
  faults: ["pause", "clock", "crash", "partition", "loss", "duplicate"],
  runs: { ci: 30, full: 300 },
  durationMs: 1500,
  nodes: ZK_NODES.length,
  optionSets: [{}],
  targeted: { pauseHolder },
};

/**
 * A descriptor holding only the recipe's histories and its broken variant, for conformance's
 * history check (`checkHistories`, `runHistory`). Its spec, replay and validation parts are not
 * there: it is not a registered protocol.
 */
export const zkHistoryKit = {
  name: "zklock",
  title: "ZooKeeper lock recipe",
  summary: "the ZooKeeper lock recipe over a coordination server, with fencing tokens (histories only)",
  histories: zkHistories,
  brokenVariants: [{ name: "uncheckedToken", description: "the storage accepts writes without checking their tokens", variant: { uncheckedToken: true }, caughtBy: ["histories"], targeted: "pauseHolder" }],
} as const satisfies Partial<ProtocolKit<ZkTypes>>;

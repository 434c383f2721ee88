/**
 * What the histories of every lock cluster share, Redlock's and the ZooKeeper recipe's: the
 * service (`work` requests, then a final read of the storage's `log`), the mutual-exclusion judge,
 * the faults, the sizes, and the targeted pause of a client right as it starts its protected work.
 *
 * @module
 */
import { mutualExclusion, type HistoriesPart, type KitTypes, type Service, type TargetedSchedule } from "@synod/conformance";
import type { Json, NodeId, TimerRequest } from "@synod/protocol";
import type { LockCommand, LockResult } from "../messages.js";

/** The service a lock cluster offers: take the lock and write under it; read the storage's log at the end. */
export const lockService: Service<LockCommand, LockResult> = {
  name: "lock",
  nextCommand: (_shape, _rng, clientId, opIndex) => ({ op: "work", value: `${clientId}-${opIndex}` }),
  finalCommands: () => [{ op: "log" }],
  invoke: (cmd) => (cmd.op === "work" ? { f: "work", value: cmd.value } : { f: "log", value: null }),
  complete: (_cmd, res) => res as unknown as Json,
};

/** The types a lock cluster's histories are written over. */
export interface LockHistoryTypes extends KitTypes {
  cmd: LockCommand;
  res: LockResult;
}

/** The histories part of a lock cluster of `nodes` nodes: the same service, judge, faults and sizes for every lock. */
export function lockHistories<T extends LockHistoryTypes>(node: HistoriesPart<T>["node"], nodes: number, targeted: Record<string, TargetedSchedule<T>>): HistoriesPart<T> {
  return {
    node,
    service: lockService,
    judge: mutualExclusion(),
    faults: ["pause", "clock", "crash", "partition", "loss", "duplicate"],
    runs: { ci: 30, full: 300 },
    durationMs: 1500,
    nodes,
    optionSets: [{}],
    targeted,
  };
}

/** How {@link pauseAtWork} aims. */
export interface PauseAtWork {
  /** What it does, in words. */
  description: string;
  /** The lock clients. */
  clients: readonly NodeId[];
  /** Whether a client's step armed these timers as it starts its protected work. */
  startsWork(timers: readonly TimerRequest[]): boolean;
  /** How long the client stays paused. */
  pauseMs: number;
  /** How many clients are paused in turn, at most. */
  times: number;
}

/**
 * Kleppmann's pause: a lock client is paused right as it starts its protected work (just after
 * the step that decided it holds), and resumed `pauseMs` later, when its lease or session is over
 * and another client holds; then it writes.
 */
export function pauseAtWork<T extends KitTypes>(aim: PauseAtWork): TargetedSchedule<T> {
  return {
    description: aim.description,
    arm(sim) {
      let fired = 0;
      return {
        onStep(step) {
          if (fired >= aim.times || !aim.clients.includes(step.node) || step.ready === null || !aim.startsWork(step.ready.timers)) return;
          fired++;
          sim.after(0.5, () => sim.applyFault({ type: "pause", node: step.node }));
          sim.after(aim.pauseMs, () => sim.applyFault({ type: "resume", node: step.node }));
        },
      };
    },
  };
}

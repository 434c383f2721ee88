/**
 * A tiny built-in client driver: a closed loop of clients, each invoking one command at a time,
 * retrying against the leader hint, and aiming its next command at the node that last answered.
 *
 * @module
 */
import type { NodeId, Rng } from "@synod/protocol";
import type { ClientOutcome } from "./history.js";
import { type LatencyDistribution, sampleLatencyUs } from "./latency.js";
import type { RetryPolicy } from "./options.js";
import { checkProbability } from "./faults.js";
import { SeededRng } from "@synod/protocol";
import type { Simulation } from "./simulation.js";

/** What {@link WorkloadOptions.nextCommand} is told. */
export interface CommandContext {
  /** The client asking. */
  clientId: string;
  /** 0 for the client's first command, then 1, 2, ... */
  opIndex: number;
  /** The client's own random stream (derived from the simulation seed and the client id). */
  rng: Rng;
  /** Current virtual time. */
  nowMs: number;
}

/** Options of {@link startWorkload}. */
export interface WorkloadOptions<Cmd> {
  /** Client ids; each runs one operation at a time. */
  clients: readonly string[];
  /** The next command for a client, or `null` when that client is done. */
  nextCommand(context: CommandContext): Cmd | null;
  /** When clients start. Default 0. */
  startMs?: number;
  /** No new operation is invoked at or after this time. Default: never stop. */
  stopMs?: number;
  /** Pause between an operation's completion and the next invocation. Default 0. */
  thinkMs?: LatencyDistribution;
  /** Per-operation deadline (then `info`). Default: the simulation's `clients.timeoutMs`. */
  timeoutMs?: number;
  /** Retry policy. Default: 100 ms attempts, 10 ms back-off, follow leader hints. */
  retry?: RetryPolicy;
  /**
   * Probability that a command goes to a uniformly random node rather than the one that answered
   * last — real clients with stale leader caches, the way to catch a deposed leader still serving
   * reads. Default 0.
   */
  randomTargetProbability?: number;
}

/** Live counters of a running workload. */
export interface WorkloadProgress {
  /** Operations invoked. */
  invoked: number;
  /** Operations that completed `ok`. */
  ok: number;
  /** Operations that definitely failed. */
  fail: number;
  /** Operations whose outcome is unknown. */
  info: number;
}

/**
 * Start a closed-loop workload on `sim`: returns counters that fill in as the simulation runs.
 * @example
 * ```ts
 * const progress = startWorkload(sim, {
 *   clients: ["c1", "c2"],
 *   nextCommand: ({ rng }) => ({ op: "put", key: "k", value: String(rng.nextInt(0, 9)) }),
 *   stopMs: 2000,
 * });
 * sim.run();
 * ```
 */
export function startWorkload<Msg, Cmd, Res>(sim: Simulation<Msg, Cmd, Res>, options: WorkloadOptions<Cmd>): WorkloadProgress {
  const progress: WorkloadProgress = { invoked: 0, ok: 0, fail: 0, info: 0 };
  const retry = options.retry ?? { attemptTimeoutMs: 100, backoffMs: 10, followLeaderHint: true };
  const stopMs = options.stopMs ?? Infinity;
  const randomTarget = checkProbability(options.randomTargetProbability ?? 0, "workload.randomTargetProbability");
  for (const clientId of options.clients) {
    const rng = SeededRng.derive(sim.seed, `workload:${clientId}`);
    let opIndex = 0;
    let target: NodeId = rng.pick(sim.nodes);
    const next = (): void => {
      if (sim.nowMs >= stopMs) return;
      const command = options.nextCommand({ clientId, opIndex, rng, nowMs: sim.nowMs });
      if (command === null) return;
      opIndex++;
      progress.invoked++;
      const to = randomTarget > 0 && rng.chance(randomTarget) ? rng.pick(sim.nodes) : target;
      sim.invoke(clientId, command, to, {
        retry,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        onDone: (outcome: ClientOutcome<Res>) => {
          progress[outcome.type]++;
          // Aim at whoever answered last; after a refusal or an unknown outcome, try a random node.
          target = outcome.type === "ok" ? outcome.node : rng.pick(sim.nodes);
          const thinkUs = options.thinkMs === undefined ? 0 : sampleLatencyUs(options.thinkMs, rng);
          sim.after(thinkUs / 1000, next);
        },
      });
    };
    sim.at(options.startMs ?? 0, next);
  }
  return progress;
}

/**
 * Targeted schedules that bound how long a leader-based protocol takes to react, for any kit whose
 * `status(node).leader` says who leads. A history judge cannot see these bugs: a leader that can
 * no longer commit and keeps leading only times its clients out, and a timed-out operation is
 * linearizable. Mutation testing (`pnpm mutate`) found them as mutants that only the protocols'
 * unit tests killed: check-quorum that never fires or fires in a healthy cluster, refusals a
 * deposed leader never hears of.
 *
 * @module
 */
import type { Json, NodeId } from "@synod/protocol";
import type { KitTypes, TargetSim, TargetStep, TargetedSchedule } from "./kit.js";

/** Whether a node believes it leads, and in which epoch (term, ballot): the kit's `status`. */
export type LeaderView<T extends KitTypes> = (node: T["node"]) => { leader: boolean; epoch: number };

/**
 * Watches the start of a run (until `faultAtMs`), in which the leader always reaches a majority: a
 * node that leads must keep leading. The simulated network loses and duplicates 2% of messages,
 * so no correct leader misses the quorum it needs; a leader that steps down anyway costs an
 * election and the clients' requests meanwhile (check-quorum counting its peers wrongly, a
 * heartbeat timer taken for an election timer). `problem()` says what happened, or null.
 */
export function stableLeadership<T extends KitTypes>(sim: TargetSim<T>, view: LeaderView<T>, faultAtMs: number): { onStep(step: TargetStep<T>): void; problem(): string | null; everLed(): boolean } {
  const leading = new Set<NodeId>();
  let problem: string | null = null;
  let led = false;
  return {
    onStep(step) {
      if (step.atMs >= faultAtMs || problem !== null) return;
      const n = sim.node(step.node);
      if (n !== undefined && view(n).leader) {
        leading.add(step.node);
        led = true;
      }
      else if (leading.delete(step.node)) {
        const m = step.event.message as { type?: unknown } | undefined;
        problem = `${step.node} stopped leading at ${step.atMs.toFixed(1)} ms (after ${step.event.type}${typeof m?.type === "string" ? ` ${m.type}` : ""}), while it reached a majority: it must keep leading`;
      }
    },
    problem: () => problem,
    everLed: () => led,
  };
}

/**
 * A schedule with no faults and no clients, so that only the protocol's own timers drive it: a
 * node must come to lead, and no leader may step down until `untilMs` (default 2900 ms, before the
 * end-of-run restarts). Under a steady workload every write doubles as a heartbeat; idle, a leader
 * that stops sending heartbeats (a heartbeat timer taken for another, never re-armed) loses its
 * followers to an election, which this fails.
 */
export function idleLeadership<T extends KitTypes>(view: LeaderView<T>, untilMs = 2900): TargetedSchedule<T> {
  return {
    description: `no faults and no clients until ${untilMs} ms: a node must come to lead and keep leading`,
    workload: { clients: 0 },
    arm(sim) {
      const stable = stableLeadership(sim, view, untilMs);
      return { onStep: (step) => stable.onStep(step), finish: () => stable.problem() ?? (stable.everLed() ? null : `no node led in ${untilMs} ms without faults or clients`) };
    },
  };
}

/** The node that leads among `among` (the highest epoch, should two believe they lead), or null. */
export function currentLeader<T extends KitTypes>(sim: TargetSim<T>, view: LeaderView<T>, among: readonly NodeId[]): NodeId | null {
  let best: { id: NodeId; epoch: number } | null = null;
  for (const id of among) {
    const n = sim.node(id);
    if (n === undefined) continue;
    const s = view(n);
    if (s.leader && (best === null || s.epoch > best.epoch)) best = { id, epoch: s.epoch };
  }
  return best?.id ?? null;
}

/** What every schedule of this module is told: who leads, and when its cut starts and heals (defaults per schedule). */
export interface LeaderCut<T extends KitTypes> {
  /** Who leads (usually the kit's `status`). */
  view: LeaderView<T>;
  /** When the leader is cut off. */
  cutAtMs?: number;
  /** When the network heals. */
  healAtMs?: number;
}

/** Parameters of {@link checkQuorumStepDown} (cut at 1000 ms by default, a fault-free second first; heal at 2000 ms). */
export interface StepDownBound<T extends KitTypes> extends LeaderCut<T> {
  /** The options that turn check-quorum on, merged over the first option set. */
  options: Json;
  /** How long after the cut the leader may still lead: the protocol's documented bound. */
  withinMs: number;
  /** The bound in words, for the failure message (`two election timeouts of 150 ms`). */
  bound: string;
  /**
   * Cut a follower off before the leader (default true). Off for a protocol whose followers may
   * rightly depose a healthy leader when they rejoin (no pre-vote: a rejoining follower's higher
   * epoch wins); then only the fault-free start must keep its leader.
   */
  followerCut?: boolean;
}

/**
 * A schedule aimed at check-quorum, both ways. First (unless `followerCut` is false) a follower is
 * cut off from 500 ms before `cutAtMs` to 100 ms before it: the leader still reaches a majority
 * (itself and the other follower), so it must keep leading, as every leader must until `cutAtMs`
 * ({@link stableLeadership}). Then at `cutAtMs` the leader is cut off from every other node
 * (clients still reach it): it hears from no one, so it must stop leading within `withinMs`; the
 * run fails when it still leads then. The network heals at `healAtMs`. Needs three or more nodes.
 */
export function checkQuorumStepDown<T extends KitTypes>(p: StepDownBound<T>): TargetedSchedule<T> {
  const cutAtMs = p.cutAtMs ?? 1000;
  const healAtMs = p.healAtMs ?? 2000;
  const deadlineMs = cutAtMs + p.withinMs;
  if (cutAtMs < 600) throw new Error(`checkQuorumStepDown: cutAtMs ${cutAtMs} leaves no time for a leader and the follower cut before it (at least 600 ms)`);
  if (deadlineMs >= healAtMs) throw new Error(`checkQuorumStepDown: the bound (${p.withinMs} ms after ${cutAtMs} ms) must end before the heal at ${healAtMs} ms`);
  return {
    description: `with check-quorum on, ${p.followerCut === false ? "" : `cut a follower off from ${cutAtMs - 500} to ${cutAtMs - 100} ms, `}no leader may step down until ${cutAtMs} ms; then cut the leader off: it must stop leading within ${p.bound}`,
    options: p.options,
    arm(sim, nodes) {
      const stable = stableLeadership(sim, p.view, cutAtMs);
      let cut: NodeId | null = null;
      let missed: string | null = null;
      if (p.followerCut !== false) sim.at(cutAtMs - 500, () => {
        const leader = currentLeader(sim, p.view, nodes);
        const follower = nodes.find((id) => id !== leader);
        if (leader === null || follower === undefined) missed = `no node led at ${cutAtMs - 500} ms, after a fault-free start`;
        else sim.applyFault({ type: "partition", groups: [[follower]] });
      });
      if (p.followerCut !== false) sim.at(cutAtMs - 100, () => sim.applyFault({ type: "heal" }));
      sim.at(cutAtMs, () => {
        cut = currentLeader(sim, p.view, nodes);
        if (cut === null) missed ??= `no node led at ${cutAtMs} ms`;
        else sim.applyFault({ type: "partition", groups: [[cut]] });
      });
      sim.at(deadlineMs, () => {
        const n = cut === null ? undefined : sim.node(cut);
        if (n !== undefined && p.view(n).leader) missed = `${cut} still leads at ${deadlineMs} ms, ${p.withinMs} ms after it was cut off from every other node with check-quorum on (it must step down within ${p.bound})`;
      });
      sim.at(healAtMs, () => sim.applyFault({ type: "heal" }));
      return { onStep: (step) => stable.onStep(step), finish: () => stable.problem() ?? missed };
    },
  };
}

/** Parameters of {@link leaderStickiness} (the link cut at 500 ms by default, healed at 1500 ms). */
export interface StickinessBound<T extends KitTypes> extends LeaderCut<T> {
  /** Options the schedule needs, merged over the first option set (e.g. pre-vote on). */
  options?: Json;
  /** Until when no leader may step down (default 2000 ms). */
  untilMs?: number;
  /**
   * When this holds of a step of the cut-off follower (say, it has just asked for votes), every
   * node in the middle crashes and restarts at once, before the request reaches it (once per
   * run). A node that has just restarted may have followed the leader before its crash, so it
   * must not help the follower either (Raft's and Multi-Paxos's quiet period after a restart).
   */
  restartMiddleWhen?: (step: TargetStep<T>) => boolean;
}

/**
 * A schedule aimed at leader stickiness: from `cutAtMs` to `healAtMs` the leader and one follower
 * cannot reach each other (both ways), while both still reach every other node. The leader reaches
 * a majority throughout, so it must keep leading until `untilMs` ({@link stableLeadership}). The
 * cut-off follower keeps timing out; the nodes in the middle, which hear from a live leader, must
 * not help it to a higher epoch (a pre-vote they grant, a vote, a promise), since that epoch would
 * depose the healthy leader through them, and again after the heal. With `restartMiddleWhen`, the
 * nodes in the middle also restart just as the follower asks them. Needs three or more nodes.
 */
export function leaderStickiness<T extends KitTypes>(p: StickinessBound<T>): TargetedSchedule<T> {
  const cutAtMs = p.cutAtMs ?? 500;
  const healAtMs = p.healAtMs ?? 1500;
  const untilMs = p.untilMs ?? 2000;
  if (!(cutAtMs < healAtMs && healAtMs < untilMs)) throw new Error(`leaderStickiness: needs cutAtMs < healAtMs < untilMs, got ${cutAtMs}, ${healAtMs}, ${untilMs}`);
  return {
    description: `cut the link between the leader and one follower (both ways) from ${cutAtMs} to ${healAtMs} ms${p.restartMiddleWhen === undefined ? "" : ", and restart the other nodes as the follower first asks them"}: the leader still reaches a majority, so no leader may step down until ${untilMs} ms`,
    ...(p.options === undefined ? {} : { options: p.options }),
    arm(sim, nodes) {
      if (nodes.length < 3) throw new Error(`leaderStickiness needs three or more nodes, got ${nodes.length}`);
      const stable = stableLeadership(sim, p.view, untilMs);
      let missed: string | null = null;
      let ends: { leader: NodeId; follower: NodeId } | null = null;
      let restarted = false;
      sim.at(cutAtMs, () => {
        const leader = currentLeader(sim, p.view, nodes);
        const follower = nodes.find((id) => id !== leader);
        if (leader === null || follower === undefined) {
          missed = `no node led at ${cutAtMs} ms, after a fault-free start`;
          return;
        }
        ends = { leader, follower };
        sim.applyFault({ type: "cut", from: [leader], to: [follower] });
        sim.applyFault({ type: "cut", from: [follower], to: [leader] });
      });
      sim.at(healAtMs, () => {
        ends = null;
        sim.applyFault({ type: "heal" });
      });
      const restartMiddle = (cut: { leader: NodeId; follower: NodeId }): void => {
        restarted = true;
        const middle = nodes.filter((id) => id !== cut.leader && id !== cut.follower);
        // The simulated network takes at least 1 ms, so the follower's request is still on its way.
        sim.after(0.1, () => middle.forEach((id) => sim.applyFault({ type: "crash", node: id })));
        sim.after(0.2, () => middle.forEach((id) => sim.applyFault({ type: "restart", node: id })));
      };
      return {
        onStep: (step) => {
          stable.onStep(step);
          if (ends !== null && !restarted && p.restartMiddleWhen !== undefined && step.node === ends.follower && p.restartMiddleWhen(step)) restartMiddle(ends);
        },
        finish: () => stable.problem() ?? missed ?? (p.restartMiddleWhen !== undefined && !restarted ? `the cut-off follower never took the step that restarts the middle nodes` : null),
      };
    },
  };
}

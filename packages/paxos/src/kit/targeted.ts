/**
 * Schedules aimed at particular Multi-Paxos bugs, each on top of a history run
 * (`histories.targeted` of the descriptor). Each acts only through the simulation's faults and
 * picks its moments from node state, so it is deterministic and replay files reproduce it.
 *
 * - `staleLeaseRead`: lease reads served after the lease expired (safety, judged by lincheck).
 * - `stickyLeader` (conformance's `leaderStickiness`): pre-vote and leader stickiness keep a
 *   follower the leader cannot reach from deposing it through the other nodes.
 * - `checkQuorumStepDown` (conformance's generic schedule), `deposedLeaderNack`: a leader that
 *   cannot commit must stop leading in bounded time (check-quorum, refusals); these fail the run
 *   through `finish()`, since the linearizability judge accepts a leader that merely times its
 *   clients out.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { checkQuorumStepDown as genericStepDown, currentLeader, idleLeadership, leaderStickiness, stableLeadership, type LeaderView, type TargetedSchedule } from "@synod/conformance";
import { defaultMultiPaxosOptions } from "../node.js";
import type { MultiPaxosTypes } from "./types.js";

/**
 * At 1000 ms the leader is cut off from everyone (clients still reach it), and stays leader until
 * it hears of a higher ballot (the schedule's runs have no check-quorum). A correct leader stops
 * serving local reads once its lease runs out; the broken one keeps serving them from a state
 * that the new majority's leader has moved past. Heals at 1800 ms.
 */
export const staleLeaseRead: TargetedSchedule<MultiPaxosTypes> = {
  description: "isolate the leader at 1000 ms and heal at 1800 ms, while clients keep talking to it",
  arm(sim, nodes) {
    sim.at(1000, () => {
      const leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader");
      if (leader === undefined) return;
      sim.applyFault({ type: "partition", groups: [[leader]] });
    });
    sim.at(1800, () => sim.applyFault({ type: "heal" }));
    return { onStep: () => {} };
  },
};

/** When the leader-loss schedules cut the leader off: the cluster has run fault-free until then. */
const CUT_AT_MS = 1000;

/** Who leads, and in which ballot (as one number growing with the ballot order). */
const view: LeaderView<MultiPaxosTypes> = (n) => {
  const s = n.summary();
  const ids = [n.id, ...n.peerIds].sort();
  return { leader: s.role === "leader", epoch: s.promised.round * (ids.length + 1) + ids.indexOf(s.promised.node) + 1 };
};

/**
 * Check-quorum (on): no leader steps down while it reaches a majority, not even when a follower
 * that was cut off for 400 ms rejoins (pre-vote, on by default, keeps it from raising its ballot).
 * Then a leader cut off from every other node hears no Accepted, so it must step down
 * within two election timeouts (`electionTimeoutMsMin` each: the first check may still count peers
 * heard before the cut); the run fails when it still leads three election timeouts after the cut.
 */
export const checkQuorumStepDown: TargetedSchedule<MultiPaxosTypes> = genericStepDown({
  view,
  options: { checkQuorum: true },
  withinMs: 3 * defaultMultiPaxosOptions.electionTimeoutMsMin,
  bound: `two election timeouts of ${defaultMultiPaxosOptions.electionTimeoutMsMin} ms`,
  cutAtMs: CUT_AT_MS,
  // With the follower cut: pre-vote keeps a follower cut off for a while from raising its ballot
  // in vain, which would depose the healthy leader when it rejoins (a Nack of its heartbeat).
});

/**
 * The leader and one follower cannot reach each other from 500 to 1500 ms; both reach the third
 * node. The follower times out and asks for pre-votes: the third node, which hears the leader's
 * heartbeats, must say no, and must say no too right after a restart (the third node restarts as
 * the first PreVote flies). A yes lets the follower run Phase 1, which raises its own promise
 * above the leader's ballot: when the link heals, its refusal (a Nack) of the leader's next Accept
 * deposes a leader that reached a majority throughout.
 */
export const stickyLeader: TargetedSchedule<MultiPaxosTypes> = leaderStickiness({
  view,
  restartMiddleWhen: (step) => step.ready?.send.some((e) => e.message.type === "PreVote") === true,
});

/** No faults, no clients: a node must come to lead and keep leading on its heartbeats alone. */
export const idleLeader: TargetedSchedule<MultiPaxosTypes> = idleLeadership(view);

/**
 * A schedule aimed at refusals (Nack): check-quorum off, so a leader cut off at 1000 ms keeps
 * believing it leads while the other two elect a new leader. At 1800 ms the network heals except
 * the new leader's messages to the old one, so the old leader hears of the higher ballot only from
 * the refusals of its own Accepts (its heartbeats, every `heartbeatMs`). It must stop leading
 * within two heartbeats: a refused proposer that is not told (or ignores what it is told) keeps
 * taking requests it can never commit. The run also fails when the old leader stopped leading
 * before 1800 ms (without check-quorum only a higher ballot may depose it), when the majority has
 * no leader by then, or when a leader steps down in the fault-free second. Full heal at 2400 ms.
 */
export const deposedLeaderNack: TargetedSchedule<MultiPaxosTypes> = {
  description: "cut the leader off at 1000 ms without check-quorum; at 1800 ms heal all but the new leader's link to it: refusals of its Accepts must depose it within two heartbeats",
  options: { checkQuorum: false },
  arm(sim, nodes) {
    const stable = stableLeadership(sim, view, CUT_AT_MS);
    const healAtMs = 1800;
    const deadlineMs = healAtMs + 2 * defaultMultiPaxosOptions.heartbeatMs + 20;
    let old: NodeId | null = null;
    let missed: string | null = null;
    sim.at(CUT_AT_MS, () => {
      old = currentLeader(sim, view, nodes);
      if (old === null) missed = `no node led at ${CUT_AT_MS} ms, after a fault-free second`;
      else sim.applyFault({ type: "partition", groups: [[old]] });
    });
    sim.at(healAtMs, () => {
      if (old === null || missed !== null) return;
      const deposed = old;
      if (sim.node(deposed)?.summary().role !== "leader") {
        missed = `${deposed} stopped leading while cut off, with check-quorum off (only a higher ballot may depose it then)`;
        return;
      }
      const fresh = currentLeader(sim, view, nodes.filter((id) => id !== deposed));
      if (fresh === null) {
        missed = `the majority (${nodes.filter((id) => id !== deposed).join(", ")}) had no leader ${healAtMs - CUT_AT_MS} ms after its leader was cut off`;
        return;
      }
      sim.applyFault({ type: "heal" });
      sim.applyFault({ type: "cut", from: [fresh], to: [deposed] });
    });
    sim.at(deadlineMs, () => {
      if (old === null || missed !== null) return;
      if (sim.node(old)?.summary().role === "leader") missed = `${old} still leads at ${deadlineMs} ms, ${deadlineMs - healAtMs} ms after it could reach a majority that promised a higher ballot: the refusals of its Accepts must depose it`;
    });
    sim.at(2400, () => sim.applyFault({ type: "heal" }));
    return { onStep: (step) => stable.onStep(step), finish: () => stable.problem() ?? missed };
  },
};

/**
 * A schedule aimed at acknowledgements sent before the writes they depend on are durable: one
 * follower is isolated at 995 ms; the other follower is crashed right after it acknowledges
 * entries, the leader crashed, the network healed, the follower restarted and later the old
 * leader. The new majority (the isolated follower and the restarted one) may then lack entries a
 * majority acknowledged. Deterministic (it acts only through the simulation's faults), so replay
 * files reproduce it.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { TargetedSchedule } from "@synod/conformance";
import type { RaftTypes } from "./types.js";

/** See the module comment. */
export const ackBeforePersist: TargetedSchedule<RaftTypes> = {
  description: "crash a follower right after it acknowledges entries, then the leader, while the third node is isolated",
  arm(sim, nodes) {
    let armed = false;
    let fired = false;
    let leader: NodeId | null = null;
    sim.at(995, () => {
      leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader") ?? null;
      const isolated = nodes.find((id) => id !== leader);
      if (leader === null || isolated === undefined) return;
      sim.applyFault({ type: "partition", groups: [[isolated]] });
      armed = true;
    });
    return {
      onStep: (step) => {
      if (!armed || fired || step.atMs <= 1000 || leader === null) return;
      const m = step.event.message;
      if (step.event.type !== "message" || m?.type !== "AppendEntriesRequest" || m.entries.length === 0) return;
      const acked = step.ready?.send.some((e) => e.message.type === "AppendEntriesResponse" && e.message.success) ?? false;
      if (!acked) return;
      fired = true;
      const follower = step.node;
      const old = leader;
      sim.after(0.5, () => sim.applyFault({ type: "crash", node: follower }));
      sim.after(6, () => sim.applyFault({ type: "crash", node: old }));
      sim.after(8, () => sim.applyFault({ type: "heal" }));
      sim.after(10, () => sim.applyFault({ type: "restart", node: follower }));
      sim.after(1500, () => sim.applyFault({ type: "restart", node: old }));
      },
    };
  },
};

/**
 * A schedule aimed at reads a leader answers without confirming that it still leads: at 1000 ms
 * the leader is cut off from the other nodes (clients still reach it) and the network heals at
 * 1800 ms. Without check-quorum the isolated leader keeps believing it leads while the majority
 * elects another and writes; a correct leader confirms each read with a quorum (ReadIndex) and so
 * answers none, the broken one answers from its stale state.
 */
export const isolateLeader: TargetedSchedule<RaftTypes> = {
  description: "isolate the leader at 1000 ms and heal at 1800 ms, without check-quorum, while clients keep talking to it",
  options: { checkQuorum: false, preVote: false },
  arm(sim, nodes) {
    sim.at(1000, () => {
      const leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader");
      if (leader !== undefined) sim.applyFault({ type: "partition", groups: [[leader]] });
    });
    sim.at(1800, () => sim.applyFault({ type: "heal" }));
    return { onStep: () => {} };
  },
};

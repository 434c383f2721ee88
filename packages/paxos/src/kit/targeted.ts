/**
 * A schedule aimed at lease reads served after the lease expired: at 1000 ms the leader is cut
 * off from everyone (clients still reach it), and stays leader until it hears of a higher ballot
 * (the schedule's runs have no check-quorum). A correct leader stops serving local reads once its
 * lease runs out; the broken one keeps serving them from a state that the new majority's leader
 * has moved past. Deterministic (it acts
 * only through the simulation's faults), so replay files reproduce it.
 *
 * @module
 */
import type { TargetedSchedule } from "@synod/conformance";
import type { MultiPaxosTypes } from "./types.js";

/** See the module comment. */
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

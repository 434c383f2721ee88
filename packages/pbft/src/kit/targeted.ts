/**
 * Schedules aimed at particular PBFT bugs, each on top of a history run (`histories.targeted` of
 * the descriptor). Each acts only through the simulation's faults, so replay files reproduce it.
 *
 * @module
 */
import type { TargetedSchedule } from "@synod/conformance";
import type { PbftTypes } from "./types.js";

/** When the primary of view 0 is cut off, and when the network heals. */
const CUT_AT_MS = 800;
const HEAL_AT_MS = 1800;

/**
 * A view change with a forger in it. From 200 ms the replica two places after the primary of view
 * 0 (so a correct replica is the next primary) is Byzantine with behaviour `forge`: it never sends
 * an honest view change, only one in another replica's name and its own claiming a stable
 * checkpoint far above anything prepared, with a "proof" it forged (see `pbftByzantineHook`). At
 * 800 ms the primary is cut off, so the correct replicas change view without the forger's view
 * change (f = 1 of them may withhold it); the network heals at 1800 ms. A replica that takes a
 * view change without checking its signature and checkpoint proof starts the new view from a
 * state nobody can supply, and the final commands never complete. The run also fails when no
 * correct replica entered a later view: then it tested no view change.
 */
export const forgedViewChange: TargetedSchedule<PbftTypes> = {
  description: `a replica forges its view changes (a stable checkpoint without a proof, one in another's name) while the primary is cut off from ${CUT_AT_MS} to ${HEAL_AT_MS} ms`,
  arm(sim, nodes) {
    const sorted = [...nodes].sort();
    const forger = sorted[2 % sorted.length] as string;
    let primary: string | null = null;
    let changed = false;
    sim.at(200, () => sim.applyFault({ type: "byzantine", node: forger, behaviour: "forge" }));
    sim.at(CUT_AT_MS, () => {
      primary = sorted.map((id) => sim.node(id)?.summary()).find((s) => s !== undefined)?.primary ?? null;
      if (primary !== null) sim.applyFault({ type: "partition", groups: [[primary]] });
    });
    sim.at(HEAL_AT_MS, () => sim.applyFault({ type: "heal" }));
    return {
      onStep: (step) => {
        if (changed || step.node === forger || step.node === primary || step.atMs < CUT_AT_MS) return;
        const s = sim.node(step.node)?.summary();
        if (s !== undefined && s.view > 0 && s.active) changed = true;
      },
      finish: () => (primary === null ? `no replica was up at ${CUT_AT_MS} ms to name the primary` : changed ? null : `no correct replica entered a view after 0 while ${primary} was cut off: the schedule tested no view change`),
    };
  },
};

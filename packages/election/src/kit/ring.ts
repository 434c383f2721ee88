/**
 * The Chang–Roberts ring election's protocol descriptor (see `@synod/conformance`'s kit),
 * exported beside the lease election's and Bully's in this package's `kits`.
 *
 * The ring, like Bully, promises one leader — the highest-ranked node — only once faults stop.
 * Its checks hold `RingNode` to `RingElection.tla`, the ring as the node runs it (acknowledgements,
 * suspicion of silent successors, the leader's heartbeat, crashes; no synchrony):
 *
 * - Spec → implementation: random walks on three nodes, and every state of the two-node model
 *   with at most two messages in flight, through {@link ringAdapter}.
 * - Implementation → spec: production nodes under the simulator with crashes, partitions and
 *   pauses, every step a step of the model.
 * - Histories: `lead` queries while nodes crash; after every fault heals and every node restarts,
 *   every answer must name n3 (the settled-leader judge).
 *
 * The algorithm's promises on a crash-free ring (one leader, the highest, everyone learns it) are
 * the model checker's business: `ChangRoberts.tla` in `verify`.
 *
 * @module
 */
import type { LoadedSpec, ProtocolKit } from "@synod/conformance";
import type { NodeId, Rng } from "@synod/protocol";
import { settledHistories, settledStatus, type SettledTypes } from "./settled.js";
import type { RingMessage } from "../messages.js";
import { RingNode } from "../ring.js";
import { ringAdapter, type RingHarness, type RingVariant } from "./ring-adapter.js";
import { loadRing, RING_COVERAGE_DISTINCT, RING_NODES, RING_SPEC_DIR, ringParamMatches, ringState, type RingSpecView } from "./ring-model.js";

export { ringAdapter, ringReplayNode, type RingHarness, type RingVariant } from "./ring-adapter.js";
export { loadRing, RING_COVERAGE_DISTINCT, RING_NODES, RING_SPEC_DIR, ringParamMatches, ringSpecMessage, ringState, type RingSpecView } from "./ring-model.js";


/** The types the ring descriptor is written over. */
export interface RingTypes extends SettledTypes<RingMessage, RingNode, RingVariant> {
  impl: RingHarness;
  spec: LoadedSpec;
}

/** A production ring node of the validation and histories clusters (ring n1 → n2 → n3 → n1). */
function productionNode(id: NodeId, peers: readonly NodeId[], rng: Rng, variant: RingVariant | undefined): RingNode {
  return new RingNode(id, { members: [id, ...peers], ...(variant?.swallowHigher ? { swallowHigher: true } : {}) }, rng);
}

/** The Chang–Roberts ring election, described once. */
export const ringKit: ProtocolKit<RingTypes> = {
  name: "ring",
  title: "Chang–Roberts ring election",
  summary: "Chang and Roberts' ring election with acknowledgements that skip crashed successors and a leader heartbeat: the highest-ranked node wins once faults stop",
  spec: {
    dir: RING_SPEC_DIR,
    load: (purpose) => (purpose === "coverage" ? loadRing(2, 2) : loadRing(RING_NODES.length, null)),
  },
  replay: {
    adapter: (spec, variant) => ringAdapter(spec, variant ?? {}),
    walks: { ci: 100, full: 2000 },
    depth: 40,
    coverageDistinct: { ci: RING_COVERAGE_DISTINCT, full: RING_COVERAGE_DISTINCT },
  },
  validate: {
    node: ({ id, peers, rng, variant }) => productionNode(id, peers, rng, variant),
    abstraction: (spec) => ({
      node: (n): RingSpecView => n.view(),
      state: (views, inflight) => ringState(spec, views as ReadonlyMap<NodeId, RingSpecView>, inflight),
    }),
    network: "bag",
    driven: [],
    paramMatches: ringParamMatches,
    faults: ["crash", "partition", "pause"],
    seeds: { ci: 12, full: 100 },
    durationMs: 2000,
  },
  histories: settledHistories<RingTypes>(RING_NODES, productionNode),
  brokenVariants: [
    {
      name: "swallowHigher",
      description: "a node already taking part swallows a higher candidate's Election instead of passing it on",
      variant: { swallowHigher: true },
      caughtBy: ["replay", "validate"],
    },
  ],
  status: settledStatus(RING_NODES),
};

/**
 * The Bully election's protocol descriptor (see `@synod/conformance`'s kit); exported beside the
 * lease election's in this package's `kits`.
 *
 * Bully promises one leader, the highest-ranked live node, only in a synchronous system, and only
 * once faults stop. The three checks hold it to exactly that:
 *
 * - Spec → implementation: `MCBully.tla` without synchrony (every timeout may fire, any message
 *   may be lost) with n1..n3, replayed action by action through {@link bullyAdapter}; every state
 *   of the two-server model is replayed.
 * - Implementation → spec: production nodes under the simulator with crashes, partitions and
 *   pauses; every step must be a step of the model without synchrony, since a node's timers know
 *   nothing of the others' state.
 * - Histories: clients ask random nodes "are you the leader?" while nodes crash (the fault Bully
 *   claims to survive); after every fault heals and every node restarts, every answer must name
 *   n3, the highest-ranked node (the settled-leader judge).
 *
 * The synchronous model's promise (`HighestLiveWins`, `OneLeaderWhenStable`) is the model
 * checker's business: `MCBully.cfg` in `verify`.
 *
 * @module
 */
import type { LoadedSpec, ProtocolKit } from "@synod/conformance";
import type { NodeId, Rng } from "@synod/protocol";
import { settledHistories, settledStatus, type SettledTypes } from "./settled.js";
import { BullyNode } from "../bully.js";
import type { BullyMessage } from "../messages.js";
import { bullyAdapter, type BullyHarness, type BullyVariant } from "./bully-adapter.js";
import { BULLY_COVERAGE_DISTINCT, BULLY_NODES, BULLY_SPEC_DIR, bullyState, loadBully, type BullySpecView } from "./bully-model.js";

export { bullyAdapter, bullyReplayNode, type BullyHarness, type BullyVariant } from "./bully-adapter.js";
export { BULLY_COVERAGE_DISTINCT, BULLY_NODES, BULLY_SPEC_DIR, bullyState, loadBully, type BullySpecView } from "./bully-model.js";
export { loadRanked, rank, rankOrNil } from "./ranked-spec.js";


/** The types the Bully descriptor is written over. */
export interface BullyTypes extends SettledTypes<BullyMessage, BullyNode, BullyVariant> {
  impl: BullyHarness;
  spec: LoadedSpec;
}

/** A production Bully node of the validation and histories clusters. */
function productionNode(id: NodeId, peers: readonly NodeId[], rng: Rng, variant: BullyVariant | undefined): BullyNode {
  return new BullyNode(id, { members: [id, ...peers], ...(variant?.noTakeover ? { noTakeover: true } : {}) }, rng);
}

/** The Bully election, described once. */
export const bullyKit: ProtocolKit<BullyTypes> = {
  name: "bully",
  title: "Bully election",
  summary: "Garcia-Molina's Bully election: the highest-ranked live node wins, in a synchronous system, once faults stop",
  spec: {
    dir: BULLY_SPEC_DIR,
    load: (purpose) => (purpose === "coverage" ? loadBully(2, false) : loadBully(BULLY_NODES.length, false)),
  },
  replay: {
    adapter: (spec, variant) => bullyAdapter(spec, variant ?? {}),
    walks: { ci: 100, full: 2000 },
    depth: 40,
    coverageDistinct: { ci: BULLY_COVERAGE_DISTINCT, full: BULLY_COVERAGE_DISTINCT },
  },
  validate: {
    node: ({ id, peers, rng, variant }) => productionNode(id, peers, rng, variant),
    abstraction: (spec) => ({
      node: (n): BullySpecView => n.view(),
      state: (views, inflight) => bullyState(spec, views as ReadonlyMap<NodeId, BullySpecView>, inflight),
    }),
    network: "bag",
    driven: [],
    faults: ["crash", "partition", "pause"],
    seeds: { ci: 12, full: 100 },
    durationMs: 2000,
  },
  histories: settledHistories<BullyTypes>(BULLY_NODES, productionNode),
  brokenVariants: [
    {
      name: "noTakeover",
      description: "a node answers a lower node's election but does not take it over, so an election started low never reaches the top",
      variant: { noTakeover: true },
      caughtBy: ["replay", "validate"],
    },
  ],
  status: settledStatus(BULLY_NODES),
};

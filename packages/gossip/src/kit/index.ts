/**
 * Gossip's protocol descriptor parts: how conformance runs the gossip node (see
 * `@synod/conformance`'s kit). The protocol core never imports this module.
 *
 * - Histories: five replicas of a map of G-Counters and OR-Sets (`@synod/crdt`) under crashes,
 *   partitions, loss, duplication, pauses, clock drift and latency spikes, in every dissemination
 *   mode; clients update at a named replica and read anywhere; after healing, restarting every
 *   node and a quiet second, every replica reads every key. The convergence judge holds the
 *   history to strong eventual consistency: reads explained by causally closed sets of updates,
 *   sessions, convergence of the final reads.
 * - Broken variants: a G-Counter merge that is not idempotent, an OR-Set that lets removes win,
 *   anti-entropy that skips a Merkle range — each caught by the histories.
 *
 * @module
 */
import { convergence, type BrokenVariant, type HistoriesPart, type NodeStatus } from "@synod/conformance";
import type { GossipNode } from "../node.js";
import { historyNode, HISTORY_DURATION_MS, HISTORY_NODES, isolateLate, OPTION_SETS, servicePayload, type GossipTypes } from "./histories.js";
import { gossipService } from "./service.js";

export { antiEntropyBytes, bench, convergenceAfterHeal, disseminate, type Dissemination } from "./bench.js";
export * from "./histories.js";
export * from "./service.js";
export * from "./traced.js";
export * from "./variants.js";

/** The replicas of a history run. */
export const HISTORY_NODE_IDS = Array.from({ length: HISTORY_NODES }, (_, k) => `n${k + 1}`);

/** Check 3: the CRDT map's histories, judged for convergence. */
export const histories: HistoriesPart<GossipTypes> = {
  node: historyNode,
  service: gossipService(HISTORY_NODE_IDS),
  // The judge reads with the correct types: a broken build's reads must be explained by the real specification.
  judge: convergence({ crdt: servicePayload(undefined) as never, boundMs: 1000 }),
  faults: ["crash", "partition", "loss", "duplicate", "pause", "clock", "latency"],
  runs: { ci: 10, full: 100 },
  durationMs: HISTORY_DURATION_MS,
  nodes: HISTORY_NODES,
  optionSets: OPTION_SETS,
  targeted: { isolateLate },
};

/** The broken builds, and the checks that must catch each. */
export const brokenVariants: readonly BrokenVariant<GossipTypes>[] = [
  {
    name: "nonIdempotentMerge",
    description: "the G-Counter's merge adds the two sides' counts instead of taking the maximum (not idempotent)",
    variant: { nonIdempotentMerge: true },
    caughtBy: ["histories"],
  },
  {
    name: "removeWins",
    description: "the OR-Set's merge drops adds the remover never saw (remove-wins by mistake, where add-wins is specified)",
    variant: { removeWins: true },
    caughtBy: ["histories"],
  },
  {
    name: "skipMerkleRange",
    description: "anti-entropy never descends into the first differing Merkle range it finds (an off-by-one)",
    variant: { skipMerkleRange: true },
    caughtBy: ["histories"],
    targeted: "isolateLate",
  },
];

/** What a gossip replica says about itself: no leader, its SWIM incarnation as its epoch. */
export function status(n: GossipNode): NodeStatus {
  const me = n.members().find((m) => m.id === n.id);
  return {
    role: "replica",
    leader: false,
    epoch: me?.incarnation ?? 0,
    epochName: "incarnation",
    leaderId: null,
    commitIndex: 0,
    appliedIndex: 0,
    members: n.members().filter((m) => m.status !== "dead").map((m) => m.id),
  };
}

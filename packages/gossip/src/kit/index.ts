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
import { convergence, type BrokenVariant, type HistoriesPart, type NodeStatus, type ProtocolKit, type Size, type SpecPurpose } from "@synod/conformance";
import { orSet } from "@synod/crdt";
import type { Json } from "@synod/protocol";
import type { GossipNode } from "../node.js";
import { gossipAdapter } from "./adapter.js";
import { bench } from "./bench.js";
import { historyNode, HISTORY_DURATION_MS, HISTORY_NODES, isolateLate, OPTION_SETS, servicePayload, type GossipTypes } from "./histories.js";
import { gossipService } from "./service.js";
import { loadGossipSpec, SPEC_DIR, type GossipSpec, type ModelShape } from "./spec-model.js";
import { SPEC_KEY, TracedGossipNode } from "./traced.js";
import { gossipParamMatches, validationAbstraction } from "./validate.js";
import { removeWinsOrSet } from "./variants.js";

export { antiEntropyBytes, bench, convergenceAfterHeal, disseminate, type Dissemination } from "./bench.js";
export * from "./adapter.js";
export * from "./histories.js";
export * from "./service.js";
export * from "./spec-model.js";
export * from "./traced.js";
export * from "./validate.js";
export * from "./variants.js";

/**
 * The models each check loads (TLC's figures in `specs/gossip/expected.json`):
 * - walks: the OR-Set (2 replicas, 1 element, 1 update each and 2 messages in flight, so that
 *   `Duplicate` is enabled — `MCORSet.cfg` allows 1; `--full`: `MCORSetFull.cfg`'s 3 replicas, 2 elements);
 * - coverage: the G-Counter (`MCGCounter.cfg`: 2 replicas, 2 updates each), every distinct state;
 * - validate: the OR-Set over the run's 3 nodes and 2 elements, with bounds no run reaches.
 */
export const MODELS: Record<SpecPurpose, Record<Size, ModelShape>> = {
  walks: {
    ci: { crdt: "or-set", replicas: ["n1", "n2"], elems: ["e1"], maxUpdates: 1, maxInFlight: 2 },
    full: { crdt: "or-set", replicas: ["n1", "n2", "n3"], elems: ["e1", "e2"], maxUpdates: 2, maxInFlight: 2 },
  },
  coverage: {
    ci: { crdt: "g-counter", replicas: ["n1", "n2"], maxUpdates: 2, maxInFlight: 1 },
    full: { crdt: "g-counter", replicas: ["n1", "n2"], maxUpdates: 2, maxInFlight: 1 },
  },
  validate: {
    ci: { crdt: "or-set", replicas: ["n1", "n2", "n3"], elems: ["e1", "e2"], maxUpdates: 100_000, maxInFlight: 1_000_000 },
    full: { crdt: "or-set", replicas: ["n1", "n2", "n3"], elems: ["e1", "e2"], maxUpdates: 100_000, maxInFlight: 1_000_000 },
  },
};

/**
 * Node options of trace validation (timings of a slow LAN; the rest production defaults), with
 * no compaction: the spec's OR-Set has no floor of causal stability (the histories run with it).
 */
export const VALIDATE_OPTIONS = { gossipPeriodMs: 40, antiEntropyPeriodMs: 150, maxDeltasPerMessage: 1, compactStable: false } as const;

/** TLC's distinct states of the coverage model (`MCGCounter.cfg`). */
export const COVERAGE_DISTINCT = 1912;

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
    caughtBy: ["replay", "histories"],
  },
  {
    name: "removeWins",
    description: "the OR-Set's merge drops adds the remover never saw (remove-wins by mistake, where add-wins is specified)",
    variant: { removeWins: true },
    caughtBy: ["replay", "validate", "histories"],
  },
  {
    name: "skipMerkleRange",
    description: "anti-entropy never descends into the first differing Merkle range it finds (an off-by-one)",
    variant: { skipMerkleRange: true },
    caughtBy: ["histories"],
    targeted: "isolateLate",
  },
];

/** Gossip, described once. */
export const kit: ProtocolKit<GossipTypes> = {
  name: "gossip",
  title: "Gossip",
  summary: "epidemic dissemination of CRDTs: rumor mongering (push, pull, push-pull), Merkle anti-entropy, causal delivery, SWIM membership; a convergence judge",
  spec: { dir: SPEC_DIR, load: (purpose, size) => loadGossipSpec(MODELS[purpose][size]) },
  replay: {
    adapter: (spec, variant) => gossipAdapter(spec, variant),
    walks: { ci: 50, full: 300 },
    depth: 30,
    coverageDistinct: { ci: COVERAGE_DISTINCT, full: COVERAGE_DISTINCT },
  },
  validate: {
    // Slower rounds and fewer deltas per message than production: every step is checked against
    // the spec's successors, whose number grows with the updates issued.
    node: ({ id, peers, rng, variant }) =>
      new TracedGossipNode({ id, peers, rng, options: { ...VALIDATE_OPTIONS, payload: variant?.removeWins === true ? removeWinsOrSet : orSet, unsafe: { skipMerkleRange: variant?.skipMerkleRange ?? false } } }),
    abstraction: (spec) => validationAbstraction(spec),
    network: "bag",
    driven: [],
    request: (spec: GossipSpec, rng) => {
      if (rng.nextFloat() >= 0.06) return null;
      const elem = spec.elems[rng.nextInt(0, spec.elems.length - 1)] as string;
      return { op: "update", key: SPEC_KEY, update: { type: rng.nextFloat() < 0.6 ? "add" : "remove", elem } as Json };
    },
    paramMatches: (spec, name, specValue, implValue) => gossipParamMatches(spec, name, specValue, implValue),
    durable: (n) => n.durableView(),
    faults: ["crash", "partition", "loss", "duplicate", "pause"],
    seeds: { ci: 4, full: 60 },
    durationMs: 700,
  },
  histories,
  brokenVariants,
  bench,
  status,
};

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

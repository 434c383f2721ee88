/**
 * The gossip kit's histories check: replicas of the G-Counter / OR-Set map under the faults
 * gossip claims to survive, with the nodes' production options, judged for convergence.
 *
 * @module
 */
import type { KitTypes, TargetedSchedule } from "@synod/conformance";
import { gCounter, orSet } from "@synod/crdt";
import type { Json, NodeId, Rng } from "@synod/protocol";
import type { Harness } from "./adapter.js";
import type { GossipSpec } from "./spec-model.js";
import type { TracedGossipNode } from "./traced.js";
import type { GossipCommand, GossipMessage, GossipResult } from "../messages.js";
import { GossipNode } from "../node.js";
import type { GossipOptions } from "../options.js";
import type { PayloadChoice } from "../payload.js";
import { serviceType } from "./service.js";
import { nonIdempotentCounter, removeWinsOrSet } from "./variants.js";

/** What makes a broken build: a broken CRDT, or a broken anti-entropy. */
export interface GossipVariant {
  /** The counters' merge adds instead of taking the maximum. */
  nonIdempotentMerge?: boolean;
  /** The sets' merge lets removes win over adds they did not see. */
  removeWins?: boolean;
  /** Anti-entropy never descends into the first differing range. */
  skipMerkleRange?: boolean;
}

/** The types the gossip descriptor is written over. */
export interface GossipTypes extends KitTypes {
  msg: GossipMessage;
  cmd: GossipCommand;
  res: GossipResult;
  node: GossipNode;
  traced: TracedGossipNode;
  impl: Harness;
  spec: GossipSpec;
  variant: GossipVariant;
}

/** The payload of every key of the service, for a build. */
export function servicePayload(variant: GossipVariant | undefined): PayloadChoice {
  const types = { counter: variant?.nonIdempotentMerge === true ? nonIdempotentCounter : gCounter, set: variant?.removeWins === true ? removeWinsOrSet : orSet };
  return (key) => serviceType(key, types);
}

/** Protocol options a run may take (the descriptor's option sets): each mode, fanouts, a full-state exchange. */
export const OPTION_SETS: readonly Json[] = [
  { mode: "push-pull", fanout: 2 },
  { mode: "push", fanout: 1 },
  { mode: "pull", fanout: 3 },
  { mode: "push-pull", fanout: 1, antiEntropy: "full" },
];

const OPTION_KEYS = new Set(["mode", "fanout", "antiEntropy", "gossipPeriodMs", "antiEntropyPeriodMs", "rumorStopAfter", "merkleBranching", "merkleDepth"]);

/** A production node of a history run. */
export function historyNode(init: { id: NodeId; peers: NodeId[]; rng: Rng; durable: ReadonlyMap<string, Json>; variant: GossipVariant | undefined; options: Json }): GossipNode {
  const o = (init.options ?? {}) as Record<string, Json>;
  for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) throw new Error(`gossip history options: unknown option ${JSON.stringify(k)} (known: ${[...OPTION_KEYS].join(", ")})`);
  return new GossipNode({
    id: init.id,
    peers: init.peers,
    rng: init.rng,
    durable: init.durable,
    options: { ...(o as Partial<GossipOptions>), payload: servicePayload(init.variant), unsafe: { skipMerkleRange: init.variant?.skipMerkleRange ?? false } },
  });
}

/**
 * Cut one replica off for the last 400 ms of the workload: rumors to it are lost, and the
 * restart of every node at the end empties the hot lists, so what it missed can only come by
 * anti-entropy. A Merkle exchange that skips a range then leaves it behind for good.
 */
export const isolateLate: TargetedSchedule<GossipTypes> = {
  description: "isolate the last replica for the last 400 ms of the workload, so only anti-entropy can repair it",
  arm(sim, nodes) {
    const last = nodes[nodes.length - 1] as NodeId;
    // The harness heals at the workload's end; the cut starts 400 ms before.
    sim.at(HISTORY_DURATION_MS - 400, () => sim.applyFault({ type: "partition", groups: [[last]] }));
    return { onStep() {} };
  },
};

/** Virtual duration of a history run's workload. */
export const HISTORY_DURATION_MS = 1500;
/** Replicas per history run. */
export const HISTORY_NODES = 5;

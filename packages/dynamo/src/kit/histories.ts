/**
 * Check 3 for Dynamo: clients read and write a few keys on a five-node ring under crashes,
 * partitions, pauses, loss, duplication and latency spikes, with the quorum configurations the
 * staleness judge treats differently; after healing, every key is read from all its replicas.
 *
 * @module
 */
import { boundedStaleness, type HistoriesPart, type KitTypes } from "@synod/conformance";
import type { Json, NodeId } from "@synod/protocol";
import type { DynamoCommand, DynamoMessage, DynamoResult } from "../messages.js";
import { DynamoNode } from "../node.js";
import type { DynamoOptions } from "../options.js";
import type { MsgHarness } from "./msg-replay.js";
import { dynamoService } from "./service.js";
import type { TracedDynamoNode } from "./traced.js";

/** What a broken build changes. */
export interface DynamoVariant {
  /** The coordinator counts its own replica twice in every quorum. */
  countReplicaTwice?: boolean;
}

/** The types the Dynamo descriptor is written over. */
export interface DynamoTypes extends KitTypes {
  msg: DynamoMessage;
  cmd: DynamoCommand;
  res: DynamoResult;
  node: DynamoNode;
  traced: TracedDynamoNode;
  impl: MsgHarness;
  variant: DynamoVariant;
}

/** The five nodes of a histories run. */
export const HISTORY_NODES: NodeId[] = ["n1", "n2", "n3", "n4", "n5"];

/**
 * The quorum configurations runs are drawn from: strict R + W > N with blocking read repair, with
 * and without coordinator failover (the judge also runs lincheck; with failover, retried writes
 * may be carried out twice, which the judge names), strict R + W > N with Dynamo's asynchronous read repair (every read
 * must be fresh), strict R = W = 1 and sloppy quorums (staleness reported, no write lost).
 */
export const OPTION_SETS: readonly Json[] = [
  { n: 3, r: 2, w: 2, readRepair: "blocking", failover: false },
  { n: 3, r: 2, w: 2, readRepair: "blocking" },
  { n: 3, r: 2, w: 2, readRepair: "async" },
  { n: 3, r: 1, w: 3, readRepair: "async" },
  { n: 3, r: 1, w: 1, readRepair: "async" },
  { n: 3, r: 1, w: 1, sloppy: true, readRepair: "async" },
  { n: 3, r: 2, w: 2, sloppy: true, readRepair: "async" },
];

/** A production node of `nodes` with `options` and a broken `variant`'s changes. */
export function historyNode(init: { id: NodeId; peers: NodeId[]; rng: import("@synod/protocol").Rng; variant: DynamoVariant | undefined; options: Json }): DynamoNode {
  const options = { ...(init.options as Partial<DynamoOptions>), nodes: [init.id, ...init.peers].sort(), ...(init.variant ?? {}) };
  return new DynamoNode(init.id, options, init.rng);
}

/** The histories part of the descriptor. */
export const histories: HistoriesPart<DynamoTypes> = {
  node: (init) => historyNode(init),
  service: dynamoService,
  judge: boundedStaleness(),
  faults: ["crash", "partition", "pause", "loss", "duplicate", "latency"],
  runs: { ci: 12, full: 120 },
  durationMs: 1500,
  nodes: HISTORY_NODES.length,
  optionSets: OPTION_SETS,
};

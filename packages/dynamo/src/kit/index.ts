/**
 * Dynamo's protocol descriptor (see `@synod/conformance`'s kit): how conformance, `verify`,
 * `serve` and `bench` run packages/dynamo. The protocol core never imports this module.
 *
 * - Spec: `DynamoMsg.tla`, at the granularity of the node's single message deliveries, strict and
 *   sloppy quorums with hinted handoff, for replay (spec → implementation: random walks of the
 *   sloppy model and every state of the strict CI model) and trace validation (implementation →
 *   spec: sloppy 4-node simulator runs under crashes, partitions, loss, duplication and pauses,
 *   every node step checked). `Dynamo.tla` (round trips, sloppy quorums, hinted handoff, permanent
 *   failures) is model-checked by TLC and replayed by the package's own tests.
 * - Histories: the multi-value store under faults in seven quorum configurations, judged by
 *   `boundedStaleness()` (lincheck where the quorums promise it, else the staleness distribution).
 * - Broken variant: a coordinator that counts its own replica twice, caught by all three checks.
 *
 * @module
 */
import type { BrokenVariant, NodeStatus, ProtocolKit, ServedNode, Size, SpecPurpose } from "@synod/conformance";
import type { Json } from "@synod/protocol";
import { checkMessage } from "../messages.js";
import { DynamoNode } from "../node.js";
import { DynamoConfigError, type DynamoOptions } from "../options.js";
import { contextOf, type VersionVector } from "../version.js";
import { bench } from "./bench.js";
import { histories, type DynamoTypes } from "./histories.js";
import { dynamoMsgAdapter } from "./msg-replay.js";
import { loadMsgSpec, SPEC_DIR, type MsgModel } from "./spec-model.js";
import { SPEC_KEY, TracedDynamoNode } from "./traced.js";
import { dynamoValidation } from "./validate.js";

export * from "./bench.js";
export * from "./histories.js";
export * from "./msg-replay.js";
export * from "./pbs.js";
export * from "./replay.js";
export * from "./service.js";
export * from "./spec-model.js";
export * from "./traced.js";
export * from "./validate.js";

/**
 * The models each check loads (TLC's figures in the spec folder's expected.json):
 * - walks: two writes and two reads on the sloppy model (4 servers: the key's three owners and the
 *   next node of its ring walk, stand-ins, retargets, hinted handoff), unbounded messages (`--full`:
 *   three of each);
 * - coverage: `MCDynamoMsgSiblings.cfg` (two writes, one anti-entropy message, at most 6 messages,
 *   symmetry), every state (`--full`: `MCDynamoMsg.cfg`, a write and a read, at most 8 messages);
 * - validate: the sloppy model, with bounds no run reaches.
 */
export const MODELS: Record<SpecPurpose, Record<Size, MsgModel>> = {
  walks: { ci: { puts: 2, gets: 2, sloppy: true }, full: { puts: 3, gets: 3, sloppy: true } },
  coverage: {
    ci: { puts: 2, gets: 0, maxMsgs: 6, maxAe: 1, symmetry: true },
    full: { puts: 1, gets: 1, maxMsgs: 8, maxAe: 0, symmetry: true },
  },
  validate: { ci: { puts: 1_000_000, gets: 1_000_000, sloppy: true }, full: { puts: 1_000_000, gets: 1_000_000, sloppy: true } },
};

/** TLC's distinct states of the coverage models (`MCDynamoMsgSiblings.cfg`, `MCDynamoMsg.cfg`). */
export const COVERAGE_DISTINCT: Record<Size, number> = { ci: 1106, full: 3677 };

/**
 * Node options of trace validation: N = 3 of the 4 sloppy-model servers, R = W = 2, sloppy quorums
 * with hinted handoff (suspicion from crashes, partitions and slow replies sends requests to the
 * fourth node as a stand-in, and retargets silent ones), any target coordinates
 * (each driven request is coordinated where it lands), Dynamo's asynchronous read repair, and
 * anti-entropy often enough that runs exchange Merkle trees.
 */
export const VALIDATE_OPTIONS = { n: 3, r: 2, w: 2, sloppy: true, coordinator: "any", readRepair: "async", antiEntropyMs: 100 } as const;

/** The broken builds, and the checks that must catch each. */
export const brokenVariants: readonly BrokenVariant<DynamoTypes>[] = [
  {
    name: "countReplicaTwice",
    description: "the coordinator counts its own replica twice in every quorum, so R + W > N no longer makes read and write quorums meet",
    variant: { countReplicaTwice: true },
    caughtBy: ["replay", "validate", "histories"],
  },
];

/** What a Dynamo node says about itself: a replica with no leader, its ring as its members. */
export function status(n: DynamoNode): NodeStatus {
  return { role: "replica", leader: false, epoch: 0, leaderId: null, commitIndex: 0, appliedIndex: 0, members: [...n.options.nodes] };
}

/**
 * `synod serve dynamo`: a node of the ring `--peers` names (every node a member), its options
 * from `--protocol-options` (`DynamoOptions` without `nodes`), `--heartbeat-ms` as the period of
 * pings, suspicion and hinted handoff. Recovers its replica and hints from storage.
 */
export const serve: ServedNode<DynamoTypes> = {
  createNode: ({ id, peers, join, rng, durable, tuning, options }) => {
    if (join === true) throw new DynamoConfigError("dynamo: a node cannot join a running ring (every node of --peers is a member)");
    if ("nodes" in options) throw new DynamoConfigError("dynamo option nodes: set by --peers, not by --protocol-options");
    const o: DynamoOptions = { ...(options as Partial<DynamoOptions>), nodes: [id, ...peers].sort(), ...(tuning.heartbeatMs !== undefined ? { gossipMs: tuning.heartbeatMs } : {}) };
    const node = new DynamoNode(id, o, rng);
    // The replica and the hints this node kept before it stopped (a fresh node has none).
    if (durable.size > 0) node.step({ type: "restart", nowMs: 0, durable });
    return node;
  },
  checkMessage: (m) => checkMessage(m),
  isStorageError: (err) => err instanceof Error && err.name === "DynamoStorageError",
  isConfigError: (err) => err instanceof Error && err.name === "DynamoConfigError",
  knobs: { heartbeatMs: "period of pings, suspicion checks and hinted handoff (gossipMs)" },
};

/** Dynamo, described once. */
export const kit: ProtocolKit<DynamoTypes> = {
  name: "dynamo",
  title: "Dynamo",
  summary: "Dynamo-style quorum replication: consistent-hash ring, per-request N/R/W, dotted version vectors with siblings, sloppy quorums with hinted handoff, read repair, Merkle anti-entropy; a bounded-staleness judge",
  spec: { dir: SPEC_DIR, load: (purpose, size) => loadMsgSpec(MODELS[purpose][size]) },
  replay: {
    adapter: (spec, variant) => dynamoMsgAdapter(spec, variant),
    walks: { ci: 30, full: 400 },
    depth: 25,
    coverageDistinct: COVERAGE_DISTINCT,
  },
  validate: {
    node: ({ id, peers, rng, variant }) => new TracedDynamoNode(id, { ...VALIDATE_OPTIONS, nodes: [id, ...peers].sort(), countReplicaTwice: variant?.countReplicaTwice ?? false }, rng),
    abstraction: (spec) => dynamoValidation(spec),
    network: "set",
    driven: [],
    request: (_spec, rng, node) => {
      if (rng.nextFloat() >= 0.2) return null;
      if (rng.nextFloat() < 0.4) return { op: "get", key: SPEC_KEY };
      // Half the writes go over what a read this node answered returned (siblings then collapse).
      const read = node
        .requestIds()
        .map((id) => node.request(id))
        .filter((v) => v !== null && v.kind === "get" && v.merged !== null && v.answered);
      const context: VersionVector = read.length > 0 && rng.nextFloat() < 0.5 ? contextOf(read[rng.nextInt(0, read.length - 1)]!.merged!) : {};
      return { op: "put", key: SPEC_KEY, value: `v${rng.nextInt(0, 1_000_000)}`, context };
    },
    durable: (n) => ({ kv: Object.fromEntries(n.keys().map((k) => [k, n.local(k) as unknown as Json])), hints: Object.fromEntries([...n.hintsHeld()].map(([o, ks]) => [o, ks])) }),
    // A replica that just persisted a merge, crashed and restarted: its store must survive.
    targetedCrash: { name: "crash after a write is persisted", when: (rd) => rd.persist.length > 0, probability: 0.05 },
    faults: ["crash", "partition", "loss", "duplicate", "pause"],
    seeds: { ci: 2, full: 40 },
    durationMs: 600,
  },
  histories,
  brokenVariants,
  bench,
  status,
  serve,
};

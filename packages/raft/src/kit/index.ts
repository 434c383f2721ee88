/**
 * Raft's protocol descriptor: how conformance, `verify`, `serve`, `soak` and `bench` run Raft
 * (see `@synod/conformance`'s kit). Imported only by the registry (`@synod/raft/kit`); the
 * protocol core never imports it.
 *
 * @module
 */
import { checkQuorumStepDown, idleLeadership, kvService, linearizable, type LeaderView, type ProtocolKit } from "@synod/conformance";
import { kv } from "@synod/lincheck";
import type { Json } from "@synod/protocol";
import { checkRaftMessage } from "../messages.js";
import { createKvNode, defaultRaftOptions } from "../node.js";
import { DRIVEN_ACTIONS } from "../spec-step.js";
import type { RaftOptions } from "../types.js";
import { RaftAbstraction, RaftAdapter } from "./adapter.js";
import { boundsFor, COVERAGE_DISTINCT, loadRaftSpec, RAFT_SPEC_DIR } from "./spec-model.js";
import { raftNodeInvariant } from "./invariant.js";
import { guidedWalks } from "./guided.js";
import { loadRaftProdSpec, productionValidation } from "./production.js";
import { ackBeforePersist, deposedLeaderSuffix, isolateLeader, leaderChangeWithReads, membershipChurn, snapshotOverConflict, truncateThenRestart } from "./targeted.js";
import type { RaftTypes } from "./types.js";

export { RaftAbstraction, RaftAdapter, type AbstractNode } from "./adapter.js";
export { SpecCluster } from "./host.js";
export * from "./spec-model.js";
export { raftNodeInvariant } from "./invariant.js";
export { guidedWalks, type GuidedOptions } from "./guided.js";
export { loadRaftProdSpec, PRODUCTION_VALIDATION_OPTIONS, productionValidation, RaftProdAbstraction, type RaftProdSpec } from "./production.js";
export { ackBeforePersist, deposedLeaderSuffix, isolateLeader, leaderChangeWithReads, membershipChurn, snapshotOverConflict, truncateThenRestart } from "./targeted.js";
export type { RaftTypes, RaftVariant } from "./types.js";

/**
 * A served node snapshots by default (the library's default is never), so that its log, and with
 * it the durable key space and every restart's replay, stays bounded.
 */
export const SNAPSHOT_EVERY_ENTRIES_DEFAULT = 10_000;

/** Who leads, and in which term (`inspect()` copies the log: only for a leader). */
const leaderView: LeaderView<RaftTypes> = (n) => (n.role === "leader" ? { leader: true, epoch: n.inspect().term } : { leader: false, epoch: 0 });

/** Raft, described once. */
export const kit: ProtocolKit<RaftTypes> = {
  name: "raft",
  title: "Raft",
  summary: "Raft with pre-vote, check-quorum, ReadIndex and lease reads, snapshots, membership changes; a linearizable KV store",
  spec: { dir: RAFT_SPEC_DIR, load: (purpose, size) => loadRaftSpec(boundsFor(purpose, size)) },
  replay: {
    adapter: (spec, variant) => new RaftAdapter(spec, variant?.unsafe ?? {}),
    walks: { ci: 40, full: 400 },
    depth: 60,
    coverageDistinct: COVERAGE_DISTINCT,
  },
  validate: {
    node: ({ id, peers, rng, variant }) => {
      const n = createKvNode({ id, peers, rng, options: { stepMode: "spec", unsafe: variant?.unsafe ?? {} } });
      return n;
    },
    abstraction: (spec) => {
      const abs = new RaftAbstraction(spec);
      const adapter = new RaftAdapter(spec);
      return {
        node: (n) => abs.node(n.inspect()),
        state: (nodes, inflight) => abs.state(nodes, abs.bag(inflight)),
        observable: (s) => adapter.observable(s),
      };
    },
    network: "bag",
    // RaftExt's durable variables (the paper's Figure 2, and the snapshot the log starts after).
    durable: (n) => n.durableState() as unknown as Json,
    driven: DRIVEN_ACTIONS,
    request: (spec, rng, node) => {
      const s = node.inspect();
      if (s.role !== "leader" || s.log.length >= 8) return null;
      return { op: "put", key: "x", value: spec.values[rng.nextInt(0, spec.values.length - 1)] as string };
    },
    targetedCrash: {
      name: "right after a vote is granted",
      when: (rd) => rd.send.some((e) => e.message.type === "RequestVoteResponse" && e.message.granted),
      probability: 0.3,
    },
    faults: ["crash", "partition"],
    seeds: { ci: 8, full: 20 },
    durationMs: 3000,
  },
  // The production node itself, against a spec of what production mode does: walks whose events
  // the spec picks, and simulator runs under faults.
  guided: {
    name: "RaftProd.tla",
    walks: { ci: 10, full: 100 },
    depth: 60,
    run: async ({ seed, walks, depth, variant }) => guidedWalks(await loadRaftProdSpec(), { seed, walks, depth, ...(variant === undefined ? {} : { unsafe: variant.unsafe }) }),
  },
  validateModes: [productionValidation],
  histories: {
    node: ({ id, peers, rng, durable, variant, options }) =>
      createKvNode({ id, peers, rng, durable, options: { ...(options as Partial<RaftOptions>), unsafe: variant?.unsafe ?? {} } }),
    service: kvService,
    judge: linearizable(kv({ init: null }), "kv"),
    faults: ["crash", "partition"],
    runs: { ci: 32, full: 100 },
    durationMs: 2500,
    nodes: 3,
    // The third set snapshots every few entries and keeps no log behind the snapshot, so restarts
    // and lagging followers go through snapshots and InstallSnapshot under the same faults; the
    // fourth answers reads from the leader's lease instead of a ReadIndex round.
    optionSets: [{}, { preVote: false, checkQuorum: false }, { snapshotEveryEntries: 4, snapshotRetainEntries: 0 }, { readMode: "lease" }],
    // Every application is a position in the log (State Machine Safety), and RaftExt's per-node
    // invariants hold after every step that writes to storage.
    logIndexed: true,
    // Storage against memory at every step that persists, and every restart against what the node
    // held before its crash: a change made in memory only (a truncation not persisted) fails the run
    // at that step, with or without a crash after it.
    durable: (n) => n.durableState() as unknown as Json,
    invariant: (node, step) => raftNodeInvariant(node, step),
    targeted: {
      "ack-before-persist": ackBeforePersist,
      "isolate-leader": isolateLeader,
      "deposed-leader-suffix": deposedLeaderSuffix,
      "truncate-then-restart": truncateThenRestart,
      "snapshot-over-conflict": snapshotOverConflict,
      "leader-change-with-reads": leaderChangeWithReads,
      "membership-churn": membershipChurn,
      // Liveness bounds no judge of the history sees (a timed-out client is linearizable).
      "check-quorum-step-down": checkQuorumStepDown({
        view: leaderView,
        options: { checkQuorum: true },
        // The leader checks every `electionTimeoutMsMin`; the first check after the cut may still
        // count peers heard before it.
        withinMs: 3 * defaultRaftOptions.electionTimeoutMsMin,
        bound: `two election timeouts of ${defaultRaftOptions.electionTimeoutMsMin} ms`,
      }),
      "idle-leader": idleLeadership(leaderView),
    },
  },
  brokenVariants: [
    {
      name: "commitPriorTermByCounting",
      description: "commits an entry of an earlier term once a majority stores it (Raft paper, Figure 8)",
      variant: { unsafe: { commitPriorTermByCounting: true } },
      // A history shows it only after the four-term Figure 8 scenario, which no schedule aims at.
      caughtBy: ["validate"],
    },
    {
      name: "voteWithoutUpToDateCheck",
      description: "grants votes without checking that the candidate's log is at least as up to date",
      variant: { unsafe: { voteWithoutUpToDateCheck: true } },
      caughtBy: ["validate", "replay", "histories"],
    },
    {
      name: "ackBeforePersist",
      description: "sends vote grants and append acknowledgements before the writes they depend on are durable",
      variant: { unsafe: { ackBeforePersist: true } },
      caughtBy: ["validate", "replay", "histories"],
      targeted: "ack-before-persist",
    },
    {
      name: "truncateWithoutPersist",
      description: "removes a conflicting log suffix in memory but not in storage, so a restart brings it back",
      variant: { unsafe: { truncateWithoutPersist: true } },
      // Storage against memory at the step that truncates; and a history whose deposed leader
      // restarts right after its log was overwritten cannot bring it back.
      caughtBy: ["validate", "histories"],
      targeted: "truncate-then-restart",
    },
    {
      name: "applyRetriesTwice",
      description: "applies a retried client request each time it reaches the log, without the session check",
      variant: { unsafe: { applyRetriesTwice: true } },
      caughtBy: ["histories"],
    },
    {
      name: "readWithoutConfirmation",
      description: "a leader answers reads from its own state at once, without confirming that it still leads: a deposed leader serves stale reads",
      variant: { unsafe: { readWithoutConfirmation: true } },
      caughtBy: ["histories"],
      targeted: "isolate-leader",
    },
    {
      name: "heartbeatCommitBeyondMatch",
      description: "heartbeats carry the leader's commit index unbounded by the follower's match index, so a follower with a conflicting suffix commits it",
      variant: { unsafe: { heartbeatCommitBeyondMatch: true } },
      // Production-mode trace validation and spec-guided walks: the heartbeat RaftProd.tla's leader
      // would send carries less. Histories: the deposed leader hears the new leader's heartbeat first and applies its
      // own writes.
      caughtBy: ["validate", "replay", "histories"],
      targeted: "deposed-leader-suffix",
    },
    {
      name: "readBeforeTermCommit",
      description: "a new leader serves ReadIndex reads before it commits an entry of its term, missing writes its predecessor acknowledged",
      variant: { unsafe: { readBeforeTermCommit: true } },
      caughtBy: ["histories"],
      targeted: "leader-change-with-reads",
    },
    {
      name: "installSnapshotOverConflict",
      description: "InstallSnapshot keeps the follower's log after the snapshot even when its entry at the snapshot's index conflicts",
      variant: { unsafe: { installSnapshotOverConflict: true } },
      caughtBy: ["histories"],
      targeted: "snapshot-over-conflict",
    },
    {
      name: "keepConfigOnTruncate",
      description: "keeps using a configuration whose entry a conflicting append truncated, instead of the last one left in the log",
      variant: { unsafe: { keepConfigOnTruncate: true } },
      // The leader cut off as it appends a removal has that entry overwritten; RaftExt's
      // ServerConfig, checked on the live node, sees the configuration it kept.
      caughtBy: ["histories"],
      targeted: "membership-churn",
    },
  ],
  tuning: { batch: (entries) => ({ maxBatchEntries: entries }) },
  status: (node) => {
    const s = node.inspect();
    return {
      role: s.role,
      leader: s.role === "leader",
      epoch: s.term,
      epochName: "term",
      leaderId: s.leaderId,
      commitIndex: s.commitIndex,
      appliedIndex: s.lastApplied,
      members: s.config.voters,
      learners: s.config.learners,
      snapshotIndex: node.snapshotInfo.latestIndex,
      snapshotsInstalled: node.snapshotInfo.installed,
    };
  },
  serve: {
    createNode: ({ id, peers, join, rng, durable, tuning, options }) =>
      createKvNode({
        id,
        peers,
        ...(join === true ? { join } : {}),
        rng,
        durable,
        options: {
          snapshotEveryEntries: SNAPSHOT_EVERY_ENTRIES_DEFAULT,
          ...(options as Partial<RaftOptions>),
          ...(tuning.electionTimeoutMsMin !== undefined ? { electionTimeoutMsMin: tuning.electionTimeoutMsMin } : {}),
          ...(tuning.electionTimeoutMsMax !== undefined ? { electionTimeoutMsMax: tuning.electionTimeoutMsMax } : {}),
          ...(tuning.heartbeatMs !== undefined ? { heartbeatMs: tuning.heartbeatMs } : {}),
          ...(tuning.snapshotEveryEntries !== undefined ? { snapshotEveryEntries: tuning.snapshotEveryEntries } : {}),
        },
      }),
    checkMessage: (message) => checkRaftMessage(message),
    isStorageError: (err) => err instanceof Error && err.name === "RaftStorageError",
    isConfigError: (err) => err instanceof Error && err.name === "RaftConfigError",
    knobs: {
      electionTimeoutMsMin: "election timeout range (with electionTimeoutMsMax)",
      electionTimeoutMsMax: "election timeout range (with electionTimeoutMsMin)",
      heartbeatMs: "leader heartbeat period",
      snapshotEveryEntries: `snapshot every n applied entries (default here ${SNAPSHOT_EVERY_ENTRIES_DEFAULT})`,
    },
    admin: {
      addNode: (node) => ({ op: "add-server", node }),
      removeNode: (node) => ({ op: "remove-server", node }),
      transferLeader: (to) => ({ op: "transfer-leadership", to }),
      succeeded: (result) => !("ok" in result) || result.ok,
    },
  },
};

/**
 * Multi-Paxos's protocol descriptor: how conformance, `verify`, `serve`, `soak` and `bench` run
 * Multi-Paxos (see `@synod/conformance`'s kit). Imported only by the registry
 * (`@synod/paxos/kit`); the protocol core never imports it.
 *
 * @module
 */
import { kvService, linearizable, type ProtocolKit } from "@synod/conformance";
import { kv } from "@synod/lincheck";
import type { Json } from "@synod/protocol";
import { checkPaxosMessage } from "../messages.js";
import { createMultiPaxosNode } from "../node.js";
import { DRIVEN_ACTIONS } from "../spec-step.js";
import type { MultiPaxosOptions } from "../types.js";
import { MultiPaxosAbstraction, MultiPaxosAdapter } from "./adapter.js";
import { boundsFor, COVERAGE_DISTINCT, loadMultiPaxosSpec, PAXOS_SPEC_DIR, specNodeOptions, VALIDATE_BOUNDS } from "./spec-model.js";
import { checkQuorumStepDown, deposedLeaderNack, idleLeader, staleLeaseRead, stickyLeader } from "./targeted.js";
import type { MultiPaxosTypes } from "./types.js";

export { MultiPaxosAbstraction, MultiPaxosAdapter, type AbstractNode } from "./adapter.js";
export { SpecCluster } from "./host.js";
export * from "./spec-model.js";
export { checkQuorumStepDown, deposedLeaderNack, idleLeader, staleLeaseRead, stickyLeader } from "./targeted.js";
export type { MultiPaxosTypes, MultiPaxosVariant } from "./types.js";

/** A ballot as a number that grows with the ballot order (round first, then the owner's id). */
export function ballotNumber(b: { round: number; node: string }, members: readonly string[]): number {
  const sorted = [...members].sort();
  return b.round * (sorted.length + 1) + (b.node === "" ? 0 : sorted.indexOf(b.node) + 1);
}

/** Multi-Paxos, described once. */
export const kit: ProtocolKit<MultiPaxosTypes> = {
  name: "multipaxos",
  title: "Multi-Paxos",
  summary: "Multi-Paxos with one Phase 1 per leadership, recovery and gap filling, batched and pipelined Accepts, catch-up, leader leases; a linearizable KV store",
  spec: { dir: PAXOS_SPEC_DIR, load: (purpose, size) => loadMultiPaxosSpec(boundsFor(purpose, size)) },
  replay: {
    adapter: (spec, variant) => new MultiPaxosAdapter(spec, variant?.unsafe ?? {}),
    walks: { ci: 60, full: 600 },
    depth: 100,
    coverageDistinct: COVERAGE_DISTINCT,
  },
  validate: {
    node: ({ id, peers, rng, variant }) => createMultiPaxosNode({ id, peers, rng, options: { ...specNodeOptions(VALIDATE_BOUNDS), unsafe: variant?.unsafe ?? {} } }),
    abstraction: (spec) => {
      const abs = new MultiPaxosAbstraction(spec);
      return {
        node: (n) => abs.node(n.inspect()),
        state: (nodes, inflight) => abs.state(nodes, abs.bag(inflight)),
      };
    },
    network: "bag",
    // The acceptor's durable state: its promise and its votes (a spec-mode learner keeps no chosen
    // values, as the spec's `decided` is volatile).
    durable: (n) => {
      const s = n.inspect();
      return { promised: s.promised as unknown as Json, accepted: s.accepted as unknown as Json };
    },
    driven: DRIVEN_ACTIONS,
    // Slots (`k`) are numbers; servers and values are model values named like the implementation's.
    paramMatches: (spec, _name, specValue, implValue) => {
      if (typeof implValue === "number") return spec.model.values.toPortable(specValue) === implValue;
      try {
        return spec.nameOf(specValue) === implValue;
      } catch {
        return false;
      }
    },
    request: (spec, rng, node) => {
      const s = node.inspect();
      if (s.role !== "leader") return null;
      // Reads ask for a lease read (no lease survives the validation model's margin, so a correct
      // leader refuses them); writes propose a spec value, while the log is short.
      if (rng.nextFloat() < 0.3) return { op: "get", key: "x" };
      if (Object.keys(s.proposals).length >= 6) return null;
      return { op: "put", key: "x", value: spec.values[rng.nextInt(0, spec.values.length - 1)] as string };
    },
    targetedCrash: {
      name: "right after a promise is sent",
      when: (rd) => rd.send.some((e) => e.message.type === "Promise"),
      probability: 0.3,
    },
    faults: ["crash", "partition"],
    seeds: { ci: 3, full: 20 },
    durationMs: 3000,
  },
  histories: {
    node: ({ id, peers, rng, durable, variant, options }) =>
      createMultiPaxosNode({ id, peers, rng, durable, options: { ...(options as Partial<MultiPaxosOptions>), unsafe: variant?.unsafe ?? {} } }),
    service: kvService,
    judge: linearizable(kv({ init: null }), "kv"),
    faults: ["crash", "partition", "loss", "duplicate", "clock"],
    runs: { ci: 8, full: 100 },
    durationMs: 2500,
    nodes: 3,
    // The first set is also the one the targeted schedules run: without check-quorum an isolated
    // leader believes it leads until it hears of a higher ballot, which is when leases matter.
    optionSets: [{ checkQuorum: false }, {}, { readMode: "log" }, { maxBatchEntries: 4, maxInflight: 2 }],
    // All but the first fail a run through their own bounds on who leads, which the
    // linearizability judge cannot see: a leader that cannot commit and keeps leading only times
    // its clients out, and a healthy leader deposed only costs an election.
    targeted: { "stale-lease-read": staleLeaseRead, "check-quorum-step-down": checkQuorumStepDown, "deposed-leader-nack": deposedLeaderNack, "idle-leader": idleLeader, "leader-stickiness": stickyLeader },
  },
  brokenVariants: [
    {
      name: "ignoreHighestAccepted",
      description: "a new leader ignores the values the promises report and fills every open instance with a no-op",
      variant: { unsafe: { ignoreHighestAccepted: true } },
      // Random walks rarely reach a second leadership over a vote of the first (leases slow
      // leader changes down); the coverage model does, and the trace checks below catch it.
      caughtBy: ["validate", "histories"],
    },
    {
      name: "forgetPromiseOnRestart",
      description: "an acceptor does not persist its promise, so after a restart it takes part in ballots it promised to ignore",
      variant: { unsafe: { forgetPromiseOnRestart: true } },
      caughtBy: ["replay", "validate"],
    },
    {
      name: "readAfterLeaseExpiry",
      description: "a leader serves lease reads after its lease has expired, as long as it believes it leads",
      variant: { unsafe: { readAfterLeaseExpiry: true } },
      caughtBy: ["validate", "histories"],
      targeted: "stale-lease-read",
    },
  ],
  tuning: { batch: (entries) => ({ maxBatchEntries: entries }) },
  // Hosts call this after every event: it must not copy the log (inspect() does).
  status: (node) => {
    const s = node.summary();
    return {
      role: s.role,
      leader: s.role === "leader",
      // Ballots as one increasing number: round × (n + 1) + the owner's rank among the sorted ids.
      epoch: ballotNumber(s.promised, [node.id, ...node.peerIds]),
      epochName: "ballot",
      leaderId: s.leaderId,
      commitIndex: s.learnedIndex,
      appliedIndex: s.learnedIndex,
      members: [node.id, ...node.peerIds].sort(),
    };
  },
  serve: {
    createNode: ({ id, peers, rng, durable, tuning, options }) =>
      createMultiPaxosNode({
        id,
        peers,
        rng,
        durable,
        options: {
          ...(options as Partial<MultiPaxosOptions>),
          ...(tuning.electionTimeoutMsMin !== undefined ? { electionTimeoutMsMin: tuning.electionTimeoutMsMin } : {}),
          ...(tuning.electionTimeoutMsMax !== undefined ? { electionTimeoutMsMax: tuning.electionTimeoutMsMax } : {}),
          ...(tuning.heartbeatMs !== undefined ? { heartbeatMs: tuning.heartbeatMs } : {}),
        },
      }),
    checkMessage: (message) => checkPaxosMessage(message),
    isStorageError: (err) => err instanceof Error && err.name === "PaxosStorageError",
    isConfigError: (err) => err instanceof Error && err.name === "PaxosConfigError",
    knobs: {
      electionTimeoutMsMin: "election timeout range (with electionTimeoutMsMax); also the lease length",
      electionTimeoutMsMax: "election timeout range (with electionTimeoutMsMin)",
      heartbeatMs: "leader heartbeat and retransmission period",
    },
  },
};

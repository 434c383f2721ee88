/**
 * The lease election's protocol descriptor: how conformance, `verify` and `replay` run it (see
 * `@synod/conformance`'s kit). Found by the registry through package.json's `synod.kit`; the
 * protocol core never imports it.
 *
 * The package holds one descriptor per algorithm, all in {@link kits}: this module's `kit` (the
 * lease election), `bully.ts`'s and `ring.ts`'s. Bully and the ring have neither a generation
 * nor a lease and promise one leader only once faults stop, so their histories are judged by the
 * settled-leader judge, not the leadership judge below.
 *
 * - Spec → implementation: `MCLeaseElection.tla` with n1..n3, replayed action by action through
 *   {@link leaseAdapter}; one ms of a node's clock is one spec unit, and a `Tick` advances each
 *   clock by its rate, so the countdowns compare exactly.
 * - Implementation → spec: production nodes under the simulator (a set network) with crashes,
 *   partitions and pauses. A node's clock reading is not part of a step, so the validation compares
 *   everything but the three countdowns (erased on both sides): it checks generations, promises,
 *   roles, rounds, acknowledgements and messages step by step; the timing is the model checker's
 *   (`LeaseSafety` under the drift bound) and the histories judge's business.
 * - Histories: clients ask random nodes "are you the leader?" under crashes, partitions, one-way
 *   cuts, pauses, loss, duplication and clock drift; the leadership judge holds the answers to one
 *   node per generation, generations increasing in real time, and no two overlapping leases.
 *
 * @module
 */
import { idleLeadership, leadership, type KitTypes, type LoadedSpec, type ProtocolKit, type TargetedSchedule, type WireMessage } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import { LeaseNode } from "../lease.js";
import type { LeadCommand, LeadResult, LeaseMessage } from "../messages.js";
import { leaseAdapter, type Harness, type LeaseVariant } from "./adapter.js";
import { bench } from "./bench.js";
import { bullyKit } from "./bully.js";
import { ringKit } from "./ring.js";
import { leaseServed } from "./serve.js";
import { COVERAGE_DISTINCT, eraseCountdowns, loadLeaseElection, NODES, paramMatches, SPEC_DIR, specState, type NodeSpecView } from "./spec-model.js";

export { leaseAdapter, harnessViews, replayNode, type Harness, type LeaseVariant } from "./adapter.js";
export { bench, electionCost, failoverTimes } from "./bench.js";
export * from "./bully.js";
export * from "./ring.js";
export { checkLeaseMessage, createServedLeaseNode, leaseServed } from "./serve.js";
export * from "./spec-model.js";

/** The types the lease-election descriptor is written over. */
export interface LeaseTypes extends KitTypes {
  msg: LeaseMessage;
  cmd: LeadCommand;
  res: LeadResult;
  node: LeaseNode;
  traced: LeaseNode;
  impl: Harness;
  spec: LoadedSpec;
  variant: LeaseVariant;
}

/** The drift bound the histories' nodes claim; the simulator's clock faults drift 1%. */
export const HISTORY_DRIFT_BOUND = 0.05;

/** A production node of the histories and validation clusters. */
function productionNode(id: NodeId, peers: readonly NodeId[], rng: SeededRng | import("@synod/protocol").Rng, durable: ReadonlyMap<string, import("@synod/protocol").Json>, variant: LeaseVariant | undefined): LeaseNode {
  return new LeaseNode(id, { members: [id, ...peers], leaseMs: 100, driftBound: HISTORY_DRIFT_BOUND, renewEveryMs: 25, ...(variant?.noWaitOutLease ? { noWaitOutLease: true } : {}) }, rng, durable);
}

/**
 * Cut the leader off from one follower (both ways) while the third still hears it: the follower
 * campaigns and wins with the third's vote while the old lease still runs, which is exactly when
 * a new leader must wait. Every 900 ms, healed 500 ms later.
 */
export const cutLeaderFromFollower: TargetedSchedule<LeaseTypes> = {
  description: "every 900 ms, cut the leader off from one follower (both ways) for 500 ms, so that follower wins while the old lease runs",
  arm(sim, nodes) {
    let k = 0;
    const strike = (): void => {
      const leaders = nodes.filter((id) => sim.node(id)?.view().role === "leader");
      const leader = leaders.sort((a, b) => (sim.node(b)?.view().gen ?? 0) - (sim.node(a)?.view().gen ?? 0))[0];
      if (leader !== undefined) {
        const others = nodes.filter((id) => id !== leader);
        const f = others[k++ % others.length] as NodeId;
        sim.applyFault({ type: "cut", from: [leader], to: [f] });
        sim.applyFault({ type: "cut", from: [f], to: [leader] });
        sim.after(500, () => sim.applyFault({ type: "heal" }));
      }
      sim.after(900, strike);
    };
    sim.at(600, strike);
    return { onStep: () => {} };
  },
};

/** The lease election, described once. */
export const kit: ProtocolKit<LeaseTypes> = {
  name: "election",
  title: "Lease election",
  summary: "lease-based leader election: generations as fencing tokens, majority leases, a new leader waits out the old lease under a clock-drift bound",
  spec: {
    dir: SPEC_DIR,
    load: (purpose, size) => {
      if (purpose === "coverage") return loadLeaseElection({ maxGen: 1, maxRound: 1 });
      // Validation asks only "is this step a spec step?": its bounds must never bind.
      if (purpose === "validate") return loadLeaseElection({ maxGen: 1_000_000, maxRound: 1_000_000 });
      return loadLeaseElection(size === "ci" ? { maxGen: 2, maxRound: 1 } : { maxGen: 3, maxRound: 2 });
    },
  },
  replay: {
    adapter: (spec, variant) => leaseAdapter(spec, variant ?? {}),
    walks: { ci: 100, full: 2000 },
    depth: 40,
    coverageDistinct: { ci: COVERAGE_DISTINCT, full: COVERAGE_DISTINCT },
  },
  validate: {
    node: ({ id, peers, rng, variant }) => productionNode(id, peers, rng, new Map(), variant),
    abstraction: (spec) => ({
      node: (n): NodeSpecView => ({ view: n.view(), clockMs: null }),
      state: (views, inflight) => specState(spec, views as ReadonlyMap<NodeId, NodeSpecView>, inflight as readonly WireMessage<LeaseMessage>[]),
      observable: (state) => eraseCountdowns(spec, state),
    }),
    network: "set",
    driven: [],
    paramMatches,
    durable: (n) => n.durableState(),
    faults: ["crash", "partition", "pause"],
    seeds: { ci: 12, full: 100 },
    durationMs: 2000,
  },
  histories: {
    node: ({ id, peers, rng, durable, variant }) => productionNode(id, peers, rng, durable, variant),
    service: {
      name: "leadership",
      nextCommand: () => ({ op: "lead" }),
      finalCommands: () => [{ op: "lead" }, { op: "lead" }],
      invoke: () => ({ f: "lead", value: null }),
      complete: (_cmd, res) => ({ node: res.node, generation: res.generation, leaseRemainingMs: res.leaseRemainingMs }),
    },
    judge: leadership({ driftBound: HISTORY_DRIFT_BOUND }),
    faults: ["crash", "partition", "cut", "pause", "loss", "duplicate", "clock"],
    runs: { ci: 30, full: 200 },
    durationMs: 3000,
    nodes: NODES.length,
    optionSets: [{}],
    // idle-leader: with nothing wrong, a leader must emerge and keep renewing its lease.
    targeted: { cutLeaderFromFollower, "idle-leader": idleLeadership<LeaseTypes>((n) => ({ leader: n.view().role === "leader", epoch: n.generation() ?? 0 })) },
  },
  brokenVariants: [
    {
      name: "noWaitOutLease",
      description: "a new leader uses its lease at once, without waiting out its predecessor's, so two leases overlap",
      variant: { noWaitOutLease: true },
      caughtBy: ["replay", "histories"],
      targeted: "cutLeaderFromFollower",
    },
  ],
  bench,
  status: (n) => {
    const v = n.view();
    return {
      role: v.role,
      leader: v.role === "leader",
      epoch: n.generation() ?? 0,
      epochName: "generation",
      leaderId: n.leader(),
      commitIndex: 0,
      appliedIndex: 0,
      members: [...NODES],
    };
  },
  serve: leaseServed<LeaseTypes>(),
};

/** Every election descriptor of this package, for the registry. */
export const kits = [kit, bullyKit, ringKit] as const;

/**
 * What the descriptors of the elections without leases (Bully, the ring) share: their histories
 * part (`lead` queries while nodes crash, judged by the settled-leader judge: after every fault
 * heals and every node restarts, every answer names the highest-ranked node) and their status.
 *
 * @module
 */
import { settledLeader, type HistoriesPart, type KitTypes, type NodeStatus } from "@synod/conformance";
import type { NodeId, ProtocolNode, Rng, Traced } from "@synod/protocol";
import type { Elector } from "../elector.js";
import type { LeadCommand, LeadResult } from "../messages.js";

/** A `lead` query; `settled` marks the queries made after the faults stopped (the judge's `lead-settled`). */
export type SettledCommand = LeadCommand & { settled?: boolean };

/** An election node without leases, as the shared parts use it. */
export type SettledNode<Msg> = ProtocolNode<Msg, SettledCommand, LeadResult> & Traced & Elector & { readonly electing: boolean };

/** The kit types of an election without leases. */
export interface SettledTypes<Msg, N extends SettledNode<Msg>, Variant> extends KitTypes {
  msg: Msg;
  cmd: SettledCommand;
  res: LeadResult;
  node: N;
  traced: N;
  variant: Variant;
}

/**
 * The histories part for `nodes` (ranked n1 < n2 < ...): production nodes from `make`, `lead`
 * queries while nodes crash (the fault these elections claim to survive), 20 runs in CI.
 */
export function settledHistories<T extends SettledTypes<unknown, SettledNode<unknown>, unknown>>(
  nodes: readonly NodeId[],
  make: (id: NodeId, peers: readonly NodeId[], rng: Rng, variant: T["variant"] | undefined) => T["node"],
): HistoriesPart<T> {
  return {
    node: ({ id, peers, rng, variant }) => make(id, peers, rng, variant),
    service: {
      name: "leadership",
      nextCommand: () => ({ op: "lead" }),
      finalCommands: () => [
        { op: "lead", settled: true },
        { op: "lead", settled: true },
      ],
      invoke: (cmd) => ({ f: cmd.settled === true ? "lead-settled" : "lead", value: null }),
      complete: (_cmd, res) => ({ node: res.node, generation: res.generation, leaseRemainingMs: res.leaseRemainingMs }),
    },
    judge: settledLeader({ members: nodes, expected: nodes[nodes.length - 1]! }),
    faults: ["crash"],
    runs: { ci: 20, full: 200 },
    durationMs: 3000,
    nodes: nodes.length,
    optionSets: [{}],
  };
}

/** What a node without leases says about itself (no epoch, no log). */
export function settledStatus(nodes: readonly NodeId[]): (n: SettledNode<unknown>) => NodeStatus {
  return (n) => ({
    role: n.isLeader(0) ? "leader" : n.electing ? "candidate" : "follower",
    leader: n.isLeader(0),
    epoch: 0,
    leaderId: n.leader(),
    commitIndex: 0,
    appliedIndex: 0,
    members: [...nodes],
  });
}

/**
 * Single-server membership changes. A configuration takes effect on a node as soon as its entry is
 * in the node's log; only one change may be uncommitted at a time, so any two consecutive
 * configurations have overlapping majorities and joint consensus is not needed.
 *
 * New voters join as learners first: the leader promotes a learner once it has caught up to the
 * commit index, so adding a server never stalls commits while it copies the log.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { AdminCommand, Membership } from "./types.js";

/** A configuration from lists in any order (sorted, duplicates removed). */
export function makeMembership(voters: readonly NodeId[], learners: readonly NodeId[] = []): Membership {
  const v = [...new Set(voters)].sort();
  const l = [...new Set(learners)].filter((x) => !v.includes(x)).sort();
  return { voters: v, learners: l };
}

/** Every member, voters first. */
export function members(c: Membership): NodeId[] {
  return [...c.voters, ...c.learners];
}

export function isVoter(c: Membership, id: NodeId): boolean {
  return c.voters.includes(id);
}

export function isMember(c: Membership, id: NodeId): boolean {
  return c.voters.includes(id) || c.learners.includes(id);
}

export function sameMembership(a: Membership, b: Membership): boolean {
  return a.voters.join("\u0000") === b.voters.join("\u0000") && a.learners.join("\u0000") === b.learners.join("\u0000");
}

/** What a membership request asks of the current configuration. */
export type ConfigPlan =
  /** Already in the requested state: answer `{ ok: true }` at once. */
  | { kind: "done" }
  /** Append this configuration. `thenPromote` says the node must be promoted once caught up. */
  | { kind: "change"; config: Membership; thenPromote: boolean }
  | { kind: "rejected"; reason: string };

/** Plan a membership command against the current configuration `c`. */
export function planChange(c: Membership, cmd: Exclude<AdminCommand, { op: "transfer-leadership" }>): ConfigPlan {
  switch (cmd.op) {
    case "add-learner":
      if (isVoter(c, cmd.node)) return { kind: "rejected", reason: `${cmd.node} is already a voter` };
      if (isMember(c, cmd.node)) return { kind: "done" };
      return { kind: "change", config: makeMembership(c.voters, [...c.learners, cmd.node]), thenPromote: false };
    case "add-server":
      if (isVoter(c, cmd.node)) return { kind: "done" };
      if (c.learners.includes(cmd.node)) return { kind: "change", config: promote(c, cmd.node), thenPromote: false };
      return { kind: "change", config: makeMembership(c.voters, [...c.learners, cmd.node]), thenPromote: true };
    case "remove-server":
      if (!isMember(c, cmd.node)) return { kind: "done" };
      if (isVoter(c, cmd.node) && c.voters.length === 1) return { kind: "rejected", reason: "cannot remove the last voter" };
      return {
        kind: "change",
        config: makeMembership(
          c.voters.filter((x) => x !== cmd.node),
          c.learners.filter((x) => x !== cmd.node),
        ),
        thenPromote: false,
      };
  }
}

/** `c` with learner `node` made a voter. */
export function promote(c: Membership, node: NodeId): Membership {
  return makeMembership([...c.voters, node], c.learners.filter((x) => x !== node));
}

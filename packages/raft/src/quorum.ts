/**
 * Majority arithmetic, alone: how many voters make a quorum, the highest index a quorum stores,
 * and the outcome of a vote. Joint consensus is not needed (membership changes one server at a time).
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** The smallest majority of `voterCount` voters. */
export function quorumSize(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/**
 * The largest index stored by a quorum of `voters`, given each voter's match index.
 * Returns 0 when there are no voters.
 */
export function quorumIndex(voters: readonly NodeId[], matchOf: (id: NodeId) => number): number {
  if (voters.length === 0) return 0;
  const matches = voters.map(matchOf).sort((a, b) => b - a);
  return matches[quorumSize(voters.length) - 1] ?? 0;
}

/** Outcome of an election so far. */
export type VoteResult = "won" | "lost" | "pending";

/** Tally `votes` (voter → granted?) among `voters`; responses from non-voters are ignored. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const need = quorumSize(voters.length);
  let granted = 0;
  let rejected = 0;
  for (const v of voters) {
    const r = votes.get(v);
    if (r === true) granted++;
    else if (r === false) rejected++;
  }
  if (granted >= need) return "won";
  if (voters.length - rejected < need) return "lost";
  return "pending";
}

/** True when the nodes in `acked` include a quorum of `voters`. */
export function hasQuorum(voters: readonly NodeId[], acked: (id: NodeId) => boolean): boolean {
  return voters.filter(acked).length >= quorumSize(voters.length);
}

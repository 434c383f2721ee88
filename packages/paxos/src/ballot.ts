/**
 * Ballots: totally ordered by round, then by the proposer's id, so that two proposers never use
 * the same ballot (Lamport's "ballots ordered by round then proposer").
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { Ballot } from "./types.js";

/** The zero ballot: below every ballot a proposer uses; what a fresh acceptor has promised. */
export const ZERO_BALLOT: Readonly<Ballot> = Object.freeze({ round: 0, node: "" });

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareBallots(a: Ballot, b: Ballot): number {
  if (a.round !== b.round) return a.round - b.round;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** True when `a` and `b` are the same ballot. */
export function sameBallot(a: Ballot, b: Ballot): boolean {
  return a.round === b.round && a.node === b.node;
}

/** The larger of two ballots. */
export function maxBallot(a: Ballot, b: Ballot): Ballot {
  return compareBallots(a, b) >= 0 ? a : b;
}

/** The smallest ballot of `node` above `above`. */
export function nextBallot(above: Ballot, node: NodeId): Ballot {
  return { round: above.node < node ? Math.max(above.round, 1) : above.round + 1, node };
}

/** `3.n1`, as logs and errors print a ballot. */
export function formatBallot(b: Ballot): string {
  return b.round === 0 ? "0" : `${b.round}.${b.node}`;
}

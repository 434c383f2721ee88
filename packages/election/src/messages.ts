/**
 * What election nodes say to each other and to their clients. Each algorithm has its own message
 * union (discriminated by `type`); the client command and its answer are shared, so one workload
 * and one judge serve all three.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/**
 * Bully (Garcia-Molina): `Election` goes to every higher-ranked node, a live one answers `Answer`
 * and takes over the election; the winner broadcasts `Coordinator`. `Alive` is the leader's
 * heartbeat, by which the others notice its crash (it is not part of an election's cost).
 */
export type BullyMessage =
  | { type: "Election" }
  | { type: "Answer" }
  | { type: "Coordinator" }
  | { type: "Alive" };

/**
 * Chang–Roberts ring: `Election(candidate)` travels clockwise, swallowed by any node with a higher
 * id that is already taking part; the node that gets its own id back sends `Elected(leader)` once
 * round. `Ack` names the ring message it acknowledges (`of` and `id`: its type and its candidate
 * or leader) to its sender, which skips a successor that never acknowledges (crashed); ring
 * messages are idempotent, so an acknowledgement by content covers every copy. `Alive` is the
 * leader's heartbeat. Neither counts towards an election's cost in the textbook bounds, and the
 * bench counts them apart.
 */
export type RingMessage =
  | { type: "Election"; candidate: NodeId }
  | { type: "Elected"; leader: NodeId }
  | { type: "Ack"; of: "Election" | "Elected"; id: NodeId }
  | { type: "Alive" };

/**
 * Lease election (`specs/election/LeaseElection.tla` uses the same names): a candidate asks for
 * the votes of generation `gen` (`Campaign`), a voter that has promised nothing newer grants it
 * (`Grant`); a leader renews its lease in numbered rounds (`Renew`), each acknowledged (`Ack`) by
 * the nodes that have promised nothing newer. Rounds number from 1 within a generation (the
 * campaign is round 0).
 */
export type LeaseMessage =
  | { type: "Campaign"; gen: number }
  | { type: "Grant"; gen: number }
  | { type: "Renew"; gen: number; round: number }
  | { type: "Ack"; gen: number; round: number };

/** Any election message. */
export type ElectionMessage = BullyMessage | RingMessage | LeaseMessage;

/**
 * The one client command: "are you the leader?". A node that believes it leads (for a lease
 * election: holds a valid lease right now, by its own clock) answers {@link LeadResult}; any other
 * answers `not-leader` with the leader it knows of as `leaderHint`.
 */
export interface LeadCommand {
  op: "lead";
}

/** A leader's answer to {@link LeadCommand}. */
export interface LeadResult {
  /** The answering node. */
  node: NodeId;
  /** Its generation (fencing token); `null` for algorithms without one (Bully, ring). */
  generation: number | null;
  /**
   * How much longer its lease is valid, in ms of its own clock; `null` without leases. A real-time
   * lower bound is `leaseRemainingMs / (1 + ρ)` for the drift bound ρ.
   */
  leaseRemainingMs: number | null;
}

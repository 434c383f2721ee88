/**
 * The wire: client commands and results, and the messages gossip nodes exchange — SWIM's probes
 * (with membership updates piggybacked), rumors (with the feedback that stops them), and the
 * anti-entropy exchange of Merkle hashes and the entries of differing ranges.
 *
 * @module
 */
import type { Json, NodeId } from "@synod/protocol";
import type { Dot } from "./payload.js";
import type { VersionVector } from "./version-vector.js";

/**
 * A client command: update a key with the payload's operation (its `parseOp` JSON form), or read
 * it — at the replica that receives it, or at replica `at` (another replica answers `not-leader`
 * with `at` as the hint, so a client reaches every replica through any one). An update names its
 * replica when the client may retry it elsewhere: the replica applies a (client, seq) once.
 */
export type GossipCommand = { op: "update"; key: string; update: Json; at?: NodeId } | { op: "read"; key: string; at?: NodeId };

/**
 * A command's result. An update's: the replica, the dot it was given, its causal past (the key's
 * version vector at the origin just before it) and the operation as applied. A read's: the
 * replica, the value, and the updates of the key its state includes.
 */
export type GossipResult =
  | { op: "update"; key: string; node: NodeId; dot: Dot; deps: VersionVector; applied: Json }
  | { op: "read"; key: string; node: NodeId; value: Json; vv: VersionVector };

/** A membership change, as SWIM disseminates it (memberlist's alive / suspect / dead messages). */
export interface MemberUpdate {
  kind: "alive" | "suspect" | "dead";
  node: NodeId;
  incarnation: number;
}

/**
 * One update on its way to every replica: its dot, the key's version vector at the origin just
 * before it (its causal dependencies), and the delta to join.
 */
export interface Delta {
  key: string;
  dot: Dot;
  deps: VersionVector;
  delta: Json;
}

/** A rumor the receiver already knew: the key and the update's dot. */
export interface KnownDot {
  key: string;
  origin: NodeId;
  seq: number;
}

/** A key's replicated state: the payload state and the updates it includes. */
export interface WireEntry {
  key: string;
  state: Json;
  vv: VersionVector;
}

/** Messages between gossip nodes. */
export type GossipMessage =
  /** SWIM: are you alive? `seq` is the prober's. */
  | { type: "Ping"; seq: number; updates: MemberUpdate[] }
  /** SWIM: yes (to a direct ping, or relayed for an indirect one). */
  | { type: "Ack"; seq: number; updates: MemberUpdate[] }
  /** SWIM: please ping `target` for me and relay its ack under my `seq`. */
  | { type: "PingReq"; seq: number; target: NodeId; updates: MemberUpdate[] }
  /**
   * Rumor mongering: hot rumors pushed (`deltas`), which of the peer's deltas were already known
   * (`known`, the feedback that cools rumors), whether the receiver should send its hot rumors
   * back (`pull`), and whether the receiver should answer with feedback (`feedback`).
   */
  | { type: "Rumor"; deltas: Delta[]; known: KnownDot[]; pull: boolean; feedback: boolean }
  /**
   * Anti-entropy: the sender's hashes of these tree nodes (all at `level`); the receiver descends
   * into the ones that differ from its own.
   */
  | { type: "AeHashes"; level: number; hashes: [index: number, hash: string][] }
  /**
   * Anti-entropy: the sender's entries of these leaf ranges (or of everything, for a full-state
   * exchange: `leaves` null); with `reply`, the receiver sends back what the sender lacks.
   */
  | { type: "AeEntries"; leaves: number[] | null; entries: WireEntry[]; reply: boolean };

/** The message types, for filters and counts. */
export const MESSAGE_TYPES = ["Ping", "Ack", "PingReq", "Rumor", "AeHashes", "AeEntries"] as const;

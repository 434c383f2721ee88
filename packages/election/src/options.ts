/**
 * Options of the three election nodes, their defaults and validation: an unknown option or a bad
 * value is an {@link ElectionConfigError} naming it, never a silent default.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { compareIds } from "./elector.js";

/** An option that is unknown, missing or out of range. */
export class ElectionConfigError extends Error {
  override name = "ElectionConfigError";
}

/** Timing of the failure detector Bully and the ring share: the leader's heartbeat and the followers' patience. */
export interface DetectorOptions {
  /** Every member, this node included (any order; ranks come from {@link compareIds}). */
  members: readonly NodeId[];
  /** The leader sends `Alive` this often. Default 50 ms. */
  heartbeatMs?: number;
  /** A follower that hears no `Alive` for a time drawn from this range starts an election. Default 150–300 ms. */
  leaderTimeoutMs?: { min: number; max: number };
}

/** Options of a Bully node. */
export interface BullyOptions extends DetectorOptions {
  /** An election with no `Answer` after this long is won. Default 20 ms. */
  answerTimeoutMs?: number;
  /** After an `Answer`, no `Coordinator` within this long restarts the election. Default 60 ms. */
  coordinatorTimeoutMs?: number;
  /**
   * A broken build for conformance: a node that answers a lower node's `Election` does not take
   * the election over, so an election started low never climbs to the top.
   */
  noTakeover?: boolean;
}

/** Options of a Chang–Roberts ring node. */
export interface RingOptions extends DetectorOptions {
  /** The ring, clockwise (default: {@link BullyOptions.members} in rank order). */
  ring?: readonly NodeId[];
  /** A ring message not acknowledged after this long goes to the next successor instead. Default 20 ms. */
  ackTimeoutMs?: number;
  /**
   * A broken build for conformance: a node already taking part swallows a higher candidate's
   * `Election` instead of passing it on, so the highest node's candidacy can die on the way.
   */
  swallowHigher?: boolean;
}

/** Options of a lease-election node. */
export interface LeaseOptions {
  /** Every member, this node included. A majority of them grants a generation or a lease. */
  members: readonly NodeId[];
  /** A lease lasts this long on the leader's clock, from the moment it asked for it. Default 100 ms. */
  leaseMs?: number;
  /**
   * The clock-drift bound ρ the protocol is safe under: every clock runs at a rate in
   * `[1 − ρ, 1 + ρ]` of real time. A new leader waits `leaseMs · (1 + ρ) / (1 − ρ)` of its own clock
   * before it uses its lease. Default 0.05; must be in `[0, 1)`.
   */
  driftBound?: number;
  /** The leader starts a renewal round this often. Default 25 ms (must be below `leaseMs`). */
  renewEveryMs?: number;
  /** A node that hears no leader for a time drawn from this range campaigns. Default 150–300 ms. */
  electionTimeoutMs?: { min: number; max: number };
  /**
   * A deliberately broken build (conformance must catch it): a new leader uses its lease at once,
   * without waiting out its predecessor's, so two leases can overlap.
   */
  noWaitOutLease?: boolean;
}

type Obj = Record<string, unknown>;

/** Reject options a node does not know. */
export function checkKnown(algorithm: string, o: object, known: readonly string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new ElectionConfigError(`unknown ${algorithm} option ${JSON.stringify(k)} (known: ${known.join(", ")})`);
}

/** The members, checked: non-empty, distinct ids, including `self`; sorted by rank. */
export function checkMembers(algorithm: string, self: NodeId, members: unknown, name = "members"): NodeId[] {
  if (!Array.isArray(members) || members.length === 0 || members.some((m) => typeof m !== "string" || m === "")) {
    throw new ElectionConfigError(`${algorithm} option ${name}: expected a non-empty list of node ids, got ${JSON.stringify(members)}`);
  }
  if (new Set(members).size !== members.length) throw new ElectionConfigError(`${algorithm} option ${name}: duplicate node id in ${JSON.stringify(members)}`);
  if (!members.includes(self)) throw new ElectionConfigError(`${algorithm} option ${name}: ${JSON.stringify(members)} does not include this node ${self}`);
  return [...(members as NodeId[])];
}

/** A positive number of ms (default `dflt`). */
export function positiveMs(algorithm: string, o: Obj, name: string, dflt: number): number {
  const v = o[name] ?? dflt;
  if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) throw new ElectionConfigError(`${algorithm} option ${name}: expected a positive number of ms, got ${JSON.stringify(v)}`);
  return v;
}

/** A `{ min, max }` range of positive ms with min <= max (default `dflt`). */
export function rangeMs(algorithm: string, o: Obj, name: string, dflt: { min: number; max: number }): { min: number; max: number } {
  const v = (o[name] ?? dflt) as { min?: unknown; max?: unknown } | null;
  const ok = typeof v === "object" && v !== null && Object.keys(v).every((k) => k === "min" || k === "max") && typeof v.min === "number" && typeof v.max === "number" && Number.isInteger(v.min) && Number.isInteger(v.max) && v.min > 0 && v.max >= v.min;
  if (!ok) throw new ElectionConfigError(`${algorithm} option ${name}: expected { min, max } whole ms with 0 < min <= max, got ${JSON.stringify(v)}`);
  return { min: v.min as number, max: v.max as number };
}

/** A boolean flag (default false). */
export function flag(algorithm: string, o: Obj, name: string): boolean {
  const v = o[name] ?? false;
  if (typeof v !== "boolean") throw new ElectionConfigError(`${algorithm} option ${name}: expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** Members in rank order, lowest first. */
export function byRank(members: readonly NodeId[]): NodeId[] {
  return [...members].sort(compareIds);
}

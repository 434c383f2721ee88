/**
 * The messages Paxos nodes exchange, named after the phases of Lamport's Paxos.tla: Prepare
 * (Phase 1a), Promise (1b), Accept (2a), Accepted (2b), plus Nack (a refusal naming the promise
 * that caused it) and Learn (chosen values, for learners catching up). Single-decree Paxos uses
 * the same messages with the one instance 0.
 *
 * @module
 */
import type { AcceptedValue, Ballot, LogValue, Proposal } from "./types.js";
import { validateKvCommand } from "@synod/kv";
import { validateLogValue, type CommandValidator } from "./validate.js";

/** Every message Paxos nodes send each other. All are plain JSON. */
export type PaxosMessage =
  /**
   * Phase 1a for every instance from `fromSlot` on: "promise me `ballot`". `time`: the sender's
   * clock when it sent it, echoed in the Promise (the lease counts from it).
   */
  | { type: "Prepare"; ballot: Ballot; fromSlot: number; time: number }
  /** Phase 1b: the promise, with every value the acceptor accepted in instances from `fromSlot`. */
  | { type: "Promise"; ballot: Ballot; fromSlot: number; accepted: (AcceptedValue & { slot: number })[]; time: number }
  /**
   * Phase 2a for a batch of instances (empty: a heartbeat). `commit`: every instance up to it is
   * chosen (learners mark those they accepted in `ballot`). `time`: the leader's clock when it
   * sent it, echoed in the Accepted to renew its lease.
   */
  | { type: "Accept"; ballot: Ballot; proposals: Proposal[]; commit: number; time: number }
  /**
   * Phase 2b for the instances `slots` of `ballot`; `learned`: the acceptor's chosen prefix after
   * the Accept; `commit`: the Accept's commit index, echoed (learned below it: values are missing).
   */
  | { type: "Accepted"; ballot: Ballot; slots: number[]; learned: number; commit: number; time: number }
  /** A refusal of `ballot` (a Prepare or Accept) because the acceptor promised `promised`. */
  | { type: "Nack"; ballot: Ballot; promised: Ballot }
  /** Chosen values, sent by a leader to a learner whose chosen prefix is behind. */
  | { type: "Learn"; entries: Proposal[] }
  /**
   * Pre-vote (production only, no counterpart in MultiPaxos.tla): "would you promise `ballot` if
   * I ran Phase 1 with it?". Changes no state of the receiver; see `MultiPaxosOptions.preVote`.
   */
  | { type: "PreVote"; ballot: Ballot }
  /** The answer to a PreVote for `ballot`. */
  | { type: "PreVoteReply"; ballot: Ballot; granted: boolean };

/** The `type` tags of {@link PaxosMessage}. */
export type PaxosMessageType = PaxosMessage["type"];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isNat(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/** `null` when `b` is a well-formed ballot, else the problem. */
export function validateBallot(b: unknown): string | null {
  if (!isObject(b)) return "ballot is not an object";
  if (!isNat(b.round)) return "ballot 'round' must be a non-negative integer";
  if (typeof b.node !== "string") return "ballot 'node' must be a string";
  if ((b.round === 0) !== (b.node === "")) return "ballot: round 0 exactly for the zero ballot (node \"\")";
  return null;
}

function checkProposals(ps: unknown, field: string, validateCommand: CommandValidator): string | null {
  if (!Array.isArray(ps)) return `'${field}' must be an array`;
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k] as unknown;
    if (!isObject(p) || !isNat(p.slot)) return `${field}[${k}].slot must be a non-negative integer`;
    const bad = validateLogValue(p.value, validateCommand);
    if (bad !== null) return `${field}[${k}].value: ${bad}`;
  }
  return null;
}

/**
 * `null` when `m` is a well-formed {@link PaxosMessage}, else the problem in words; the log values'
 * commands are checked by `validateCommand` (the hosted service's, the key-value store's by default).
 */
export function checkPaxosMessage(m: unknown, validateCommand: CommandValidator = validateKvCommand): string | null {
  if (!isObject(m)) return "message is not an object";
  const ballot = (f: string): string | null => {
    const bad = validateBallot(m[f]);
    return bad === null ? null : `${String(m.type)}.${f}: ${bad}`;
  };
  const time = (): string | null => (typeof m.time === "number" && Number.isFinite(m.time) && m.time >= 0 ? null : `${String(m.type)}.time must be a non-negative number`);
  switch (m.type) {
    case "Prepare":
      return ballot("ballot") ?? (isNat(m.fromSlot) ? null : "Prepare.fromSlot must be a non-negative integer") ?? time();
    case "Promise": {
      const b = ballot("ballot");
      if (b !== null) return b;
      if (!isNat(m.fromSlot)) return "Promise.fromSlot must be a non-negative integer";
      if (time() !== null) return time();
      if (!Array.isArray(m.accepted)) return "Promise.accepted must be an array";
      for (let k = 0; k < m.accepted.length; k++) {
        const a = m.accepted[k] as unknown;
        if (!isObject(a) || !isNat(a.slot)) return `Promise.accepted[${k}].slot must be a non-negative integer`;
        const bb = validateBallot(a.ballot);
        if (bb !== null) return `Promise.accepted[${k}]: ${bb}`;
        const bv = validateLogValue(a.value, validateCommand);
        if (bv !== null) return `Promise.accepted[${k}].value: ${bv}`;
      }
      return null;
    }
    case "Accept":
      return (
        ballot("ballot") ??
        checkProposals(m.proposals, "Accept.proposals", validateCommand) ??
        (isNat(m.commit) ? null : "Accept.commit must be a non-negative integer") ??
        time()
      );
    case "Accepted":
      if (!Array.isArray(m.slots) || !m.slots.every(isNat)) return "Accepted.slots must be an array of non-negative integers";
      return (
        ballot("ballot") ??
        (isNat(m.learned) ? null : "Accepted.learned must be a non-negative integer") ??
        (isNat(m.commit) ? null : "Accepted.commit must be a non-negative integer") ??
        time()
      );
    case "Nack":
      return ballot("ballot") ?? ballot("promised");
    case "Learn":
      return checkProposals(m.entries, "Learn.entries", validateCommand);
    case "PreVote":
      return ballot("ballot");
    case "PreVoteReply":
      return ballot("ballot") ?? (typeof m.granted === "boolean" ? null : "PreVoteReply.granted must be true or false");
    default:
      return `unknown message type ${JSON.stringify(m.type)}`;
  }
}

/** Re-exported for hosts that validate log values read from storage. */
export type { LogValue };

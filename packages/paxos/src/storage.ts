/**
 * The durable key layout of a Multi-Paxos node, the writes that keep it current, and recovery.
 *
 * | key | value |
 * |---|---|
 * | `paxos/node` | the node id (guards against mounting another node's storage) |
 * | `paxos/promised` | the acceptor's promise, a ballot `{ round, node }` |
 * | `paxos/accepted/<slot>` | `{ ballot, value }`: what the acceptor accepted in the instance |
 * | `paxos/chosen/<slot>` | the value the learner knows is chosen in the instance |
 *
 * Slots are zero-padded to 12 digits. The acceptor's promise and accepted values are what Paxos
 * needs to survive a crash: they are in the same ready as the Promise or Accepted message that
 * reports them, and the host persists before it sends. Chosen values are kept so a restarted node
 * rebuilds its state machine without a round trip; losing one only costs a catch-up.
 *
 * @module
 */
import type { DurableWrite, Json, NodeId } from "@synod/protocol";
import { ZERO_BALLOT } from "./ballot.js";
import { validateBallot } from "./messages.js";
import type { AcceptedValue, Ballot, LogValue } from "./types.js";
import { validateKvCommand } from "@synod/kv";
import { validateLogValue, type CommandValidator } from "./validate.js";

/** Key of the node id. */
export const NODE_KEY = "paxos/node";
/** Key of the acceptor's promise. */
export const PROMISED_KEY = "paxos/promised";
/**
 * Spec mode only: the node's clock in ticks. MultiPaxos.tla's clocks are the machines' and survive
 * a restart; a simulator restarts a node as a new object, so the tick count is kept here.
 */
export const SPEC_CLOCK_KEY = "paxos/spec-clock";
/** Prefix of accepted values, one key per instance. */
export const ACCEPTED_PREFIX = "paxos/accepted/";
/** Prefix of chosen values, one key per instance. */
export const CHOSEN_PREFIX = "paxos/chosen/";

/** Durable state that cannot be used: a key is missing, malformed or belongs to another node. */
export class PaxosStorageError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`paxos storage: ${key}: ${problem}`);
    this.name = "PaxosStorageError";
  }
}

function pad(slot: number): string {
  return String(slot).padStart(12, "0");
}

/** The key of instance `slot`'s accepted value. */
export function acceptedKey(slot: number): string {
  return `${ACCEPTED_PREFIX}${pad(slot)}`;
}

/** The key of instance `slot`'s chosen value. */
export function chosenKey(slot: number): string {
  return `${CHOSEN_PREFIX}${pad(slot)}`;
}

/** The write of a promise. */
export function promisedWrite(b: Ballot): DurableWrite {
  return { key: PROMISED_KEY, value: { round: b.round, node: b.node } };
}

/** The write of an accepted value. */
export function acceptedWrite(slot: number, a: AcceptedValue): DurableWrite {
  return { key: acceptedKey(slot), value: { ballot: { round: a.ballot.round, node: a.ballot.node }, value: a.value as unknown as Json } };
}

/** The write of a chosen value. */
export function chosenWrite(slot: number, v: LogValue): DurableWrite {
  return { key: chosenKey(slot), value: v as unknown as Json };
}

/** What recovery found. */
export interface Recovered {
  promised: Ballot;
  accepted: Map<number, AcceptedValue>;
  chosen: Map<number, LogValue>;
}

function slotOf(key: string, prefix: string): number {
  const digits = key.slice(prefix.length);
  if (!/^[0-9]{12}$/.test(digits)) throw new PaxosStorageError(key, "malformed slot");
  return Number(digits);
}

/**
 * Rebuild a node's durable state, validating every key (`validateCommand` checks the hosted
 * service's commands, the key-value store's by default). Returns `null` for an empty map (nothing
 * was ever persisted, so nothing was ever promised). Throws {@link PaxosStorageError} naming the
 * key and the problem when the map is corrupt.
 */
export function recover(id: NodeId, durable: ReadonlyMap<string, Json>, validateCommand: CommandValidator = validateKvCommand): Recovered | null {
  if (durable.size === 0) return null;
  let promised: Ballot | null = null;
  const accepted = new Map<number, AcceptedValue>();
  const chosen = new Map<number, LogValue>();
  for (const [key, value] of durable) {
    if (key === NODE_KEY) {
      if (value !== id) throw new PaxosStorageError(key, `belongs to node ${JSON.stringify(value)}, not ${JSON.stringify(id)}`);
    } else if (key === PROMISED_KEY) {
      const bad = validateBallot(value);
      if (bad !== null) throw new PaxosStorageError(key, bad);
      promised = value as unknown as Ballot;
    } else if (key === SPEC_CLOCK_KEY) {
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new PaxosStorageError(key, "must be a non-negative integer");
    } else if (key.startsWith(ACCEPTED_PREFIX)) {
      const slot = slotOf(key, ACCEPTED_PREFIX);
      const v = value as { ballot?: unknown; value?: unknown } | null;
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new PaxosStorageError(key, "not an object");
      const bb = validateBallot(v.ballot);
      if (bb !== null) throw new PaxosStorageError(key, bb);
      const bv = validateLogValue(v.value, validateCommand);
      if (bv !== null) throw new PaxosStorageError(key, `value: ${bv}`);
      accepted.set(slot, { ballot: v.ballot as Ballot, value: v.value as LogValue });
    } else if (key.startsWith(CHOSEN_PREFIX)) {
      const slot = slotOf(key, CHOSEN_PREFIX);
      const bv = validateLogValue(value, validateCommand);
      if (bv !== null) throw new PaxosStorageError(key, bv);
      chosen.set(slot, value as unknown as LogValue);
    } else {
      throw new PaxosStorageError(key, "unknown key");
    }
  }
  if (!durable.has(NODE_KEY)) throw new PaxosStorageError(NODE_KEY, "missing");
  return { promised: promised ?? { ...ZERO_BALLOT }, accepted, chosen };
}

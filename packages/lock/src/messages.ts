/**
 * The wire messages of a Redlock cluster, its client commands and their results, with wire
 * validation for hosts that receive them from outside.
 *
 * @module
 */
import { validateCoordCommand, type CoordCommand, type CoordResult } from "@synod/kv";
import type { Json, NodeId } from "@synod/protocol";
import type { RaftMessage } from "@synod/raft";

/** An attempt's identity: `<client>.<incarnation>.<n>`, unique per client attempt (Redlock's random value). */
export type AttemptId = string;

/** Messages between clients, stores, the token counter and the storage. */
export type LockMessage =
  /** SET lock <attempt> NX PX ttl, from a client to a store. */
  | { type: "SetNX"; client: string; attempt: AttemptId }
  /** A store's answer: whether the key is now the attempt's. */
  | { type: "SetNXReply"; attempt: AttemptId; ok: boolean }
  /**
   * The end of an attempt: DEL lock if its value is still `attempt` (Redlock's unlock script), sent
   * to every store whether the attempt held the lock or failed. Not answered: a lost DEL leaves
   * the key to expire.
   */
  | { type: "Del"; client: string; attempt: AttemptId }
  /** A client with keys on a majority asks for a fencing token. */
  | { type: "TokenRequest"; client: string; attempt: AttemptId }
  /** The counter's token for the attempt (the same one however often asked). */
  | { type: "TokenReply"; attempt: AttemptId; token: number }
  /**
   * The protected write. `token` is the holder's fencing token; the storage accepts a token no
   * lower than the highest it has accepted.
   */
  | { type: "Write"; client: string; attempt: AttemptId; token: number; value: string }
  /** The storage's verdict on a write (the same one however often asked). */
  | { type: "WriteReply"; attempt: AttemptId; accepted: boolean }
  /** A command to the coordination server, exactly once per `(client, seq)`. */
  | { type: "Coord"; client: string; seq: number; command: CoordCommand }
  /** The coordination server's answer. */
  | { type: "CoordReply"; client: string; seq: number; result: CoordResult }
  /** A replica of the Raft-replicated tree cannot serve the request: ask `leader` (null: unknown) instead. */
  | { type: "CoordRedirect"; client: string; seq: number; leader: NodeId | null }
  /** Raft's own traffic between the tree's replicas (checked by the receiving Raft node). */
  | { type: "Raft"; message: RaftMessage }
  /** Tell me once `key` is gone (ZooKeeper's exists-watch; fires at once if it is already gone). */
  | { type: "Watch"; key: string }
  /** A watched key is gone. */
  | { type: "WatchEvent"; key: string };

/** Client commands. */
export type LockCommand =
  /** To a lock client: take the lock, write `value` to the storage under it, let the lock go. */
  | { op: "work"; value: string }
  /** To the storage: its log of accepted writes. */
  | { op: "log" };

/** One write the storage accepted. */
export interface AcceptedWrite {
  attempt: AttemptId;
  token: number;
  value: string;
}

/** Command results. */
export type LockResult =
  | {
      op: "work";
      attempt: AttemptId;
      token: number;
      accepted: boolean;
      /**
       * How long the request waited for the lock, in ms of the lock client's clock from the request
       * to holding (its acquire latency: under contention the wait for the holders ahead of it, for
       * Redlock with its failed attempts and back-offs).
       */
      waitedMs?: number;
    }
  | { op: "log"; writes: AcceptedWrite[] };

const isStr = (v: unknown): v is string => typeof v === "string";
const isTok = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1;

/** `null` if `m` is a well-formed {@link LockMessage}, else what is wrong with it. */
export function checkMessage(m: unknown): string | null {
  if (typeof m !== "object" || m === null) return "not an object";
  const x = m as Record<string, unknown>;
  switch (x.type) {
    case "SetNX":
    case "Del":
    case "TokenRequest":
      return isStr(x.client) && isStr(x.attempt) ? null : `${x.type}: client and attempt must be strings`;
    case "SetNXReply":
      return isStr(x.attempt) && typeof x.ok === "boolean" ? null : "SetNXReply: attempt string and ok boolean expected";
    case "TokenReply":
      return isStr(x.attempt) && isTok(x.token) ? null : "TokenReply: attempt string and token >= 1 expected";
    case "Write":
      return isStr(x.client) && isStr(x.attempt) && isTok(x.token) && isStr(x.value) ? null : "Write: client, attempt, value strings and token >= 1 expected";
    case "WriteReply":
      return isStr(x.attempt) && typeof x.accepted === "boolean" ? null : "WriteReply: attempt string and accepted boolean expected";
    case "Coord":
      return isStr(x.client) && Number.isSafeInteger(x.seq) && (x.seq as number) >= 1 ? validateCoordCommand(x.command) : "Coord: client string and seq >= 1 expected";
    case "CoordReply":
      return isStr(x.client) && Number.isSafeInteger(x.seq) && typeof x.result === "object" && x.result !== null ? null : "CoordReply: client, seq and result expected";
    case "CoordRedirect":
      return isStr(x.client) && Number.isSafeInteger(x.seq) && (x.leader === null || isStr(x.leader)) ? null : "CoordRedirect: client, seq and leader (a node id or null) expected";
    case "Raft":
      return typeof x.message === "object" && x.message !== null ? null : "Raft: message object expected";
    case "Watch":
    case "WatchEvent":
      return isStr(x.key) ? null : `${x.type}: key string expected`;
    default:
      return `unknown message type ${JSON.stringify(x.type as Json)}`;
  }
}

/** `null` if `c` is a well-formed {@link LockCommand}, else what is wrong with it. */
export function checkCommand(c: unknown): string | null {
  if (typeof c !== "object" || c === null) return "not an object";
  const x = c as Record<string, unknown>;
  if (x.op === "work") return isStr(x.value) ? null : "work: value must be a string";
  if (x.op === "log") return null;
  return `unknown op ${JSON.stringify(x.op as Json)}`;
}

/**
 * How a ZooKeeper-recipe lock cluster is laid out and timed: a coordination server, the storage
 * the lock protects, and the lock clients.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { BaseOptions } from "./base.js";
import { LockConfigError } from "./options.js";

/** The layout and timing of a ZooKeeper-recipe cluster. */
export interface ZkOptions {
  /** The coordination server (the tree with sessions, ephemeral and sequential keys, watches). */
  coord: NodeId;
  /** The storage service the lock protects. */
  storage: NodeId;
  /** The lock clients. */
  clients: readonly NodeId[];
  /** A session expires after this long without a heartbeat. Default 60 ms. */
  sessionTtlMs?: number;
  /** A client sends a heartbeat this often. Default 15 ms. */
  heartbeatMs?: number;
  /** The server expires silent sessions this often. Default 10 ms. */
  expireEveryMs?: number;
  /** Time a holder works before its write. Default 2 ms. */
  workMs?: number;
  /** A client resends an unanswered request this often. Default 15 ms. */
  resendMs?: number;
  /** The lock's directory in the tree. Default `/lock/`. */
  lockPath?: string;
  /** The broken build: the storage accepts writes without checking their tokens. */
  uncheckedToken?: boolean;
}

/** {@link ZkOptions} with every default filled in, and the fields every lock node shares. */
export interface ResolvedZkOptions extends BaseOptions {
  coord: NodeId;
  sessionTtlMs: number;
  heartbeatMs: number;
  expireEveryMs: number;
  workMs: number;
  resendMs: number;
  lockPath: string;
}

const KNOWN = new Set(["coord", "storage", "clients", "sessionTtlMs", "heartbeatMs", "expireEveryMs", "workMs", "resendMs", "lockPath", "uncheckedToken"]);

/**
 * Fill in defaults and check every option.
 * @throws LockConfigError naming the option, for an unknown option or a bad value.
 */
export function resolveZkOptions(o: ZkOptions): ResolvedZkOptions {
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new LockConfigError(`unknown zk lock option ${JSON.stringify(k)}`);
  for (const k of ["coord", "storage"] as const) if (typeof o[k] !== "string" || o[k] === "") throw new LockConfigError(`zk lock option ${k}: expected a node id`);
  if (!Array.isArray(o.clients) || o.clients.length === 0 || o.clients.some((c) => typeof c !== "string" || c === "")) throw new LockConfigError("zk lock option clients: expected a non-empty list of node ids");
  const ms = (name: "sessionTtlMs" | "heartbeatMs" | "expireEveryMs" | "workMs" | "resendMs", dflt: number, min: number): number => {
    const v = o[name] ?? dflt;
    if (!(typeof v === "number" && Number.isFinite(v) && v >= min)) throw new LockConfigError(`zk lock option ${name}: expected a number >= ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const r: ResolvedZkOptions = {
    coord: o.coord,
    storage: o.storage,
    clients: [...o.clients],
    sessionTtlMs: ms("sessionTtlMs", 60, Number.MIN_VALUE),
    heartbeatMs: ms("heartbeatMs", 15, Number.MIN_VALUE),
    expireEveryMs: ms("expireEveryMs", 10, Number.MIN_VALUE),
    workMs: ms("workMs", 2, 0),
    resendMs: ms("resendMs", 15, Number.MIN_VALUE),
    lockPath: o.lockPath ?? "/lock/",
    uncheckedToken: o.uncheckedToken ?? false,
    tickMs: 1,
  };
  if (typeof r.lockPath !== "string" || r.lockPath === "") throw new LockConfigError("zk lock option lockPath: expected a non-empty string");
  if (typeof r.uncheckedToken !== "boolean") throw new LockConfigError("zk lock option uncheckedToken: expected a boolean");
  if (r.heartbeatMs >= r.sessionTtlMs) throw new LockConfigError(`zk lock option heartbeatMs: ${r.heartbeatMs} ms is not below sessionTtlMs ${r.sessionTtlMs} ms, so sessions would expire between heartbeats`);
  const all = [r.coord, r.storage, ...r.clients];
  if (new Set(all).size !== all.length) throw new LockConfigError("zk lock options: a node id has two roles (coord, storage and clients must be distinct)");
  return r;
}

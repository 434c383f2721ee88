/**
 * How a ZooKeeper-recipe lock cluster is laid out and timed: the coordination tree (one server, or
 * the replicas of a Raft cluster hosting it), the storage the lock protects, and the lock clients.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { resolveRaftOptions, type RaftOptions } from "@synod/raft";
import type { BaseOptions } from "./base.js";
import { LockConfigError } from "./options.js";

/** The layout and timing of a ZooKeeper-recipe cluster. */
export interface ZkOptions {
  /**
   * Where the coordination tree (sessions, ephemeral and sequential keys, watches) lives: one
   * server's id (`CoordServer`, not fault-tolerant), or the ids of the replicas of a Raft cluster
   * hosting it (`CoordReplica`).
   */
  coord: NodeId | readonly NodeId[];
  /** Raft's options for the replicas (only with a list of `coord` replicas). Default: Raft's defaults. */
  raft?: Partial<RaftOptions>;
  /** The storage service the lock protects. */
  storage: NodeId;
  /** The lock clients. */
  clients: readonly NodeId[];
  /** A session expires after this long without a heartbeat. Default 60 ms. */
  sessionTtlMs?: number;
  /** A client sends a heartbeat this often. Default 15 ms. */
  heartbeatMs?: number;
  /** The server (the Raft leader) expires silent sessions this often. Default 10 ms. */
  expireEveryMs?: number;
  /** Time a holder works before its write. Default 2 ms. */
  workMs?: number;
  /** A client resends an unanswered request this often. Default 15 ms. */
  resendMs?: number;
  /** The lock's directory in the tree. Default `/lock/`. */
  lockPath?: string;
  /** The broken build: the storage accepts writes without checking their tokens. */
  uncheckedToken?: boolean;
  /**
   * The broken build: a waiter whose watch fires takes the lock at once, without listing again to
   * check that its node is now the lowest (the predecessor may have gone with its expired session
   * while a node below it still holds).
   */
  trustWatch?: boolean;
}

/** {@link ZkOptions} with every default filled in, and the fields every lock node shares. */
export interface ResolvedZkOptions extends BaseOptions {
  /** The coordination servers: one, or the Raft replicas. */
  coord: NodeId[];
  /** Whether the tree is replicated by Raft (`coord` was given as a list). */
  replicated: boolean;
  raft: Partial<RaftOptions>;
  sessionTtlMs: number;
  heartbeatMs: number;
  expireEveryMs: number;
  workMs: number;
  resendMs: number;
  lockPath: string;
  trustWatch: boolean;
}

const KNOWN = new Set(["coord", "raft", "storage", "clients", "sessionTtlMs", "heartbeatMs", "expireEveryMs", "workMs", "resendMs", "lockPath", "uncheckedToken", "trustWatch"]);

/**
 * Fill in defaults and check every option.
 * @throws LockConfigError naming the option, for an unknown option or a bad value.
 */
export function resolveZkOptions(o: ZkOptions): ResolvedZkOptions {
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new LockConfigError(`unknown zk lock option ${JSON.stringify(k)}`);
  if (typeof o.storage !== "string" || o.storage === "") throw new LockConfigError("zk lock option storage: expected a node id");
  const replicated = Array.isArray(o.coord);
  const coord: NodeId[] = replicated ? [...(o.coord as readonly NodeId[])] : [o.coord as NodeId];
  if (coord.length === 0 || coord.some((c) => typeof c !== "string" || c === "")) throw new LockConfigError("zk lock option coord: expected a node id or a non-empty list of node ids (the Raft replicas)");
  if (o.raft !== undefined && !replicated) throw new LockConfigError("zk lock option raft: only for a Raft-replicated tree (give coord as a list of replicas)");
  let raft: Partial<RaftOptions> = {};
  if (o.raft !== undefined) {
    if (typeof o.raft !== "object" || o.raft === null) throw new LockConfigError("zk lock option raft: expected an object of Raft options");
    try {
      resolveRaftOptions(o.raft);
    } catch (e) {
      throw new LockConfigError(`zk lock option raft: ${(e as Error).message}`);
    }
    raft = { ...o.raft };
  }
  if (!Array.isArray(o.clients) || o.clients.length === 0 || o.clients.some((c) => typeof c !== "string" || c === "")) throw new LockConfigError("zk lock option clients: expected a non-empty list of node ids");
  const ms = (name: "sessionTtlMs" | "heartbeatMs" | "expireEveryMs" | "workMs" | "resendMs", dflt: number, min: number): number => {
    const v = o[name] ?? dflt;
    if (!(typeof v === "number" && Number.isFinite(v) && v >= min)) throw new LockConfigError(`zk lock option ${name}: expected a number >= ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const r: ResolvedZkOptions = {
    coord,
    replicated,
    raft,
    storage: o.storage,
    clients: [...o.clients],
    sessionTtlMs: ms("sessionTtlMs", 60, Number.MIN_VALUE),
    heartbeatMs: ms("heartbeatMs", 15, Number.MIN_VALUE),
    expireEveryMs: ms("expireEveryMs", 10, Number.MIN_VALUE),
    workMs: ms("workMs", 2, 0),
    resendMs: ms("resendMs", 15, Number.MIN_VALUE),
    lockPath: o.lockPath ?? "/lock/",
    uncheckedToken: o.uncheckedToken ?? false,
    trustWatch: o.trustWatch ?? false,
    tickMs: 1,
  };
  if (typeof r.lockPath !== "string" || r.lockPath === "") throw new LockConfigError("zk lock option lockPath: expected a non-empty string");
  if (typeof r.uncheckedToken !== "boolean") throw new LockConfigError("zk lock option uncheckedToken: expected a boolean");
  if (typeof r.trustWatch !== "boolean") throw new LockConfigError("zk lock option trustWatch: expected a boolean");
  if (r.heartbeatMs >= r.sessionTtlMs) throw new LockConfigError(`zk lock option heartbeatMs: ${r.heartbeatMs} ms is not below sessionTtlMs ${r.sessionTtlMs} ms, so sessions would expire between heartbeats`);
  const all = [...r.coord, r.storage, ...r.clients];
  if (new Set(all).size !== all.length) throw new LockConfigError("zk lock options: a node id has two roles (coord, storage and clients must be distinct)");
  return r;
}

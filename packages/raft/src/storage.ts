/**
 * The durable key layout of a Raft node, the writes that keep it current, and recovery from it.
 *
 * | key | value |
 * |---|---|
 * | `raft/node` | the node id (guards against mounting another node's storage) |
 * | `raft/hardstate` | `{ term, votedFor }` |
 * | `raft/membership` | the bootstrap configuration (used when neither snapshot nor log has one) |
 * | `raft/snapshot` | `{ index, term, config, data }` |
 * | `raft/log/<index>` | `{ term, command }`, index zero-padded to 12 digits |
 *
 * Write order matters because a crash may keep any prefix of a ready's writes: a truncation
 * deletes from the highest index down before the replacement entries are written, so a prefix
 * never leaves a gap; compaction writes the snapshot before deleting the entries it covers, and
 * recovery ignores leftovers at or below the snapshot index.
 *
 * @module
 */
import type { DurableWrite, Json, NodeId } from "@synod/protocol";
import { kvService, SessionService, type KvCommand, type KvResult, type StateMachineType } from "@synod/kv";
import type { LogEntry, Membership, Snapshot } from "./types.js";
import { validateLogEntry, validateMembership, validateSnapshot } from "./validate.js";

/** Key of the node id. */
export const NODE_KEY = "raft/node";
/** Key of the term and vote. */
export const HARDSTATE_KEY = "raft/hardstate";
/** Key of the bootstrap configuration. */
export const MEMBERSHIP_KEY = "raft/membership";
/** Key of the latest snapshot. */
export const SNAPSHOT_KEY = "raft/snapshot";
/** Prefix of log entry keys. */
export const LOG_PREFIX = "raft/log/";

/** The durable key of the log entry at `index`. */
export function logKey(index: number): string {
  return LOG_PREFIX + String(index).padStart(12, "0");
}

/** The durable term and vote. */
export interface HardState {
  /** The latest term the node has seen. */
  term: number;
  /** The candidate it voted for in that term, or `null`. */
  votedFor: NodeId | null;
}

/** Raised when a durable map cannot be trusted; the message names the key and the problem. */
export class RaftStorageError extends Error {
  constructor(
    /** The offending durable key (or `"(storage)"` for a whole-map problem). */
    readonly key: string,
    problem: string,
  ) {
    super(`raft storage of this node is corrupt: key '${key}': ${problem}`);
    this.name = "RaftStorageError";
  }
}

/** Writes for a new term or vote. */
export function hardStateWrite(hs: HardState): DurableWrite {
  return { key: HARDSTATE_KEY, value: { term: hs.term, votedFor: hs.votedFor } };
}

/** Writes for entries stored at `firstIndex`, `firstIndex + 1`, ... */
export function entryWrites(firstIndex: number, entries: readonly LogEntry[]): DurableWrite[] {
  return entries.map((e, k) => ({ key: logKey(firstIndex + k), value: e as unknown as Json }));
}

/** Writes that delete the entries `[from, to]`, highest index first. */
export function truncateWrites(from: number, to: number): DurableWrite[] {
  const out: DurableWrite[] = [];
  for (let i = to; i >= from; i--) out.push({ key: logKey(i), delete: true });
  return out;
}

/** Writes that record `snap` and then drop the log entries `[from, snap.index]` it covers. */
export function snapshotWrites(snap: Snapshot, compactFrom: number, compactTo: number): DurableWrite[] {
  const out: DurableWrite[] = [{ key: SNAPSHOT_KEY, value: snap as unknown as Json }];
  for (let i = compactFrom; i <= compactTo; i++) out.push({ key: logKey(i), delete: true });
  return out;
}

/** What a node recovers from its durable map. */
export interface Recovered {
  /** Term and vote. */
  hardState: HardState;
  /** The configuration the node was created with. */
  bootstrap: Membership;
  /** The latest snapshot, if any. */
  snapshot: Snapshot | null;
  /** Entries after the snapshot, contiguous from `snapshot.index + 1` (or 1). */
  entries: LogEntry[];
  /** The hosted service (behind its session table) rebuilt from the snapshot. */
  kv: SessionService<KvCommand, KvResult>;
  /** Deletes for stale leftovers (entries a crash left at or below the snapshot index). */
  cleanup: DurableWrite[];
}

/**
 * Rebuild a node's durable state from `durable`, validating every key; `service` is the hosted
 * state machine's type (the key-value store's by default). Returns `null` for an empty map (nothing
 * was ever persisted, so nothing was ever promised). Throws {@link RaftStorageError} naming the key
 * and the problem when the map is corrupt or inconsistent.
 */
export function recover(id: NodeId, durable: ReadonlyMap<string, Json>, service: StateMachineType<KvCommand, KvResult> = kvService): Recovered | null {
  if (durable.size === 0) return null;
  let hardState: HardState | null = null;
  let bootstrap: Membership | null = null;
  let snapshot: Snapshot | null = null;
  const logged = new Map<number, LogEntry>();
  for (const [key, value] of durable) {
    if (key === NODE_KEY) {
      if (value !== id) throw new RaftStorageError(key, `belongs to node ${JSON.stringify(value)}, not ${JSON.stringify(id)}`);
    } else if (key === HARDSTATE_KEY) {
      hardState = parseHardState(key, value);
    } else if (key === MEMBERSHIP_KEY) {
      const bad = validateMembership(value);
      if (bad) throw new RaftStorageError(key, bad);
      bootstrap = value as unknown as Membership;
    } else if (key === SNAPSHOT_KEY) {
      const bad = validateSnapshot(value);
      if (bad) throw new RaftStorageError(key, bad);
      snapshot = value as unknown as Snapshot;
    } else if (key.startsWith(LOG_PREFIX)) {
      const digits = key.slice(LOG_PREFIX.length);
      if (!/^[0-9]{12}$/.test(digits) || Number(digits) === 0) throw new RaftStorageError(key, "malformed log index");
      const bad = validateLogEntry(value, service.validate);
      if (bad) throw new RaftStorageError(key, bad);
      logged.set(Number(digits), value as unknown as LogEntry);
    } else {
      throw new RaftStorageError(key, "unknown key");
    }
  }
  if (!durable.has(NODE_KEY)) throw new RaftStorageError(NODE_KEY, "missing");
  if (hardState === null) throw new RaftStorageError(HARDSTATE_KEY, "missing (a vote or term would be forgotten)");
  if (bootstrap === null) throw new RaftStorageError(MEMBERSHIP_KEY, "missing");

  let kv = new SessionService(service);
  if (snapshot !== null) {
    try {
      kv = SessionService.fromJson(service, snapshot.data);
    } catch (e) {
      throw new RaftStorageError(SNAPSHOT_KEY, (e as Error).message);
    }
    if (snapshot.term > hardState.term) {
      throw new RaftStorageError(SNAPSHOT_KEY, `snapshot term ${snapshot.term} is above the stored term ${hardState.term}`);
    }
  }
  const base = snapshot?.index ?? 0;
  let prevTerm = snapshot?.term ?? 0;
  const cleanup: DurableWrite[] = [];
  const indexes = [...logged.keys()].sort((a, b) => a - b);
  const entries: LogEntry[] = [];
  for (const i of indexes) {
    if (i <= base) {
      cleanup.push({ key: logKey(i), delete: true });
      continue;
    }
    const expected = base + entries.length + 1;
    if (i !== expected) {
      throw new RaftStorageError(logKey(expected), `missing: the log has a gap before index ${i}`);
    }
    const e = logged.get(i) as LogEntry;
    if (e.term < prevTerm) throw new RaftStorageError(logKey(i), `term ${e.term} is below the previous entry's term ${prevTerm}`);
    if (e.term > hardState.term) throw new RaftStorageError(logKey(i), `term ${e.term} is above the stored term ${hardState.term}`);
    prevTerm = e.term;
    entries.push(e);
  }
  return { hardState, bootstrap, snapshot, entries, kv, cleanup };
}

function parseHardState(key: string, v: Json): HardState {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new RaftStorageError(key, "not an object");
  const { term, votedFor } = v as { term?: Json; votedFor?: Json };
  if (typeof term !== "number" || !Number.isSafeInteger(term) || term < 0) {
    throw new RaftStorageError(key, "'term' must be a non-negative integer");
  }
  if (votedFor === undefined) throw new RaftStorageError(key, "'votedFor' is missing (a vote would be forgotten)");
  if (votedFor !== null && typeof votedFor !== "string") throw new RaftStorageError(key, "'votedFor' must be a node id or null");
  return { term, votedFor };
}

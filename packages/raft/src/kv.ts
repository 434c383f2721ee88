/**
 * The replicated key-value state machine, with the client deduplication table that makes retries
 * exactly-once. Both live in the snapshot, so a node restored from a snapshot still recognises a
 * retry of a request applied before it.
 *
 * @module
 */
import type { Json } from "@synod/protocol";
import type { KvCommand, KvResult } from "./types.js";
import { validateKvCommand } from "./validate.js";

/** The outcome of applying a client command. */
export type KvApplyOutcome =
  | { kind: "applied"; result: KvResult }
  /** Same `(clientId, seq)` as the last applied request of this client: the cached answer. */
  | { kind: "duplicate"; result: KvResult }
  /** Older than the last applied request of this client: not applied, no answer is kept. */
  | { kind: "stale"; lastSeq: number };

interface Session {
  seq: number;
  result: KvResult;
}

/**
 * A string → string map plus, per client, the last applied sequence number and its result.
 * Deterministic: every replica that applies the same commands in the same order ends up equal.
 */
export class KvStore {
  private readonly data = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();

  /** Apply a client command exactly once per `(clientId, seq)`. */
  apply(clientId: string, seq: number, cmd: KvCommand): KvApplyOutcome {
    const s = this.sessions.get(clientId);
    if (s !== undefined) {
      if (seq === s.seq) return { kind: "duplicate", result: s.result };
      if (seq < s.seq) return { kind: "stale", lastSeq: s.seq };
    }
    const result = this.execute(cmd);
    this.sessions.set(clientId, { seq, result });
    return { kind: "applied", result };
  }

  /** The answer already recorded for `(clientId, seq)`, if that is the client's last applied request. */
  cached(clientId: string, seq: number): KvApplyOutcome | null {
    const s = this.sessions.get(clientId);
    if (s === undefined || seq > s.seq) return null;
    return seq === s.seq ? { kind: "duplicate", result: s.result } : { kind: "stale", lastSeq: s.seq };
  }

  /** A read outside the log (ReadIndex / lease). */
  read(key: string): KvResult {
    return { value: this.data.get(key) ?? null };
  }

  private execute(cmd: KvCommand): KvResult {
    switch (cmd.op) {
      case "get":
        return { value: this.data.get(cmd.key) ?? null };
      case "put":
        this.data.set(cmd.key, cmd.value);
        return { ok: true };
      case "delete": {
        const prev = this.data.get(cmd.key) ?? null;
        this.data.delete(cmd.key);
        return { ok: true, value: prev };
      }
      case "cas": {
        const prev = this.data.get(cmd.key) ?? null;
        if (prev !== cmd.expected) return { ok: false, value: prev };
        this.data.set(cmd.key, cmd.value);
        return { ok: true, value: prev };
      }
    }
  }

  /** Number of keys stored. */
  get size(): number {
    return this.data.size;
  }

  /** All key/value pairs, sorted by key (for tests and consistency checks). */
  entries(): [string, string][] {
    return [...this.data.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** A canonical JSON encoding (sorted), used as snapshot data. */
  toJson(): Json {
    const sessions = [...this.sessions.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([c, s]) => [c, s.seq, s.result as Json] as Json);
    return { data: this.entries(), sessions };
  }

  /** Rebuild a store from {@link KvStore.toJson} output. Throws with a precise reason on bad input. */
  static fromJson(j: Json): KvStore {
    const bad = (why: string): never => {
      throw new Error(`kv snapshot: ${why}`);
    };
    if (typeof j !== "object" || j === null || Array.isArray(j)) return bad("not an object");
    const { data, sessions } = j as { data?: Json; sessions?: Json };
    if (!Array.isArray(data)) return bad("'data' must be an array");
    if (!Array.isArray(sessions)) return bad("'sessions' must be an array");
    const kv = new KvStore();
    data.forEach((p, k) => {
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "string" || typeof p[1] !== "string") {
        bad(`data[${k}] must be a [key, value] pair of strings`);
      }
      kv.data.set((p as string[])[0] as string, (p as string[])[1] as string);
    });
    sessions.forEach((p, k) => {
      if (!Array.isArray(p) || p.length !== 3 || typeof p[0] !== "string" || !Number.isSafeInteger(p[1])) {
        bad(`sessions[${k}] must be [clientId, seq, result]`);
      }
      const [c, seq, result] = p as [string, number, Json];
      if (typeof result !== "object" || result === null || Array.isArray(result)) bad(`sessions[${k}] result must be an object`);
      kv.sessions.set(c, { seq, result: result as KvResult });
    });
    return kv;
  }
}

export { validateKvCommand };

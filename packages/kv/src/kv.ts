/**
 * The key-value service: string keys to string values, with get, put, delete and compare-and-set.
 *
 * @module
 */
import type { Json } from "@synod/protocol";
import { SessionService } from "./sessions.js";
import type { StateMachine, StateMachineType } from "./state-machine.js";

/** A key-value command a client sends to the replicated store. */
export type KvCommand =
  | { op: "get"; key: string }
  | { op: "put"; key: string; value: string }
  | { op: "delete"; key: string }
  | { op: "cas"; key: string; expected: string | null; value: string };

/**
 * The answer to a {@link KvCommand}.
 *
 * - `get` → `{ value }` (`null` when absent);
 * - `put` → `{ ok: true }`;
 * - `delete` → `{ ok: true, value }` where `value` is what was deleted (`null` if absent);
 * - `cas` → `{ ok, value }` where `ok` says whether the swap happened and `value` is the value
 *   before the command.
 */
export type KvResult = { value: string | null } | { ok: boolean; value?: string | null };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** `null` when `c` is a well-formed {@link KvCommand}, else the problem in words. */
export function validateKvCommand(c: unknown): string | null {
  if (!isObject(c)) return "command is not an object";
  if (typeof c.key !== "string") return "command field 'key' must be a string";
  switch (c.op) {
    case "get":
    case "delete":
      return null;
    case "put":
      return typeof c.value === "string" ? null : "put needs a string 'value'";
    case "cas":
      if (typeof c.value !== "string") return "cas needs a string 'value'";
      if (c.expected !== null && typeof c.expected !== "string") return "cas 'expected' must be a string or null";
      return null;
    default:
      return `unknown kv op ${JSON.stringify(c.op)}`;
  }
}

const byKey = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The key-value map as a {@link StateMachine}. */
export class KvMap implements StateMachine<KvCommand, KvResult> {
  private readonly data = new Map<string, string>();

  apply(cmd: KvCommand): KvResult {
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

  query(cmd: KvCommand): KvResult {
    if (cmd.op !== "get") throw new Error(`kv: ${cmd.op} is not read-only`);
    return { value: this.data.get(cmd.key) ?? null };
  }

  isReadOnly(cmd: KvCommand): boolean {
    return cmd.op === "get";
  }

  /** Number of keys stored. */
  get size(): number {
    return this.data.size;
  }

  /** All key/value pairs, sorted by key. */
  entries(): [string, string][] {
    return [...this.data.entries()].sort(byKey);
  }

  toJson(): Json {
    return this.entries();
  }

  /** Rebuild a map from {@link KvMap.toJson}; throws naming the bad element. */
  static fromJson(j: Json): KvMap {
    if (!Array.isArray(j)) throw new Error("kv snapshot: 'data' must be an array");
    const m = new KvMap();
    j.forEach((p, k) => {
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "string" || typeof p[1] !== "string") {
        throw new Error(`kv snapshot: data[${k}] must be a [key, value] pair of strings`);
      }
      if (m.data.has(p[0])) throw new Error(`kv snapshot: data[${k}]: key ${JSON.stringify(p[0])} appears twice`);
      m.data.set(p[0], p[1]);
    });
    return m;
  }
}

/** The key-value service's type: what a protocol needs to host it. */
export const kvService: StateMachineType<KvCommand, KvResult, KvMap> = {
  name: "kv",
  create: () => new KvMap(),
  fromJson: (j) => KvMap.fromJson(j),
  validate: validateKvCommand,
};

/**
 * The key-value store a replica applies committed entries to: {@link KvMap} behind a session table
 * (exactly-once per `(clientId, seq)`). Deterministic: every replica that applies the same
 * commands in the same order ends up equal, sessions included.
 */
export type KvStore = SessionService<KvCommand, KvResult, KvMap>;

/** A fresh, empty {@link KvStore}. */
export function newKvStore(): KvStore {
  return new SessionService(kvService);
}

/** Rebuild a {@link KvStore} from its snapshot encoding; throws naming the problem. */
export function restoreKvStore(j: Json): KvStore {
  return SessionService.fromJson(kvService, j);
}

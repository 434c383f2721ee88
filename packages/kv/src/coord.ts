/**
 * A coordination tree in the manner of ZooKeeper, as a {@link StateMachine} a replicated log (or
 * a single node) applies: keys with values, **sessions** that expire when their client goes
 * silent, **ephemeral** keys that live as long as their session, and **sequential** keys whose
 * names carry a counter that only grows (ZooKeeper's sequence / zxid: a fencing token).
 *
 * Time enters only through commands (`atMs` on `open`, `heartbeat` and `expire`), stamped by the
 * node that proposes them, so every replica applying the same commands agrees. The tree keeps the
 * latest time it has applied ({@link CoordTree.clockMs}, the committed time), so a proposer that
 * takes over (a new Raft leader) continues from it instead of from its own clock's reading. Watches are not
 * replicated state (as in ZooKeeper, they live on the server a client talks to): every result
 * lists the keys the command deleted, so the hosting server can fire the watches it holds.
 *
 * @module
 */
import type { Json } from "@synod/protocol";
import type { StateMachine, StateMachineType } from "./state-machine.js";

/** A command of the coordination tree. */
export type CoordCommand =
  /** Open session `session` that expires after `ttlMs` without a heartbeat. */
  | { op: "open"; session: string; atMs: number; ttlMs: number }
  /** The session's client is alive at `atMs`. */
  | { op: "heartbeat"; session: string; atMs: number }
  /** Close the session: its ephemeral keys go. */
  | { op: "close"; session: string }
  /**
   * Create `key` (with a 10-digit sequence number appended if `sequential`); owned by `session`
   * (an ephemeral key) if given.
   */
  | { op: "create"; key: string; value: string; session?: string; sequential?: boolean }
  /** Delete `key`. */
  | { op: "delete"; key: string }
  /** Read `key`. */
  | { op: "get"; key: string }
  /** The keys starting with `prefix`, sorted. */
  | { op: "children"; prefix: string }
  /** Expire every session silent for its ttl at `atMs` (proposed by the hosting node's clock). */
  | { op: "expire"; atMs: number };

/** The answer to a {@link CoordCommand}; `deleted` lists the keys the command removed (for watches). */
export type CoordResult =
  | { op: "open" | "heartbeat" | "close" | "expire"; ok: boolean; deleted: string[]; expired?: string[] }
  | { op: "create"; ok: boolean; key: string; seq: number; deleted: string[]; error?: string }
  | { op: "delete"; ok: boolean; deleted: string[] }
  | { op: "get"; value: string | null; owner: string | null; deleted: string[] }
  | { op: "children"; keys: string[]; deleted: string[] };

interface Entry {
  value: string;
  owner: string | null;
}

interface SessionState {
  ttlMs: number;
  lastMs: number;
}

const isStr = (v: unknown): v is string => typeof v === "string";
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** `null` when `c` is a well-formed {@link CoordCommand}, else the problem in words. */
export function validateCoordCommand(c: unknown): string | null {
  if (typeof c !== "object" || c === null || Array.isArray(c)) return "command is not an object";
  const x = c as Record<string, unknown>;
  switch (x.op) {
    case "open":
      return isStr(x.session) && isTime(x.atMs) && isTime(x.ttlMs) && (x.ttlMs as number) > 0 ? null : "open needs a string 'session', 'atMs' >= 0 and 'ttlMs' > 0";
    case "heartbeat":
      return isStr(x.session) && isTime(x.atMs) ? null : "heartbeat needs a string 'session' and 'atMs' >= 0";
    case "close":
      return isStr(x.session) ? null : "close needs a string 'session'";
    case "create":
      if (!isStr(x.key) || !isStr(x.value)) return "create needs string 'key' and 'value'";
      if (x.session !== undefined && !isStr(x.session)) return "create 'session' must be a string";
      if (x.sequential !== undefined && typeof x.sequential !== "boolean") return "create 'sequential' must be a boolean";
      return null;
    case "delete":
    case "get":
      return isStr(x.key) ? null : `${x.op} needs a string 'key'`;
    case "children":
      return isStr(x.prefix) ? null : "children needs a string 'prefix'";
    case "expire":
      return isTime(x.atMs) ? null : "expire needs 'atMs' >= 0";
    default:
      return `unknown coord op ${JSON.stringify(x.op as Json)}`;
  }
}

/** The coordination tree as a {@link StateMachine}. */
export class CoordTree implements StateMachine<CoordCommand, CoordResult> {
  private readonly data = new Map<string, Entry>();
  private readonly sessions = new Map<string, SessionState>();
  /** The last sequence number handed out (sequential creates only). */
  private seq = 0;
  /** The latest `atMs` applied (committed time; never goes back). */
  private clock = 0;

  apply(cmd: CoordCommand): CoordResult {
    if (cmd.op === "open" || cmd.op === "heartbeat" || cmd.op === "expire") this.clock = Math.max(this.clock, cmd.atMs);
    switch (cmd.op) {
      case "open":
        if (this.sessions.has(cmd.session)) return { op: "open", ok: false, deleted: [] };
        this.sessions.set(cmd.session, { ttlMs: cmd.ttlMs, lastMs: cmd.atMs });
        return { op: "open", ok: true, deleted: [] };
      case "heartbeat": {
        const s = this.sessions.get(cmd.session);
        if (s === undefined) return { op: "heartbeat", ok: false, deleted: [] };
        s.lastMs = Math.max(s.lastMs, cmd.atMs);
        return { op: "heartbeat", ok: true, deleted: [] };
      }
      case "close": {
        const ok = this.sessions.delete(cmd.session);
        return { op: "close", ok, deleted: this.dropOwnedBy(new Set([cmd.session])) };
      }
      case "expire": {
        const expired = this.expiring(cmd.atMs);
        for (const id of expired) this.sessions.delete(id);
        return { op: "expire", ok: true, deleted: this.dropOwnedBy(new Set(expired)), expired };
      }
      case "create": {
        if (cmd.session !== undefined && !this.sessions.has(cmd.session)) return { op: "create", ok: false, key: cmd.key, seq: 0, deleted: [], error: `no session ${cmd.session}` };
        const seq = cmd.sequential === true ? this.seq + 1 : 0;
        const key = cmd.sequential === true ? `${cmd.key}${String(seq).padStart(10, "0")}` : cmd.key;
        if (this.data.has(key)) return { op: "create", ok: false, key, seq: 0, deleted: [], error: "exists" };
        if (cmd.sequential === true) this.seq = seq;
        this.data.set(key, { value: cmd.value, owner: cmd.session ?? null });
        return { op: "create", ok: true, key, seq, deleted: [] };
      }
      case "delete": {
        const ok = this.data.delete(cmd.key);
        return { op: "delete", ok, deleted: ok ? [cmd.key] : [] };
      }
      case "get":
      case "children":
        return this.query(cmd);
    }
  }

  query(cmd: CoordCommand): CoordResult {
    switch (cmd.op) {
      case "get": {
        const e = this.data.get(cmd.key);
        return { op: "get", value: e?.value ?? null, owner: e?.owner ?? null, deleted: [] };
      }
      case "children":
        return { op: "children", keys: [...this.data.keys()].filter((k) => k.startsWith(cmd.prefix)).sort(), deleted: [] };
      default:
        throw new Error(`coord: ${cmd.op} is not read-only`);
    }
  }

  isReadOnly(cmd: CoordCommand): boolean {
    return cmd.op === "get" || cmd.op === "children";
  }

  /** Whether session `id` is open. */
  hasSession(id: string): boolean {
    return this.sessions.has(id);
  }

  /** The open sessions' ids, sorted. */
  sessionIds(): string[] {
    return [...this.sessions.keys()].sort();
  }

  /** The last sequence number handed out (0: none yet). */
  get lastSeq(): number {
    return this.seq;
  }

  /** The sessions an `expire` at `atMs` would expire (silent for their ttl), sorted: a proposer asks before proposing one. */
  expiring(atMs: number): string[] {
    return [...this.sessions].filter(([, s]) => s.lastMs + s.ttlMs <= atMs).map(([id]) => id).sort();
  }

  /** The committed time: the latest `atMs` of an applied `open`, `heartbeat` or `expire` (0: none). */
  get clockMs(): number {
    return this.clock;
  }

  private dropOwnedBy(owners: ReadonlySet<string>): string[] {
    const gone = [...this.data].filter(([, e]) => e.owner !== null && owners.has(e.owner)).map(([k]) => k).sort();
    for (const k of gone) this.data.delete(k);
    return gone;
  }

  toJson(): Json {
    return {
      seq: this.seq,
      clockMs: this.clock,
      data: [...this.data].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, e]) => [k, e.value, e.owner]),
      sessions: [...this.sessions].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, s]) => [id, s.ttlMs, s.lastMs]),
    };
  }

  /** Rebuild a tree from {@link CoordTree.toJson}; throws naming the bad element. */
  static fromJson(j: Json): CoordTree {
    const bad = (why: string): never => {
      throw new Error(`coord snapshot: ${why}`);
    };
    if (typeof j !== "object" || j === null || Array.isArray(j)) return bad("not an object");
    const { seq, clockMs, data, sessions } = j as { seq?: Json; clockMs?: Json; data?: Json; sessions?: Json };
    if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) return bad("'seq' must be an integer >= 0");
    if (!Array.isArray(data)) return bad("'data' must be an array");
    if (!Array.isArray(sessions)) return bad("'sessions' must be an array");
    const t = new CoordTree();
    t.seq = seq;
    data.forEach((p, k) => {
      if (!Array.isArray(p) || p.length !== 3 || !isStr(p[0]) || !isStr(p[1]) || (p[2] !== null && !isStr(p[2]))) bad(`data[${k}] must be [key, value, owner or null]`);
      const [key, value, owner] = p as [string, string, string | null];
      if (t.data.has(key)) bad(`data[${k}]: key ${JSON.stringify(key)} appears twice`);
      t.data.set(key, { value, owner });
    });
    sessions.forEach((p, k) => {
      if (!Array.isArray(p) || p.length !== 3 || !isStr(p[0]) || !isTime(p[1]) || !isTime(p[2])) bad(`sessions[${k}] must be [id, ttlMs, lastMs]`);
      const [id, ttlMs, lastMs] = p as [string, number, number];
      if (t.sessions.has(id)) bad(`sessions[${k}]: session ${JSON.stringify(id)} appears twice`);
      t.sessions.set(id, { ttlMs, lastMs });
    });
    if (!isTime(clockMs)) return bad("'clockMs' must be a time >= 0");
    t.clock = clockMs;
    return t;
  }
}

/** The coordination tree's type: what a protocol (or a single server) needs to host it. */
export const coordService: StateMachineType<CoordCommand, CoordResult, CoordTree> = {
  name: "coord",
  create: () => new CoordTree(),
  fromJson: (j) => CoordTree.fromJson(j),
  validate: validateCoordCommand,
};

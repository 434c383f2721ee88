/**
 * Client sessions: exactly-once application of client commands over any {@link StateMachine}.
 *
 * A client numbers its requests 1, 2, 3, ... and retries a request with the same number until it
 * gets an answer. A command that reaches the log twice (a retry after a leader change, a
 * duplicated message) must be applied once: the table keeps, per client, the last applied
 * sequence number and its result, and answers a duplicate from it. The table is part of the
 * replicated state (it lives in every snapshot), so a replica restored from a snapshot still
 * recognises a retry of a request applied before it. This is the session table of Raft's thesis
 * (§6.3), without expiry.
 *
 * @module
 */
import type { Json } from "@synod/protocol";
import type { StateMachine, StateMachineType } from "./state-machine.js";

/** The outcome of offering a client command to the service. */
export type ApplyOutcome<Res> =
  | { kind: "applied"; result: Res }
  /** Same `(clientId, seq)` as the client's last applied request: its recorded answer. */
  | { kind: "duplicate"; result: Res }
  /** Older than the client's last applied request: not applied, and no answer is kept. */
  | { kind: "stale"; lastSeq: number };

/** One client's session: its last applied sequence number and that request's result. */
export interface Session<Res> {
  /** The last applied sequence number. */
  seq: number;
  /** Its result, returned again to a retry. */
  result: Res;
}

/** A state machine behind a session table: the replicated service a protocol applies entries to. */
export class SessionService<Cmd, Res, SM extends StateMachine<Cmd, Res> = StateMachine<Cmd, Res>> {
  private readonly sessions: Map<string, Session<Res>>;

  /**
   * @param type - the service's type (to restore and validate).
   * @param machine - the state machine (fresh unless restoring).
   * @param sessions - the session table (empty unless restoring).
   */
  constructor(
    readonly type: StateMachineType<Cmd, Res, SM>,
    readonly machine: SM = type.create(),
    sessions: ReadonlyMap<string, Session<Res>> = new Map(),
  ) {
    this.sessions = new Map(sessions);
  }

  /** Apply `command` of client `clientId` exactly once per `(clientId, seq)`. */
  apply(clientId: string, seq: number, command: Cmd): ApplyOutcome<Res> {
    const known = this.cached(clientId, seq);
    if (known !== null) return known;
    const result = this.machine.apply(command);
    this.sessions.set(clientId, { seq, result });
    return { kind: "applied", result };
  }

  /** The recorded outcome for `(clientId, seq)` if it was already applied (or superseded), else null. */
  cached(clientId: string, seq: number): ApplyOutcome<Res> | null {
    const s = this.sessions.get(clientId);
    if (s === undefined || seq > s.seq) return null;
    return seq === s.seq ? { kind: "duplicate", result: s.result } : { kind: "stale", lastSeq: s.seq };
  }

  /** Answer a read-only command outside the log (no session entry: reads are idempotent). */
  query(command: Cmd): Res {
    return this.machine.query(command);
  }

  /** Number of clients with a session. */
  get clients(): number {
    return this.sessions.size;
  }

  /** A canonical JSON encoding of the machine and the session table (snapshot data). */
  toJson(): Json {
    const sessions = [...this.sessions.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([c, s]) => [c, s.seq, s.result as Json] as Json);
    return { data: this.machine.toJson(), sessions };
  }

  /** Rebuild a service from {@link SessionService.toJson}. Throws with a precise reason on bad input. */
  static fromJson<Cmd, Res, SM extends StateMachine<Cmd, Res>>(type: StateMachineType<Cmd, Res, SM>, j: Json): SessionService<Cmd, Res, SM> {
    const bad = (why: string): never => {
      throw new Error(`${type.name} snapshot: ${why}`);
    };
    if (typeof j !== "object" || j === null || Array.isArray(j)) return bad("not an object");
    const { data, sessions } = j as { data?: Json; sessions?: Json };
    if (data === undefined) return bad("no 'data'");
    if (!Array.isArray(sessions)) return bad("'sessions' must be an array");
    const table = new Map<string, Session<Res>>();
    sessions.forEach((p, k) => {
      if (!Array.isArray(p) || p.length !== 3 || typeof p[0] !== "string" || !Number.isSafeInteger(p[1])) {
        bad(`sessions[${k}] must be [clientId, seq, result]`);
      }
      const [c, seq, result] = p as [string, number, Json];
      if (table.has(c)) bad(`sessions[${k}]: client ${JSON.stringify(c)} appears twice`);
      table.set(c, { seq, result: result as Res });
    });
    return new SessionService<Cmd, Res, SM>(type, type.fromJson(data), table);
  }
}

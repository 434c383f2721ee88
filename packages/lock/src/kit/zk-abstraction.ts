/**
 * The abstraction of the ZooKeeper recipe onto `ZkLock.tla`'s variables, shared by replay (on a
 * manual network) and trace validation (under the simulator).
 *
 * The tree's operations are atomic steps of the spec, taken where the coordination server applies
 * them. A client whose request the server has applied, but whose answer it has not yet read (in
 * flight, lost, or waiting for a resend, which the session table answers the same), is therefore
 * already where that answer takes it: a created node makes it `listing` with its sequence number,
 * a listing makes it `holding`, `waiting` on its predecessor or `idle` (its node gone), a delete
 * makes it `idle`. Its own steps after that (reading the answer) change nothing the spec sees.
 *
 * @module
 */
import { AdapterError, type LoadedSpec, type State, type Value } from "@synod/conformance";
import type { CoordResult } from "@synod/kv";
import type { NodeId } from "@synod/protocol";
import { CoordReplica } from "../coord-replica.js";
import { clientOfSession, type CoordServer } from "../coord-server.js";
import type { FencedStorage } from "../storage.js";
import type { ZkLockClient, ZkPhase } from "../zk-client.js";

/** What the abstraction needs of the coordination server. */
export interface ZkServerView {
  kind: "server";
  /** The lock directory's nodes: sequence number and owning client. */
  znodes: { seq: number; owner: NodeId }[];
  nextSeq: number;
  /** Clients with an open session. */
  alive: NodeId[];
  /** The session table: each client id's last applied request and its answer. */
  answers: Map<string, { seq: number; result: CoordResult }>;
}

/** What the abstraction needs of a recipe client. */
export interface ZkClientView {
  kind: "client";
  phase: ZkPhase;
  awaiting: { seq: number; op: string } | null;
  key: string | null;
  token: number;
  watching: string | null;
}

/** What the abstraction needs of the storage. */
export interface ZkStorageView {
  kind: "storage";
  maxSeen: number;
  writes: number[];
  /** Attempts (node keys) with a verdict. */
  judged: Set<string>;
}

/** A node's part of the spec state. */
export type ZkView = ZkServerView | ZkClientView | ZkStorageView;

/** The sequence number of a sequential key (its last 10 digits). */
export const seqOf = (key: string): number => Number(key.slice(-10));

/**
 * The server's view, read from its tree and session table; of a Raft replica (the leader), its
 * tree only: its clients' reads go through ReadIndex rather than the session table, and replay
 * delivers every answer.
 */
export function serverView(s: CoordServer | CoordReplica, lockPath: string): ZkServerView {
  const tree = s instanceof CoordReplica ? s.tree : s.service.machine;
  const keys = (tree.query({ op: "children", prefix: lockPath }) as { keys: string[] }).keys;
  const znodes = keys.map((k) => {
    const owner = (tree.query({ op: "get", key: k }) as { owner: string | null }).owner;
    if (owner === null) throw new AdapterError(`znode ${k} has no session`);
    return { seq: seqOf(k), owner: clientOfSession(owner) };
  });
  const sessions = s instanceof CoordReplica ? [] : (s.service.toJson() as { sessions: [string, number, CoordResult][] }).sessions;
  return { kind: "server", znodes, nextSeq: tree.lastSeq, alive: [...new Set(tree.sessionIds().map(clientOfSession))], answers: new Map(sessions.map(([c, seq, result]) => [c, { seq, result }])) };
}

/** A client's view. */
export function clientView(c: ZkLockClient): ZkClientView {
  return { kind: "client", phase: c.phase, awaiting: c.awaiting, key: c.key, token: c.token, watching: c.watching };
}

/** The storage's view. */
export function storageView(s: FencedStorage): ZkStorageView {
  return { kind: "storage", maxSeen: s.maxSeen, writes: s.log.map((w) => w.token), judged: new Set(s.verdicts.keys()) };
}

interface ClientSpec {
  phase: string;
  mine: number;
  watch: number;
}

const IDLE: ClientSpec = { phase: "idle", mine: 0, watch: 0 };

/** Where the answer `r` to the client's outstanding request takes it (as the client will act on it). */
function answered(c: ZkClientView, r: CoordResult): ClientSpec {
  switch (c.phase) {
    case "creating":
      return r.op === "create" && r.ok ? { phase: "listing", mine: r.seq, watch: 0 } : IDLE;
    case "listing": {
      if (r.op !== "children" || c.key === null) return fromClient(c, new Set());
      if (!r.keys.includes(c.key)) return IDLE;
      const below = r.keys.filter((k) => k < (c.key as string));
      return below.length === 0 ? { phase: "holding", mine: c.token, watch: 0 } : { phase: "waiting", mine: c.token, watch: seqOf(below[below.length - 1] as string) };
    }
    case "deleting":
      return IDLE;
    default:
      return fromClient(c, new Set());
  }
}

/** Where the client is by its own state. */
function fromClient(c: ZkClientView, judged: ReadonlySet<string>): ClientSpec {
  switch (c.phase) {
    case "idle":
    case "opening":
    case "creating":
      return IDLE;
    case "listing":
      return { phase: "listing", mine: c.token, watch: 0 };
    case "waiting":
      return { phase: "waiting", mine: c.token, watch: c.watching === null ? 0 : seqOf(c.watching) };
    case "working":
      return { phase: "holding", mine: c.token, watch: 0 };
    case "writing":
    case "deleting":
      return { phase: c.key !== null && judged.has(c.key) ? "written" : "writing", mine: c.token, watch: 0 };
  }
}

/** The spec state of a recipe cluster from its nodes' views (`clients`: the spec's `Client`, by node id). */
export function zkSpecState(spec: LoadedSpec, server: ZkServerView, storage: ZkStorageView, clients: ReadonlyMap<NodeId, ZkClientView>): State {
  const { values } = spec.model;
  const alive = new Map<Value, boolean>();
  const phase = new Map<Value, string>();
  const mine = new Map<Value, number>();
  const watch = new Map<Value, number>();
  for (const [id, c] of clients) {
    const me = spec.mv(id);
    const a = server.answers.get(id);
    const s = c.awaiting !== null && a !== undefined && a.seq === c.awaiting.seq && c.phase !== "opening" ? answered(c, a.result) : fromClient(c, storage.judged);
    alive.set(me, server.alive.includes(id));
    phase.set(me, s.phase);
    mine.set(me, s.mine);
    watch.set(me, s.watch);
  }
  const byName: Record<string, Value> = {
    znodes: values.fromJS(new Set(server.znodes.map((z) => ({ seq: z.seq, owner: spec.mv(z.owner) })))),
    nextSeq: values.fromJS(server.nextSeq),
    alive: values.fromJS(alive),
    phase: values.fromJS(phase),
    mine: values.fromJS(mine),
    watch: values.fromJS(watch),
    maxSeen: values.fromJS(storage.maxSeen),
    writes: values.fromJS(storage.writes),
  };
  return spec.model.variables.map((v) => {
    const x = byName[v];
    if (x === undefined) throw new Error(`ZkLock.tla has a variable ${v} the recipe abstraction does not know`);
    return x;
  });
}

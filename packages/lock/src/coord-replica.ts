/**
 * A replica of the coordination tree replicated by Raft: `@synod/raft` hosting `@synod/kv`'s
 * {@link CoordTree} (`coordService`) in place of the key-value store, with ZooKeeper's one-shot
 * watches on top. Clients talk to the leader (a follower redirects them); every command goes
 * through the log, so the tree survives the crash of a minority of replicas.
 *
 * Time in the tree is **committed time**. The leader stamps `open` and `heartbeat` with it and
 * proposes `expire` every `expireEveryMs`; a session expires when an applied `expire` finds it
 * silent for its ttl, so every replica deletes the same ephemeral keys at the same log index and no
 * replica's clock decides on its own. A new leader continues from the tree's clock
 * ({@link CoordTree.clockMs}) and counts only the time it has led since (local durations, as Raft's
 * lease reads do): an election is not counted against the sessions, as ZooKeeper does when a new
 * leader takes over its sessions.
 *
 * Watches are volatile and local, as ZooKeeper's: a replica fires the watches it holds from the
 * results it applies (the keys a command deleted). A client whose replica crashed or lost
 * leadership registers its watch again on the next one.
 *
 * @module
 */
import { coordService, type CoordCommand, type CoordResult, type CoordTree } from "@synod/kv";
import { emptyReady, type ClientReply, type Event, type Json, type NodeId, type Ready, type Rng } from "@synod/protocol";
import { createRaftNode, type RaftCommand, type RaftKvNode, type RaftMessage, type RaftOptions } from "@synod/raft";
import { LockNodeBase, type BaseOptions } from "./base.js";
import type { LockCommand, LockMessage } from "./messages.js";

/** What a replica needs beyond the cluster layout. */
export interface CoordReplicaOptions extends BaseOptions {
  /** Every replica of the tree, this one included. */
  replicas: readonly NodeId[];
  /** The leader proposes `expire` this often. */
  expireEveryMs: number;
  /** Raft's options (its defaults where absent). */
  raft: Partial<RaftOptions>;
}

/** The Raft node a replica runs. */
export type CoordRaftNode = RaftKvNode<CoordCommand, CoordResult, CoordTree>;

/** The client id under which a replica proposes its own `expire` commands. */
const expireClient = (id: NodeId): string => `${id}/expire`;

/** A replica of the Raft-replicated coordination tree. */
export class CoordReplica extends LockNodeBase<CoordReplicaOptions> {
  /** The Raft node holding the log and the tree. */
  raft: CoordRaftNode;
  /** Watchers of each key (one-shot; volatile). */
  readonly watches = new Map<string, Set<NodeId>>();
  /** Watch events sent since the node started (the herd effect would make this large). */
  notifications = 0;
  /** Where to answer each client: the node its latest request came from. */
  private readonly replyTo = new Map<string, NodeId>();
  /** Leader time: the tree's clock when this node's leadership (or rebase) began, and the local reading then. */
  private led: { baseMs: number; sinceMs: number } | null = null;

  constructor(
    id: NodeId,
    o: CoordReplicaOptions,
    rng: Rng,
    durable: ReadonlyMap<string, Json> = new Map(),
  ) {
    super(id, o);
    this.raft = createRaftNode({ id, peers: o.replicas.filter((r) => r !== id), rng, options: o.raft, service: coordService, durable });
    this.timer("expire", o.expireEveryMs);
    this.drain();
  }

  /** The tree as this replica has applied it. */
  get tree(): CoordTree {
    return this.raft.machine;
  }

  step(event: Event<LockMessage, LockCommand>): void {
    switch (event.type) {
      case "restart":
        // What the node wanted done before the crash is gone with it; Raft rebuilds from storage.
        this.out = emptyReady();
        this.raft.step(event);
        this.watches.clear();
        this.replyTo.clear();
        this.led = null;
        this.timer("expire", this.o.expireEveryMs);
        break;
      case "request":
        this.redirect(event.request, this.serverOf(event.request), `${this.id} is a coordination replica`);
        return;
      case "timer":
        if (event.name === "expire") {
          this.timer("expire", this.o.expireEveryMs);
          // Proposed only when the leader's applied tree says a session is due (the log bounded by
          // what happens, not by the clock); applying it decides again, on every replica alike.
          if (this.raft.role === "leader" && this.tree.expiring(this.leaderTime(event.nowMs)).length > 0) {
            this.propose(expireClient(this.id), 0, { op: "expire", atMs: 0 }, event.nowMs);
          }
        } else this.raft.step(event);
        break;
      case "message":
        this.onMessage(event.from, event.message, event.nowMs);
        break;
    }
    this.drain();
  }

  private onMessage(from: NodeId, m: LockMessage, nowMs: number): void {
    switch (m.type) {
      case "Raft":
        if (!this.o.replicas.includes(from)) {
          this.ignored++;
          return;
        }
        this.raft.step({ type: "message", nowMs, from, message: m.message });
        return;
      case "Coord":
        if (m.command.op === "expire") {
          this.ignored++; // sessions expire only by the leader's own proposals
          return;
        }
        this.replyTo.set(m.client, from);
        this.propose(m.client, m.seq, m.command, nowMs);
        return;
      case "Watch": {
        const got = this.tree.query({ op: "get", key: m.key });
        if (got.op === "get" && got.value === null) {
          this.notify(from, m.key);
          return;
        }
        const w = this.watches.get(m.key) ?? new Set<NodeId>();
        w.add(from);
        this.watches.set(m.key, w);
        return;
      }
      default:
        this.ignored++;
    }
  }

  /**
   * Hand `command` to Raft as request `(client, seq)`; a leader stamps session commands with
   * committed time (a follower's Raft answers not-leader, so its stamp would not matter).
   */
  private propose(client: string, seq: number, command: CoordCommand, nowMs: number): void {
    let cmd = command;
    let s = seq;
    if (this.raft.role === "leader" && (cmd.op === "open" || cmd.op === "heartbeat" || cmd.op === "expire")) {
      const atMs = this.leaderTime(nowMs);
      cmd = { ...cmd, atMs };
      // The replica's own expire requests are numbered by their time, which only grows (also
      // across restarts and leaders, being committed time): the session table never sees them stale.
      if (cmd.op === "expire") s = atMs;
    }
    const request: RaftCommand<CoordCommand> = cmd;
    this.raft.step({ type: "request", nowMs, request: { clientId: client, seq: s, command: request } });
  }

  /** Committed time continued by the time this node has led (integral ms, never below the tree's clock). */
  private leaderTime(nowMs: number): number {
    const committed = this.tree.clockMs;
    if (this.led === null || this.led.baseMs + (nowMs - this.led.sinceMs) < committed) this.led = { baseMs: committed, sinceMs: nowMs };
    return Math.floor(this.led.baseMs + (nowMs - this.led.sinceMs));
  }

  /** Move Raft's ready into this node's: wrap its messages, answer clients, fire watches from applied results. */
  private drain(): void {
    while (this.raft.hasReady()) {
      const rd: Ready<RaftMessage, CoordResult, RaftCommand<CoordCommand>> = this.raft.ready();
      this.out.persist.push(...rd.persist);
      for (const e of rd.send) this.send(e.to, { type: "Raft", message: e.message });
      this.out.timers.push(...rd.timers);
      for (const r of rd.replies) this.answer(r);
      for (const a of rd.applied) this.fire(a.result.deleted);
      if (this.raft.role !== "leader") this.led = null;
    }
  }

  private answer(r: ClientReply<CoordResult>): void {
    const to = this.replyTo.get(r.clientId);
    if (to === undefined) return; // our own expire, or a client whose request came before a restart
    if (r.ok) this.send(to, { type: "CoordReply", client: r.clientId, seq: r.seq, result: r.result });
    else this.send(to, { type: "CoordRedirect", client: r.clientId, seq: r.seq, leader: r.error === "not-leader" ? (r.leaderHint ?? null) : null });
  }

  private fire(deleted: readonly string[]): void {
    for (const key of deleted) {
      const w = this.watches.get(key);
      if (w === undefined) continue;
      this.watches.delete(key);
      for (const n of [...w].sort()) this.notify(n, key);
    }
  }

  private notify(to: NodeId, key: string): void {
    this.notifications++;
    this.send(to, { type: "WatchEvent", key });
  }
}

/**
 * A coordination server: `@synod/kv`'s coordination tree ({@link CoordTree}: sessions, ephemeral
 * and sequential keys) behind its session table (exactly-once per client and sequence number),
 * hosted on one node, with ZooKeeper's one-shot watches. It expires silent sessions on its own
 * clock, every `expireEveryMs`, through an `expire` command it applies like any other, and fires
 * the watches of every key a command deleted.
 *
 * One node is linearizable by construction but not fault-tolerant: replicating the tree through
 * Raft or Multi-Paxos needs those packages to host a state machine type other than the KV map
 * (see the package README). The tree and its commands are already the replicated form.
 *
 * @module
 */
import { coordService, SessionService, type CoordCommand, type CoordResult, type CoordTree } from "@synod/kv";
import type { Event, NodeId } from "@synod/protocol";
import { LockNodeBase, type BaseOptions } from "./base.js";
import type { LockCommand, LockMessage } from "./messages.js";

/** Durable state that cannot be read back. */
export class CoordStorageError extends Error {
  override name = "CoordStorageError";
}

/** The client of a session id `<client>.<incarnation>.<n>` (the recipe client's naming). */
export function clientOfSession(session: string): string {
  const dot = session.indexOf(".");
  return dot < 0 ? session : session.slice(0, dot);
}

/** The coordination server node. */
export class CoordServer extends LockNodeBase {
  service = new SessionService<CoordCommand, CoordResult, CoordTree>(coordService);
  /** Watchers of each key (one-shot; volatile, as ZooKeeper's). */
  readonly watches = new Map<string, Set<NodeId>>();
  /** Watch events sent since the node started (the herd effect would make this large). */
  notifications = 0;
  private armed = false;

  constructor(
    id: NodeId,
    o: BaseOptions,
    private readonly expireEveryMs: number,
  ) {
    super(id, o);
    this.arm();
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    this.timer("expire", this.expireEveryMs);
  }

  step(event: Event<LockMessage, LockCommand>): void {
    switch (event.type) {
      case "restart":
        try {
          const snap = event.durable.get("tree");
          this.service = snap === undefined ? new SessionService(coordService) : SessionService.fromJson(coordService, snap);
        } catch (e) {
          throw new CoordStorageError(`coordination server: durable key tree: ${(e as Error).message}`);
        }
        this.watches.clear();
        this.armed = false;
        this.arm();
        return;
      case "request":
        this.redirect(event.request, this.serverOf(event.request), `${this.id} is the coordination server`);
        return;
      case "timer":
        if (event.name !== "expire") return;
        this.armed = false;
        this.commit({ op: "expire", atMs: event.nowMs });
        this.arm();
        return;
      case "message":
        this.onMessage(event.from, event.message, event.nowMs);
        return;
    }
  }

  private onMessage(from: NodeId, m: LockMessage, nowMs: number): void {
    switch (m.type) {
      case "Coord": {
        if (m.command.op === "expire") {
          this.ignored++; // sessions expire by the server's own clock only
          return;
        }
        // Session time is the server's clock, stamped as the command is committed.
        const cmd: CoordCommand = m.command.op === "open" || m.command.op === "heartbeat" ? { ...m.command, atMs: nowMs } : m.command;
        // Reads go through the session table too: a resent read gets the answer it was given, as a
        // resent write does (its linearization point stays where it was applied).
        const out = this.service.apply(m.client, m.seq, cmd);
        if (out.kind === "stale") return;
        if (out.kind === "applied") {
          this.noteApplied(m.client, cmd, out.result);
          this.committed(out.result);
        }
        this.send(from, { type: "CoordReply", client: m.client, seq: m.seq, result: out.result });
        return;
      }
      case "Watch": {
        const exists = this.service.query({ op: "get", key: m.key });
        if (exists.op === "get" && exists.value === null) {
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

  /** A command of the server's own (no client retries it, so no session entry). */
  private commit(cmd: CoordCommand): void {
    const result = this.service.machine.apply(cmd);
    if (result.op === "expire") for (const s of result.expired ?? []) this.note("SessionExpire", { c: clientOfSession(s) });
    this.committed(result);
  }

  /**
   * Name the spec action (`ZkLock.tla`) a client's command took as the server applied it: the
   * tree's operations are the spec's atomic steps. Heartbeats (client id `<c>/hb`) take none.
   */
  private noteApplied(client: string, cmd: CoordCommand, result: CoordResult): void {
    if (client.includes("/")) return;
    const ok = "ok" in result && result.ok;
    if (cmd.op === "open" && ok) this.note("OpenSession", { c: client });
    else if (cmd.op === "create" && ok) this.note("Create", { c: client });
    else if (cmd.op === "children") this.note("List", { c: client });
    else if (cmd.op === "delete") this.note("Release", { c: client });
  }

  /** Persist the tree and its session table, and fire the watches of the keys the command deleted. */
  private committed(result: CoordResult): void {
    this.out.persist.push({ key: "tree", value: this.service.toJson() });
    for (const key of result.deleted) {
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

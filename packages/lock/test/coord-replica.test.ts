/**
 * The coordination tree replicated by Raft (`CoordReplica`): the recipe over 3 replicas, session
 * expiry decided by the log (committed time) and not by any replica's clock, a leader's crash
 * longer than the session ttl not counted against the sessions, and options named when wrong.
 */
import { TestCluster } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { CoordReplica, createZkNode, type FencedStorage, type LockCommand, type LockMessage, type LockResult, type ZkLockClient, type ZkNode, type ZkOptions } from "../src/index.js";

const REPLICAS = ["r1", "r2", "r3"];
const OPTS: ZkOptions = {
  coord: REPLICAS,
  raft: { electionTimeoutMsMin: 50, electionTimeoutMsMax: 100, heartbeatMs: 10 },
  storage: "st",
  clients: ["c1", "c2"],
  sessionTtlMs: 60,
  heartbeatMs: 15,
  expireEveryMs: 10,
  workMs: 2,
};
type Cluster = TestCluster<LockMessage, LockCommand, LockResult, ZkNode>;
const cluster = (o: ZkOptions = OPTS): Cluster =>
  new TestCluster<LockMessage, LockCommand, LockResult, ZkNode>({ ids: [...REPLICAS, "st", "c1", "c2"], seed: 2, latencyMs: [1, 2], create: (id, _peers, rng) => createZkNode(id, o, rng) });
const replica = (c: Cluster, id: string): CoordReplica => c.node(id) as CoordReplica;
const leader = (c: Cluster): string | undefined => REPLICAS.find((id) => !c.crashed.has(id) && replica(c, id).raft.role === "leader");
const okReplies = (c: Cluster): { token: number; accepted: boolean }[] =>
  c.takeOutputs().flatMap((o) => (o.kind === "reply" && o.reply.ok ? [o.reply.result as { token: number; accepted: boolean }] : []));

/** Run events until virtual time `ms`, checking `each` after every event. */
function runUntil(c: Cluster, ms: number, each: () => void = () => undefined): void {
  for (let guard = 0; guard < 200_000; guard++) {
    const t = c.nextTimer();
    const m = c.inflight.reduce<number | null>((a, x) => (a === null || x.deliverAtMs < a ? x.deliverAtMs : a), null);
    if (Math.min(t?.dueMs ?? Infinity, m ?? Infinity) > ms) break;
    c.runNextEvent();
    each();
  }
  c.nowMs = Math.max(c.nowMs, ms);
}

describe("the coordination tree replicated by Raft", () => {
  it("grants the lock in token order over 3 replicas, following redirects to the leader", () => {
    const c = cluster();
    c.request("c1", "app", 1, { op: "work", value: "a" });
    c.request("c2", "app", 2, { op: "work", value: "b" });
    runUntil(c, 600);
    const done = okReplies(c);
    expect(done.map((r) => r.accepted)).toEqual([true, true]);
    expect((c.node("st") as FencedStorage).log.map((w) => w.token)).toEqual([1, 2]);
    // Every replica applied both creates (the sequence counter is replicated state).
    expect(REPLICAS.map((id) => replica(c, id).tree.lastSeq)).toEqual([2, 2, 2]);
  });

  it("expires sessions by the log, never by a replica's clock: a follower whose clock runs 5 times fast expires nothing on its own", () => {
    const c = cluster();
    c.request("c1", "app", 1, { op: "work", value: "a" });
    runUntil(c, 200);
    const l = leader(c) as string;
    const fast = REPLICAS.find((id) => id !== l) as string;
    c.clockRate.set(fast, 5);
    const session = (c.node("c1") as ZkLockClient).session as string;
    expect(session).not.toBeNull();
    runUntil(c, 800, () => {
      for (const id of REPLICAS) if (!replica(c, id).tree.hasSession(session)) throw new Error(`${id} dropped the live session at ${c.nowMs} ms`);
    });
    expect(replica(c, fast).tree.hasSession(session)).toBe(true);
  });

  it("a leader crashed for longer than the session ttl: the new leader continues from committed time and the live session survives", () => {
    const c = cluster();
    c.request("c1", "app", 1, { op: "work", value: "a" });
    runUntil(c, 200);
    expect(okReplies(c)).toHaveLength(1);
    const session = (c.node("c1") as ZkLockClient).session as string;
    const old = leader(c) as string;
    const clockBefore = replica(c, old).tree.clockMs;
    c.crash(old);
    runUntil(c, 500); // 300 ms without the old leader: 5 session ttls
    const now = leader(c) as string;
    expect(now).toBeDefined();
    expect(now).not.toBe(old);
    expect(replica(c, now).tree.hasSession(session)).toBe(true);
    // Committed time went on from where it was, by the time the new leader has led, not by the gap.
    expect(replica(c, now).tree.clockMs).toBeGreaterThan(clockBefore);
    expect(replica(c, now).tree.clockMs).toBeLessThan(clockBefore + 300);
    c.request("c1", "app", 2, { op: "work", value: "b" });
    c.restart(old);
    runUntil(c, 800);
    expect(okReplies(c).map((r) => r.token)).toEqual([2]);
    expect((c.node("c1") as ZkLockClient).session).toBe(session);
  });

  it("names bad options", () => {
    expect(() => createZkNode("r1", OPTS)).toThrow(/needs an rng/);
    expect(() => createZkNode("c1", { ...OPTS, coord: "r1" })).toThrow(/raft: only for a Raft-replicated tree/);
    expect(() => createZkNode("c1", { ...OPTS, raft: { heartbeatMs: 500 } })).toThrow(/zk lock option raft: .*heartbeatMs/);
    expect(() => createZkNode("c1", { ...OPTS, coord: [] })).toThrow(/coord: expected a node id or a non-empty list/);
  });
});

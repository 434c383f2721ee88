/**
 * The ZooKeeper lock recipe on a manual network: holders in sequence order with their sequence
 * numbers as tokens, one waiter woken per release (no herd effect), and a holder paused past its
 * session: the server deletes its key, the next client takes the lock, and the paused holder's
 * write is rejected by its token (accepted by the broken storage).
 */
import { TestCluster } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { createZkNode, type CoordServer, type FencedStorage, type LockCommand, type LockMessage, type LockResult, type ZkLockClient, type ZkNode, type ZkOptions } from "../src/index.js";

const OPTS: ZkOptions = { coord: "z1", storage: "z2", clients: ["c1", "c2", "c3", "c4"], sessionTtlMs: 60, heartbeatMs: 15, expireEveryMs: 10, workMs: 2 };
type Cluster = TestCluster<LockMessage, LockCommand, LockResult, ZkNode>;
const cluster = (o: ZkOptions = OPTS): Cluster => new TestCluster<LockMessage, LockCommand, LockResult, ZkNode>({ ids: ["z1", "z2", "c1", "c2", "c3", "c4"], seed: 1, latencyMs: [1, 1], create: (id) => createZkNode(id, o) });
const replies = (c: Cluster) => c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply] : []));
/** Run events (messages and timers) until virtual time `ms`. */
const runUntil = (c: Cluster, ms: number): void => {
  for (let guard = 0; guard < 100_000; guard++) {
    const t = c.nextTimer();
    const m = c.inflight.reduce<number | null>((a, x) => (a === null || x.deliverAtMs < a ? x.deliverAtMs : a), null);
    const next = Math.min(t?.dueMs ?? Infinity, m ?? Infinity);
    if (next > ms) break;
    c.runNextEvent();
  }
  c.nowMs = Math.max(c.nowMs, ms);
};

describe("the ZooKeeper lock recipe", () => {
  it("grants the lock in sequence order, hands out the sequence number as the token, and wakes one waiter per release", () => {
    const c = cluster();
    for (const [k, id] of ["c1", "c2", "c3", "c4"].entries()) c.request(id, "app", k + 1, { op: "work", value: id });
    runUntil(c, 300);
    const done = replies(c).map((r) => (r.ok ? (r.result as { token: number; accepted: boolean; waitedMs: number }) : null));
    expect(done.every((r) => r !== null && r.accepted)).toBe(true);
    // Each answer says how long its attempt waited for the lock: a later token waited longer.
    const waited = [...done].sort((a, b) => a!.token - b!.token).map((r) => r!.waitedMs);
    expect(waited.every((w, k) => w >= 0 && (k === 0 || w > waited[k - 1]!))).toBe(true);
    const log = (c.node("z2") as FencedStorage).log;
    expect(log.map((w) => w.token)).toEqual([1, 2, 3, 4]);
    // Four holdings, three waiters: each release wakes exactly the next waiter.
    expect((c.node("z1") as CoordServer).notifications).toBe(3);
  });

  it("a holder paused past its session loses its key to the next client; its late write is rejected (accepted when tokens are not checked)", () => {
    for (const unchecked of [false, true]) {
      const c = cluster({ ...OPTS, uncheckedToken: unchecked });
      c.request("c1", "app", 1, { op: "work", value: "first" });
      // c1 opens, creates, lists and starts its work; then it is paused (its timers and messages wait).
      for (let k = 0; k < 50 && (c.node("c1") as ZkLockClient).phase !== "working"; k++) c.runNextEvent();
      expect((c.node("c1") as ZkLockClient).phase).toBe("working");
      const paused = c.inflight.filter((m) => m.to === "c1" || m.from === "c1");
      c.inflight = c.inflight.filter((m) => !paused.includes(m));
      const c1Timers = new Map(c.timers.get("c1"));
      c.timers.get("c1")?.clear();
      c.request("c2", "app", 2, { op: "work", value: "second" });
      runUntil(c, 200); // c1's session expires at the server; c2 holds, writes and releases
      expect(replies(c)).toEqual([expect.objectContaining({ ok: true, result: expect.objectContaining({ token: 2, accepted: true }) })]);
      // c1 resumes: its work timer fires and it writes with token 1.
      for (const [name] of c1Timers) if (name === "work") c.fire("c1", "work");
      runUntil(c, 400);
      const log = (c.node("z2") as FencedStorage).log.map((w) => `${w.value}:${w.token}`);
      expect(log).toEqual(unchecked ? ["second:2", "first:1"] : ["second:2"]);
      const r = replies(c).find((x) => x.seq === 1);
      expect(r).toMatchObject({ ok: true, result: { token: 1, accepted: unchecked } });
    }
  });

  it("a client restarted from its durable state takes the lock again (its requests are not answered from its last incarnation's record)", () => {
    const c = cluster();
    c.request("c1", "app", 1, { op: "work", value: "before" });
    runUntil(c, 100);
    expect(replies(c)).toEqual([expect.objectContaining({ ok: true, result: expect.objectContaining({ token: 1, accepted: true }) })]);
    c.crash("c1");
    // A new process: a fresh node object, restarted from c1's durable map.
    (c.nodes as Map<string, ZkNode>).set("c1", createZkNode("c1", OPTS));
    c.restart("c1");
    c.request("c1", "app-after-restart", 1, { op: "work", value: "after" });
    c.request("c2", "app", 1, { op: "work", value: "other" });
    runUntil(c, 400);
    const done = replies(c);
    expect(done).toHaveLength(2);
    expect(done.every((r) => r.ok)).toBe(true);
    expect((c.node("z2") as FencedStorage).log.map((w) => w.value).sort()).toEqual(["after", "before", "other"]);
    expect((c.node("c1") as ZkLockClient).session).toMatch(/^c1\.1\./);
  });

  it("names bad options", () => {
    expect(() => createZkNode("z1", { ...OPTS, heartbeatMs: 60 })).toThrow(/sessions would expire between heartbeats/);
    expect(() => createZkNode("z1", { ...OPTS, coord: "z2" })).toThrow(/two roles/);
    expect(() => createZkNode("x", OPTS)).toThrow(/x has no role/);
  });
});

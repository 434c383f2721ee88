/**
 * The lock nodes one by one and together on a manual network: a store's SET NX and DEL, the
 * counter's tokens, the storage's fencing check, a client's attempt from start to release (its
 * keys deleted), its early give-up, random back-off and retry, and Kleppmann's pause with and
 * without the token check.
 */
import { SeededRng, type Json } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { createLockNode, FencedStorage, LockConfigError, LockStore, RedlockClient, StorageStorageError, TokenCounter, type LockCommand, type LockMessage, type LockNode, type LockOptions, type LockResult } from "../src/index.js";

const LAYOUT = { stores: ["n1", "n2", "n3"], counter: "n4", storage: "n5", clients: ["n6", "n7"] };
const OPTS: LockOptions = { ...LAYOUT, tickMs: 10, ttlTicks: 5, workMs: 2, resendMs: 15 };

const msg = (n: LockNode, from: string, message: LockMessage, nowMs = 0) => {
  n.step({ type: "message", nowMs, from, message });
  return n.ready();
};

describe("a lock store", () => {
  it("grants a free key, refuses it while held, answers its holder again without a new grant, and grants it anew once expired", () => {
    const s = createLockNode("n1", OPTS) as LockStore;
    let rd = msg(s, "n6", { type: "SetNX", client: "n6", attempt: "a" }, 3);
    expect(rd.send).toEqual([{ to: "n6", message: { type: "SetNXReply", attempt: "a", ok: true } }]);
    // Keys live in memory; the first grant marks the store as one whose restart must wait a lease.
    expect(rd.persist).toEqual([{ key: "granted", value: true }]);
    expect(s.entry).toEqual({ attempt: "a", client: "n6", expiryTick: 5 });
    rd = msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 49);
    expect(rd.send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: false });
    rd = msg(s, "n6", { type: "SetNX", client: "n6", attempt: "a" }, 49);
    expect(rd.send[0]?.message).toEqual({ type: "SetNXReply", attempt: "a", ok: true });
    expect(rd.persist).toEqual([]);
    rd = msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 50);
    expect(rd.send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: true });
    expect(rd.persist).toEqual([]);
    expect(s.entry).toEqual({ attempt: "b", client: "n7", expiryTick: 10 });
    expect(s.grants).toBe(2);
  });

  it("deletes its key for the attempt holding it only, and not once it has expired", () => {
    const s = createLockNode("n1", OPTS) as LockStore;
    msg(s, "n6", { type: "SetNX", client: "n6", attempt: "a" }, 0);
    // Another attempt's DEL (value mismatch) leaves the key.
    let rd = msg(s, "n7", { type: "Del", client: "n7", attempt: "b" }, 10);
    expect(s.entry).toMatchObject({ attempt: "a" });
    expect(rd.persist).toEqual([]);
    rd = msg(s, "n6", { type: "Del", client: "n6", attempt: "a" }, 10);
    expect(s.entry).toBeNull();
    expect(rd.persist).toEqual([]);
    expect(rd.send).toEqual([]);
    // Free at once for anyone.
    expect(msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 11).send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: true });
    // An expired key is gone already: its DEL changes nothing.
    rd = msg(s, "n7", { type: "Del", client: "n7", attempt: "b" }, 70);
    expect(s.entry).toMatchObject({ attempt: "b" });
    expect(rd.persist).toEqual([]);
  });

  it("after a restart refuses every SET for a whole lease if it had ever granted (the delayed restart), and refuses corrupt storage naming the key", () => {
    const s = createLockNode("n1", OPTS) as LockStore;
    s.step({ type: "restart", nowMs: 1000, durable: new Map<string, Json>([["granted", true]]) });
    expect(s.entry).toBeNull();
    expect(msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 1049).send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: false });
    expect(msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 1050).send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: true });
    // A store that never granted has nothing to wait out.
    const fresh = createLockNode("n2", OPTS) as LockStore;
    fresh.step({ type: "restart", nowMs: 1000, durable: new Map() });
    expect(msg(fresh, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 1000).send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: true });
    expect(() => s.step({ type: "restart", nowMs: 0, durable: new Map<string, Json>([["granted", 3]]) })).toThrow(/durable key granted holds 3/);
  });
});

describe("the token counter", () => {
  it("issues tokens in order, once per attempt, and the same token again to a resent request", () => {
    const c = createLockNode("n4", OPTS) as TokenCounter;
    expect(msg(c, "n6", { type: "TokenRequest", client: "n6", attempt: "a" }).send[0]?.message).toEqual({ type: "TokenReply", attempt: "a", token: 1 });
    expect(msg(c, "n7", { type: "TokenRequest", client: "n7", attempt: "b" }).send[0]?.message).toEqual({ type: "TokenReply", attempt: "b", token: 2 });
    const again = msg(c, "n6", { type: "TokenRequest", client: "n6", attempt: "a" });
    expect(again.send[0]?.message).toEqual({ type: "TokenReply", attempt: "a", token: 1 });
    expect(again.persist).toEqual([]);
    const d = createLockNode("n4", OPTS) as TokenCounter;
    d.step({ type: "restart", nowMs: 0, durable: new Map<string, Json>([["issued", 2], ["last/n6", { attempt: "a", token: 1 }]]) });
    expect(msg(d, "n6", { type: "TokenRequest", client: "n6", attempt: "c" }).send[0]?.message).toEqual({ type: "TokenReply", attempt: "c", token: 3 });
  });
});

describe("the fenced storage", () => {
  const write = (attempt: string, token: number): LockMessage => ({ type: "Write", client: "n6", attempt, token, value: attempt });

  it("accepts tokens no lower than the highest accepted, rejects stale ones, and gives a resent write its verdict again", () => {
    const s = createLockNode("n5", OPTS) as FencedStorage;
    expect(msg(s, "n7", write("b", 2)).send[0]?.message).toEqual({ type: "WriteReply", attempt: "b", accepted: true });
    expect(msg(s, "n6", write("a", 1)).send[0]?.message).toEqual({ type: "WriteReply", attempt: "a", accepted: false });
    expect(msg(s, "n7", write("c", 2)).send[0]?.message).toEqual({ type: "WriteReply", attempt: "c", accepted: true });
    expect(msg(s, "n6", write("a", 1)).persist).toEqual([]);
    expect(s.log.map((w) => w.token)).toEqual([2, 2]);
    expect(s.maxSeen).toBe(2);
  });

  it("the broken build (uncheckedToken) accepts the stale write", () => {
    const s = createLockNode("n5", { ...OPTS, uncheckedToken: true }) as FencedStorage;
    msg(s, "n7", write("b", 2));
    expect(msg(s, "n6", write("a", 1)).send[0]?.message).toEqual({ type: "WriteReply", attempt: "a", accepted: true });
    expect(s.log.map((w) => w.token)).toEqual([2, 1]);
  });

  it("rebuilds its log and verdicts from storage, and names a corrupt key", () => {
    const s = createLockNode("n5", OPTS) as FencedStorage;
    msg(s, "n7", write("b", 2));
    msg(s, "n6", write("a", 1));
    const durable = new Map<string, Json>([["log/00000001", { attempt: "b", token: 2, value: "b" }], ["verdict/b", true], ["verdict/a", false]]);
    const r = createLockNode("n5", OPTS) as FencedStorage;
    r.step({ type: "restart", nowMs: 0, durable });
    expect(r.log).toEqual(s.log);
    expect(r.verdicts).toEqual(s.verdicts);
    expect(() => r.step({ type: "restart", nowMs: 0, durable: new Map<string, Json>([["verdict/a", "yes"]]) })).toThrow(StorageStorageError);
  });

  it("serves the log, and sends work requests to a lock client", () => {
    const s = createLockNode("n5", OPTS);
    s.step({ type: "request", nowMs: 0, request: { clientId: "c1", seq: 1, command: { op: "log" } } });
    expect(s.ready().replies).toEqual([{ clientId: "c1", seq: 1, ok: true, result: { op: "log", writes: [] } }]);
    s.step({ type: "request", nowMs: 0, request: { clientId: "c1", seq: 2, command: { op: "work", value: "x" } } });
    expect(s.ready().replies[0]).toMatchObject({ ok: false, error: "not-leader" });
  });
});

type Cluster = TestCluster<LockMessage, LockCommand, LockResult, LockNode>;
const cluster = (opts: LockOptions = OPTS): Cluster =>
  new TestCluster<LockMessage, LockCommand, LockResult, LockNode>({ ids: ["n1", "n2", "n3", "n4", "n5", "n6", "n7"], seed: 1, create: (id) => createLockNode(id, opts, SeededRng.derive(1, id)) });
const replies = (c: Cluster) => c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply] : []));

describe("a Redlock client", () => {
  it("takes keys on a majority, a token, writes under it and answers with the verdict", () => {
    const c = cluster();
    c.request("n6", "app", 1, { op: "work", value: "x" });
    c.deliverAll();
    c.fireNextTimer(); // check
    c.fireNextTimer(); // send, after the work
    c.deliverAll();
    expect(replies(c)).toEqual([{ clientId: "app", seq: 1, ok: true, result: { op: "work", attempt: "n6.0.1", token: 1, accepted: true, waitedMs: 0 } }]);
    expect((c.node("n5") as FencedStorage).log).toEqual([{ attempt: "n6.0.1", token: 1, value: "x" }]);
    expect((c.node("n6") as RedlockClient).phase).toBe("idle");
  });

  it("deletes its keys on release, so the next holder need not wait out the lease", () => {
    const c = cluster();
    c.request("n6", "app", 1, { op: "work", value: "x" });
    c.deliverAll();
    c.fireNextTimer(); // check
    c.fireNextTimer(); // send
    c.deliverAll();
    expect(replies(c)).toHaveLength(1);
    for (const s of LAYOUT.stores) expect((c.node(s) as LockStore).entry).toBeNull();
    // n7 holds at the same instant.
    c.request("n7", "app", 2, { op: "work", value: "y" });
    c.deliverAll();
    expect((c.node("n7") as RedlockClient).phase).toBe("holding");
  });

  it("gives up as soon as a majority refused, deletes what it got, and retries after a random delay of at least a tick", () => {
    const c = cluster();
    // n7 holds n1 and n2.
    for (const s of ["n1", "n2"]) msg(c.node(s), "n7", { type: "SetNX", client: "n7", attempt: "n7.0.9" }, 0);
    c.request("n6", "app", 1, { op: "work", value: "x" });
    c.deliverAll();
    const me = c.node("n6") as RedlockClient;
    expect(me.phase).toBe("backoff");
    expect(me.retryAfterTick).toBe(1);
    // Its one grant (n3) was deleted; n7's keys stay.
    expect((c.node("n3") as LockStore).entry).toBeNull();
    expect((c.node("n1") as LockStore).entry).toMatchObject({ attempt: "n7.0.9" });
    const at = c.timers.get("n6")?.get("retry");
    expect(at).toBeGreaterThanOrEqual(10);
    expect(at).toBeLessThanOrEqual(25);
    expect(replies(c)).toEqual([]);
    // A second failure of the same request doubles the window (exponential back-off).
    const second = cluster();
    for (const s of ["n1", "n2"]) msg(second.node(s), "n7", { type: "SetNX", client: "n7", attempt: "n7.0.9" }, 0);
    second.request("n6", "app", 1, { op: "work", value: "x" });
    second.deliverAll();
    second.nowMs = 20;
    second.fire("n6", "retry");
    second.deliverAll();
    expect((second.node("n6") as RedlockClient).phase).toBe("backoff");
    const again = second.timers.get("n6")?.get("retry") ?? 0;
    expect(again - 20).toBeGreaterThanOrEqual(10);
    expect(again - 20).toBeLessThanOrEqual(50);
    // The keys expire; the retry is a new attempt, and it holds.
    c.nowMs = 50;
    c.fire("n6", "retry");
    expect(me.attempt).toBe("n6.0.2");
    c.deliverAll();
    expect(me.phase).toBe("holding");
  });

  it("gives up when its lease's time is spent without a majority, and keeps the request for its retry", () => {
    const c = cluster();
    c.request("n6", "app", 1, { op: "work", value: "x" });
    // Only n1 answers: n2 and n3 are unreachable.
    for (const m of [...c.inflight]) if (m.to !== "n1") c.drop(m.id);
    c.deliverAll();
    c.nowMs = 50;
    c.fire("n6", "giveup");
    expect(replies(c)).toEqual([]);
    expect((c.node("n6") as RedlockClient).phase).toBe("backoff");
    expect(c.inflight.filter((m) => m.message.type === "Del").map((m) => m.to).sort()).toEqual(["n1", "n2", "n3"]);
  });

  it("does not write when its lease ran out before its check (the token came too late), and retries", () => {
    const c = cluster();
    c.request("n6", "app", 1, { op: "work", value: "x" });
    c.deliverAll();
    expect((c.node("n6") as RedlockClient).phase).toBe("holding");
    c.nowMs = 50;
    c.fire("n6", "check");
    expect(c.inflight.filter((m) => m.message.type === "Write")).toEqual([]);
    expect((c.node("n6") as RedlockClient).phase).toBe("backoff");
    expect(replies(c)).toEqual([]);
  });

  it("the broken builds: noRelease sends no DEL, noRetryDelay starts its next attempt in the same step", () => {
    const c = cluster({ ...OPTS, noRelease: true });
    c.request("n6", "app", 1, { op: "work", value: "x" });
    c.deliverAll();
    c.fireNextTimer();
    c.fireNextTimer();
    c.deliverAll();
    expect((c.node("n1") as LockStore).entry).toMatchObject({ attempt: "n6.0.1" });
    const d = cluster({ ...OPTS, noRetryDelay: true });
    for (const s of ["n1", "n2"]) msg(d.node(s), "n7", { type: "SetNX", client: "n7", attempt: "n7.0.9" }, 0);
    d.request("n6", "app", 1, { op: "work", value: "x" });
    d.deliverAll();
    // Refused again and again within the same instant: no back-off.
    expect((d.node("n6") as RedlockClient).started).toBeGreaterThan(5);
  });

  it("Kleppmann's pause: the paused holder's write arrives after the next holder's and is rejected; unfenced, it is accepted", () => {
    for (const unchecked of [false, true]) {
      const c = cluster({ ...OPTS, uncheckedToken: unchecked });
      c.request("n6", "app", 1, { op: "work", value: "first" });
      c.deliverAll();
      c.fire("n6", "check"); // the lease is valid at 0 ms: n6 starts its work...
      c.nowMs = 60; // ...and pauses past its lease (50 ms)
      c.request("n7", "app", 2, { op: "work", value: "second" });
      c.deliverAll();
      c.fire("n7", "check");
      c.fire("n7", "send");
      c.deliverAll();
      c.fire("n6", "send"); // n6 resumes and writes
      c.deliverAll();
      const log = (c.node("n5") as FencedStorage).log.map((w) => `${w.value}:${w.token}`);
      expect(log).toEqual(unchecked ? ["second:2", "first:1"] : ["second:2"]);
      expect(replies(c).map((r) => (r.ok ? (r.result as { accepted: boolean }).accepted : r.error))).toEqual(unchecked ? [true, true] : [true, false]);
    }
  });
});

describe("lock options", () => {
  it("name the option that is wrong", () => {
    expect(() => createLockNode("n1", { ...OPTS, ttlTicks: 0 })).toThrow(/ttlTicks: expected an integer >= 1, got 0/);
    expect(() => createLockNode("n1", { ...OPTS, bogus: 1 } as LockOptions)).toThrow(/unknown lock option "bogus"/);
    expect(() => createLockNode("n1", { ...OPTS, driftAllowanceTicks: 5 })).toThrow(/leaves no lease/);
    expect(() => createLockNode("n1", { ...OPTS, clients: ["n1"] })).toThrow(LockConfigError);
    expect(() => createLockNode("n9", OPTS)).toThrow(/n9 has no role/);
    expect(() => createLockNode("n6", OPTS)).toThrow(/client n6 needs an rng/);
    expect(() => createLockNode("n1", { ...OPTS, retryDelayMs: 5 })).toThrow(/retryDelayMs: expected a number >= 10, got 5/);
    expect(() => createLockNode("n1", { ...OPTS, retryDelayMs: 40, retryDelayMaxMs: 30 })).toThrow(/retryDelayMaxMs: expected a number >= 40, got 30/);
    expect(() => createLockNode("n1", { ...OPTS, noRelease: "yes" } as unknown as LockOptions)).toThrow(/noRelease: expected a boolean/);
  });
});

/**
 * The lock nodes one by one and together on a manual network: a store's SET NX, the counter's
 * tokens, the storage's fencing check, a client's attempt from start to release, and Kleppmann's
 * pause with and without the token check.
 */
import type { Json } from "@synod/protocol";
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
    expect(rd.persist).toEqual([{ key: "lock", value: { attempt: "a", client: "n6", expiryTick: 5 } }]);
    rd = msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 49);
    expect(rd.send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: false });
    rd = msg(s, "n6", { type: "SetNX", client: "n6", attempt: "a" }, 49);
    expect(rd.send[0]?.message).toEqual({ type: "SetNXReply", attempt: "a", ok: true });
    expect(rd.persist).toEqual([]);
    rd = msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 50);
    expect(rd.send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: true });
    expect(s.entry).toEqual({ attempt: "b", client: "n7", expiryTick: 10 });
    expect(s.grants).toBe(2);
  });

  it("comes back from a restart with its key, and refuses corrupt storage naming the key", () => {
    const s = createLockNode("n1", OPTS) as LockStore;
    s.step({ type: "restart", nowMs: 0, durable: new Map<string, Json>([["lock", { attempt: "a", client: "n6", expiryTick: 9 }]]) });
    expect(msg(s, "n7", { type: "SetNX", client: "n7", attempt: "b" }, 80).send[0]?.message).toEqual({ type: "SetNXReply", attempt: "b", ok: false });
    expect(() => s.step({ type: "restart", nowMs: 0, durable: new Map<string, Json>([["lock", 3]]) })).toThrow(/durable key lock holds 3/);
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
  new TestCluster<LockMessage, LockCommand, LockResult, LockNode>({ ids: ["n1", "n2", "n3", "n4", "n5", "n6", "n7"], seed: 1, create: (id) => createLockNode(id, opts) });
const replies = (c: Cluster) => c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply] : []));

describe("a Redlock client", () => {
  it("takes keys on a majority, a token, writes under it and answers with the verdict", () => {
    const c = cluster();
    c.request("n6", "app", 1, { op: "work", value: "x" });
    c.deliverAll();
    c.fireNextTimer(); // check
    c.fireNextTimer(); // send, after the work
    c.deliverAll();
    expect(replies(c)).toEqual([{ clientId: "app", seq: 1, ok: true, result: { op: "work", attempt: "n6.0.1", token: 1, accepted: true } }]);
    expect((c.node("n5") as FencedStorage).log).toEqual([{ attempt: "n6.0.1", token: 1, value: "x" }]);
    expect((c.node("n6") as RedlockClient).phase).toBe("idle");
  });

  it("gives up without a majority before its lease runs out, and tells the caller to retry", () => {
    const c = cluster();
    c.request("n6", "app", 1, { op: "work", value: "x" });
    // Only n1 answers: n2 and n3 are unreachable.
    for (const m of [...c.inflight]) if (m.to !== "n1") c.drop(m.id);
    c.deliverAll();
    const t = c.nextTimer();
    expect(t).toMatchObject({ node: "n6", name: "resend" });
    c.nowMs = 50;
    c.fire("n6", "giveup");
    expect(replies(c)).toEqual([expect.objectContaining({ ok: false, error: "unavailable" })]);
    expect((c.node("n6") as RedlockClient).phase).toBe("idle");
  });

  it("does not write when its lease ran out before its check (the token came too late)", () => {
    const c = cluster();
    c.request("n6", "app", 1, { op: "work", value: "x" });
    c.deliverAll();
    expect((c.node("n6") as RedlockClient).phase).toBe("holding");
    c.nowMs = 50;
    c.fire("n6", "check");
    expect(c.inflight.filter((m) => m.message.type === "Write")).toEqual([]);
    expect(replies(c)).toEqual([expect.objectContaining({ ok: false, error: "unavailable" })]);
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
  });
});

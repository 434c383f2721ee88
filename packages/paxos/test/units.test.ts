/**
 * Unit behaviour of the Multi-Paxos node on the testkit's manual network: election by Phase 1,
 * replication and commit, recovery of accepted values and gap filling by a new leader, catch-up of
 * a learner, persistence before replies, restarts, leases and options.
 */
import { describe, expect, it } from "vitest";
import { TestCluster } from "@synod/testkit";
import type { Json, NodeId } from "@synod/protocol";
import { createMultiPaxosNode, MultiPaxosKvNode, PaxosConfigError, type MultiPaxosOptions, type PaxosMessage } from "../src/index.js";
import type { KvResult, PaxosCommand } from "../src/types.js";

type Cluster = TestCluster<PaxosMessage, PaxosCommand, KvResult, MultiPaxosKvNode>;

function cluster(options: Partial<MultiPaxosOptions> = {}, ids = ["n1", "n2", "n3"]): Cluster {
  return new TestCluster({ ids, seed: 7, latencyMs: [1, 3], create: (id, peers, rng) => createMultiPaxosNode({ id, peers, rng, options }) });
}

/** Run events until `done` holds (or fail after `max` events). */
function runUntil(c: Cluster, done: () => boolean, max = 5000): void {
  for (let k = 0; k < max; k++) {
    if (done()) return;
    if (!c.runNextEvent()) break;
  }
  if (!done()) throw new Error("condition not reached");
}

function leader(c: Cluster): NodeId | null {
  return [...c.nodes.keys()].find((id) => !c.crashed.has(id) && c.node(id).inspect().role === "leader") ?? null;
}

function replies(c: Cluster): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const o of c.outputs) if (o.kind === "reply") out.set(`${o.reply.clientId}/${o.reply.seq}`, o.reply);
  return out;
}

describe("Multi-Paxos node", () => {
  it("elects a leader by Phase 1 and commits a put on a quorum", () => {
    const c = cluster();
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    c.request(l, "c1", 1, { op: "put", key: "k", value: "v" });
    runUntil(c, () => replies(c).has("c1/1"));
    expect(replies(c).get("c1/1")).toMatchObject({ ok: true, result: { ok: true } });
    runUntil(c, () => [...c.nodes.values()].every((n) => n.kvEntries().length === 1));
    for (const n of c.nodes.values()) expect(n.kvEntries()).toEqual([["k", "v"]]);
  });

  it("a single-node cluster elects itself with its own promise and commits (regression: it campaigned forever)", () => {
    const c = cluster({}, ["n1"]);
    runUntil(c, () => leader(c) === "n1");
    c.request("n1", "c1", 1, { op: "put", key: "k", value: "v" });
    runUntil(c, () => replies(c).has("c1/1"));
    expect(replies(c).get("c1/1")).toMatchObject({ ok: true, result: { ok: true } });
    expect(c.node("n1").kvEntries()).toEqual([["k", "v"]]);
  });

  it("answers not-leader with a hint from a follower", () => {
    const c = cluster();
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    c.request(l, "c1", 1, { op: "put", key: "k", value: "v" });
    runUntil(c, () => replies(c).has("c1/1"));
    const f = ["n1", "n2", "n3"].find((x) => x !== l)!;
    runUntil(c, () => c.node(f).inspect().leaderId === l);
    c.request(f, "c2", 1, { op: "get", key: "k" });
    expect(replies(c).get("c2/1")).toMatchObject({ ok: false, error: "not-leader", leaderHint: l });
  });

  it("persists the promise and the accepted value before the Promise / Accepted that report them", () => {
    const c = cluster();
    const order: string[] = [];
    c.onPersist = (id, w) => order.push(`persist ${id} ${w.key}`);
    const seen = new Set<string>();
    runUntil(c, () => leader(c) !== null);
    // Every Promise or Accepted in flight was sent after its sender persisted the promise.
    for (const o of c.outputs) {
      if (o.kind === "persist") seen.add(`${o.node} ${o.write.key}`);
      if (o.kind === "send" && o.msg.message.type === "Promise") expect(seen.has(`${o.msg.from} paxos/promised`)).toBe(true);
    }
    expect(order.length).toBeGreaterThan(0);
  });

  it("a new leader recovers a value accepted by a minority and fills the gap before it with a no-op", () => {
    const c = cluster();
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    const [a, b] = ["n1", "n2", "n3"].filter((x) => x !== l) as [NodeId, NodeId];
    c.request(l, "c1", 1, { op: "put", key: "k", value: "first" });
    runUntil(c, () => replies(c).has("c1/1"));
    runUntil(c, () => c.inflight.length === 0 || c.nextTimer() === null, 200);
    // Two more writes: deliver slot 3's Accept to `a` only, lose slot 2's everywhere.
    c.inflight = [];
    c.request(l, "c1", 2, { op: "put", key: "k", value: "lost" });
    c.request(l, "c1", 3, { op: "put", key: "j", value: "kept" });
    const accepts = c.inflight.filter((m) => m.message.type === "Accept" && m.message.proposals.length > 0);
    for (const m of accepts) {
      const slots = (m.message as Extract<PaxosMessage, { type: "Accept" }>).proposals.map((p) => p.slot);
      if (m.to === a && slots.includes(3)) c.deliver(m.id);
      else c.drop(m.id);
    }
    c.inflight = c.inflight.filter((m) => m.message.type !== "Accepted");
    c.crash(l);
    runUntil(c, () => leader(c) !== null && leader(c) !== l);
    const nl = leader(c)!;
    runUntil(c, () => c.node(nl).inspect().learnedIndex >= 3);
    const chosen = c.node(nl).inspect().chosen;
    expect(chosen[2]).toEqual({ type: "noop" });
    expect(chosen[3]).toMatchObject({ type: "kv", command: { op: "put", key: "j", value: "kept" } });
    expect(c.node(nl).kvEntries()).toEqual([["j", "kept"], ["k", "first"]]);
    void b;
  });

  it("a restarted follower catches up from the leader and rebuilds its store from storage", () => {
    const c = cluster();
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    const f = ["n1", "n2", "n3"].find((x) => x !== l)!;
    c.crash(f);
    for (let s = 1; s <= 20; s++) {
      c.request(l, "c1", s, { op: "put", key: `k${s % 3}`, value: `v${s}` });
      runUntil(c, () => replies(c).has(`c1/${s}`));
    }
    c.restart(f);
    runUntil(c, () => c.node(f).inspect().learnedIndex >= c.node(l).inspect().learnedIndex);
    expect(c.node(f).kvEntries()).toEqual(c.node(l).kvEntries());
    c.crash(f);
    c.restart(f);
    expect(c.node(f).kvEntries()).toEqual(c.node(l).kvEntries());
  });

  it("deduplicates a retried request (exactly once)", () => {
    const c = cluster({ readMode: "log" });
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    c.request(l, "c1", 1, { op: "cas", key: "k", expected: null, value: "a" });
    runUntil(c, () => replies(c).has("c1/1"));
    c.outputs = [];
    c.request(l, "c1", 1, { op: "cas", key: "k", expected: null, value: "a" });
    runUntil(c, () => replies(c).has("c1/1"));
    expect(replies(c).get("c1/1")).toMatchObject({ ok: true, result: { ok: true, value: null } });
  });

  it("serves a read locally under a valid lease, and through the log without one", () => {
    const c = cluster({ readMode: "lease" });
    runUntil(c, () => leader(c) !== null && c.node(leader(c)!).leaseValid());
    const l = leader(c)!;
    c.request(l, "c1", 1, { op: "put", key: "k", value: "v" });
    runUntil(c, () => replies(c).has("c1/1"));
    c.outputs = [];
    c.request(l, "c2", 1, { op: "get", key: "k" });
    // Answered in the same step: no message was needed.
    expect(replies(c).get("c2/1")).toMatchObject({ ok: true, result: { value: "v" } });
    // Cut the leader off; once the lease expires a read waits for the log (and never comes back).
    for (const id of c.nodes.keys()) if (id !== l) c.partitioned.add(id);
    c.nowMs += 1000;
    c.outputs = [];
    c.request(l, "c2", 2, { op: "get", key: "k" });
    expect(replies(c).has("c2/2")).toBe(false);
  });

  it("refuses bad options with the field named", () => {
    const rng = { nextInt: (a: number) => a, nextFloat: () => 0 };
    expect(() => createMultiPaxosNode({ id: "n1", peers: ["n2"], rng, options: { heartbeatMs: 500 } })).toThrow(PaxosConfigError);
    expect(() => createMultiPaxosNode({ id: "n1", peers: ["n2"], rng, options: { nope: 1 } as never })).toThrow(/'nope' is not an option/);
    expect(() => createMultiPaxosNode({ id: "n1", peers: ["n1"], rng })).toThrow(/must not contain the node itself/);
    expect(() => createMultiPaxosNode({ id: "n1", peers: ["n2"], rng, options: { preVote: "yes" as never } })).toThrow(/'preVote' must be true or false/);
    expect(() => createMultiPaxosNode({ id: "n1", peers: ["n2"], rng, options: { stepMode: "spec", preVote: true } })).toThrow(/'preVote' must be off with stepMode "spec"/);
  });
});

describe("pre-vote", () => {
  const rng = { nextInt: (a: number) => a, nextFloat: () => 0 };
  const ask = (n: MultiPaxosKvNode, nowMs: number, round: number): boolean | undefined => {
    n.step({ type: "message", nowMs, from: "n2", message: { type: "PreVote", ballot: { round, node: "n2" } } });
    const m = n.ready().send.find((e) => e.message.type === "PreVoteReply")?.message;
    return m?.type === "PreVoteReply" ? m.granted : undefined;
  };

  it("a fresh node says yes to a ballot above its promise, and no to one at or below it or in another's name", () => {
    const n = createMultiPaxosNode({ id: "n1", peers: ["n2", "n3"], rng });
    n.ready();
    expect(ask(n, 0, 1)).toBe(true);
    // Nothing changed: a pre-vote is not a promise.
    expect(n.inspect().promised).toEqual({ round: 0, node: "" });
    n.step({ type: "message", nowMs: 1, from: "n2", message: { type: "Prepare", ballot: { round: 2, node: "n2" }, fromSlot: 1, time: 1 } });
    n.ready();
    expect(ask(n, 2, 2)).toBe(false);
    n.step({ type: "message", nowMs: 3, from: "n2", message: { type: "PreVote", ballot: { round: 5, node: "n3" } } });
    expect(n.ready().send.map((e) => e.message)).toEqual([{ type: "PreVoteReply", ballot: { round: 5, node: "n3" }, granted: false }]);
  });

  it("a node that took a leader's Accept says no for an election timeout, and a restarted node for one after its restart", () => {
    const n = createMultiPaxosNode({ id: "n1", peers: ["n2", "n3"], rng });
    n.ready();
    n.step({ type: "message", nowMs: 100, from: "n3", message: { type: "Accept", ballot: { round: 1, node: "n3" }, proposals: [], commit: 0, time: 100 } });
    n.ready();
    expect(ask(n, 249, 2)).toBe(false);
    expect(ask(n, 250, 2)).toBe(true);
    // Its storage as the first node left it (id and promise), for a node restarted from it.
    const durable = new Map<string, Json>();
    const fresh = createMultiPaxosNode({ id: "n1", peers: ["n2", "n3"], rng });
    for (const w of fresh.ready().persist) if (!("delete" in w)) durable.set(w.key, w.value);
    const r = createMultiPaxosNode({ id: "n1", peers: ["n2", "n3"], rng });
    r.ready();
    r.step({ type: "restart", nowMs: 1000, durable });
    r.ready();
    expect(ask(r, 1149, 2)).toBe(false);
    expect(ask(r, 1150, 2)).toBe(true);
  });

  it("a node cut off from every peer times out again and again without raising its promise", () => {
    const c = cluster();
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    const f = [...c.nodes.keys()].find((id) => id !== l)!;
    const before = c.node(f).inspect().promised;
    c.partitioned.add(f);
    c.nowMs += 2000;
    for (let k = 0; k < 5; k++) c.fire(f, "election");
    expect(c.node(f).inspect().promised).toEqual(before);
    expect(c.node(f).inspect().role).toBe("follower");
  });
});

describe("catch-up", () => {
  it("a learner far behind is caught up by pipelined Learns, not one batch per heartbeat", () => {
    const c = cluster({ readMode: "log", maxBatchEntries: 4 });
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    const f = ["n1", "n2", "n3"].find((x) => x !== l)!;
    c.crash(f);
    for (let s = 1; s <= 40; s++) {
      c.request(l, "c1", s, { op: "put", key: `k${s % 5}`, value: `v${s}` });
      runUntil(c, () => replies(c).has(`c1/${s}`));
    }
    c.restart(f);
    c.fire(l, "heartbeat");
    // Deliver messages only (no timers): the Learns and their acknowledgements carry it through.
    for (let k = 0; k < 200 && c.inflight.length > 0; k++) c.deliver(c.inflight[0]!.id);
    expect(c.node(f).inspect().learnedIndex).toBe(c.node(l).inspect().learnedIndex);
    expect(c.node(f).kvEntries()).toEqual(c.node(l).kvEntries());
  });
});

describe("status for hosts", () => {
  it("the descriptor's status does not copy the log (hosts call it after every event)", async () => {
    const { kit } = await import("../src/kit/index.js");
    const c = cluster({ readMode: "log" });
    runUntil(c, () => leader(c) !== null);
    const l = leader(c)!;
    const node = c.node(l);
    let copies = 0;
    const inspect = node.inspect.bind(node);
    node.inspect = () => {
      copies++;
      return inspect();
    };
    const s = kit.status(node);
    expect(s).toMatchObject({ role: "leader", leader: true, leaderId: l, epochName: "ballot" });
    expect(copies).toBe(0);
  });
});

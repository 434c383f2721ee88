import { SeededRng } from "@synod/protocol";
import { describe, expect, it } from "vitest";
import { DynamoConfigError, DynamoNode, DynamoStorageError, Ring, type DynamoResult } from "../src/index.js";
import { call, cluster, IDS, owners, replies, runUntil, values } from "./helpers.js";

const ctxOf = (r: { ok: boolean; result?: DynamoResult }) => (r.ok && r.result?.op === "get" ? r.result.context : {});

describe("the ring", () => {
  it("gives every key N distinct owners, the same on every node, spread over all nodes", () => {
    const a = new Ring(["n1", "n2", "n3", "n4", "n5"], 16);
    const b = new Ring(["n5", "n4", "n3", "n2", "n1"], 16);
    const firsts = new Map<string, number>();
    for (let k = 0; k < 500; k++) {
      const p = a.preferenceList(`k${k}`, 3);
      expect(new Set(p).size).toBe(3);
      expect(b.preferenceList(`k${k}`, 3)).toEqual(p);
      firsts.set(p[0]!, (firsts.get(p[0]!) ?? 0) + 1);
    }
    // Virtual nodes: each of 5 nodes coordinates a fair share (between 10% and 30% of 500 keys).
    for (const n of a.nodes) expect(firsts.get(n)).toBeGreaterThan(50);
    for (const n of a.nodes) expect(firsts.get(n)).toBeLessThan(150);
    expect(() => a.preferenceList("k", 6)).toThrow(/N must be in 1..5/);
  });
});

describe("a Dynamo cluster", () => {
  it("reads what was written, with the context to overwrite it; a put over that context replaces it", () => {
    const c = cluster();
    const w = call(c, "n1", { op: "put", key: "k", value: "v1", context: {} });
    expect(w.ok).toBe(true);
    const r = call(c, "n2", { op: "get", key: "k" });
    expect(values(r)).toEqual(["v1"]);
    expect(call(c, "n3", { op: "put", key: "k", value: "v2", context: ctxOf(r) }).ok).toBe(true);
    expect(values(call(c, "n1", { op: "get", key: "k" }))).toEqual(["v2"]);
  });

  it("keeps concurrent writes as siblings until a put over both contexts resolves them", () => {
    const c = cluster();
    call(c, "n1", { op: "put", key: "k", value: "a", context: {} });
    call(c, "n1", { op: "put", key: "k", value: "b", context: {} });
    const r = call(c, "n1", { op: "get", key: "k" });
    expect(values(r)).toEqual(["a", "b"]);
    call(c, "n1", { op: "put", key: "k", value: "ab", context: ctxOf(r) });
    expect(values(call(c, "n1", { op: "get", key: "k" }))).toEqual(["ab"]);
  });

  it("sends a request for a key it does not coordinate to the key's coordinator", () => {
    const c = cluster();
    const [home, other] = owners(c, "k");
    c.request(other!, "x", 1, { op: "get", key: "k" });
    expect(replies(c)).toEqual([{ clientId: "x", seq: 1, ok: false, error: "not-leader", leaderHint: home }]);
  });

  it("with coordinator: any, whichever owner the client reached coordinates; a non-owner still redirects", () => {
    const ids = ["n1", "n2", "n3", "n4"];
    const c = cluster({ coordinator: "any", n: 3 }, ids);
    const walk = c.node("n1").ring.walk("k");
    c.request(walk[2]!, "x", 1, { op: "get", key: "k" });
    runUntil(c, c.nowMs + 20);
    expect(replies(c)[0]).toMatchObject({ ok: true });
    c.request(walk[3]!, "x", 2, { op: "get", key: "k" });
    expect(replies(c)[0]).toMatchObject({ ok: false, error: "not-leader", leaderHint: walk[0] });
    expect(() => new DynamoNode("n1", { nodes: IDS, coordinator: "any", failover: false }, SeededRng.derive(1, "x"))).toThrow(/coordinator and failover/);
  });

  it("takes N, R and W per request, and refuses impossible ones naming the problem", () => {
    const c = cluster();
    const home = owners(c, "k")[0]!;
    c.request(home, "x", 1, { op: "put", key: "k", value: "v", context: {}, quorum: { n: 3, w: 4 } });
    expect(replies(c)[0]).toMatchObject({ ok: false, error: "rejected", detail: "quorum.w: 4 is more than N = 3" });
    c.request(home, "x", 2, { op: "put", key: "k", value: "v", context: {}, extra: 1 } as never);
    expect(replies(c)[0]).toMatchObject({ ok: false, error: "rejected", detail: "command.extra: unknown field of a put" });
    // W = 3 with a replica cut off: no quorum, and the client is told it may have happened.
    const [, , third] = owners(c, "k");
    c.partitioned.add(third!);
    const r = call(c, home, { op: "put", key: "k", value: "v", context: {}, quorum: { w: 3 } }, 200);
    expect(r).toMatchObject({ ok: false, error: "unavailable" });
    // W = 1 is fine.
    expect(call(c, home, { op: "put", key: "k", value: "v", context: {}, quorum: { w: 1 } }).ok).toBe(true);
  });

  it("strict quorums: with R + W > N a read after an acknowledged write sees it, whichever replicas answer", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const c = cluster({ antiEntropyMs: 0 }, IDS, seed, [1, 20]);
      const [home, b, third] = owners(c, "k");
      // The write reaches the coordinator and b; third is cut off during the write.
      c.partitioned.add(third!);
      expect(call(c, home!, { op: "put", key: "k", value: `v${seed}`, context: {} }).ok).toBe(true);
      c.partitioned.delete(third!);
      // The read is coordinated by b (the home is suspected) and hears b and third or the home.
      c.partitioned.add(home!);
      runUntil(c, c.nowMs + 400);
      const r = call(c, b!, { op: "get", key: "k" }, 300);
      expect(values(r)).toEqual([`v${seed}`]);
    }
  });

  it("a read never returns less than an acknowledged write: it is stale only in the build that counts itself twice", () => {
    for (const broken of [false, true]) {
      const c = cluster({ antiEntropyMs: 0, countReplicaTwice: broken });
      const [home, b, third] = owners(c, "k");
      c.partitioned.add(third!);
      expect(call(c, home!, { op: "put", key: "k", value: "v", context: {} }).ok).toBe(true);
      // Now only the replica that missed the write is reachable; it coordinates once it suspects the others.
      c.partitioned.delete(third!);
      c.partitioned.add(home!);
      c.partitioned.add(b!);
      runUntil(c, c.nowMs + 400);
      const r = call(c, third!, { op: "get", key: "k" }, 300);
      if (broken) expect(values(r)).toEqual([]);
      else expect(r).toMatchObject({ ok: false, error: "unavailable" });
    }
  });

  it("read repair brings a replica that missed a write up to date", () => {
    const c = cluster({ antiEntropyMs: 0 });
    const [home, , third] = owners(c, "k");
    c.partitioned.add(third!);
    call(c, home!, { op: "put", key: "k", value: "v", context: {} });
    c.partitioned.delete(third!);
    expect(c.node(third!).local("k")).toEqual([]);
    // R = 3: the read hears the stale replica, and repairs it.
    call(c, home!, { op: "get", key: "k", quorum: { r: 3 } });
    runUntil(c, c.nowMs + 20);
    expect(c.node(third!).local("k").map((s) => s.value)).toEqual(["v"]);
    expect(c.node(home!).counters.readRepairs).toBeGreaterThan(0);
  });

  it("anti-entropy (Merkle trees) repairs a replica that missed writes, without any read", () => {
    const c = cluster({ antiEntropyMs: 100 });
    const third = "n3";
    c.partitioned.add(third);
    const keys = Array.from({ length: 30 }, (_, k) => `k${k}`);
    for (const k of keys) call(c, owners(c, k)[0] === third ? owners(c, k)[1]! : owners(c, k)[0]!, { op: "put", key: k, value: `v-${k}`, context: {}, quorum: { w: 2 } }, 300);
    c.partitioned.delete(third);
    expect(c.node(third).keys().length).toBeLessThan(keys.length);
    runUntil(c, c.nowMs + 1000);
    expect(c.node(third).keys()).toEqual([...keys].sort());
    expect(c.node(third).counters.antiEntropyRepairs + c.node("n1").counters.antiEntropyRepairs + c.node("n2").counters.antiEntropyRepairs).toBeGreaterThan(0);
  });

  it("sloppy quorums: an owner that is down is replaced by a stand-in holding a hint, handed off when it returns", () => {
    const ids = ["n1", "n2", "n3", "n4", "n5"];
    const c = cluster({ sloppy: true, n: 3, r: 2, w: 3, antiEntropyMs: 0 }, ids);
    const key = "k";
    const walk = c.node("n1").ring.walk(key);
    const [home, , third, fourth] = walk;
    c.crash(third!);
    const w = call(c, home!, { op: "put", key, value: "v", context: {} }, 300);
    expect(w.ok).toBe(true);
    expect(c.node(fourth!).hintsHeld().get(third!)).toEqual([key]);
    expect(c.node(fourth!).local(key)).toEqual([]);
    c.restart(third!);
    runUntil(c, c.nowMs + 300);
    expect(c.node(third!).local(key).map((s) => s.value)).toEqual(["v"]);
    expect(c.node(fourth!).hintsHeld().size).toBe(0);
    expect(c.durable.get(fourth!)?.has(`hint/${third}/${key}`)).toBe(false);
  });

  it("strict quorums refuse a write with too few owners up, where sloppy ones take it", () => {
    const ids = ["n1", "n2", "n3", "n4", "n5"];
    const strict = cluster({ n: 3, w: 3, antiEntropyMs: 0 }, ids);
    const [home, , third] = strict.node("n1").ring.walk("k");
    strict.crash(third!);
    expect(call(strict, home!, { op: "put", key: "k", value: "v", context: {} }, 300)).toMatchObject({ ok: false, error: "unavailable" });
  });

  it("blocking read repair answers only once W replicas hold what the read returns", () => {
    const c = cluster({ readRepair: "blocking", antiEntropyMs: 0 });
    const [home, b, third] = owners(c, "k");
    c.partitioned.add(b!);
    c.partitioned.add(third!);
    // W = 1: the write is only on the coordinator.
    call(c, home!, { op: "put", key: "k", value: "v", context: {}, quorum: { w: 1 } });
    c.partitioned.delete(b!);
    c.partitioned.delete(third!);
    const r = call(c, home!, { op: "get", key: "k", quorum: { r: 1, w: 2 } });
    expect(values(r)).toEqual(["v"]);
    expect([b, third].filter((x) => c.node(x!).local("k").length > 0).length).toBeGreaterThanOrEqual(1);
  });

  it("a retried put (same client, same seq) is not written twice", () => {
    const c = cluster();
    const home = owners(c, "k")[0]!;
    c.request(home, "x", 1, { op: "put", key: "k", value: "v", context: {} });
    c.request(home, "x", 1, { op: "put", key: "k", value: "v", context: {} });
    runUntil(c, c.nowMs + 50);
    expect(c.node(home).local("k").length).toBe(1);
    const dots = replies(c).flatMap((r) => (r.ok && r.result.op === "put" ? [r.result.dot] : []));
    expect(new Set(dots).size).toBe(1);
  });

  it("a retry that reaches another coordinator holding the first attempt's write replays it (no second dot)", () => {
    const c = cluster({ coordinator: "any", antiEntropyMs: 0 });
    const [home, b] = owners(c, "k");
    // The first attempt reaches the home, whose Replicate reaches b; the client hears nothing.
    c.request(home!, "x", 7, { op: "put", key: "k", value: "v", context: {} });
    const toB = c.inflight.find((m) => m.to === b && m.message.type === "Replicate");
    c.deliver(toB!.id);
    c.takeOutputs();
    // The retry (same client, same seq) goes to b: it holds the write, so it replicates that dot.
    c.request(b!, "x", 7, { op: "put", key: "k", value: "v", context: {} });
    runUntil(c, c.nowMs + 20);
    const dots = replies(c).flatMap((r) => (r.ok && r.result.op === "put" ? [r.result.dot] : []));
    // Both attempts are answered (the first one's acknowledgements arrive too), with the one dot.
    expect(dots.length).toBeGreaterThanOrEqual(1);
    expect(new Set(dots)).toEqual(new Set([`${home}:1`]));
    for (const n of IDS) expect(c.node(n).local("k").map((s) => s.value)).toEqual(["v"]);
  });

  it("restarts from what it persisted: replicas and hints survive a crash", () => {
    const c = cluster();
    const home = owners(c, "k")[0]!;
    call(c, home, { op: "put", key: "k", value: "v", context: {} });
    c.crash(home);
    c.restart(home);
    expect(c.node(home).local("k").map((s) => s.value)).toEqual(["v"]);
    const n = new DynamoNode("n1", { nodes: IDS }, SeededRng.derive(1, "x"));
    expect(() => n.step({ type: "restart", nowMs: 0, durable: new Map([["kv/k", [{ dot: 3 }]]]) })).toThrow(DynamoStorageError);
    expect(() => n.step({ type: "restart", nowMs: 0, durable: new Map([["junk", 1]]) })).toThrow(/junk: unknown key/);
  });

  it("refuses bad options, naming them", () => {
    const rng = SeededRng.derive(1, "x");
    expect(() => new DynamoNode("n1", { nodes: IDS, r: 4 }, rng)).toThrow(DynamoConfigError);
    expect(() => new DynamoNode("n1", { nodes: IDS, bogus: 1 } as never, rng)).toThrow(/unknown dynamo option "bogus"/);
    expect(() => new DynamoNode("n9", { nodes: IDS }, rng)).toThrow(/not a member/);
    expect(() => new DynamoNode("n1", { nodes: IDS, readRepair: "sometimes" } as never, rng)).toThrow(/readRepair/);
  });

  it("ignores malformed and unknown-sender messages (counted), never throws", () => {
    const c = cluster();
    c.node("n1").step({ type: "message", nowMs: 0, from: "n2", message: { type: "Replicate", key: "k" } as never });
    c.node("n1").step({ type: "message", nowMs: 0, from: "zz", message: { type: "Ping" } });
    expect(c.node("n1").counters.ignored).toBe(2);
  });

  it("the broken build that counts its own replica twice acknowledges a write no other replica has", () => {
    const c = cluster({ countReplicaTwice: true, antiEntropyMs: 0 });
    const [home, b, third] = owners(c, "k");
    c.partitioned.add(b!);
    c.partitioned.add(third!);
    expect(call(c, home!, { op: "put", key: "k", value: "v", context: {} }).ok).toBe(true);
    expect([b, third].map((x) => c.node(x!).local("k").length)).toEqual([0, 0]);
  });
});

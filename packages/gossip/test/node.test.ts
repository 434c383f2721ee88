/**
 * The gossip node in clusters on the test host: convergence under loss, duplication, reordering,
 * partitions and crashes; each dissemination mode; the rumor stop rule; Merkle anti-entropy
 * shipping only differing ranges (and the broken variant that skips one); SWIM detection,
 * indirect probes, refutation and rejoin.
 */
import type { Json } from "@synod/protocol";
import { SeededRng } from "@synod/protocol";
import { TestCluster, testSeed } from "@synod/testkit";
import { describe, expect, test } from "vitest";
import { ENTRY_PREFIX, GossipNode, GossipStorageError, type Delta, type GossipCommand, type GossipMessage, type GossipResult } from "../src/index.js";
import { converged, gossipCluster, inc, runUntil, values } from "./support/cluster.js";
import { testCounter } from "./support/gcounter.js";

describe("convergence", () => {
  for (const mode of ["push", "pull", "push-pull"] as const) {
    test(`${mode}: updates everywhere converge under 20% loss, 20% duplication and reordering`, () => {
      const seed = testSeed(`converge ${mode}`, 101);
      for (let run = 0; run < 5; run++) {
        const c = gossipCluster(5, seed + run, { mode, swim: null }, [1, 30]);
        const rng = SeededRng.derive(seed + run, "workload");
        let total = 0;
        for (let t = 0; t < 400; t += 10) {
          runUntil(c, t, { dropPercent: 20, duplicatePercent: 20 });
          const key = `k${rng.nextInt(0, 3)}`;
          inc(c, `n${rng.nextInt(1, 5)}`, key, "c", t);
          total++;
        }
        runUntil(c, 3000);
        expect(converged(c), `seed ${seed + run}`).toBe(true);
        const sum = ["k0", "k1", "k2", "k3"].reduce((s, k) => s + (c.node("n1").read(k) as number), 0);
        expect(sum).toBe(total);
      }
    });
  }

  test("a partition heals into one state; each side kept its own updates meanwhile", () => {
    const c = gossipCluster(6, testSeed("partition", 7));
    const side = (id: string): number => (["n1", "n2", "n3"].includes(id) ? 0 : 1);
    const cut = (a: string, b: string): boolean => side(a) !== side(b);
    inc(c, "n1", "x");
    inc(c, "n5", "x");
    runUntil(c, 1000, { cut });
    expect(values(c, "x")).toEqual({ n1: 1, n2: 1, n3: 1, n4: 1, n5: 1, n6: 1 });
    expect(converged(c)).toBe(false);
    runUntil(c, 3000);
    expect(values(c, "x")).toEqual({ n1: 2, n2: 2, n3: 2, n4: 2, n5: 2, n6: 2 });
    expect(converged(c)).toBe(true);
  });

  test("a crash loses no acknowledged update: the restarted node recovers it from storage and spreads it", () => {
    const c = gossipCluster(3, testSeed("crash", 11), { swim: null });
    inc(c, "n1", "x");
    c.crash("n1"); // before any rumor left
    expect(c.inflight.filter((m) => m.from === "n1")).toHaveLength(0);
    c.inflight = [];
    runUntil(c, 500);
    c.restart("n1");
    runUntil(c, 2000);
    expect(values(c, "x")).toEqual({ n1: 1, n2: 1, n3: 1 });
  });
});

describe("rumor mongering", () => {
  test("with anti-entropy off, rumors reach everyone and then go cold by feedback", () => {
    const c = gossipCluster(8, testSeed("rumor cold", 3), { antiEntropy: "off", swim: null, rumorStopAfter: 2 });
    inc(c, "n1", "x");
    runUntil(c, 2000);
    expect(Object.values(values(c, "x")).every((v) => v === 1)).toBe(true);
    for (const id of c.live()) expect(c.node(id).backlog().hotRumors).toBe(0);
    const sentAfter = c.live().reduce((s, id) => s + (c.node(id).stats.sent.Rumor ?? 0), 0);
    runUntil(c, 4000);
    // Push-pull with nothing hot still pulls; push alone would be silent.
    expect(c.live().reduce((s, id) => s + (c.node(id).stats.sent.Rumor ?? 0), 0)).toBeGreaterThan(sentAfter);
  });

  test("push alone is silent once every rumor is cold", () => {
    const c = gossipCluster(8, testSeed("push silent", 4), { mode: "push", antiEntropy: "off", swim: null });
    inc(c, "n1", "x");
    runUntil(c, 2000);
    const sent = c.live().reduce((s, id) => s + (c.node(id).stats.sent.Rumor ?? 0), 0);
    runUntil(c, 4000);
    expect(c.live().reduce((s, id) => s + (c.node(id).stats.sent.Rumor ?? 0), 0)).toBe(sent);
  });

  test("deltas out of causal order wait; a duplicate is reported known", () => {
    const c = gossipCluster(2, 1, { swim: null, antiEntropy: "off" });
    const n2 = c.node("n2");
    const d = (seq: number): Delta => ({ key: "x", dot: { origin: "n1", seq }, deps: seq > 1 ? { n1: seq - 1 } : {}, delta: { n1: seq } });
    n2.step({ type: "message", nowMs: 0, from: "n1", message: { type: "Rumor", deltas: [d(2)], known: [], pull: false, feedback: true } });
    expect(n2.read("x")).toBe(0);
    expect(n2.backlog().pendingDeltas).toBe(1);
    n2.step({ type: "message", nowMs: 0, from: "n1", message: { type: "Rumor", deltas: [d(1), d(2)], known: [], pull: false, feedback: true } });
    expect(n2.read("x")).toBe(2);
    const rd = n2.ready();
    const fb = rd.send.filter((s) => s.message.type === "Rumor").at(-1)?.message as Extract<GossipMessage, { type: "Rumor" }>;
    expect(fb.known).toEqual([{ key: "x", origin: "n1", seq: 2 }]);
  });
});

/** Two nodes from durable maps: `keys` keys equal on both, `differ` of them ahead on n1. */
function divergentPair(keys: number, differ: number, options: object): TestCluster<GossipMessage, GossipCommand, GossipResult, GossipNode> {
  const durable = (mine: boolean): Map<string, Json> => {
    const m = new Map<string, Json>();
    for (let k = 0; k < keys; k++) {
      const ahead = mine && k % Math.floor(keys / differ) === 0 && k / Math.floor(keys / differ) < differ;
      const n = ahead ? 2 : 1;
      m.set(`${ENTRY_PREFIX}key${k}`, { state: { n0: n }, vv: { n0: n } });
    }
    return m;
  };
  return new TestCluster({
    ids: [],
    seed: 1,
    create: (id, peers, rng) => new GossipNode({ id, peers, rng, durable: durable(id === "n1"), options: { payload: testCounter, swim: null, ...options } }),
  });
}

describe("Merkle anti-entropy", () => {
  test("ships only the entries of differing ranges, and repairs them", () => {
    const c = divergentPair(2000, 20, { merkleBranching: 16, merkleDepth: 2 });
    c.add("n1", ["n2"]);
    c.add("n2", ["n1"]);
    const [n1, n2] = [c.node("n1"), c.node("n2")];
    n2.countBytes = true;
    n1.countBytes = true;
    c.fire("n2", "anti-entropy");
    c.deliverAll();
    expect(n2.merkleRoot()).toBe(n1.merkleRoot());
    expect(n2.stats.entriesRepaired).toBe(20);
    const shipped = (n1.stats.bytes.AeEntries ?? 0) + (n2.stats.bytes.AeEntries ?? 0);
    const total = Object.values(n1.stats.bytes).reduce((a, b) => a + b, 0) + Object.values(n2.stats.bytes).reduce((a, b) => a + b, 0);
    // 20 of 256 leaves differ; each holds ~8 keys: far below the 2,000 entries of a full exchange.
    expect(shipped).toBeLessThan(JSON.stringify(n1.entries()).length / 5);
    expect(total).toBeGreaterThan(shipped);
  });

  test("full-state exchange repairs too, shipping everything", () => {
    const c = divergentPair(200, 2, { antiEntropy: "full" });
    c.add("n1", ["n2"]);
    c.add("n2", ["n1"]);
    c.fire("n2", "anti-entropy");
    c.deliverAll();
    expect(c.node("n2").merkleRoot()).toBe(c.node("n1").merkleRoot());
    expect(c.node("n2").stats.sent.AeEntries).toBe(1);
  });

  test("broken: skipping the first differing range leaves a single divergent key unrepaired forever", () => {
    for (const unsafe of [{}, { skipMerkleRange: true }]) {
      const c = divergentPair(100, 1, { unsafe });
      c.add("n1", ["n2"]);
      c.add("n2", ["n1"]);
      for (let i = 0; i < 20; i++) {
        c.fire("n1", "anti-entropy");
        c.fire("n2", "anti-entropy");
        c.deliverAll();
      }
      expect(c.node("n2").merkleRoot() === c.node("n1").merkleRoot()).toBe(unsafe.skipMerkleRange !== true);
    }
  });
});

describe("SWIM membership", () => {
  const statusOf = (c: ReturnType<typeof gossipCluster>, viewer: string, who: string) => c.node(viewer).members().find((m) => m.id === who);

  test("a crashed member is suspected, then declared dead everywhere; restarted, it rejoins with a higher incarnation", () => {
    const c = gossipCluster(5, testSeed("swim dead", 21));
    runUntil(c, 500);
    c.crash("n3");
    runUntil(c, 3000);
    for (const id of c.live()) expect(statusOf(c, id, "n3")?.status, id).toBe("dead");
    c.restart("n3");
    runUntil(c, 5000);
    for (const id of c.live()) {
      expect(statusOf(c, id, "n3")?.status, id).toBe("alive");
      expect(statusOf(c, id, "n3")?.incarnation, id).toBeGreaterThanOrEqual(1);
    }
  });

  test("indirect probes keep a member alive when only the direct link fails", () => {
    const c = gossipCluster(5, testSeed("swim indirect", 22));
    const cut = (a: string, b: string): boolean => (a === "n1" && b === "n2") || (a === "n2" && b === "n1");
    runUntil(c, 4000, { cut });
    for (const id of c.live()) expect(statusOf(c, id, "n2")?.status, id).toBe("alive");
    expect(statusOf(c, "n2", "n2")?.incarnation).toBe(0);
  });

  test("without indirect probes the member is suspected, learns it, and refutes with a higher incarnation", () => {
    const c = gossipCluster(5, testSeed("swim refute", 23), { swim: { probeIntervalMs: 100, probeTimeoutMs: 50, indirectChecks: 0, suspicionTimeoutMs: 2000, retransmitMult: 4, maxPiggyback: 8, reconnectProbability: 0.2 } });
    const cut = (a: string, b: string): boolean => (a === "n1" && b === "n2") || (a === "n2" && b === "n1");
    let suspected = 0;
    for (let t = 100; t <= 6000; t += 100) {
      runUntil(c, t, { cut });
      for (const id of c.live()) {
        const s = statusOf(c, id, "n2")?.status;
        if (s === "suspect") suspected++;
        // Suspicion is refuted well within the timeout: n2 is never declared dead.
        expect(s, `${id} at ${t} ms`).not.toBe("dead");
      }
    }
    expect(suspected).toBeGreaterThan(0);
    expect(statusOf(c, "n2", "n2")?.incarnation).toBeGreaterThanOrEqual(1);
  });
});

describe("storage", () => {
  test("corrupt durable state is refused, naming the key", () => {
    const make = (durable: Map<string, Json>) => () => new GossipNode({ id: "n1", peers: [], rng: SeededRng.derive(1, "n"), durable, options: { payload: testCounter } });
    expect(make(new Map([["incarnation", -1]]))).toThrow(GossipStorageError);
    expect(make(new Map([["entry/x", { state: {}, vv: { n1: "a" } }]]))).toThrow(/durable entry\/x: version vector entry "n1"/);
    expect(make(new Map([["entry/x", { state: 5, vv: {} }]]))).toThrow(/durable entry\/x: a counter state is an object/);
    expect(make(new Map([["stuff", 1]]))).toThrow(/durable "stuff": not a key a gossip node writes/);
  });
  test("malformed messages are ignored and counted, never thrown", () => {
    const n = new GossipNode({ id: "n1", peers: ["n2"], rng: SeededRng.derive(1, "n"), options: { payload: testCounter } });
    for (const m of [null, { type: "Nope" }, { type: "Rumor", deltas: [{ key: 1 }], known: [] }, { type: "AeHashes", level: 9, hashes: [[0, "x"]] }, { type: "AeEntries", entries: [{ key: "k", state: 3, vv: {} }], leaves: null, reply: false }, { type: "Ping", seq: "x" }]) {
      n.step({ type: "message", nowMs: 0, from: "n2", message: m as never });
    }
    expect(n.stats.ignored).toBe(6);
  });
});

describe("client sessions", () => {
  test("an update is applied once per (client, seq): a retry gets the first result; `at` routes it", () => {
    const c = gossipCluster(3, 1, { swim: null });
    c.request("n2", "c1", 1, { op: "update", key: "x", update: { inc: 1 }, at: "n1" });
    expect(c.takeOutputs().filter((o) => o.kind === "reply").map((o) => (o as { reply: { ok: boolean; leaderHint?: string } }).reply)).toEqual([
      expect.objectContaining({ ok: false, error: "not-leader", leaderHint: "n1" }),
    ]);
    c.request("n1", "c1", 1, { op: "update", key: "x", update: { inc: 1 }, at: "n1" });
    c.request("n1", "c1", 1, { op: "update", key: "x", update: { inc: 1 }, at: "n1" });
    c.crash("n1");
    c.restart("n1");
    c.request("n1", "c1", 1, { op: "update", key: "x", update: { inc: 1 }, at: "n1" });
    const replies = c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply] : []));
    expect(replies).toHaveLength(3);
    for (const r of replies) expect(r).toMatchObject({ ok: true, result: { dot: { origin: "n1", seq: 1 } } });
    expect(c.node("n1").read("x")).toBe(1);
    c.request("n1", "c1", 2, { op: "update", key: "x", update: { inc: 1 }, at: "n1" });
    expect(c.node("n1").read("x")).toBe(2);
  });
});

describe("@synod/crdt payloads", () => {
  test("G-Counter and OR-Set keys side by side converge under loss and duplication", async () => {
    const { gCounter, orSet } = await import("@synod/crdt");
    const seed = testSeed("crdt payloads", 31);
    const ids = ["n1", "n2", "n3", "n4"];
    const c = new TestCluster<GossipMessage, GossipCommand, GossipResult, GossipNode>({
      ids,
      seed,
      latencyMs: [1, 20],
      create: (id, peers, rng) => new GossipNode({ id, peers, rng, options: { payload: (key) => (key.startsWith("set") ? orSet : gCounter) } }),
    });
    const rng = SeededRng.derive(seed, "ops");
    for (let t = 0; t < 400; t += 5) {
      runUntil(c, t, { dropPercent: 20, duplicatePercent: 10 });
      const at = ids[rng.nextInt(0, 3)] as string;
      const op = rng.nextInt(0, 2);
      const update: Json = op === 0 ? { type: "inc", by: 1 } : { type: op === 1 ? "add" : "remove", elem: `e${rng.nextInt(0, 2)}` };
      c.request(at, "c", t + 1, { op: "update", key: op === 0 ? "counter" : "set", update });
    }
    runUntil(c, 3000);
    expect(converged(c)).toBe(true);
    const reads = ids.map((id) => JSON.stringify([c.node(id).read("counter"), c.node(id).read("set")]));
    expect(new Set(reads).size).toBe(1);
  });
});

describe("causal stability", () => {
  test("OR-Set tombstones are compacted once every replica has incorporated them, and replicas still agree", async () => {
    const { orSet, orSetSize } = await import("@synod/crdt");
    const seed = testSeed("compaction", 41);
    const ids = ["n1", "n2", "n3"];
    const make = (compactStable: boolean) =>
      new TestCluster<GossipMessage, GossipCommand, GossipResult, GossipNode>({ ids, seed, latencyMs: [1, 10], create: (id, peers, rng) => new GossipNode({ id, peers, rng, options: { payload: orSet, compactStable } }) });
    const sizes: number[] = [];
    for (const compactStable of [false, true]) {
      const c = make(compactStable);
      const rng = SeededRng.derive(seed, "ops");
      for (let t = 0; t < 600; t += 5) {
        runUntil(c, t, { dropPercent: 10 });
        const update: Json = { type: rng.nextFloat() < 0.5 ? "add" : "remove", elem: `e${rng.nextInt(0, 5)}` };
        c.request(ids[rng.nextInt(0, 2)] as string, "c", t + 1, { op: "update", key: "s", update });
      }
      // Once every add is everywhere, remove everything; then anti-entropy spreads every replica's version vector.
      runUntil(c, 2000);
      for (let e = 0; e < 6; e++) c.request("n1", "c", 10_000 + e, { op: "update", key: "s", update: { type: "remove", elem: `e${e}` } });
      runUntil(c, 5000);
      expect(converged(c)).toBe(true);
      for (const id of ids) expect(c.node(id).read("s")).toEqual([]);
      const s = orSet.fromJson(c.node("n2").entry("s").state);
      sizes.push(orSetSize(s).elems);
    }
    // Without compaction every removed element keeps its context; with it, none is left.
    expect(sizes[0]).toBeGreaterThan(0);
    expect(sizes[1]).toBe(0);
  });
});

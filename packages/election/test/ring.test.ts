import { SeededRng } from "@synod/protocol";
import { TestCluster, testSeed } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { ElectionConfigError, RingNode, type RingMessage, type RingOptions } from "../src/index.js";
import { countSent, drain, ids, leaders, runUntil, type Cluster } from "./helpers.js";

function cluster(n: number, extra: Partial<RingOptions> = {}, seed = 1): Cluster<RingMessage> {
  const members = ids(n);
  return new TestCluster({ ids: members, seed, latencyMs: [1, 5], create: (id, _peers, rng) => new RingNode(id, { members, ...extra }, rng) }) as Cluster<RingMessage>;
}

/** Every node starts an election at once on ring `ring`; the Election and Elected messages, delivered FIFO. */
function allInitiate(ring: string[]): { election: number; elected: number } {
  const c = cluster(ring.length, { ring, leaderTimeoutMs: { min: 1_000_000, max: 1_000_000 } });
  for (const id of ring) {
    (c.node(id) as RingNode).startElection();
    c.process(id);
  }
  drain(c);
  const top = `n${ring.length}`;
  expect(leaders(c)).toEqual(Array(ring.length).fill(top));
  return { election: countSent(c, ["Election"]), elected: countSent(c, ["Elected"]) };
}

const harmonic = (n: number): number => Array.from({ length: n }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b, 0);

describe("Chang–Roberts ring", () => {
  it("elects the highest node, and every node agrees once stable", () => {
    const c = cluster(5);
    runUntil(c, 2000);
    expect(leaders(c)).toEqual(Array(5).fill("n5"));
    expect(c.live().filter((id) => c.node(id).isLeader(0))).toEqual(["n5"]);
  });

  it("worst case: ids decreasing clockwise and every node initiating — n(n+1)/2 Election messages, plus n Elected", () => {
    for (const n of [4, 8, 16, 32, 64]) {
      const ring = ids(n).reverse();
      const { election, elected } = allInitiate(ring);
      console.log(`ring n=${n} worst: ${election} Election (n(n+1)/2 = ${(n * (n + 1)) / 2}) + ${elected} Elected`);
      expect(election).toBe((n * (n + 1)) / 2);
      expect(elected).toBe(n);
    }
  });

  it("best case: ids increasing clockwise — 2n − 1 Election messages", () => {
    const n = 16;
    expect(allInitiate(ids(n)).election).toBe(2 * n - 1);
  });

  it("average over random rings: n·H_n Election messages (O(n log n)), within 10% over 200 rings", () => {
    const seed = testSeed("ring average", 7);
    const rng = SeededRng.derive(seed, "rings");
    for (const n of [8, 32]) {
      let total = 0;
      const rings = 200;
      for (let k = 0; k < rings; k++) {
        const ring = ids(n);
        for (let i = ring.length - 1; i > 0; i--) {
          const j = rng.nextInt(0, i);
          [ring[i], ring[j]] = [ring[j] as string, ring[i] as string];
        }
        total += allInitiate(ring).election;
      }
      const mean = total / rings;
      const expected = n * harmonic(n);
      console.log(`ring n=${n} average: ${mean.toFixed(1)} Election messages (n·H_n = ${expected.toFixed(1)})`);
      expect(Math.abs(mean - expected) / expected).toBeLessThan(0.1);
    }
  });

  it("after the leader crashes, the ring closes over it and elects the highest live node", () => {
    const c = cluster(5);
    runUntil(c, 2000);
    c.crash("n5");
    runUntil(c, 4000);
    expect(leaders(c)).toEqual(Array(4).fill("n4"));
    c.crash("n2");
    c.crash("n4");
    runUntil(c, 6000);
    expect(leaders(c)).toEqual(Array(2).fill("n3"));
    c.restart("n5");
    c.restart("n4");
    runUntil(c, 9000);
    // A returning higher node hears the lower leader's heartbeat and takes over.
    expect(leaders(c)).toEqual(Array(4).fill("n5"));
    c.crash("n3");
    runUntil(c, 12000);
    expect(leaders(c)).toEqual(Array(3).fill("n5"));
  });

  it("refuses a ring that is not an order of the members, naming it", () => {
    const rng = SeededRng.derive(1, "x");
    expect(() => new RingNode("n1", { members: ["n1", "n2"], ring: ["n1", "n3"] }, rng)).toThrow(/ring option ring/);
    expect(() => new RingNode("n1", { members: ["n1", "n2"], ackTimeoutMs: 0 }, rng)).toThrow(ElectionConfigError);
  });
});

describe("a ring node that suspects every other node", () => {
  it("re-forwarding a higher candidate's Election after its only successor fell silent leads itself instead of recursing forever", () => {
    // Regression: forward() with no unsuspected successor handled the message itself, and a
    // higher candidate's Election is forwarded again — an endless recursion (stack overflow).
    const members = ids(2);
    const n1 = new RingNode("n1", { members }, SeededRng.derive(1, "n1"));
    n1.ready();
    n1.step({ type: "message", nowMs: 0, from: "n2", message: { type: "Election", candidate: "n2" } });
    const rd = n1.ready();
    expect(rd.send.map((s) => s.message.type).sort()).toEqual(["Ack", "Election"]);
    // n2 crashed: the Election is never acknowledged.
    expect(() => n1.step({ type: "timer", nowMs: 20, name: "ack" })).not.toThrow();
    expect(n1.leader()).toBe("n1");
    expect(n1.isLeader(0)).toBe(true);
    expect(n1.ready().timers).toContainEqual({ name: "heartbeat", afterMs: 50 });
  });
});

describe("a higher node that comes back", () => {
  it("takes over from the lower leader whose heartbeat it hears (it used to follow it for good)", () => {
    // Regression, found by the kit's settled-leader histories: n3 was down while n2 was elected;
    // restarted, n3 adopted n2's heartbeat and never started an election.
    const c = cluster(3, {}, 7);
    c.crash("n3");
    runUntil(c, 2000);
    expect(leaders(c)).toEqual(["n2", "n2"]);
    c.restart("n3");
    runUntil(c, 4000);
    expect(leaders(c)).toEqual(["n3", "n3", "n3"]);
  });
});

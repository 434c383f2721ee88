import { SeededRng } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { BullyNode, ElectionConfigError, type BullyMessage, type BullyOptions } from "../src/index.js";
import { countSent, drain, ids, leaders, resetCounts, runUntil, type Cluster } from "./helpers.js";

const ELECTION = ["Election", "Answer", "Coordinator"];

function cluster(n: number, extra: Partial<BullyOptions> = {}, seed = 1): Cluster<BullyMessage> {
  const members = ids(n);
  return new TestCluster({ ids: members, seed, latencyMs: [1, 5], create: (id, _peers, rng) => new BullyNode(id, { members, ...extra }, rng) }) as Cluster<BullyMessage>;
}

/** Messages of one election started by `starter` on an idle cluster of `n` nodes, delivered FIFO. */
function electionCost(n: number, starter: string): number {
  const c = cluster(n, { leaderTimeoutMs: { min: 1_000_000, max: 1_000_000 } });
  (c.node(starter) as BullyNode).startElection();
  c.process(starter);
  drain(c);
  // Nobody answers the top node, so it wins when its answer timer fires; every other timer is far off.
  for (let guard = 0; guard < 10 * n; guard++) {
    const t = c.nextTimer();
    if (t === null || t.dueMs > 500_000) break;
    c.fireNextTimer();
    drain(c);
  }
  expect(new Set(leaders(c))).toEqual(new Set([`n${n}`]));
  return countSent(c, ELECTION);
}

describe("Bully", () => {
  it("elects the highest node, and every node agrees once stable", () => {
    const c = cluster(5);
    runUntil(c, 2000);
    expect(leaders(c)).toEqual(Array(5).fill("n5"));
    expect(c.node("n5").isLeader(0)).toBe(true);
    expect(c.live().filter((id) => c.node(id).isLeader(0))).toEqual(["n5"]);
  });

  it("after the leader crashes, the highest live node wins; when it returns it bullies its way back", () => {
    const c = cluster(5);
    runUntil(c, 2000);
    c.crash("n5");
    runUntil(c, 4000);
    expect(leaders(c)).toEqual(Array(4).fill("n4"));
    c.crash("n4");
    runUntil(c, 6000);
    expect(leaders(c)).toEqual(Array(3).fill("n3"));
    c.restart("n5");
    runUntil(c, 8000);
    expect(leaders(c)).toEqual(Array(4).fill("n5"));
  });

  // Bound: at most n(n−1)/2 Elections (node k asks the n−k above it, once), as many Answers, and
  // Coordinators: the winner's n−1 plus one straight to each node whose Election reaches it after
  // it won (at most n−2) — n² + n − 3 in all, Θ(n²).
  it("worst case: the lowest node starts, every higher one takes over — at most n² + n − 3 messages, Θ(n²)", () => {
    for (const n of [4, 8, 16, 32]) {
      const cost = electionCost(n, "n1");
      console.log(`bully n=${n}: ${cost} messages started by the lowest node (bound n²+n−3 = ${n * n + n - 3})`);
      expect(cost).toBeLessThanOrEqual(n * n + n - 3);
      // Θ(n²), not less: every node above the starter runs an election of its own.
      expect(cost).toBeGreaterThanOrEqual((n * (n - 1)) / 2);
    }
  });

  it("best case: the second-highest node notices the crash — n − 1 messages", () => {
    const n = 8;
    const c = cluster(n, { leaderTimeoutMs: { min: 1_000_000, max: 1_000_000 } });
    c.crash("n8");
    resetCounts(c);
    (c.node("n7") as BullyNode).startElection();
    c.process("n7");
    drain(c);
    runUntil(c, 100);
    expect(leaders(c)).toEqual(Array(n - 1).fill("n7"));
    // One Election to the dead n8, then a Coordinator to each of the 6 lower nodes.
    expect(countSent(c, ELECTION)).toBe(1 + (n - 2));
  });

  it("refuses unknown options and bad values, naming them", () => {
    const rng = SeededRng.derive(1, "x");
    expect(() => new BullyNode("n1", { members: ["n1", "n2"], heartbeat: 5 } as never, rng)).toThrow(/unknown bully option "heartbeat"/);
    expect(() => new BullyNode("n1", { members: ["n2"] }, rng)).toThrow(ElectionConfigError);
    expect(() => new BullyNode("n1", { members: ["n1", "n1"] }, rng)).toThrow(/duplicate/);
    expect(() => new BullyNode("n1", { members: ["n1"], answerTimeoutMs: -1 }, rng)).toThrow(/answerTimeoutMs/);
  });

  it("ignores malformed messages and messages from strangers", () => {
    const n = new BullyNode("n1", { members: ["n1", "n2"] }, SeededRng.derive(1, "x"));
    n.ready();
    n.step({ type: "message", nowMs: 0, from: "n9", message: { type: "Coordinator" } });
    n.step({ type: "message", nowMs: 0, from: "n2", message: null as never });
    expect(n.ignored).toBe(2);
    expect(n.hasReady()).toBe(false);
  });
});

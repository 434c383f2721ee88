/**
 * Dynamo's histories under faults, judged by the bounded-staleness judge: the correct build
 * passes every configuration (linearizable where it promises to be, fresh reads under strict
 * overlapping quorums, no lost write anywhere), and the build that counts its own replica twice
 * is caught by a stale read under R + W > N.
 */
import { checkHistories, runHistory, type HistoryRun, type ProtocolKit } from "@synod/conformance";
import { testSeed } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { histories, HISTORY_NODES, type DynamoTypes } from "../../src/kit/histories.js";

const kit = { name: "dynamo", histories, brokenVariants: [{ name: "countReplicaTwice", description: "", variant: { countReplicaTwice: true }, caughtBy: ["histories"] }] } as unknown as ProtocolKit<DynamoTypes>;

describe("Dynamo histories under faults", () => {
  it("the correct build passes the judge in every quorum configuration", async () => {
    const seed = testSeed("dynamo histories", 19);
    const r = await checkHistories(kit, { seed, numRuns: histories.runs.ci });
    if (r.failure !== null) console.log(r.failure.outcome.explanation, r.failure.replayFile);
    expect(r.failure).toBeNull();
    expect(r.undecided).toBe(0);
  });

  it("holds strict R + W > N with blocking read repair and no failover to linearizability, under crashes, pauses and partitions", () => {
    const run: HistoryRun = {
      protocol: "dynamo", seed: 3, nodes: HISTORY_NODES, durationMs: 1500, clients: 5, keys: 3, readRatio: 0.5, randomTargetProbability: 0.2, variant: null,
      options: { n: 3, r: 2, w: 2, readRepair: "blocking", failover: false },
      faults: [
        { atMs: 200, fault: { type: "pause", node: "n2" } },
        { atMs: 400, fault: { type: "crash", node: "n4" } },
        { atMs: 600, fault: { type: "partition", groups: [["n1", "n3"], ["n2", "n4", "n5"]] } },
        { atMs: 900, fault: { type: "heal" } },
        { atMs: 1000, fault: { type: "restart", node: "n4" } },
        { atMs: 1100, fault: { type: "resume", node: "n2" } },
      ],
    };
    const o = runHistory(kit, run);
    expect(o.explanation).toMatch(/^linearizable \(multi-value register, \d+ operations\)/);
    expect(o.finalOk).toBe(o.finalTotal);
  });

  it("reports the staleness of R = W = 1 and sloppy quorums, and catches no lost write", () => {
    const run: HistoryRun = {
      protocol: "dynamo", seed: 1, nodes: HISTORY_NODES, durationMs: 1500, clients: 5, keys: 3, readRatio: 0.5, randomTargetProbability: 0.2, variant: null,
      options: { n: 3, r: 1, w: 1, sloppy: true },
      faults: [{ atMs: 100, fault: { type: "partition", groups: [["n1", "n2"], ["n3", "n4", "n5"]] } }, { atMs: 1200, fault: { type: "heal" } }],
    };
    const o = runHistory(kit, run);
    expect(o.verdict).toBe("ok");
    expect(o.explanation).toMatch(/^bounded staleness: \d+ reads, \d+ stale/);
  });

  it("catches the coordinator that counts its own replica twice (R + W > N, yet stale reads)", async () => {
    const seed = testSeed("dynamo histories, countReplicaTwice", 19);
    const r = await checkHistories(kit, { seed, numRuns: 40, variant: "countReplicaTwice" });
    expect(r.failure).not.toBeNull();
    expect(r.failure?.outcome.explanation).toMatch(/stale read under overlapping strict quorums/);
  });
});

/**
 * The lock bench's figures: deterministic, and what the algorithms imply — an uncontended ZooKeeper
 * holding costs its 8 messages plus heartbeats, an uncontended Redlock holding its 13 (SETs,
 * token, write, DELs) and, with keys deleted on release, far more than the one holding per 50 ms
 * lease it managed when keys expired; and the recipe's messages per acquisition do not grow with
 * the number of waiters the way a herd would make them.
 */
import { describe, expect, it } from "vitest";
import { bench, lockCost } from "../../src/kit/index.js";

describe("the lock bench", () => {
  it("measures the ZooKeeper recipe and Redlock as their algorithms imply, the same every time", () => {
    const zk1 = lockCost("zk", 1, 100);
    expect(zk1.messagesPerAcquisition).toBeGreaterThanOrEqual(8);
    expect(zk1.messagesPerAcquisition).toBeLessThan(10);
    expect(lockCost("zk", 1, 100)).toEqual(zk1);
    const red1 = lockCost("redlock", 1, 40);
    expect(lockCost("redlock", 1, 40)).toEqual(red1);
    // 3 SETs and their answers, the token's 2, the write's 2, and 3 DELs.
    expect(red1.messagesPerAcquisition).toBe(13);
    // Four round trips and 1 ms of work: 7 ms a holding, not the 50 ms lease waited out.
    expect(red1.perSecond).toBeGreaterThan(100);
    // Contending clients back off at random and do not livelock: the lock keeps changing hands.
    expect(lockCost("redlock", 16, 200).perSecond).toBeGreaterThan(100);
    // Waiters watch only their predecessor: 4 contending clients cost a few messages more each, not 4 times more.
    expect(lockCost("zk", 4, 100).messagesPerAcquisition).toBeLessThan(2.5 * zk1.messagesPerAcquisition);
  });

  it("measures the recipe over a 3-replica Raft tree: every tree write replicated, slower than one server", () => {
    const raft1 = lockCost("zk-raft", 1, 100);
    expect(lockCost("zk-raft", 1, 100)).toEqual(raft1);
    const zk1 = lockCost("zk", 1, 100);
    // Create and delete commit through the log, children is a ReadIndex round: about two extra hops each.
    expect(raft1.perSecond).toBeLessThan(zk1.perSecond);
    expect(raft1.perSecond).toBeGreaterThan(zk1.perSecond / 3);
    // Replication to 2 followers (and their acknowledgements) at least doubles the messages.
    expect(raft1.messagesPerAcquisition).toBeGreaterThan(2 * zk1.messagesPerAcquisition);
  });

  it("gives a row per algorithm and client count", async () => {
    const rows = await bench.run({ quick: true, log: () => {} });
    const kinds = ["Redlock (3 stores", "ZooKeeper recipe (one coordination server)", "ZooKeeper recipe (tree replicated by 3 Raft nodes)"];
    expect(rows.map((r) => r.case.split(",")[0])).toEqual([...kinds, ...kinds]);
    expect(Object.keys(rows[0]?.figures ?? {})).toEqual(["acquisitions/s", "messages/acquisition"]);
  });
});

import { describe, expect, it } from "vitest";
import { runConformance } from "../src/index.js";

describe("runConformance", () => {
  it("gives one passing row per check for raft at CI size", async () => {
    const rows = await runConformance({ protocol: "raft", size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1)}s ${r.check}: ${r.detail.split("\n")[0]}`);
    expect(rows.map((r) => r.check)).toEqual([
      "raft spec→impl: random walks",
      "raft spec→impl: every state of the MaxTerm=1 model",
      "raft impl→spec: trace validation under faults",
      "raft histories: linearizable under faults",
      "raft broken variant caught: commitPriorTermByCounting",
      "raft broken variant caught: voteWithoutUpToDateCheck",
      "raft broken variant caught: ackBeforePersist",
    ]);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    // Two variants are caught by all three checks, the commit rule by trace validation.
    const detail = (name: string): string => rows.find((r) => r.check.endsWith(name))?.detail ?? "";
    expect(detail("voteWithoutUpToDateCheck")).toMatch(/^caught by 3: trace validation.*\| spec→impl walk.*\| histories/);
    expect(detail("ackBeforePersist")).toMatch(/^caught by 3: trace validation.*\| spec→impl walk.*\| histories, targeted/);
    expect(detail("commitPriorTermByCounting")).toMatch(/^caught by 1: trace validation/);
  });

  it("rejects an unknown protocol by name", async () => {
    await expect(runConformance({ protocol: "paxos", size: "ci" })).rejects.toThrow('unknown protocol "paxos"');
  });
});

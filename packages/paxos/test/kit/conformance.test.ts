import { describe, expect, it } from "vitest";
import { findKit, runConformance } from "@synod/conformance";
import { kit } from "../../src/kit/index.js";

describe("Multi-Paxos through the protocol kit", () => {
  it("the registry finds Multi-Paxos's descriptor", async () => {
    expect((await findKit("multipaxos")).title).toBe("Multi-Paxos");
  });

  it("gives one passing row per check and per broken variant at CI size", async () => {
    const rows = await runConformance(kit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1)}s ${r.check}: ${r.detail.split("\n")[0]}`);
    expect(rows.map((r) => r.check)).toEqual([
      "spec→impl: random walks",
      "spec→impl: every state of the coverage model",
      "impl→spec: trace validation under faults",
      "histories: linearizable under faults",
      "spec actions exercised",
      "broken variant caught: ignoreHighestAccepted",
      "broken variant caught: forgetPromiseOnRestart",
      "broken variant caught: readAfterLeaseExpiry",
    ]);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    const detail = (name: string): string => rows.find((r) => r.check.endsWith(name))?.detail ?? "";
    expect(detail("linearizable under faults")).toMatch(/targeted schedules stale-lease-read, check-quorum-step-down, deposed-leader-nack, idle-leader, leader-stickiness pass \(seeds 1-2 each\)/);
    expect(detail("coverage model")).toMatch(/4844 distinct states \(TLC: 4844\)/);
    expect(detail("ignoreHighestAccepted")).toMatch(/^caught by 2: trace validation.*\| fast-check seed/);
    expect(detail("forgetPromiseOnRestart")).toMatch(/^caught by 2: trace validation.*\| spec→impl walk/);
    expect(detail("readAfterLeaseExpiry")).toMatch(/^caught by 2: trace validation.*\| targeted stale-lease-read/);
  }, 900_000);
});

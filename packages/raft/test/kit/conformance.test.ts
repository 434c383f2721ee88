import { describe, expect, it } from "vitest";
import { findKit, runConformance } from "@synod/conformance";
import { kit } from "../../src/kit/index.js";

describe("Raft through the protocol kit", () => {
  it("the registry finds Raft's descriptor", async () => {
    expect((await findKit("raft")).title).toBe("Raft");
  });

  // Every row and every variant at CI size: minutes at the machine's usual load.
  it("gives one passing row per check and per broken variant at CI size", { timeout: 400_000 }, async () => {
    const rows = await runConformance(kit, { size: "ci" });
    for (const r of rows) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1)}s ${r.check}: ${r.detail.split("\n")[0]}`);
    expect(rows.map((r) => r.check)).toEqual([
      "spec→impl: random walks",
      "spec→impl: every state of the coverage model",
      "spec→impl: spec-guided walks of the production node (RaftProd.tla)",
      "impl→spec: trace validation under faults",
      "impl→spec: trace validation under faults (production mode, RaftProd.tla)",
      "histories: linearizable under faults",
      "spec actions exercised",
      "broken variant caught: commitPriorTermByCounting",
      "broken variant caught: voteWithoutUpToDateCheck",
      "broken variant caught: ackBeforePersist",
      "broken variant caught: truncateWithoutPersist",
      "broken variant caught: applyRetriesTwice",
      "broken variant caught: readWithoutConfirmation",
      "broken variant caught: heartbeatCommitBeyondMatch",
      "broken variant caught: readBeforeTermCommit",
      "broken variant caught: installSnapshotOverConflict",
      "broken variant caught: keepConfigOnTruncate",
    ]);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    const detail = (name: string): string => rows.find((r) => r.check.endsWith(name))?.detail ?? "";
    expect(detail("coverage model")).toMatch(/936 distinct states \(TLC: 936\)/);
    expect(detail("voteWithoutUpToDateCheck")).toMatch(/^caught by 3: trace validation.*\| spec→impl walk.*\| fast-check seed/);
    expect(detail("ackBeforePersist")).toMatch(/^caught by 3: trace validation.*\| spec→impl walk.*\| targeted ack-before-persist/);
    expect(detail("commitPriorTermByCounting")).toMatch(/^caught by 1: trace validation/);
    // Storage against memory: the step that truncates without persisting is the one reported.
    // The histories check follows every application: a request applied at two log indexes fails it.
    expect(detail("applyRetriesTwice")).toMatch(/^caught by 1: fast-check seed .*exactly-once broken: client c\d+'s request \d+ was applied at index \d+ and again at index \d+/);
    // Raft.tla has no reads: only a history with a leader cut off while clients still reach it shows it.
    expect(detail("readWithoutConfirmation")).toMatch(/^caught by 1: targeted isolate-leader schedule, seed \d+: Key "k\d+" \(\d+ operations\) is not linearizable/);
    // Every targeted schedule passes on the correct build before it may catch anything.
    expect(rows.find((r) => r.check.startsWith("histories"))?.detail).toMatch(/targeted schedules ack-before-persist, isolate-leader, deposed-leader-suffix, truncate-then-restart, snapshot-over-conflict, leader-change-with-reads, membership-churn, check-quorum-step-down, idle-leader pass/);
    // The deposed leader, told a commit index beyond what it holds, applies its own writes.
    expect(detail("heartbeatCommitBeyondMatch")).toMatch(/^caught by 3: trace validation \(production mode, RaftProd\.tla\), seed \d+, .* Heartbeat\(i=s\d, j=s\d\).*\| spec-guided walks \(RaftProd\.tla\), walk \d+ .*heartbeat timer.*\| targeted deposed-leader-suffix schedule, seed \d+: (exactly-once broken|state machine safety broken)/);
    expect(detail("spec-guided walks of the production node (RaftProd.tla)")).toMatch(/^10 walks \(seed 1\), \d+ production steps checked, \d+ distinct states; actions: .*Heartbeat.*TakeSnapshot/);
    // The production node itself, every step a sequence of RaftProd.tla's actions.
    expect(rows.find((r) => r.check === "impl→spec: trace validation under faults (production mode, RaftProd.tla)")?.detail).toMatch(/^seeds 1-6, 3 s virtual each, \d+ steps checked, \d+ targeted crashes; never checked: DuplicateMessage, DropMessage$/);
    expect(detail("readBeforeTermCommit")).toMatch(/^caught by 1: targeted leader-change-with-reads schedule, seed \d+: Key "k\d+" \(\d+ operations\) is not linearizable/);
    // RaftExt's LogTermsMonotonic, checked on the live node by the histories check.
    expect(detail("keepConfigOnTruncate")).toMatch(/^caught by 1: targeted membership-churn schedule, seed \d+: invariant broken on n\d at [\d.]+ ms \(after message AppendEntriesRequest\): ServerConfig/);
    expect(detail("installSnapshotOverConflict")).toMatch(/^caught by 1: targeted snapshot-over-conflict schedule, seed \d+: invariant broken on n\d at [\d.]+ ms \(after message InstallSnapshotRequest\): LogTermsMonotonic/);
    expect(detail("truncateWithoutPersist")).toMatch(/^caught by 2: trace validation.*HandleAppendEntriesRequest.*storage does not hold what memory does.*\| targeted truncate-then-restart schedule, seed \d+: durable state broken on n\d at [\d.]+ ms \(after message AppendEntriesRequest\): storage does not hold what memory does/);
  });
});

import { describe, expect, it } from "vitest";
import { validateWith, type ProtocolKit } from "@synod/conformance";
import { FULL, testSeed } from "@synod/testkit";
import { guidedWalks, kit, loadRaftProdSpec, productionValidation, type RaftProdSpec } from "../../src/kit/index.js";
import type { RaftTypes } from "../../src/kit/types.js";

/** The kit as the production-mode validation runs it (the mode's spec and validate part). */
function productionKit(spec: RaftProdSpec): ProtocolKit<RaftTypes> {
  return { ...kit, spec: { ...kit.spec, load: async () => spec as never }, validate: productionValidation.validate as never };
}

describe("production-mode trace validation against RaftProd.tla", () => {
  it("every step of production nodes under faults is a sequence of RaftProd.tla actions", async () => {
    const spec = await productionValidation.load("ci");
    const seed = testSeed("production validation", 1);
    const seen: Record<string, number> = {};
    let crashes = 0;
    for (let s = seed; s < seed + (FULL ? 20 : 4); s++) {
      const r = validateWith(productionKit(spec), spec as never, { seed: s });
      if (r.failure) throw new Error(`seed ${s} (SYNOD_SEED=${seed}): ${JSON.stringify(r.failure, null, 2)}`);
      crashes += r.targetedCrashes;
      for (const [a, n] of Object.entries(r.actions)) seen[a] = (seen[a] ?? 0) + n;
    }
    // What Raft.tla's reduced step mode never shows: heartbeats, pre-votes, the no-op leader,
    // snapshots sent and installed, check-quorum, batches sent from any point of the log.
    for (const a of ["PreVoteTimeout", "PreVote", "HandlePreVoteResponse", "Timeout", "BecomeLeader", "ClientRequest", "AppendEntries", "HandleAppendEntriesResponse", "AdvanceCommitIndex", "Heartbeat", "HandleHeartbeatRequest", "TakeSnapshot", "InstallSnapshot", "HandleInstallSnapshotRequest", "Restart"]) {
      expect(seen[a] ?? 0, a).toBeGreaterThan(0);
    }
    // The targeted crash (right after a truncation or compaction) struck.
    expect(crashes).toBeGreaterThan(0);
  });

  it("catches what the reduced step mode cannot: heartbeats and pre-votes, snapshots, batched commits", async () => {
    const spec = await productionValidation.load("ci");
    const first = (name: string): string => {
      const variant = kit.brokenVariants.find((v) => v.name === name)!.variant;
      for (let s = 1; s <= 10; s++) {
        const f = validateWith(productionKit(spec), spec as never, { seed: s, variant }).failure;
        if (f !== null) return `${f.event} -> ${f.actions}: ${f.problem}`;
      }
      return "not caught in 10 seeds";
    };
    // A heartbeat telling a follower to commit beyond what it is known to hold.
    expect(first("heartbeatCommitBeyondMatch")).toMatch(/^timer heartbeat -> Heartbeat\(i=s\d, j=s\d\).*no Heartbeat\(i=s\d, j=s\d\) successor of the spec matches the implementation: messages: /);
    // A pre-vote granted to a candidate whose log is behind.
    expect(first("voteWithoutUpToDateCheck")).toMatch(/HandlePreVoteRequest\(i=s\d, j=s\d\): no HandlePreVoteRequest\(i=s\d, j=s\d\) successor of the spec matches the implementation/);
    // A commit of an earlier term's entry, in the step of the response that made it a majority's.
    expect(first("commitPriorTermByCounting")).toMatch(/HandleAppendEntriesResponse\(i=s\d, j=s\d\), AdvanceCommitIndex\(i=s\d\).*the spec does not enable AdvanceCommitIndex\(i=s\d\) here/);
    // A snapshot installed over a conflicting suffix, which the node keeps.
    expect(first("installSnapshotOverConflict")).toMatch(/receives InstallSnapshotRequest .*HandleInstallSnapshotRequest\(i=s\d, j=s\d\).*matches the implementation: log: /);
    // Storage against memory, at the production step that votes.
    expect(first("ackBeforePersist")).toMatch(/storage does not hold what memory does: a restart from storage would give currentTerm \d+ \(memory: \d+\)/);
  });

  it("an entry the spec has no counterpart for is an error naming the node and the index", async () => {
    const spec = await productionValidation.load("ci");
    const { RaftProdAbstraction } = await import("../../src/kit/index.js");
    const abs = new RaftProdAbstraction(spec);
    const n = productionValidation.validate.node({ id: "s1", peers: ["s2", "s3"], rng: { nextInt: (a: number) => a, nextFloat: () => 0 } as never, variant: undefined, seed: 1 });
    expect(() => abs.message("s1", "s2", { type: "TimeoutNow", term: 1 } as never)).toThrow(/s1->s2: TimeoutNow \(leadership transfer\) has no counterpart in RaftProd\.tla/);
    expect(() => abs.message("s1", "s2", { type: "AppendEntriesRequest", term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [{ term: 1, command: { type: "kv", clientId: "c", seq: 1, command: { op: "get", key: "x" } } }], commitIndex: 0 } as never)).toThrow(
      /s1->s2 AppendEntriesRequest entries\[1\]: log entry .* has no counterpart in RaftProd\.tla \(only client puts and no-ops\)/,
    );
    expect(abs.node(n)).toMatchObject({ currentTerm: 0, state: "Follower", log: [], snapshot: [], commitIndex: 0 });
  });
});

describe("spec-guided walks: RaftProd.tla picks each event, the production node takes it", () => {
  it("every production step of the walks is a path of the spec", async () => {
    const spec = await loadRaftProdSpec();
    const seed = testSeed("guided walks", 1);
    const r = guidedWalks(spec, { seed, walks: FULL ? 100 : 8, depth: 60 });
    expect(r.failure, `SYNOD_SEED=${seed}`).toBeNull();
    expect(r.distinct).toBeGreaterThan(300);
    for (const a of ["PreVoteTimeout", "HandlePreVoteResponse", "Timeout", "BecomeLeader", "ClientRequest", "AppendEntries", "HandleAppendEntriesRequest", "AdvanceCommitIndex", "Heartbeat", "HandleHeartbeatRequest", "Restart", "DropMessage", "DuplicateMessage"]) {
      expect(r.actions[a] ?? 0, a).toBeGreaterThan(0);
    }
  });

  it("catches a heartbeat commit beyond the follower's match, and a vote without the log check", async () => {
    const spec = await loadRaftProdSpec();
    const run = (name: string): string | null => guidedWalks(spec, { seed: 1, walks: 10, depth: 60, unsafe: kit.brokenVariants.find((v) => v.name === name)!.variant.unsafe }).failure;
    expect(run("heartbeatCommitBeyondMatch")).toMatch(/^walk \d+ \(seed 1\), event \d+: s\d heartbeat timer -> Heartbeat\(s\d, s\d\).*no Heartbeat\(i=s\d, j=s\d\) successor of the spec matches the implementation: messages: /);
    expect(run("voteWithoutUpToDateCheck")).toMatch(/receives (Pre)?(Vote|RequestVote)Request from s\d -> Handle\w+Request\(s\d, s\d\): no Handle\w+Request\(i=s\d, j=s\d\) successor of the spec matches the implementation/);
  });
});

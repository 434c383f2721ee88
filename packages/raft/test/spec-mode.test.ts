/**
 * `stepMode: "spec"`: the node moves at the granularity of raft.tla's actions, so a conformance
 * adapter can replay a spec trace one action at a time.
 */
import { describe, expect, test } from "vitest";
import { resolveRaftOptions } from "../src/node.js";
import { Cluster } from "./harness/cluster.js";

const spec = { stepMode: "spec" as const };

function sends(c: Cluster): string[] {
  return c
    .takeOutputs()
    .filter((o) => o.kind === "send")
    .map((o) => (o.kind === "send" ? `${o.msg.from}->${o.msg.to} ${o.msg.message.type}` : ""));
}

describe("spec step mode", () => {
  test("Timeout, RequestVote, BecomeLeader, ClientRequest, AppendEntries, AdvanceCommitIndex are separate steps", () => {
    const c = new Cluster({ ids: ["s1", "s2", "s3"], seed: 1, options: spec });
    c.takeOutputs();
    c.fire("s1", "election"); // Timeout(s1)
    expect(sends(c)).toEqual([]);
    expect(c.node("s1").inspect()).toMatchObject({ role: "candidate", term: 1, votedFor: "s1", votesGranted: ["s1"] });

    expect(c.node("s1").takeAction("RequestVote", { j: "s1" })).toBe(false);
    expect(c.node("s1").takeAction("RequestVote", { j: "s2" })).toBe(true); // RequestVote(s1, s2)
    c.process("s1");
    expect(sends(c)).toEqual(["s1->s2 RequestVoteRequest"]);
    c.deliverAll(); // HandleRequestVoteRequest(s2, s1), HandleRequestVoteResponse(s1, s2)
    c.takeOutputs();
    expect(c.node("s1").inspect()).toMatchObject({ role: "candidate", votesGranted: ["s1", "s2"] });
    expect(c.node("s1").takeAction("RequestVote", { j: "s2" })).toBe(false); // s2 already granted

    expect(c.node("s2").takeAction("BecomeLeader", {})).toBe(false);
    expect(c.node("s1").takeAction("BecomeLeader", {})).toBe(true); // BecomeLeader(s1)
    c.process("s1");
    expect(sends(c)).toEqual([]);
    expect(c.node("s1").inspect()).toMatchObject({ role: "leader", nextIndex: { s2: 1, s3: 1 }, matchIndex: { s2: 0, s3: 0 } });

    c.request("s1", "v", 1, { op: "put", key: "x", value: "v1" }); // ClientRequest(s1, v1)
    expect(sends(c)).toEqual([]);
    expect(c.node("s1").inspect().log).toHaveLength(1);
    expect(c.node("s1").takeAction("AdvanceCommitIndex", {})).toBe(false); // no quorum yet

    expect(c.node("s1").takeAction("AppendEntries", { j: "s2" })).toBe(true); // AppendEntries(s1, s2)
    c.process("s1");
    expect(sends(c)).toEqual(["s1->s2 AppendEntriesRequest"]);
    c.deliverAll();
    c.takeOutputs();
    expect(c.node("s1").inspect()).toMatchObject({ commitIndex: 0, matchIndex: { s2: 1 }, nextIndex: { s2: 2 } });
    expect(c.node("s1").takeAction("AdvanceCommitIndex", {})).toBe(true); // AdvanceCommitIndex(s1)
    c.process("s1");
    const outs = c.takeOutputs();
    expect(outs.filter((o) => o.kind === "send")).toEqual([]);
    expect(outs.filter((o) => o.kind === "reply")).toHaveLength(1);
    expect(c.node("s1").inspect().commitIndex).toBe(1);
  });

  // Regression (found by conformance's spec->impl replay): a refusal answering a duplicated, stale
  // RequestVoteRequest withdrew a vote already counted, where Raft.tla's votesGranted only grows.
  test("a later refusal from the same voter in the same term does not withdraw a granted vote", () => {
    const c = new Cluster({ ids: ["s1", "s2", "s3"], seed: 1, options: spec });
    c.fire("s1", "election");
    c.node("s1").takeAction("RequestVote", { j: "s2" });
    c.process("s1");
    c.deliverAll();
    c.takeOutputs();
    expect(c.node("s1").inspect()).toMatchObject({ role: "candidate", term: 1, votesGranted: ["s1", "s2"] });
    c.node("s1").step({ type: "message", nowMs: 0, from: "s2", message: { type: "RequestVoteResponse", term: 1, granted: false } });
    expect(c.node("s1").inspect()).toMatchObject({ role: "candidate", term: 1, votesGranted: ["s1", "s2"] });
    expect(c.node("s1").takeAction("BecomeLeader", {})).toBe(true);
  });

  test("a rejected AppendEntries decrements nextIndex by one", () => {
    const c = new Cluster({ ids: ["s1", "s2", "s3"], seed: 1, options: spec });
    c.fire("s1", "election");
    c.node("s1").takeAction("RequestVote", { j: "s2" });
    c.process("s1");
    c.deliverAll();
    c.node("s1").takeAction("BecomeLeader", {});
    for (let k = 1; k <= 3; k++) {
      c.request("s1", "v", k, { op: "put", key: "x", value: `v${k}` });
      c.node("s1").takeAction("AppendEntries", { j: "s2" });
      c.process("s1");
      c.deliverAll();
    }
    // s2 (3 entries) leads term 2 with s3's vote; its nextIndex for s3 starts at 4.
    c.fire("s2", "election");
    c.node("s2").takeAction("RequestVote", { j: "s3" });
    c.process("s2");
    c.deliverAll();
    expect(c.node("s2").takeAction("BecomeLeader", {})).toBe(true);
    expect(c.node("s2").inspect().nextIndex.s3).toBe(4);
    c.node("s2").takeAction("AppendEntries", { j: "s3" }); // prev=3 is beyond s3's empty log
    c.process("s2");
    c.deliverAll();
    expect(c.node("s2").inspect().nextIndex.s3).toBe(3);
    c.node("s2").takeAction("AppendEntries", { j: "s3" });
    c.process("s2");
    c.deliverAll();
    expect(c.node("s2").inspect().nextIndex.s3).toBe(2);
  });

  test("options that contradict the mode are refused", () => {
    expect(resolveRaftOptions(spec)).toMatchObject({ preVote: false, checkQuorum: false, noopOnLeader: false, readMode: "log" });
    expect(() => resolveRaftOptions({ ...spec, preVote: true })).toThrow(/'preVote' must be false/);
    expect(() => resolveRaftOptions({ ...spec, snapshotEveryEntries: 5 })).toThrow(/snapshotEveryEntries/);
  });
});

describe("action labels", () => {
  const fmt = (ls: { action: string; params: Record<string, string | number> }[]): string[] =>
    ls.map((l) => `${l.action}(${Object.values(l.params).join(",")})`);

  test("an auto-mode step reports the spec actions it takes, in order", () => {
    const c = new Cluster({ ids: ["n1", "n2", "n3"], seed: 1, options: { preVote: false, checkQuorum: false, noopOnLeader: false } });
    const n1 = c.node("n1");
    n1.recordActions(true);
    c.fire("n1", "election");
    expect(fmt(n1.takeActions())).toEqual(["Timeout(n1)", "RequestVote(n1,n2)", "RequestVote(n1,n3)"]);
    c.deliver((c.inflight[0] as { id: number }).id); // n2 votes
    c.deliverAll();
    expect(fmt(n1.takeActions())).toEqual([
      "HandleRequestVoteResponse(n1,n2)",
      "BecomeLeader(n1)",
      // Production mode names the point of the log each append starts after (RaftProd.tla's prev).
      "AppendEntries(n1,n2,0)",
      "AppendEntries(n1,n3,0)",
      "HandleRequestVoteResponse(n1,n3)",
      "HandleAppendEntriesResponse(n1,n2)",
      "HandleAppendEntriesResponse(n1,n3)",
    ]);
    c.request("n1", "c", 1, { op: "put", key: "k", value: "v" });
    c.deliverAll();
    expect(fmt(n1.takeActions())).toEqual([
      "ClientRequest(n1,v)",
      "AppendEntries(n1,n2,0)",
      "AppendEntries(n1,n3,0)",
      "HandleAppendEntriesResponse(n1,n2)",
      "AdvanceCommitIndex(n1)",
      "HandleAppendEntriesResponse(n1,n3)",
    ]);
    c.crash("n1");
    c.restart("n1");
    expect(fmt(n1.takeActions())).toEqual(["Restart(n1)"]);
    n1.recordActions(false);
    c.fire("n1", "election");
    expect(n1.takeActions()).toEqual([]);
  });
});

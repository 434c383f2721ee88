/** Unit tests of the small modules: quorum arithmetic, the log, the KV store, validation, options. */
import { describe, expect, test } from "vitest";
import { RaftLog } from "../src/log.js";
import { checkRaftMessage } from "../src/messages.js";
import { createKvNode, RaftConfigError, resolveRaftOptions } from "../src/node.js";
import { quorumIndex, quorumSize, voteResult } from "../src/quorum.js";
import { planChange } from "../src/membership.js";
import { SeededRng } from "@synod/protocol";

describe("quorum", () => {
  test("majorities", () => {
    expect([1, 2, 3, 4, 5].map(quorumSize)).toEqual([1, 2, 2, 3, 3]);
  });
  test("quorum index is the highest index a majority stores", () => {
    const m: Record<string, number> = { a: 5, b: 3, c: 9, d: 1, e: 3 };
    expect(quorumIndex(["a", "b", "c", "d", "e"], (id) => m[id] ?? 0)).toBe(3);
    expect(quorumIndex(["a", "c"], (id) => m[id] ?? 0)).toBe(5);
    expect(quorumIndex([], () => 7)).toBe(0);
  });
  test("vote results count voters only", () => {
    const v = ["a", "b", "c"];
    expect(voteResult(v, new Map([["a", true], ["b", true]]))).toBe("won");
    expect(voteResult(v, new Map([["a", true], ["b", false]]))).toBe("pending");
    expect(voteResult(v, new Map([["a", true], ["b", false], ["c", false]]))).toBe("lost");
    expect(voteResult(v, new Map([["a", true], ["x", true], ["y", true]]))).toBe("pending");
  });
});

describe("log", () => {
  const e = (term: number) => ({ term, command: { type: "noop" as const } });
  test("terms, slices, truncation and compaction", () => {
    const log = new RaftLog();
    [1, 1, 2, 2, 2, 3].forEach((t) => log.append(e(t)));
    expect(log.lastIndex).toBe(6);
    expect(log.lastTerm).toBe(3);
    expect(log.termAt(0)).toBe(0);
    expect(log.termAt(7)).toBeUndefined();
    expect(log.firstIndexOfTermAt(5)).toBe(3);
    expect(log.lastIndexOfTerm(2)).toBe(5);
    expect(log.lastIndexOfTerm(4)).toBeNull();
    expect(log.slice(2, 4).map((x) => x.term)).toEqual([1, 2, 2]);
    log.truncateFrom(5);
    expect(log.lastIndex).toBe(4);
    log.compactTo(3, 2);
    expect([log.snapshotIndex, log.firstIndex, log.lastIndex]).toEqual([3, 4, 4]);
    expect(log.termAt(2)).toBeUndefined();
    expect(log.termAt(3)).toBe(2);
    expect(() => log.truncateFrom(3)).toThrow(/snapshot covers 3/);
    log.compactTo(9, 5); // beyond the log: everything goes
    expect([log.snapshotIndex, log.lastIndex, log.lastTerm]).toEqual([9, 9, 5]);
  });
  test("up-to-date rule", () => {
    const log = new RaftLog(0, 0, [e(1), e(2)]);
    expect(log.isUpToDate(2, 2)).toBe(true);
    expect(log.isUpToDate(1, 2)).toBe(false);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(9, 1)).toBe(false);
  });
  test("entries are frozen", () => {
    const log = new RaftLog();
    log.append(e(1));
    expect(Object.isFrozen(log.entry(1).command)).toBe(true);
  });
});

describe("wire validation", () => {
  test("well-formed messages pass", () => {
    expect(checkRaftMessage({ type: "TimeoutNow", term: 3 })).toBeNull();
    expect(
      checkRaftMessage({ type: "AppendEntriesRequest", term: 1, prevLogIndex: 0, prevLogTerm: 0, commitIndex: 0, entries: [{ term: 1, command: { type: "noop" } }] }),
    ).toBeNull();
  });
  test("malformed messages are named", () => {
    expect(checkRaftMessage(null)).toBe("not an object");
    expect(checkRaftMessage({ type: "Nope", term: 1 })).toMatch(/unknown message type/);
    expect(checkRaftMessage({ type: "TimeoutNow", term: -1 })).toMatch(/'term'/);
    expect(
      checkRaftMessage({ type: "AppendEntriesRequest", term: 1, prevLogIndex: 0, prevLogTerm: 0, commitIndex: 0, entries: [{ term: 0, command: { type: "noop" } }] }),
    ).toMatch(/entries\[0\]/);
    expect(checkRaftMessage({ type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 1, rejectIndex: 0, conflictIndex: 0, conflictTerm: "x" })).toMatch(/conflictTerm/);
  });
  test("a node ignores and counts malformed input instead of throwing", () => {
    const n = createKvNode({ id: "n1", peers: ["n2", "n3"], rng: SeededRng.derive(1, "units") });
    n.ready();
    n.step({ type: "message", nowMs: 0, from: "n2", message: { type: "Bogus" } as never });
    n.step({ type: "message", nowMs: 0, from: "n2", message: { type: "RequestVoteRequest", term: "x" } as never });
    expect(n.ignoredMessages).toBe(2);
    expect(n.hasReady()).toBe(false);
    n.step({ type: "request", nowMs: 0, request: { clientId: "c", seq: 1, command: { op: "put", key: "k" } as never } });
    expect(n.ready().replies).toEqual([{ clientId: "c", seq: 1, ok: false, error: "rejected", detail: "put needs a string 'value'" }]);
  });
});

describe("options and membership plans", () => {
  test("invalid options name the field", () => {
    expect(() => resolveRaftOptions({ heartbeatMs: 200 })).toThrow(RaftConfigError);
    expect(() => resolveRaftOptions({ heartbeatMs: 200 })).toThrow(/'heartbeatMs'/);
    expect(() => resolveRaftOptions({ electionTimeoutMsMax: 10 })).toThrow(/'electionTimeoutMsMax'/);
    expect(() => resolveRaftOptions({ readMode: "lease", checkQuorum: false })).toThrow(/checkQuorum/);
    expect(() => resolveRaftOptions({ maxInflight: 0 })).toThrow(/'maxInflight'/);
    expect(() => createKvNode({ id: "n1", peers: ["n1"], rng: SeededRng.derive(1, "units") })).toThrow(/'peers'/);
    expect(() => createKvNode({ id: "n1", peers: ["n2", "n2"], rng: SeededRng.derive(1, "units") })).toThrow(/must not repeat/);
    expect(() => createKvNode({ id: "n1", peers: "n2" as never, rng: SeededRng.derive(1, "units") })).toThrow(/'peers' must be an array/);
    expect(() => createKvNode({ id: "", peers: [], rng: SeededRng.derive(1, "units") })).toThrow(/'id'/);
  });
  test("single-server change plans", () => {
    const c = { voters: ["a", "b", "c"], learners: ["d"] };
    expect(planChange(c, { op: "add-server", node: "d" })).toEqual({ kind: "change", config: { voters: ["a", "b", "c", "d"], learners: [] }, thenPromote: false });
    expect(planChange(c, { op: "add-server", node: "e" })).toEqual({ kind: "change", config: { voters: ["a", "b", "c"], learners: ["d", "e"] }, thenPromote: true });
    expect(planChange(c, { op: "add-server", node: "a" })).toEqual({ kind: "done" });
    expect(planChange(c, { op: "add-learner", node: "a" }).kind).toBe("rejected");
    expect(planChange({ voters: ["a"], learners: [] }, { op: "remove-server", node: "a" }).kind).toBe("rejected");
  });
  test("the first ready persists the bootstrap state and arms the election timer", () => {
    const n = createKvNode({ id: "n1", peers: ["n2"], rng: SeededRng.derive(3, "units"), options: { electionTimeoutMsMin: 100, electionTimeoutMsMax: 120, heartbeatMs: 10 } });
    const rd = n.ready();
    expect(rd.persist.map((w) => w.key)).toEqual(["raft/node", "raft/membership", "raft/hardstate"]);
    expect(rd.timers).toHaveLength(1);
    expect(rd.timers[0]?.name).toBe("election");
    expect(rd.timers[0]?.afterMs).toBeGreaterThanOrEqual(100);
    expect(rd.timers[0]?.afterMs).toBeLessThanOrEqual(120);
  });
  test("a restart event supersedes whatever the constructor queued", () => {
    const durable = new Map<string, import("@synod/protocol").Json>();
    const a = createKvNode({ id: "n1", peers: [], rng: SeededRng.derive(1, "units") });
    for (const w of a.ready().persist) if (!("delete" in w)) durable.set(w.key, w.value);
    a.step({ type: "timer", nowMs: 5, name: "election" });
    for (const w of a.ready().persist) if (!("delete" in w)) durable.set(w.key, w.value);
    expect(a.inspect().role).toBe("leader");
    const b = createKvNode({ id: "n1", peers: [], rng: SeededRng.derive(2, "units") });
    b.step({ type: "restart", nowMs: 10, durable });
    const rd = b.ready();
    expect(rd.persist).toEqual([]);
    expect(b.inspect()).toMatchObject({ term: 1, votedFor: "n1", role: "follower", commitIndex: 0 });
    expect(b.inspect().log).toHaveLength(1);
  });
});

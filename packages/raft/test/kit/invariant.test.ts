import { describe, expect, it } from "vitest";
import { emptyReady, SeededRng, type Ready } from "@synod/protocol";
import { createKvNode } from "../../src/node.js";
import { raftNodeInvariant } from "../../src/kit/invariant.js";
import type { RaftInspect } from "../../src/types.js";

/** A node whose inspect() gives a fresh node's state changed by `s`, and whose latest snapshot is `latest`. */
function fake(s: Partial<RaftInspect>, latest = 0): Parameters<typeof raftNodeInvariant>[0] {
  const base = createKvNode({ id: "n1", peers: ["n2", "n3"], rng: SeededRng.derive(1, "invariant") }).inspect();
  return { inspect: () => ({ ...base, ...s }), snapshotInfo: { latestIndex: latest, installed: 0 } };
}

const wrote = { event: "message", ready: { ...emptyReady(), persist: [{ key: "k", value: 1 }] } as Ready<unknown, unknown, unknown> };
const entry = (term: number) => ({ term, command: { type: "noop" as const } });

describe("RaftExt's per-node invariants on a live node", () => {
  it("holds for a fresh node and for non-decreasing terms", () => {
    expect(raftNodeInvariant(fake({}), wrote)).toBeNull();
    expect(raftNodeInvariant(fake({ term: 3, snapshotIndex: 4, snapshotTerm: 1, log: [entry(1), entry(3)], commitIndex: 5 }, 4), wrote)).toBeNull();
  });

  it("names an entry whose term is below the snapshot's last term (a conflicting suffix kept)", () => {
    const why = raftNodeInvariant(fake({ term: 2, snapshotIndex: 58, snapshotTerm: 2, log: [entry(1)], commitIndex: 58 }, 58), wrote);
    expect(why).toBe("LogTermsMonotonic: the entry at index 59 has term 1, below the term 2 at index 58 (the snapshot's last entry)");
  });

  it("names decreasing terms inside the log, a term above the current one, and a commit index outside the log", () => {
    expect(raftNodeInvariant(fake({ term: 3, log: [entry(2), entry(1)], commitIndex: 0 }), wrote)).toMatch(/index 2 has term 1, below the term 2 at index 1$/);
    expect(raftNodeInvariant(fake({ term: 1, log: [entry(2)], commitIndex: 0 }), wrote)).toBe("LogTermsMonotonic: the last entry's term 2 exceeds the current term 1");
    expect(raftNodeInvariant(fake({ term: 1, log: [entry(1)], commitIndex: 2 }), wrote)).toMatch(/^SnapshotCommitted: commit index 2 outside \[0, 1\]/);
    expect(raftNodeInvariant(fake({ term: 1, snapshotIndex: 2, snapshotTerm: 1, log: [entry(1)], commitIndex: 2 }, 3), wrote)).toMatch(/^SnapshotCommitted: commit index 2 outside \[3, 3\]/);
  });

  it("names a configuration other than the last one in the log (RaftExt's ServerConfig)", () => {
    const config = (voters: string[], learners: string[] = []) => ({ term: 1, command: { type: "config" as const, config: { voters, learners }, clientId: null, seq: null } });
    const log = [entry(1), config(["n1", "n2", "n3"]), entry(1), config(["n1", "n3"], ["n2"]), entry(1)];
    expect(raftNodeInvariant(fake({ term: 1, log, commitIndex: 0, config: { voters: ["n1", "n3"], learners: ["n2"] } }), wrote)).toBeNull();
    expect(raftNodeInvariant(fake({ term: 1, log: log.slice(0, 3), commitIndex: 0, config: { voters: ["n1", "n3"], learners: ["n2"] } }), wrote)).toBe(
      "ServerConfig: the node uses voters [n1, n3] learners [n2], but its log's last configuration (index 2) has voters [n1, n2, n3] learners []",
    );
    // No configuration entry in the log: the snapshot's or the bootstrap one, which inspect() does not show.
    expect(raftNodeInvariant(fake({ term: 1, log: [entry(1)], commitIndex: 0, config: { voters: ["n1"], learners: [] } }), wrote)).toBeNull();
  });

  it("names a leader that still leads once the configuration leaving it out is committed, on any step", () => {
    const removal = { term: 2, command: { type: "config" as const, config: { voters: ["n2", "n3"], learners: [] }, clientId: null, seq: null } };
    const leading = { role: "leader" as const, term: 2, log: [entry(1), removal], config: { voters: ["n2", "n3"], learners: [] } };
    // Not yet committed: it keeps leading until it is.
    expect(raftNodeInvariant(fake({ ...leading, commitIndex: 1 }), { event: "timer", ready: null })).toBeNull();
    expect(raftNodeInvariant(fake({ ...leading, commitIndex: 2 }), { event: "timer", ready: null })).toBe(
      "LeaderInConfig: n1 leads in term 2 although the configuration that leaves it out (index 2) is committed (commit index 2)",
    );
  });

  it("names a leader that replicates to a node outside its configuration (RaftExt: j \\in ServerConfig(i))", () => {
    const leading = fake({ role: "leader", term: 2, log: [entry(1)], commitIndex: 1, config: { voters: ["n1", "n3"], learners: [] } });
    const sent = (to: string, type: string) => ({ event: "timer", ready: { ...emptyReady(), send: [{ to, message: { type, term: 2, commitIndex: 1, round: 0 } }] } as Ready<unknown, unknown, unknown> });
    expect(raftNodeInvariant(leading, sent("n3", "HeartbeatRequest"))).toBeNull();
    // A reply to a removed node's message is no replication.
    expect(raftNodeInvariant(leading, sent("n2", "RequestVoteResponse"))).toBeNull();
    expect(raftNodeInvariant(leading, sent("n2", "HeartbeatRequest"))).toBe("ReplicateToMembers: n1 sent HeartbeatRequest to n2, which is not in its configuration (voters [n1, n3] learners [])");
  });

  it("skips steps that wrote nothing to storage", () => {
    expect(raftNodeInvariant(fake({ term: 1, log: [entry(2)] }), { event: "timer", ready: null })).toBeNull();
    expect(raftNodeInvariant(fake({ term: 1, log: [entry(2)] }), { event: "message", ready: emptyReady() })).toBeNull();
  });

  it("always checks a restart: the state recovered from storage", () => {
    expect(raftNodeInvariant(fake({ term: 1, log: [entry(2)] }), { event: "restart", ready: emptyReady() })).toMatch(/^LogTermsMonotonic/);
  });
});

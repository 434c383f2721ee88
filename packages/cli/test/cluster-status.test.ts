import { describe, expect, it } from "vitest";
import type { NodeStatus } from "@synod/conformance";
import { judgeCluster, type NodeRow } from "../src/ops/cluster-status.js";
import { createNodeLog } from "../src/ops/node-log.js";
import { statusEvents } from "../src/ops/status-events.js";

const base: NodeStatus = { role: "follower", leader: false, epoch: 3, leaderId: "a", commitIndex: 5, appliedIndex: 5, members: ["a", "b", "c"] };
const row = (node: string, s: Partial<NodeStatus>): NodeRow => ({ address: `${node}:1`, outcome: { ok: true, answer: { nodeId: node, protocol: "p", status: { ...base, ...s } } } });
const healthy = [row("a", { role: "leader", leader: true }), row("b", {}), row("c", {})];

describe("judgeCluster", () => {
  it("a healthy cluster: one leader all follow, one membership", () => {
    expect(judgeCluster(healthy)).toEqual({ leader: "a", problems: [] });
  });
  it("names each problem", () => {
    expect(judgeCluster([row("a", { leaderId: null }), row("b", { leaderId: null })]).problems).toEqual(["no leader: no node believes it leads"]);
    expect(judgeCluster([...healthy.slice(0, 2), { address: "c:1", outcome: { ok: false, problem: "c:1: ECONNREFUSED" } }]).problems).toEqual(["unreachable: c:1: ECONNREFUSED"]);
    expect(judgeCluster([healthy[0]!, row("b", { role: "leader", leader: true, leaderId: "b" }), healthy[2]!]).problems[0]).toBe("two leaders in epoch 3: a, b");
    const deposed = judgeCluster([healthy[0]!, row("b", { role: "leader", leader: true, leaderId: "b", epoch: 4 }), row("c", { leaderId: "b", epoch: 4 })]);
    expect(deposed.leader).toBe("b");
    expect(deposed.problems).toEqual(["a still believes it leads epoch 3 (latest 4)", "a follows a, not b"]);
    expect(judgeCluster([healthy[0]!, healthy[1]!, row("c", { leaderId: "b" })]).problems).toEqual(["c follows b, not a"]);
    expect(judgeCluster([healthy[0]!, healthy[1]!, row("c", { members: ["a", "c"] })]).problems).toEqual(["c has members a,c, the leader a,b,c"]);
    expect(judgeCluster([]).problems).toEqual(["no node answered"]);
  });
});

describe("statusEvents", () => {
  it("reports epoch, role, leader, membership and snapshot changes, nothing when equal", () => {
    expect(statusEvents(base, base)).toEqual([]);
    expect(statusEvents(base, { ...base, role: "candidate", epoch: 4, leaderId: null }).map((e) => e.event)).toEqual(["epoch-changed", "role-changed", "leader-changed"]);
    expect(statusEvents(base, { ...base, members: ["a", "b", "c", "d"] })).toEqual([{ event: "membership-changed", fields: { members: ["a", "b", "c", "d"], learners: [], added: ["d"], removed: [] } }]);
    expect(statusEvents({ ...base, snapshotIndex: 0, snapshotsInstalled: 0 }, { ...base, snapshotIndex: 10, snapshotsInstalled: 0 })).toEqual([{ event: "snapshot-taken", fields: { index: 10 } }]);
    expect(statusEvents({ ...base, snapshotIndex: 0, snapshotsInstalled: 0 }, { ...base, appliedIndex: 40, snapshotIndex: 40, snapshotsInstalled: 1 })).toEqual([{ event: "snapshot-installed", fields: { index: 40, from: 5 } }]);
  });
});

describe("createNodeLog", () => {
  it("writes text or one JSON object per line, and --quiet keeps only trouble", () => {
    const lines: string[] = [];
    const json = createNodeLog({ node: "n1", format: "json", write: (l) => lines.push(l), nowMs: () => 0 });
    json.event("leader-changed", { leader: "n2", epoch: 7 });
    json.line("transport: n2 at x: ECONNREFUSED; retrying");
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: "1970-01-01T00:00:00.000Z", node: "n1", level: "info", event: "leader-changed", fields: { leader: "n2", epoch: 7 } },
      { time: "1970-01-01T00:00:00.000Z", node: "n1", level: "info", event: "message", fields: { message: "transport: n2 at x: ECONNREFUSED; retrying" } },
    ]);
    lines.length = 0;
    const text = createNodeLog({ node: "n1", format: "text", quiet: true, write: (l) => lines.push(l), nowMs: () => 0 });
    text.event("membership-changed", { members: ["a", "b"], note: "two words" });
    text.event("membership-changed", { members: ["a", "b"], note: "two words" }, "warn");
    text.line("refusing to start: corrupt");
    expect(lines).toEqual(['1970-01-01T00:00:00.000Z n1 membership-changed members=a,b note="two words"', "1970-01-01T00:00:00.000Z n1 refusing to start: corrupt"]);
  });
});

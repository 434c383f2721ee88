/**
 * Raft hosting another replicated state machine than the key-value store: `@synod/kv`'s
 * coordination tree through the `service` option. Commands are validated by the hosted service,
 * applied on every replica, read through ReadIndex when read-only, and kept across snapshots and
 * restarts; the default stays the key-value store.
 */
import { coordService, type CoordCommand, type CoordResult, type CoordTree } from "@synod/kv";
import type { ClientReply } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { createKvNode, createRaftNode, RaftConfigError, type RaftCommand, type RaftKvNode, type RaftMessage } from "../src/index.js";

type CoordNode = RaftKvNode<CoordCommand, CoordResult, CoordTree>;
const IDS = ["n1", "n2", "n3"];

function cluster(snapshotEveryEntries: number | null = null): TestCluster<RaftMessage, RaftCommand<CoordCommand>, CoordResult, CoordNode> {
  return new TestCluster<RaftMessage, RaftCommand<CoordCommand>, CoordResult, CoordNode>({
    ids: IDS,
    seed: 5,
    latencyMs: [1, 2],
    create: (id, peers, rng) => createRaftNode({ id, peers, rng, service: coordService, options: { snapshotEveryEntries, snapshotRetainEntries: 0 } }),
  });
}

function until(c: ReturnType<typeof cluster>, done: () => boolean, what: string): void {
  for (let k = 0; k < 20_000 && !done(); k++) c.runNextEvent();
  if (!done()) throw new Error(`never: ${what}`);
}

const leaderOf = (c: ReturnType<typeof cluster>): string | undefined => c.live().find((id) => c.node(id).role === "leader");
const replies = (c: ReturnType<typeof cluster>): ClientReply<CoordResult>[] => c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply as ClientReply<CoordResult>] : []));

describe("Raft hosting the coordination tree", () => {
  it("replicates the tree's commands to every replica, reads children through ReadIndex, and validates with the tree's rules", () => {
    const c = cluster();
    until(c, () => leaderOf(c) !== undefined, "a leader");
    const l = leaderOf(c) as string;
    c.takeOutputs();
    c.request(l, "app", 1, { op: "open", session: "s1", atMs: 5, ttlMs: 100 });
    c.request(l, "app", 2, { op: "create", key: "/lock/", value: "a", session: "s1", sequential: true });
    const got: ClientReply<CoordResult>[] = [];
    until(c, () => (got.push(...replies(c)), got.length === 2), "the create's answer");
    // Invoked after the create completed, the read must see it.
    c.request(l, "app", 3, { op: "children", prefix: "/lock/" });
    until(c, () => (got.push(...replies(c)), got.length === 3), "the read's answer");
    expect(got.find((r) => r.seq === 2)).toMatchObject({ ok: true, result: { op: "create", ok: true, key: "/lock/0000000001", seq: 1 } });
    expect(got.find((r) => r.seq === 3)).toMatchObject({ ok: true, result: { op: "children", keys: ["/lock/0000000001"] } });
    until(c, () => IDS.every((id) => c.node(id).machine.lastSeq === 1), "every replica applies the create");
    expect(IDS.map((id) => c.node(id).machine.sessionIds())).toEqual([["s1"], ["s1"], ["s1"]]);
    // A key-value command is not a command of this service.
    c.request(l, "app", 4, { op: "put", key: "k", value: "v" } as unknown as CoordCommand);
    expect(replies(c)).toEqual([expect.objectContaining({ ok: false, error: "rejected", detail: expect.stringMatching(/unknown coord op "put"/) })]);
    expect(() => c.node(l).kvEntries()).toThrow(/hosts the coord service/);
  });

  it("keeps the tree across snapshots and a restart (the snapshot is the tree's own encoding)", () => {
    const c = cluster(2);
    until(c, () => leaderOf(c) !== undefined, "a leader");
    const l = leaderOf(c) as string;
    for (let k = 1; k <= 4; k++) c.request(l, "app", k, { op: "create", key: "/q-", value: String(k), sequential: true });
    until(c, () => IDS.every((id) => c.node(id).machine.lastSeq === 4 && c.node(id).snapshotInfo.latestIndex > 0), "snapshots of the tree");
    const f = IDS.find((id) => id !== l) as string;
    c.crash(f);
    c.restart(f);
    // Restored from its own snapshot before it hears from the leader: not an empty tree.
    expect(c.node(f).machine.lastSeq).toBeGreaterThan(0);
    until(c, () => c.node(f).machine.lastSeq === 4, "the restarted replica catches up");
    expect(c.node(f).machine.toJson()).toEqual(c.node(l).machine.toJson());
  });

  it("defaults to the key-value store, and names a bad service", () => {
    const rng = { nextInt: (a: number) => a, nextFloat: () => 0 };
    expect(createKvNode({ id: "n1", peers: ["n2"], rng }).kvEntries()).toEqual([]);
    expect(() => createRaftNode({ id: "n1", peers: ["n2"], rng, service: { name: "x" } as unknown as typeof coordService })).toThrow(RaftConfigError);
    expect(() => createRaftNode({ id: "n1", peers: ["n2"], rng, service: { name: "x" } as unknown as typeof coordService })).toThrow(/'service'/);
  });
});

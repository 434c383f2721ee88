/**
 * Multi-Paxos hosting another replicated state machine than the key-value store: `@synod/kv`'s
 * coordination tree through the `service` option. Commands are validated by the hosted service
 * and applied on every node in slot order, across a restart; the default stays the store.
 */
import { coordService, type CoordCommand, type CoordResult, type CoordTree } from "@synod/kv";
import type { ClientReply } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { createMultiPaxosNode, createMultiPaxosServiceNode, PaxosConfigError, type MultiPaxosKvNode, type PaxosMessage } from "../src/index.js";

type CoordNode = MultiPaxosKvNode<CoordCommand, CoordResult, CoordTree>;
const IDS = ["n1", "n2", "n3"];

function cluster(): TestCluster<PaxosMessage, CoordCommand, CoordResult, CoordNode> {
  return new TestCluster<PaxosMessage, CoordCommand, CoordResult, CoordNode>({
    ids: IDS,
    seed: 3,
    latencyMs: [1, 2],
    create: (id, peers, rng) => createMultiPaxosServiceNode({ id, peers, rng, service: coordService }),
  });
}
type Cluster = ReturnType<typeof cluster>;

function until(c: Cluster, done: () => boolean, what: string): void {
  for (let k = 0; k < 50_000 && !done(); k++) c.runNextEvent();
  if (!done()) throw new Error(`never: ${what}`);
}
const leaderOf = (c: Cluster): string | undefined => c.live().find((id) => c.node(id).inspect().role === "leader");
const replies = (c: Cluster): ClientReply<CoordResult>[] => c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply as ClientReply<CoordResult>] : []));

describe("Multi-Paxos hosting the coordination tree", () => {
  it("chooses the tree's commands in slot order on every node, keeps them across a restart, and validates with the tree's rules", () => {
    const c = cluster();
    until(c, () => leaderOf(c) !== undefined, "a leader");
    const l = leaderOf(c) as string;
    c.takeOutputs();
    c.request(l, "app", 1, { op: "open", session: "s1", atMs: 5, ttlMs: 100 });
    c.request(l, "app", 2, { op: "create", key: "/lock/", value: "a", session: "s1", sequential: true });
    const got: ClientReply<CoordResult>[] = [];
    until(c, () => (got.push(...replies(c)), got.length === 2), "two answers");
    expect(got.find((r) => r.seq === 2)).toMatchObject({ ok: true, result: { op: "create", ok: true, key: "/lock/0000000001", seq: 1 } });
    c.request(l, "app", 3, { op: "children", prefix: "/lock/" });
    until(c, () => (got.push(...replies(c)), got.length === 3), "the listing");
    expect(got.find((r) => r.seq === 3)).toMatchObject({ ok: true, result: { op: "children", keys: ["/lock/0000000001"] } });
    until(c, () => IDS.every((id) => c.node(id).machine.lastSeq === 1), "every node applies the create");
    const f = IDS.find((id) => id !== l) as string;
    c.crash(f);
    c.restart(f);
    // Rebuilt from the chosen values it stored.
    expect(c.node(f).machine.lastSeq).toBe(1);
    expect(c.node(f).machine.sessionIds()).toEqual(["s1"]);
    c.request(l, "app", 4, { op: "put", key: "k", value: "v" } as unknown as CoordCommand);
    expect(replies(c)).toEqual([expect.objectContaining({ ok: false, error: "rejected", detail: expect.stringMatching(/unknown coord op "put"/) })]);
    expect(() => c.node(l).kvEntries()).toThrow(/hosts the coord service/);
  });

  it("defaults to the key-value store, and names a bad service", () => {
    const rng = { nextInt: (a: number) => a, nextFloat: () => 0 };
    expect(createMultiPaxosNode({ id: "n1", peers: ["n2"], rng }).kvEntries()).toEqual([]);
    expect(() => createMultiPaxosServiceNode({ id: "n1", peers: ["n2"], rng, service: { name: "x" } as unknown as typeof coordService })).toThrow(PaxosConfigError);
  });
});

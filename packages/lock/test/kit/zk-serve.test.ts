/**
 * The recipe's served node (`synod serve zklock`): the layout comes from the protocol options and
 * must match `--peers` exactly, the Raft tuning flags only apply to a replicated tree, and every
 * start is a restart, so a lock client restarted from its own durable state opens its next session
 * under a new incarnation (a new process never reuses a session id the tree may still hold).
 */
import type { Json, Rng } from "@synod/protocol";
import { describe, expect, it } from "vitest";
import { LockConfigError, ZkLockClient, type LockMessage } from "../../src/index.js";
import { createServedZkNode, zkKit } from "../../src/kit/index.js";

const LAYOUT = { coord: ["n1", "n2", "n3"], storage: "n4", clients: ["n5", "n6"], sessionTtlMs: 4000, heartbeatMs: 1000 };
const ALL = ["n1", "n2", "n3", "n4", "n5", "n6"];
const rng: Rng = { nextFloat: () => 0.5, nextInt: (lo) => lo };
const others = (id: string): string[] => ALL.filter((n) => n !== id);

function served(id: string, opts: { peers?: string[]; durable?: Map<string, Json>; tuning?: object; options?: object } = {}) {
  return createServedZkNode({ id, peers: opts.peers ?? others(id), rng, durable: opts.durable ?? new Map(), tuning: opts.tuning ?? {}, options: (opts.options ?? LAYOUT) as { [key: string]: Json } });
}

/** The session id a client's first `work` request opens. */
function sessionOpened(client: ZkLockClient): string {
  client.ready();
  client.step({ type: "request", nowMs: 1, request: { clientId: "driver", seq: 1, command: { op: "work", value: "v" } } });
  const sent = client.ready().send.map((m) => m.message as LockMessage);
  const open = sent.find((m) => m.type === "Coord" && m.command.op === "open");
  if (open?.type !== "Coord" || open.command.op !== "open") throw new Error(`no open among ${JSON.stringify(sent)}`);
  return open.command.session;
}

describe("synod serve zklock: the served node", () => {
  it("creates each role of the layout, and the kit offers it with Raft's knobs", () => {
    expect(served("n1").constructor.name).toBe("CoordReplica");
    expect(served("n4").constructor.name).toBe("FencedStorage");
    expect(served("n5")).toBeInstanceOf(ZkLockClient);
    expect(Object.keys(zkKit.serve?.knobs ?? {}).sort()).toEqual(["electionTimeoutMsMax", "electionTimeoutMsMin", "heartbeatMs"]);
    expect(zkKit.serve?.isConfigError(new LockConfigError("x"))).toBe(true);
  });

  it("shows a lock client's phase in its status role, so the holder can be found (and paused) from outside", () => {
    const c = served("n5") as ZkLockClient;
    expect(zkKit.status(c).role).toBe("client");
    sessionOpened(c);
    expect(zkKit.status(c).role).toBe("client (opening)");
    expect(zkKit.status(served("n4")).role).toBe("storage");
  });

  it("gives a restarted client a new incarnation, so its sessions never repeat", () => {
    const first = served("n5");
    const durable = new Map<string, Json>(first.ready().persist.map((w) => [w.key, w.value]));
    expect(durable.get("incarnation")).toBe(1);
    const s1 = sessionOpened(served("n5", { durable: new Map(durable) }));
    const s0 = sessionOpened(served("n5"));
    expect(s0).toBe("n5.1.1");
    expect(s1).toBe("n5.2.1");
  });

  it("refuses peers that do not match the layout, and tuning the layout cannot honour, naming them", () => {
    expect(() => served("n1", { peers: ["n2", "n3", "n4", "n5"] })).toThrow(/--peers: the layout in --protocol-options names n6, which --peers does not list/);
    expect(() => served("n1", { peers: [...others("n1"), "n9"] })).toThrow(/--peers: n9 has no role in the layout/);
    expect(() => served("n1", { options: { ...LAYOUT, coord: "n1", clients: ["n5", "n6", "n2", "n3"] }, tuning: { heartbeatMs: 50 } })).toThrow(/--heartbeat-ms: these tune the Raft replicas of the tree, but protocol option coord names one server/);
    expect(() => served("n1", { tuning: { snapshotEveryEntries: 10 } })).toThrow(/--snapshot-every-entries/);
    expect(() => served("n1", { options: { ...LAYOUT, sesionTtlMs: 5 } })).toThrow(/unknown zk lock option "sesionTtlMs"/);
    for (const f of [() => served("n1", { peers: ["n2"] }), () => served("n1", { options: { ...LAYOUT, sesionTtlMs: 5 } })]) {
      try {
        f();
      } catch (e) {
        expect(zkKit.serve?.isConfigError(e)).toBe(true);
      }
    }
  });

  it("passes the Raft tuning to the replicas", () => {
    const r = served("n2", { tuning: { electionTimeoutMsMin: 700, electionTimeoutMsMax: 900, heartbeatMs: 70 } });
    expect((r as unknown as { o: { raft: object } }).o.raft).toMatchObject({ electionTimeoutMsMin: 700, electionTimeoutMsMax: 900, heartbeatMs: 70 });
  });
});

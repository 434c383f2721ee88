/**
 * Authenticated replies: every reply carries the replica's MAC under the key it shares with the
 * client; the client's rule drops (and counts) a reply that does not verify, and only then
 * applies f + 1 matching committed (2f + 1 tentative) replies. A faulty replica that lies in its
 * own name and forges the lie in every other replica's name cannot make a client accept it; a
 * client that skips the MAC check can be made to.
 */
import { describe, expect, test } from "vitest";
import { runHistory, type HistoryRun, type ProtocolKit } from "@synod/conformance";
import type { ClientReply } from "@synod/protocol";
import { keyFileForClient, parseKeyFile, PbftKeyError, replyBody, type KvResult } from "../src/index.js";
import { faultsTolerated, pbftHistories } from "../src/kit/histories.js";
import { keygenFiles } from "../src/kit/serve.js";
import { simKeyring } from "../src/kit/keys.js";
import type { PbftTypes } from "../src/kit/types.js";
import { ids, PbftCluster } from "./harness/cluster.js";

const nodes = ids(4);

function reply(c: PbftCluster, clientId: string, seq: number, node: string): ClientReply<KvResult> {
  for (const o of c.takeOutputs()) if (o.kind === "reply" && o.node === node && o.reply.clientId === clientId && o.reply.seq === seq) return o.reply;
  throw new Error(`no reply from ${node}`);
}

describe("the reply rule", () => {
  test("replicas MAC their replies; f + 1 matching verified committed replies decide", () => {
    const c = new PbftCluster(nodes);
    c.send("n1", "c1", { op: "put", key: "x", value: "1" });
    c.deliverAll();
    const replies = c.takeOutputs().filter((o) => o.kind === "reply");
    expect(replies.map((o) => o.node).sort()).toEqual(nodes);
    const rule = c.client("c1").replies();
    const first = replies[0]!;
    if (first.kind !== "reply") throw new Error("unreachable");
    expect(first.reply.auth).toMatchObject({ replica: first.node, view: 0, tentative: false });
    expect(rule.offer(first.node, first.reply).type).toBe("wait");
    // The same replica again does not make two.
    expect(rule.offer(first.node, first.reply).type).toBe("wait");
    const second = replies[1]!;
    if (second.kind !== "reply") throw new Error("unreachable");
    expect(rule.offer(second.node, second.reply)).toEqual({ type: "accept", reply: { clientId: "c1", seq: 1, ok: true, result: { ok: true } } });
    expect(rule.rejected).toBe(0);
  });

  test("tampered, unauthenticated, misattributed and error replies are rejected and counted", () => {
    const c = new PbftCluster(nodes);
    c.send("n1", "c1", { op: "put", key: "x", value: "1" });
    c.deliverAll();
    const good = reply(c, "c1", 1, "n2");
    const rule = c.client("c1").replies();
    const auth = good.auth as { replica: string; view: number; tentative: boolean; mac: string };
    const cases: [ClientReply<KvResult>, RegExp][] = [
      [{ ...good, result: { value: "lie" } } as ClientReply<KvResult>, /MAC of n2's reply does not verify/],
      [{ ...good, auth: { ...auth, replica: "n3" } }, /MAC of n3's reply/],
      [{ ...good, auth: { ...auth, tentative: true } }, /does not verify/],
      [{ ...good, auth: { ...auth, view: 7 } }, /does not verify/],
      [{ ...good, seq: 2 }, /does not verify/],
      [{ clientId: "c1", seq: 1, ok: true, result: { ok: true } }, /no authenticator/],
      [{ ...good, auth: { ...auth, replica: "n9" } }, /n9/],
      [{ clientId: "c1", seq: 1, ok: false, error: "rejected", detail: "no" }, /unauthenticated rejected reply/],
      [{ ...good, clientId: "c2" }, /for client "c2"/],
    ];
    for (const [r, why] of cases) {
      const v = rule.offer("n2", r);
      expect(v.type).toBe("reject");
      if (v.type === "reject") expect(v.reason).toMatch(why);
    }
    expect(rule.rejected).toBe(cases.length);
    // The MAC is under the replica–client key: another client's key does not verify it.
    const other = c.client("c2").replies();
    expect(other.offer("n2", { ...good, clientId: "c2" }).type).toBe("reject");
    // The untouched reply still counts.
    expect(rule.offer("n2", good).type).toBe("wait");
  });

  test("a replica MACs for the client with the key it shares with that client only", () => {
    const c = new PbftCluster(nodes);
    const k = c.replicaKeys("n2");
    const body = replyBody("c1", 1, { ok: true }, { replica: "n2", view: 0, tentative: false });
    expect(c.client("c1").signer.checkReply("n2", body, k.macForClient("c1", body))).toBe(true);
    expect(c.client("c2").signer.checkReply("n2", body, k.macForClient("c1", body))).toBe(false);
    expect(k.macForClient("stranger", body)).toBeNull();
  });

  test("2f + 1 matching tentative replies decide; f + 1 do not (unless the broken rule)", () => {
    const c = new PbftCluster(nodes);
    const tentative = (node: string): ClientReply<KvResult> => {
      const meta = { replica: node, view: 0, tentative: true };
      return { clientId: "c1", seq: 1, ok: true, result: { value: "v" }, auth: { ...meta, mac: c.replicaKeys(node).macForClient("c1", replyBody("c1", 1, { value: "v" }, meta))! } };
    };
    const rule = c.client("c1").replies();
    expect(rule.offer("n1", tentative("n1")).type).toBe("wait");
    expect(rule.offer("n2", tentative("n2")).type).toBe("wait");
    expect(rule.offer("n3", tentative("n3")).type).toBe("accept");
    const broken = c.client("c1").replies({ fewTentativeReplies: true });
    expect(broken.offer("n1", tentative("n1")).type).toBe("wait");
    expect(broken.offer("n2", tentative("n2")).type).toBe("accept");
    // Another cluster's keys (the simulator's) do not verify these.
    expect(simKeyring(nodes).replies("c1").offer("n1", tentative("n1")).type).toBe("reject");
  });
});

describe("key files", () => {
  test("keygen gives every client a MAC key with every replica, and each party only its own", () => {
    const files = keygenFiles(nodes, ["alice", "bob"]);
    const all = parseKeyFile(files["cluster.json"]);
    expect(Object.keys(all.clientMacKeys).sort()).toEqual(nodes);
    const n2 = parseKeyFile(files["n2.json"]);
    expect(Object.keys(n2.clientMacKeys)).toEqual(["n2"]);
    expect(Object.keys(n2.clientMacKeys.n2!).sort()).toEqual(["alice", "bob"]);
    const alice = parseKeyFile(files["client-alice.json"]);
    expect(Object.keys(alice.clientMacKeys).sort()).toEqual(nodes);
    for (const r of nodes) expect(Object.keys(alice.clientMacKeys[r]!)).toEqual(["alice"]);
    expect(alice.clients.bob!.privateKey).toBeUndefined();
    expect(() => keyFileForClient(all, "carol")).toThrow(/no key for client carol/);
  });

  test("an older key file without reply keys is refused with the fix", () => {
    const files = keygenFiles(nodes, ["alice"]);
    const old = { ...(files["n1.json"] as object), format: "synod-pbft-keys/1" };
    expect(() => parseKeyFile(old, "n1.json")).toThrow(PbftKeyError);
    expect(() => parseKeyFile(old, "n1.json")).toThrow(/run `synod keygen pbft` again/);
    const noMacs = { ...(files["n1.json"] as object), clientMacKeys: { n1: { alice: 5 } } };
    expect(() => parseKeyFile(noMacs, "n1.json")).toThrow(/n1.json.clientMacKeys.n1.alice/);
  });
});

describe("forged replies in the simulator", () => {
  const kit = { name: "pbft", histories: pbftHistories, brokenVariants: [] } as unknown as ProtocolKit<PbftTypes>;
  // The client skips MAC checks: a forged reply counts for the replica it names.
  const unverified = {
    name: "pbft",
    brokenVariants: [],
    histories: {
      ...pbftHistories,
      clients: (ns: readonly string[]) => {
        const ring = simKeyring(ns);
        return { replyQuorum: faultsTolerated(ns.length) + 1, seal: ring.seal, replies: (id: string) => ring.replies(id, { skipReplyVerification: true }) };
      },
    },
  } as unknown as ProtocolKit<PbftTypes>;
  const run = (k: ProtocolKit<PbftTypes>, seed: number, faults: HistoryRun["faults"]): ReturnType<typeof runHistory> =>
    runHistory(k, { protocol: "pbft", seed, nodes, durationMs: 1500, faults, clients: 4, keys: 3, readRatio: 0.5, randomTargetProbability: 0.2, variant: null, options: {} });
  // f = 1 replica lies in its own name and forges the lie in the name of every other replica.
  const liarForger: HistoryRun["faults"] = [
    { atMs: 0, fault: { type: "byzantine", node: "n3", behaviour: "lie" } },
    { atMs: 0, fault: { type: "byzantine", node: "n3", behaviour: "forge" } },
  ];

  test("f lying + forged replies: every forged reply is rejected and counted, the history stays linearizable", () => {
    for (const seed of [1, 2, 3]) {
      const o = run(kit, seed, liarForger);
      expect(o.verdict, `seed ${seed}: ${o.explanation}`).toBe("ok");
      expect(o.okOperations).toBeGreaterThan(20);
      // Three forged replies (one per other replica) per reply n3 sends.
      expect(o.repliesRejected ?? 0, `seed ${seed}`).toBeGreaterThan(3 * 20);
      expect(o.history.some((e) => e.type === "ok" && JSON.stringify(e.value).includes("lie"))).toBe(false);
    }
  });

  test("the same schedule against a client that does not check MACs: it accepts the lie", () => {
    let broken = 0;
    for (const seed of [1, 2, 3]) {
      const o = run(unverified, seed, liarForger);
      expect(o.repliesRejected ?? 0).toBe(0);
      if (o.verdict === "violation") broken++;
    }
    expect(broken).toBe(3);
  });

  test("without forging, one liar alone is harmless even to that client (the f + 1 rule)", () => {
    const o = run(unverified, 1, [{ atMs: 0, fault: { type: "byzantine", node: "n3", behaviour: "lie" } }]);
    expect(o.verdict, o.explanation).toBe("ok");
  });
});

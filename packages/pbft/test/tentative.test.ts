/**
 * Tentative execution (Castro–Liskov §5.1): a replica executes a batch once it is prepared and
 * every earlier batch committed, replying tentatively; the client needs 2f + 1 matching tentative
 * replies; a view change rolls the store back to the last committed state. The scripted attack
 * shows why 2f + 1: a tentative execution at one correct replica, echoed by the faulty one, is
 * rolled back by a view change that the faulty replica helps decide, and a client that took f + 1
 * tentative replies has lost an acknowledged write.
 */
import { describe, expect, test } from "vitest";
import { newKvStore } from "@synod/kv";
import type { ClientReply, Json } from "@synod/protocol";
import { bodyOf, digestOf, replyBody, VIEW_CHANGE_TIMER, type KvResult, type PbftMessage, type SignedRequest, type ViewChangeMsg } from "../src/index.js";
import { ids, PbftCluster, runUntil } from "./harness/cluster.js";

type PP = Extract<PbftMessage, { type: "PrePrepare" }>;

const nodes = ids(4);
const put = (key: string, value: string) => ({ op: "put" as const, key, value });

function repliesOf(c: PbftCluster): { node: string; reply: ClientReply<KvResult> }[] {
  const out: { node: string; reply: ClientReply<KvResult> }[] = [];
  for (const o of c.takeOutputs()) if (o.kind === "reply") out.push({ node: o.node, reply: o.reply });
  return out;
}

const tentativeOf = (r: ClientReply<KvResult>): boolean => (r.auth as { tentative: boolean }).tentative;

describe("tentative execution", () => {
  test("replicas reply tentatively once prepared, before any commit; committed replies follow", () => {
    const c = new PbftCluster(nodes, { tentativeExecution: true });
    c.send("n1", "c1", put("x", "1"));
    // Pre-prepares and prepares only; the commits wait in flight.
    for (let m = c.inflight.find((x) => x.message.type !== "Commit"); m !== undefined; m = c.inflight.find((x) => x.message.type !== "Commit")) c.deliver(m.id);
    const early = repliesOf(c);
    expect(early.map((r) => r.node).sort()).toEqual(nodes);
    expect(early.every((r) => tentativeOf(r.reply))).toBe(true);
    for (const id of nodes) {
      expect(c.node(id).summary().executed).toBe(0);
      expect(c.node(id).peek("x")).toBe("1");
      expect(c.node(id).inspect().tentative).toEqual({ executed: 1, rolledBack: 0 });
    }
    const rule = c.client("c1").replies();
    expect(rule.offer("n1", early[0]!.reply).type).toBe("wait");
    expect(rule.offer("n2", early[1]!.reply).type).toBe("wait");
    expect(rule.offer("n3", early[2]!.reply).type).toBe("accept");
    c.deliverAll();
    const late = repliesOf(c);
    expect(late.map((r) => r.node).sort()).toEqual(nodes);
    expect(late.some((r) => tentativeOf(r.reply))).toBe(false);
    for (const id of nodes) expect(c.node(id).summary().executed).toBe(1);
    // A retransmission gets the committed answer; exactly one application per request.
    c.send("n2", "c1", put("x", "1"), 1);
    c.deliverAll();
    expect(repliesOf(c).filter((r) => r.node === "n2").map((r) => tentativeOf(r.reply))).toEqual([false]);
  });

  test("one tentative batch at a time: the next waits until the one before it commits", () => {
    const c = new PbftCluster(nodes, { tentativeExecution: true, maxBatchEntries: 1, maxInflightBatches: 2 });
    c.send("n1", "c1", put("x", "1"));
    c.send("n1", "c2", put("y", "2"));
    for (let m = c.inflight.find((x) => x.message.type !== "Commit"); m !== undefined; m = c.inflight.find((x) => x.message.type !== "Commit")) c.deliver(m.id);
    // Both prepared; only seq 1 executed tentatively (seq 2 would build on an uncommitted one).
    expect(c.node("n3").inspect().slots[2]!.prepared).not.toBeNull();
    expect(c.node("n3").peek("x")).toBe("1");
    expect(c.node("n3").peek("y")).toBeNull();
    const first = repliesOf(c);
    expect(new Set(first.map((r) => r.reply.clientId))).toEqual(new Set(["c1"]));
    // Seq 1's commits arrive: it commits; seq 2 then runs tentatively.
    for (let m = c.inflight.find((x) => x.message.type === "Commit" && x.message.seq === 1); m !== undefined; m = c.inflight.find((x) => x.message.type === "Commit" && x.message.seq === 1)) c.deliver(m.id);
    expect(c.node("n3").summary().executed).toBe(1);
    expect(c.node("n3").peek("y")).toBe("2");
    const second = repliesOf(c);
    expect(second.filter((r) => r.reply.clientId === "c2").every((r) => tentativeOf(r.reply))).toBe(true);
    expect(second.filter((r) => r.reply.clientId === "c1").some((r) => tentativeOf(r.reply))).toBe(false);
  });

  test("off by default: replies come only at commit", () => {
    const c = new PbftCluster(nodes);
    c.send("n1", "c1", put("x", "1"));
    for (let m = c.inflight.find((x) => x.message.type !== "Commit"); m !== undefined; m = c.inflight.find((x) => x.message.type !== "Commit")) c.deliver(m.id);
    expect(repliesOf(c)).toEqual([]);
    expect(c.node("n2").peek("x")).toBeNull();
  });
});

/**
 * The attack. Faulty primary n1 pre-prepares put x=A (c1's request 1) to n2 and n3 only; n2's
 * prepare reaches n3 (so n3 is prepared and executes it tentatively) but n3's never reaches n2.
 * n1 echoes n3's tentative reply in its own name. n3 is then cut off; n2 and n4 change to view 1
 * with n1's help (n1's view change claims nothing), and the new view does not hold the request.
 * The client, believing its put done, sends request 2 (get x), which supersedes request 1.
 */
function attack(): { c: PbftCluster; early: ClientReply<KvResult>[] } {
  const c = new PbftCluster(nodes, { tentativeExecution: true });
  c.partitioned.add("n1");
  const op = put("x", "A");
  const r1: SignedRequest = { clientId: "c1", seq: 1, op, sig: c.client("c1").command(1, op).sig };
  const digest = digestOf([r1]);
  for (const to of ["n2", "n3"]) c.inject("n1", to, c.form<PP>("n1", { type: "PrePrepare", view: 0, seq: 1, digest, batch: [r1], replica: "n1" }));
  const n2toN3 = c.inflight.find((m) => m.from === "n2" && m.to === "n3" && m.message.type === "Prepare")!;
  c.deliver(n2toN3.id);
  for (const m of [...c.inflight]) c.drop(m.id);
  expect(c.node("n3").inspect().slots[1]!.prepared).not.toBeNull();
  expect(c.node("n2").inspect().slots[1]!.prepared).toBeNull();
  const fromN3 = repliesOf(c).filter((r) => r.node === "n3").map((r) => r.reply);
  expect(fromN3.length).toBe(1);
  expect(tentativeOf(fromN3[0]!)).toBe(true);
  // n1's echo, MACed with its own key (it verifies: n1 is allowed to say what it likes).
  const meta = { replica: "n1", view: 0, tentative: true };
  const echo: ClientReply<KvResult> = { clientId: "c1", seq: 1, ok: true, result: { ok: true }, auth: { ...meta, mac: c.replicaKeys("n1").macForClient("c1", replyBody("c1", 1, { ok: true }, meta))! } as Json };
  // n3 is cut off; n2 times out, n1 sends its view change for view 1 to n2 and n4.
  c.partitioned.add("n3");
  for (const m of [...c.inflight]) if (m.to === "n3" || m.from === "n3") c.drop(m.id);
  c.fire("n2", VIEW_CHANGE_TIMER);
  const body = { type: "ViewChange" as const, view: 1, stable: { seq: 0, digest: digestOf(newKvStore().toJson()), proof: [] }, prepared: [], prePrepared: [], replica: "n1" };
  const vc: ViewChangeMsg = { ...body, sig: c.replicaKeys("n1").sign(bodyOf(body as never)) };
  for (const to of ["n2", "n4"]) c.inject("n1", to, vc);
  // The client's next request, to the new primary n2, before its view starts.
  c.send("n2", "c1", { op: "get", key: "x" }, 2);
  runUntil(c, () => c.node("n2").summary().active && c.node("n4").summary().view === 1, 5000);
  expect(c.node("n2").summary()).toMatchObject({ view: 1, active: true });
  return { c, early: [fromN3[0]!, echo] };
}

describe("tentative execution under a view change", () => {
  test("the view change rolls n3's tentative put back, and the put is lost for good (the new view does not hold it)", () => {
    const { c } = attack();
    // n3 comes back, learns the new view, rolls back, and executes what view 1 decided.
    c.partitioned.delete("n3");
    expect(runUntil(c, () => ["n2", "n3", "n4"].every((id) => c.node(id).summary().executed >= 1 && c.node(id).summary().view === 1), 20_000)).toBe(true);
    expect(c.node("n3").inspect().tentative.rolledBack).toBe(1);
    for (const id of ["n2", "n3", "n4"]) expect(c.node(id).peek("x"), id).toBeNull();
    const gets = repliesOf(c).filter((r) => r.reply.seq === 2 && !tentativeOf(r.reply));
    expect(gets.length).toBeGreaterThanOrEqual(2);
    for (const g of gets) expect(g.reply.ok && g.reply.result).toEqual({ value: null });
  });

  test("the client's rule refuses the f + 1 tentative replies that a client taking them would turn into a lost write", () => {
    const { c, early } = attack();
    const correct = c.client("c1").replies();
    for (const [k, r] of early.entries()) expect(correct.offer(`r${k}`, r).type).toBe("wait");
    const broken = c.client("c1").replies({ fewTentativeReplies: true });
    expect(broken.offer("a", early[0]!).type).toBe("wait");
    expect(broken.offer("b", early[1]!).type).toBe("accept");
  });
});

describe("read-only optimisation", () => {
  const get = (key: string) => ({ op: "get" as const, key });
  const readOnly = (c: PbftCluster, to: string, clientId: string, seq: number, key: string): void => {
    c.request(to, clientId, seq, { ...c.client(clientId).command(seq, get(key)), readOnly: true });
  };

  test("a read-only get is answered by every replica from its state, unordered; 2f + 1 matching decide", () => {
    const c = new PbftCluster(nodes, { readOnlyOptimization: true });
    c.send("n1", "c1", put("x", "1"));
    c.deliverAll();
    repliesOf(c);
    readOnly(c, "n2", "c2", 1, "x");
    c.deliverAll();
    const outs = c.takeOutputs();
    expect(outs.filter((o) => o.kind === "send" && o.msg.message.type !== "Request")).toEqual([]);
    const replies = outs.flatMap((o) => (o.kind === "reply" ? [{ node: o.node, reply: o.reply }] : []));
    expect(replies.map((r) => r.node).sort()).toEqual(nodes);
    expect(replies.every((r) => tentativeOf(r.reply) && r.reply.ok && (r.reply.result as { value: string }).value === "1")).toBe(true);
    const rule = c.client("c2").replies();
    expect(rule.offer("a", replies[0]!.reply).type).toBe("wait");
    expect(rule.offer("b", replies[1]!.reply).type).toBe("wait");
    expect(rule.offer("c", replies[2]!.reply).type).toBe("accept");
    for (const id of nodes) expect(c.node(id).summary().executed).toBe(1);
  });

  test("a read behind a tentative batch waits until it commits; a replica without the option orders the read", () => {
    const c = new PbftCluster(nodes, { readOnlyOptimization: true, tentativeExecution: true });
    c.send("n1", "c1", put("x", "1"));
    for (let m = c.inflight.find((x) => x.message.type !== "Commit"); m !== undefined; m = c.inflight.find((x) => x.message.type !== "Commit")) c.deliver(m.id);
    repliesOf(c);
    // n3 executed x=1 tentatively: its answer to a read waits for the commit, then says 1.
    readOnly(c, "n3", "c2", 1, "x");
    expect(repliesOf(c)).toEqual([]);
    for (const m of [...c.inflight]) if (m.message.type === "Request") c.drop(m.id);
    c.deliverAll();
    const answer = repliesOf(c).filter((r) => r.node === "n3" && r.reply.clientId === "c2");
    expect(answer.map((r) => r.reply.ok && r.reply.result)).toEqual([{ value: "1" }]);
    // Without the option the flag is only a wish: the get is ordered and answered at commit.
    const plain = new PbftCluster(nodes);
    readOnly(plain, "n1", "c2", 1, "x");
    plain.deliverAll();
    for (const id of nodes) expect(plain.node(id).summary().executed).toBe(1);
  });
});

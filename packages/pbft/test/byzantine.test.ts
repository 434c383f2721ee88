/**
 * Replicas that lie, on the manual network: a test acts as the faulty replicas, forming any message
 * their own keys allow, and checks what the correct replicas do. With f faulty replicas the
 * correct ones agree; with f + 1 (the same attack) they do not: the bound is tight. Each broken
 * variant falls to an attack a correct build survives.
 */
import { describe, expect, test } from "vitest";
import type { NodeId } from "@synod/protocol";
import { digestOf, type PbftMessage, type SignedRequest } from "../src/index.js";
import { ids, PbftCluster, runUntil } from "./harness/cluster.js";

type PP = Extract<PbftMessage, { type: "PrePrepare" }>;
type Prep = Extract<PbftMessage, { type: "Prepare" }>;
type Com = Extract<PbftMessage, { type: "Commit" }>;

function signed(c: PbftCluster, clientId: string, seq: number, value: string): SignedRequest {
  const op = { op: "put" as const, key: "x", value };
  return { clientId, seq, op, sig: c.client(clientId).command(seq, op).sig };
}

/** Faulty replicas in `byz` deliver nothing of their own; the test speaks for them. */
function isolateByzantine(c: PbftCluster, byz: NodeId[]): void {
  for (const m of [...c.inflight]) if (byz.includes(m.from) || byz.includes(m.to)) c.drop(m.id);
}

/**
 * The equivocation attack: the faulty primary n1 pre-prepares batch A to n3 and batch B to n4 at
 * sequence number 1; every faulty replica prepares and commits A towards n3 and B towards n4.
 * Returns what n3 and n4 hold at x afterwards.
 */
function equivocate(c: PbftCluster, byz: NodeId[]): { n3: string | null; n4: string | null } {
  const A = [signed(c, "c1", 1, "A")];
  const B = [signed(c, "c2", 1, "B")];
  const side = (to: NodeId, batch: SignedRequest[]): void => {
    const digest = digestOf(batch);
    c.inject("n1", to, c.form<PP>("n1", { type: "PrePrepare", view: 0, seq: 1, digest, batch, replica: "n1" }));
    for (const b of byz) {
      if (b !== "n1") c.inject(b, to, c.form<Prep>(b, { type: "Prepare", view: 0, seq: 1, digest, replica: b }));
      c.inject(b, to, c.form<Com>(b, { type: "Commit", view: 0, seq: 1, digest, replica: b }));
    }
  };
  side("n3", A);
  side("n4", B);
  // The correct replicas talk to each other (and to no one faulty).
  isolateByzantine(c, byz);
  c.deliverAll();
  isolateByzantine(c, byz);
  return { n3: c.node("n3").peek("x"), n4: c.node("n4").peek("x") };
}

describe("equivocation", () => {
  test("f = 1 faulty (the primary): correct replicas never execute different batches at one sequence number", () => {
    const c = new PbftCluster(ids(4));
    const r = equivocate(c, ["n1"]);
    expect(r).toEqual({ n3: null, n4: null });
    // The backups time out, change view, and agree from there.
    c.crash("n1");
    c.send("n2", "c3", { op: "put", key: "y", value: "1" });
    runUntil(c, () => ["n2", "n3", "n4"].every((id) => c.node(id).summary().executed >= 2));
    const d = new Set(["n2", "n3", "n4"].map((id) => c.node(id).storeDigest()));
    expect(d.size).toBe(1);
  });

  test("f + 1 = 2 colluding faulty replicas: two correct replicas execute different batches at sequence number 1 (the bound is tight)", () => {
    const c = new PbftCluster(ids(4));
    const r = equivocate(c, ["n1", "n2"]);
    expect(r).toEqual({ n3: "A", n4: "B" });
  });
});

describe("broken variants fall to attacks the correct build survives", () => {
  /**
   * A faulty backup n4 prepares towards n2 only; the messages between correct replicas about
   * sequence number 1 are lost. Then n1 stops, and the view changes.
   */
  function prepareOnlyToOne(c: PbftCluster): void {
    c.send("n1", "c1", { op: "put", key: "x", value: "A" });
    const pp = c.inflight.find((m) => m.message.type === "PrePrepare" && m.to === "n2")!;
    c.deliver(pp.id);
    const digest = (pp.message as PP).digest;
    c.inject("n4", "n2", c.form<Prep>("n4", { type: "Prepare", view: 0, seq: 1, digest, replica: "n4" }));
    for (const m of [...c.inflight]) c.drop(m.id);
  }

  test("executeBeforeCommit: with one faulty prepare, n2 executes a batch no replica committed", () => {
    const good = new PbftCluster(ids(4));
    prepareOnlyToOne(good);
    expect(good.node("n2").peek("x")).toBeNull();

    const bad = new PbftCluster(ids(4), { unsafe: { executeBeforeCommit: true } });
    prepareOnlyToOne(bad);
    expect(bad.node("n2").peek("x")).toBe("A");
    // Nobody but n2 holds a commit for it: executed without 2f + 1 commits.
    for (const id of ["n1", "n3", "n4"]) expect(bad.node(id).inspect().slots[1]?.commits ?? []).toEqual([]);
    expect(bad.node("n2").inspect().slots[1]!.commits).toEqual(["n2"]); // its own, not 2f + 1
  });

  test("smallPreparedCertificate: a backup is prepared on the pre-prepare and its own prepare alone", () => {
    const bad = new PbftCluster(ids(4), { unsafe: { smallPreparedCertificate: true } });
    bad.send("n1", "c1", { op: "put", key: "x", value: "A" });
    const pp = bad.inflight.find((m) => m.message.type === "PrePrepare" && m.to === "n2")!;
    bad.deliver(pp.id);
    expect(bad.node("n2").inspect().slots[1]!.prepared).not.toBeNull();

    const good = new PbftCluster(ids(4));
    good.send("n1", "c1", { op: "put", key: "x", value: "A" });
    good.deliver(good.inflight.find((m) => m.message.type === "PrePrepare" && m.to === "n2")!.id);
    expect(good.node("n2").inspect().slots[1]!.prepared).toBeNull();
  });

  test("skipViewChangeVerification: a forged new view (in n2's name, signed by n4) installs a view the correct build refuses", () => {
    for (const unsafe of [{}, { skipViewChangeVerification: true }]) {
      const c = new PbftCluster(ids(4), { unsafe });
      // n4 forges view 1's new view (n2 is its primary) with made-up view changes.
      const k4 = c.replicaKeys("n4");
      const vcs = ["n1", "n3", "n4"].map((r) => {
        const body = { type: "ViewChange" as const, view: 1, stable: { seq: 0, digest: digestOf({}), proof: [] }, prepared: [], prePrepared: [], replica: r };
        return { ...body, sig: k4.sign(body) };
      });
      const body = { type: "NewView" as const, view: 1, viewChanges: vcs, stable: { seq: 0, digest: digestOf({}) }, decisions: [], replica: "n2" };
      c.inject("n4", "n3", { ...body, sig: k4.sign(body) } as PbftMessage);
      const s = c.node("n3").summary();
      if (Object.keys(unsafe).length === 0) {
        expect(s.view).toBe(0);
        expect(c.node("n3").inspect().authFailures).toBe(1);
      } else {
        expect(s.view).toBe(1);
      }
    }
  });
});

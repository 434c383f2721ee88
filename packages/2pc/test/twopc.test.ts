import { SeededRng } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { createNode, ResourceManager, RmStorageError, TmStorageError, TransactionManager, TwoPcConfigError, type TwoPcCommand, type TwoPcMessage, type TwoPcNode, type TwoPcOptions, type TwoPcResult } from "../src/index.js";

type Cluster = TestCluster<TwoPcMessage, TwoPcCommand, TwoPcResult, TwoPcNode>;
const IDS = ["n1", "n2", "n3", "n4"];
const RMS = ["n2", "n3", "n4"];

function cluster(extra: Partial<TwoPcOptions> = {}, seed = 1, latencyMs: [number, number] = [1, 5]): Cluster {
  return new TestCluster({ ids: IDS, seed, latencyMs, create: (id) => createNode(id, { tm: "n1", rms: RMS, ...extra }) });
}
const tm = (c: Cluster): TransactionManager => c.node("n1") as TransactionManager;
const rm = (c: Cluster, id: string): ResourceManager => c.node(id) as ResourceManager;
const states = (c: Cluster, txn: string): (string | undefined)[] => RMS.map((r) => rm(c, r).record(txn)?.state);
const replies = (c: Cluster) => c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply] : []));
/** Run the cluster until nothing is in flight and no timer is armed (at most `budget` events). */
function settle(c: Cluster, budget = 1000): void {
  for (let k = 0; k < budget && c.runNextEvent(); k++) {
    if (c.inflight.length === 0 && c.nextTimer() === null) return;
  }
}

describe("two-phase commit", () => {
  it("commits when every RM votes yes, and every RM records the commit", () => {
    const c = cluster();
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    c.deliverAll();
    expect(states(c, "0.1")).toEqual(["committed", "committed", "committed"]);
    expect(replies(c)).toContainEqual({ clientId: "c1", seq: 1, ok: true, result: { txn: "0.1", outcome: "committed" } });
    expect(c.durable.get("n1")?.get("commit/0.1")).toEqual({ clientId: "c1", seq: 1 });
  });

  it("aborts when one RM votes no: no RM commits, and the abort is never written by the TM (presumed abort)", () => {
    const c = cluster();
    c.request("n1", "c1", 1, { op: "txn", refuse: ["n3"] });
    c.deliverAll();
    expect(states(c, "0.1")).toEqual(["aborted", "aborted", "aborted"]);
    expect(rm(c, "n3").record("0.1")).toEqual({ state: "aborted", vote: "no" });
    expect([...(c.durable.get("n1")?.keys() ?? [])]).toEqual([]);
    expect(replies(c)).toContainEqual({ clientId: "c1", seq: 1, ok: true, result: { txn: "0.1", outcome: "aborted" } });
  });

  it("persists the prepared record before the yes vote and the commit record before the decision", () => {
    const c = cluster();
    const order: string[] = [];
    c.onPersist = (id, w) => order.push(`${id} persist ${w.key}`);
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    for (let k = 0; k < 20 && c.inflight.length > 0; k++) {
      const m = c.inflight[0]!;
      c.deliver(m.id);
      for (const o of c.takeOutputs()) if (o.kind === "send") order.push(`${o.msg.from} send ${o.msg.message.type}`);
    }
    expect(order.indexOf("n2 persist txn/0.1")).toBeLessThan(order.indexOf("n2 send Prepared"));
    expect(order.indexOf("n1 persist commit/0.1")).toBeLessThan(order.indexOf("n1 send Commit"));
  });

  it("aborts on the vote timeout when a vote never arrives", () => {
    const c = cluster();
    c.partitioned.add("n4");
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    settle(c);
    c.partitioned.clear();
    settle(c);
    // n4 never heard of the transaction (it has no record: the spec's "working"), so it can never
    // commit it; presumed abort sends it nothing more.
    expect(states(c, "0.1")).toEqual(["aborted", "aborted", undefined]);
    expect(replies(c)).toContainEqual({ clientId: "c1", seq: 1, ok: true, result: { txn: "0.1", outcome: "aborted" } });
  });

  it("a TM that restarts after committing answers an inquiry with Commit (the commit record)", () => {
    const c = cluster({}, 1, [0, 0]);
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    // Deliver the prepares and votes, then lose the Commit to n4 and crash the TM.
    for (let k = 0; k < 6; k++) c.deliver(c.inflight[0]!.id);
    const toN4 = c.inflight.find((m) => m.message.type === "Commit" && m.to === "n4")!;
    c.drop(toN4.id);
    c.crash("n1");
    c.deliverAll();
    c.restart("n1");
    expect(states(c, "0.1")).toEqual(["committed", "committed", "prepared"]);
    c.fire("n4", "inquire:0.1");
    c.deliverAll();
    expect(states(c, "0.1")).toEqual(["committed", "committed", "committed"]);
    // The client's retry after the restart gets the outcome from the commit record.
    c.takeOutputs();
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    expect(replies(c)).toEqual([{ clientId: "c1", seq: 1, ok: true, result: { txn: "0.1", outcome: "committed" } }]);
  });

  it("regression (broken variant forgetDecisionOnRestart): a TM that forgets its decision splits the RMs", () => {
    const c = cluster({ forgetDecisionOnRestart: true }, 1, [0, 0]);
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    for (let k = 0; k < 6; k++) c.deliver(c.inflight[0]!.id);
    c.drop(c.inflight.find((m) => m.message.type === "Commit" && m.to === "n4")!.id);
    c.crash("n1");
    c.deliverAll();
    c.restart("n1");
    c.fire("n4", "inquire:0.1");
    c.deliverAll();
    expect(states(c, "0.1")).toEqual(["committed", "committed", "aborted"]);
  });

  it("presumed abort: a TM that crashed before deciding answers Abort, and never resumes the transaction", () => {
    const c = cluster({}, 1, [0, 0]);
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    c.deliver(c.inflight[0]!.id); // n2 prepares
    c.crash("n1");
    c.restart("n1");
    expect(tm(c).view("0.1")).toEqual({ state: "aborted", votes: [], logged: false });
    c.fire("n2", "inquire:0.1");
    c.deliverAll();
    expect(rm(c, "n2").record("0.1")).toEqual({ state: "aborted", vote: "yes" });
    // The client's retry starts a new transaction in the new incarnation.
    c.takeOutputs();
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    c.deliverAll();
    expect(replies(c)).toContainEqual({ clientId: "c1", seq: 1, ok: true, result: { txn: "1.1", outcome: "committed" } });
    expect(c.durable.get("n1")?.get("incarnation")).toBe(1);
  });

  it("blocks: a prepared RM whose TM stays down keeps asking and never decides", () => {
    const c = cluster({}, 1, [0, 0]);
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    c.deliver(c.inflight[0]!.id);
    c.crash("n1");
    for (let k = 0; k < 50; k++) c.fireNextTimer();
    c.deliverAll();
    expect(rm(c, "n2").record("0.1")?.state).toBe("prepared");
  });

  it("an RM restart keeps its records and resumes its inquiries", () => {
    const c = cluster({}, 1, [0, 0]);
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    c.deliver(c.inflight[0]!.id);
    c.crash("n2");
    c.restart("n2");
    expect(rm(c, "n2").record("0.1")).toEqual({ state: "prepared", vote: "yes" });
    expect(c.timers.get("n2")?.has("inquire:0.1")).toBe(true);
  });

  it("a local abort before the vote makes the RM vote no; after the vote it is refused", () => {
    const c = cluster({}, 1, [0, 0]);
    c.request("n3", "app", 1, { op: "abort", txn: "0.1" });
    c.request("n1", "c1", 1, { op: "txn", refuse: [] });
    c.deliverAll();
    expect(states(c, "0.1")).toEqual(["aborted", "aborted", "aborted"]);
  });

  it("redirects requests to the node that serves them", () => {
    const c = cluster();
    c.request("n2", "c1", 1, { op: "txn", refuse: [] });
    c.request("n1", "c1", 2, { op: "decisions", at: "n3" });
    expect(replies(c)).toEqual([
      expect.objectContaining({ ok: false, error: "not-leader", leaderHint: "n1" }),
      expect.objectContaining({ ok: false, error: "not-leader", leaderHint: "n3" }),
    ]);
  });

  it("refuses bad options, bad commands and corrupt storage, naming the problem", () => {
    expect(() => createNode("n1", { tm: "n1", rms: ["n1"] })).toThrow(TwoPcConfigError);
    expect(() => createNode("n1", { tm: "n1", rms: ["n2"], resendMs: -1 })).toThrow(/resendMs/);
    expect(() => createNode("n1", { tm: "n1", rms: ["n2"], bogus: 1 } as TwoPcOptions)).toThrow(/bogus/);
    const c = cluster();
    c.request("n1", "c1", 1, { op: "txn", refuse: ["n9"] } as TwoPcCommand);
    expect(replies(c)).toEqual([expect.objectContaining({ ok: false, error: "rejected", detail: expect.stringMatching(/n9/) })]);
    const t = createNode("n1", { tm: "n1", rms: ["n2"] });
    expect(() => t.step({ type: "restart", nowMs: 0, durable: new Map([["commit/x", null]]) })).toThrow(TmStorageError);
    const r = createNode("n2", { tm: "n1", rms: ["n2"] });
    expect(() => r.step({ type: "restart", nowMs: 0, durable: new Map([["txn/0.1", { state: "maybe", vote: "yes" }]]) })).toThrow(RmStorageError);
  });
});

/** One seeded run with random faults; returns the first broken promise, or null. */
function faultyRun(seed: number, extra: Partial<TwoPcOptions> = {}): string | null {
  const rng = SeededRng.derive(seed, "twopc-faults");
  const c = cluster(extra, seed, [1, 10]);
  let seq = 0;
  for (let k = 0; k < 600; k++) {
    const roll = rng.nextInt(0, 99);
    if (roll < 5 && seq < 12) {
      const refuse = RMS.filter(() => rng.nextInt(0, 9) === 0);
      c.request("n1", "c1", ++seq, { op: "txn", refuse });
    } else if (roll < 7) {
      const id = IDS[rng.nextInt(0, IDS.length - 1)]!;
      if (!c.crashed.has(id)) c.crash(id);
    } else if (roll < 12) {
      for (const id of [...c.crashed]) c.restart(id);
    }
    c.runNextEvent(15, 10);
  }
  // Heal: restart everyone and let the inquiries finish.
  for (const id of [...c.crashed]) c.restart(id);
  for (let k = 0; k < 3000 && c.runNextEvent(); k++);
  const txns = new Set(RMS.flatMap((r) => Object.keys(rm(c, r).decisions())));
  for (const txn of txns) {
    const s = states(c, txn);
    const votes = RMS.map((r) => rm(c, r).record(txn)?.vote);
    if (s.includes("committed") && s.includes("aborted")) return `atomicity of ${txn}: ${s.join(", ")}`;
    if (s.includes("committed") && !votes.every((v) => v === "yes")) return `${txn} committed without every yes vote: ${votes.join(", ")}`;
    if (s.includes("prepared")) return `${txn} still in doubt after healing: ${s.join(", ")}`;
  }
  return null;
}

describe("two-phase commit under seeded faults", () => {
  const base = Number(process.env.SYNOD_SEED ?? 20261207);
  it("keeps atomicity and unanimity under loss, duplication, reordering and crashes of TM and RMs", () => {
    for (let run = 0; run < 40; run++) {
      const seed = base + run;
      expect(faultyRun(seed), `seed ${seed} (replay with SYNOD_SEED=${seed})`).toBeNull();
    }
  });

  it("the same runs catch the broken build forgetDecisionOnRestart on some seed", () => {
    const caught = Array.from({ length: 40 }, (_, k) => faultyRun(base + k, { forgetDecisionOnRestart: true })).filter((x) => x !== null);
    console.log(`seeds ${base}..${base + 39}: forgetDecisionOnRestart caught on ${caught.length} (first: ${caught[0]})`);
    expect(caught.length).toBeGreaterThan(0);
  });
});

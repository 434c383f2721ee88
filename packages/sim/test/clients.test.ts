import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/protocol";
import { type HistoryAdapter, type HistoryEntry, startWorkload } from "../src/index.js";
import { RegisterNode, type RegCmd, type RegRes } from "./toys.js";
import { makeSim } from "./helpers.js";

const nodes = ["n1", "n2", "n3"];
const register = (id: NodeId, _rng: unknown, ctx: { durable: ReadonlyMap<string, import("@synod/protocol").Json> }) =>
  new RegisterNode(id, nodes, ctx.durable);
const adapter: HistoryAdapter<RegCmd, RegRes> = {
  invoke: (c) => (c.op === "read" ? { f: "read", value: null, key: "r" } : { f: "write", value: c.value, key: "r" }),
  ok: (c, r) => (c.op === "read" ? r.value : c.value),
};
const strip = (h: HistoryEntry[]) => h.map(({ process, type, f, value }) => ({ process, type, f, value }));

describe("clients and the history", () => {
  it("records invoke and ok with the adapter's f/value/key and time in ns", () => {
    const sim = makeSim(register, { history: adapter });
    sim.invoke("c1", { op: "write", value: 5 }, "n1", {
      onDone: () => sim.invoke("c1", { op: "read" }, "n1"),
    });
    sim.run();
    expect(sim.history()).toEqual([
      { process: 0, type: "invoke", f: "write", value: 5, key: "r", time: 0 },
      // request 1 ms, replicate 1 ms, ack 1 ms, reply 1 ms
      { process: 0, type: "ok", f: "write", value: 5, key: "r", time: 4_000_000 },
      { process: 0, type: "invoke", f: "read", value: null, key: "r", time: 4_000_000 },
      { process: 0, type: "ok", f: "read", value: 5, key: "r", time: 6_000_000 },
    ]);
  });

  it("records fail for a definite not-leader refusal without retries", () => {
    const sim = makeSim(register, { history: adapter });
    sim.invoke("c1", { op: "write", value: 1 }, "n2");
    sim.run();
    expect(strip(sim.history())).toEqual([
      { process: 0, type: "invoke", f: "write", value: 1 },
      { process: 0, type: "fail", f: "write", value: 1 },
    ]);
  });

  it("follows the leader hint when retrying, with the same seq", () => {
    const sim = makeSim(register, { history: adapter });
    const outcomes: unknown[] = [];
    sim.invoke("c1", { op: "write", value: 7 }, "n3", {
      retry: { attemptTimeoutMs: 50, backoffMs: 2, followLeaderHint: true },
      onDone: (o) => outcomes.push(o),
    });
    sim.run();
    expect(outcomes).toEqual([{ type: "ok", result: { value: 7 }, node: "n1" }]);
    const requests = sim.log().steps.filter((s) => s.event.type === "request");
    expect(requests.map((s) => [s.node, s.event.type === "request" && s.event.request.seq])).toEqual([
      ["n3", 1],
      ["n1", 1],
    ]);
    expect(strip(sim.history()).map((h) => h.type)).toEqual(["invoke", "ok"]);
  });

  it("records info on timeout, and the client continues under a fresh process number", () => {
    const sim = makeSim(register, {
      history: adapter,
      clients: { timeoutMs: 100 },
      faults: [{ atMs: 0, fault: { type: "crash", node: "n2" } }], // a backup is down: writes never complete
    });
    sim.invoke("c1", { op: "write", value: 3 }, "n1", { onDone: () => sim.invoke("c1", { op: "read" }, "n1") });
    sim.invoke("c2", { op: "read" }, "n1");
    sim.run();
    expect(strip(sim.history())).toEqual([
      { process: 0, type: "invoke", f: "write", value: 3 },
      { process: 1, type: "invoke", f: "read", value: null },
      { process: 1, type: "ok", f: "read", value: 3 }, // the primary applied the write locally: visible
      { process: 0, type: "info", f: "write", value: 3 },
      { process: 2, type: "invoke", f: "read", value: null },
      { process: 2, type: "ok", f: "read", value: 3 },
    ]);
    const info = sim.history().find((h) => h.type === "info");
    expect(info?.time).toBe(100_000_000);
  });

  it("ignores late replies after completion and refuses a second concurrent op on one client", () => {
    const sim = makeSim(register, { history: adapter, clients: { timeoutMs: 2 } });
    sim.invoke("c1", { op: "write", value: 1 }, "n1");
    expect(() => sim.invoke("c1", { op: "read" }, "n1")).toThrow(/already has operation seq 1 in flight/);
    sim.run();
    expect(strip(sim.history()).map((h) => h.type)).toEqual(["invoke", "info"]);
    expect(sim.statistics().clientRepliesIgnored).toBe(1);
  });

  it("the built-in workload drives clients to completion through crashes and retries", () => {
    const sim = makeSim(register, {
      seed: 11,
      history: adapter,
      network: { latency: { type: "uniform", minMs: 1, maxMs: 5 } },
      clients: { timeoutMs: 300 },
      faults: [
        { atMs: 200, fault: { type: "crash", node: "n3" } },
        { atMs: 800, fault: { type: "restart", node: "n3" } },
      ],
      budget: { maxTimeMs: 2000, maxEvents: 1_000_000 },
    });
    const progress = startWorkload(sim, {
      clients: ["c1", "c2", "c3"],
      nextCommand: ({ rng, opIndex }): RegCmd | null => (opIndex >= 40 ? null : rng.nextInt(0, 1) === 0 ? { op: "read" } : { op: "write", value: rng.nextInt(0, 99) }),
      thinkMs: { type: "uniform", minMs: 0, maxMs: 10 },
    });
    sim.run();
    expect(progress.invoked).toBe(120);
    expect(progress.ok + progress.fail + progress.info).toBe(120);
    expect(progress.ok).toBeGreaterThan(80);
    expect(progress.info).toBeGreaterThan(0); // writes stall past their deadline while n3 is down
    const h = sim.history();
    expect(h.filter((e) => e.type === "invoke")).toHaveLength(120);
    // Well-formed: per process, invoke and completion alternate, and an info ends the process.
    const open = new Map<number, boolean>();
    const finished = new Set<number>();
    for (const e of h) {
      expect(finished.has(e.process)).toBe(false);
      if (e.type === "invoke") {
        expect(open.get(e.process)).not.toBe(true);
        open.set(e.process, true);
      } else {
        expect(open.get(e.process)).toBe(true);
        open.set(e.process, false);
        if (e.type === "info") finished.add(e.process);
      }
    }
  });

  it("the workload aims at the last responder, or at random nodes with randomTargetProbability", () => {
    const firstAttempts = (randomTargetProbability: number) => {
      const sim = makeSim(register, { history: adapter });
      startWorkload(sim, {
        clients: ["c1"],
        nextCommand: ({ opIndex }): RegCmd | null => (opIndex >= 60 ? null : { op: "read" }),
        randomTargetProbability,
      });
      sim.run();
      // Count requests by node; a not-leader answer from a backup leads to one more at n1.
      const counts: Record<string, number> = {};
      for (const s of sim.log().steps) if (s.event.type === "request") counts[s.node] = (counts[s.node] ?? 0) + 1;
      return counts;
    };
    const sticky = firstAttempts(0);
    expect((sticky.n2 ?? 0) + (sticky.n3 ?? 0)).toBeLessThanOrEqual(1); // at most the very first guess
    const spread = firstAttempts(1);
    expect(spread.n2).toBeGreaterThan(10);
    expect(spread.n3).toBeGreaterThan(10);
    expect(() => startWorkload(makeSim(register), { clients: ["c"], nextCommand: () => null, randomTargetProbability: 2 })).toThrow(
      "workload.randomTargetProbability: expected a probability in [0, 1], got 2",
    );
  });
});


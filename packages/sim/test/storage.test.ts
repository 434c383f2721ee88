import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/protocol";
import { PersistNotifyNode, RegisterNode, type RegCmd } from "./toys.js";
import { makeSim } from "./helpers.js";

const peerOf = (id: NodeId): NodeId => (id === "n1" ? "n2" : "n1");

describe("durable storage and the host loop", () => {
  it("sends a ready's messages and replies only once its writes are durable", () => {
    const sim = makeSim((id) => new PersistNotifyNode(id, peerOf(id)), {
      nodes: ["n1", "n2"],
      storage: { fsyncMs: { type: "uniform", minMs: 2, maxMs: 9 } },
      network: { latency: { type: "uniform", minMs: 1, maxMs: 3 } },
      observer: {
        // On every delivery of a note, the sender's write behind it must already be durable.
        afterStep: (record) => {
          if (record.event.type === "message") {
            const note = record.event.message;
            expect(sim.durable(record.event.from).get(`k${note.n}`)).toBe(note.n);
          }
        },
      },
    });
    let n = 0;
    const next = (): void => {
      const mine = n++;
      if (mine < 30) sim.invoke("c1", { n: mine }, "n1", { onDone: next });
    };
    next();
    sim.run();
    const { steps, messages, history } = sim.log();
    expect(messages).toHaveLength(30);
    for (const m of messages) {
      const step = steps[m.step];
      expect(step?.ready?.persist).toEqual([{ key: `k${m.message.n}`, value: m.message.n }]);
      // The fsync takes at least 2 ms, so the message left at least 2 ms after its step.
      expect(m.sentAtMs - (step?.atMs as number)).toBeGreaterThanOrEqual(2);
    }
    expect(history.filter((h) => h.type === "ok")).toHaveLength(30);
    expect(sim.statistics().fsyncs).toBe(30);
  });

  it("queues events that arrive during an fsync and steps them afterwards, in order", () => {
    const sim = makeSim((id) => new PersistNotifyNode(id, peerOf(id)), {
      nodes: ["n1", "n2"],
      storage: { fsyncMs: 10 },
      clients: { latency: { type: "constant", ms: 1 } },
    });
    sim.invoke("a", { n: 1 }, "n1");
    sim.invoke("b", { n: 2 }, "n1");
    sim.invoke("c", { n: 3 }, "n1");
    sim.run();
    const n1Steps = sim.log().steps.filter((s) => s.node === "n1" && s.event.type === "request");
    // All three arrive at 1 ms; the node steps one, syncs 10 ms, steps the next, ...
    expect(n1Steps.map((s) => s.atMs)).toEqual([1, 11, 21]);
    expect(n1Steps.map((s) => (s.event.type === "request" ? s.event.request.command.n : -1))).toEqual([1, 2, 3]);
  });

  it("a crash loses writes not yet durable (and their messages), keeps durable ones", () => {
    const sim = makeSim((id) => new PersistNotifyNode(id, peerOf(id)), {
      nodes: ["n1", "n2"],
      storage: { fsyncMs: 10 },
      clients: { latency: { type: "constant", ms: 1 } },
      faults: [
        { atMs: 25, fault: { type: "crash", node: "n1" } },
        { atMs: 40, fault: { type: "restart", node: "n1" } },
      ],
    });
    sim.invoke("a", { n: 1 }, "n1"); // stepped at 1, durable at 11
    sim.at(20, () => sim.invoke("b", { n: 2 }, "n1")); // stepped at 21, would be durable at 31
    sim.run();
    expect([...sim.durable("n1").keys()]).toEqual(["k1"]);
    expect((sim.node("n1") as PersistNotifyNode).restoredKeys).toEqual(["k1"]);
    const { messages, faults, history } = sim.log();
    expect(messages.map((m) => m.message.n)).toEqual([1]); // the note for k2 never left
    expect(faults.find((f) => f.fault.type === "crash")?.lostWrites).toBe(1);
    expect(history.map((h) => h.type)).toEqual(["invoke", "ok", "invoke", "info"]);
  });

  it("a restart builds a fresh node and steps a restart event carrying the durable map", () => {
    const contexts: { id: string; incarnation: number; keys: string[] }[] = [];
    const sim = makeSim(
      (id, _rng, ctx) => {
        contexts.push({ id, incarnation: ctx.incarnation, keys: [...ctx.durable.keys()] });
        return new RegisterNode(id, ["n1", "n2", "n3"], ctx.durable);
      },
      {
        faults: [
          { atMs: 50, fault: { type: "crash", node: "n2" } },
          { atMs: 60, fault: { type: "crash", node: "n2" } },
          { atMs: 70, fault: { type: "restart", node: "n2" } },
          { atMs: 80, fault: { type: "restart", node: "n2" } },
        ],
      },
    );
    sim.invoke("c", { op: "write", value: 42 } as RegCmd, "n1");
    sim.run();
    expect(contexts).toEqual([
      { id: "n1", incarnation: 0, keys: [] },
      { id: "n2", incarnation: 0, keys: [] },
      { id: "n3", incarnation: 0, keys: [] },
      { id: "n2", incarnation: 1, keys: ["value"] },
    ]);
    const restartStep = sim.log().steps.find((s) => s.event.type === "restart");
    expect(restartStep).toMatchObject({ node: "n2", incarnation: 1, atMs: 70, event: { type: "restart", durable: { value: 42 } } });
    expect(sim.log().faults.map((f) => f.effect)).toEqual(["applied", "no-op", "applied", "no-op"]);
    expect(sim.status("n2")).toBe("up");
  });

  it("with keep-prefix, a crash mid-fsync keeps an in-order prefix of the pending writes", () => {
    const kept = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const sim = makeSim(
        (id) => ({
          id,
          step: () => {},
          hasReady: () => id === "n1" && !done,
          ready: () => {
            done = true;
            return { persist: [1, 2, 3, 4].map((i) => ({ key: `w${i}`, value: i })), send: [], timers: [], replies: [], applied: [] };
          },
        }),
        { seed, nodes: ["n1"], storage: { fsyncMs: 10, crashDuringFsync: "keep-prefix" }, faults: [{ atMs: 5, fault: { type: "crash", node: "n1" } }] },
      );
      let done = false;
      sim.run();
      const keys = [...sim.durable("n1").keys()];
      expect(keys).toEqual(["w1", "w2", "w3", "w4"].slice(0, keys.length));
      kept.add(keys.length);
    }
    expect(kept.size).toBeGreaterThan(2); // different seeds keep different prefixes
  });
});

describe("pause during fsync", () => {
  it("the fsync completes while paused, but its messages wait for resume; a crash then loses nothing", () => {
    const sim = makeSim((id) => new PersistNotifyNode(id, peerOf(id)), {
      nodes: ["n1", "n2"],
      storage: { fsyncMs: 10 },
      clients: { latency: { type: "constant", ms: 1 } },
      faults: [
        { atMs: 5, fault: { type: "pause", node: "n1" } },
        { atMs: 30, fault: { type: "resume", node: "n1" } },
      ],
    });
    sim.invoke("a", { n: 1 }, "n1"); // stepped at 1, durable at 11, paused until 30
    sim.runUntil(20);
    expect(sim.durable("n1").get("k1")).toBe(1);
    expect(sim.status("n1")).toBe("paused");
    expect(sim.log().messages).toEqual([]);
    sim.run();
    expect(sim.log().messages.map((m) => m.sentAtMs)).toEqual([30]);
  });
});

describe("host loop edge cases", () => {
  it("keeps taking readies while the node has one, before stepping anything new", () => {
    // A node that hands out its output one message per ready() call.
    const queued: number[] = [];
    const sim = makeSim(
      (id) => ({
        id,
        step: (e) => {
          if (e.type === "request") queued.push(1, 2, 3);
        },
        hasReady: () => id === "n1" && queued.length > 0,
        ready: () => ({ persist: [], send: [{ to: "n2", message: queued.shift() as number }], timers: [], replies: [], applied: [] }),
      }),
      { nodes: ["n1", "n2"] },
    );
    sim.invoke("c", null, "n1");
    sim.run();
    const n1 = sim.log().steps.filter((s) => s.node === "n1");
    expect(n1.map((s) => s.event.type)).toEqual(["request", "ready", "ready"]);
    expect(sim.log().messages.map((m) => [m.message, m.sentAtMs])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  });

  it("a crash injected from a step hook happens before the host persists or sends anything", () => {
    const sim = makeSim((id) => new PersistNotifyNode(id, peerOf(id)), {
      nodes: ["n1", "n2"],
      observer: {
        afterStep: (record) => {
          if (record.node === "n1" && record.event.type === "request") sim.applyFault({ type: "crash", node: "n1" });
        },
      },
    });
    sim.invoke("a", { n: 1 }, "n1");
    sim.run();
    expect([...sim.durable("n1").keys()]).toEqual([]);
    expect(sim.log().messages).toEqual([]);
    expect(sim.history().map((h) => h.type)).toEqual(["invoke", "info"]);
  });
});

describe("durable values", () => {
  const writer = (value: unknown) => (id: string) => {
    let done = false;
    return {
      id,
      step: () => {},
      hasReady: () => id === "n1" && !done,
      ready: () => {
        done = true;
        return { persist: [{ key: "k", value: value as import("@synod/protocol").Json }], send: [], timers: [], replies: [], applied: [] };
      },
    };
  };

  it("stores a copy, as a disk would: mutating the node's object later does not reach storage", () => {
    const value = { term: 1 };
    const sim = makeSim(writer(value), { nodes: ["n1"] });
    sim.run();
    value.term = 99;
    expect(sim.durable("n1").get("k")).toEqual({ term: 1 });
  });

  it("reports a value JSON cannot store", () => {
    const sim = makeSim(writer(undefined), { nodes: ["n1"] });
    expect(() => sim.run()).toThrow('node n1 persisted key "k" with a value JSON cannot store (undefined)');
  });
});

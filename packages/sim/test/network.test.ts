import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/protocol";
import { BeaconNode, PingNode, type PingMsg } from "./toys.js";
import { makeSim } from "./helpers.js";
import type { LatencyDistribution } from "../src/index.js";

const pinger = (count: number) => (id: NodeId) => new PingNode(id, id === "n1" ? { to: "n2", count } : {});

describe("network", () => {
  it("delivers every message after exactly the configured constant latency", () => {
    const sim = makeSim(pinger(5), { network: { latency: { type: "constant", ms: 7 } } });
    expect(sim.run().reason).toBe("idle");
    const { messages, stats } = sim.log();
    expect(messages).toHaveLength(10); // 5 pings, 5 pongs
    for (const m of messages) {
      expect(m.status).toBe("delivered");
      expect((m.deliveredAtMs as number) - m.sentAtMs).toBe(7);
    }
    expect(messages.filter((m) => m.message.type === "pong").every((m) => m.from === "n2" && m.to === "n1")).toBe(true);
    expect(stats.messagesDelivered).toBe(10);
    expect((sim.node("n1") as PingNode).pongs).toBe(5);
  });

  it("keeps latencies inside a uniform distribution's bounds, and reorders with jitter", () => {
    const sim = makeSim(pinger(200), { network: { latency: { type: "uniform", minMs: 1, maxMs: 20 } } });
    sim.run();
    const pings = sim.log().messages.filter((m) => m.message.type === "ping");
    const latencies = pings.map((m) => (m.deliveredAtMs as number) - m.sentAtMs);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(20);
    // Sent together in one ready, so arrival order differs from send order: reordering.
    const arrival = [...pings].sort((a, b) => (a.deliveredAtMs as number) - (b.deliveredAtMs as number) || a.id - b.id);
    expect(arrival.map((m) => m.message.n)).not.toEqual(pings.map((m) => m.message.n));
  });

  it("never reorders a link with fifo: true", () => {
    const sim = makeSim(pinger(200), { network: { latency: { type: "uniform", minMs: 1, maxMs: 20 }, fifo: true } });
    sim.run();
    const received = (sim.node("n2") as PingNode).seen.flatMap((e) => (e.type === "message" ? [e.message.n] : []));
    expect(received).toEqual([...Array(200).keys()]);
  });

  it("loses every message with loss probability 1 and about p of them otherwise", () => {
    const all = makeSim(pinger(50), { network: { latency: { type: "constant", ms: 1 }, lossProbability: 1 } });
    all.run();
    expect(all.log().messages.every((m) => m.status === "dropped" && m.dropReason === "loss")).toBe(true);
    expect(all.statistics().messagesDropped.loss).toBe(50);

    const some = makeSim(pinger(2000), { network: { latency: { type: "constant", ms: 1 }, lossProbability: 0.25 } });
    some.run();
    const pings = some.log().messages.filter((m) => m.message.type === "ping");
    const lost = pings.filter((m) => m.status === "dropped").length / pings.length;
    expect(lost).toBeGreaterThan(0.2);
    expect(lost).toBeLessThan(0.3);
  });

  it("delivers duplicates as separate records pointing at the original", () => {
    const sim = makeSim(pinger(10), { network: { latency: { type: "uniform", minMs: 1, maxMs: 5 }, duplicateProbability: 1 } });
    sim.run();
    const { messages, stats } = sim.log();
    const pings = messages.filter((m) => m.message.type === "ping");
    expect(pings).toHaveLength(20);
    const copies = pings.filter((m) => m.duplicateOf !== undefined);
    expect(copies).toHaveLength(10);
    for (const c of copies) expect((messages[c.duplicateOf as number] as (typeof messages)[number]).message).toEqual(c.message);
    // n2 steps every copy and answers each one.
    expect((sim.node("n2") as PingNode).seen.filter((e) => e.type === "message")).toHaveLength(20);
    expect(stats.messagesDuplicated).toBeGreaterThanOrEqual(20); // pongs are duplicated too
  });

  it("applies per-link overrides, later entries winning", () => {
    const sim = makeSim(pinger(20), {
      network: {
        latency: { type: "constant", ms: 1 },
        links: [
          { from: "*", to: "n1", latency: { type: "constant", ms: 3 } },
          { from: "n2", to: "n1", latency: { type: "constant", ms: 9 } },
          { from: "n1", to: "*", lossProbability: 1 },
          { from: "n1", to: "n2", lossProbability: 0 },
        ],
      },
    });
    sim.run();
    for (const m of sim.log().messages) {
      expect(m.status).toBe("delivered");
      expect((m.deliveredAtMs as number) - m.sentAtMs).toBe(m.to === "n1" ? 9 : 1);
    }
  });

  it("drops messages across a partition, at send and in flight, and delivers again after heal", () => {
    const sim = makeSim((id) => new BeaconNode(id, ["n1", "n2", "n3"], 7), {
      network: { latency: { type: "constant", ms: 10 } },
      faults: [
        { atMs: 105, fault: { type: "partition", groups: [["n3"]] } },
        { atMs: 300, fault: { type: "heal" } },
      ],
      budget: { maxTimeMs: 400, maxEvents: 100_000 },
    });
    sim.run();
    const { messages } = sim.log();
    const crossing = (m: (typeof messages)[number]): boolean => (m.from === "n3") !== (m.to === "n3");
    const during = messages.filter((m) => m.sentAtMs >= 105 && m.sentAtMs < 300);
    expect(during.filter(crossing).length).toBeGreaterThan(0);
    expect(during.filter(crossing).every((m) => m.status === "dropped" && m.dropReason === "partition")).toBe(true);
    expect(during.filter((m) => !crossing(m)).every((m) => m.status === "delivered")).toBe(true);
    // Messages in flight when the partition struck were dropped on arrival.
    const inFlight = messages.filter((m) => m.sentAtMs < 105 && (m.deliveredAtMs ?? m.sentAtMs + 10) > 105 && crossing(m));
    expect(inFlight.every((m) => m.status === "dropped")).toBe(true);
    const after = messages.filter((m) => m.sentAtMs >= 300 && m.sentAtMs < 390);
    expect(after.filter(crossing).length).toBeGreaterThan(0);
    expect(after.every((m) => m.status === "delivered")).toBe(true);
  });

  it("cuts one direction only", () => {
    const sim = makeSim((id: NodeId) => new PingNode(id, id === "n1" ? { to: "n2", count: 3 } : {}), {
      faults: [{ atMs: 0, fault: { type: "cut", from: ["n2"], to: ["n1"] } }],
    });
    sim.run();
    const { messages } = sim.log();
    const byType = (t: PingMsg["type"]) => messages.filter((m) => m.message.type === t);
    expect(byType("ping").every((m) => m.status === "delivered")).toBe(true);
    expect(byType("pong").every((m) => m.status === "dropped" && m.dropReason === "partition")).toBe(true);
  });

  it("can pass messages through JSON so sender and receiver never share objects", () => {
    const sim = makeSim(pinger(1), { network: { latency: { type: "constant", ms: 1 }, serializeMessages: true } });
    sim.run();
    const sent = sim.log().messages[0]?.message;
    const received = (sim.node("n2") as PingNode).seen[0];
    expect(received?.type === "message" && received.message).toEqual(sent);
  });
});

describe("network faults at run time", () => {
  it("loss, duplicate and latency faults change the network, and null restores the configured value", () => {
    const sim = makeSim((id) => new BeaconNode(id, ["n1", "n2"], 10), {
      nodes: ["n1", "n2"],
      network: { latency: { type: "constant", ms: 1 } },
      faults: [
        { atMs: 15, fault: { type: "loss", probability: 1 } },
        { atMs: 25, fault: { type: "loss", probability: null } },
        { atMs: 35, fault: { type: "duplicate", probability: 1 } },
        { atMs: 45, fault: { type: "duplicate", probability: null } },
        { atMs: 55, fault: { type: "latency", latency: { type: "constant", ms: 4 } } },
        { atMs: 65, fault: { type: "latency", latency: null } },
      ],
      budget: { maxTimeMs: 75, maxEvents: 10_000 },
    });
    sim.run();
    const at = (t: number) => sim.log().messages.filter((m) => m.sentAtMs === t);
    expect(at(20).every((m) => m.status === "dropped" && m.dropReason === "loss")).toBe(true);
    expect(at(30).every((m) => m.status === "delivered" && m.duplicateOf === undefined)).toBe(true);
    expect(at(40)).toHaveLength(4); // two beacons, each duplicated
    expect(at(50)).toHaveLength(2);
    expect(at(60).map((m) => (m.deliveredAtMs as number) - m.sentAtMs)).toEqual([4, 4]);
    expect(at(70).map((m) => (m.deliveredAtMs as number) - m.sentAtMs)).toEqual([1, 1]);
  });

  it("a paused node's inbox is bounded: beyond maxInboxEvents messages are dropped", () => {
    const sim = makeSim((id: NodeId) => new PingNode(id, id === "n1" ? { to: "n2", count: 5 } : {}), {
      nodes: ["n1", "n2"],
      maxInboxEvents: 2,
      faults: [
        { atMs: 0, fault: { type: "pause", node: "n2" } },
        { atMs: 10, fault: { type: "resume", node: "n2" } },
      ],
    });
    sim.run();
    const pings = sim.log().messages.filter((m) => m.message.type === "ping");
    expect(pings.map((m) => m.status)).toEqual(["delivered", "delivered", "dropped", "dropped", "dropped"]);
    expect(pings[2]?.dropReason).toBe("inbox-full");
    expect((sim.node("n1") as PingNode).pongs).toBe(2);
  });

  it("client links lose requests and replies with clients.lossProbability", () => {
    const sim = makeSim((id: NodeId) => new PingNode(id), {
      nodes: ["n1"],
      clients: { lossProbability: 1, timeoutMs: 10 },
    });
    sim.invoke("c", null as never, "n1");
    sim.run();
    expect(sim.log().steps.filter((s) => s.event.type === "request")).toEqual([]);
    expect(sim.history().map((h) => h.type)).toEqual(["invoke", "info"]);
  });
});

describe("in-flight messages", () => {
  it("lists what is on the wire (in due order) and what waits in inboxes, matching the message log", () => {
    const sim = makeSim((id: NodeId) => new PingNode(id, id === "n1" ? { to: "n2", count: 6 } : {}), {
      nodes: ["n1", "n2"],
      network: { latency: { type: "uniform", minMs: 1, maxMs: 20 } },
      faults: [{ atMs: 0, fault: { type: "pause", node: "n2" } }],
    });
    sim.runUntil(10);
    const inFlight = sim.inFlight();
    expect(inFlight).toHaveLength(6);
    const { messages } = sim.log();
    for (const f of inFlight) {
      const record = messages[f.messageId];
      expect(record?.message).toEqual(f.message);
      expect(record?.status).toBe(f.where === "network" ? "in-flight" : "delivered");
      if (f.where === "network") expect(f.dueAtMs as number).toBeGreaterThan(10);
    }
    const due = inFlight.filter((f) => f.where === "network").map((f) => f.dueAtMs as number);
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(inFlight.some((f) => f.where === "inbox")).toBe(true);
    sim.applyFault({ type: "resume", node: "n2" });
    sim.run();
    expect(sim.inFlight()).toEqual([]);
  });
});

describe("heavy-tailed latencies and latency by message type", () => {
  const latencies = (latency: LatencyDistribution, count: number): number[] => {
    const sim = makeSim(pinger(count), { network: { latency } });
    sim.run();
    return sim.log().messages.filter((m) => m.message.type === "ping").map((m) => (m.deliveredAtMs as number) - m.sentAtMs);
  };

  it("draws Pareto latencies at or above the scale with the tail P(X > x) = (xm / x)^alpha", () => {
    const xs = latencies({ type: "pareto", xmMs: 2, alpha: 1.5 }, 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(2);
    // P(X > 4) = (2/4)^1.5 = 0.354; P(X > 8) = 0.125 (4σ of 20,000 draws is about 0.014).
    const above = (x: number): number => xs.filter((v) => v > x).length / xs.length;
    expect(above(4)).toBeCloseTo(0.354, 1);
    expect(Math.abs(above(8) - 0.125)).toBeLessThan(0.014);
    expect(Math.max(...latencies({ type: "pareto", xmMs: 2, alpha: 0.5, maxMs: 50 }, 2000))).toBeLessThanOrEqual(50);
  });

  it("draws a mixture's parts in proportion to their weights", () => {
    const xs = latencies({ type: "mixture", parts: [{ weight: 0.2, latency: { type: "constant", ms: 100 } }, { weight: 0.8, latency: { type: "constant", ms: 1 } }] }, 10_000);
    expect(new Set(xs)).toEqual(new Set([1, 100]));
    // 4σ of 10,000 draws at p = 0.2 is 0.016.
    expect(Math.abs(xs.filter((v) => v === 100).length / xs.length - 0.2)).toBeLessThan(0.016);
  });

  it("gives messages of a named type their own latency, whatever the link says", () => {
    const sim = makeSim(pinger(20), {
      network: { latency: { type: "constant", ms: 1 }, links: [{ from: "n1", to: "n2", latency: { type: "constant", ms: 3 } }], byMessageType: { pong: { type: "constant", ms: 9 } } },
    });
    sim.run();
    for (const m of sim.log().messages) {
      expect((m.deliveredAtMs as number) - m.sentAtMs).toBe(m.message.type === "pong" ? 9 : 3);
    }
  });
});

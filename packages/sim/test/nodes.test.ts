import { describe, expect, it } from "vitest";
import type { NodeId } from "@synod/protocol";
import { BeaconNode, ClockNode, PingNode, PotatoNode } from "./toys.js";
import { makeSim } from "./helpers.js";

describe("node lifecycle, clocks and budgets", () => {
  it("pause queues a node's events; resume steps them late, in arrival order", () => {
    const sim = makeSim((id) => new BeaconNode(id, ["n1", "n2"], 10), {
      nodes: ["n1", "n2"],
      faults: [
        { atMs: 25, fault: { type: "pause", node: "n2" } },
        { atMs: 60, fault: { type: "resume", node: "n2" } },
      ],
      budget: { maxTimeMs: 80, maxEvents: 10_000 },
    });
    sim.runUntil(40);
    expect(sim.status("n2")).toBe("paused");
    sim.run();
    const n2 = sim.log().steps.filter((s) => s.node === "n2");
    // Nothing stepped on n2 while paused.
    expect(n2.filter((s) => s.atMs > 25 && s.atMs < 60)).toEqual([]);
    // At resume: beacons from n1 (sent 30, 40, 50) and n2's own timer, stepped at 60 in arrival order.
    const atResume = n2.filter((s) => s.atMs === 60);
    expect(atResume.map((s) => s.event.type)).toEqual(["timer", "message", "message", "message"]);
    expect(atResume.flatMap((s) => (s.event.type === "message" ? [s.event.message.n] : []))).toEqual([2, 3, 4]);
    // n1 kept beaconing and n2's beacons resumed after the pause.
    expect(sim.log().messages.filter((m) => m.from === "n2" && m.sentAtMs >= 60).length).toBeGreaterThan(0);
  });

  it("crash drops volatile state, timers and queued events; messages to a down node are dropped", () => {
    const sim = makeSim((id) => new BeaconNode(id, ["n1", "n2"], 10), {
      nodes: ["n1", "n2"],
      faults: [
        { atMs: 15, fault: { type: "pause", node: "n2" } },
        { atMs: 35, fault: { type: "crash", node: "n2" } },
        { atMs: 70, fault: { type: "restart", node: "n2" } },
      ],
      budget: { maxTimeMs: 100, maxEvents: 10_000 },
    });
    sim.run();
    const { messages, steps } = sim.log();
    const toN2 = messages.filter((m) => m.to === "n2");
    // Queued while paused, then lost in the crash; and dropped on arrival while down.
    expect(toN2.filter((m) => m.sentAtMs > 15 && m.sentAtMs < 70).every((m) => m.status === "dropped" && m.dropReason === "node-down")).toBe(true);
    // No step of n2 between the pause and the restart; timers of the old life never fire.
    expect(steps.filter((s) => s.node === "n2" && s.atMs > 15 && s.atMs < 70)).toEqual([]);
    const restart = steps.find((s) => s.node === "n2" && s.event.type === "restart");
    expect(restart?.atMs).toBe(70);
    expect(steps.filter((s) => s.node === "n2" && s.event.type === "timer" && s.atMs > 70).map((s) => s.atMs)).toEqual([80, 90, 100]);
  });

  it("clock skew and drift are visible in nowMs and stretch timers", () => {
    const sim = makeSim((id) => new ClockNode(id, 100), {
      nodes: ["n1", "n2"],
      clocks: { n2: { offsetMs: 1000, drift: 0.25 } },
      budget: { maxTimeMs: 400, maxEvents: 10_000 },
    });
    sim.run();
    const n1 = sim.node("n1") as ClockNode;
    const n2 = sim.node("n2") as ClockNode;
    expect(n1.times.map((t) => t.nowMs)).toEqual([100, 200, 300, 400]);
    // n2's clock runs 25% fast: 100 local ms pass in 80 virtual ms, and it reads 1.25 * t + 1000.
    const n2Steps = sim.log().steps.filter((s) => s.node === "n2" && s.event.type === "timer");
    expect(n2Steps.map((s) => s.atMs)).toEqual([80, 160, 240, 320, 400]);
    expect(n2.times.map((t) => t.nowMs)).toEqual([1100, 1200, 1300, 1400, 1500]);
    expect(sim.clockMs("n2")).toBe(1500);
  });

  it("a clock fault jumps a node's clock mid-run", () => {
    const sim = makeSim((id) => new ClockNode(id, 100), {
      nodes: ["n1"],
      faults: [{ atMs: 150, fault: { type: "clock", node: "n1", offsetMs: -500 } }],
      budget: { maxTimeMs: 300, maxEvents: 10_000 },
    });
    sim.run();
    expect((sim.node("n1") as ClockNode).times.map((t) => t.nowMs)).toEqual([100, -300, -200]);
  });

  it("a drift alone changes the clock's rate mid-run without a jump (a lease's drift bound must hold)", () => {
    const sim = makeSim((id) => new ClockNode(id, 100), {
      nodes: ["n1"],
      faults: [{ atMs: 150, fault: { type: "clock", node: "n1", drift: 0.25 } }],
      budget: { maxTimeMs: 400, maxEvents: 10_000 },
    });
    sim.run();
    // Continuous at 150 ms (reads 150), then 25% fast: the timer armed before fires at 200 virtual
    // ms reading 212.5; the next ones, armed for 100 local ms, every 80 virtual ms.
    expect((sim.node("n1") as ClockNode).times.map((t) => t.nowMs)).toEqual([100, 212.5, 312.5, 412.5]);
    expect(sim.clockMs("n1")).toBe(150 + 1.25 * (sim.nowMs - 150));
  });

  it("stops at the event budget and at the time budget, and can continue", () => {
    const potato = (id: NodeId, rng: import("@synod/protocol").Rng) => new PotatoNode(id, ["n1", "n2", "n3"], rng, id === "n1" ? 3 : 0);
    const byEvents = makeSim(potato, { budget: { maxTimeMs: 1e9, maxEvents: 500 } });
    expect(byEvents.run()).toMatchObject({ reason: "event-budget", events: 500 });
    const byTime = makeSim(potato, { budget: { maxTimeMs: 250, maxEvents: 1e9 } });
    const r = byTime.run();
    expect(r.reason).toBe("time-budget");
    expect(r.nowMs).toBeLessThanOrEqual(250);
    expect(byTime.log().steps.every((s) => s.atMs <= 250)).toBe(true);
    // runUntil in phases gives the same run as one run().
    const phased = makeSim(potato, { budget: { maxTimeMs: 250, maxEvents: 1e9 } });
    phased.runUntil(100);
    expect(phased.nowMs).toBe(100);
    phased.run();
    expect(JSON.stringify(phased.log())).toBe(JSON.stringify(byTime.log()));
  });

  it("stop() from a hook ends the run after the current event", () => {
    const sim = makeSim((id) => new PingNode(id, id === "n1" ? { to: "n2", count: 10 } : {}), {
      observer: { afterStep: (rec) => rec.index === 5 && sim.stop() },
    });
    expect(sim.run().reason).toBe("stopped");
    expect(sim.log().steps).toHaveLength(6);
    expect(sim.run().reason).toBe("idle");
  });

  it("refuses a nested run from a callback", () => {
    const sim = makeSim((id: NodeId) => new PingNode(id));
    sim.at(5, () => sim.run());
    expect(() => sim.run()).toThrow("run()/runUntil() called from inside a run");
    // The failed run left the simulation usable.
    sim.at(10, () => {});
    expect(sim.run().reason).toBe("idle");
  });

  it("reports a node that breaks the contract with its name, time and step", () => {
    let sent = false;
    const sim = makeSim((id) => ({
      id,
      step: () => {
        throw new Error("boom");
      },
      hasReady: () => id === "n1" && !sent,
      ready: () => {
        sent = true;
        return { persist: [], send: [{ to: "n2", message: 1 }], timers: [], replies: [], applied: [] };
      },
    }));
    expect(() => sim.run()).toThrow(/node n2 threw from step #1 \(message event\) at 1 ms: boom/);
    const bad = makeSim((id) => ({
      id,
      step: () => {},
      hasReady: () => true,
      ready: () => ({ persist: [], send: [{ to: "nowhere", message: 1 }], timers: [], replies: [], applied: [] }),
    }));
    expect(() => bad.run()).toThrow(/node n1 sent to unknown node "nowhere" in the ready of step #0 at 0 ms/);
    const endless = makeSim((id) => ({
      id,
      step: () => {},
      hasReady: () => true,
      ready: () => ({ persist: [], send: [], timers: [], replies: [], applied: [] }),
    }));
    expect(() => endless.run()).toThrow(/node n1 still has a ready after 10000 ready\(\) calls without a new event at 0 ms: ready\(\) must drain/);
  });
});

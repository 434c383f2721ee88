import { describe, expect, it } from "vitest";
import { Simulation, type SimulationOptions, generateNemesis, parseSimulationConfig } from "../src/index.js";
import { simOptions } from "./helpers.js";
import { PingNode } from "./toys.js";

type Opts = SimulationOptions<unknown, unknown, unknown>;
const base = simOptions((id) => new PingNode(id)) as unknown as Opts;

describe("option validation", () => {
  it.each<[string, Partial<Opts> | Record<string, unknown>, string]>([
    ["seed", { seed: 1.5 }, "seed: expected a safe integer seed, got 1.5"],
    ["duplicate node", { nodes: ["a", "b", "a"] }, 'nodes[2]: duplicate node id "a"'],
    ["latency type", { network: { latency: { type: "gamma" } } }, 'network.latency.type: expected "constant", "uniform", "normal", "exponential", "pareto" or "mixture", got "gamma"'],
    ["negative latency", { network: { latency: { type: "constant", ms: -1 } } }, "network.latency.ms: expected a finite number >= 0, got -1"],
    ["loss", { network: { latency: { type: "constant", ms: 1 }, lossProbability: 1.5 } }, "network.lossProbability: expected a probability in [0, 1], got 1.5"],
    ["link node", { network: { latency: { type: "constant", ms: 1 }, links: [{ from: "n1", to: "n7" }] } }, 'network.links[0].to: unknown node "n7"'],
    ["clock node", { clocks: { n9: { offsetMs: 1 } } }, 'clocks.n9: unknown node "n9"'],
    ["drift", { clocks: { n1: { drift: 0.9 } } }, "clocks.n1.drift: expected a drift in (-0.5, 0.5), got 0.9"],
    ["fsync", { storage: { fsyncMs: -3 } }, "storage.fsyncMs: expected a finite number >= 0, got -3"],
    ["retry", { clients: { retry: { attemptTimeoutMs: 0, backoffMs: 1, followLeaderHint: true } } }, "clients.retry.attemptTimeoutMs: expected a finite number > 0, got 0"],
    ["faults", { faults: [{ atMs: 5, fault: { type: "pause", node: "zz" } }] }, 'faults[0].fault.node: unknown node "zz"'],
    ["budget", { budget: { maxTimeMs: 10, maxEvents: -1 } }, "budget.maxEvents: expected a non-negative integer, got -1"],
    ["pareto scale", { network: { latency: { type: "pareto", xmMs: 0, alpha: 2 } } }, "network.latency.xmMs: must be > 0 (the distribution's minimum)"],
    ["pareto shape", { network: { latency: { type: "pareto", xmMs: 1, alpha: -1 } } }, "network.latency.alpha: expected a finite number >= 0, got -1"],
    ["pareto cap", { network: { latency: { type: "pareto", xmMs: 2, alpha: 1, maxMs: 1 } } }, "network.latency.maxMs: must be >= xmMs (2), got 1"],
    ["mixture weights", { network: { latency: { type: "mixture", parts: [{ weight: 0.5, latency: { type: "constant", ms: 1 } }, { weight: 0.4, latency: { type: "constant", ms: 2 } }] } } }, "network.latency.parts: weights must sum to 1, got 0.9"],
    ["mixture part", { network: { latency: { type: "mixture", parts: [{ weight: 1, latency: { type: "pareto", xmMs: 1 } }] } } }, "network.latency.parts[0].latency.alpha: expected a finite number >= 0, got undefined"],
    ["empty mixture", { network: { latency: { type: "mixture", parts: [] } } }, "network.latency.parts: expected a non-empty array of { weight, latency }"],
    ["latency by type", { network: { latency: { type: "constant", ms: 1 }, byMessageType: { ping: { type: "uniform", minMs: 3, maxMs: 1 } } } }, "network.byMessageType.ping.maxMs: must be >= minMs (3), got 1"],
  ])("rejects a bad %s with its path", (_name, override, message) => {
    expect(() => new Simulation({ ...base, ...(override as Partial<Opts>) })).toThrow(message);
  });

  it("rejects invoke on an unknown node", () => {
    const sim = new Simulation(base);
    expect(() => sim.invoke("c", null, "n42")).toThrow('invoke.target: unknown node "n42"');
  });
});

describe("replay configs", () => {
  const config = {
    seed: 9,
    nodes: ["n1", "n2", "n3"],
    network: { latency: { type: "uniform", minMs: 1, maxMs: 5 }, lossProbability: 0.1 },
    storage: { fsyncMs: 2, crashDuringFsync: "keep-prefix" },
    faults: generateNemesis({ seed: 9, nodes: ["n1", "n2", "n3"], endMs: 500 }),
    budget: { maxTimeMs: 1000, maxEvents: 10_000 },
  };

  it("round-trips through JSON and runs the same run", () => {
    const parsed = parseSimulationConfig(JSON.stringify(config));
    expect(parsed).toEqual(config);
    const run = (c: typeof parsed) => {
      const sim = new Simulation({ ...c, createNode: (id: string) => new PingNode(id, id === "n1" ? { to: "n2", count: 20 } : {}) });
      sim.run();
      return JSON.stringify(sim.log());
    };
    expect(run(parsed)).toBe(run(config as typeof parsed));
  });

  it.each<[string, string]>([
    ['{"seed": 1, "nodes": ["a"], "network": {"latency": {"type": "constant", "ms": 1}}, "budget": {"maxTimeMs": 1, "maxEvents": 1}, "netwrok": {}}', "replay.json:config.netwrok: unknown field"],
    ['{"seed": 1, "nodes": ["a"], "network": {"latency": {"type": "constant", "ms": 1}, "links": [{"from": "a", "to": "b"}]}, "budget": {"maxTimeMs": 1, "maxEvents": 1}}', 'replay.json:config.network.links[0].to: unknown node "b"'],
    ['{"seed": 1, "nodes": ["a"], "network": {"latency": {"type": "constant", "ms": 1}}, "budget": {"maxTimeMs": 1, "maxEvents": 1}, "clocks": {"a": 5}}', "replay.json:config.clocks.a: expected an object, got 5"],
    ['{"seed": 1, "nodes": ["a"], "network": {"latency": {"type": "constant", "ms": 1}}, "budget": {"maxTimeMs": 1}}', "replay.json:config.budget.maxEvents: expected a non-negative integer, got undefined"],
    ['{"seed": 1, "nodes": ["a"], "network": {"latency": {"type": "constant", "ms": 1}}, "budget": {"maxTimeMs": 1, "maxEvents": 1}, "faults": [{"atMs": 1, "fault": {"type": "crash", "node": "z"}}]}', 'replay.json:config.faults[0].fault.node: unknown node "z"'],
    ["[1, 2]", "replay.json:config: expected an object, got [1,2]"],
    ["{oops", "replay.json:config: not valid JSON"],
  ])("rejects %s", (text, message) => {
    expect(() => parseSimulationConfig(text, "replay.json:config")).toThrow(message);
  });
});

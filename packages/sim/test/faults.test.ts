import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAULT_TYPES, NEMESIS_KINDS, type NemesisKind, SimulationConfigError, generateNemesis, parseFaultSchedule } from "../src/index.js";
import { testSeed } from "./helpers.js";

const nodes = ["n1", "n2", "n3", "n4", "n5"];

describe("fault schedules", () => {
  it("round-trips a schedule through JSON", () => {
    const schedule = generateNemesis({ seed: 3, nodes, endMs: 5000 });
    expect(parseFaultSchedule(JSON.stringify(schedule), { nodes })).toEqual(schedule);
  });

  it.each([
    ["[{\"atMs\": 1}]", "faults[0].fault: expected a fault object, got undefined"],
    ["[{\"atMs\": -1, \"fault\": {\"type\": \"heal\"}}]", "faults[0].atMs: expected a finite time in ms >= 0, got -1"],
    ["[{\"atMs\": 1, \"fault\": {\"type\": \"heal\"}}, {\"atMs\": 2, \"fault\": {\"type\": \"crash\", \"node\": \"n9\"}}]", 'faults[1].fault.node: unknown node "n9"'],
    ["[{\"atMs\": 1, \"fault\": {\"type\": \"explode\"}}]", 'faults[0].fault.type: unknown fault type "explode"'],
    ["[{\"atMs\": 1, \"fault\": {\"type\": \"loss\", \"probability\": 2}}]", "faults[0].fault.probability: expected a probability in [0, 1], got 2"],
    ["[{\"atMs\": 1, \"fault\": {\"type\": \"partition\", \"groups\": [[\"n1\"], [\"n1\"]]}}]", 'faults[0].fault.groups[1][0]: node "n1" is in two groups'],
    ["[{\"atMs\": 1, \"fault\": {\"type\": \"clock\", \"node\": \"n1\", \"drift\": 3}}]", "faults[0].fault.drift: expected a drift in (-0.5, 0.5), got 3"],
    ["[{\"atMs\": 1, \"fault\": {\"type\": \"latency\", \"latency\": {\"type\": \"uniform\", \"minMs\": 5, \"maxMs\": 1}}}]", "faults[0].fault.latency.maxMs: must be >= minMs (5), got 1"],
    ["{", "faults: not valid JSON"],
  ])("rejects %s with a message naming the entry", (text, message) => {
    expect(() => parseFaultSchedule(text, { nodes })).toThrow(SimulationConfigError);
    expect(() => parseFaultSchedule(text, { nodes })).toThrow(message);
  });

  it("the nemesis is deterministic, valid, bounded and heals at the end", () => {
    const seed = testSeed("nemesis", 99);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.subarray([...NEMESIS_KINDS], { minLength: 1 }),
        (s, kinds: NemesisKind[]) => {
          const opts = { seed: s, nodes, endMs: 3000, intervalMs: { minMs: 40, maxMs: 120 }, kinds };
          const schedule = generateNemesis(opts);
          expect(generateNemesis(opts)).toEqual(schedule);
          parseFaultSchedule(schedule, { nodes });
          // Never more than a minority down (crashed + paused), and everything back up at the end.
          const down = new Set<string>();
          let last = 0;
          for (const { atMs, fault } of schedule) {
            expect(atMs).toBeGreaterThanOrEqual(last);
            last = atMs;
            if (fault.type === "crash" || fault.type === "pause") down.add(fault.node);
            if (fault.type === "restart" || fault.type === "resume") down.delete(fault.node);
            expect(down.size).toBeLessThanOrEqual(2);
            expect(FAULT_TYPES).toContain(fault.type);
          }
          expect(down.size).toBe(0);
          expect(schedule.at(-1)?.atMs).toBe(3000);
          expect(schedule.some((f) => f.fault.type === "heal" && f.atMs === 3000)).toBe(true);
        },
      ),
      { seed, numRuns: 60 },
    );
  }, 60_000);

  it("the bridge nemesis splits the others in two halves that only the bridge node connects", () => {
    const schedule = generateNemesis({ seed: 4, nodes, endMs: 2000, kinds: ["bridge"], intervalMs: { minMs: 100, maxMs: 100 } });
    const at = schedule.find((f) => f.fault.type === "cut")?.atMs;
    const cuts = schedule.filter((f) => f.atMs === at && f.fault.type === "cut").map((f) => f.fault as { from: string[]; to: string[] });
    expect(cuts).toHaveLength(2);
    const [a, b] = cuts as [{ from: string[]; to: string[] }, { from: string[]; to: string[] }];
    expect(a.from).toEqual(b.to);
    expect(a.to).toEqual(b.from);
    const bridged = nodes.filter((n) => !a.from.includes(n) && !a.to.includes(n));
    expect(bridged).toHaveLength(1);
    expect(a.from.length + a.to.length).toBe(nodes.length - 1);
  });

  it("rejects nemesis options that would not terminate or make no sense", () => {
    expect(() => generateNemesis({ seed: 1, nodes, endMs: Infinity })).toThrow("nemesis.endMs: expected a finite time in ms >= 0, got null");
    expect(() => generateNemesis({ seed: 1, nodes, endMs: 100, intervalMs: { minMs: 0, maxMs: 5 } })).toThrow("nemesis.intervalMs: expected 1 <= minMs <= maxMs");
    expect(() => generateNemesis({ seed: 1, nodes, endMs: 100, kinds: ["flood" as NemesisKind] })).toThrow('nemesis.kinds[0]: unknown kind "flood"');
    expect(() => generateNemesis({ seed: 1, nodes: [], endMs: 100 })).toThrow("nemesis.nodes: expected at least one node");
  });
});


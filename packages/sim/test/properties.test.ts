import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Json, NodeId } from "@synod/protocol";
import { type Fault, type FaultSchedule, type HistoryEntry, Simulation, startWorkload } from "../src/index.js";
import { RegisterNode, type RegCmd, type RegMsg, type RegRes } from "./toys.js";
import { simOptions, testSeed } from "./helpers.js";

const nodes = ["n1", "n2", "n3"];
const node = fc.constantFrom(...nodes);
const prob = fc.oneof(fc.constant(null), fc.double({ min: 0, max: 0.5, noNaN: true }));
/** Any fault at all: this is the kind of schedule conformance generates with fast-check. */
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ type: fc.constant("crash" as const), node }),
  fc.record({ type: fc.constant("restart" as const), node }),
  fc.record({ type: fc.constant("pause" as const), node }),
  fc.record({ type: fc.constant("resume" as const), node }),
  fc.record({ type: fc.constant("heal" as const) }),
  fc.record({ type: fc.constant("loss" as const), probability: prob }),
  fc.record({ type: fc.constant("duplicate" as const), probability: prob }),
  fc.record({ type: fc.constant("clock" as const), node, offsetMs: fc.integer({ min: -100, max: 100 }), drift: fc.constantFrom(0, 0.01, -0.01) }),
  fc.shuffledSubarray(nodes, { minLength: 1, maxLength: 2 }).map((g): Fault => ({ type: "partition", groups: [g] })),
  fc.tuple(fc.shuffledSubarray(nodes, { minLength: 1 }), fc.shuffledSubarray(nodes, { minLength: 1 })).map(([from, to]): Fault => ({ type: "cut", from, to })),
);
const schedule: fc.Arbitrary<FaultSchedule> = fc
  .array(fc.record({ atMs: fc.integer({ min: 0, max: 600 }), fault }), { maxLength: 25 })
  .map((s) => s.sort((a, b) => a.atMs - b.atMs));

const adapter = {
  invoke: (c: RegCmd) => (c.op === "read" ? { f: "read", value: null } : { f: "write", value: c.value }),
  ok: (c: RegCmd, r: RegRes) => (c.op === "read" ? r.value : c.value),
};

function run(seed: number, faults: FaultSchedule, check: boolean): { json: string; history: HistoryEntry[] } {
  const sim: Simulation<RegMsg, RegCmd, RegRes> = new Simulation(
    simOptions((id: NodeId, _rng, ctx: { durable: ReadonlyMap<string, Json> }) => new RegisterNode(id, nodes, ctx.durable), {
      seed,
      nodes,
      network: { latency: { type: "uniform", minMs: 1, maxMs: 8 } },
      storage: { fsyncMs: { type: "uniform", minMs: 0, maxMs: 4 } },
      clients: { timeoutMs: 150 },
      faults,
      history: adapter,
      budget: { maxTimeMs: 1000, maxEvents: 100_000 },
      observer: check
        ? {
            afterStep: (rec) => {
              // A node steps only while up and not paused.
              expect(sim.status(rec.node)).not.toBe("down");
              expect(sim.status(rec.node)).not.toBe("paused");
              // A replicate delivered to a backup was sent after the primary's write was durable.
              if (rec.event.type === "message" && rec.event.message.type === "replicate") {
                expect(sim.durable(rec.event.from).has("value")).toBe(true);
              }
            },
          }
        : undefined,
    }),
  );
  startWorkload(sim, {
    clients: ["c1", "c2"],
    nextCommand: ({ rng }): RegCmd => (rng.nextInt(0, 1) === 0 ? { op: "read" } : { op: "write", value: rng.nextInt(0, 50) }),
    stopMs: 800,
  });
  sim.run();
  return { json: JSON.stringify(sim.log()), history: sim.history() };
}

describe("properties under arbitrary fault schedules", () => {
  it("runs are reproducible, histories well-formed, and the host loop's order holds", () => {
    const seed = testSeed("properties", 777);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), schedule, (simSeed, faults) => {
        const a = run(simSeed, faults, true);
        expect(run(simSeed, faults, false).json).toBe(a.json);
        const open = new Map<number, boolean>();
        const done = new Set<number>();
        for (const e of a.history) {
          expect(done.has(e.process)).toBe(false);
          expect(open.get(e.process) === true).toBe(e.type !== "invoke");
          open.set(e.process, e.type === "invoke");
          if (e.type === "info") done.add(e.process);
        }
      }),
      { seed, numRuns: Number(process.env.FULL ? 500 : 40) },
    );
  }, 120_000);
});

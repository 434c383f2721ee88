// The parallel search (worker threads) gives the single-threaded figures. Needs the built
// dist/check/worker.js: run `pnpm build` first (the package's test script does).
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import type { ShareStats } from "../../src/check/level-share.js";
import type { ModelSource } from "../../src/check/model-source.js";
import { createModel } from "./models/models.mjs";
import { column, expectValidTrace, modelsUrl } from "./helpers.js";

/** Workers rebuild the model with createModelFrom({name, args}) from the test models module. */
function source(name: string, args: unknown): ModelSource {
  return { kind: "module", url: modelsUrl, exportName: "createModelFrom", args: { name, args } };
}

async function both(name: string, args: unknown, workers: number, tableSlots?: number) {
  const model = createModel(name, args);
  return checkModel(model, { workers, source: source(name, args), ...(tableSlots ? { tableSlots } : {}) });
}

// Worker start-up is slow on a loaded 2-core machine; these tests wait for threads, not for speed.
describe("worker threads", { timeout: 60_000 }, () => {
  it.each([
    ["bits", { n: 9 }],
    ["mutex", { procs: 4 }],
    ["mutex", { procs: 4, symmetry: true }],
    ["steps", { con: 5 }],
    ["steps", { module: "A", con: 5, acon: 3 }],
    ["viewed", { view: true }],
  ])("%s %j: same counts with 1, 2 and 3 workers", async (name, args) => {
    const one = await both(name, args, 1);
    for (const workers of [2, 3]) {
      const many = await both(name, args, workers);
      expect(many.verdict).toBe(one.verdict);
      expect(many.distinct).toBe(one.distinct);
      expect(many.generated).toBe(one.generated);
      expect(many.depth).toBe(one.depth);
    }
  });

  it("workers that join after the table grew use the grown table", async () => {
    // 5,000 initial states grow the 4,096-slot table before the late workers start. They used to
    // take the grown table's epoch with the first table's buffers, find that one over-full and
    // wait forever for a growth the coordinator saw no need for.
    const args = { n: 12, inits: 5000 };
    const late: ModelSource = { kind: "module", url: modelsUrl, exportName: "createModelLater", args: { name: "bits", args, delayMs: 300 } };
    const one = await both("bits", args, 1);
    const stats: ShareStats[][] = [];
    const three = await checkModel(createModel("bits", args), { workers: 3, tableSlots: 4096, source: late, onShareStats: (s) => stats.push(s) });
    expect(three).toMatchObject({ verdict: "ok", distinct: one.distinct, generated: one.generated, depth: one.depth });
    expect(stats).toHaveLength(1);
    expect(stats[0]).toHaveLength(3);
    // Every state was expanded by exactly one participant.
    expect(stats[0]!.reduce((a, s) => a + s.expanded, 0)).toBe(one.distinct);
  });

  it("finds a shortest counterexample with 2 workers", async () => {
    const args = { n: 9, bad: 0b10110 };
    const r = await both("bits", args, 2);
    expect(r).toMatchObject({ verdict: "invariant", name: "NotBad", traceLength: 4 });
    expectValidTrace(createModel("bits", args), r.trace!);
  });

  it("reports deadlocks and evaluation errors from workers", async () => {
    const dl = await both("counter", { n: 50 }, 2);
    expect(dl).toMatchObject({ verdict: "deadlock", distinct: 51, traceLength: 51 });
    expect(column(dl.trace).at(-1)).toBe(50);
    const err = await both("bits", { n: 8, failAt: 0b11 }, 2);
    expect(err).toMatchObject({ verdict: "error", traceLength: 3, error: { kind: "eval", location: { file: "Bits.tla", line: 9 } } });
  });

  it("explores on its own until the workers have loaded the model, with the same figures", async () => {
    // The workers take 1.5 s to build the model; the coordinator searches meanwhile, and the
    // search ends (deadlock at level 51, a budget, or all states) before or after they join.
    const late = (name: string, args: unknown): ModelSource => ({ kind: "module", url: modelsUrl, exportName: "createModelLater", args: { name, args, delayMs: 1500 } });
    const dl = await checkModel(createModel("counter", { n: 50 }), { workers: 2, source: late("counter", { n: 50 }) });
    expect(dl).toMatchObject({ verdict: "deadlock", distinct: 51, generated: 51, traceLength: 51 });
    const budget = await checkModel(createModel("counter", { n: 50 }), { workers: 2, maxStates: 20, source: late("counter", { n: 50 }) });
    expect(budget).toMatchObject({ verdict: "incomplete", complete: false, distinct: 20, queue: 1 });
    const one = await both("bits", { n: 9 }, 1);
    const two = await checkModel(createModel("bits", { n: 9 }), { workers: 2, source: late("bits", { n: 9 }) });
    expect(two).toMatchObject({ verdict: one.verdict, distinct: one.distinct, generated: one.generated, depth: one.depth });
  });

  it("grows the shared table while it enters more initial states than it holds", async () => {
    // 5,000 initial states in a table of 4,096 slots (MCBakery's Init filled the first table of
    // 65,536 slots before any growth check: an internal error with 2 workers).
    const r = await both("counter", { n: 5000, inits: 5000, deadlock: false }, 2, 4096);
    expect(r).toMatchObject({ verdict: "ok", distinct: 5001, generated: 5000 + 5000 });
  });

  it("grows the shared table while workers run (more states than its first size)", async () => {
    // 1 + 10 * 2^10 = 10,241 states in a table of 4,096 slots: it must grow at least twice.
    const r = await both("bits", { n: 10 }, 2, 4096);
    expect(r).toMatchObject({ verdict: "ok", distinct: 1 + 10 * 2 ** 10, generated: 1 + 10 * (1 + 10 * 2 ** 10) });
  });

  it("a worker that cannot build the model gives verdict error", async () => {
    const r = await checkModel(createModel("counter", { n: 2 }), {
      workers: 2,
      source: { kind: "module", url: modelsUrl, exportName: "noSuchExport" },
    });
    expect(r.verdict).toBe("error");
    expect(r.error?.message).toMatch(/noSuchExport/);
  });
});

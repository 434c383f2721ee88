import { describe, expect, it } from "vitest";
import { BROKEN_VARIANTS, loadRaftSpec, validateImplementation, validateSeeds, WALK_BOUNDS } from "../src/index.js";
import { FULL, testSeed } from "./seed.js";

describe("implementation → spec trace validation", () => {
  it("every step of spec-mode nodes under faults is a legal Raft.tla transition", async () => {
    const seed = testSeed("trace validation", 1);
    const spec = await loadRaftSpec({ ...WALK_BOUNDS, maxTerm: 1000, maxLogLen: 1000 });
    for (let s = seed; s < seed + (FULL ? 20 : 3); s++) {
      const r = validateImplementation(spec, { seed: s, durationMs: 3000, crashAfterGrantProbability: 0.3 });
      if (r.failure) throw new Error(`seed ${s}: ${JSON.stringify(r.failure, null, 2)}`);
      expect(r.checkedActions).toBeGreaterThan(100);
      for (const a of ["Timeout", "RequestVote", "BecomeLeader", "AppendEntries", "HandleAppendEntriesRequest", "Restart"]) {
        expect(r.actions[a] ?? 0, `seed ${s} ${a}`).toBeGreaterThan(0);
      }
    }
  });

  for (const [name, unsafe] of Object.entries(BROKEN_VARIANTS)) {
    it(`catches the broken variant ${name}`, async () => {
      const bad = await validateSeeds(unsafe, 10, 3000);
      expect(bad, `${name} not caught on seeds 1-10`).not.toBeNull();
    });
  }

  it("reports the step, the action and why the spec rejects it", async () => {
    const bad = await validateSeeds({ commitPriorTermByCounting: true }, 10, 3000);
    expect(bad?.problem).toMatch(/AdvanceCommitIndex\(i=s\d\): the spec does not enable AdvanceCommitIndex/);
  });
});

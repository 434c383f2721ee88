/**
 * Implementation → spec: simulator runs of spec-mode nodes under crashes and partitions, every
 * node step checked as a MultiPaxos.tla step; and the broken builds it must catch.
 */
import { describe, expect, it } from "vitest";
import { validateImplementation } from "@synod/conformance";
import { kit } from "../../src/kit/index.js";
import { FULL, testSeed } from "@synod/testkit";

describe("trace validation of Multi-Paxos against MultiPaxos.tla", () => {
  it("every step of the correct build is a spec step", async () => {
    const base = testSeed("paxos validation", 1);
    const seeds = FULL ? 20 : 3;
    const actions: Record<string, number> = {};
    for (let seed = base; seed < base + seeds; seed++) {
      const r = await validateImplementation(kit, { seed });
      if (r.failure) console.error(JSON.stringify(r.failure, null, 2));
      expect(r.failure).toBeNull();
      for (const [a, n] of Object.entries(r.actions)) actions[a] = (actions[a] ?? 0) + n;
    }
    console.log(JSON.stringify(actions));
    for (const a of ["StartPhase1", "BecomeLeader", "Propose", "HandleAccept", "HandleAccepted", "HandleDecide", "Restart"]) expect(actions[a] ?? 0).toBeGreaterThan(0);
  });

  for (const v of kit.brokenVariants.filter((b) => b.caughtBy.includes("validate"))) {
    it(`catches ${v.name}`, async () => {
      let caught = null;
      for (let seed = 1; seed <= 10 && caught === null; seed++) caught = (await validateImplementation(kit, { seed, variant: v.variant })).failure;
      expect(caught).not.toBeNull();
      console.log(`${v.name}: ${caught!.node} ${caught!.event} -> ${caught!.actions}: ${caught!.problem.slice(0, 200)}`);
    });
  }
});

/**
 * Implementation → spec: simulator runs with n1 Byzantine (Byz = {n1} in the model; one
 * behaviour per seed) and the other replicas correct, under partitions, pauses, loss and
 * duplication: every step of a correct replica is checked as a PBFT.tla step.
 */
import { describe, expect, it } from "vitest";
import { validateImplementation } from "@synod/conformance";
import { testSeed } from "@synod/testkit";
import { kit } from "../../src/kit/index.js";

describe("trace validation", () => {
  it("a run with a paused primary: the view change is checked step by step", async () => {
    const r = await validateImplementation(kit, { seed: 5 });
    if (r.failure) console.error(JSON.stringify(r.failure, null, 2));
    expect(r.failure).toBeNull();
    console.log(`seed 5: ${JSON.stringify(r.actions)}`);
    for (const a of ["StartViewChange", "SendNewView", "AcceptNewView"]) expect(r.actions[a] ?? 0, a).toBeGreaterThan(0);
  });

  for (const [seed, behaviour] of [[1, "equivocate"], [2, "silent"], [3, "replay"]] as const) {
    it(`seed ${seed}: n1 Byzantine (${behaviour}); the correct replicas' steps are PBFT.tla steps`, async () => {
      const r = await validateImplementation(kit, { seed });
      if (r.failure) console.error(JSON.stringify(r.failure, null, 2));
      expect(r.failure).toBeNull();
      expect(r.byzantine).toEqual({ n1: behaviour });
      expect(r.byzantineSteps).toBeGreaterThan(50);
      expect(r.checkedActions).toBeGreaterThan(20);
      expect(r.actions.SendPrepare ?? 0).toBeGreaterThan(0);
      console.log(`seed ${seed} (n1 ${behaviour}): ${r.checkedActions} steps checked, ${JSON.stringify(r.actions)}`);
    });
  }

  it("a seed from SEED (default 7): every correct replica's step is a PBFT.tla step", async () => {
    const seed = testSeed("pbft validation", 7);
    const r = await validateImplementation(kit, { seed });
    if (r.failure) console.error(JSON.stringify(r.failure, null, 2));
    expect(r.failure).toBeNull();
    console.log(`seed ${seed} (n1 ${JSON.stringify(r.byzantine)}): ${r.checkedActions} steps checked, ${JSON.stringify(r.actions)}`);
    expect(r.checkedActions).toBeGreaterThan(10);
  });

  for (const name of ["smallPreparedCertificate", "executeBeforeCommit"] as const) {
    it(`catches ${name}`, async () => {
      const r = await validateImplementation(kit, { seed: 1, variant: { unsafe: { [name]: true } } });
      expect(r.failure).not.toBeNull();
      console.log(`${name}: ${r.failure!.actions}: ${r.failure!.problem.slice(0, 160)}`);
    });
  }
});

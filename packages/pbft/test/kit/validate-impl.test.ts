/**
 * Implementation → spec: simulator runs of correct replicas (partitions, pauses, loss,
 * duplication), every step checked as a PBFT.tla step.
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

  for (const k of [0, 1]) {
    it(`seed ${k + 1}: every step is a PBFT.tla step`, async () => {
      const seed = testSeed("pbft validation", 1) + k;
      const r = await validateImplementation(kit, { seed });
      if (r.failure) console.error(JSON.stringify(r.failure, null, 2));
      expect(r.failure).toBeNull();
      console.log(`seed ${seed}: ${r.checkedActions} steps checked, ${JSON.stringify(r.actions)}`);
      expect(r.checkedActions).toBeGreaterThan(10);
    });
  }

  for (const name of ["smallPreparedCertificate", "executeBeforeCommit"] as const) {
    it(`catches ${name}`, async () => {
      const r = await validateImplementation(kit, { seed: 1, variant: { unsafe: { [name]: true } } });
      expect(r.failure).not.toBeNull();
      console.log(`${name}: ${r.failure!.actions}: ${r.failure!.problem.slice(0, 160)}`);
    });
  }
});

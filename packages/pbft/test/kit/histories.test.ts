/**
 * Histories under Byzantine schedules: with at most f = 1 faulty replica (any behaviour, plus
 * crashes, partitions, loss and duplication) every history is linearizable and the correct
 * replicas agree; with f + 1 = 2 colluding faulty replicas safety breaks.
 */
import { describe, expect, test } from "vitest";
import { checkHistories, runHistory, type HistoryRun, type ProtocolKit } from "@synod/conformance";
import { FULL, testSeed } from "@synod/testkit";
import { pbftHistories } from "../../src/kit/histories.js";
import { PbftCore } from "../../src/replica.js";
import type { PbftTypes } from "../../src/kit/types.js";

const kit = { name: "pbft", histories: pbftHistories, brokenVariants: [] } as unknown as ProtocolKit<PbftTypes>;
const nodes = ["n1", "n2", "n3", "n4"];

function run(seed: number, faults: HistoryRun["faults"], options = {}): ReturnType<typeof runHistory> {
  return runHistory(kit, { protocol: "pbft", seed, nodes, durationMs: 2000, faults, clients: 4, keys: 3, readRatio: 0.5, randomTargetProbability: 0.2, variant: null, options });
}

const byz = (node: string, behaviour: string, atMs = 0) => ({ atMs, fault: { type: "byzantine" as const, node, behaviour: behaviour as never } });

describe("one faulty replica, each behaviour", () => {
  for (const behaviour of ["silent", "equivocate", "conflict", "forge", "malformed", "lie", "replay", "delay-some"]) {
    for (const node of ["n1", "n3"]) {
      test(`${node} (${node === "n1" ? "the first primary" : "a backup"}) ${behaviour}`, () => {
        const o = run(11, [byz(node, behaviour, 100)]);
        expect(o.verdict, o.explanation).toBe("ok");
        expect(o.finalOk).toBe(o.finalTotal);
        expect(o.okOperations).toBeGreaterThan(20);
      });
    }
  }
});

describe("tentative execution, one faulty replica, each behaviour", () => {
  // Clients take 2f + 1 matching tentative replies; view changes roll tentative state back.
  for (const behaviour of ["silent", "equivocate", "conflict", "forge", "lie", "replay", "delay-some"]) {
    for (const node of ["n1", "n3"]) {
      test(`${node} ${behaviour}`, () => {
        const o = run(12, [byz(node, behaviour, 100), { atMs: 700, fault: { type: "partition", groups: [["n2"], ["n1", "n3", "n4"]] } as never }, { atMs: 1000, fault: { type: "heal" } as never }], { tentativeExecution: true });
        expect(o.verdict, o.explanation).toBe("ok");
        expect(o.finalOk).toBe(o.finalTotal);
        expect(o.okOperations).toBeGreaterThan(20);
      });
    }
  }
});

describe("tentative execution and read-only gets, one faulty replica, each behaviour", () => {
  // Gets go to every replica and are answered from local state (2f + 1 matching), falling back to
  // ordering on retry; writes execute tentatively.
  for (const behaviour of ["silent", "equivocate", "conflict", "lie", "replay"]) {
    for (const node of ["n1", "n3"]) {
      test(`${node} ${behaviour}`, () => {
        const o = run(13, [byz(node, behaviour, 100), { atMs: 700, fault: { type: "partition", groups: [["n2"], ["n1", "n3", "n4"]] } as never }, { atMs: 1000, fault: { type: "heal" } as never }], { tentativeExecution: true, readOnlyOptimization: true });
        expect(o.verdict, o.explanation).toBe("ok");
        expect(o.finalOk).toBe(o.finalTotal);
        expect(o.okOperations).toBeGreaterThan(20);
      });
    }
  }
});

describe("generated schedules", () => {
  test("f = 1: every history is linearizable and the correct replicas agree", async () => {
    const seed = testSeed("pbft histories", 5);
    const r = await checkHistories(kit, { seed, numRuns: FULL ? 200 : 12 });
    expect(r.failure?.outcome.explanation ?? null).toBeNull();
  });

  test("f + 1 = 2 colluding liars: clients accept a value nobody wrote (linearizability breaks)", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const o = run(seed, [byz("n1", "lie"), byz("n2", "lie")]);
      expect(o.verdict, `seed ${seed}`).toBe("violation");
      expect(o.explanation).not.toMatch(/correct nodes disagree/);
      // One liar: never two matching lies.
      const one = run(seed, [byz("n1", "lie")]);
      expect(one.verdict, one.explanation).toBe("ok");
    }
  });

  test("f + 1 = 2 colluding faulty replicas (an equivocating primary and a backup voting for both sides): correct replicas execute different batches", () => {
    // n1 pre-prepares different batches to the two halves of the cluster; n1 and n2 prepare and
    // commit, towards each correct replica, whatever n1 told it. Each half commits its own batch.
    const attack = [byz("n1", "equivocate"), byz("n1", "conflict"), byz("n2", "conflict")];
    const options = { maxBatchEntries: 8, maxInflightBatches: 1 };
    let broken = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const o = run(seed, attack, options);
      if (o.verdict === "violation") {
        // The halves commit different batches at one sequence number: seen as the correct
        // replicas' disagreement, or first as one request applied at two indexes (the two batches
        // hold the same requests in another order).
        expect(o.explanation).toMatch(/correct nodes disagree .*: n3 and n4 executed different batches|exactly-once broken: .* applied at index (\d+)\d{6} and again at index \1\d{6}/);
        broken++;
      }
      // The same schedule without the colluding backup (one faulty replica) is safe.
      const safe = run(seed, attack.slice(0, 2), options);
      expect(safe.verdict, safe.explanation).toBe("ok");
    }
    expect(broken).toBeGreaterThanOrEqual(2);
  });
});

describe("forged-view-change (targeted)", () => {
  const targeted = (seed: number): HistoryRun => ({ protocol: "pbft", seed, nodes, durationMs: 3000, faults: [], clients: 4, keys: 10, readRatio: 0.7, randomTargetProbability: 0.2, variant: null, options: {}, targeted: "forged-view-change" });
  const failed = (o: ReturnType<typeof runHistory>): boolean => o.verdict === "violation" || o.finalOk < o.finalTotal;
  /** Run `f` with PbftCore's method `name` replaced (restarts build new cores, so the class is patched). */
  const patched = <T>(name: string, make: (orig: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown, f: () => T): T => {
    const proto = PbftCore.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const orig = proto[name]!;
    proto[name] = make(orig);
    try {
      return f();
    } finally {
      proto[name] = orig;
    }
  };

  test("the correct build changes view without the forger and refuses its forgeries", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const o = runHistory(kit, targeted(seed));
      expect(o.verdict, `seed ${seed}: ${o.explanation}`).toBe("ok");
      expect(o.finalOk, `seed ${seed}`).toBe(o.finalTotal);
    }
  });

  test("a replica that takes any view change (no signature or checkpoint-proof check) starts a view nobody can serve", () => {
    patched("viewChangeValid", () => () => true, () => {
      for (let seed = 1; seed <= 2; seed++) expect(failed(runHistory(kit, targeted(seed))), `seed ${seed}`).toBe(true);
    });
  });

  test("so does one that checks the signature but not the checkpoint proof", () => {
    patched("proofValid", () => () => true, () => {
      expect(failed(runHistory(kit, targeted(1)))).toBe(true);
    });
  });
});

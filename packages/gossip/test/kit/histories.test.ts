/**
 * The gossip kit's histories check on its own (the whole conformance run is in kit.test.ts once
 * the descriptor is complete): the correct build passes the convergence judge under every fault
 * it claims; each broken variant fails it; a failing run gives the same history when run again.
 */
import { checkHistories, runHistory, type ProtocolKit } from "@synod/conformance";
import { testSeed } from "@synod/testkit";
import { describe, expect, test } from "vitest";
import { brokenVariants, histories, HISTORY_NODE_IDS, type GossipTypes } from "../../src/kit/index.js";

// checkHistories and runHistory read only these parts of a descriptor.
const kit = { name: "gossip", histories, brokenVariants } as unknown as ProtocolKit<GossipTypes>;

describe("gossip histories", () => {
  test("the correct build converges under crashes, partitions, loss, duplication, pauses, clock drift and latency", async () => {
    const seed = testSeed("gossip histories", 1);
    const r = await checkHistories(kit, { seed, numRuns: histories.runs.ci });
    expect(r.failure?.outcome.explanation ?? null).toBeNull();
    expect(r.undecided).toBe(0);
  });

  for (const v of brokenVariants) {
    test(`broken variant ${v.name} is caught`, async () => {
      const seed = testSeed(`gossip broken ${v.name}`, 1);
      const r = await checkHistories(kit, { seed, numRuns: 20, variant: v.name });
      expect(r.failure, `${v.name} passed 20 runs`).not.toBeNull();
      expect(r.failure?.outcome.verdict).toBe("violation");
      const again = runHistory(kit, (r.failure as NonNullable<typeof r.failure>).run);
      expect(again.historyDigest).toBe(r.failure?.outcome.historyDigest);
    });
  }

  test("the late isolation alone catches the Merkle range skip, and the correct build survives it", () => {
    for (const variant of [null, "skipMerkleRange"]) {
      const run = { protocol: "gossip", seed: 3, nodes: HISTORY_NODE_IDS, durationMs: histories.durationMs, faults: [], clients: 4, keys: 3, readRatio: 0.5, randomTargetProbability: 0, variant, options: { mode: "push-pull", fanout: 2 }, targeted: "isolateLate" };
      const o = runHistory(kit, run);
      expect(o.verdict, `${variant}: ${o.explanation}`).toBe(variant === null ? "ok" : "violation");
    }
  });
});

/**
 * Histories of the Multi-Paxos KV service under faults, judged by lincheck; and the broken builds
 * the histories check must catch (each with a replay file that reproduces it exactly).
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHistories, replay, runHistory, writeReplay, type HistoryRun } from "@synod/conformance";
import { kit } from "../../src/kit/index.js";
import { FULL, testSeed } from "@synod/testkit";

const base: HistoryRun = {
  protocol: "multipaxos",
  seed: 7,
  nodes: ["n1", "n2", "n3"],
  durationMs: 2000,
  faults: [
    { atMs: 600, fault: { type: "partition", groups: [["n1"]] } },
    { atMs: 1200, fault: { type: "crash", node: "n2" } },
    { atMs: 1400, fault: { type: "restart", node: "n2" } },
    { atMs: 1600, fault: { type: "heal" } },
  ],
  clients: 4,
  keys: 3,
  readRatio: 0.5,
  randomTargetProbability: 0.2,
  variant: null,
  options: {},
};

describe("Multi-Paxos histories", () => {
  it("the correct build's histories are linearizable on generated runs", async () => {
    const seed = testSeed("paxos kit histories", 1);
    const r = await checkHistories(kit, { seed, numRuns: FULL ? 100 : 8 });
    expect(r.failure?.outcome.explanation ?? null).toBeNull();
  });

  it("the same run gives the same history, byte for byte", () => {
    const a = runHistory(kit, base);
    const b = runHistory(kit, base);
    expect(a.verdict).toBe("ok");
    expect(a.okOperations).toBeGreaterThan(50);
    expect(a.finalOk).toBe(3);
    expect(b.historyDigest).toBe(a.historyDigest);
  });

  it("catches ignoreHighestAccepted on generated runs, and the replay file reproduces it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paxos-test-"));
    const r = await checkHistories(kit, { seed: 1, numRuns: 40, variant: "ignoreHighestAccepted", replayDir: dir });
    const f = r.failure!;
    expect(f).not.toBeNull();
    console.log(`ignoreHighestAccepted: ${f.outcome.verdict}: ${f.outcome.explanation.split("\n")[0]}`);
    const out = await replay(f.replayFile);
    expect(out).toMatchObject({ ok: false, reproduced: true });
  });

  it("catches readAfterLeaseExpiry under the targeted schedule, and the correct build passes it", async () => {
    const targeted = (seed: number, variant: string | null): HistoryRun => ({ ...base, seed, durationMs: 3000, faults: [], keys: 10, readRatio: 0.7, variant, options: { checkQuorum: false }, targeted: "stale-lease-read" });
    for (let seed = 1; seed <= 3; seed++) {
      const o = runHistory(kit, targeted(seed, null));
      expect(o.verdict, `seed ${seed}: ${o.explanation}`).toBe("ok");
    }
    let caught = null;
    for (let seed = 1; seed <= 4 && caught === null; seed++) {
      const o = runHistory(kit, targeted(seed, "readAfterLeaseExpiry"));
      if (o.verdict === "violation") caught = { seed, o };
    }
    expect(caught).not.toBeNull();
    const file = await writeReplay(targeted(caught!.seed, "readAfterLeaseExpiry"), caught!.o);
    expect(await replay(file)).toMatchObject({ ok: false, reproduced: true, verdict: "violation" });
  });
});

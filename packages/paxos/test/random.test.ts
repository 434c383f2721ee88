/**
 * Randomized safety. Two layers:
 *
 * 1. The manual network (testkit): 5 nodes, message loss, duplication and reordering, crashes and
 *    restarts, partitions of one node, clients retrying with the same seq. After every step:
 *    no two nodes ever learn different values for one instance (Agreement, against every value
 *    ever learned), every node's store equals a replay of its chosen prefix, and acceptors never
 *    vote above their promise (the node's own assertions).
 * 2. The simulator (through the kit's histories check): fast-check draws fault schedules and
 *    workloads; lincheck (conformance's `linearizable` judge) judges every client history.
 *
 * Seeds are printed; replay one with `SEED=<n> npx vitest run test/random.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { checkHistories } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { createMultiPaxosNode, MultiPaxosKvNode, type MultiPaxosOptions, type PaxosMessage } from "../src/index.js";
import { kit } from "../src/kit/index.js";
import type { KvResult, LogValue, PaxosCommand } from "../src/types.js";
import { testSeed } from "@synod/testkit";

type Cluster = TestCluster<PaxosMessage, PaxosCommand, KvResult, MultiPaxosKvNode>;

function randomRun(seed: number, steps: number, options: Partial<MultiPaxosOptions>): { learned: number; leaders: number } {
  const ids = ["n1", "n2", "n3", "n4", "n5"];
  const c: Cluster = new TestCluster({ ids, seed, latencyMs: [1, 30], create: (id, peers, rng) => createMultiPaxosNode({ id, peers, rng, options }) });
  const rng = SeededRng.derive(seed, "random-run");
  const everChosen = new Map<number, string>();
  const leaders = new Set<string>();
  const checked = new Map<NodeId, number>();
  const clients = Array.from({ length: 3 }, (_, k) => ({ id: `c${k}`, seq: 1, target: ids[k]! as NodeId, since: 0 }));
  for (let step = 0; step < steps; step++) {
    const r = rng.nextInt(0, 99);
    if (r < 2) {
      const live = c.live();
      if (live.length > 3) c.crash(rng.pick(live));
    } else if (r < 5) {
      const down = [...c.crashed];
      if (down.length > 0) c.restart(rng.pick(down));
    } else if (r < 6) {
      c.partitioned.clear();
      if (rng.chance(0.5)) c.partitioned.add(rng.pick(ids));
    } else if (r < 20) {
      const cl = rng.pick(clients);
      const cmd: PaxosCommand = rng.chance(0.3) ? { op: "get", key: "k" } : { op: "put", key: rng.pick(["k", "j"]), value: `${cl.id}-${cl.seq}` };
      c.request(cl.target, cl.id, cl.seq, cmd);
    } else if (!c.runNextEvent(10, 5)) {
      continue;
    }
    // Replies move clients on (a new seq after ok, another node after not-leader).
    for (const o of c.takeOutputs()) {
      if (o.kind !== "reply") continue;
      const cl = clients.find((x) => x.id === o.reply.clientId);
      if (cl === undefined || o.reply.seq !== cl.seq) continue;
      if (o.reply.ok) cl.seq++;
      else cl.target = o.reply.error === "not-leader" && o.reply.leaderHint !== undefined ? o.reply.leaderHint : rng.pick(ids);
    }
    for (const id of c.live()) {
      const p = c.node(id).protocol;
      if (p.role === "leader") leaders.add(`${p.acceptor.promised.round}.${id}`);
      // Only instances learned since the last check are new; the rest were compared already.
      for (const [slot, v] of p.chosen) {
        if (slot <= (checked.get(id) ?? 0)) continue;
        const text = JSON.stringify(v as LogValue);
        const had = everChosen.get(slot);
        if (had === undefined) everChosen.set(slot, text);
        else if (text !== had) throw new Error(`seed ${seed}: ${id} learned ${text} in instance ${slot}, another node ${had}`);
      }
      checked.set(id, p.learned);
    }
  }
  let learned = 0;
  for (const id of c.live()) learned = Math.max(learned, c.node(id).inspect().learnedIndex);
  return { learned, leaders: leaders.size };
}

describe("randomized safety on the manual network", () => {
  const variants: { name: string; options: Partial<MultiPaxosOptions> }[] = [
    { name: "defaults (leases)", options: {} },
    { name: "reads through the log, batches of 2, window 2", options: { readMode: "log", maxBatchEntries: 2, maxInflight: 2 } },
  ];
  for (const v of variants) {
    it(`${v.name}: agreement after every step`, () => {
      const base = testSeed(`paxos random (${v.name})`, 1);
      const seeds = process.env.SEED !== undefined ? [base] : Array.from({ length: Number(process.env.SEEDS ?? 25) }, (_, k) => base + k);
      let learned = 0;
      let leaders = 0;
      for (const seed of seeds) {
        try {
          const r = randomRun(seed, Number(process.env.STEPS ?? 3000), v.options);
          learned += r.learned;
          leaders += r.leaders;
        } catch (e) {
          console.error(`[paxos random] "${v.name}" failed at seed ${seed}; replay with SEED=${seed}`);
          throw e;
        }
      }
      console.log(`${v.name}: ${seeds.length} seeds, ${learned} instances learned, ${leaders} leaderships`);
      expect(learned).toBeGreaterThan(seeds.length * 5);
      expect(leaders).toBeGreaterThan(seeds.length);
    });
  }
});

describe("randomized histories on the simulator, judged by lincheck", () => {
  it("every generated run is linearizable and loses no acknowledged write", async () => {
    const seed = testSeed("paxos histories", 42);
    const report = await checkHistories(kit, { seed, numRuns: Number(process.env.RUNS ?? 12) });
    if (report.failure !== null) console.error(report.failure.outcome.explanation, report.failure.replayFile);
    expect(report.failure).toBeNull();
    expect(report.runs).toBeGreaterThan(0);
  });
});

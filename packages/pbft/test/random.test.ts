/**
 * Random runs on the manual network: lossy, duplicating, reordering links, a replica crashing and
 * restarting, clients writing through random replicas. Every replica must apply the same request
 * at every index it applies, and after healing every request completes with f + 1 matching replies.
 */
import { describe, expect, test } from "vitest";
import { SeededRng, type NodeId } from "@synod/protocol";
import { FULL, TestCluster, testSeed } from "@synod/testkit";
import { deterministicKeyFile, PbftClient, PbftReplyRule, type PbftMessage } from "../src/index.js";
import { createPbftReplica, type PbftReplica } from "../src/node.js";
import type { KvResult, PbftCommand } from "../src/types.js";
import { ids } from "./harness/cluster.js";

function run(seed: number, n: number): void {
  const nodes = ids(n);
  const clients = ["c1", "c2", "c3"];
  const keys = deterministicKeyFile("pbft-random", nodes, clients);
  const c = new TestCluster<PbftMessage, PbftCommand, KvResult, PbftReplica>({
    ids: nodes,
    seed,
    latencyMs: [1, 8],
    create: (id, _p, rng) => createPbftReplica({ id, replicas: nodes, keys, rng, options: { checkpointInterval: 4, logSize: 8, viewChangeTimeoutMs: 200 } }),
  });
  const rng = SeededRng.derive(seed, "test");
  const appliedAt = new Map<number, string>();
  const signers = new Map(clients.map((id) => [id, new PbftClient(keys, id, n)]));
  const seqs = new Map(clients.map((id) => [id, 0]));
  const open = new Map<string, PbftReplyRule>();
  const ops = new Map<string, { op: "put"; key: string; value: string }>();
  let done = 0;
  const check = (): void => {
    for (const o of c.takeOutputs()) {
      if (o.kind === "applied") {
        const key = `${o.applied.request?.clientId}#${o.applied.request?.seq}`;
        const at = appliedAt.get(o.applied.index);
        if (at === undefined) appliedAt.set(o.applied.index, key);
        else expect(at, `index ${o.applied.index} at ${o.node}`).toBe(key);
      }
      if (o.kind === "reply") {
        const k = `${o.reply.clientId}#${o.reply.seq}`;
        const col = open.get(k);
        if (col !== undefined && col.offer(o.node, o.reply).type === "accept") {
          open.delete(k);
          done++;
        }
      }
    }
  };
  let crashed: NodeId | null = null;
  for (let step = 0; step < 3000; step++) {
    if (rng.chance(0.03)) {
      const cl = rng.pick(clients);
      if (![...open.keys()].some((k) => k.startsWith(`${cl}#`))) {
        const s = (seqs.get(cl) ?? 0) + 1;
        seqs.set(cl, s);
        open.set(`${cl}#${s}`, signers.get(cl)!.replies());
        const target = rng.pick(nodes.filter((x) => x !== crashed));
        const op = { op: "put" as const, key: `k${rng.nextInt(0, 2)}`, value: `${cl}.${s}` };
        ops.set(`${cl}#${s}`, op);
        c.request(target, cl, s, signers.get(cl)!.command(s, op));
      }
    }
    if (crashed === null && rng.chance(0.003)) {
      crashed = rng.pick(nodes);
      c.crash(crashed);
    } else if (crashed !== null && rng.chance(0.01)) {
      c.restart(crashed);
      crashed = null;
    }
    c.runNextEvent(5, 3);
    check();
  }
  if (crashed !== null) c.restart(crashed);
  // Healed: clients retry their open requests to every replica until they complete.
  for (let round = 0; round < 40 && open.size > 0; round++) {
    for (const k of [...open.keys()]) {
      const [cl, seq] = k.split("#") as [string, string];
      for (const id of nodes) c.request(id, cl, Number(seq), signers.get(cl)!.command(Number(seq), ops.get(k)!));
      check();
    }
    for (let i = 0; i < 400; i++) {
      if (!c.runNextEvent()) break;
      check();
    }
  }
  expect([...open.keys()], `seed ${seed}: requests still open`).toEqual([]);
  // About 90 requests are invoked per 3000 steps; most complete before the healing phase.
  expect(done, `seed ${seed}: completed requests`).toBeGreaterThanOrEqual(20);
  console.log(`seed ${seed}, n = ${n}: ${done} requests completed, ${appliedAt.size} indexes applied`);
}

describe("random runs", () => {
  const base = testSeed("pbft random", 7);
  const runs = FULL ? 40 : 4;
  for (let k = 0; k < runs; k++) {
    test(`n = 4, seed ${base + k}`, () => run(base + k, 4));
  }
  test(`n = 7, seed ${base}`, () => run(base, 7));
});

/**
 * Single-decree Paxos on the testkit's manual network: several proposers with different values,
 * message loss, duplication and reordering, crashes and restarts. After every step: at most one
 * value is learned anywhere (and it stays the same), it is one some client proposed, and every
 * answer a client gets names that value. With the network healed, a value is chosen.
 * Replay one seed with `SEED=<n> npx vitest run test/single-decree.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { SeededRng } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { SingleDecreeNode, type PaxosMessage, type SingleDecreeCommand, type SingleDecreeResult } from "../src/index.js";
import { testSeed } from "@synod/testkit";

type Cluster = TestCluster<PaxosMessage, SingleDecreeCommand, SingleDecreeResult, SingleDecreeNode>;

function run(seed: number): { chosen: string; answers: number } {
  const ids = ["a1", "a2", "a3", "a4", "a5"];
  const c: Cluster = new TestCluster({ ids, seed, latencyMs: [1, 20], create: (id, peers, rng) => new SingleDecreeNode({ id, peers, rng }) });
  const rng = SeededRng.derive(seed, "single-decree");
  const proposed = new Set<string>();
  let chosen: string | null = null;
  let answers = 0;
  const observe = (): void => {
    for (const id of c.live()) {
      const v = c.node(id).chosenValue;
      if (v === null) continue;
      if (chosen === null) chosen = v;
      if (v !== chosen) throw new Error(`seed ${seed}: ${id} learned ${v}, another learner ${chosen}`);
      if (!proposed.has(v)) throw new Error(`seed ${seed}: ${v} was chosen but never proposed`);
    }
    for (const o of c.takeOutputs()) {
      if (o.kind !== "reply" || !o.reply.ok) continue;
      answers++;
      if (o.reply.result.chosen !== chosen && o.reply.result.chosen !== null) throw new Error(`seed ${seed}: a client was told ${o.reply.result.chosen}, chosen is ${chosen}`);
    }
  };
  for (let step = 0; step < 1500; step++) {
    const r = rng.nextInt(0, 99);
    if (r < 3) {
      const live = c.live();
      if (live.length > 3) c.crash(rng.pick(live));
    } else if (r < 6) {
      const down = [...c.crashed];
      if (down.length > 0) c.restart(rng.pick(down));
    } else if (r < 12) {
      const v = `value-${step}`;
      proposed.add(v);
      c.request(rng.pick(ids), `client-${step}`, 1, { op: "propose", value: v });
    } else {
      c.runNextEvent(20, 10);
    }
    observe();
  }
  // Heal: every node up, no loss; a proposer's retries must get a value chosen everywhere.
  for (const id of [...c.crashed]) c.restart(id);
  proposed.add("late");
  c.request("a1", "late-client", 1, { op: "propose", value: "late" });
  for (let k = 0; k < 20_000 && c.live().some((id) => c.node(id).chosenValue === null); k++) {
    if (!c.runNextEvent()) break;
    observe();
  }
  observe();
  if (chosen === null) throw new Error(`seed ${seed}: nothing chosen after healing`);
  return { chosen, answers };
}

describe("single-decree Paxos", () => {
  it("chooses at most one proposed value under loss, duplication, reordering, crashes and restarts", () => {
    const base = testSeed("single-decree", 1);
    const seeds = process.env.SEED !== undefined ? [base] : Array.from({ length: 30 }, (_, k) => base + k);
    let answers = 0;
    for (const seed of seeds) answers += run(seed).answers;
    expect(answers).toBeGreaterThan(seeds.length);
  });

  it("a later proposer learns the value chosen earlier instead of its own", () => {
    const c: Cluster = new TestCluster({ ids: ["a1", "a2", "a3"], seed: 3, create: (id, peers, rng) => new SingleDecreeNode({ id, peers, rng }) });
    // a3 is down while a1 and a2 choose "first" (so it never hears of it), then proposes "second".
    c.crash("a3");
    c.request("a1", "x", 1, { op: "propose", value: "first" });
    c.deliverAll();
    c.restart("a3");
    expect(c.node("a3").chosenValue).toBeNull();
    c.request("a3", "y", 1, { op: "propose", value: "second" });
    c.deliverAll();
    const replies = c.takeOutputs().filter((o) => o.kind === "reply");
    expect(replies.map((o) => (o.kind === "reply" && o.reply.ok ? o.reply.result.chosen : null))).toEqual(["first", "first"]);
    expect(c.node("a2").acceptorState.accepted?.value).toEqual({ type: "decree", value: "first" });
  });
});

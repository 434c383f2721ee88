import { test } from "vitest";
import { Cluster, SeededRng } from "../test/harness/cluster.js";
test("dbg", () => {
  const ids = ["n1","n2","n3","n4","n5"];
  const c = new Cluster({ ids, seed: 3, options: { preVote: false, checkQuorum: false } });
  const rng = new SeededRng(5);
  for (let s = 0; s < 300; s++) {
    const roll = rng.nextInt(0, 99);
    if (roll < 60 && c.inflight.length) c.deliver(c.inflight[rng.nextInt(0, c.inflight.length-1)]!.id);
    else { const t = c.fireNextTimer(); if (s < 100) console.log(c.nowMs, t); }
    c.takeOutputs();
  }
  for (const id of ids) { const s = c.node(id).inspect(); console.log(id, s.role, s.term, s.votedFor, s.commitIndex, s.log.length); }
  console.log(c.inflight.length);
});

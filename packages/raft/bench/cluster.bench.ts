/**
 * Throughput of the pure state machine in a 3-node in-memory cluster (no I/O, no serialization):
 * how many client writes per second the protocol logic itself can commit. Run: `npm run bench`.
 */
import { bench, describe } from "vitest";
import { Cluster } from "../test/harness/cluster.js";

function leaderCluster(options: Record<string, unknown>): { c: Cluster; leader: string } {
  const c = new Cluster({ ids: ["n1", "n2", "n3"], seed: 1, options });
  c.fire("n1", "election");
  c.deliverAll();
  c.takeOutputs();
  return { c, leader: "n1" };
}

const WRITES = 1000;

describe("3-node cluster, 1000 writes per iteration", () => {
  bench("one write at a time (commit round trip each)", () => {
    const { c, leader } = leaderCluster({ maxBatchEntries: 64, maxInflight: 8 });
    for (let i = 1; i <= WRITES; i++) {
      c.request(leader, "c1", i, { op: "put", key: `k${i % 16}`, value: String(i) });
      c.deliverAll();
      c.takeOutputs();
    }
  });
  bench("1000 concurrent writes, batched and pipelined", () => {
    const { c, leader } = leaderCluster({ maxBatchEntries: 64, maxInflight: 8 });
    for (let i = 1; i <= WRITES; i++) c.request(leader, `c${i}`, 1, { op: "put", key: `k${i % 16}`, value: String(i) });
    c.deliverAll();
    c.takeOutputs();
  });
  bench("1000 ReadIndex reads, one at a time", () => {
    const { c, leader } = leaderCluster({ readMode: "read-index" });
    for (let i = 1; i <= WRITES; i++) {
      c.request(leader, "r1", i, { op: "get", key: "k" });
      c.deliverAll();
      c.takeOutputs();
    }
  });
});

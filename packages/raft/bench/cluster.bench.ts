/**
 * Throughput of the pure state machine in a 3-node in-memory cluster: a lean host loop (FIFO
 * network, storage as a Map, no serialization or copying), so the figures are the protocol logic's
 * own cost. Run: `npm run bench` (after `npm run build` is not needed: sources are used directly).
 */
import { bench, describe } from "vitest";
import type { Json } from "@synod/protocol";
import { createKvNode, type RaftKvNode } from "../src/node.js";
import type { RaftMessage } from "../src/messages.js";
import type { RaftCommand, RaftOptions } from "../src/types.js";
import { SeededRng } from "@synod/protocol";

class LeanCluster {
  readonly nodes = new Map<string, RaftKvNode>();
  readonly storage = new Map<string, Map<string, Json>>();
  private queue: [string, string, RaftMessage][] = [];
  private head = 0;
  replies = 0;

  constructor(ids: string[], options: Partial<RaftOptions>) {
    for (const id of ids) {
      const node = createKvNode({ id, peers: ids.filter((x) => x !== id), rng: SeededRng.derive(ids.indexOf(id) + 1, "bench"), options });
      this.nodes.set(id, node);
      this.storage.set(id, new Map());
      this.drain(id);
    }
  }

  private drain(id: string): void {
    const n = this.nodes.get(id) as RaftKvNode;
    const store = this.storage.get(id) as Map<string, Json>;
    while (n.hasReady()) {
      const rd = n.ready();
      for (const w of rd.persist) {
        if ("delete" in w) store.delete(w.key);
        else store.set(w.key, w.value);
      }
      for (const e of rd.send) this.queue.push([id, e.to, e.message]);
      this.replies += rd.replies.length;
    }
  }

  step(id: string, ev: Parameters<RaftKvNode["step"]>[0]): void {
    (this.nodes.get(id) as RaftKvNode).step(ev);
    this.drain(id);
  }

  deliverAll(): void {
    while (this.head < this.queue.length) {
      const [from, to, message] = this.queue[this.head++] as [string, string, RaftMessage];
      this.step(to, { type: "message", nowMs: 0, from, message });
    }
    this.queue = [];
    this.head = 0;
  }

  request(id: string, clientId: string, seq: number, command: RaftCommand): void {
    this.step(id, { type: "request", nowMs: 0, request: { clientId, seq, command } });
  }
}

function withLeader(options: Partial<RaftOptions>): LeanCluster {
  const c = new LeanCluster(["n1", "n2", "n3"], { preVote: false, ...options });
  c.step("n1", { type: "timer", nowMs: 0, name: "election" });
  c.deliverAll();
  return c;
}

const OPS = 1000;

describe(`3-node cluster, ${OPS} operations per iteration`, () => {
  bench("writes one at a time (a commit round trip each)", () => {
    const c = withLeader({});
    for (let i = 1; i <= OPS; i++) {
      c.request("n1", "c1", i, { op: "put", key: `k${i % 16}`, value: String(i) });
      c.deliverAll();
    }
    if (c.replies !== OPS) throw new Error(`expected ${OPS} replies, got ${c.replies}`);
  });
  bench("concurrent writes, batched (64) and pipelined (8 in flight)", () => {
    const c = withLeader({ maxBatchEntries: 64, maxInflight: 8 });
    for (let i = 1; i <= OPS; i++) c.request("n1", `c${i}`, 1, { op: "put", key: `k${i % 16}`, value: String(i) });
    c.deliverAll();
    if (c.replies !== OPS) throw new Error(`expected ${OPS} replies, got ${c.replies}`);
  });
  bench("concurrent writes, no batching (1 entry per message)", () => {
    const c = withLeader({ maxBatchEntries: 1, maxInflight: 8 });
    for (let i = 1; i <= OPS; i++) c.request("n1", `c${i}`, 1, { op: "put", key: `k${i % 16}`, value: String(i) });
    c.deliverAll();
    if (c.replies !== OPS) throw new Error(`expected ${OPS} replies, got ${c.replies}`);
  });
  bench("ReadIndex reads one at a time", () => {
    const c = withLeader({ readMode: "read-index" });
    for (let i = 1; i <= OPS; i++) {
      c.request("n1", "r1", i, { op: "get", key: "k" });
      c.deliverAll();
    }
    if (c.replies !== OPS) throw new Error(`expected ${OPS} replies, got ${c.replies}`);
  });
});

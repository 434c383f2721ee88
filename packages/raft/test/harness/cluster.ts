/**
 * Raft nodes on the testkit's deterministic host (`@synod/testkit`), with what Raft's tests add:
 * a shadow of every log entry each node ever wrote (the safety checker compares committed entries
 * with it), joiners, and the current leaders.
 */
import type { NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { createKvNode, type RaftKvNode } from "../../src/node.js";
import type { RaftMessage } from "../../src/messages.js";
import { LOG_PREFIX, SNAPSHOT_KEY } from "../../src/storage.js";
import type { KvResult, LogEntry, RaftCommand, RaftOptions } from "../../src/types.js";

export type { InFlight } from "@synod/testkit";

/** How to build a {@link Cluster}. */
export interface ClusterOptions {
  ids: NodeId[];
  seed: number;
  options?: Partial<RaftOptions>;
  /** One-way message latency range; messages are reordered when it is wide. Default [0, 0]. */
  latencyMs?: [number, number];
}

/** A Raft cluster on the manual-network test host. */
export class Cluster extends TestCluster<RaftMessage, RaftCommand, KvResult, RaftKvNode> {
  /** The options every node runs with. */
  readonly options: Partial<RaftOptions>;
  /** Per node, the last log entry it wrote to storage at each index (deletes ignored). */
  readonly written = new Map<NodeId, Map<number, LogEntry>>();

  constructor(opts: ClusterOptions) {
    const options = opts.options ?? {};
    super({
      ids: opts.ids,
      seed: opts.seed,
      ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}),
      create: (id, peers, rng) => createKvNode({ id, peers, rng, options }),
    });
    this.options = options;
    this.onPersist = (id, w) => {
      if ("delete" in w) return;
      let shadow = this.written.get(id);
      if (shadow === undefined) this.written.set(id, (shadow = new Map()));
      if (w.key.startsWith(LOG_PREFIX)) shadow.set(Number(w.key.slice(LOG_PREFIX.length)), w.value as unknown as LogEntry);
      if (w.key === SNAPSHOT_KEY) {
        // An installed snapshot may replace a diverged log: the shadow below it is only
        // trustworthy if it agrees at the snapshot's index (then, by log matching, before it).
        const snap = w.value as unknown as { index: number; term: number };
        if (shadow.get(snap.index)?.term !== snap.term) for (const i of [...shadow.keys()]) if (i <= snap.index) shadow.delete(i);
      }
    };
  }

  /** Add a fresh node that will join the running cluster (it waits to be added). */
  addJoiner(id: NodeId): void {
    this.add(id, [], (nid, _peers, rng) => createKvNode({ id: nid, peers: [], join: true, rng, options: this.options }));
  }

  /** The live nodes that believe they lead. */
  leaders(): NodeId[] {
    return this.live().filter((id) => this.node(id).inspect().role === "leader");
  }
}

/**
 * Raft nodes in `stepMode: "spec"` on the testkit's manual-network host, for trace replay: every
 * ready is drained at once (persist, then send), the replay delivers, duplicates or drops
 * in-flight messages as the spec trace says, and `Restart` rebuilds a node from what its storage
 * kept.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { createKvNode, type RaftKvNode } from "../node.js";
import type { RaftMessage } from "../messages.js";
import type { KvResult, RaftCommand, UnsafeOptions } from "../types.js";

export type { InFlight } from "@synod/testkit";

/** A cluster of spec-mode nodes with an explicit network. */
export class SpecCluster extends TestCluster<RaftMessage, RaftCommand, KvResult, RaftKvNode> {
  private seq = 0;

  /**
   * @param ids - the servers (all initial voters).
   * @param unsafe - the broken variant every node runs (default: none).
   */
  constructor(ids: readonly NodeId[], unsafe: UnsafeOptions = {}) {
    super({ ids: [...ids], seed: 1, create: (id, peers, rng) => createKvNode({ id, peers, rng, options: { stepMode: "spec", unsafe } }) });
  }

  /** A client asks `id` to put `value` (key `x`): spec `ClientRequest(i, v)`. */
  put(id: NodeId, value: string): void {
    this.seq++;
    this.request(id, "conformance", this.seq, { op: "put", key: "x", value });
  }

  /** Take the driven spec action `action` on `id` (see spec-step.ts) and process its ready. */
  take(id: NodeId, action: string, params: Record<string, string | number>): boolean {
    const ok = this.node(id).takeAction(action, params);
    this.process(id);
    return ok;
  }
}

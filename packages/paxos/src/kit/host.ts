/**
 * Multi-Paxos nodes in `stepMode: "spec"` on the testkit's manual-network host, for trace replay:
 * every ready is drained at once (persist, then send), the replay delivers, duplicates or drops
 * in-flight messages as the spec trace says, and `Restart` rebuilds a node from what its storage
 * kept.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { createMultiPaxosNode, type MultiPaxosKvNode } from "../node.js";
import type { PaxosMessage } from "../messages.js";
import type { KvResult, PaxosCommand, UnsafeOptions } from "../types.js";
import { specNodeOptions, type MultiPaxosBounds } from "./spec-model.js";

export type { InFlight } from "@synod/testkit";

/** A cluster of spec-mode nodes with an explicit network. */
export class SpecCluster extends TestCluster<PaxosMessage, PaxosCommand, KvResult, MultiPaxosKvNode> {
  private seq = 0;

  /**
   * @param ids - the servers.
   * @param bounds - the model's constants (lease length and drift become the nodes' options).
   * @param unsafe - the broken variant every node runs (default: none).
   */
  constructor(ids: readonly NodeId[], bounds: MultiPaxosBounds, unsafe: UnsafeOptions = {}) {
    super({ ids: [...ids], seed: 1, create: (id, peers, rng) => createMultiPaxosNode({ id, peers, rng, options: { ...specNodeOptions(bounds), unsafe } }) });
  }

  /** A client asks `id` to put `value` (key `x`): spec `Propose(i, v)`. */
  put(id: NodeId, value: string): void {
    this.seq++;
    this.request(id, "conformance", this.seq, { op: "put", key: "x", value });
  }

  /** A client asks `id` to read `x`; returns whether `id` answered at once (a lease read). */
  read(id: NodeId): boolean {
    this.seq++;
    this.takeOutputs();
    this.request(id, "conformance", this.seq, { op: "get", key: "x" });
    return this.takeOutputs().some((o) => o.kind === "reply" && o.reply.ok && o.reply.seq === this.seq);
  }

  /** Take the driven spec action `action` on `id` (see spec-step.ts) and process its ready. */
  take(id: NodeId, action: string, params: Record<string, string | number>): boolean {
    const ok = this.node(id).takeAction(action, params);
    this.process(id);
    return ok;
  }
}

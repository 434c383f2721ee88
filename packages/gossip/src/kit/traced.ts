/**
 * The gossip node as trace validation runs it: the production node, recording the spec actions
 * of `specs/gossip` it takes on the one key the spec models ({@link SPEC_KEY}), from the core's
 * trace hook (as etcd keeps `state_trace.go` beside the protocol):
 *
 * - a client update of the key → `Update(r, op)`;
 * - a whole entry of the key sent (anti-entropy, either direction) → `Push(r, s)`;
 * - a delta of the key sent (a rumor) → `PushDelta(r, s, u)`;
 * - a whole entry or a delta received and joined (or already included) → `Receive(m)`; a delta left
 *   waiting for its causal past is no action (the spec's message stays in flight, a set).
 *
 * Labels carry implementation values (node ids, the update id `r:k`, the message as JSON);
 * `paramMatches` in the descriptor says which spec values they denote.
 *
 * @module
 */
import { ActionRecorder, type ActionLabel, type Json, type Traced } from "@synod/protocol";
import { GossipNode, type GossipNodeInit, type GossipTrace } from "../node.js";
import type { Received } from "../store.js";

/** The key of the replicated map the spec models (one instance of the CRDT). */
export const SPEC_KEY = "x";

/** A message of the spec as a label parameter: its sender, receiver and payload (the key's state JSON). */
export function messageParam(from: string, to: string, payload: Json): string {
  return JSON.stringify({ from, to, payload });
}

/** A gossip node that records its spec actions on {@link SPEC_KEY}. */
export class TracedGossipNode extends GossipNode implements Traced {
  private readonly recorder = new ActionRecorder();
  /** Every delta of the spec key this node ever left waiting, with its sender (validation keeps them in flight). */
  readonly everWaiting: Received[] = [];

  constructor(init: GossipNodeInit) {
    super(init);
  }

  recordActions(on: boolean): void {
    this.recorder.recordActions(on);
  }

  takeActions(): ActionLabel[] {
    return this.recorder.takeActions();
  }

  protected override trace(e: GossipTrace): void {
    if (e.key !== SPEC_KEY) return;
    const r = this.id;
    switch (e.kind) {
      case "update":
        this.recorder.note("Update", { r, op: JSON.stringify(e.op) });
        break;
      case "send-entry":
        this.recorder.note("Push", { r, s: e.to });
        break;
      case "send-delta":
        this.recorder.note("PushDelta", { r, s: e.to, u: `${e.delta.dot.origin}:${e.delta.dot.seq}` });
        break;
      case "merge-entry":
        this.recorder.note("Receive", { m: messageParam(e.from, r, e.state) });
        break;
      case "delta":
        if (e.outcome === "joined" || e.outcome === "known") this.recorder.note("Receive", { m: messageParam(e.from, r, e.delta.delta) });
        else if (e.outcome === "buffered") this.everWaiting.push({ delta: e.delta, from: e.from });
        break;
    }
  }
}

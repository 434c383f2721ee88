/**
 * The gossip node as the spec-side checks run it: the production node, recording the actions of
 * `specs/gossip/AntiEntropy.tla` it takes on the one key the spec models ({@link SPEC_KEY}), from
 * the core's trace hook (as etcd keeps `state_trace.go` beside the protocol):
 *
 * - a client update of the key → `Update(r, op)`;
 * - a whole entry of the key sent (anti-entropy, either direction) → `Push(r, s)`;
 * - a delta of the key sent (a rumor, pushed or pulled) → `PushDelta(r, s, u)`;
 * - a whole entry or a delta received and joined (or found included already) → `Receive(m)`.
 *   A delta left waiting for its causal past is no action: the spec's message stays in flight
 *   (the abstraction shows waiting deltas as in flight). A delta thrown away (a copy of it is
 *   already waiting, or the wait buffer is full) → `Lose(m)`.
 *
 * Labels carry implementation values — node ids, the update id `r:k`, the op and the message as
 * JSON (`SpecMessage`) — which the descriptor's `paramMatches` turns into spec values.
 *
 * @module
 */
import { ActionRecorder, type ActionLabel, type Json, type NodeId, type Traced } from "@synod/protocol";
import type { Delta } from "../messages.js";
import { GossipNode, type GossipNodeInit, type GossipTrace } from "../node.js";
import type { Received } from "../store.js";
import { vvWith, type VersionVector } from "../version-vector.js";

/** The key of the replicated map the spec models (one instance of the CRDT). */
export const SPEC_KEY = "x";

/** A spec message in implementation terms: `Message(kind, from, to, payload, vv, deps)` of the spec. */
export interface SpecMessage {
  kind: "state" | "delta";
  from: NodeId;
  to: NodeId;
  /** The CRDT state (or delta) as `toJson` gives it. */
  payload: Json;
  /** The updates the payload carries. */
  vv: VersionVector;
  /** What the receiver must have seen first (a state's: its own vv). */
  deps: VersionVector;
}

/** The spec message of a delta sent `from` → `to`. */
export function deltaMessage(from: NodeId, to: NodeId, d: Delta): SpecMessage {
  return { kind: "delta", from, to, payload: d.delta, vv: vvWith(d.deps, d.dot.origin, d.dot.seq), deps: d.deps };
}

/** The spec message of a whole entry sent `from` → `to`. */
export function stateMessage(from: NodeId, to: NodeId, state: Json, vv: VersionVector): SpecMessage {
  return { kind: "state", from, to, payload: state, vv, deps: vv };
}

/** An update as the spec's `issued` records it, in implementation terms. */
export interface IssuedUpdate {
  origin: NodeId;
  seq: number;
  /** The client's op JSON. */
  op: Json;
  /** The delta's JSON. */
  delta: Json;
  deps: VersionVector;
}

/** A gossip node that records its spec actions on {@link SPEC_KEY}. */
export class TracedGossipNode extends GossipNode implements Traced {
  private readonly recorder = new ActionRecorder();
  /** The updates of the spec key this node issued in this life. */
  readonly issuedLog: IssuedUpdate[] = [];

  constructor(init: GossipNodeInit) {
    super(init);
  }

  recordActions(on: boolean): void {
    this.recorder.recordActions(on);
  }

  takeActions(): ActionLabel[] {
    return this.recorder.takeActions();
  }

  /** The deltas of the spec key waiting for their causal past, with their senders. */
  waiting(): readonly Received[] {
    return this.pendingDeltasOf(SPEC_KEY);
  }

  /** Take the spec's `Push(r, s)`: send `to` the whole entry of the spec key. */
  push(to: NodeId): void {
    this.sendEntries(to, [SPEC_KEY]);
  }

  /** Take the spec's `PushDelta(r, s, u)`: send `to` the delta `d`. */
  pushDelta(to: NodeId, d: Delta): void {
    this.sendDelta(to, d);
  }

  protected override trace(e: GossipTrace): void {
    if (e.key !== SPEC_KEY) return;
    const r = this.id;
    switch (e.kind) {
      case "update":
        this.issuedLog.push({ origin: r, seq: e.dot.seq, op: e.op, delta: e.delta.delta, deps: e.delta.deps });
        this.recorder.note("Update", { r, op: JSON.stringify(e.op) });
        break;
      case "send-entry":
        this.recorder.note("Push", { r, s: e.to });
        break;
      case "send-delta":
        this.recorder.note("PushDelta", { r, s: e.to, u: `${e.delta.dot.origin}:${e.delta.dot.seq}` });
        break;
      case "merge-entry":
        this.recorder.note("Receive", { m: JSON.stringify(stateMessage(e.from, r, e.state, e.vv)) });
        break;
      case "delta":
        if (e.outcome === "joined" || e.outcome === "known") this.recorder.note("Receive", { m: JSON.stringify(deltaMessage(e.from, r, e.delta)) });
        // Thrown away (a copy already waits, or the wait buffer is full): lost, to the spec.
        else if (e.outcome === "dropped") this.recorder.note("Lose", { m: JSON.stringify(deltaMessage(e.from, r, e.delta)) });
        break;
    }
  }
}

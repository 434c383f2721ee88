/**
 * Spec → implementation replay for the ring election: each action of `RingElection.tla` becomes
 * the node event that takes it, on the set-network host of `set-harness.ts` (a timeout fires only
 * a timer the node armed).
 *
 * @module
 */
import { AdapterError, type Adapter, type LoadedSpec, type SpecAction, type State, type WireMessage } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import type { RingMessage } from "../messages.js";
import { RingNode } from "../ring.js";
import { ringSpecMessage, ringState, type RingSpecView } from "./ring-model.js";
import { recordParam, serverParam, setHarnessOps, type SetHarness } from "./set-harness.js";

/** What a broken ring build changes. */
export interface RingVariant {
  /** A node swallows a higher candidate's Election instead of passing it on once it takes part. */
  swallowHigher?: boolean;
}

/** The implementation replay drives. */
export type RingHarness = SetHarness<RingNode, RingMessage>;

const keyOf = (r: { type: string; val: number; from: number; to: number }): string => `${r.type} ${r.val} ${r.from} ${r.to}`;

/** A ring node for replay: the spec fires its timers, so their lengths do not matter. */
export function ringReplayNode(id: NodeId, members: readonly NodeId[], variant: RingVariant): RingNode {
  return new RingNode(id, { members, ...(variant.swallowHigher ? { swallowHigher: true } : {}) }, SeededRng.derive(1, `ring:${id}`));
}

/** The replay adapter over `spec`, for the correct build or a broken `variant`. */
export function ringAdapter(spec: LoadedSpec, variant: RingVariant = {}): Adapter<RingHarness> {
  const { values } = spec.model;
  const members = spec.servers;
  const ops = setHarnessOps<RingMessage, RingNode>({ members, make: (id) => ringReplayNode(id, members, variant), keyOf: (m: WireMessage<RingMessage>) => keyOf(ringSpecMessage(m)) });
  const server = (label: SpecAction, p: string): NodeId => serverParam((v) => spec.nameOf(v), label, p);
  const num = (label: SpecAction, p: string): number => Number(server(label, p).slice(1));
  const text = (label: SpecAction, p: string): string => {
    const v = label.params.find(([n]) => n === p)?.[1];
    const x = v === undefined ? undefined : values.toPortable(v);
    if (typeof x !== "string") throw new AdapterError(`${label.action}: parameter ${p} is not a string`);
    return x;
  };
  return {
    variables: spec.model.variables,
    create: () => ops.create(),
    abstract: (h): State => {
      const views = new Map<NodeId, RingSpecView>([...h.nodes].map(([id, n]) => [id, n === null ? null : n.view()]));
      return ringState(spec, views, [...h.inflight.values()]);
    },
    apply(h, label) {
      const i = (): NodeId => server(label, "i");
      switch (label.action) {
        case "Watch":
          return ops.fire(h, label, i(), "watch");
        case "AckTimeout":
          return ops.fire(h, label, i(), "ack");
        case "Heartbeat":
          return ops.fire(h, label, i(), "heartbeat");
        case "HandleRing":
          return ops.deliver(h, label, keyOf({ type: text(label, "t"), val: num(label, "v"), from: num(label, "j"), to: num(label, "i") }));
        case "HandleAck":
          return ops.deliver(h, label, keyOf({ type: `Ack${text(label, "t")}`, val: num(label, "v"), from: num(label, "j"), to: num(label, "i") }));
        case "HandleAlive":
          return ops.deliver(h, label, keyOf({ type: "Alive", val: 0, from: num(label, "j"), to: num(label, "i") }));
        case "Crash":
          return ops.crash(h, label, i());
        case "Recover":
          return ops.recover(h, label, i());
        case "LoseMessage": {
          const field = recordParam(values, label, "m");
          return ops.lose(h, label, keyOf({ type: String(field("type")), val: Number(field("val")), from: Number(field("from")), to: Number(field("to")) }));
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
    },
  };
}

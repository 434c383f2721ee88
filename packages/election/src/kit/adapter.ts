/**
 * Spec → implementation replay for the lease election: each action of `LeaseElection.tla`
 * becomes the node event that takes it, on a small host with one clock per node; the abstraction
 * maps the nodes, their clocks and every message ever sent to the spec's variables.
 *
 * A spec `Tick` advances each node's clock by its rate (in units = ms, see `spec-model.ts`). The
 * network is a set that only grows: a receive action delivers a copy of a message ever sent.
 * Timers are the spec's to fire: `Campaign(i)` fires i's election timeout, `Renew(i)` its renewal.
 *
 * @module
 */
import { AdapterError, type Adapter, type LoadedSpec, type SpecAction, type State, type WireMessage } from "@synod/conformance";
import { SeededRng, type Json, type NodeId } from "@synod/protocol";
import { LeaseNode } from "../lease.js";
import type { LeaseMessage } from "../messages.js";
import { NODES, REPLAY_OPTIONS, specState, type NodeSpecView } from "./spec-model.js";

/** What a broken build changes. */
export interface LeaseVariant {
  /** A new leader uses its lease at once, without waiting out the old one. */
  noWaitOutLease?: boolean;
}

/** The implementation replay drives: nodes, their clocks and storage, and every message sent. */
export interface Harness {
  nodes: Map<NodeId, LeaseNode>;
  clockMs: Map<NodeId, number>;
  durable: Map<NodeId, Map<string, Json>>;
  sent: WireMessage<LeaseMessage>[];
  variant: LeaseVariant;
}

/** A lease node for replay (one ms per spec unit), fresh or recovering from `durable`. */
export function replayNode(id: NodeId, variant: LeaseVariant, durable: ReadonlyMap<string, Json> = new Map()): LeaseNode {
  return new LeaseNode(id, { members: NODES, ...REPLAY_OPTIONS, ...(variant.noWaitOutLease ? { noWaitOutLease: true } : {}) }, SeededRng.derive(1, `node:${id}`), durable);
}

/** Carry out `id`'s ready: persist, then keep what it sent (timers are the spec's to fire). */
function drain(h: Harness, id: NodeId): void {
  const n = h.nodes.get(id) as LeaseNode;
  const store = h.durable.get(id) as Map<string, Json>;
  while (n.hasReady()) {
    const rd = n.ready();
    for (const w of rd.persist) if ("delete" in w) store.delete(w.key);
      else store.set(w.key, w.value);
    for (const s of rd.send) h.sent.push({ from: id, to: s.to, message: s.message });
  }
}

/** The spec view of the harness's nodes at their clocks. */
export function harnessViews(h: Harness): Map<NodeId, NodeSpecView> {
  return new Map(NODES.map((id) => [id, { view: (h.nodes.get(id) as LeaseNode).view(), clockMs: h.clockMs.get(id) as number }]));
}

/** The replay adapter over `spec`, for the correct build or a broken `variant`. */
export function leaseAdapter(spec: LoadedSpec, variant: LeaseVariant = {}): Adapter<Harness> {
  const { values } = spec.model;
  const param = (label: SpecAction, p: string) => {
    const v = label.params.find(([n]) => n === p)?.[1];
    if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${p}`);
    return v;
  };
  const server = (label: SpecAction, p: string): NodeId => spec.nameOf(param(label, p));
  const int = (label: SpecAction, p: string): number => {
    const x = values.toPortable(param(label, p));
    if (typeof x !== "number") throw new AdapterError(`${label.action}: parameter ${p} is not a number`);
    return x;
  };
  const deliver = (h: Harness, from: NodeId, to: NodeId, message: LeaseMessage): void => {
    const want = JSON.stringify(message);
    if (!h.sent.some((m) => m.from === from && m.to === to && JSON.stringify(m.message) === want)) {
      throw new AdapterError(`no ${want} was ever sent from ${from} to ${to}`);
    }
    (h.nodes.get(to) as LeaseNode).step({ type: "message", nowMs: h.clockMs.get(to) as number, from, message });
    drain(h, to);
  };
  const fire = (h: Harness, id: NodeId, name: string): void => {
    (h.nodes.get(id) as LeaseNode).step({ type: "timer", nowMs: h.clockMs.get(id) as number, name });
    drain(h, id);
  };
  return {
    variables: spec.model.variables,
    create: () => {
      const h: Harness = { nodes: new Map(), clockMs: new Map(), durable: new Map(), sent: [], variant };
      for (const id of NODES) {
        h.nodes.set(id, replayNode(id, variant));
        h.clockMs.set(id, 0);
        h.durable.set(id, new Map());
        drain(h, id);
      }
      return h;
    },
    abstract: (h): State => specState(spec, harnessViews(h), h.sent),
    apply(h, label) {
      switch (label.action) {
        case "Campaign":
          fire(h, server(label, "i"), "campaign");
          return;
        case "Renew":
          fire(h, server(label, "i"), "renew");
          return;
        case "HandleCampaign":
          deliver(h, server(label, "j"), server(label, "i"), { type: "Campaign", gen: int(label, "g") });
          return;
        case "HandleGrant": {
          const i = server(label, "i");
          deliver(h, server(label, "j"), i, { type: "Grant", gen: (h.nodes.get(i) as LeaseNode).view().gen });
          return;
        }
        case "HandleRenew":
          deliver(h, server(label, "j"), server(label, "i"), { type: "Renew", gen: int(label, "g"), round: int(label, "r") });
          return;
        case "HandleAck": {
          const i = server(label, "i");
          const v = (h.nodes.get(i) as LeaseNode).view();
          deliver(h, server(label, "j"), i, { type: "Ack", gen: v.gen, round: v.round });
          return;
        }
        case "Restart": {
          const i = server(label, "i");
          const store = h.durable.get(i) as Map<string, Json>;
          const n = replayNode(i, h.variant, store);
          h.nodes.set(i, n);
          n.step({ type: "restart", nowMs: h.clockMs.get(i) as number, durable: new Map(store) });
          drain(h, i);
          return;
        }
        case "Tick": {
          // r: the rate of each clock counting something down (a function over a subset of Server).
          const r = values.toPortable(param(label, "r")) as { d?: unknown[]; r?: unknown[] };
          if (!Array.isArray(r.d) || !Array.isArray(r.r)) throw new AdapterError(`Tick: parameter r is not a function: ${values.format(param(label, "r"))}`);
          const rates = new Map<NodeId, number>();
          r.d.forEach((d, k) => rates.set(spec.nameOf(values.fromPortable(d)), r.r![k] as number));
          // A clock that counts nothing down may advance by any rate; give it the nominal one.
          for (const id of NODES) h.clockMs.set(id, (h.clockMs.get(id) as number) + (rates.get(id) ?? REPLAY_OPTIONS.leaseMs));
          return;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
    },
  };
}

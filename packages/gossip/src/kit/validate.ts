/**
 * Implementation → spec for gossip: trace validation's abstraction, with the bookkeeping the
 * per-step abstraction needs across the run:
 *
 * - `issued` holds every update ever made (a node's log of its updates is volatile); an update
 *   counts while its origin's durable count of updates reaches it.
 * - Deltas a node holds waiting for their causal past are in flight for the spec; when the node
 *   crashes they are neither received nor lost in the spec's eyes, so they stay in flight
 *   ("orphans" of that life of the node) — a message the spec never receives is allowed.
 *
 * @module
 */
import { AdapterError, type StepAbstraction, type Value, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { GossipMessage } from "../messages.js";
import type { GossipTypes } from "./histories.js";
import { specMessagesOf, specState, SpecValues, type GossipSpec, type NodeView } from "./spec-model.js";
import { deltaMessage, SPEC_KEY, TracedGossipNode, type IssuedUpdate, type SpecMessage } from "./traced.js";

/** A node's view with the life it belongs to (each restart is a new node object: a new life). */
interface LifeView extends NodeView {
  life: number;
}

/** The validation abstraction over a loaded spec (one per validated run). */
export function validationAbstraction(spec: GossipSpec): StepAbstraction<GossipTypes> {
  const values = new SpecValues(spec);
  const issued = new Map<string, IssuedUpdate>();
  const lives = new WeakMap<object, number>();
  let nextLife = 1;
  const last = new Map<NodeId, LifeView>();
  const orphans: { node: NodeId; life: number; msgs: SpecMessage[] }[] = [];
  return {
    node(n) {
      let life = lives.get(n);
      if (life === undefined) lives.set(n, (life = nextLife++));
      for (const u of n.issuedLog) issued.set(`${u.origin}:${u.seq}`, u);
      const e = n.entry(SPEC_KEY);
      const view: LifeView = { id: n.id, life, state: e.state, vv: e.vv, waiting: n.waiting().map((w) => deltaMessage(w.from, n.id, w.delta)) };
      const prev = last.get(n.id);
      if (prev !== undefined && prev.life !== life && prev.waiting.length > 0) orphans.push({ node: n.id, life: prev.life, msgs: prev.waiting });
      last.set(n.id, view);
      return view;
    },
    state(views, inflight) {
      const vs = views as ReadonlyMap<NodeId, LifeView>;
      const msgs: SpecMessage[] = (inflight as readonly WireMessage<GossipMessage>[]).flatMap((w) => specMessagesOf(w.from, w.to, w.message));
      // What a node lost when it crashed stays in flight once the view shows its next life.
      for (const o of orphans) if ((vs.get(o.node)?.life ?? 0) > o.life) msgs.push(...o.msgs);
      return specState(values, vs, msgs, [...issued.values()]);
    },
  };
}

/** Whether the spec value `specValue` of parameter `name` denotes the label's implementation value. */
export function gossipParamMatches(spec: GossipSpec, name: string, specValue: Value, implValue: string | number): boolean {
  const values = new SpecValues(spec);
  const v = spec.model.values;
  switch (name) {
    case "r":
    case "s":
      try {
        return spec.nameOf(specValue) === String(implValue);
      } catch {
        return false;
      }
    case "u": {
      const itf = v.toITF(specValue) as { origin?: unknown; seq?: unknown } | null;
      return `${String(itf?.origin)}:${String(itf?.seq)}` === String(implValue);
    }
    case "op":
      return v.equals(values.op(JSON.parse(String(implValue))), specValue);
    case "m":
      return v.equals(values.message(JSON.parse(String(implValue)) as SpecMessage), specValue);
    default:
      return false;
  }
}

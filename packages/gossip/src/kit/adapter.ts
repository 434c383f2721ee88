/**
 * Spec → implementation replay for gossip: each action of `AntiEntropy.tla` becomes what makes
 * the nodes take it, on nodes the harness steps by hand (no timers fire: every send is one the
 * spec asks for); the abstraction maps the nodes, the harness's bag of messages and the updates
 * issued to the spec's variables.
 *
 * - `Update(r, op)`: a client update of the spec key at r.
 * - `Push(r, s)`: r sends s its whole entry of the key (the message an anti-entropy exchange sends).
 * - `PushDelta(r, s, u)`: r sends s the delta of update u as a rumor.
 * - `Receive(m)`: the bag's message that abstracts to m is delivered to its receiver.
 * - `Lose(m)` / `Duplicate(m)`: the bag loses or copies it.
 * - `Exchange(r, s)`: r's whole entry is delivered to s at once.
 *
 * @module
 */
import { AdapterError, type Adapter, type SpecAction, type State, type Value } from "@synod/conformance";
import { gCounter, orSet } from "@synod/crdt";
import { SeededRng, type Json, type NodeId } from "@synod/protocol";
import type { Delta, GossipMessage } from "../messages.js";
import type { PayloadChoice } from "../payload.js";
import { nonIdempotentCounter, removeWinsOrSet } from "./variants.js";
import { specMessagesOf, specState, SpecValues, type GossipSpec, type NodeView } from "./spec-model.js";
import { SPEC_KEY, TracedGossipNode, type IssuedUpdate } from "./traced.js";
import type { GossipVariant } from "./histories.js";

/** The payload of the spec key for a model and a build. */
export function specPayload(spec: GossipSpec, variant: GossipVariant | undefined): PayloadChoice {
  if (spec.crdt === "g-counter") return variant?.nonIdempotentMerge === true ? nonIdempotentCounter : gCounter;
  return variant?.removeWins === true ? removeWinsOrSet : orSet;
}

/** A message in the harness's bag: who sent it to whom, and the spec message it abstracts to. */
interface BagItem {
  from: NodeId;
  to: NodeId;
  message: GossipMessage;
  spec: Value;
}

/** What replay drives. */
export interface Harness {
  nodes: Map<NodeId, TracedGossipNode>;
  bag: BagItem[];
  /** Every update issued, by id `r:k`. */
  issued: Map<string, { update: IssuedUpdate; delta: Delta }>;
  seq: number;
}

/** The view of a node for the abstraction. */
export function nodeView(n: TracedGossipNode): NodeView {
  const e = n.entry(SPEC_KEY);
  return { id: n.id, state: e.state, vv: e.vv, waiting: [] };
}

/** The replay adapter over `spec`, for the correct build or a broken `variant`. */
export function gossipAdapter(spec: GossipSpec, variant?: GossipVariant): Adapter<Harness> {
  const values = new SpecValues(spec);
  const v = spec.model.values;
  const payload = specPayload(spec, variant);
  const param = (label: SpecAction, p: string): Value => {
    const x = label.params.find(([n]) => n === p)?.[1];
    if (x === undefined) throw new AdapterError(`${label.action}: no parameter ${p}`);
    return x;
  };
  const name = (label: SpecAction, p: string): NodeId => spec.nameOf(param(label, p));
  const node = (h: Harness, id: NodeId): TracedGossipNode => {
    const n = h.nodes.get(id);
    if (n === undefined) throw new AdapterError(`no node ${id}`);
    return n;
  };
  /** Move what `id` sent into the bag; record what it issued. */
  const collect = (h: Harness, id: NodeId): void => {
    const n = node(h, id);
    for (const e of n.ready().send) {
      for (const m of specMessagesOf(id, e.to, e.message)) h.bag.push({ from: id, to: e.to, message: e.message, spec: values.message(m) });
    }
    for (const u of n.issuedLog.splice(0)) h.issued.set(`${u.origin}:${u.seq}`, { update: u, delta: { key: SPEC_KEY, dot: { origin: u.origin, seq: u.seq }, deps: u.deps, delta: u.delta } });
  };
  const deliver = (h: Harness, item: { from: NodeId; to: NodeId; message: GossipMessage }): void => {
    node(h, item.to).step({ type: "message", nowMs: 0, from: item.from, message: structuredClone(item.message) });
    collect(h, item.to);
  };
  const find = (h: Harness, label: SpecAction): number => {
    const m = param(label, "m");
    const k = h.bag.findIndex((b) => v.equals(b.spec, m));
    if (k < 0) throw new AdapterError(`${label.action}: no message in flight abstracts to ${v.format(m)}`);
    return k;
  };
  const ops: Json[] = spec.crdt === "g-counter" ? [{ type: "inc" }] : spec.elems.flatMap((e) => [{ type: "add", elem: e }, { type: "remove", elem: e }]);
  return {
    variables: spec.model.variables,
    create: () => {
      const nodes = new Map<NodeId, TracedGossipNode>();
      for (const id of spec.servers) {
        const n = new TracedGossipNode({ id, peers: spec.servers.filter((x) => x !== id), rng: SeededRng.derive(1, id), options: { payload, swim: null, compactStable: false } });
        n.ready(); // its timers: replay fires none
        nodes.set(id, n);
      }
      return { nodes, bag: [], issued: new Map(), seq: 0 };
    },
    abstract: (h): State => {
      const views = new Map([...h.nodes].map(([id, n]) => [id, nodeView(n)]));
      return specState(values, views, [], [...h.issued.values()].map((x) => x.update)).map((x, k) => (spec.model.variables[k] === "msgs" ? values.bag(h.bag.map((b) => b.spec)) : x));
    },
    apply(h, label) {
      switch (label.action) {
        case "Update": {
          const r = name(label, "r");
          const opValue = param(label, "op");
          const op = ops.find((o) => v.equals(values.op(o), opValue));
          if (op === undefined) throw new AdapterError(`Update: no implementation op for ${v.format(opValue)}`);
          node(h, r).step({ type: "request", nowMs: 0, request: { clientId: "replay", seq: ++h.seq, command: { op: "update", key: SPEC_KEY, update: op } } });
          collect(h, r);
          break;
        }
        case "Push": {
          const r = name(label, "r");
          node(h, r).push(name(label, "s"));
          collect(h, r);
          break;
        }
        case "PushDelta": {
          const r = name(label, "r");
          const u = param(label, "u");
          const found = [...h.issued.values()].find((x) => v.equals(values.issued(x.update), u));
          if (found === undefined) throw new AdapterError(`PushDelta: no update issued abstracts to ${v.format(u)}`);
          node(h, r).pushDelta(name(label, "s"), found.delta);
          collect(h, r);
          break;
        }
        case "Receive": {
          const [item] = h.bag.splice(find(h, label), 1);
          deliver(h, item as BagItem);
          break;
        }
        case "Lose":
          h.bag.splice(find(h, label), 1);
          break;
        case "Duplicate": {
          const item = h.bag[find(h, label)] as BagItem;
          h.bag.push({ ...item });
          break;
        }
        case "Exchange": {
          const r = name(label, "r");
          const s = name(label, "s");
          node(h, r).push(s);
          const sent = node(h, r).ready().send;
          for (const e of sent) deliver(h, { from: r, to: e.to, message: e.message });
          break;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
    },
  };
}

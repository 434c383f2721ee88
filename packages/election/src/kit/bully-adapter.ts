/**
 * Spec → implementation replay for the Bully election: each action of `Bully.tla` becomes the node
 * event that takes it, on a small host that holds the messages in flight as a set (the spec's:
 * a message sent while an equal one is in flight merges with it) and the timers each node armed.
 *
 * A timeout action fires the node's timer, and only a timer the node armed: a spec step whose
 * timer the implementation never set is a mismatch (the implementation would wait forever there).
 * `Crash(i)` drops the node and the messages to it; `Recover(i)` starts a fresh node and gives it
 * the host's restart event.
 *
 * @module
 */
import { AdapterError, type Adapter, type LoadedSpec, type SpecAction, type State, type WireMessage } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import { BullyNode } from "../bully.js";
import type { BullyMessage } from "../messages.js";
import { bullyState, type BullySpecView } from "./bully-model.js";

/** What a broken Bully build changes. */
export interface BullyVariant {
  /** A node that answers an election does not take it over. */
  noTakeover?: boolean;
}

/** The implementation replay drives. */
export interface BullyHarness {
  /** Every server's node, `null` while it is down. */
  nodes: Map<NodeId, BullyNode | null>;
  /** The timers each live node has armed. */
  timers: Map<NodeId, Set<string>>;
  /** Messages in flight, by `type from to`. */
  inflight: Map<string, WireMessage<BullyMessage>>;
}

const key = (type: string, from: NodeId, to: NodeId): string => `${type} ${from} ${to}`;

/** A Bully node for replay: the spec fires its timers, so their lengths do not matter. */
export function bullyReplayNode(id: NodeId, members: readonly NodeId[], variant: BullyVariant): BullyNode {
  return new BullyNode(id, { members, ...(variant.noTakeover ? { noTakeover: true } : {}) }, SeededRng.derive(1, `bully:${id}`));
}

/** Carry out `id`'s ready: keep the timers it armed and what it sent. */
function drain(h: BullyHarness, id: NodeId): void {
  const n = h.nodes.get(id);
  if (n === null || n === undefined) return;
  const armed = h.timers.get(id) as Set<string>;
  while (n.hasReady()) {
    const rd = n.ready();
    for (const t of rd.timers) if (t.afterMs === null) armed.delete(t.name);
      else armed.add(t.name);
    for (const s of rd.send) h.inflight.set(key(s.message.type, id, s.to), { from: id, to: s.to, message: s.message });
  }
}

/** The replay adapter over `spec` (any `N`, either synchrony), for the correct build or a broken `variant`. */
export function bullyAdapter(spec: LoadedSpec, variant: BullyVariant = {}): Adapter<BullyHarness> {
  const { values } = spec.model;
  const members = spec.servers;
  const server = (label: SpecAction, p: string): NodeId => {
    const v = label.params.find(([n]) => n === p)?.[1];
    if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${p}`);
    return spec.nameOf(v);
  };
  const live = (h: BullyHarness, id: NodeId, action: string): BullyNode => {
    const n = h.nodes.get(id);
    if (n === null || n === undefined) throw new AdapterError(`${action}: ${id} is down in the implementation`);
    return n;
  };
  const deliver = (h: BullyHarness, label: SpecAction, type: BullyMessage["type"]): void => {
    const to = server(label, "i");
    const from = server(label, "j");
    const k = key(type, from, to);
    const m = h.inflight.get(k);
    if (m === undefined) throw new AdapterError(`${label.action}: no ${type} from ${from} to ${to} is in flight`);
    h.inflight.delete(k);
    live(h, to, label.action).step({ type: "message", nowMs: 0, from, message: m.message });
    drain(h, to);
  };
  const fire = (h: BullyHarness, label: SpecAction, timer: string): void => {
    const i = server(label, "i");
    const n = live(h, i, label.action);
    if (!(h.timers.get(i) as Set<string>).has(timer)) throw new AdapterError(`${label.action}(${i}): the spec takes it, but ${i} has no ${timer} timer armed`);
    (h.timers.get(i) as Set<string>).delete(timer);
    n.step({ type: "timer", nowMs: 0, name: timer });
    drain(h, i);
  };
  return {
    variables: spec.model.variables,
    create: () => {
      const h: BullyHarness = { nodes: new Map(), timers: new Map(), inflight: new Map() };
      for (const id of members) {
        h.nodes.set(id, bullyReplayNode(id, members, variant));
        h.timers.set(id, new Set());
        drain(h, id);
      }
      return h;
    },
    abstract: (h): State => {
      const views = new Map<NodeId, BullySpecView>([...h.nodes].map(([id, n]) => [id, n === null ? null : n.view()]));
      return bullyState(spec, views, [...h.inflight.values()]);
    },
    apply(h, label) {
      switch (label.action) {
        case "DetectFailure":
          return fire(h, label, "watch");
        case "AnswerTimeout":
          return fire(h, label, "answer");
        case "CoordinatorTimeout":
          return fire(h, label, "coordinator");
        case "Heartbeat":
          return fire(h, label, "heartbeat");
        case "HandleElection":
          return deliver(h, label, "Election");
        case "HandleAnswer":
          return deliver(h, label, "Answer");
        case "HandleCoordinator":
          return deliver(h, label, "Coordinator");
        case "HandleAlive":
          return deliver(h, label, "Alive");
        case "Crash": {
          const i = server(label, "i");
          live(h, i, label.action);
          h.nodes.set(i, null);
          h.timers.set(i, new Set());
          for (const [k, m] of h.inflight) if (m.to === i) h.inflight.delete(k);
          return;
        }
        case "Recover": {
          const i = server(label, "i");
          if (h.nodes.get(i) !== null) throw new AdapterError(`Recover(${i}): ${i} is up in the implementation`);
          const n = bullyReplayNode(i, members, variant);
          h.nodes.set(i, n);
          n.step({ type: "restart", nowMs: 0, durable: new Map() });
          drain(h, i);
          return;
        }
        case "LoseMessage": {
          const m = label.params.find(([n]) => n === "m")?.[1];
          const r = m === undefined ? undefined : (values.toPortable(m) as { d?: unknown[]; r?: unknown[] });
          if (r?.d === undefined || r.r === undefined) throw new AdapterError("LoseMessage: parameter m is not a message record");
          const field = (f: string): unknown => r.r![r.d!.indexOf(f)];
          const k = key(String(field("type")), `n${String(field("from"))}`, `n${String(field("to"))}`);
          if (!h.inflight.delete(k)) throw new AdapterError(`LoseMessage: ${k} is not in flight`);
          return;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
    },
  };
}

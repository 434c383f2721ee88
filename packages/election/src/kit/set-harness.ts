/**
 * The replay host Bully's and the ring's adapters share: nodes (or `null` while down), the timers
 * each live node armed, and the messages in flight as a set, as their specs hold them (a message
 * sent while an equal one is in flight merges with it). Spec actions become host events: a
 * delivery of a message in flight, a timer the node armed firing, a crash, a restart, a loss.
 *
 * A timeout action fires only a timer the node armed: a spec step whose timer the implementation
 * never set is a mismatch (the implementation would wait forever there).
 *
 * @module
 */
import { AdapterError, type SpecAction, type WireMessage } from "@synod/conformance";
import type { NodeId, ProtocolNode } from "@synod/protocol";

/** The implementation replay drives. */
export interface SetHarness<N, Msg> {
  /** Every server's node, `null` while it is down. */
  nodes: Map<NodeId, N | null>;
  /** The timers each live node has armed. */
  timers: Map<NodeId, Set<string>>;
  /** Messages in flight, by their key (the spec record they stand for). */
  inflight: Map<string, WireMessage<Msg>>;
}

/** How to make a node and key a message. */
export interface SetHarnessOptions<N, Msg> {
  members: readonly NodeId[];
  /** A fresh node (its constructor may arm timers). */
  make(id: NodeId): N;
  /** The key of a message: equal keys are one spec message. */
  keyOf(m: WireMessage<Msg>): string;
}

/** The host's operations over {@link SetHarness}. */
export interface SetHarnessOps<N, Msg> {
  create(): SetHarness<N, Msg>;
  /** Deliver the message in flight under `key` to its receiver. */
  deliver(h: SetHarness<N, Msg>, label: SpecAction, key: string): void;
  /** Fire `i`'s armed timer `timer`. */
  fire(h: SetHarness<N, Msg>, label: SpecAction, i: NodeId, timer: string): void;
  /** `i` crashes: it, its timers and the messages to it are gone. */
  crash(h: SetHarness<N, Msg>, label: SpecAction, i: NodeId): void;
  /** `i` comes back as a fresh node and takes the host's restart event. */
  recover(h: SetHarness<N, Msg>, label: SpecAction, i: NodeId): void;
  /** The message in flight under `key` is lost. */
  lose(h: SetHarness<N, Msg>, label: SpecAction, key: string): void;
}

/** The operations of a set-network replay host for nodes made by `options.make`. */
export function setHarnessOps<Msg, N extends ProtocolNode<Msg, unknown, unknown>>(options: SetHarnessOptions<N, Msg>): SetHarnessOps<N, Msg> {
  const drain = (h: SetHarness<N, Msg>, id: NodeId): void => {
    const n = h.nodes.get(id);
    if (n === null || n === undefined) return;
    const armed = h.timers.get(id) as Set<string>;
    while (n.hasReady()) {
      const rd = n.ready();
      for (const t of rd.timers) if (t.afterMs === null) armed.delete(t.name);
        else armed.add(t.name);
      for (const s of rd.send) {
        const m = { from: id, to: s.to, message: s.message };
        h.inflight.set(options.keyOf(m), m);
      }
    }
  };
  const live = (h: SetHarness<N, Msg>, id: NodeId, label: SpecAction): N => {
    const n = h.nodes.get(id);
    if (n === null || n === undefined) throw new AdapterError(`${label.action}: ${id} is down in the implementation`);
    return n;
  };
  return {
    create() {
      const h: SetHarness<N, Msg> = { nodes: new Map(), timers: new Map(), inflight: new Map() };
      for (const id of options.members) {
        h.nodes.set(id, options.make(id));
        h.timers.set(id, new Set());
        drain(h, id);
      }
      return h;
    },
    deliver(h, label, key) {
      const m = h.inflight.get(key);
      if (m === undefined) throw new AdapterError(`${label.action}: no ${key} is in flight`);
      h.inflight.delete(key);
      live(h, m.to, label).step({ type: "message", nowMs: 0, from: m.from, message: m.message });
      drain(h, m.to);
    },
    fire(h, label, i, timer) {
      const n = live(h, i, label);
      const armed = h.timers.get(i) as Set<string>;
      if (!armed.has(timer)) throw new AdapterError(`${label.action}(${i}): the spec takes it, but ${i} has no ${timer} timer armed`);
      armed.delete(timer);
      n.step({ type: "timer", nowMs: 0, name: timer });
      drain(h, i);
    },
    crash(h, label, i) {
      live(h, i, label);
      h.nodes.set(i, null);
      h.timers.set(i, new Set());
      for (const [k, m] of h.inflight) if (m.to === i) h.inflight.delete(k);
    },
    recover(h, label, i) {
      if (h.nodes.get(i) !== null) throw new AdapterError(`${label.action}(${i}): ${i} is up in the implementation`);
      const n = options.make(i);
      h.nodes.set(i, n);
      n.step({ type: "restart", nowMs: 0, durable: new Map() });
      drain(h, i);
    },
    lose(h, label, key) {
      if (!h.inflight.delete(key)) throw new AdapterError(`${label.action}: ${key} is not in flight`);
    },
  };
}

/** A record parameter `p` of a spec action (a message of `LoseMessage`), as a field reader. */
export function recordParam(values: { toPortable(v: unknown): unknown }, label: SpecAction, p: string): (field: string) => unknown {
  const v = label.params.find(([n]) => n === p)?.[1];
  const r = v === undefined ? undefined : (values.toPortable(v) as { d?: unknown[]; r?: unknown[] });
  if (r?.d === undefined || r.r === undefined) throw new AdapterError(`${label.action}: parameter ${p} is not a record`);
  return (field) => r.r![r.d!.indexOf(field)];
}

/** The node a spec action's parameter `p` names. */
export function serverParam(nameOf: (v: unknown) => string, label: SpecAction, p: string): NodeId {
  const v = label.params.find(([n]) => n === p)?.[1];
  if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${p}`);
  return nameOf(v);
}

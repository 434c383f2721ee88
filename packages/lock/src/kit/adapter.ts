/**
 * Spec → implementation replay for Redlock: each action of `Redlock.tla` becomes the node event
 * that takes it, on a manual-network cluster whose clock the adapter moves one tick per `Tick`;
 * the abstraction maps the nodes to the spec's variables.
 *
 * Messages stay in flight until an action needs them: a store's grant is the delivery of the
 * client's SET (its answer waits for `Acquire`), `IssueToken` delivers the token request and its
 * answer, `StorageWrite` the write (its verdict waits for `Release`). A late grant delivers a
 * copy of the client's last SET of an earlier attempt or of one past acquiring.
 *
 * @module
 */
import { AdapterError, type Adapter, type SpecAction, type State } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import type { RedlockClient } from "../client.js";
import { createLockNode, type LockNode } from "../index.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import { COUNTER, LAYOUT, NODES, specState, STORAGE, nodeView, type LockSpec } from "./spec-model.js";

/** What a broken build changes. */
export interface LockVariant {
  /** The storage accepts writes without checking their fencing tokens. */
  uncheckedToken?: boolean;
}

/** The replay cluster's tick. */
export const REPLAY_TICK_MS = 10;

/** The implementation replay drives. */
export interface Harness {
  cluster: TestCluster<LockMessage, LockCommand, LockResult, LockNode>;
  /** Client sequence numbers used so far. */
  seq: number;
  /** Every SET each client sent, by client (the last first), for late grants. */
  sets: Map<NodeId, LockMessage[]>;
}

/** The replay adapter over `spec`, for the correct build or a broken `variant`. */
export function lockAdapter(spec: LockSpec, variant: LockVariant = {}): Adapter<Harness> {
  const param = (label: SpecAction, p: string): unknown => {
    const v = label.params.find(([n]) => n === p)?.[1];
    if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${p}`);
    return v;
  };
  const name = (label: SpecAction, p: string): NodeId => spec.nameOf(param(label, p) as never);
  const client = (h: Harness, c: NodeId): RedlockClient => h.cluster.node(c) as RedlockClient;
  /** Deliver the in-flight message from `from` to `to` matching `pick`; throws if none. */
  const deliver = (h: Harness, from: NodeId, to: NodeId, pick: (m: LockMessage) => boolean, what: string): void => {
    const m = h.cluster.inflight.find((x) => x.from === from && x.to === to && pick(x.message));
    if (m === undefined) throw new AdapterError(`${what}: no such message from ${from} to ${to} in flight`);
    h.cluster.deliver(m.id);
  };
  /** Note the SETs just sent, and keep only messages that actions still need. */
  const collect = (h: Harness): void => {
    for (const m of h.cluster.inflight) {
      if (m.message.type === "SetNX") {
        const l = h.sets.get(m.from) ?? [];
        if (!l.includes(m.message)) l.unshift(m.message);
        h.sets.set(m.from, l);
      }
    }
    h.cluster.takeOutputs();
  };
  return {
    variables: spec.model.variables,
    create: () => {
      const cluster = new TestCluster<LockMessage, LockCommand, LockResult, LockNode>({
        ids: NODES,
        seed: 1,
        create: (id) => createLockNode(id, { ...LAYOUT, tickMs: REPLAY_TICK_MS, ttlTicks: spec.ttlTicks, uncheckedToken: variant.uncheckedToken ?? false }),
      });
      // Messages and timers are the adapter's to deliver and fire.
      cluster.takeOutputs();
      return { cluster, seq: 0, sets: new Map() };
    },
    abstract: (h): State => {
      const views = new Map(NODES.map((id) => [id, nodeView(h.cluster.node(id))]));
      return specState(spec, views, h.cluster.nowMs, REPLAY_TICK_MS);
    },
    apply(h, label) {
      const c = h.cluster;
      switch (label.action) {
        case "Tick":
          c.nowMs += REPLAY_TICK_MS;
          break;
        case "StartAcquire":
          c.request(name(label, "c"), "conformance", ++h.seq, { op: "work", value: `w${h.seq}` });
          break;
        case "GrantKey": {
          const cl = name(label, "c");
          const s = name(label, "s");
          if (param(label, "late") === true) {
            // A copy of a SET the client sent for an attempt that is not acquiring any more.
            const me = client(h, cl);
            const old = (h.sets.get(cl) ?? []).find((m): m is Extract<LockMessage, { type: "SetNX" }> => m.type === "SetNX" && (me.phase !== "collecting" || m.attempt !== me.attempt));
            if (old === undefined) throw new AdapterError(`GrantKey late: ${cl} has sent no SET of an attempt past acquiring`);
            c.node(s).step({ type: "message", nowMs: c.localMs(s), from: cl, message: structuredClone(old) });
            c.process(s);
            // The store's answer goes to an attempt nobody waits for.
            c.inflight = c.inflight.filter((m) => !(m.from === s && m.to === cl && m.message.type === "SetNXReply" && m.message.attempt === old.attempt && old.attempt !== me.attempt));
          } else {
            const a = client(h, cl).attempt;
            deliver(h, cl, s, (m) => m.type === "SetNX" && m.attempt === a, "GrantKey");
          }
          break;
        }
        case "Acquire": {
          const cl = name(label, "c");
          const me = client(h, cl);
          const a = me.attempt;
          for (const m of c.inflight.filter((x) => x.to === cl && x.message.type === "SetNXReply" && x.message.attempt === a && x.message.ok)) {
            if (me.phase !== "collecting") break;
            c.deliver(m.id);
          }
          if (me.phase !== "fencing") throw new AdapterError(`Acquire: ${cl} is ${me.phase} after its grants' answers`);
          break;
        }
        case "IssueToken": {
          const cl = name(label, "c");
          const a = client(h, cl).attempt;
          deliver(h, cl, COUNTER, (m) => m.type === "TokenRequest" && m.attempt === a, "IssueToken");
          deliver(h, COUNTER, cl, (m) => m.type === "TokenReply" && m.attempt === a, "IssueToken (the answer)");
          break;
        }
        case "GiveUp": {
          const cl = name(label, "c");
          const a = client(h, cl).attempt;
          c.fire(cl, "giveup");
          // The attempt's unanswered SETs and answers stay in the network as copies (h.sets).
          c.inflight = c.inflight.filter((m) => !("attempt" in m.message && m.message.attempt === a));
          break;
        }
        case "SendWrite": {
          const cl = name(label, "c");
          c.fire(cl, "check");
          if (client(h, cl).phase !== "working") throw new AdapterError(`SendWrite: ${cl} is ${client(h, cl).phase} after its lease check`);
          c.fire(cl, "send");
          break;
        }
        case "StorageWrite": {
          const cl = name(label, "c");
          const a = client(h, cl).attempt;
          deliver(h, cl, STORAGE, (m) => m.type === "Write" && m.attempt === a, "StorageWrite");
          break;
        }
        case "Release": {
          const cl = name(label, "c");
          const me = client(h, cl);
          const a = me.attempt;
          if (me.phase === "writing") deliver(h, STORAGE, cl, (m) => m.type === "WriteReply" && m.attempt === a, "Release");
          else c.fire(cl, "check");
          if (me.phase !== "idle") throw new AdapterError(`Release: ${cl} is still ${me.phase}`);
          c.inflight = c.inflight.filter((m) => !("attempt" in m.message && m.message.attempt === a));
          break;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
      collect(h);
    },
  };
}

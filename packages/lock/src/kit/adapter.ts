/**
 * Spec → implementation replay for Redlock: each action of `Redlock.tla` becomes the node event
 * that takes it, on a manual-network cluster whose clock the adapter moves one tick per `Tick`;
 * the abstraction maps the nodes to the spec's variables.
 *
 * Messages stay in flight until an action needs them: a store's grant or refusal is the delivery
 * of the client's SET (its answer waits for `Acquire` or `GiveUp`), `IssueToken` delivers the
 * token request and its answer, `StorageWrite` the write (its verdict waits for `Release`),
 * `DeleteKey` a DEL. A late grant or refusal, and a DEL of an ended attempt, deliver a copy of a
 * message the client sent earlier (the network may duplicate and delay any message).
 *
 * @module
 */
import { AdapterError, type Adapter, type SpecAction, type State } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import type { RedlockClient } from "../client.js";
import { createLockNode, type LockNode } from "../index.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import { tickOf } from "../options.js";
import type { LockStore } from "../store.js";
import { COUNTER, LAYOUT, NODES, specState, STORAGE, nodeView, type LockSpec } from "./spec-model.js";

type SetNx = Extract<LockMessage, { type: "SetNX" }>;

/** What a broken build changes. */
export interface LockVariant {
  /** The storage accepts writes without checking their fencing tokens. */
  uncheckedToken?: boolean;
  /** Clients never delete their keys. */
  noRelease?: boolean;
  /** A failed attempt is retried at once, without the random delay. */
  noRetryDelay?: boolean;
}

/** The replay cluster's tick. */
export const REPLAY_TICK_MS = 10;

/** The implementation replay drives. */
export interface Harness {
  cluster: TestCluster<LockMessage, LockCommand, LockResult, LockNode>;
  /** Client sequence numbers used so far. */
  seq: number;
  /** Every SET and DEL each client sent, by client (the last first), for late copies. */
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
  /** Step store `s` on a copy of `m` from `from`, as if the network had delayed or duplicated it. */
  const inject = (h: Harness, from: NodeId, s: NodeId, m: LockMessage): void => {
    h.cluster.node(s).step({ type: "message", nowMs: h.cluster.localMs(s), from, message: structuredClone(m) });
    h.cluster.process(s);
  };
  /** The ended attempt's messages leave the network, but for its DELs (copies stay in `sets`). */
  const dropAttempt = (h: Harness, a: string | null): void => {
    h.cluster.inflight = h.cluster.inflight.filter((m) => m.message.type === "Del" || !("attempt" in m.message && m.message.attempt === a));
  };
  /** Note the SETs and DELs just sent, and keep only messages that actions still need. */
  const collect = (h: Harness): void => {
    for (const m of h.cluster.inflight) {
      if (m.message.type === "SetNX" || m.message.type === "Del") {
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
        create: (id) =>
          createLockNode(
            id,
            { ...LAYOUT, tickMs: REPLAY_TICK_MS, ttlTicks: spec.ttlTicks, uncheckedToken: variant.uncheckedToken ?? false, noRelease: variant.noRelease ?? false, noRetryDelay: variant.noRetryDelay ?? false },
            SeededRng.derive(1, id),
          ),
      });
      // Messages and timers are the adapter's to deliver and fire.
      cluster.takeOutputs();
      return { cluster, seq: 0, sets: new Map() };
    },
    abstract: (h): State => {
      const views = new Map(NODES.map((id) => [id, nodeView(h.cluster.node(id))]));
      return specState(spec, views, h.cluster.nowMs, REPLAY_TICK_MS, h.cluster.inflight);
    },
    apply(h, label) {
      const c = h.cluster;
      switch (label.action) {
        case "Tick":
          c.nowMs += REPLAY_TICK_MS;
          break;
        case "StartAcquire": {
          const cl = name(label, "c");
          const me = client(h, cl);
          // A new request, or the retry of a failed attempt once its back-off timer fires.
          if (me.phase === "backoff") c.fire(cl, "retry");
          else c.request(cl, "conformance", ++h.seq, { op: "work", value: `w${h.seq}` });
          if (me.phase !== "collecting") throw new AdapterError(`StartAcquire: ${cl} is ${me.phase}, not collecting`);
          break;
        }
        case "GrantKey":
        case "Refuse": {
          const cl = name(label, "c");
          const s = name(label, "s");
          const me = client(h, cl);
          const inProgress = me.phase !== "idle" && me.phase !== "backoff" ? me.attempt : null;
          if (param(label, "late") === true) {
            // A copy of a SET the client sent for an attempt that has ended (a refusal also of its
            // attempt in progress past acquiring): nobody counts its answer.
            const old = (h.sets.get(cl) ?? []).find((m): m is SetNx => m.type === "SetNX" && (m.attempt !== inProgress || (label.action === "Refuse" && me.phase !== "collecting")));
            if (old === undefined) throw new AdapterError(`${label.action} late: ${cl} has sent no SET of an ended attempt`);
            inject(h, cl, s, old);
            c.inflight = c.inflight.filter((m) => !(m.from === s && m.to === cl && m.message.type === "SetNXReply" && m.message.attempt === old.attempt));
          } else {
            // The attempt in progress's SET: the one in flight, or a copy of it.
            const m = c.inflight.find((x) => x.from === cl && x.to === s && x.message.type === "SetNX" && x.message.attempt === inProgress);
            if (m !== undefined) c.deliver(m.id);
            else {
              const copy = (h.sets.get(cl) ?? []).find((x): x is SetNx => x.type === "SetNX" && x.attempt === inProgress);
              if (copy === undefined) throw new AdapterError(`${label.action}: ${cl} has sent no SET of its attempt in progress`);
              inject(h, cl, s, copy);
            }
            // Past acquiring the answer serves nothing.
            if (me.phase !== "collecting") c.inflight = c.inflight.filter((x) => !(x.from === s && x.to === cl && x.message.type === "SetNXReply"));
          }
          break;
        }
        case "DeleteKey": {
          const cl = name(label, "c");
          const s = name(label, "s");
          const held = (c.node(s) as LockStore).entry;
          const del = (h.sets.get(cl) ?? []).find((m): m is Extract<LockMessage, { type: "Del" }> => m.type === "Del" && m.attempt === held?.attempt);
          if (del === undefined) throw new AdapterError(`DeleteKey: ${cl} has sent no DEL of the attempt holding ${s} (${held?.attempt ?? "none"})`);
          const m = c.inflight.find((x) => x.from === cl && x.to === s && x.message.type === "Del" && x.message.attempt === del.attempt);
          if (m !== undefined) c.deliver(m.id);
          else inject(h, cl, s, del);
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
          const me = client(h, cl);
          const a = me.attempt;
          if (tickOf(c.nowMs, REPLAY_TICK_MS) >= me.validUntilTick) c.fire(cl, "giveup");
          else {
            // A majority refused: the client hears the refusals.
            for (const m of c.inflight.filter((x) => x.to === cl && x.message.type === "SetNXReply" && x.message.attempt === a && !x.message.ok)) {
              if (me.phase !== "collecting") break;
              c.deliver(m.id);
            }
          }
          if (me.phase !== "backoff") throw new AdapterError(`GiveUp: ${cl} is ${me.phase}, not backing off`);
          dropAttempt(h, a);
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
          const wrote = me.phase === "writing";
          if (wrote) deliver(h, STORAGE, cl, (m) => m.type === "WriteReply" && m.attempt === a, "Release");
          else c.fire(cl, "check");
          if (me.phase !== (wrote ? "idle" : "backoff")) throw new AdapterError(`Release: ${cl} is ${me.phase}`);
          dropAttempt(h, a);
          break;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
      collect(h);
    },
  };
}

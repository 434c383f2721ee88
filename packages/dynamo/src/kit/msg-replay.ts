/**
 * Spec → implementation replay of `DynamoMsg.tla`: each spec action becomes the one node event
 * that takes it, on a manual-network cluster of the spec's servers (N = 3, the model's R and W, any owner
 * coordinates, asynchronous read repair, timers fired only when the spec says):
 *
 * - `Put(c, ctx)`, `Get(c)`: a client request to c (the put over the context ctx names);
 * - `HandleReplicate(m)`, `HandleAck(m)`, `HandleRead(m)`, `HandleReadReply(m)`, `HandleAE(m)`: a
 *   copy of the sent message m delivered (every message ever sent is kept: the spec's messages
 *   are a set, so any of them may arrive late or twice);
 * - `AeSend(s, t)`: s sends t its entries of the key's Merkle leaf (`sendLeaves`);
 * - `Timeout(q)`: request q's timeout timer fires at its coordinator; `Restart(s)`: s crashes and
 *   restarts from storage;
 * - sloppy models (4 servers, the nodes sloppy): `ReplicateAsHint(m)`, `HandleHandoff(m)`,
 *   `HandleHandoffAck(m)` deliver m; `Retarget(q, A)` fires q's retarget timer; `Handoff(s, o)`
 *   is s's tick while it suspects every owner but o. The spec's free choice of targets is made the
 *   node's by what it suspects: before `Put(c, ctx, T)` and `Get(c, T)`, c suspects exactly the
 *   servers outside T, and before `Retarget` its coordinator suspects none (see `suspectAllBut`).
 *
 * The abstraction is trace validation's ({@link dynamoValidation}), over every message sent.
 *
 * @module
 */
import { AdapterError, type Adapter, type LoadedSpec, type SpecAction, type State, type Value, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { TestCluster, type InFlight } from "@synod/testkit";
import { bucketOf } from "../merkle.js";
import type { DynamoCommand, DynamoMessage, DynamoResult } from "../messages.js";
import { DynamoNode } from "../node.js";
import { contextOf, type VersionVector } from "../version.js";
import type { DynamoVariant } from "./histories.js";
import { isSloppy } from "./spec-model.js";
import { SPEC_KEY, TracedDynamoNode } from "./traced.js";
import { dynamoValidation, type DynamoAbstraction } from "./validate.js";

/** What replay drives. */
export interface MsgHarness {
  cluster: TestCluster<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode>;
  /** Every message ever sent, with its spec message once asked (null: not one). */
  sent: { wire: InFlight<DynamoMessage>; spec?: Value | null }[];
  abs: DynamoAbstraction;
  seq: number;
}

/**
 * The replay adapter over a loaded `MCDynamoMsg.tla` model, for the correct build or a broken
 * one; the nodes' R and W must be the model's (default 2 and 2).
 */
export function dynamoMsgAdapter(spec: LoadedSpec, variant?: DynamoVariant, quorum: { r: number; w: number } = { r: 2, w: 2 }): Adapter<MsgHarness> {
  const { values } = spec.model;
  const servers = [...spec.servers];
  const param = (label: SpecAction, p: string): Value => {
    const v = label.params.find(([n]) => n === p)?.[1];
    if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${p} (has ${label.params.map(([n]) => n).join(", ")})`);
    return v;
  };
  const server = (label: SpecAction, p: string): NodeId => spec.nameOf(param(label, p));
  const sloppy = isSloppy(spec);
  // Every set of servers, to name a spec parameter that is one (16 of them on 4 servers).
  const subsets = servers.reduce<NodeId[][]>((acc, x) => [...acc, ...acc.map((sub) => [...sub, x])], [[]]).map((sub) => ({ sub, v: values.fromJS(new Set(sub.map((x) => spec.mv(x)))) }));
  const serverSet = (label: SpecAction, p: string): NodeId[] => {
    const v = param(label, p);
    const found = subsets.find((x) => values.equals(x.v, v));
    if (found === undefined) throw new AdapterError(`${label.action}: parameter ${p} = ${values.format(v)} is not a set of servers`);
    return found.sub;
  };
  const collect = (h: MsgHarness): void => {
    for (const o of h.cluster.takeOutputs()) if (o.kind === "send") h.sent.push({ wire: o.msg });
    h.cluster.inflight = [];
  };
  const deliver = (h: MsgHarness, label: SpecAction): void => {
    const m = param(label, "m");
    // Spec messages are computed once the abstraction has numbered the requests they name.
    const specOf = (x: MsgHarness["sent"][number]): Value | null => (x.spec === undefined ? (x.spec = h.abs.message(x.wire)) : x.spec);
    const found = h.sent.find((x) => {
      const v = specOf(x);
      return v !== null && values.equals(v, m);
    });
    if (found === undefined) throw new AdapterError(`${label.action}: the implementation never sent ${values.format(m)}`);
    const w = found.wire;
    h.cluster.node(w.to).step({ type: "message", nowMs: h.cluster.localMs(w.to), from: w.from, message: structuredClone(w.message) });
    h.cluster.process(w.to);
  };
  /**
   * Make s suspect every peer but those of `up`: time moves on past the suspicion timeout, s's tick
   * suspects every peer it has not heard from since, then a pong from each of `up` clears it.
   * With `tick`, a second tick follows (the one that hands hints off to the owners not suspected).
   */
  const suspectAllBut = (h: MsgHarness, s: NodeId, up: readonly NodeId[], tick: boolean): void => {
    const c = h.cluster;
    const node = c.node(s);
    c.nowMs += node.options.suspectAfterMs + 1;
    node.step({ type: "timer", nowMs: c.localMs(s), name: "tick" });
    for (const u of up) if (u !== s) node.step({ type: "message", nowMs: c.localMs(s), from: u, message: { type: "Pong" } });
    if (tick) node.step({ type: "timer", nowMs: c.localMs(s), name: "tick" });
    c.process(s);
  };
  return {
    variables: spec.model.variables,
    create: () => {
      const cluster = new TestCluster<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode>({
        ids: servers,
        seed: 1,
        create: (id, _peers, rng) =>
          new TracedDynamoNode(id, { nodes: servers, n: 3, r: quorum.r, w: quorum.w, sloppy, coordinator: "any", readRepair: "async", antiEntropyMs: 0, countReplicaTwice: variant?.countReplicaTwice ?? false }, rng),
      });
      const h: MsgHarness = { cluster, sent: [], abs: dynamoValidation(spec), seq: 0 };
      collect(h);
      return h;
    },
    apply(h, label) {
      const c = h.cluster;
      switch (label.action) {
        case "Put": {
          const coord = server(label, "c");
          const want = param(label, "ctx");
          // The context is one a finished read returned (or none): find which.
          const candidates: VersionVector[] = [{}, ...h.abs.finishedReads().map((r) => contextOf(r))];
          const ctx = candidates.find((vv) => values.equals(h.abs.vv(vv), want));
          if (ctx === undefined) throw new AdapterError(`Put: no finished read returned the context ${values.format(want)}`);
          if (sloppy) suspectAllBut(h, coord, serverSet(label, "T"), false);
          c.request(coord, "client", ++h.seq, { op: "put", key: SPEC_KEY, value: `v${h.seq}`, context: ctx });
          break;
        }
        case "Get": {
          const coord = server(label, "c");
          if (sloppy) suspectAllBut(h, coord, serverSet(label, "T"), false);
          c.request(coord, "client", ++h.seq, { op: "get", key: SPEC_KEY });
          break;
        }
        case "Retarget": {
          const q = values.toPortable(param(label, "q")) as number;
          const r = h.abs.request(q);
          const v = r === null ? null : c.node(r.coord).request(r.implId);
          if (r === null || v === null) throw new AdapterError(`Retarget: no request ${q} running`);
          // The coordinator takes as stand-ins exactly the nodes outside the targets it does not suspect: A.
          const a = serverSet(label, "A");
          suspectAllBut(h, r.coord, servers.filter((x) => v.targets.includes(x) || a.includes(x)), false);
          c.fire(r.coord, `retarget:${r.implId}`);
          break;
        }
        case "Handoff":
          suspectAllBut(h, server(label, "s"), [server(label, "o")], true);
          break;
        case "ReplicateAsHint":
        case "HandleHandoff":
        case "HandleHandoffAck":
        case "HandleReplicate":
        case "HandleAck":
        case "HandleRead":
        case "HandleReadReply":
        case "HandleAE":
          deliver(h, label);
          break;
        case "AeSend": {
          const s = server(label, "s");
          c.node(s).sendLeaves(server(label, "t"), [bucketOf(SPEC_KEY)]);
          c.process(s);
          break;
        }
        case "Timeout": {
          const q = values.toPortable(param(label, "q")) as number;
          const r = h.abs.request(q);
          if (r === null) throw new AdapterError(`Timeout: no request ${q}`);
          c.fire(r.coord, `timeout:${r.implId}`);
          break;
        }
        case "Restart": {
          const s = server(label, "s");
          c.crash(s);
          c.restart(s);
          break;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
      collect(h);
    },
    abstract(h): State {
      const views = new Map(servers.map((s) => [s, h.abs.node(h.cluster.node(s) as TracedDynamoNode)]));
      const wires: WireMessage<DynamoMessage>[] = h.sent.map((x) => x.wire);
      return h.abs.state(views, wires, 0);
    },
  };
}

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
 *   restarts from storage.
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
  return {
    variables: spec.model.variables,
    create: () => {
      const cluster = new TestCluster<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode>({
        ids: servers,
        seed: 1,
        create: (id, _peers, rng) =>
          new TracedDynamoNode(id, { nodes: servers, n: 3, r: quorum.r, w: quorum.w, coordinator: "any", readRepair: "async", antiEntropyMs: 0, countReplicaTwice: variant?.countReplicaTwice ?? false }, rng),
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
          c.request(coord, "client", ++h.seq, { op: "put", key: SPEC_KEY, value: `v${h.seq}`, context: ctx });
          break;
        }
        case "Get":
          c.request(server(label, "c"), "client", ++h.seq, { op: "get", key: SPEC_KEY });
          break;
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

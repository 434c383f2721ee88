/**
 * Spec → implementation replay for Dynamo: each action of `specs/dynamo/Dynamo.tla` becomes the node
 * events that take it, on a manual-network cluster of the spec's servers; the abstraction maps the
 * nodes (replicas, hints, the coordinators' requests) and what the harness saw (which dot is
 * which spec write, what clients were answered) to the spec's variables.
 *
 * A spec write `w` is the put of value `w<w>` to the spec's one key; its dot is read from the
 * coordinator's replica when it is made. A sibling's `past` is every spec write whose dot its
 * context covers. The spec's message deliveries are deliveries of the matching in-flight message
 * (kept, so a later copy can be delivered again, as the spec allows), then of the answer it
 * produced, so that one spec step is one round trip. Strict quorums only (the spec's sloppy
 * targets come from an oracle the nodes do not have).
 *
 * @module
 */
import { AdapterError, loadSpec, specDirNear, type Adapter, type LoadedSpec, type SpecAction, type State, type Value } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { TestCluster, type InFlight } from "@synod/testkit";
import type { DynamoCommand, DynamoMessage, DynamoResult } from "../messages.js";
import { DynamoNode } from "../node.js";
import { covers, type Dot, type Sibling } from "../version.js";

import { SPEC_DIR } from "./spec-model.js";
import { SPEC_KEY } from "./traced.js";
const NIL = "nil";

/** Load MCDynamo.tla with `cfg` (servers s1..sn as model values). */
export function loadDynamoSpec(cfg: string, servers: readonly string[]): Promise<LoadedSpec> {
  return loadSpec({ dir: specDirNear(import.meta.url, SPEC_DIR), module: "MCDynamo.tla", cfg, servers });
}

/** The quorum constants of a replayed model. */
export interface ReplayQuorum {
  n: number;
  r: number;
  w: number;
  countTwice?: boolean;
}

interface WriteRec {
  coord: NodeId;
  req: string;
  sibs: Sibling[];
  /** Acknowledgements when the coordinator forgot the request (crash). */
  frozenAcks: NodeId[] | null;
}

interface ReadRec {
  coord: NodeId;
  req: string;
  seen: number[];
  /** The request's state when the coordinator forgot it. */
  frozen: { replies: Map<NodeId, Sibling[]>; merged: Sibling[] | null } | null;
  /** Set once the read finished: its result. */
  result: Sibling[] | null;
}

/** What replay drives. */
export interface Harness {
  cluster: TestCluster<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode>;
  writes: WriteRec[];
  reads: ReadRec[];
  dots: Dot[];
  acked: Set<number>;
  contexts: number[][];
  crashes: number;
  failed: Set<NodeId>;
  ever: Map<NodeId, Set<number>>;
  staleRead: boolean;
  seq: number;
  /** Every message ever sent (the spec lets any of them arrive late, even after a crash). */
  sent: InFlight<DynamoMessage>[];
}

/** The replay adapter over `spec` (a strict model over `servers` with the quorum `q`). */
export function dynamoAdapter(spec: LoadedSpec, servers: readonly NodeId[], q: ReplayQuorum): Adapter<Harness> {
  const { values } = spec.model;
  const param = (label: SpecAction, p: string): Value => {
    const v = label.params.find(([n]) => n === p)?.[1];
    if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${p} (has ${label.params.map(([n]) => n).join(", ")})`);
    return v;
  };
  const server = (label: SpecAction, p: string): NodeId => spec.nameOf(param(label, p));
  const int = (label: SpecAction, p: string): number => values.toPortable(param(label, p)) as number;
  const idOf = (h: Harness, d: Dot): number => {
    const k = h.dots.findIndex((x) => x.node === d.node && x.counter === d.counter);
    if (k < 0) throw new AdapterError(`dot ${d.node}:${d.counter} is no spec write`);
    return k + 1;
  };
  const toSpec = (h: Harness, s: readonly Sibling[]): Set<Value> =>
    new Set(s.map((x) => values.fromJS({ id: idOf(h, x.dot), past: new Set(h.dots.flatMap((d, k) => (covers(x.context, d) ? [k + 1] : []))) })));
  const ctxIds = (h: Harness, s: readonly Sibling[]): number[] => {
    const out = new Set<number>();
    for (const x of s) {
      out.add(idOf(h, x.dot));
      h.dots.forEach((d, k) => covers(x.context, d) && out.add(k + 1));
    }
    return [...out].sort((a, b) => a - b);
  };
  const node = (h: Harness, id: NodeId): DynamoNode => h.cluster.node(id);
  const up = (h: Harness, id: NodeId): boolean => !h.cluster.crashed.has(id);
  const local = (h: Harness, id: NodeId): Sibling[] => (h.failed.has(id) ? [] : node(h, id).local(SPEC_KEY));
  /** Take what the nodes did: messages sent (kept), clients answered. */
  const collect = (h: Harness): void => {
    for (const o of h.cluster.takeOutputs()) {
      if (o.kind === "send") h.sent.push(o.msg);
      if (o.kind !== "reply" || !o.reply.ok) continue;
      const res = o.reply.result;
      if (res.op === "put") {
        const w = h.writes.findIndex((x) => x.coord === o.node && x.req.startsWith(`${o.reply.clientId}/${o.reply.seq}|`));
        if (w >= 0) h.acked.add(w + 1);
      }
    }
    h.cluster.inflight = [];
  };
  const observe = (h: Harness): void => {
    collect(h);
    for (const s of servers) for (const x of local(h, s)) h.ever.get(s)?.add(idOf(h, x.dot));
  };
  /** Deliver a copy of `m` (nothing if its receiver is down). */
  const deliver = (h: Harness, m: InFlight<DynamoMessage>): void => {
    const c = h.cluster;
    if (c.crashed.has(m.to)) return;
    c.node(m.to).step({ type: "message", nowMs: c.localMs(m.to), from: m.from, message: structuredClone(m.message) });
    c.process(m.to);
    collect(h);
  };
  const find = (h: Harness, pred: (m: InFlight<DynamoMessage>) => boolean, what: string): InFlight<DynamoMessage> => {
    const m = [...h.sent].reverse().find(pred);
    if (m === undefined) throw new AdapterError(`${what}: no such message was sent`);
    return m;
  };
  /** Deliver the answer `from` just sent to `to` (lost if `to` is down). */
  const answer = (h: Harness, from: NodeId, to: NodeId, type: DynamoMessage["type"]): void => {
    const m = [...h.sent].reverse().find((x) => x.from === from && x.to === to && x.message.type === type);
    if (m !== undefined) deliver(h, m);
  };
  /** The request id a coordinator gave its latest request (from the messages it sent). */
  const latestReq = (h: Harness, coord: NodeId): string | null => {
    const m = [...h.sent].reverse().find((x) => x.from === coord && (x.message.type === "Replicate" || x.message.type === "Read") && x.message.req !== null);
    return m === undefined ? null : ((m.message as { req: string }).req);
  };
  const finishRead = (h: Harness, r: ReadRec): void => {
    if (r.result !== null) return;
    const v = up(h, r.coord) ? node(h, r.coord).request(r.req) : null;
    if (v?.merged === null || v === null) return;
    r.result = v.merged;
    h.contexts.push(ctxIds(h, v.merged));
    const refl = new Set(ctxIds(h, v.merged));
    if (r.seen.some((w) => !refl.has(w))) h.staleRead = true;
  };
  const freeze = (h: Harness, coord: NodeId): void => {
    for (const w of h.writes) if (w.coord === coord && w.frozenAcks === null) w.frozenAcks = node(h, coord).request(w.req.split("|")[1] as string)?.acks ?? [coord];
    for (const r of h.reads) {
      if (r.coord !== coord || r.frozen !== null) continue;
      const v = node(h, coord).request(r.req);
      r.frozen = { replies: v?.replies ?? new Map(), merged: v?.merged ?? null };
    }
  };
  return {
    variables: spec.model.variables,
    create: () => {
      const cluster = new TestCluster<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode>({
        ids: [...servers],
        seed: 1,
        create: (id, _peers, rng) =>
          new DynamoNode(id, { nodes: servers, n: q.n, r: q.r, w: q.w, coordinator: "any", readRepair: "async", antiEntropyMs: 0, countReplicaTwice: q.countTwice ?? false }, rng),
      });
      cluster.takeOutputs();
      return { cluster, writes: [], reads: [], dots: [], acked: new Set(), contexts: [], crashes: 0, failed: new Set(), ever: new Map(servers.map((s) => [s, new Set<number>()])), staleRead: false, seq: 0, sent: [] };
    },
    apply(h, label) {
      const c = h.cluster;
      switch (label.action) {
        case "StartWrite": {
          const coord = server(label, "c");
          const ctx = values.toPortable(param(label, "ctx")) as { s: number[] };
          const vv: Record<string, number> = {};
          for (const id of ctx.s) {
            const d = h.dots[id - 1] as Dot;
            vv[d.node] = Math.max(vv[d.node] ?? 0, d.counter);
          }
          const w = h.writes.length + 1;
          const seq = ++h.seq;
          c.request(coord, "client", seq, { op: "put", key: SPEC_KEY, value: `w${w}`, context: vv });
          collect(h);
          const mine = node(h, coord).local(SPEC_KEY);
          const sib = mine.find((x) => x.value === `w${w}`);
          if (sib === undefined) throw new AdapterError(`StartWrite: ${coord} did not store w${w}`);
          h.dots.push(sib.dot);
          const req = latestReq(h, coord) ?? "";
          h.writes.push({ coord, req: `client/${seq}|${req}`, sibs: mine, frozenAcks: null });
          break;
        }
        case "Replicate": {
          const w = h.writes[int(label, "w") - 1];
          const t = server(label, "t");
          if (w === undefined) throw new AdapterError("Replicate: no such write");
          const req = w.req.split("|")[1] as string;
          const m = find(h, (x) => x.from === w.coord && x.to === t && x.message.type === "Replicate" && x.message.req === req, `Replicate(${int(label, "w")}, ${t})`);
          deliver(h, m);
          answer(h, t, w.coord, "ReplicateAck");
          break;
        }
        case "StartRead": {
          const coord = server(label, "c");
          const seq = ++h.seq;
          const seen = [...h.acked].sort((a, b) => a - b);
          c.request(coord, "client", seq, { op: "get", key: SPEC_KEY });
          collect(h);
          // R = 1 (or the broken count) answers at once: no request stays, no message is sent.
          const req = latestReq(h, coord);
          const rec: ReadRec = { coord, req: req ?? "", seen, frozen: null, result: null };
          h.reads.push(rec);
          if (req === null || node(h, coord).request(req) === null) throw new AdapterError("StartRead: the read left no request to follow (R = 1 is not replayed)");
          finishRead(h, rec);
          break;
        }
        case "ReadReply": {
          const r = h.reads[int(label, "r") - 1];
          const t = server(label, "t");
          if (r === undefined) throw new AdapterError("ReadReply: no such read");
          const m = find(h, (x) => x.from === r.coord && x.to === t && x.message.type === "Read" && x.message.req === r.req, `ReadReply(${int(label, "r")}, ${t})`);
          deliver(h, m);
          answer(h, t, r.coord, "ReadReply");
          finishRead(h, r);
          break;
        }
        case "ReadRepair": {
          const r = h.reads[int(label, "r") - 1];
          const t = server(label, "t");
          if (r === undefined) throw new AdapterError("ReadRepair: no such read");
          const m = find(h, (x) => x.from === r.coord && x.to === t && x.message.type === "Replicate" && x.message.req === null, `ReadRepair(${int(label, "r")}, ${t})`);
          deliver(h, m);
          break;
        }
        case "AntiEntropy": {
          const s = server(label, "s");
          const t = server(label, "t");
          node(h, s).antiEntropyWith(t);
          c.process(s);
          // The whole exchange between the two, each message once, nothing else.
          let from = h.sent.length;
          collect(h);
          for (let k = 0; k < 20; k++) {
            const m = h.sent.slice(from).find((x) => (x.message.type === "TreeLevel" || x.message.type === "TreeLeaves") && ((x.from === s && x.to === t) || (x.from === t && x.to === s)));
            if (m === undefined) break;
            from = h.sent.indexOf(m) + 1;
            deliver(h, m);
          }
          break;
        }
        case "Crash": {
          const s = server(label, "s");
          freeze(h, s);
          c.crash(s);
          h.crashes++;
          break;
        }
        case "Restart":
          c.restart(server(label, "s"));
          break;
        case "Fail": {
          const s = server(label, "s");
          if (up(h, s)) freeze(h, s);
          if (up(h, s)) c.crash(s);
          c.durable.set(s, new Map());
          h.failed.add(s);
          h.ever.set(s, new Set());
          break;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
      observe(h);
    },
    abstract(h): State {
      const ownersFn = (f: (s: NodeId) => unknown): Map<Value, unknown> => new Map(servers.map((s) => [spec.mv(s), f(s)]));
      const nilHints = new Map(servers.map((s) => [spec.mv(s), NIL]));
      const targets = new Set(servers.slice(0, q.n).map((s) => spec.mv(s)));
      const writes = h.writes.map((w) => {
        const alive = w.frozenAcks === null;
        const acks = alive ? (node(h, w.coord).request(w.req.split("|")[1] as string)?.acks ?? [w.coord]) : w.frozenAcks!;
        return { coord: spec.mv(w.coord), targets, hint: nilHints, sibs: toSpec(h, w.sibs), acks: new Set(acks.map((a) => spec.mv(a))), alive };
      });
      const reads = h.reads.map((r) => {
        const alive = r.frozen === null;
        const v = alive ? node(h, r.coord).request(r.req) : null;
        const replies = alive ? (v?.replies ?? new Map()) : r.frozen!.replies;
        return {
          coord: spec.mv(r.coord),
          targets,
          hint: nilHints,
          replies: new Set([...replies].map(([from, s]) => values.fromJS({ from: spec.mv(from), sibs: toSpec(h, s) }))),
          seen: new Set(r.seen),
          result: r.result === null ? new Set() : toSpec(h, r.result),
          done: r.result !== null,
          alive,
        };
      });
      const byName: Record<string, unknown> = {
        store: ownersFn((s) => toSpec(h, local(h, s))),
        hints: ownersFn((s) => new Map(servers.map((o) => [spec.mv(o), toSpec(h, h.failed.has(s) ? [] : [])]))),
        up: ownersFn((s) => up(h, s)),
        failed: new Set([...h.failed].map((s) => spec.mv(s))),
        writes,
        reads,
        contexts: new Set([new Set<number>(), ...h.contexts.map((x) => new Set(x))]),
        acked: new Set(h.acked),
        crashes: h.crashes,
        ever: ownersFn((s) => new Set(h.ever.get(s))),
        staleRead: h.staleRead,
      };
      return spec.model.variables.map((name) => {
        const x = byName[name];
        if (x === undefined) throw new Error(`Dynamo.tla has a variable ${name} the dynamo abstraction does not know`);
        return values.fromJS(x);
      });
    },
  };
}

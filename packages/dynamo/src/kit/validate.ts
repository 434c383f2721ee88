/**
 * Implementation → spec for Dynamo: the abstraction trace validation uses to hold every step of a
 * {@link TracedDynamoNode} to `DynamoMsg.tla` (single message deliveries, strict or sloppy quorums,
 * hinted handoff, asynchronous read repair, Merkle anti-entropy, restarts).
 *
 * Each node's view carries what the spec state needs from that node, including its history:
 * - `store[s]`: the node's siblings of {@link SPEC_KEY} (dots and contexts; the value is
 *   determined by the dot), `ever[s]`: every dot it ever held (the view before, plus the store);
 * - `reqs`: every request the node ever coordinated. A request is numbered when it first shows
 *   (requests are made one step at a time, so numbers follow the spec's `Len(reqs) + 1`); while
 *   the node runs it, its acknowledgements, replies, result and whether the client was answered
 *   come from the node; once it is gone (timeout, restart) it keeps its last state, dead. A read's
 *   `seen`, the writes acknowledged before it began, is taken from every view when it first shows.
 *
 * - `hints[s][o]`: the siblings of the key the node keeps for away owner `o`.
 *
 * Messages: `Replicate` (with its hint), `ReplicateAck`, `Read`, `ReadReply`, `Handoff`,
 * `HandoffAck` of the key, and `TreeLeaves` whose leaves include the key's, are spec messages;
 * pings and the Merkle descent are not. A `HandoffAck` carries the digest of what the owner merged;
 * the spec's carries the siblings, found from the `Handoff` that had that digest.
 *
 * @module
 */
import { AdapterError, type LoadedSpec, type StepAbstraction, type State, type Value, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { bucketOf } from "../merkle.js";
import type { DynamoMessage } from "../messages.js";
import { digestOf, formatDot, type Dot, type Sibling, type VersionVector } from "../version.js";
import type { DynamoTypes } from "./histories.js";
import { SPEC_OWNERS } from "./spec-model.js";
import { SPEC_KEY, type TracedDynamoNode } from "./traced.js";

/** A request as the spec's `reqs[q]` holds it, in implementation terms. */
interface ReqRec {
  /** Its spec number. */
  q: number;
  /** The coordinator's request id. */
  implId: string;
  coord: NodeId;
  kind: "put" | "get";
  /** The nodes asked (the preference list, or stand-ins for away owners: sloppy quorums). */
  targets: NodeId[];
  /** Each stand-in and the owner it stands in for. */
  stand: [NodeId, NodeId][];
  /** Whether its silent targets were replaced. */
  retargeted: boolean;
  dot: Dot | null;
  /** put: the sibling it wrote (the spec's `write`, a set of at most one). */
  write: Sibling[];
  acks: NodeId[];
  replies: [NodeId, Sibling[]][];
  result: Sibling[];
  done: boolean;
  live: boolean;
  /** get: dots (`n:c`) acknowledged before it began. */
  seen: string[];
}

/** One node's part of the spec state. */
interface View {
  id: NodeId;
  store: Sibling[];
  /** The hints of the key it keeps, by owner (owners with none absent). */
  hints: [NodeId, Sibling[]][];
  ever: string[];
  reqs: ReqRec[];
}

/** The abstraction, with what spec → implementation replay also needs of it. */
export interface DynamoAbstraction extends StepAbstraction<DynamoTypes> {
  /** The spec message a wire message is (null: it is none). */
  message(w: WireMessage<DynamoMessage>): Value | null;
  /** A version vector as the spec's `[Server -> Nat]`. */
  vv(vv: VersionVector): Value;
  /** The results of every read answered so far (as the last views show them). */
  finishedReads(): Sibling[][];
  /** Spec request `q`: its coordinator and its id there (null: no such request). */
  request(q: number): { coord: NodeId; implId: string } | null;
}

/** The validation abstraction over a loaded `MCDynamoMsg.tla` model (one per validated run). */
export function dynamoValidation(spec: LoadedSpec): DynamoAbstraction {
  const { values } = spec.model;
  const leaf = bucketOf(SPEC_KEY);
  const numbers = new Map<string, number>();
  /** Digest → siblings of every `Handoff` of the key seen (a `HandoffAck` names one by digest). */
  const handedOff = new Map<string, Sibling[]>();
  const hintOf = (h: NodeId | null): unknown => (h === null ? "none" : spec.mv(h));
  const last = new Map<NodeId, View>();
  const ackedDots = (): string[] => [...last.values()].flatMap((v) => v.reqs.filter((r) => r.kind === "put" && r.done && r.dot !== null).map((r) => formatDot(r.dot as Dot)));

  const sib = (s: Sibling): Value =>
    values.fromJS({
      node: spec.mv(s.dot.node),
      counter: s.dot.counter,
      ctx: new Map(spec.servers.map((x) => [spec.mv(x), s.context[x] ?? 0])),
    });
  const sibs = (list: readonly Sibling[]): Set<Value> => {
    for (const s of list) if (!spec.servers.includes(s.dot.node)) throw new AdapterError(`a sibling's dot names ${s.dot.node}, no server of the model`);
    return new Set(list.map(sib));
  };
  const dot = (d: Dot | string | null): unknown => {
    if (d === null) return { node: "none", counter: 0 };
    const x = typeof d === "string" ? { node: d.slice(0, d.lastIndexOf(":")), counter: Number(d.slice(d.lastIndexOf(":") + 1)) } : d;
    return { node: spec.mv(x.node), counter: x.counter };
  };
  const reqNumber = (id: string | null): number => {
    if (id === null) return 0;
    const q = numbers.get(id);
    if (q === undefined) throw new AdapterError(`a message names request ${id}, which no node has coordinated`);
    return q;
  };
  const msg = (type: string, w: WireMessage<DynamoMessage>, req: number, s: readonly Sibling[], answer: boolean, hint: NodeId | null = null): Value =>
    values.fromJS({ type, from: spec.mv(w.from), to: spec.mv(w.to), req, sibs: sibs(s), answer, hint: hintOf(hint) });
  const specMessage = (w: WireMessage<DynamoMessage>): Value | null => {
    const m = w.message;
    switch (m.type) {
      case "Replicate":
        return m.key === SPEC_KEY ? msg("Replicate", w, reqNumber(m.req), m.siblings, false, m.hint) : null;
      case "ReplicateAck":
        return m.key === SPEC_KEY ? msg("Ack", w, reqNumber(m.req), [], false) : null;
      case "Read":
        return m.key === SPEC_KEY ? msg("Read", w, reqNumber(m.req), [], false) : null;
      case "ReadReply":
        return m.key === SPEC_KEY ? msg("ReadReply", w, reqNumber(m.req), m.siblings, false) : null;
      case "Handoff":
        if (m.key !== SPEC_KEY) return null;
        handedOff.set(digestOf(m.siblings), m.siblings);
        return msg("Handoff", w, 0, m.siblings, false);
      case "HandoffAck": {
        if (m.key !== SPEC_KEY) return null;
        const s = handedOff.get(m.digest);
        if (s === undefined) throw new AdapterError(`${w.from} acknowledges a handoff of digest ${m.digest} that ${w.to} never sent`);
        return msg("HandoffAck", w, 0, s, false);
      }
      case "TreeLeaves": {
        if (!m.leaves.includes(leaf)) return null;
        const entry = m.entries.find(([k]) => k === SPEC_KEY);
        return msg("AE", w, 0, entry === undefined ? [] : entry[1], m.answer);
      }
      default:
        return null;
    }
  };

  const allReqs = (): ReqRec[] => [...last.values()].flatMap((v) => v.reqs);
  return {
    message: specMessage,
    vv: (vv) => values.fromJS(new Map(spec.servers.map((x) => [spec.mv(x), vv[x] ?? 0]))),
    finishedReads: () => allReqs().filter((r) => r.kind === "get" && r.done).map((r) => r.result),
    request(q) {
      const r = allReqs().find((x) => x.q === q);
      return r === undefined ? null : { coord: r.coord, implId: r.implId };
    },
    node(n: TracedDynamoNode): View {
      const prev = last.get(n.id);
      const store = n.local(SPEC_KEY);
      const ever = new Set(prev?.ever ?? []);
      for (const s of store) ever.add(formatDot(s.dot));
      const running = new Set(n.requestIds());
      // Requests of earlier steps (and lives): refreshed while the node runs them, else dead.
      const reqs: ReqRec[] = (prev?.reqs ?? []).map((r) => (running.has(r.implId) ? r : { ...r, live: false }));
      for (const id of running) {
        const v = n.request(id);
        if (v === null) continue;
        if (v.key !== SPEC_KEY) throw new AdapterError(`${n.id} coordinates a request for key ${v.key}; the spec models only ${SPEC_KEY}`);
        let q = numbers.get(id);
        if (q === undefined) {
          numbers.set(id, (q = numbers.size + 1));
          reqs.push({ q, implId: id, coord: n.id, kind: v.kind, targets: [], stand: [], retargeted: false, dot: null, write: [], acks: [], replies: [], result: [], done: false, live: true, seen: v.kind === "get" ? ackedDots() : [] });
        }
        const k = reqs.findIndex((r) => r.implId === id);
        const r = { ...(reqs[k] as ReqRec), targets: [...v.targets], stand: [...v.hints], retargeted: v.retargeted };
        reqs[k] =
          v.kind === "put"
            ? { ...r, dot: v.dot, write: v.written === null ? [] : [v.written], acks: [...v.acks], done: v.answered, live: true }
            : { ...r, replies: [...v.replies], result: v.merged ?? [], done: v.answered, live: true };
      }
      const hints: [NodeId, Sibling[]][] = [];
      for (const [owner, keys] of n.hintsHeld()) {
        if (!keys.includes(SPEC_KEY)) continue;
        if (!SPEC_OWNERS.includes(owner)) throw new AdapterError(`${n.id} keeps a hint of ${SPEC_KEY} for ${owner}, no owner of the key`);
        hints.push([owner, n.hintFor(owner, SPEC_KEY)]);
      }
      const view: View = { id: n.id, store: [...store], hints, ever: [...ever].sort(), reqs };
      last.set(n.id, view);
      return view;
    },
    state(nodes, inflight): State {
      const views = nodes as ReadonlyMap<NodeId, View>;
      const view = (s: NodeId): View => {
        const v = views.get(s);
        if (v === undefined) throw new AdapterError(`no view of server ${s}`);
        return v;
      };
      const all = spec.servers.flatMap((s) => view(s).reqs).sort((a, b) => a.q - b.q);
      all.forEach((r, k) => {
        if (r.q !== k + 1) throw new AdapterError(`requests are numbered ${all.map((x) => x.q).join(", ")}: request ${k + 1} is missing`);
      });
      // Handoffs first: an acknowledgement names the handoff it answers by digest.
      for (const w of inflight) if (w.message.type === "Handoff") specMessage(w);
      const byName: Record<string, unknown> = {
        store: new Map(spec.servers.map((s) => [spec.mv(s), sibs(view(s).store)])),
        hints: new Map(
          spec.servers.map((s) => {
            const held = new Map(view(s).hints);
            return [spec.mv(s), new Map(SPEC_OWNERS.map((o) => [spec.mv(o), sibs(held.get(o) ?? [])]))];
          }),
        ),
        ever: new Map(spec.servers.map((s) => [spec.mv(s), new Set(view(s).ever.map(dot))])),
        msgs: new Set(inflight.map(specMessage).filter((m): m is Value => m !== null)),
        reqs: all.map((r) => ({
          coord: spec.mv(r.coord),
          kind: r.kind,
          targets: new Set(r.targets.map((t) => spec.mv(t))),
          stand: new Set(r.stand.map(([node, owner]) => values.fromJS({ node: spec.mv(node), owner: spec.mv(owner) }))),
          retargeted: r.retargeted,
          dot: dot(r.dot),
          write: sibs(r.write),
          acks: new Set(r.acks.map((a) => spec.mv(a))),
          replies: new Set(r.replies.map(([from, s]) => values.fromJS({ from: spec.mv(from), sibs: sibs(s) }))),
          result: sibs(r.result),
          done: r.done,
          live: r.live,
          seen: new Set(r.seen.map(dot)),
        })),
      };
      return spec.model.variables.map((name) => {
        const x = byName[name];
        if (x === undefined) throw new AdapterError(`DynamoMsg.tla has a variable ${name} the dynamo abstraction does not know`);
        return values.fromJS(x);
      });
    },
  };
}

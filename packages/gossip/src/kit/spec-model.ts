/**
 * How conformance sees `specs/gossip/AntiEntropy.tla` (instantiated by `MCGCounter.tla` and
 * `MCORSet.tla`): loading a model, and the abstraction from gossip nodes to the spec's variables.
 *
 * The spec models one CRDT instance; the kit's nodes replicate the key {@link SPEC_KEY} of their
 * map with it. The variables, from the nodes:
 *
 * - `state[r]`: node r's state of the key (`toJson`, as a TLA+ value: a G-Counter is
 *   `[Replica -> Nat]`, an OR-Set `[Elem -> [live: SUBSET (Replica \X Nat), ctx: [Replica -> Nat]]]`);
 * - `seen[r]`: the key's version vector at r (the updates its state includes), `count[r]` = `seen[r][r]`;
 * - `issued`: every update of the key with its op, delta and causal past (`[origin, seq, op, delta, deps]`),
 *   and `joined`, the join of their deltas;
 * - `msgs`: the bag of spec messages — each whole entry of the key in an anti-entropy message, each
 *   delta of the key in a rumor — plus the deltas a node holds waiting for their causal past.
 *
 * @module
 */
import { AdapterError, loadSpec, specDirNear, type LoadedSpec, type Value } from "@synod/conformance";
import { gCounter, orSet } from "@synod/crdt";
import type { Json, NodeId } from "@synod/protocol";
import type { GossipMessage } from "../messages.js";
import type { VersionVector } from "../version-vector.js";
import { deltaMessage, SPEC_KEY, stateMessage, type IssuedUpdate, type SpecMessage } from "./traced.js";

/** The spec folder, relative to the checkout. */
export const SPEC_DIR = "specs/gossip";

/** The CRDTs the spec is instantiated with. */
export type SpecCrdt = "g-counter" | "or-set";

/** A loaded gossip model: which CRDT, and its elements (OR-Set). */
export interface GossipSpec extends LoadedSpec {
  crdt: SpecCrdt;
  /** The OR-Set's elements (model values, also the implementation's element names). */
  elems: readonly string[];
}

/** A model to load: the CRDT, replicas, elements and bounds. */
export interface ModelShape {
  crdt: SpecCrdt;
  replicas: readonly NodeId[];
  elems?: readonly string[];
  maxUpdates: number;
  maxInFlight: number;
}

/** The cfg text of a model (the operator substitutions of the spec's MC modules). */
export function modelCfg(m: ModelShape): string {
  const p = m.crdt === "g-counter" ? "GC" : "OR";
  const lines = [
    "CONSTANTS",
    `    Replica = {${m.replicas.join(", ")}}`,
    ...(m.crdt === "or-set" ? [`    Elem = {${(m.elems ?? []).join(", ")}}`] : []),
    `    MaxUpdates = ${m.maxUpdates}`,
    `    MaxInFlight = ${m.maxInFlight}`,
    `    Op <- ${p}Ops`,
    `    Bottom <- ${p}Bottom`,
    `    Join <- ${p}Join`,
    `    Merge <- ${p}Join`,
    `    Leq <- ${p}Leq`,
    `    Delta <- ${p}Delta`,
    `    Value <- ${p}Value`,
    `    SpecValue <- ${p}SpecValue`,
    "INIT Init",
    "NEXT Next",
    "CHECK_DEADLOCK FALSE",
  ];
  return `${lines.join("\n")}\n`;
}

/** Load a model of the spec. */
export async function loadGossipSpec(m: ModelShape): Promise<GossipSpec> {
  const module = m.crdt === "g-counter" ? "MCGCounter.tla" : "MCORSet.tla";
  const loaded = await loadSpec({ dir: specDirNear(import.meta.url, SPEC_DIR), module, cfg: modelCfg(m), cfgName: `${module} (${m.replicas.length} replicas, MaxUpdates ${m.maxUpdates})`, servers: m.replicas });
  return { ...loaded, crdt: m.crdt, elems: m.elems ?? [] };
}

/** Spec values of implementation JSON, for one loaded model. */
export class SpecValues {
  constructor(readonly spec: GossipSpec) {}

  private get v() {
    return this.spec.model.values;
  }

  /** A version vector as `[Replica -> Nat]`. */
  vv(vv: VersionVector): Value {
    for (const r of Object.keys(vv)) if (!this.spec.servers.includes(r) && (vv[r] as number) > 0) throw new AdapterError(`version vector names ${r}, not a replica of the model`);
    return this.v.fromJS(new Map(this.spec.servers.map((r) => [this.spec.mv(r), vv[r] ?? 0])));
  }

  /** A CRDT state (or delta) from its `toJson` form. */
  state(json: Json): Value {
    if (this.spec.crdt === "g-counter") {
      const o = (json ?? {}) as Record<string, number>;
      return this.vv(o);
    }
    const o = json as { floor?: Record<string, number>; elems?: Record<string, { live: Record<string, number>; ctx: Record<string, number> }> } | null;
    if (o === null || typeof o !== "object") throw new AdapterError(`an OR-Set state is an object, got ${JSON.stringify(json)}`);
    if (Object.values(o.floor ?? {}).some((n) => n > 0)) throw new AdapterError(`the spec models no compaction floor, got ${JSON.stringify(o.floor)}`);
    const elems = o.elems ?? {};
    for (const e of Object.keys(elems)) if (!this.spec.elems.includes(e)) throw new AdapterError(`element ${JSON.stringify(e)} is not an Elem of the model`);
    return this.v.fromJS(
      new Map(
        this.spec.elems.map((e) => {
          const en = elems[e] ?? { live: {}, ctx: {} };
          const live = new Set(Object.entries(en.live).map(([r, n]) => [this.spec.mv(r), n]));
          return [this.spec.mv(e), { live, ctx: this.vv(en.ctx) }];
        }),
      ),
    );
  }

  /** A client op (`parseOp` JSON) as the spec's `Op`: `"inc"`, or `<<"add" | "remove", e>>`. */
  op(json: Json): Value {
    const o = json as { type?: string; by?: number; elem?: string } | null;
    if (this.spec.crdt === "g-counter") {
      if (o?.type !== "inc" || (o.by !== undefined && o.by !== 1)) throw new AdapterError(`the spec's G-Counter increments by 1 only, got ${JSON.stringify(json)}`);
      return this.v.fromJS("inc");
    }
    if ((o?.type !== "add" && o?.type !== "remove") || typeof o.elem !== "string" || !this.spec.elems.includes(o.elem)) throw new AdapterError(`not an OR-Set op of the model: ${JSON.stringify(json)}`);
    return this.v.fromJS([o.type, this.spec.mv(o.elem)]);
  }

  /** A spec message. */
  message(m: SpecMessage): Value {
    return this.v.fromJS({ kind: m.kind, from: this.spec.mv(m.from), to: this.spec.mv(m.to), payload: this.state(m.payload), vv: this.vv(m.vv), deps: this.vv(m.deps) });
  }

  /** An issued update. */
  issued(u: IssuedUpdate): Value {
    return this.v.fromJS({ origin: this.spec.mv(u.origin), seq: u.seq, op: this.op(u.op), delta: this.state(u.delta), deps: this.vv(u.deps) });
  }

  /** A bag of values (a function to positive counts, as `Bags` has it). */
  bag(values: readonly Value[]): Value {
    const counts: { v: Value; n: number }[] = [];
    for (const x of values) {
      const c = counts.find((y) => this.v.equals(y.v, x));
      if (c === undefined) counts.push({ v: x, n: 1 });
      else c.n++;
    }
    return this.v.fromJS(new Map(counts.map((c) => [c.v, c.n])));
  }
}

/** The spec messages a wire message carries (for the spec key only). */
export function specMessagesOf(from: NodeId, to: NodeId, m: GossipMessage): SpecMessage[] {
  if (m.type === "Rumor") return m.deltas.filter((d) => d.key === SPEC_KEY).map((d) => deltaMessage(from, to, d));
  if (m.type === "AeEntries") return m.entries.filter((e) => e.key === SPEC_KEY).map((e) => stateMessage(from, to, e.state, e.vv));
  return [];
}

/** What one node contributes to the spec state. */
export interface NodeView {
  id: NodeId;
  /** The key's state JSON and version vector. */
  state: Json;
  vv: VersionVector;
  /** Deltas of the key waiting at this node (in flight for the spec). */
  waiting: SpecMessage[];
}

/** The spec state from every replica's view, the messages in flight and the updates issued. */
export function specState(values: SpecValues, views: ReadonlyMap<NodeId, NodeView>, msgs: readonly SpecMessage[], issued: readonly IssuedUpdate[]): Value[] {
  const spec = values.spec;
  const view = (r: NodeId): NodeView => {
    const v = views.get(r);
    if (v === undefined) throw new AdapterError(`no view of replica ${r}`);
    return v;
  };
  const count = (r: NodeId): number => view(r).vv[r] ?? 0;
  const live = issued.filter((u) => u.seq <= count(u.origin));
  const inFlight = [...msgs, ...spec.servers.flatMap((r) => view(r).waiting)];
  const v = spec.model.values;
  // The ghost `joined`: the real lattice join of every counted update's delta (whatever merge a
  // broken build uses; the spec joins with Join).
  const lattice = spec.crdt === "g-counter" ? gCounter : orSet;
  let all: unknown = lattice.bottom();
  for (const u of live) all = (lattice.merge as (a: unknown, b: unknown) => unknown)(all, lattice.fromJson(u.delta, `the delta of ${u.origin}:${u.seq}`));
  const byName: Record<string, Value> = {
    joined: values.state((lattice.toJson as (s: unknown) => Json)(all)),
    state: v.fromJS(new Map(spec.servers.map((r) => [spec.mv(r), values.state(view(r).state)]))),
    msgs: values.bag(inFlight.map((m) => values.message(m))),
    count: v.fromJS(new Map(spec.servers.map((r) => [spec.mv(r), count(r)]))),
    issued: v.fromJS(new Set(live.map((u) => values.issued(u)))),
    seen: v.fromJS(new Map(spec.servers.map((r) => [spec.mv(r), values.vv(view(r).vv)]))),
  };
  return spec.model.variables.map((name) => {
    const x = byName[name];
    if (x === undefined) throw new AdapterError(`AntiEntropy.tla has a variable ${name} the gossip abstraction does not know`);
    return x;
  });
}

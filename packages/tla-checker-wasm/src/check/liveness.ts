/**
 * Liveness checking on the explicit state graph, for the property shapes specs use most:
 * `P ~> Q` (also written `[](P => <>Q)`), `[]<>P`, `<>[]P`, `<>P`, `[]<>A` for an action `A`
 * such as `<<Next>>_v` (and conjunctions of them, which the core produces for
 * `\A x \in S : ...`), under the WF/SF conjuncts of SPECIFICATION. Leaves must be state
 * predicates; any other temporal shape is reported as unsupported rather than guessed at.
 *
 * A violation is a fair lasso: a path to a strongly connected component of "bad" states that a
 * behaviour can stay in forever while satisfying every fairness condition. As in TLC every state
 * may stutter, so each component is a cycle. A component is fair for WF_v(A) when it has an
 * <<A>>_v step inside it or a state where <<A>>_v is disabled; for SF_v(A) when it has an
 * <<A>>_v step or <<A>>_v is disabled everywhere in it, else we drop the states where it is
 * enabled and look again inside what is left (Emerson and Lei's algorithm).
 *
 * The graph is built separately from the safety search and kept compactly (issue 6): per state
 * its fingerprint, BFS parent and one byte per predicate the search asks about (evaluated while
 * the state is on the frontier), per edge its target and one byte per action predicate, all in
 * typed arrays; about 30 bytes per state and 5 per edge plus the fingerprint index. States are
 * re-derived from the fingerprints only for a counterexample. Browser-safe.
 *
 * @module
 */
import type { ActionLabel, CompiledModel, EvalContext, State } from "../model.js";
import type { LiveFormula } from "../eval/temporal.js";
import { satisfiesConstraints } from "./explorer.js";
import type { TraceStep } from "./types.js";

/** The liveness material the core attaches to a loaded model (`LoadedModel.liveness`). */
export interface LivenessSpec {
  fairness: LiveFormula[];
  properties: { name: string; formula: LiveFormula }[];
}

/** A liveness property shape we check. */
type Obligation =
  | { k: "leadsto"; from: StatePred; to: StatePred }
  | { k: "infinitelyOften"; p: StatePred }
  | { k: "eventuallyAlways"; p: StatePred }
  | { k: "eventually"; p: StatePred }
  | { k: "infinitelyManySteps"; a: ActionPred };

type ActionPred = (from: State, to: State, ctx: EvalContext) => boolean;

type StatePred = (s: State, ctx: EvalContext) => boolean;

interface Fairness {
  strong: boolean;
  text: string;
  step(from: State, to: State, ctx: EvalContext): boolean;
  enabled(state: State, ctx: EvalContext): boolean;
}

/** The outcome of {@link checkLiveness}. */
export type LivenessOutcome =
  | { ok: true; states: number }
  | { ok: false; name: string; trace: TraceStep[]; loopIndex: number; states: number }
  | { ok: false; unsupported: string };

/**
 * The behaviour graph, compactly: states are numbered in BFS order and kept as fingerprints;
 * edges of state v are edgeTo[edgeStart[v] .. edgeStart[v + 1]). Predicates were evaluated while
 * building (see {@link Predicates}); the states are re-derived only for a counterexample.
 */
interface Graph {
  n: number;
  fps: BigUint64Array;
  parent: Int32Array;
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  initial: number[];
  /** Per state predicate, one byte per state. */
  stateBits: Uint8Array[];
  /** Per action predicate, its value on the stutter step of each state. */
  stutterBits: Uint8Array[];
  /** Per action predicate, one byte per edge. */
  edgeBits: Uint8Array[];
  /** Edges left out of the search (1 = dropped), for `[]<>A`. */
  edgeMask?: Uint8Array;
  /** Set for states that may not stutter in the cycle being sought (the stutter step is excluded). */
  noStutter?: Uint8Array;
}

/** A fairness condition as bits of the graph. */
interface GraphFairness {
  strong: boolean;
  /** Per state: <<A>>_v is enabled. */
  enabled: Uint8Array;
  /** Per edge: the step is an <<A>>_v step. */
  step: Uint8Array;
}

const ctx: EvalContext = { level: 1 };

/** Compile the property's shape, or explain why it is not supported. */
function obligations(f: LiveFormula, out: Obligation[]): string | null {
  switch (f.k) {
    case "bool":
      return f.value ? null : "the property is FALSE";
    case "and": {
      for (const g of f.fs) {
        const why = obligations(g, out);
        if (why) return why;
      }
      return null;
    }
    case "leadsto": {
      const from = statePred(f.from);
      const to = statePred(f.to);
      if (!from || !to) return "~> between non-state formulas";
      out.push({ k: "leadsto", from, to });
      return null;
    }
    case "always": {
      if (f.f.k === "eventually" && f.f.f.k === "action") {
        const a = f.f.f;
        out.push({ k: "infinitelyManySteps", a: (from, to, c) => a.holds(from, to, c) });
        return null;
      }
      if (f.f.k === "eventually") {
        const p = statePred(f.f.f);
        if (!p) return "[]<> of a formula mixing actions and temporal operators";
        out.push({ k: "infinitelyOften", p });
        return null;
      }
      if (f.f.k === "and") return obligations({ k: "and", fs: f.f.fs.map((g) => ({ k: "always", f: g }) as LiveFormula) }, out);
      if (f.f.k === "leadsto") return obligations(f.f, out);
      if (f.f.k === "or") {
        // [](A \/ <>Q), which is how [](P => <>Q) arrives: the same as ~A ~> Q.
        const later = f.f.fs.filter((g) => g.k === "eventually");
        const now = f.f.fs.filter((g) => g.k !== "eventually");
        const nowPreds = now.map(statePred);
        if (later.length === 1 && later[0].k === "eventually" && nowPreds.every((g) => g)) {
          const to = statePred(later[0].f);
          if (!to) return "[](P => <>Q) with a non-state Q";
          out.push({ k: "leadsto", from: (st, c) => !nowPreds.some((g) => g!(st, c)), to });
          return null;
        }
      }
      return "[] of this formula";
    }
    case "eventually": {
      if (f.f.k === "always") {
        const p = statePred(f.f.f);
        if (!p) return "<>[] of a non-state formula";
        out.push({ k: "eventuallyAlways", p });
        return null;
      }
      const p = statePred(f.f);
      if (!p) return "<> of a non-state formula";
      out.push({ k: "eventually", p });
      return null;
    }
    case "state":
    case "action":
    case "not":
    case "or":
    case "fair":
      return `a property of the form ${f.k}`;
    default: {
      const never: never = f;
      return `unknown formula ${JSON.stringify(never)}`;
    }
  }
}

/** A formula without temporal operators as a state predicate; null if it has any. */
function statePred(f: LiveFormula): StatePred | null {
  switch (f.k) {
    case "bool":
      return () => f.value;
    case "state":
      return (s, c) => f.holds(s, c);
    case "not": {
      const g = statePred(f.f);
      return g ? (s, c) => !g(s, c) : null;
    }
    case "and": {
      const gs = f.fs.map(statePred);
      return gs.every((g) => g) ? (s, c) => gs.every((g) => g!(s, c)) : null;
    }
    case "or": {
      const gs = f.fs.map(statePred);
      return gs.every((g) => g) ? (s, c) => gs.some((g) => g!(s, c)) : null;
    }
    default:
      return null;
  }
}

function fairnessOf(fs: LiveFormula[], out: Fairness[]): string | null {
  for (const f of fs) {
    if (f.k === "fair") out.push(f);
    else if (f.k === "and") {
      const why = fairnessOf(f.fs, out);
      if (why) return why;
    } else if (f.k === "bool" && f.value) continue;
    else return `a fairness conjunct of the form ${f.k}`;
  }
  return null;
}

/** A typed array that grows by doubling (states and edges arrive one at a time). */
class Growable<T extends Int32Array | Uint8Array | BigUint64Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(x: T extends BigUint64Array ? bigint : number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      (bigger as unknown as { set(a: T): void }).set(this.data);
      this.data = bigger;
    }
    (this.data as unknown as Array<typeof x>)[this.length++] = x;
  }
  done(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * The predicates the search needs, evaluated once per state and per edge while the graph is
 * built, so that the graph can drop the states themselves.
 */
class Predicates {
  readonly state: StatePred[] = [];
  readonly action: ActionPred[] = [];
  stateIndex(p: StatePred): number {
    const i = this.state.indexOf(p);
    return i >= 0 ? i : this.state.push(p) - 1;
  }
  actionIndex(a: ActionPred): number {
    const i = this.action.indexOf(a);
    return i >= 0 ? i : this.action.push(a) - 1;
  }
}

/**
 * Build the whole constrained state graph (no symmetry or VIEW: liveness needs real states),
 * keeping per state only its fingerprint, BFS parent and predicate bits, and per edge its target
 * and predicate bits (compressed-row arrays). States live only while they are on the frontier.
 */
function buildGraph(model: CompiledModel, preds: Predicates, maxStates: number): Graph | string {
  const index = new Map<bigint, number>();
  const fps = new Growable(new BigUint64Array(1024), (n) => new BigUint64Array(n));
  const parents = new Growable(new Int32Array(1024), (n) => new Int32Array(n));
  const edgeStart = new Growable(new Int32Array(1024), (n) => new Int32Array(n));
  const edgeTo = new Growable(new Int32Array(1024), (n) => new Int32Array(n));
  const stateBits = preds.state.map(() => new Growable(new Uint8Array(1024), (n) => new Uint8Array(n)));
  const stutterBits = preds.action.map(() => new Growable(new Uint8Array(1024), (n) => new Uint8Array(n)));
  const edgeBits = preds.action.map(() => new Growable(new Uint8Array(1024), (n) => new Uint8Array(n)));
  const initial: number[] = [];
  // The frontier: states not yet expanded, in id order (ids are handed out in BFS order).
  let frontier: State[] = [];
  let frontierBase = 0;
  const add = (state: State, parent: number): number => {
    const fp = model.values.fingerprintState(state);
    const known = index.get(fp);
    if (known !== undefined) return known;
    const id = fps.length;
    if (id >= maxStates) throw new RangeError("liveness graph too large");
    index.set(fp, id);
    fps.push(fp);
    parents.push(parent);
    frontier.push(state);
    preds.state.forEach((p, i) => stateBits[i]!.push(p(state, ctx) ? 1 : 0));
    preds.action.forEach((a, i) => stutterBits[i]!.push(a(state, state, ctx) ? 1 : 0));
    return id;
  };
  try {
    for (const init of model.initStates(ctx)) {
      if (!satisfiesConstraints(model, null, init.state, ctx)) continue;
      const id = add(init.state, -1);
      if (!initial.includes(id)) initial.push(id);
    }
    for (let id = 0; id < fps.length; id++) {
      const from = frontier[id - frontierBase]!;
      edgeStart.push(edgeTo.length);
      for (const succ of model.successors(from, ctx)) {
        if (!satisfiesConstraints(model, from, succ.state, ctx)) continue;
        edgeTo.push(add(succ.state, id));
        preds.action.forEach((a, i) => edgeBits[i]!.push(a(from, succ.state, ctx) ? 1 : 0));
      }
      // Drop expanded states now and then, so memory holds the frontier only.
      if (id + 1 - frontierBase >= 4096 && id + 1 - frontierBase >= frontier.length / 2) {
        frontier = frontier.slice(id + 1 - frontierBase);
        frontierBase = id + 1;
      }
    }
  } catch (err) {
    if (err instanceof RangeError) return `the state graph has more than ${maxStates} states`;
    throw err;
  }
  edgeStart.push(edgeTo.length);
  return {
    n: fps.length,
    fps: fps.done(),
    parent: parents.done(),
    edgeStart: edgeStart.done(),
    edgeTo: edgeTo.done(),
    initial,
    stateBits: stateBits.map((b) => b.done()),
    stutterBits: stutterBits.map((b) => b.done()),
    edgeBits: edgeBits.map((b) => b.done()),
  };
}

/** Calls `visit(edge, target)` for each edge of `v` that is not masked out. */
function forEdges(g: Graph, v: number, visit: (e: number, w: number) => boolean | void): void {
  for (let e = g.edgeStart[v]!; e < g.edgeStart[v + 1]!; e++) {
    if (g.edgeMask?.[e]) continue;
    if (visit(e, g.edgeTo[e]!) === true) return;
  }
}

/** Strongly connected components of the subgraph induced by `inside` (iterative Tarjan). */
function components(g: Graph, inside: Uint8Array): number[][] {
  const n = g.n;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!inside[root] || order[root] !== -1) continue;
    // Each work item: [node, next edge index to look at].
    const work: Array<[number, number]> = [[root, g.edgeStart[root]!]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, e] = top;
      if (e < g.edgeStart[v + 1]!) {
        top[1]++;
        if (g.edgeMask?.[e]) continue;
        const w = g.edgeTo[e]!;
        if (!inside[w]) continue;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, g.edgeStart[w]!]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, order[w]!);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1]![0];
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === order[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}

/** What a fair cycle through a component must visit: edges (A steps) or states. */
type Witness = { k: "edge"; from: number; to: number } | { k: "state"; at: number };

function hasSelfLoop(g: Graph, v: number): boolean {
  let found = false;
  forEdges(g, v, (_e, w) => (found = w === v) || undefined);
  return found;
}

/**
 * A fair sub-component of `comp` (all of whose members satisfy `inside`) that also contains a
 * state satisfying `mustVisit` when given, with the witnesses a cycle must pass; or null.
 */
function fairCore(g: Graph, comp: number[], fairness: GraphFairness[], mustVisit: ((id: number) => boolean) | null): { nodes: number[]; witnesses: Witness[] } | null {
  const member = new Uint8Array(g.n);
  for (const v of comp) member[v] = 1;
  if (comp.length === 1 && g.noStutter?.[comp[0]!] && !hasSelfLoop(g, comp[0]!)) return null;
  const witnesses: Witness[] = [];
  for (const f of fairness) {
    let edge: Witness | null = null;
    for (const v of comp) {
      forEdges(g, v, (e, w) => {
        if (member[w] && w !== v && f.step[e]) {
          edge = { k: "edge", from: v, to: w };
          return true;
        }
        return undefined;
      });
      if (edge) break;
    }
    if (edge) {
      witnesses.push(edge);
      continue;
    }
    const enabledAt = comp.filter((v) => f.enabled[v] === 1);
    if (!f.strong) {
      // WF: a state where the action is disabled breaks "continuously enabled".
      const disabled = comp.find((v) => f.enabled[v] !== 1);
      if (disabled === undefined) return null;
      witnesses.push({ k: "state", at: disabled });
      continue;
    }
    if (enabledAt.length === 0) continue;
    // SF with the action enabled somewhere and never taken: only the part where it is disabled can be fair.
    const rest = new Uint8Array(g.n);
    for (const v of comp) rest[v] = 1;
    for (const v of enabledAt) rest[v] = 0;
    for (const sub of components(g, rest)) {
      const found = fairCore(g, sub, fairness, mustVisit);
      if (found) return found;
    }
    return null;
  }
  if (mustVisit) {
    const at = comp.find(mustVisit);
    if (at === undefined) return null;
    witnesses.push({ k: "state", at });
  }
  return { nodes: comp, witnesses };
}

/** Shortest path from any of `sources` to a node satisfying `goal`, through `allowed` nodes. */
function pathFromAny(g: Graph, sources: number[], goal: (id: number) => boolean, allowed: (id: number) => boolean): number[] | null {
  const prev = new Map<number, number>();
  const queue: number[] = [];
  for (const s of sources) {
    if (!prev.has(s)) {
      prev.set(s, -1);
      queue.push(s);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    if (goal(v)) {
      const path = [v];
      for (let p = prev.get(v)!; p !== -1; p = prev.get(p)!) path.push(p);
      return path.reverse();
    }
    forEdges(g, v, (_e, w) => {
      if (!prev.has(w) && allowed(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    });
  }
  return null;
}

function pathWithin(g: Graph, from: number, goal: (id: number) => boolean, allowed: (id: number) => boolean): number[] | null {
  return pathFromAny(g, [from], goal, allowed);
}

function pathFromInit(g: Graph, to: number): number[] {
  const path = [to];
  for (let p = g.parent[to]!; p !== -1; p = g.parent[p]!) path.push(p);
  return path.reverse();
}

/** The first (unmasked) edge from `v` into `within`, if any. */
function firstEdgeWithin(g: Graph, v: number, within: (id: number) => boolean): number | undefined {
  let to: number | undefined;
  forEdges(g, v, (_e, w) => {
    if (within(w)) {
      to = w;
      return true;
    }
    return undefined;
  });
  return to;
}

/**
 * Look for a fair behaviour that violates one obligation. `region` is where the bad suffix may
 * run, `starts` where it may begin.
 */
function findLasso(
  g: Graph,
  fairness: GraphFairness[],
  region: (id: number) => boolean,
  starts: number[],
  mustVisit: ((id: number) => boolean) | null,
): { prefix: number[]; cycle: number[] } | null {
  const n = g.n;
  // Nodes of the region reachable from a start while staying in the region.
  const reach = new Uint8Array(n);
  const queue: number[] = [];
  for (const s of starts) {
    if (region(s) && !reach[s]) {
      reach[s] = 1;
      queue.push(s);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    forEdges(g, queue[head]!, (_e, w) => {
      if (!reach[w] && region(w)) {
        reach[w] = 1;
        queue.push(w);
      }
    });
  }
  for (const comp of components(g, reach)) {
    const core = fairCore(g, comp, fairness, mustVisit);
    if (!core) continue;
    const inCore = new Set(core.nodes);
    // Prefix: from an initial state to a start, then inside the region to the core. One BFS from
    // all starts at once keeps this linear (starts can be every state).
    const tail = pathFromAny(g, starts.filter((v) => reach[v] === 1), (v) => inCore.has(v), (v) => reach[v] === 1);
    if (!tail) continue;
    const best = [...pathFromInit(g, tail[0]!).slice(0, -1), ...tail];
    const entry = best[best.length - 1]!;
    // Cycle: from the entry through every witness and back, inside the core.
    const cycle: number[] = [entry];
    let at = entry;
    const within = (v: number) => inCore.has(v);
    for (const w of core.witnesses) {
      const target = w.k === "edge" ? w.from : w.at;
      const leg = pathWithin(g, at, (v) => v === target, within)!;
      cycle.push(...leg.slice(1));
      at = target;
      if (w.k === "edge") {
        cycle.push(w.to);
        at = w.to;
      }
    }
    if (cycle.length === 1 && g.noStutter?.[entry]) {
      // The behaviour may not stutter here: go round a real cycle of the component instead.
      const step = firstEdgeWithin(g, entry, within)!;
      cycle.push(step);
      at = step;
      if (at === entry) cycle.pop();
    }
    const back = pathWithin(g, at, (v) => v === entry, within)!;
    cycle.push(...back.slice(1));
    return { prefix: best, cycle };
  }
  return null;
}

/**
 * Check the liveness properties of `model` under its fairness. `maxStates` bounds the graph
 * (default 10,000,000 states; a JS Map holds at most 2^24 entries).
 */
export function checkLiveness(model: CompiledModel, spec: LivenessSpec, maxStates = 10_000_000): LivenessOutcome {
  if (spec.properties.length === 0) return { ok: true, states: 0 };
  const fairness: Fairness[] = [];
  const whyFair = fairnessOf(spec.fairness, fairness);
  if (whyFair) return { ok: false, unsupported: `liveness checking does not support ${whyFair} in SPECIFICATION` };
  const props = spec.properties.map((p) => {
    const obs: Obligation[] = [];
    return { name: p.name, obs, why: obligations(p.formula, obs) };
  });
  const bad = props.find((p) => p.why);
  if (bad) return { ok: false, unsupported: `liveness checking does not support ${bad.why} (PROPERTY ${bad.name})` };
  // Register every predicate the search will ask about, so the graph can store answers, not states.
  const preds = new Predicates();
  const fairIdx = fairness.map((f) => ({
    strong: f.strong,
    enabled: preds.stateIndex((st, c) => f.enabled(st, c)),
    step: preds.actionIndex((a, b, c) => f.step(a, b, c)),
  }));
  const obIdx = props.map((prop) =>
    prop.obs.map((ob) => {
      switch (ob.k) {
        case "infinitelyOften":
        case "eventuallyAlways":
        case "eventually":
          return { k: ob.k, p: preds.stateIndex(ob.p) };
        case "leadsto":
          return { k: ob.k, from: preds.stateIndex(ob.from), to: preds.stateIndex(ob.to) };
        case "infinitelyManySteps":
          return { k: ob.k, a: preds.actionIndex(ob.a) };
        default: {
          const never: never = ob;
          throw new Error(`unknown obligation ${JSON.stringify(never)}`);
        }
      }
    }),
  );
  const built = buildGraph(model, preds, maxStates);
  if (typeof built === "string") return { ok: false, unsupported: `liveness checking stopped: ${built}` };
  const g = built;
  const n = g.n;
  const gFair: GraphFairness[] = fairIdx.map((f) => ({ strong: f.strong, enabled: g.stateBits[f.enabled]!, step: g.edgeBits[f.step]! }));
  const all = Array.from({ length: n }, (_, i) => i);
  for (const [pi, prop] of props.entries()) {
    for (const ob of obIdx[pi]!) {
      let lasso: { prefix: number[]; cycle: number[] } | null;
      switch (ob.k) {
        case "infinitelyOften": {
          const p = g.stateBits[ob.p!]!;
          lasso = findLasso(g, gFair, (v) => !p[v], all, null);
          break;
        }
        case "eventuallyAlways": {
          const p = g.stateBits[ob.p!]!;
          lasso = findLasso(g, gFair, () => true, all, (v) => !p[v]);
          break;
        }
        case "eventually": {
          const p = g.stateBits[ob.p!]!;
          lasso = findLasso(g, gFair, (v) => !p[v], g.initial, null);
          break;
        }
        case "infinitelyManySteps": {
          // Only steps that are not A may be taken forever: drop the A edges (and A stutters).
          const steps: Graph = { ...g, edgeMask: g.edgeBits[ob.a!]!, noStutter: g.stutterBits[ob.a!]! };
          lasso = findLasso(steps, gFair, () => true, all, null);
          break;
        }
        case "leadsto": {
          const from = g.stateBits[ob.from!]!;
          const to = g.stateBits[ob.to!]!;
          const starts = all.filter((v) => from[v] && !to[v]);
          lasso = findLasso(g, gFair, (v) => !to[v], starts, null);
          break;
        }
      }
      if (lasso) return { ok: false, name: prop.name, ...toTrace(model, g, lasso), states: n };
    }
  }
  return { ok: true, states: n };
}

/**
 * Prefix then cycle as trace steps; the loop index is where the cycle returns to. The graph has
 * only fingerprints, so the states are re-derived TLC's way: from the initial states, follow the
 * successors whose fingerprints are the next ones on the path.
 */
function toTrace(model: CompiledModel, g: Graph, lasso: { prefix: number[]; cycle: number[] }): { trace: TraceStep[]; loopIndex: number } {
  const ids = [...lasso.prefix, ...lasso.cycle.slice(1, -1)];
  const fp = (st: State) => model.values.fingerprintState(st);
  const trace: TraceStep[] = [];
  const first = model.initStates(ctx).find((i) => fp(i.state) === g.fps[ids[0]!] && satisfiesConstraints(model, null, i.state, ctx));
  if (!first) throw new Error("liveness: cannot re-derive the counterexample's initial state");
  trace.push({ label: first.label, state: first.state });
  for (let i = 1; i < ids.length; i++) {
    const from = trace[i - 1]!.state;
    const next = model.successors(from, ctx).find((s) => fp(s.state) === g.fps[ids[i]!] && satisfiesConstraints(model, from, s.state, ctx));
    if (!next) throw new Error(`liveness: cannot re-derive state ${i + 1} of the counterexample`);
    trace.push({ label: next.label, state: next.state });
  }
  return { trace, loopIndex: lasso.prefix.length - 1 };
}

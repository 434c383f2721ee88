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
 * The graph is built separately from the safety search and holds the states themselves, so it
 * is meant for the small models liveness is usually checked on. Browser-safe.
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

/** A state graph with every state kept, edges labelled. */
interface Graph {
  states: State[];
  labels: ActionLabel[];
  parent: Int32Array;
  edges: Array<Array<{ to: number; label: ActionLabel }>>;
  initial: number[];
  /** Set for states that may not stutter in the cycle being sought (the stutter step is excluded). */
  noStutter?: Uint8Array;
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

/** Build the whole constrained state graph (no symmetry or VIEW: liveness needs real states). */
function buildGraph(model: CompiledModel, maxStates: number): Graph | string {
  const index = new Map<bigint, number>();
  const g: Graph = { states: [], labels: [], parent: new Int32Array(0), edges: [], initial: [] };
  const parents: number[] = [];
  const add = (state: State, label: ActionLabel, parent: number): number => {
    const fp = model.values.fingerprintState(state);
    const known = index.get(fp);
    if (known !== undefined) return known;
    const id = g.states.length;
    if (id >= maxStates) throw new RangeError("liveness graph too large");
    index.set(fp, id);
    g.states.push(state);
    g.labels.push(label);
    g.edges.push([]);
    parents.push(parent);
    return id;
  };
  try {
    for (const init of model.initStates(ctx)) {
      if (!satisfiesConstraints(model, null, init.state, ctx)) continue;
      const id = add(init.state, init.label, -1);
      if (!g.initial.includes(id)) g.initial.push(id);
    }
    for (let id = 0; id < g.states.length; id++) {
      const from = g.states[id];
      for (const succ of model.successors(from, ctx)) {
        if (!satisfiesConstraints(model, from, succ.state, ctx)) continue;
        const to = add(succ.state, succ.label, id);
        g.edges[id].push({ to, label: succ.label });
      }
    }
  } catch (err) {
    if (err instanceof RangeError) return `the state graph has more than ${maxStates} states`;
    throw err;
  }
  g.parent = Int32Array.from(parents);
  return g;
}

/** Strongly connected components of the subgraph induced by `inside` (iterative Tarjan). */
function components(g: Graph, inside: Uint8Array): number[][] {
  const n = g.states.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (!inside[root] || order[root] !== -1) continue;
    const work: Array<[number, number]> = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const edges = g.edges[v];
      if (i < edges.length) {
        top[1]++;
        const w = edges[i].to;
        if (!inside[w]) continue;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], order[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1][0];
        low[u] = Math.min(low[u], low[v]);
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

/**
 * A fair sub-component of `comp` (all of whose members satisfy `inside`) that also contains a
 * state satisfying `mustVisit` when given, with the witnesses a cycle must pass; or null.
 */
function fairCore(g: Graph, comp: number[], fairness: Fairness[], mustVisit: ((id: number) => boolean) | null): { nodes: number[]; witnesses: Witness[] } | null {
  const member = new Uint8Array(g.states.length);
  for (const v of comp) member[v] = 1;
  if (comp.length === 1 && g.noStutter?.[comp[0]] && !g.edges[comp[0]].some((e) => e.to === comp[0])) return null;
  const witnesses: Witness[] = [];
  for (const f of fairness) {
    let edge: Witness | null = null;
    for (const v of comp) {
      for (const e of g.edges[v]) {
        if (member[e.to] && e.to !== v && f.step(g.states[v], g.states[e.to], ctx)) {
          edge = { k: "edge", from: v, to: e.to };
          break;
        }
      }
      if (edge) break;
    }
    if (edge) {
      witnesses.push(edge);
      continue;
    }
    const enabledAt = comp.filter((v) => f.enabled(g.states[v], ctx));
    if (!f.strong) {
      // WF: a state where the action is disabled breaks "continuously enabled".
      const disabled = comp.find((v) => !f.enabled(g.states[v], ctx));
      if (disabled === undefined) return null;
      witnesses.push({ k: "state", at: disabled });
      continue;
    }
    if (enabledAt.length === 0) continue;
    // SF with the action enabled somewhere and never taken: only the part where it is disabled can be fair.
    const rest = new Uint8Array(g.states.length);
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

/** Shortest path from `from` to a node satisfying `goal`, moving only through `allowed` nodes. */
function pathWithin(g: Graph, from: number, goal: (id: number) => boolean, allowed: (id: number) => boolean): number[] | null {
  const prev = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    if (goal(v)) {
      const path = [v];
      for (let p = prev.get(v)!; p !== -1; p = prev.get(p)!) path.push(p);
      return path.reverse();
    }
    for (const e of g.edges[v]) {
      if (!prev.has(e.to) && allowed(e.to)) {
        prev.set(e.to, v);
        queue.push(e.to);
      }
    }
  }
  return null;
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
    const v = queue[head];
    if (goal(v)) {
      const path = [v];
      for (let p = prev.get(v)!; p !== -1; p = prev.get(p)!) path.push(p);
      return path.reverse();
    }
    for (const e of g.edges[v]) {
      if (!prev.has(e.to) && allowed(e.to)) {
        prev.set(e.to, v);
        queue.push(e.to);
      }
    }
  }
  return null;
}

function pathFromInit(g: Graph, to: number): number[] {
  const path = [to];
  for (let p = g.parent[to]; p !== -1; p = g.parent[p]) path.push(p);
  return path.reverse();
}

/** The label of the edge from `a` to `b`. */
function edgeLabel(g: Graph, a: number, b: number): ActionLabel {
  const e = g.edges[a].find((x) => x.to === b);
  return e ? e.label : g.labels[b];
}

/**
 * Look for a fair behaviour that violates one obligation. `region` is where the bad suffix may
 * run, `starts` where it may begin.
 */
function findLasso(
  g: Graph,
  fairness: Fairness[],
  region: (id: number) => boolean,
  starts: number[],
  mustVisit: ((id: number) => boolean) | null,
): { prefix: number[]; cycle: number[] } | null {
  const n = g.states.length;
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
    for (const e of g.edges[queue[head]]) {
      if (!reach[e.to] && region(e.to)) {
        reach[e.to] = 1;
        queue.push(e.to);
      }
    }
  }
  for (const comp of components(g, reach)) {
    const core = fairCore(g, comp, fairness, mustVisit);
    if (!core) continue;
    const inCore = new Set(core.nodes);
    // Prefix: from an initial state to a start, then inside the region to the core. One BFS from
    // all starts at once keeps this linear (starts can be every state).
    const tail = pathFromAny(g, starts.filter((v) => reach[v] === 1), (v) => inCore.has(v), (v) => reach[v] === 1);
    if (!tail) continue;
    const best = [...pathFromInit(g, tail[0]).slice(0, -1), ...tail];
    const entry = best[best.length - 1];
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
      const step = g.edges[entry].find((e) => within(e.to))!;
      cycle.push(step.to);
      at = step.to;
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
 * (default 2,000,000 states).
 */
export function checkLiveness(model: CompiledModel, spec: LivenessSpec, maxStates = 2_000_000): LivenessOutcome {
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
  const built = buildGraph(model, maxStates);
  if (typeof built === "string") return { ok: false, unsupported: `liveness checking stopped: ${built}` };
  const g = built;
  const n = g.states.length;
  const all = Array.from({ length: n }, (_, i) => i);
  for (const prop of props) {
    for (const ob of prop.obs) {
      let lasso: { prefix: number[]; cycle: number[] } | null;
      switch (ob.k) {
        case "infinitelyOften":
          lasso = findLasso(g, fairness, (v) => !ob.p(g.states[v], ctx), all, null);
          break;
        case "eventuallyAlways":
          lasso = findLasso(g, fairness, () => true, all, (v) => !ob.p(g.states[v], ctx));
          break;
        case "eventually":
          lasso = findLasso(g, fairness, (v) => !ob.p(g.states[v], ctx), g.initial, null);
          break;
        case "infinitelyManySteps": {
          // Only steps that are not A may be taken forever: drop the A edges (and A stutters).
          const steps: Graph = {
            ...g,
            edges: g.edges.map((es, v) => es.filter((e) => !ob.a(g.states[v], g.states[e.to], ctx))),
            noStutter: Uint8Array.from(g.states, (st) => (ob.a(st, st, ctx) ? 1 : 0)),
          };
          lasso = findLasso(steps, fairness, () => true, all, null);
          break;
        }
        case "leadsto": {
          const starts = all.filter((v) => ob.from(g.states[v], ctx) && !ob.to(g.states[v], ctx));
          lasso = findLasso(g, fairness, (v) => !ob.to(g.states[v], ctx), starts, null);
          break;
        }
        default: {
          const never: never = ob;
          throw new Error(`unknown obligation ${JSON.stringify(never)}`);
        }
      }
      if (lasso) return { ok: false, name: prop.name, ...toTrace(g, lasso), states: n };
    }
  }
  return { ok: true, states: n };
}

/** Prefix then cycle as trace steps; the loop index is where the cycle returns to. */
function toTrace(g: Graph, lasso: { prefix: number[]; cycle: number[] }): { trace: TraceStep[]; loopIndex: number } {
  const ids = [...lasso.prefix, ...lasso.cycle.slice(1, -1)];
  const trace: TraceStep[] = ids.map((id, i) => ({
    label: i === 0 ? g.labels[id] : edgeLabel(g, ids[i - 1], id),
    state: g.states[id],
  }));
  return { trace, loopIndex: lasso.prefix.length - 1 };
}

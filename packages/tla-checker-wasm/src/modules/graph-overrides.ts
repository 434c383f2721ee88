/**
 * CommunityModules' Graphs and UndirectedGraphs operators that TLC evaluates with Java overrides
 * (`tlc2/overrides/AbstractGraphs.java`, `Graphs.java`, `UndirectedGraphs.java`), with the
 * overrides' meaning. Their TLA+ definitions quantify over `Seq(G.node)` or `SUBSET G.node`
 * (`Path(G)`, `ConnectedComponents`), which cannot be enumerated: models that use them
 * (tlaplus/Examples' YoYoAllGraphs, MCEWD687a) are only checkable with the overrides.
 *
 * As in the overrides: an element of `G.edge` that cannot denote an edge (a tuple that is not a
 * pair in Graphs; a set of zero or more than two elements in UndirectedGraphs) contributes no
 * edge, nor does an edge with an endpoint outside `G.node`, since every node on a path of the
 * TLA+ definitions is drawn from `G.node`.
 *
 * @module
 */
import type { Builtin } from "../stdlib/coerce.js";
import { formatValue } from "../values/format.js";
import { EMPTY, FinSet, indexOfSorted, setOf } from "../values/sets.js";
import { Fcn, LazyFcn, SetValue, ValueError, tuple, type Val } from "../values/value.js";

/** How an edge's endpoints give arcs: kept, reversed, or both ways. */
type Mode = "forward" | "transpose" | "symmetric";

/** Parses one element of `G.edge` into its endpoints, or undefined when it denotes no edge. */
type Endpoints = (edge: Val) => readonly [Val, Val] | undefined;

/** A graph argument: its nodes in canonical order and its edge set. */
interface Graph {
  nodes: readonly Val[];
  edges: readonly Val[];
}

function asFcn(v: Val): Fcn | undefined {
  if (v instanceof LazyFcn) return v.force();
  return v instanceof Fcn ? v : undefined;
}

function finiteElems(v: Val | undefined): readonly Val[] | undefined {
  return v instanceof SetValue && v.finite ? v.elems() : undefined;
}

/**
 * The graph record `v`, checked as the overrides' `toGraph` checks it (TLC's "module argument
 * error": which argument of which operator, what it should be, what it is).
 */
function toGraph(op: string, argPos: string, kind: string, v: Val): Graph {
  const bad = (detail: string): ValueError =>
    new ValueError(`The ${argPos} argument of ${op} should be a ${kind} ${detail}, but instead it is: ${formatValue(v)}`);
  const r = asFcn(v);
  if (!r || r.dom.some((d) => typeof d !== "string")) throw bad("record with a node and an edge field");
  const field = (name: string): Val | undefined => {
    const i = r.dom.indexOf(name);
    return i < 0 ? undefined : r.rng[i];
  };
  const nodes = finiteElems(field("node"));
  if (!nodes) throw bad("record whose node field is a set");
  const edges = finiteElems(field("edge"));
  if (!edges) throw bad("record whose edge field is a set");
  return { nodes, edges };
}

/** Graphs' edges: exactly the 2-tuples `<<from, to>>`. */
const TUPLE: Endpoints = (edge) => {
  const t = asFcn(edge);
  if (!t || !t.isSeq || t.rng.length !== 2) return undefined;
  return [t.rng[0]!, t.rng[1]!];
};

/** UndirectedGraphs' edges: sets `{a, b}` of one or two nodes; `{u}` is the self-loop. */
const PAIR: Endpoints = (edge) => {
  const e = finiteElems(edge);
  if (!e || e.length === 0 || e.length > 2) return undefined;
  return [e[0]!, e[e.length === 2 ? 1 : 0]!];
};

/**
 * Adjacency lists over node indices (positions in the canonical node order), for the edges whose
 * endpoints are both nodes. Membership goes through the node set, so comparing values of kinds
 * TLC refuses to compare fails as TLC's `member` does.
 */
function adjacency(g: Graph, parse: Endpoints, mode: Mode): number[][] {
  const set = new FinSet(g.nodes);
  const adj: number[][] = g.nodes.map(() => []);
  for (const edge of g.edges) {
    const e = parse(edge);
    if (!e) continue;
    if (!set.has(e[0]) || !set.has(e[1])) continue;
    let from = indexOfSorted(g.nodes, e[0]);
    let to = indexOfSorted(g.nodes, e[1]);
    if (mode === "transpose") [from, to] = [to, from];
    adj[from]!.push(to);
    if (mode === "symmetric" && from !== to) adj[to]!.push(from);
  }
  return adj;
}

/** The node indices reachable from `source` (itself included). */
function reachable(source: number, adj: number[][]): boolean[] {
  const seen = adj.map(() => false);
  seen[source] = true;
  const frontier = [source];
  for (let k = 0; k < frontier.length; k++) {
    for (const s of adj[frontier[k]!]!) {
      if (!seen[s]) {
        seen[s] = true;
        frontier.push(s);
      }
    }
  }
  return seen;
}

/** `SimplePath(G)`: every non-empty path without repeated nodes, by backtracking from each node. */
function simplePath(kind: string, parse: Endpoints, mode: Mode, graph: Val): Val {
  const g = toGraph("SimplePath", "first", kind, graph);
  const adj = adjacency(g, parse, mode);
  const paths: Val[] = [];
  const path: number[] = [];
  const onPath = g.nodes.map(() => false);
  const extend = (n: number): void => {
    path.push(n);
    onPath[n] = true;
    paths.push(tuple(path.map((i) => g.nodes[i]!)));
    for (const s of adj[n]!) if (!onPath[s]) extend(s);
    onPath[n] = false;
    path.pop();
  };
  for (let n = 0; n < g.nodes.length; n++) extend(n);
  return setOf(paths);
}

/** `AreConnectedIn(m, n, G)`: a path leads from m to n (so a node is connected to itself). */
function areConnectedIn(kind: string, parse: Endpoints, mode: Mode, m: Val, n: Val, graph: Val): Val {
  const g = toGraph("AreConnectedIn", "third", kind, graph);
  // Membership first, as the override: on an empty node set the definition's domain Path(G) is
  // empty, so the answer is FALSE without comparing m and n (which may be incomparable).
  const set = new FinSet(g.nodes);
  if (!set.has(m) || !set.has(n)) return false;
  const from = indexOfSorted(g.nodes, m);
  const to = indexOfSorted(g.nodes, n);
  if (from === to) return true;
  return reachable(from, adjacency(g, parse, mode))[to]!;
}

/** Graphs' `IsStronglyConnected(G)`: every node reaches the first node and is reached from it. */
function isStronglyConnected(graph: Val): Val {
  const g = toGraph("IsStronglyConnected", "first", "graph", graph);
  if (g.nodes.length === 0) return true;
  if (!reachable(0, adjacency(g, TUPLE, "forward")).every(Boolean)) return false;
  return reachable(0, adjacency(g, TUPLE, "transpose")).every(Boolean);
}

/**
 * UndirectedGraphs' `ConnectedComponents(G)`: the node sets joined by edges (union-find). A
 * self-loop or an edge with an endpoint outside `G.node` joins nothing.
 */
function connectedComponents(graph: Val): Val {
  const g = toGraph("ConnectedComponents", "first", "undirected graph", graph);
  const parent = g.nodes.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[i] !== r) [i, parent[i]] = [parent[i]!, r];
    return r;
  };
  for (const [from, tos] of adjacency(g, PAIR, "forward").entries()) {
    for (const to of tos) {
      const a = find(from);
      const b = find(to);
      if (a !== b) parent[b] = a;
    }
  }
  const comps = new Map<number, Val[]>();
  g.nodes.forEach((v, i) => {
    const r = find(i);
    const c = comps.get(r);
    if (c) c.push(v);
    else comps.set(r, [v]);
  });
  if (comps.size === 0) return EMPTY;
  return setOf([...comps.values()].map((c) => new FinSet(c)));
}

/** Graphs' overridden operators. */
export const GRAPHS_OVERRIDES: readonly Builtin[] = [
  { name: "SimplePath", arity: 1, pure: true, fn: ([g]) => simplePath("graph", TUPLE, "forward", g!) },
  { name: "AreConnectedIn", arity: 3, pure: true, fn: ([m, n, g]) => areConnectedIn("graph", TUPLE, "forward", m!, n!, g!) },
  { name: "IsStronglyConnected", arity: 1, pure: true, fn: ([g]) => isStronglyConnected(g!) },
];

/** UndirectedGraphs' overridden operators (its IsStronglyConnected is TLA+ over ConnectedComponents). */
export const UNDIRECTED_GRAPHS_OVERRIDES: readonly Builtin[] = [
  { name: "SimplePath", arity: 1, pure: true, fn: ([g]) => simplePath("undirected graph", PAIR, "symmetric", g!) },
  { name: "AreConnectedIn", arity: 3, pure: true, fn: ([m, n, g]) => areConnectedIn("undirected graph", PAIR, "symmetric", m!, n!, g!) },
  { name: "ConnectedComponents", arity: 1, pure: true, fn: ([g]) => connectedComponents(g!) },
];

/**
 * The lasso TLC prints for a bad component (LiveWorker.printTrace), rebuilt the way TLC builds it:
 *
 * - the prefix is a breadth-first path in the node graph from the initial nodes (in order) to the
 *   node at which Tarjan closed the component (TLC's `getPath`);
 * - the cycle starts with a greedy depth-first walk inside the component that takes the first
 *   step that satisfies another outstanding `[]<>` check or promise and backtracks when stuck
 *   (`dfsPostFix`), then a breadth-first search, by state, closes it back to the start
 *   (`bfsPostFix`);
 * - consecutive nodes with the same state are printed once; the lasso ends `Stuttering` when the
 *   last state printed is the start state, else `Back to state k`.
 *
 * States are then re-derived from the fingerprints by re-running the model along the path.
 *
 * @module
 */
import type { CompiledModel, EvalContext, State } from "../../model.js";
import { satisfiesConstraints } from "../explorer.js";
import type { TraceStep } from "../types.js";
import type { NodeGraph, StateGraph } from "./graph.js";
import { eaHolds, fulfils, meets, pends, stateHolds, type BadComponent, type SearchContext } from "./scc.js";
import { graphKeys, stepHolds } from "./graph.js";

/**
 * A lasso as state ids: after the last state the behaviour goes on with `states[loopIndex]` (the
 * last index: it stutters there).
 */
export interface StateLasso {
  states: number[];
  loopIndex: number;
  /** TLC prints `State k: Stuttering` for a cycle whose last state is its start (see `CheckResult.stutterLoop`). */
  stutterLoop: boolean;
}

/** Breadth-first path (node ids, initial node first) from the initial nodes to `target` (TLC's getPath). */
function pathTo(g: NodeGraph, target: number): number[] {
  if (g.init.includes(target)) return [target];
  const parent = new Int32Array(g.size).fill(-2);
  const queue: number[] = [];
  for (const u of g.init) {
    if (parent[u] !== -2) continue;
    parent[u] = -1;
    queue.push(u);
  }
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    const start = g.edgeStart[u]!;
    for (let k = start; k < start + g.edgeCount[u]!; k++) {
      const w = g.edgeTo[k]!;
      if (w === u) continue;
      if (w === target) {
        const path = [w];
        for (let p = u; p !== -1; p = parent[p]!) path.push(p);
        return path.reverse();
      }
      if (parent[w] === -2) {
        parent[w] = u;
        queue.push(w);
      }
    }
  }
  throw new Error("liveness: no path from an initial state to the bad component");
}

/**
 * TLC's greedy walk from the component's root until every `[]<>` check and promise has been met
 * on it. Returns the node it ended at and the nodes it left (the root first).
 */
function walkChecks(c: SearchContext, comp: BadComponent, member: Set<number>): { end: number; path: number[] } {
  const g = c.graph;
  const { aeState, aeAction } = c.pem;
  const promises = c.solution.promiseCount;
  const stateDone = aeState.map(() => false);
  const actionDone = aeAction.map(() => false);
  // A promise no node of the component has pending is met anywhere (as TLC's walk has it); one
  // that is pending somewhere is met only at a node containing its body.
  const anyPending = Array.from({ length: promises }, (_, p) => comp.nodes.some((v) => pends(c, v, p)));
  const promiseDone = Array.from({ length: promises }, () => false);
  let cnt = aeState.length + aeAction.length + promises;
  const seen = new Set<number>([comp.root]);
  const path: number[] = [];
  let cur = comp.root;
  const edges = (u: number): [number, number] => [g.edgeStart[u]!, g.edgeStart[u]! + g.edgeCount[u]!];
  while (cnt > 0) {
    const cnt0 = cnt;
    for (;;) {
      aeState.forEach((idx, i) => {
        if (!stateDone[i] && stateHolds(c, cur, idx)) {
          stateDone[i] = true;
          cnt--;
        }
      });
      for (let p = 0; p < promises; p++) {
        if (!promiseDone[p] && (anyPending[p] ? meets(c, cur, p) : fulfils(c, cur, p))) {
          promiseDone[p] = true;
          cnt--;
        }
      }
      if (cnt <= 0) break;
      const cnt1 = cnt;
      let next1 = -1;
      let next2 = -1;
      let unvisited = false;
      let moved = false;
      const [from, to] = edges(cur);
      for (let k = from; k < to; k++) {
        const w = g.edgeTo[k]!;
        if (!member.has(w) || !eaHolds(c, k)) continue;
        next1 = w;
        aeAction.forEach((idx, j) => {
          if (!actionDone[j] && stepHolds(c.bits, g.edgeRef[k]!, [idx])) {
            actionDone[j] = true;
            cnt--;
          }
        });
        if (cnt < cnt1) {
          path.push(cur);
          cur = w;
          seen.clear();
          moved = true;
          break;
        }
        if (!seen.has(w)) {
          unvisited = true;
          next2 = w;
        }
      }
      if (moved) break;
      if (cnt < cnt0) {
        if (next1 === -1) throw new Error("liveness: the bad component has no step to continue the cycle");
        path.push(cur);
        cur = next1;
        seen.clear();
        break;
      }
      while (!unvisited) {
        if (path.length === 0) throw new Error("liveness: the cycle search ran out of the bad component");
        cur = path.pop()!;
        const [f, t] = edges(cur);
        for (let k = f; k < t; k++) {
          const w = g.edgeTo[k]!;
          if (member.has(w) && !seen.has(w)) {
            unvisited = true;
            next2 = w;
            break;
          }
        }
      }
      path.push(cur);
      cur = next2;
      seen.add(next2);
    }
  }
  return { end: cur, path };
}

/**
 * TLC's breadth-first search, by state, from the walk's end back to the root. Returns the states
 * from the end to the one before the root (empty when the walk ended at the root).
 */
function closeCycle(c: SearchContext, comp: BadComponent, end: number): number[] {
  if (end === comp.root) return [];
  const g = c.graph;
  // The component's nodes grouped by state, in the order TLC's table lists them.
  const buckets = new Map<number, { nodes: number[]; seen: boolean; parent: number }>();
  for (const u of comp.nodes) {
    const s = g.nodeState[u]!;
    const b = buckets.get(s);
    if (b) b.nodes.push(u);
    else buckets.set(s, { nodes: [u], seen: false, parent: -1 });
  }
  const startState = g.nodeState[end]!;
  let curState = startState;
  let parent = -1;
  buckets.get(curState)!.seen = true;
  const queue: Array<[number, number]> = [];
  let head = 0;
  for (;;) {
    const bucket = buckets.get(curState)!;
    for (const u of bucket.nodes) {
      const start = g.edgeStart[u]!;
      for (let k = start; k < start + g.edgeCount[u]!; k++) {
        const w = g.edgeTo[k]!;
        if (w === u || !eaHolds(c, k)) continue;
        if (w === comp.root) {
          const back: number[] = [];
          let s = curState;
          let p = parent;
          while (s !== startState) {
            back.push(s);
            s = p;
            p = buckets.get(s)!.parent;
          }
          back.push(startState);
          return back.reverse();
        }
        const b1 = buckets.get(g.nodeState[w]!);
        if (b1 && !b1.seen) {
          b1.seen = true;
          queue.push([g.nodeState[w]!, curState]);
        }
      }
    }
    bucket.parent = parent;
    if (head === queue.length) throw new Error("liveness: cannot close the cycle of the bad component");
    [curState, parent] = queue[head++]!;
  }
}

/** The states of a node path, consecutive repeats (same state, other tableau node) printed once. */
function statesOn(g: NodeGraph, path: number[]): number[] {
  const states: number[] = [];
  for (const u of path) {
    const s = g.nodeState[u]!;
    if (states[states.length - 1] !== s) states.push(s);
  }
  return states;
}

/** The finite trace TLC prints for its accepting-node shortcut (see {@link NodeGraph.accepting}). */
export function finiteTraceTo(g: NodeGraph, node: number): number[] {
  return statesOn(g, pathTo(g, node));
}

/** The lasso TLC prints for `comp`, as state ids. */
export function lassoOf(c: SearchContext, comp: BadComponent): StateLasso {
  const g = c.graph;
  const member = new Set(comp.nodes);
  const prefix = statesOn(g, pathTo(g, comp.root));
  const cycleState = prefix[prefix.length - 1]!;
  const { end, path } = walkChecks(c, comp, member);
  // The walk's nodes after the root, then its end and the way back, in printing order.
  const cycle = [...path.slice(1).map((u) => g.nodeState[u]!), ...closeCycle(c, comp, end)];
  const states = [...prefix];
  let last = cycleState;
  for (const s of cycle) {
    if (s === last) continue;
    states.push(s);
    last = s;
  }
  // TLC ends with "Stuttering" whenever the last state printed is the cycle's start state: a
  // real stutter when no cycle state was printed, else a cycle back through that start state, so
  // the behaviour goes on with the state after it.
  if (last !== cycleState) return { states, loopIndex: prefix.length - 1, stutterLoop: false };
  if (states.length === prefix.length) return { states, loopIndex: states.length - 1, stutterLoop: false };
  return { states, loopIndex: prefix.length, stutterLoop: true };
}

/**
 * Re-derive the states of a lasso from their fingerprints: the initial state, then at each step
 * the first successor (in generation order) with the next fingerprint, as TLC does.
 */
export function traceOf(model: CompiledModel, g: StateGraph, ids: readonly number[], ctx: EvalContext): TraceStep[] {
  const fp = graphKeys(model, ctx).fp;
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
  return trace;
}

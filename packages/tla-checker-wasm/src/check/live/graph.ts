/**
 * The behaviour graphs the liveness search runs on, built the way TLC builds its own (LiveCheck):
 * first the state graph, then, per solution, the graph of nodes (state, tableau node) with each
 * node's edges in TLC's order.
 *
 * The state graph is explored breadth-first in TLC's order (same ids as TLC's processing order).
 * Per state it keeps its fingerprint (to re-derive states for a counterexample), its in-model
 * successors in generation order (duplicates kept: TLC's re-expansion of a done state walks them
 * so), and the order TLC's successor set gives them plus the stuttering step (see `tlc-order.ts`).
 * Predicates are evaluated while a state is on the frontier and kept as bits; states are then
 * dropped. TLC checks liveness periodically on partial graphs of big models; we build the whole
 * graph after the safety search and check once, which gives the same verdicts and lassos.
 *
 * @module
 */
import type { CompiledModel, EvalContext, State } from "../../model.js";
import { satisfiesConstraints } from "../explorer.js";
import type { LiveSolution } from "./solution.js";
import { SuccessorSetOrder, TlcFingerprint } from "./tlc-order.js";
import { BUILT_IN_SYMBOLS, javaHashtableCapacity, tlcVariableSlots } from "../../modules/tlc-variable-order.js";

/** Predicate results of one solution on the state graph, one bit each (read with {@link bitAt}). */
export interface SolutionBits {
  /** `checkState[i]` at state v: bit `v * slen + i`. */
  state: Uint8Array;
  /** `checkAction[i]` on raw edge e: bit `e * alen + i`. */
  raw: Uint8Array;
  /** `checkAction[i]` on the stuttering step of v: bit `v * alen + i`. */
  stutter: Uint8Array;
  /** Tableau node t is consistent with state v: bit `v * tableauSize + t`. */
  consistent: Uint8Array;
  slen: number;
  alen: number;
  tableauSize: number;
}

/** The explored state graph (no states, only fingerprints and predicate bytes). */
export interface StateGraph {
  n: number;
  /** Our fingerprint of each state, to re-derive it for a counterexample. */
  fps: BigUint64Array;
  /** The in-model initial states, first occurrences, in TLC's order. */
  initial: number[];
  /** In-model successors of v in generation order: `rawTo[rawStart[v] .. rawStart[v + 1])`. */
  rawStart: Int32Array;
  rawTo: Int32Array;
  /** TLC's successor-set order of v: entries are raw edge indices, or `-1 - v` for the stutter step. */
  setStart: Int32Array;
  setEdge: Int32Array;
  bits: SolutionBits[];
  /** Whether every state's TLC fingerprint was reproduced (else the edge order is only TLC-like). */
  tlcOrder: boolean;
}

/** A typed array that grows by doubling. */
class Grow<T extends Int32Array | Uint8Array | BigUint64Array> {
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
    return this.data.slice(0, this.length) as T;
  }
}

/** Bit `i` of a packed bit array. */
export function bitAt(bits: Uint8Array, i: number): boolean {
  return ((bits[i >>> 3]! >>> (i & 7)) & 1) === 1;
}

/** A bit array that grows as bits are appended. */
class Bits {
  private length = 0;
  private data = new Uint8Array(256);
  push(b: boolean): void {
    if (this.length >>> 3 === this.data.length) {
      const bigger = new Uint8Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    if (b) this.data[this.length >>> 3]! |= 1 << (this.length & 7);
    this.length++;
  }
  done(): Uint8Array {
    return this.data.slice(0, (this.length + 7) >>> 3);
  }
}

const ints = (): Grow<Int32Array> => new Grow(new Int32Array(1024), (n) => new Int32Array(n));

/** Thrown when the graph outgrows its budget. */
export class GraphTooLarge extends Error {}

/**
 * The key a state is a node of the behaviour graph under, and the low half of TLC's fingerprint of
 * it (for the successor order). With a VIEW both are of the view's value, as in TLC, whose
 * liveness graph is keyed by `TLCState.fingerPrint()` and that honours the VIEW: states with equal
 * views are one node, expanded from the first of them found. Without that a spec whose VIEW makes
 * an unbounded state space finite (tlaplus/Examples' MCDistributedReplicatedLog drops the logs'
 * common prefix) would never finish its liveness check. SYMMETRY is not applied here.
 */
export interface GraphKeys {
  fp(state: State): bigint;
  tlcLow(state: State): number | null;
}

/** The {@link GraphKeys} of `model` (see there). */
export function graphKeys(model: CompiledModel, ctx: EvalContext): GraphKeys {
  // A model that does not say gets the order of a small spec's table (up to 71 symbols of its own).
  const tlcFp = new TlcFingerprint(model.tlcVariableOrder ?? tlcVariableSlots(model.variables, javaHashtableCapacity(BUILT_IN_SYMBOLS + 1)));
  const view = model.view?.bind(model);
  if (!view) return { fp: (state) => model.values.fingerprintState(state), tlcLow: (state) => tlcFp.stateLow(state) };
  return { fp: (state) => model.values.fingerprint(view(state, ctx)), tlcLow: (state) => tlcFp.valueLow(view(state, ctx)) };
}

/**
 * Explore the constrained state graph (no symmetry; a VIEW keys the nodes, see {@link graphKeys})
 * in TLC's order, evaluating every solution's predicates on each state and step. Every state may
 * stutter, unless `stutters` says otherwise (TLC's check of one simulated behaviour gives its last
 * state no step at all).
 */
export function buildStateGraph(model: CompiledModel, solutions: readonly LiveSolution[], maxStates: number, ctx: EvalContext, stutters: (state: State) => boolean = () => true): StateGraph {
  const index = new Map<bigint, number>();
  const fps = new Grow(new BigUint64Array(1024), (n) => new BigUint64Array(n));
  const rawStart = ints();
  const rawTo = ints();
  const setStart = ints();
  const setEdge = ints();
  const sb = solutions.map(() => ({ state: new Bits(), raw: new Bits(), stutter: new Bits(), consistent: new Bits() }));
  const keyOf = graphKeys(model, ctx);
  const setOrder = new SuccessorSetOrder();
  const initial: number[] = [];
  let frontier: State[] = [];
  let frontierBase = 0;
  const tlcKeys: number[] = [];
  let exact = true;

  const add = (state: State): number => {
    const fp = keyOf.fp(state);
    const known = index.get(fp);
    if (known !== undefined) return known;
    const id = fps.length;
    if (id >= maxStates) throw new GraphTooLarge();
    index.set(fp, id);
    fps.push(fp);
    frontier.push(state);
    const key = keyOf.tlcLow(state);
    if (key === null) exact = false;
    tlcKeys.push(key ?? Number(fp & 0xffffffffn));
    solutions.forEach((sol, si) => {
      const b = sb[si]!;
      for (const p of sol.checkState) b.state.push(p(state, ctx));
      for (const a of sol.checkAction) b.stutter.push(a(state, state, ctx));
      if (sol.tableau) for (const t of sol.tableau.nodes) b.consistent.push(t.consistent(state, ctx));
    });
    return id;
  };

  for (const init of model.initStates(ctx)) {
    if (!satisfiesConstraints(model, null, init.state, ctx)) continue;
    const before = fps.length;
    const id = add(init.state);
    if (id === before) initial.push(id);
  }
  for (let v = 0; v < fps.length; v++) {
    const from = frontier[v - frontierBase]!;
    rawStart.push(rawTo.length);
    const first = rawTo.length;
    for (const succ of model.successors(from, ctx)) {
      if (!satisfiesConstraints(model, from, succ.state, ctx)) continue;
      rawTo.push(add(succ.state));
      solutions.forEach((sol, si) => {
        for (const a of sol.checkAction) sb[si]!.raw.push(a(from, succ.state, ctx));
      });
    }
    // TLC's successor set: the successors in turn, then the state itself (its stuttering step).
    const count = rawTo.length - first;
    const targets = Array.from({ length: stutters(from) ? count + 1 : count }, (_, i) => (i < count ? rawTo.data[first + i]! : v));
    const keys = targets.map((t) => tlcKeys[t]!);
    setStart.push(setEdge.length);
    for (const i of setOrder.order(keys, (i, j) => targets[i] === targets[j])) setEdge.push(i < count ? first + i : -1 - v);
    if (v + 1 - frontierBase >= 4096 && v + 1 - frontierBase >= frontier.length / 2) {
      frontier = frontier.slice(v + 1 - frontierBase);
      frontierBase = v + 1;
    }
  }
  rawStart.push(rawTo.length);
  setStart.push(setEdge.length);
  return {
    n: fps.length,
    fps: fps.done(),
    initial,
    rawStart: rawStart.done(),
    rawTo: rawTo.done(),
    setStart: setStart.done(),
    setEdge: setEdge.done(),
    bits: solutions.map((sol, si) => ({
      state: sb[si]!.state.done(),
      raw: sb[si]!.raw.done(),
      stutter: sb[si]!.stutter.done(),
      consistent: sb[si]!.consistent.done(),
      slen: sol.checkState.length,
      alen: sol.checkAction.length,
      tableauSize: sol.tableau?.nodes.length ?? 0,
    })),
    tlcOrder: exact,
  };
}

/**
 * The graph one solution is searched on (TLC's DiskGraph / TableauDiskGraph): nodes are states,
 * or (state, tableau node) pairs when the solution has a tableau. Edge `e` of node `u` is
 * `edgeTo[edgeStart[u] + e]`; `edgeRef` says which step it is (a raw edge index of the state
 * graph, or `-1 - v` for the stutter step of v), so its action bits are looked up, not copied.
 */
export interface NodeGraph {
  size: number;
  nodeState: Int32Array;
  /** Tableau node of each node; -1 without a tableau. */
  nodeTidx: Int32Array;
  edgeStart: Int32Array;
  edgeCount: Int32Array;
  edgeTo: Int32Array;
  edgeRef: Int32Array;
  /** Initial nodes in TLC's order. */
  init: number[];
  /**
   * TLC's shortcut for properties a finite behaviour already violates: the first node, in TLC's
   * order of building, that has an accepting tableau successor consistent with its own state
   * (TableauLiveChecker reports it at once, during the state search, with a path to it as the
   * trace); the graph then stops after the state being expanded. -1 when there is none.
   */
  accepting: number;
  /** The state TLC was expanding when it met {@link accepting} (TLC stops its search there). */
  acceptingAt: number;
}

/** Whether the step of edge `ref` satisfies every check in `idx` (TLC's GraphNode.getCheckAction). */
export function stepHolds(bits: SolutionBits, ref: number, idx: readonly number[]): boolean {
  const base = ref >= 0 ? ref * bits.alen : (-1 - ref) * bits.alen;
  const arr = ref >= 0 ? bits.raw : bits.stutter;
  for (const i of idx) if (!bitAt(arr, base + i)) return false;
  return true;
}

/** The graph of a solution without a tableau: the state graph with TLC's edge order. */
function plainGraph(g: StateGraph): NodeGraph {
  const edgeStart = new Int32Array(g.n);
  const edgeCount = new Int32Array(g.n);
  const edgeTo = new Int32Array(g.setEdge.length);
  for (let v = 0; v < g.n; v++) {
    edgeStart[v] = g.setStart[v]!;
    edgeCount[v] = g.setStart[v + 1]! - g.setStart[v]!;
  }
  for (let e = 0; e < g.setEdge.length; e++) {
    const ref = g.setEdge[e]!;
    edgeTo[e] = ref >= 0 ? g.rawTo[ref]! : -1 - ref;
  }
  return {
    size: g.n,
    nodeState: Int32Array.from({ length: g.n }, (_, i) => i),
    nodeTidx: new Int32Array(g.n).fill(-1),
    edgeStart,
    edgeCount,
    edgeTo,
    edgeRef: g.setEdge,
    init: [...g.initial],
    accepting: -1,
    acceptingAt: -1,
  };
}

/**
 * The product of the state graph with the solution's tableau, built in TLC's order
 * (TableauLiveChecker): initial nodes pair each initial state with the consistent initial tableau
 * nodes; each state, when TLC expands it, extends every node recorded for it so far along its
 * successor set times the tableau node's successors; a node first reached at a state TLC has
 * already expanded is expanded at once, re-generating that state's successors in generation order
 * after its tableau self-loops.
 */
function tableauGraph(g: StateGraph, sol: LiveSolution, bits: SolutionBits, shortcut: boolean): NodeGraph {
  const tab = sol.tableau!;
  const T = tab.nodes.length;
  const nodeOf = new Int32Array(g.n * T).fill(-1);
  const nodeState = ints();
  const nodeTidx = ints();
  const recorded: number[][] = Array.from({ length: g.n }, () => []);
  let edgeStart = new Int32Array(1024);
  let edgeCount = new Int32Array(1024);
  const edgeTo = ints();
  const edgeRef = ints();
  const init: number[] = [];
  let current = -1; // the state TLC is expanding; states up to it are done
  let accepting = -1;

  const consistent = (v: number, t: number): boolean => bitAt(bits.consistent, v * T + t);
  const record = (v: number, t: number): number => {
    const id = nodeState.length;
    nodeState.push(v);
    nodeTidx.push(t);
    nodeOf[v * T + t] = id;
    recorded[v]!.push(t);
    return id;
  };
  const flush = (node: number, to: number[], refs: number[]): void => {
    if (node >= edgeStart.length) {
      const len = Math.max(edgeStart.length * 2, node + 1);
      const s = new Int32Array(len);
      s.set(edgeStart);
      edgeStart = s;
      const c = new Int32Array(len);
      c.set(edgeCount);
      edgeCount = c;
    }
    edgeStart[node] = edgeTo.length;
    edgeCount[node] = to.length;
    for (let i = 0; i < to.length; i++) {
      edgeTo.push(to[i]!);
      edgeRef.push(refs[i]!);
    }
  };
  // Expand node (v, t) whose state TLC has already expanded (TableauLiveChecker's private
  // addNextState, which recurses into each fresh node of a done state before going on; the
  // recursion is kept on an explicit stack, it can be as deep as the graph).
  interface Frame {
    v: number;
    t: number;
    node: number;
    to: number[];
    refs: number[];
    /** Next tableau successor to look at (self-loops, then per raw edge). */
    k: number;
    /** -1 while on the self-loops, then the raw edge being extended. */
    r: number;
  }
  const frame = (v: number, t: number): Frame => ({ v, t, node: nodeOf[v * T + t]!, to: [], refs: [], k: 0, r: -1 });
  const expandDone = (v0: number, t0: number): void => {
    const stack: Frame[] = [frame(v0, t0)];
    next: while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      const succs = tab.nodes[f.t]!.successors;
      if (f.r === -1) {
        while (f.k < succs.length) {
          const t1 = succs[f.k++]!;
          if (!consistent(f.v, t1)) continue;
          if (shortcut && tab.nodes[t1]!.accepting === true && accepting === -1) {
            // TLC abandons this node here (it is never written) and reports it.
            accepting = f.node;
            stack.pop();
            continue next;
          }
          let n1 = nodeOf[f.v * T + t1]!;
          if (n1 !== -1 && f.to.includes(n1)) continue;
          const fresh = n1 === -1;
          if (fresh) n1 = record(f.v, t1);
          f.to.push(n1);
          f.refs.push(-1 - f.v);
          if (fresh) {
            stack.push(frame(f.v, t1));
            continue next;
          }
        }
        f.r = g.rawStart[f.v]!;
        f.k = 0;
      }
      for (; f.r < g.rawStart[f.v + 1]!; f.r++, f.k = 0) {
        const v1 = g.rawTo[f.r]!;
        const done = v1 <= current;
        while (f.k < succs.length) {
          const t1 = succs[f.k++]!;
          if (!consistent(v1, t1)) continue;
          let n1 = nodeOf[v1 * T + t1]!;
          if (n1 !== -1 && f.to.includes(n1)) continue;
          const fresh = n1 === -1;
          if (fresh) n1 = record(v1, t1);
          f.to.push(n1);
          f.refs.push(f.r);
          if (fresh && done) {
            stack.push(frame(v1, t1));
            continue next;
          }
        }
      }
      flush(f.node, f.to, f.refs);
      stack.pop();
    }
  };

  for (const v of g.initial) {
    for (let t = 0; t < tab.initialCount; t++) {
      if (!consistent(v, t)) continue;
      init.push(nodeOf[v * T + t] !== -1 ? nodeOf[v * T + t]! : record(v, t));
    }
  }
  for (let v = 0; v < g.n; v++) {
    current = v;
    for (const t0 of [...recorded[v]!]) {
      const node0 = nodeOf[v * T + t0]!;
      const to: number[] = [];
      const refs: number[] = [];
      for (let e = g.setStart[v]!; e < g.setStart[v + 1]!; e++) {
        const ref = g.setEdge[e]!;
        const v1 = ref >= 0 ? g.rawTo[ref]! : v;
        const done = v1 <= current;
        for (const t1 of tab.nodes[t0]!.successors) {
          if (!consistent(v1, t1)) continue;
          let n1 = nodeOf[v1 * T + t1]!;
          if (n1 !== -1 && to.includes(n1)) continue;
          const fresh = n1 === -1;
          if (fresh) n1 = record(v1, t1);
          to.push(n1);
          refs.push(ref);
          if (fresh && done) expandDone(v1, t1);
        }
      }
      flush(node0, to, refs);
    }
    if (accepting !== -1) break;
  }
  const size = nodeState.length;
  const starts = new Int32Array(size);
  const counts = new Int32Array(size);
  starts.set(edgeStart.subarray(0, Math.min(size, edgeStart.length)));
  counts.set(edgeCount.subarray(0, Math.min(size, edgeCount.length)));
  return {
    size,
    nodeState: nodeState.done(),
    nodeTidx: nodeTidx.done(),
    edgeStart: starts,
    edgeCount: counts,
    edgeTo: edgeTo.done(),
    edgeRef: edgeRef.done(),
    init,
    accepting,
    acceptingAt: accepting === -1 ? -1 : current,
  };
}

/** The graph solution `si` is searched on; `shortcut: false` builds it whole, past accepting nodes. */
export function nodeGraph(g: StateGraph, sol: LiveSolution, si: number, shortcut = true): NodeGraph {
  return sol.tableau ? tableauGraph(g, sol, g.bits[si]!, shortcut) : plainGraph(g);
}

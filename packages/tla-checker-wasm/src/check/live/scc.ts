/**
 * TLC's search for a bad cycle (LiveWorker.checkSccs / checkComponent), step for step so that it
 * meets the same component first: an iterative Tarjan that starts from the initial nodes in
 * order, pushes all successors of a node at once (so the last successor is explored first), takes
 * only edges whose step satisfies the possible error model's `<>[]` actions (the targets of other
 * edges become new roots, searched after the current one), and checks each component as soon as
 * Tarjan closes it.
 *
 * A component is a counterexample when it is not trivial (more than one node, or one node whose
 * self-loop satisfies the `<>[]` actions), some node satisfies each `[]<>` state check, some edge
 * inside it whose step satisfies the `<>[]` actions satisfies each `[]<>` action check, and some
 * node's tableau node fulfils each promise.
 *
 * @module
 */
import { bitAt, stepHolds, type NodeGraph, type SolutionBits } from "./graph.js";
import type { LiveSolution, PossibleErrorModel } from "./solution.js";

/** Link of a node no longer on the search's stack (TLC's MAX_LINK). */
const CLOSED = 0x7fffffff;
/** Stack tags: a node still to visit, and a visited node waiting for its successors. */
const VISIT = 0;
const MARKER = 1;

/** A bad component: the node Tarjan closed it at, and its nodes in the order TLC lists them. */
export interface BadComponent {
  root: number;
  /** Nodes of the component, in the order TLC puts them into its table (component stack, top first). */
  nodes: number[];
}

/** What the search needs to know about one solution and one of its error models. */
export interface SearchContext {
  graph: NodeGraph;
  bits: SolutionBits;
  solution: LiveSolution;
  pem: PossibleErrorModel;
}

/** Whether the step of edge slot `k` (an index into the node graph's edge arrays) satisfies the `<>[]` actions. */
export function eaHolds(c: SearchContext, k: number): boolean {
  return stepHolds(c.bits, c.graph.edgeRef[k]!, c.pem.eaAction);
}

/** Whether node `u` satisfies checkState `idx`. */
export function stateHolds(c: SearchContext, u: number, idx: number): boolean {
  return bitAt(c.bits.state, c.graph.nodeState[u]! * c.bits.slen + idx);
}

/** Whether node `u`'s tableau node fulfils promise `p`. */
export function fulfils(c: SearchContext, u: number, p: number): boolean {
  const t = c.graph.nodeTidx[u]!;
  return t >= 0 && c.solution.tableau!.nodes[t]!.fulfilling[p] === true;
}

/** Whether node `u`'s tableau node has promise `p` pending (see TableauNode.pending). */
export function pends(c: SearchContext, u: number, p: number): boolean {
  const t = c.graph.nodeTidx[u]!;
  const node = t >= 0 ? c.solution.tableau!.nodes[t]! : undefined;
  return node?.pending ? node.pending[p] === true : false;
}

/** Whether node `u`'s tableau node contains promise `p`'s body (falls back to TLC's rule). */
export function meets(c: SearchContext, u: number, p: number): boolean {
  const t = c.graph.nodeTidx[u]!;
  const node = t >= 0 ? c.solution.tableau!.nodes[t]! : undefined;
  if (!node) return false;
  return node.fulfils ? node.fulfils[p] === true : node.fulfilling[p] === true;
}

/**
 * Promise `p` is fulfilled by a component when no node has it pending or some node meets it.
 * TLC 2.20 asks only that some node be "not pending or meeting", which accepts components that
 * never meet a promise they keep renewing (its lasso then satisfies the property).
 */
export function componentFulfils(c: SearchContext, nodes: readonly number[], p: number): boolean {
  return !nodes.some((v) => pends(c, v, p)) || nodes.some((v) => meets(c, v, p));
}

/** Search for a bad component; null when the error model has no counterexample. */
export function findBadComponent(c: SearchContext): BadComponent | null {
  const g = c.graph;
  const link = new Int32Array(g.size).fill(-1);
  const roots: number[] = [...g.init];
  const com: number[] = [];
  const dfs: number[] = [];
  const marks: Marks = { mark: new Int32Array(g.size), stamp: 0 };
  for (let head = 0; head < roots.length; head++) {
    dfs.length = 0;
    dfs.push(roots[head]!, VISIT, 0);
    let newLink = 0;
    while (dfs.length >= 3) {
      const lowLink = dfs.pop()!;
      const tag = dfs.pop()!;
      const u = dfs.pop()!;
      if (tag === MARKER) {
        if (link[u] === lowLink) {
          const bad = checkComponent(c, u, com, link, marks);
          if (bad) return bad;
        }
        const below = dfs.pop()!;
        dfs.push(Math.min(below, lowLink));
        continue;
      }
      if (link[u] !== -1) {
        dfs.push(Math.min(lowLink, link[u]!));
        continue;
      }
      link[u] = newLink;
      dfs.push(lowLink, u, MARKER);
      com.push(u);
      let nextLow = newLink;
      newLink++;
      const start = g.edgeStart[u]!;
      for (let k = start; k < start + g.edgeCount[u]!; k++) {
        const w = g.edgeTo[k]!;
        const lw = link[w]!;
        if (eaHolds(c, k)) {
          if (lw === -1) dfs.push(w, VISIT);
          else nextLow = Math.min(nextLow, lw);
        } else if (lw === -1) {
          roots.push(w);
        }
      }
      dfs.push(nextLow);
    }
  }
  return null;
}

/** Whether node `u` has a self-loop whose step satisfies the `<>[]` actions (the first self-loop decides, as in TLC). */
function stutters(c: SearchContext, u: number): boolean {
  const g = c.graph;
  const start = g.edgeStart[u]!;
  for (let k = start; k < start + g.edgeCount[u]!; k++) if (g.edgeTo[k] === u) return eaHolds(c, k);
  return false;
}

/** Marks for the members of the component being checked: `mark[u] === stamp`. */
interface Marks {
  mark: Int32Array;
  stamp: number;
}

function checkComponent(c: SearchContext, root: number, com: number[], link: Int32Array, marks: Marks): BadComponent | null {
  const top = com.pop()!;
  if (top === root && !stutters(c, top)) {
    link[top] = CLOSED;
    return null;
  }
  const nodes: number[] = [];
  const stamp = ++marks.stamp;
  let u = top;
  for (;;) {
    nodes.push(u);
    marks.mark[u] = stamp;
    link[u] = CLOSED;
    if (u === root) break;
    u = com.pop()!;
  }
  const { aeState, aeAction } = c.pem;
  for (const idx of aeState) if (!nodes.some((v) => stateHolds(c, v, idx))) return null;
  for (let p = 0; p < c.solution.promiseCount; p++) if (!componentFulfils(c, nodes, p)) return null;
  if (aeAction.length > 0) {
    const g = c.graph;
    const found = aeAction.map(() => false);
    let missing = aeAction.length;
    for (const v of nodes) {
      const start = g.edgeStart[v]!;
      for (let k = start; k < start + g.edgeCount[v]! && missing > 0; k++) {
        // An edge leaving the component, or one the `<>[]` actions forbid, cannot be on the cycle.
        if (marks.mark[g.edgeTo[k]!] !== stamp || !eaHolds(c, k)) continue;
        for (let j = 0; j < aeAction.length; j++) {
          if (!found[j] && stepHolds(c.bits, g.edgeRef[k]!, [aeAction[j]!])) {
            found[j] = true;
            missing--;
          }
        }
      }
    }
    if (missing > 0) return null;
  }
  return { root, nodes };
}

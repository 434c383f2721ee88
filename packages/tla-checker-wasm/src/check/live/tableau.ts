/**
 * The particle tableau of a temporal formula without actions, built as TLC builds it (its
 * `TBPar`, `TBParVec`, `TBTriple`, `TBGraph`, `TBGraphNode`; Manna and Pnueli's PART-TAB):
 * particles are closed under alpha expansion (`[]p` gives `p` and `()[]p`, `p /\ q` gives both)
 * and split by beta expansion (`<>p` gives `p` or `()<>p`, `p \/ q` gives one of them); a
 * node's successors are the particles of what its `()` formulas promise. The node order (the
 * initial particles first, then successors as they are discovered) is TLC's, since the product
 * graph and so the counterexample depend on it.
 *
 * @module
 */
import { STATE, equal, level, next, showWith, type LN } from "./ln.js";

/** A particle: a list of formulas compared as a set. */
export type Particle = LN[];

/** A node of the tableau graph. */
export interface TableauGraphNode {
  particle: Particle;
  /** Successor node indices, in discovery order. */
  nexts: number[];
  /** The particle's formulas of state or constant level: a state must satisfy all of them. */
  statePreds: LN[];
}

/** The tableau of one formula. */
export interface TableauGraph {
  nodes: TableauGraphNode[];
  /** Nodes 0 .. initCount-1 are the particles of the formula itself. */
  initCount: number;
}

interface Triple {
  a: LN;
  b: LN;
  c: LN;
}

function member(par: Particle, f: LN): boolean {
  for (const x of par) if (equal(f, x)) return true;
  return false;
}

function containsAll(par: Particle, other: Particle): boolean {
  return other.every((x) => member(par, x));
}

/** Set equality of particles. */
export function sameParticle(a: Particle, b: Particle): boolean {
  return containsAll(a, b) && containsAll(b, a);
}

/** Whether a particle contains the formula `f` (a promise `<>p` pending, or its body `p`). */
export function particleHas(par: Particle, f: LN): boolean {
  return member(par, f);
}

/** A particle fulfils `<>p` when it does not contain `<>p` or contains `p` (TLC's isFulfilling). */
export function isFulfilling(par: Particle, promise: LN): boolean {
  if (promise.k !== "even") throw new Error("internal: a promise is a <> formula");
  return !member(par, promise) || member(par, promise.body);
}

function locallyConsistent(par: Particle): boolean {
  const pos: LN[] = [];
  const negs: LN[] = [];
  for (const f of par) {
    if (f.k === "state" || f.k === "bool") pos.push(f);
    else if (f.k === "neg" && (f.body.k === "state" || f.body.k === "bool")) negs.push(f.body);
  }
  return !pos.some((p) => member(negs, p));
}

/** Every positive subformula of the terms, with `()` of each `[]` and `<>` (the alpha/beta universe). */
function positiveClosure(terms: Particle): Particle {
  const todo = terms.slice();
  const out: LN[] = [];
  while (todo.length > 0) {
    const f = todo.pop()!;
    switch (f.k) {
      case "neg":
        todo.push(f.body);
        break;
      case "next":
        out.push(f);
        todo.push(f.body);
        break;
      case "even":
      case "all":
        out.push(f, next(f));
        todo.push(f.body);
        break;
      case "conj":
      case "disj":
        todo.push(...f.items);
        out.push(f);
        break;
      case "state":
      case "bool":
        out.push(f);
        break;
      case "action":
        throw new Error("internal: TLC encountered actions when computing the tableau closure");
    }
  }
  return out;
}

function triples(closure: Particle, alpha: boolean): Triple[] {
  const out: Triple[] = [];
  for (const f of closure) {
    if (alpha ? f.k === "all" : f.k === "even") out.push({ a: f, b: (f as { body: LN }).body, c: next(f) });
    else if (alpha ? f.k === "conj" : f.k === "disj") {
      const items = (f as { items: LN[] }).items;
      out.push({ a: f, b: items[0]!, c: items[1]! });
    }
  }
  return out;
}

/** The particles containing `terms` (TLC's particleClosure), in TLC's order. */
export function particles(terms: Particle): Particle[] {
  const closure = positiveClosure(terms);
  return closeAlpha(terms, triples(closure, true), triples(closure, false));
}

function closeAlpha(terms: Particle, alphas: Triple[], betas: Triple[]): Particle[] {
  if (!locallyConsistent(terms)) return [];
  // Alpha expansion; formulas appended here are expanded in turn by the same loop.
  let cur = terms;
  for (let i = 0; i < cur.length; i++) {
    const f = cur[i]!;
    let k1: LN | null = null;
    let k2: LN | null = null;
    if (f.k === "all") {
      k1 = f.body;
      k2 = next(f);
    } else if (f.k === "conj") {
      k1 = f.items[0]!;
      k2 = f.items[1]!;
    }
    if (k1 && k2) {
      if (member(cur, k1)) {
        if (!member(cur, k2)) cur = [...cur, k2];
      } else if (member(cur, k2)) cur = [...cur, k1];
      else cur = [...cur, k1, k2];
    }
  }
  // Inverse alpha expansion. TLC adds these in place, and checks consistency again only when
  // the alpha expansion above produced a new list; the quirk is kept for identical particles.
  const grew = cur !== terms;
  let done: boolean;
  do {
    done = true;
    for (const t of alphas) {
      if (member(cur, t.b) && member(cur, t.c) && !member(cur, t.a)) {
        cur.push(t.a);
        done = false;
      }
    }
  } while (!done);
  if (grew && cur.length > terms.length && !locallyConsistent(cur)) return [];
  return closeBeta(cur, alphas, betas);
}

function closeBeta(terms: Particle, alphas: Triple[], betas: Triple[]): Particle[] {
  for (const f of terms) {
    let k1: LN | null = null;
    let k2: LN | null = null;
    if (f.k === "even") {
      k1 = f.body;
      k2 = next(f);
    } else if (f.k === "disj") {
      k1 = f.items[0]!;
      k2 = f.items[1]!;
    }
    if (k1 && k2 && !member(terms, k1) && !member(terms, k2)) {
      const left = closeAlpha([...terms, k1], alphas, betas);
      const right = closeAlpha([...terms, k2], alphas, betas);
      return union(left, right);
    }
  }
  for (const t of betas) {
    if ((member(terms, t.b) || member(terms, t.c)) && !member(terms, t.a)) {
      return closeAlpha([...terms, t.a], alphas, betas);
    }
  }
  return [terms];
}

/** TLC's TBParVec.union: the left particles not on the right, then all of the right. */
function union(left: Particle[], right: Particle[]): Particle[] {
  const out = left.filter((p) => !right.some((q) => sameParticle(p, q)));
  return out.concat(right);
}

/** The formulas a particle's `()` formulas require of the next particle. */
function impliedSuccessors(par: Particle): Particle {
  const out: LN[] = [];
  for (const f of par) if (f.k === "next") out.push(f.body);
  return out;
}

function nodeOf(particle: Particle): TableauGraphNode {
  return { particle, nexts: [], statePreds: particle.filter((f) => level(f) <= STATE) };
}

/** Build the tableau graph of `tf` (binary junctions, negations on atoms only, no actions). */
export function buildTableau(tf: LN): TableauGraph {
  const nodes = particles([tf]).map(nodeOf);
  const initCount = nodes.length;
  // TLC looks a particle up by scanning every node; equal particles have equal keys, so scanning
  // one bucket (in node order) finds the same first node without the quadratic cost.
  const buckets = new Map<string, number[]>();
  const bucketOf = (par: Particle): number[] => {
    const key = particleKey(par);
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = []));
    return b;
  };
  nodes.forEach((n, i) => bucketOf(n.particle).push(i));
  for (let i = 0; i < nodes.length; i++) {
    const src = nodes[i]!;
    for (const par of particles(impliedSuccessors(src.particle))) {
      const bucket = bucketOf(par);
      let j = bucket.find((k) => sameParticle(par, nodes[k]!.particle)) ?? -1;
      if (j < 0) {
        j = nodes.length;
        nodes.push(nodeOf(par));
        bucket.push(j);
      }
      src.nexts.push(j);
    }
  }
  return { nodes, initCount };
}

const keys = new WeakMap<LN, string>();

/**
 * A key equal for equal particles (as sets): the sorted renderings of its formulas, with each
 * atom told apart by occurrence, as `equal` does.
 */
function particleKey(par: Particle): string {
  return par
    .map((f) => {
      let k = keys.get(f);
      if (k === undefined) keys.set(f, (k = formulaKey(f)));
      return k;
    })
    .sort()
    .filter((k, i, all) => i === 0 || all[i - 1] !== k)
    .join("|");
}

const atomIds = new WeakMap<object, number>();
let nextAtomId = 0;

/** A formula's rendering with each atom shown by occurrence, so equal keys mean `equal` formulas. */
function formulaKey(f: LN): string {
  // Atoms by occurrence number: equal texts at different places are different atoms.
  return showWith(f, (a) => {
    let id = atomIds.get(a.leaf);
    if (id === undefined) atomIds.set(a.leaf, (id = nextAtomId++));
    return `${a.k[0]}${id}`;
  });
}

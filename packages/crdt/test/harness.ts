/**
 * Property harness shared by every type's tests: random executions over a few replicas (local
 * mutations, full-state merges, deltas shipped in causal order, stale states delivered late,
 * compaction at the stable cut), checked against the lattice laws and the type's specification.
 */
import fc from "fast-check";
import { testSeed } from "@synod/testkit";
import { canonicalJson, encodeState, updateId, vvMeet, type CausalUpdate, type StateCrdt, type VersionVector } from "../src/index.js";

/** A step of a random execution. */
export type Step<Op> =
  | { kind: "mutate"; at: number; op: Op }
  | { kind: "merge"; from: number; to: number }
  | { kind: "delta"; update: number; to: number }
  | { kind: "stale"; pick: number; to: number }
  | { kind: "compact"; at: number };

/** What a type brings to the harness. */
export interface TypeUnderTest<S, Op, V, A> {
  crdt: StateCrdt<S, Op, V, A>;
  /** Operations to try. */
  op: fc.Arbitrary<Op>;
  /** Whether `op` may be issued at `state` (a precondition of the sequential specification). */
  allowed?: (state: S, op: Op) => boolean;
  /** What must hold between an update and each update it saw (e.g. HLC stamps grow along causality). */
  causal?: (before: A, after: A) => boolean;
}

interface Replica<S, A> {
  state: S;
  seen: Set<string>;
}

/** Runs `steps` on `replicas` replicas; returns every state reached and every delta, for the laws. */
export function execute<S, Op, V, A>(t: TypeUnderTest<S, Op, V, A>, replicas: number, steps: readonly Step<Op>[], checkSpec: boolean): S[] {
  const { crdt } = t;
  const names = Array.from({ length: replicas }, (_, i) => `r${i + 1}`);
  const rs: Replica<S, A>[] = names.map(() => ({ state: crdt.bottom(), seen: new Set() }));
  const updates: { u: CausalUpdate<A>; delta: S; deps: Set<string> }[] = [];
  const byId = new Map<string, { deps: Set<string> }>();
  const history: { state: S; seen: Set<string> }[] = [];
  const pool: S[] = [crdt.bottom()];
  const seq = names.map(() => 0);
  const hb = (a: CausalUpdate<A>, b: CausalUpdate<A>): boolean => byId.get(b.id)!.deps.has(a.id);
  const check = (r: Replica<S, A>, where: string): void => {
    if (!checkSpec) return;
    const seen = updates.filter((x) => r.seen.has(x.u.id)).map((x) => x.u);
    const want = canonicalJson(crdt.valueToJson(crdt.spec(seen, hb)));
    const got = canonicalJson(crdt.valueToJson(crdt.value(r.state)));
    if (want !== got) throw new Error(`${where}: value ${got}, specification ${want} (seen ${[...r.seen].join(" ")})`);
  };
  for (const [i, s] of steps.entries()) {
    switch (s.kind) {
      case "mutate": {
        const r = rs[s.at % replicas]!;
        if (t.allowed !== undefined && !t.allowed(r.state, s.op)) continue;
        const who = names[s.at % replicas]!;
        const m = crdt.mutate(r.state, who, s.op);
        if (!crdt.equals(crdt.merge(r.state, m.delta), m.state)) throw new Error(`step ${i}: merge(before, delta) is not the new state`);
        seq[s.at % replicas]! += 1;
        const id = updateId(who, seq[s.at % replicas]!);
        const deps = new Set(r.seen);
        if (t.causal !== undefined) {
          for (const x of updates) {
            if (deps.has(x.u.id) && !t.causal(x.u.op, m.applied)) throw new Error(`step ${i}: ${id} does not respect causality with ${x.u.id} it saw`);
          }
        }
        byId.set(id, { deps });
        updates.push({ u: { id, replica: who, seq: seq[s.at % replicas]!, op: m.applied }, delta: m.delta, deps });
        r.state = m.state;
        r.seen.add(id);
        pool.push(m.delta);
        check(r, `step ${i} (mutate ${JSON.stringify(s.op)} at ${who})`);
        break;
      }
      case "merge": {
        const from = rs[s.from % replicas]!;
        const to = rs[s.to % replicas]!;
        to.state = crdt.merge(to.state, from.state);
        for (const id of from.seen) to.seen.add(id);
        check(to, `step ${i} (merge r${(s.from % replicas) + 1} into r${(s.to % replicas) + 1})`);
        break;
      }
      case "delta": {
        if (updates.length === 0) continue;
        const x = updates[s.update % updates.length]!;
        const to = rs[s.to % replicas]!;
        // Delta-state CRDTs need causal delivery of deltas: the receiver has seen what the issuer had.
        if (![...x.deps].every((d) => to.seen.has(d))) continue;
        to.state = crdt.merge(to.state, x.delta);
        to.seen.add(x.u.id);
        check(to, `step ${i} (delta ${x.u.id} to r${(s.to % replicas) + 1})`);
        break;
      }
      case "stale": {
        if (history.length === 0) continue;
        const old = history[s.pick % history.length]!;
        const to = rs[s.to % replicas]!;
        to.state = crdt.merge(to.state, old.state);
        for (const id of old.seen) to.seen.add(id);
        check(to, `step ${i} (stale state ${s.pick % history.length} to r${(s.to % replicas) + 1})`);
        break;
      }
      case "compact": {
        if (crdt.compact === undefined) continue;
        const r = rs[s.at % replicas]!;
        r.state = crdt.compact(r.state, stableCut(rs, names));
        check(r, `step ${i} (compact r${(s.at % replicas) + 1})`);
        break;
      }
    }
    for (const r of rs) {
      history.push({ state: r.state, seen: new Set(r.seen) });
      pool.push(r.state);
    }
  }
  return pool;
}

/** The cut every replica has incorporated: per origin, the longest prefix of its updates all have seen. */
function stableCut(rs: readonly { seen: Set<string> }[], names: readonly string[]): VersionVector {
  const vvs = rs.map((r) => {
    const vv = new Map<string, number>();
    for (const n of names) {
      let k = 0;
      while (r.seen.has(updateId(n, k + 1))) k++;
      if (k > 0) vv.set(n, k);
    }
    return vv;
  });
  return vvMeet(vvs);
}

/** Random executions. */
export function stepsArb<Op>(op: fc.Arbitrary<Op>, maxLength = 40): fc.Arbitrary<Step<Op>[]> {
  const r = fc.nat({ max: 7 });
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant("mutate" as const), at: r, op }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("merge" as const), from: r, to: r }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("delta" as const), update: fc.nat(), to: r }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("stale" as const), pick: fc.nat(), to: r }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), at: r }) },
    ),
    { maxLength },
  );
}

/** fast-check parameters with the printed, replayable seed. */
export function params(name: string, numRuns: number): fc.Parameters<unknown> {
  return { seed: testSeed(name, 20261207), numRuns };
}

/**
 * The laws every type must satisfy, on states reached by random executions (so the states are
 * reachable ones, preconditions and all): merge commutative, associative, idempotent,
 * inflationary; bottom its identity; JSON round trip; the join of the parts gives the state back
 * (up to the OR-Set's floor); operations against the specification along the way.
 */
export function lawProperties<S, Op, V, A>(t: TypeUnderTest<S, Op, V, A>, numRuns = 150): void {
  const { crdt } = t;
  fc.assert(
    fc.property(stepsArb(t.op), fc.nat({ max: 2 }), fc.nat(), fc.nat(), fc.nat(), (steps, extra, i, j, k) => {
      const pool = execute(t, 2 + extra, steps, true);
      const a = pool[i % pool.length]!;
      const b = pool[j % pool.length]!;
      const c = pool[k % pool.length]!;
      const ab = crdt.merge(a, b);
      if (!crdt.equals(ab, crdt.merge(b, a))) throw new Error("merge is not commutative");
      if (!crdt.equals(crdt.merge(ab, c), crdt.merge(a, crdt.merge(b, c)))) throw new Error("merge is not associative");
      if (!crdt.equals(crdt.merge(a, a), a)) throw new Error("merge is not idempotent");
      if (!crdt.leq(a, ab) || !crdt.leq(b, ab)) throw new Error("merge is not inflationary");
      if (!crdt.equals(crdt.merge(crdt.bottom(), a), a)) throw new Error("bottom is not the identity of merge");
      if (!crdt.leq(crdt.bottom(), a)) throw new Error("bottom is not below every state");
      const text = encodeState(crdt as StateCrdt<S, unknown, unknown, unknown>, a);
      if (!crdt.equals(crdt.fromJson(JSON.parse(text)), a)) throw new Error("the JSON round trip changes the state");
      if (encodeState(crdt as StateCrdt<S, unknown, unknown, unknown>, crdt.fromJson(JSON.parse(text))) !== text) throw new Error("the encoding is not canonical");
      let joined = crdt.bottom();
      for (const p of crdt.parts(a).values()) joined = crdt.merge(joined, p);
      if (crdt.compact !== undefined) joined = crdt.compact(joined, (a as unknown as { floor: VersionVector }).floor);
      if (!crdt.equals(joined, a)) throw new Error("the join of the parts is not the state");
    }),
    params(`${crdt.name} laws`, numRuns),
  );
}

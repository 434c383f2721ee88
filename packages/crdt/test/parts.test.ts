/**
 * Anti-entropy by parts (what a Merkle exchange ships for the keys that differ): replicas that
 * only ever exchange some of each other's pieces, and compact at the stable cut, still converge
 * to the specification of every update once every piece has been exchanged both ways.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, crdtTypes, updateId, vvMeet, type AnyCrdt, type CausalUpdate } from "../src/index.js";
import { params } from "./harness.js";
import { randomOpArb } from "./ops.js";

type Step = { kind: "mutate"; at: number; pick: number } | { kind: "part"; from: number; to: number; pick: number } | { kind: "compact" };

function run(crdt: AnyCrdt, ops: readonly unknown[], steps: readonly Step[]): void {
  const n = 3;
  const names = ["r1", "r2", "r3"];
  const states: unknown[] = names.map(() => crdt.bottom());
  const counts = names.map(() => 0);
  const updates: { u: CausalUpdate<unknown>; delta: unknown; deps: Set<string> }[] = [];
  // What a state has incorporated, read off the lattice: an update is in iff its delta is below.
  const seenBy = (state: unknown): Set<string> => new Set(updates.filter((x) => crdt.leq(x.delta, state)).map((x) => x.u.id));
  const full = (i: number, j: number): void => {
    states[j] = crdt.merge(states[j], states[i]);
  };
  for (const s of steps) {
    if (s.kind === "mutate") {
      const i = s.at % n;
      const op = ops[s.pick % ops.length];
      if (crdt.name === "2p-set" && (op as { type: string }).type === "remove" && !(crdt.value(states[i]) as ReadonlySet<string>).has((op as { elem: string }).elem)) continue;
      const deps = seenBy(states[i]);
      const m = crdt.mutate(states[i], names[i]!, op);
      counts[i]! += 1;
      const id = updateId(names[i]!, counts[i]!);
      updates.push({ u: { id, replica: names[i]!, seq: counts[i]!, op: m.applied }, delta: m.delta, deps });
      states[i] = m.state;
    } else if (s.kind === "part") {
      const parts = [...crdt.parts(states[s.from % n]).values()];
      if (parts.length > 0) states[s.to % n] = crdt.merge(states[s.to % n], parts[s.pick % parts.length]);
    } else if (crdt.compact !== undefined) {
      // The stable cut: per origin, the prefix of its updates every replica has incorporated.
      const cut = vvMeet(states.map(seenBy).map((set) => new Map(names.map((r) => { let k = 0; while (set.has(updateId(r, k + 1))) k++; return [r, k] as [string, number]; }).filter(([, k]) => k > 0))));
      for (let i = 0; i < n; i++) states[i] = crdt.compact(states[i], cut);
    }
    if (s.kind === "part" && s.pick % 5 === 0) full(s.from % n, s.to % n); // now and then a whole state, so stability advances
  }
  // Heal: every piece of every replica to every other, twice.
  for (let round = 0; round < 2; round++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) for (const p of crdt.parts(states[i]).values()) states[j] = crdt.merge(states[j], p);
  const byId = new Map(updates.map((x) => [x.u.id, x.deps]));
  const want = canonicalJson(crdt.valueToJson(crdt.spec(updates.map((x) => x.u), (a, b) => byId.get(b.id)!.has(a.id))));
  for (let i = 0; i < n; i++) expect(canonicalJson(crdt.valueToJson(crdt.value(states[i]))), `r${i + 1}`).toBe(want);
}

describe("anti-entropy by parts", () => {
  for (const crdt of Object.values(crdtTypes)) {
    it(`${crdt.name}: replicas exchanging only pieces converge to the specification of every update`, () => {
      const step: fc.Arbitrary<Step> = fc.oneof(
        fc.record({ kind: fc.constant("mutate" as const), at: fc.nat(), pick: fc.nat() }),
        fc.record({ kind: fc.constant("part" as const), from: fc.nat(), to: fc.nat(), pick: fc.nat() }),
        fc.record({ kind: fc.constant("compact" as const) }),
      );
      fc.assert(fc.property(fc.array(randomOpArb(crdt), { minLength: 1, maxLength: 6 }), fc.array(step, { maxLength: 40 }), (ops, steps) => run(crdt, ops, steps)), params(`parts ${crdt.name}`, 60));
    });
  }
});

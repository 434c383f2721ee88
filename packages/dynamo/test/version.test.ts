import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contextOf, covers, sync, update, type Sibling } from "../src/index.js";

describe("dotted version vectors", () => {
  it("a put over the context of a read supersedes what was read, and only that", () => {
    const a = update([], {}, "a", "n1");
    expect(a.dot).toEqual({ node: "n1", counter: 1 });
    const b = update(a.siblings, {}, "b", "n1"); // a blind write: concurrent with a
    expect(b.siblings.map((s) => s.value)).toEqual(["a", "b"]);
    const c = update(b.siblings, contextOf(b.siblings), "c", "n2");
    expect(c.siblings.map((s) => s.value)).toEqual(["c"]);
    expect(c.dot).toEqual({ node: "n2", counter: 1 });
  });

  it("two coordinators writing over the same context keep both writes as siblings", () => {
    const base = update([], {}, "a", "n1").siblings;
    const ctx = contextOf(base);
    const x = update(base, ctx, "x", "n1").siblings;
    const y = update(base, ctx, "y", "n2").siblings;
    expect(sync(x, y).map((s) => s.value)).toEqual(["x", "y"]);
  });

  it("the same coordinator writing twice over one stale context keeps both (no false supersession)", () => {
    const base = update([], {}, "a", "n1").siblings;
    const ctx = contextOf(base);
    const x = update(base, ctx, "x", "n1");
    const y = update(x.siblings, ctx, "y", "n1");
    expect(y.dot.counter).toBe(3);
    expect(y.siblings.map((s) => s.value)).toEqual(["x", "y"]);
    expect(covers(contextOf(y.siblings), x.dot)).toBe(true);
  });

  it("sync is commutative, associative and idempotent over states built by updates", () => {
    // States from random sequences of updates at three coordinators, with random contexts read.
    const op = fc.record({ at: fc.constantFrom("n1", "n2", "n3"), readFrom: fc.nat(4), value: fc.string({ maxLength: 2 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const states: Sibling[][] = [[], [], []];
        const idx = { n1: 0, n2: 1, n3: 2 } as const;
        for (const o of ops) {
          const i = idx[o.at as keyof typeof idx];
          const seen = states[o.readFrom % 3] as Sibling[];
          states[i] = update(states[i] as Sibling[], contextOf(seen), o.value, o.at).siblings;
          // replicate the coordinator's whole state to the next replica
          const j = (i + 1) % 3;
          states[j] = sync(states[j] as Sibling[], states[i] as Sibling[]);
        }
        const [a, b, c] = states as [Sibling[], Sibling[], Sibling[]];
        expect(sync(a, b)).toEqual(sync(b, a));
        expect(sync(sync(a, b), c)).toEqual(sync(a, sync(b, c)));
        expect(sync(a, a)).toEqual(a);
      }),
      { seed: 7 },
    );
  });

  it("no write is silently dropped: after merging everything, every write is a sibling or covered by one that saw it", () => {
    const op = fc.record({ at: fc.constantFrom("n1", "n2", "n3"), readFrom: fc.nat(4) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const states: Sibling[][] = [[], [], []];
        const idx = { n1: 0, n2: 1, n3: 2 } as const;
        // Each write's value names it; `seenBy[v]` are the values its writer had read.
        const seenBy = new Map<string, Set<string>>();
        ops.forEach((o, k) => {
          const i = idx[o.at as keyof typeof idx];
          const seen = states[o.readFrom % 3] as Sibling[];
          const v = `w${k}`;
          seenBy.set(v, new Set(seen.map((s) => s.value)));
          states[i] = update(sync(states[i] as Sibling[], []), contextOf(seen), v, o.at).siblings;
        });
        const all = states.reduce((a, b) => sync(a, b), [] as Sibling[]);
        const live = new Set(all.map((s) => s.value));
        // A write is gone only if some later write (transitively) read it.
        const reach = (from: string, target: string, depth = 0): boolean =>
          depth < 20 && [...(seenBy.get(from) ?? [])].some((x) => x === target || reach(x, target, depth + 1));
        for (const v of seenBy.keys()) {
          if (live.has(v)) continue;
          expect([...live].some((l) => reach(l, v)), `${v} dropped though no live sibling read it`).toBe(true);
        }
      }),
      { seed: 11 },
    );
  });
});

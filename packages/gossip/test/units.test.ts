/**
 * The node's parts on their own: the hash, version vectors, the Merkle tree's descent, SWIM's
 * precedence rules, causal delivery in the store, rumor cooling, options.
 */
import { SeededRng } from "@synod/protocol";
import { testSeed } from "@synod/testkit";
import * as fc from "fast-check";
import { describe, expect, test } from "vitest";
import { hash64, HotRumors, Membership, MerkleTree, resolveOptions, samplePeers, Store, vvCompare, vvDominates, vvJoin, vvString, type Delta, type TreeNode } from "../src/index.js";
import { testCounter } from "./support/gcounter.js";

describe("hash64", () => {
  test("is FNV-1a 64 over UTF-16 code units", () => {
    expect(hash64("")).toBe("cbf29ce484222325");
    expect(hash64("a")).toBe("af63dc4c8601ec8c");
    expect(hash64("hello world")).toBe("779a65e7023cd2e7");
  });
  test("agrees with a BigInt reference", () => {
    const ref = (s: string): string => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < s.length; i++) h = ((h ^ BigInt(s.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, "0");
    };
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => hash64(s) === ref(s)), { seed: testSeed("hash64", 17) });
  });
});

describe("version vectors", () => {
  const vv = fc.dictionary(fc.constantFrom("n1", "n2", "n3"), fc.nat(5));
  test("join is the least upper bound", () => {
    fc.assert(
      fc.property(vv, vv, (a, b) => {
        const j = vvJoin(a, b);
        return vvDominates(j, a) && vvDominates(j, b) && vvString(vvJoin(a, j)) === vvString(j);
      }),
      { seed: testSeed("vv join", 3) },
    );
  });
  test("compare", () => {
    expect(vvCompare({ n1: 1 }, { n1: 1, n2: 0 })).toBe("equal");
    expect(vvCompare({ n1: 1 }, { n1: 2 })).toBe("before");
    expect(vvCompare({ n1: 2 }, { n1: 1 })).toBe("after");
    expect(vvCompare({ n1: 2 }, { n2: 1 })).toBe("concurrent");
  });
});

/** Descend two trees as anti-entropy does; the leaves found differing. */
function differingLeaves(a: MerkleTree, b: MerkleTree): number[] {
  let level: TreeNode[] = [{ level: 0, index: 0 }];
  const out: number[] = [];
  while (level.length > 0) {
    const diff = level.filter((n) => a.hash(n) !== b.hash(n));
    for (const n of diff) if (n.level === a.shape.depth) out.push(n.index);
    level = diff.flatMap((n) => a.children(n));
  }
  return out.sort((x, y) => x - y);
}

describe("Merkle tree", () => {
  test("descending finds exactly the leaves whose keys differ", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }), fc.nat(), (keys, pick) => {
        const a = new MerkleTree({ branching: 4, depth: 3 });
        const b = new MerkleTree({ branching: 4, depth: 3 });
        for (const k of keys) {
          a.set(k, "v1");
          b.set(k, "v1");
        }
        const changed = keys.filter((_, i) => (pick >> i % 30) & 1);
        for (const k of changed) b.set(k, "v2");
        const expected = [...new Set(changed.map((k) => a.leafOf(k)))].sort((x, y) => x - y);
        expect(differingLeaves(a, b)).toEqual(expected);
        return true;
      }),
      { seed: testSeed("merkle descent", 5) },
    );
  });
  test("similar keys spread over the leaves", () => {
    const t = new MerkleTree({ branching: 16, depth: 2 });
    const per = new Map<number, number>();
    for (let k = 0; k < 2560; k++) per.set(t.leafOf(`key${k}`), (per.get(t.leafOf(`key${k}`)) ?? 0) + 1);
    expect(per.size).toBeGreaterThan(250);
    expect(Math.max(...per.values())).toBeLessThan(30);
  });
  test("hashes follow changes back and forth (lazy refresh)", () => {
    const t = new MerkleTree({ branching: 16, depth: 2 });
    const empty = t.root();
    t.set("x", "1");
    const one = t.root();
    expect(one).not.toBe(empty);
    t.set("x", null);
    expect(t.root()).toBe(empty);
    t.set("x", "1");
    expect(t.root()).toBe(one);
  });
  test("a node outside the shape is refused by name", () => {
    const t = new MerkleTree({ branching: 2, depth: 2 });
    expect(() => t.hash({ level: 3, index: 0 })).toThrow(/no tree node at level 3/);
    expect(t.has({ level: 2, index: 4 })).toBe(false);
  });
});

describe("SWIM membership rules", () => {
  test("suspect needs the known incarnation; alive needs a higher one; dead is final for its incarnation", () => {
    const m = new Membership("n1", ["n2", "n3"], 0, 3);
    expect(m.apply({ kind: "suspect", node: "n2", incarnation: 0 })).toBe("changed");
    expect(m.apply({ kind: "suspect", node: "n2", incarnation: 0 })).toBe("none");
    expect(m.apply({ kind: "alive", node: "n2", incarnation: 0 })).toBe("none");
    expect(m.apply({ kind: "alive", node: "n2", incarnation: 1 })).toBe("changed");
    expect(m.get("n2")?.status).toBe("alive");
    expect(m.apply({ kind: "suspect", node: "n2", incarnation: 0 })).toBe("none");
    expect(m.apply({ kind: "dead", node: "n3", incarnation: 0 })).toBe("changed");
    expect(m.apply({ kind: "suspect", node: "n3", incarnation: 0 })).toBe("none");
    expect(m.reachable()).toEqual(["n2"]);
    expect(m.apply({ kind: "alive", node: "n3", incarnation: 1 })).toBe("changed");
    expect(m.reachable()).toEqual(["n2", "n3"]);
  });
  test("suspicion about oneself is refuted with a higher incarnation, queued for piggybacking", () => {
    const m = new Membership("n1", ["n2"], 2, 3);
    expect(m.apply({ kind: "suspect", node: "n1", incarnation: 1 })).toBe("none");
    expect(m.apply({ kind: "suspect", node: "n1", incarnation: 2 })).toBe("refuted");
    expect(m.incarnation).toBe(3);
    expect(m.piggyback(8)).toEqual([{ kind: "alive", node: "n1", incarnation: 3 }]);
  });
  test("each update is piggybacked a bounded number of times", () => {
    const m = new Membership("n1", ["n2", "n3"], 0, 2);
    m.apply({ kind: "suspect", node: "n2", incarnation: 0 });
    let sends = 0;
    for (let i = 0; i < 100 && m.pending() > 0; i++) sends += m.piggyback(8).length;
    expect(sends).toBe(2 * Math.ceil(Math.log10(4)));
  });
});

function delta(key: string, origin: string, seq: number, deps: Record<string, number>): Delta {
  return { key, dot: { origin, seq }, deps, delta: { [origin]: seq } };
}

describe("causal delivery", () => {
  const shape = { branching: 4, depth: 1 };
  test("a delta waits for the origin's previous update and its dependencies", () => {
    const s = new Store(testCounter, shape, 10);
    expect(s.receive(delta("k", "n1", 2, { n1: 1 }), "n9").outcome).toBe("buffered");
    expect(s.receive(delta("k", "n2", 1, { n1: 2 }), "n9").outcome).toBe("buffered");
    const r = s.receive(delta("k", "n1", 1, {}), "n9");
    expect(r.outcome).toBe("applied");
    expect(r.joined.map((j) => `${j.delta.dot.origin}/${j.delta.dot.seq}`)).toEqual(["n1/1", "n1/2", "n2/1"]);
    expect(s.get("k").vv).toEqual({ n1: 2, n2: 1 });
    expect(s.receive(delta("k", "n1", 2, { n1: 1 }), "n9").outcome).toBe("known");
    expect(s.pendingDeltas()).toBe(0);
  });
  test("the buffer is bounded: overflow is dropped, for anti-entropy to repair", () => {
    const s = new Store(testCounter, shape, 1);
    expect(s.receive(delta("k", "n1", 3, { n1: 2 }), "n9").outcome).toBe("buffered");
    expect(s.receive(delta("k", "n1", 2, { n1: 1 }), "n9").outcome).toBe("dropped");
  });
  test("a whole entry from anti-entropy releases what it unblocks", () => {
    const s = new Store(testCounter, shape, 10);
    s.receive(delta("k", "n1", 3, { n1: 2 }), "n9");
    const r = s.mergeEntry("k", { state: { n1: 2 }, vv: { n1: 2 } });
    expect(r.changed).toBe(true);
    expect(r.joined.map((j) => j.delta.dot.seq)).toEqual([3]);
    expect(testCounter.value(s.get("k").state as Record<string, number>)).toBe(3);
    expect(s.mergeEntry("k", { state: { n1: 1 }, vv: { n1: 1 } }).changed).toBe(false);
  });
});

describe("rumors and peers", () => {
  test("a rumor goes cold after stopAfter peers knew it", () => {
    const r = new HotRumors(2, 10);
    const d = delta("k", "n1", 1, {});
    r.add(d);
    r.knownBy("k", d.dot);
    expect(r.size).toBe(1);
    r.knownBy("k", d.dot);
    expect(r.size).toBe(0);
    expect(r.stoppedByFeedback).toBe(1);
  });
  test("the hot list is bounded", () => {
    const r = new HotRumors(2, 2);
    for (let i = 1; i <= 3; i++) r.add(delta("k", "n1", i, {}));
    expect(r.take(10).map((d) => d.dot.seq)).toEqual([2, 3]);
    expect(r.evicted).toBe(1);
  });
  test("samplePeers draws distinct members, uniformly", () => {
    const rng = SeededRng.derive(testSeed("samplePeers", 9), "t");
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const s = samplePeers(["a", "b", "c", "d"], 2, rng);
      expect(new Set(s).size).toBe(2);
      for (const x of s) counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe("options", () => {
  test("defaults, and every bad option named", () => {
    expect(resolveOptions({ payload: testCounter }).fanout).toBe(2);
    expect(() => resolveOptions({ payload: testCounter, fanout: 0 })).toThrow(/fanout: expected an integer in \[1, 64\], got 0/);
    expect(() => resolveOptions({ payload: testCounter, mode: "shout" as never })).toThrow(/mode: expected push, pull or push-pull/);
    expect(() => resolveOptions({ payload: testCounter, fanOut: 2 } as never)).toThrow(/unknown gossip option "fanOut"/);
    expect(() => resolveOptions({ payload: testCounter, swim: { probeMs: 5 } as never })).toThrow(/unknown swim option "probeMs"/);
    expect(() => resolveOptions({ payload: testCounter, unsafe: { skipRange: true } as never })).toThrow(/unknown unsafe option "skipRange"/);
    expect(() => resolveOptions({ payload: testCounter, swim: { probeIntervalMs: 10, probeTimeoutMs: 20 } as never })).toThrow(/swim.probeTimeoutMs/);
  });
});

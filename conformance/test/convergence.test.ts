/**
 * The convergence judge: every CRDT of @synod/crdt passes it on random runs with loss,
 * duplication and late delivery; broken replicated types are caught (a merge that is not
 * idempotent, an OR-Set that lets removes win over concurrent adds, a merge that loses an
 * update); and each promise broken by a hand-made history is reported in words.
 */
import { crdtTypes, gCounter, lwwMap, lwwRegister, orSet, type AnyCrdt, type GCounterState, type LwwMapState, type StateCrdt } from "@synod/crdt";
import { testSeed } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { convergence, type HistoryEvent } from "../src/index.js";
import { simulate } from "./convergence-sim.js";

const check = (crdt: AnyCrdt, h: HistoryEvent[]) => convergence({ crdt }).check(h, { timeoutMs: 10_000 });
const runs = 40;

describe("the convergence judge on correct CRDTs", () => {
  for (const crdt of Object.values(crdtTypes)) {
    it(`accepts ${crdt.name} histories under loss, duplication and reordering`, () => {
      const seed = testSeed(`convergence ${crdt.name}`, 17);
      for (let k = 0; k < runs; k++) {
        const v = check(crdt, simulate(crdt, seed + k));
        expect(v, `seed ${seed + k}`).toEqual({ verdict: "ok", detail: expect.stringContaining("every read explained") });
      }
    });
  }
});

/** A G-Counter whose merge adds the entries instead of taking their maximum. */
const summingCounter: AnyCrdt = {
  ...gCounter,
  merge(a: GCounterState, b: GCounterState): GCounterState {
    const out = new Map(a);
    for (const [r, n] of b) out.set(r, (out.get(r) ?? 0) + n);
    return out;
  },
};

/** Each OR-Set operation with the operations its replica had seen. */
type Logged = { type: "add" | "remove"; elem: string; replica: string; n: number; saw: ReadonlySet<string> };
/** A set that converges but lets a remove win over a concurrent add (remove-wins, not add-wins). */
const removeWinsSet: StateCrdt<ReadonlyMap<string, Logged>, { type: "add" | "remove"; elem: string }, ReadonlySet<string>, { type: "add" | "remove"; elem: string; n: number }> = {
  ...(orSet as unknown as StateCrdt<ReadonlyMap<string, Logged>, { type: "add" | "remove"; elem: string }, ReadonlySet<string>, { type: "add" | "remove"; elem: string; n: number }>),
  name: "or-set",
  bottom: () => new Map(),
  mutate(state, replica, op) {
    const n = [...state.values()].filter((l) => l.replica === replica).length + 1;
    const delta = new Map([[`${replica}:${n}`, { ...op, replica, n, saw: new Set(state.keys()) }]]);
    return { state: new Map([...state, ...delta]), delta, applied: { ...op, n } };
  },
  merge: (a, b) => new Map([...a, ...b]),
  value(state) {
    const out = new Set<string>();
    const ops = [...state.entries()];
    for (const [id, a] of ops) {
      if (a.type !== "add") continue;
      // remove-wins: present only if every remove of the element happened before this add
      if (ops.every(([rid, r]) => r.type !== "remove" || r.elem !== a.elem || a.saw.has(rid))) out.add(a.elem);
      void id;
    }
    return out;
  },
};

/** An LWW-map whose merge takes the incoming write for every key, whatever its stamp. */
const overwritingMap: AnyCrdt = { ...lwwMap, merge: (a: LwwMapState, b: LwwMapState) => new Map([...a, ...b]) };

function firstViolation(crdt: AnyCrdt, judgeAs: AnyCrdt, seed: number): string | undefined {
  for (let k = 0; k < 200; k++) {
    const v = convergence({ crdt: judgeAs }).check(simulate(crdt, seed + k, { steps: 40 }), { timeoutMs: 10_000 });
    if (v.verdict === "violation") {
      console.log(`${crdt.name} (seed ${seed + k}): ${v.explanation}`);
      return v.explanation;
    }
    expect(v.verdict).toBe("ok");
  }
  return undefined;
}

describe("the convergence judge with lost replies", () => {
  for (const crdt of [gCounter, orSet, crdtTypes["2p-set"]!]) {
    it(`accepts ${crdt.name} histories whose update replies were lost (ids assigned, causal past bounded)`, () => {
      const seed = testSeed(`convergence lost replies ${crdt.name}`, 23);
      for (let k = 0; k < runs; k++) {
        const v = check(crdt, simulate(crdt, seed + k, { lostReplies: true }));
        expect(v, `seed ${seed + k}`).toEqual({ verdict: "ok", detail: expect.stringContaining("every read explained") });
      }
    });
  }
  it("says unknown when a lost reply hides an LWW stamp a read depends on", () => {
    const h = [
      ev("c-n1", "invoke", "update", { node: "n1", op: { type: "set", value: 1, nowMs: 5 } }),
      ev("c-n1", "info", "update", { node: "n1", op: { type: "set", value: 1, nowMs: 5 } }),
      ...rd("n2", 1, { n1: 1 }),
    ];
    expect(check(lwwRegister, h)).toEqual({ verdict: "unknown", reason: expect.stringContaining("update n1:1 of key \"k\" took effect but its reply was lost") });
  });
  it("does not let a lost-reply update explain a read that ended before it was issued", () => {
    const h = [...rd("n2", 1, { n1: 1 }), ev("c-n1", "invoke", "update", { node: "n1", op: { type: "inc" } }), ev("c-n1", "info", "update", { node: "n1", op: { type: "inc" } })];
    expect(check(gCounter, h)).toEqual({ verdict: "violation", explanation: expect.stringContaining("shows n1:1, which was only issued later") });
  });
});

describe("the convergence judge on broken replicated types", () => {
  const seed = testSeed("convergence broken", 5);
  it("catches a merge that is not idempotent", () => {
    const why = firstViolation(summingCounter, gCounter, seed);
    expect(why).toMatch(/no causally closed set of visible updates explains|is not explained by the causally closed set of updates it has seen|replicas that received the same updates differ|did not converge/);
  });
  it("catches an OR-Set that removes concurrent adds (remove-wins where add-wins was promised)", () => {
    const why = firstViolation(removeWinsSet as AnyCrdt, orSet, seed);
    expect(why).toMatch(/(no causally closed set of visible updates explains|is not explained by the causally closed set of updates it has seen).*Updates involved/);
    expect(why).toMatch(/concurrent with/);
  });
  it("catches a merge that loses an update", () => {
    const why = firstViolation(overwritingMap, lwwMap, seed);
    expect(why).toBeDefined();
  });
});

// ---- hand-made histories ----
let t = 0;
const ev = (process: string, type: string, f: string, value: unknown): HistoryEvent => ({ process, type, f, value, key: "k", timeNs: ++t }) as unknown as HistoryEvent;
const upd = (node: string, seq: number, applied: unknown, deps: Record<string, number>, op: unknown = null): HistoryEvent[] => [
  ev(`c-${node}`, "invoke", "update", op),
  ev(`c-${node}`, "ok", "update", { node, id: `${node}:${seq}`, seq, applied, deps }),
];
const rd = (node: string, value: unknown, vv: Record<string, number>, f = "read"): HistoryEvent[] => [ev(`r-${node}`, "invoke", f, null), ev(`r-${node}`, "ok", f, { node, value, vv })];
const add = (elem: string, n: number) => ({ type: "add", elem, n });
const remove = (elem: string, n: number) => ({ type: "remove", elem, n });

describe("the convergence judge on hand-made histories", () => {
  it("explains an add-wins read and reports a remove-wins one with the updates involved", () => {
    const base = [...upd("n1", 1, add("x", 1), {}), ...upd("n2", 1, remove("x", 1), { n1: 1 }), ...upd("n1", 2, add("x", 2), { n1: 1 })];
    expect(check(orSet, [...base, ...rd("n3", ["x"], { n1: 2, n2: 1 })]).verdict).toBe("ok");
    const v = check(orSet, [...base, ...rd("n3", [], { n1: 2, n2: 1 })]);
    expect(v.verdict).toBe("violation");
    expect((v as { explanation: string }).explanation).toBe(
      'the read of key "k" at n3 (event 7) is not explained by the causally closed set of updates it has seen: it shows [], but the or-set specification applied to the updates it has seen ({"n1":2,"n2":1}) gives ["x"]. Updates involved: n1:1 {"elem":"x","n":1,"type":"add"}; n1:2 {"elem":"x","n":2,"type":"add"} after n1:1 concurrent with n2:1; n2:1 {"elem":"x","n":1,"type":"remove"} after n1:1 concurrent with n1:2 (about "x": read false, specified true). (Only {}, a set it claims to be past, fits the value.)',
    );
  });
  it("reports a read with a wrong version vector when other updates explain it", () => {
    const h = [...upd("n1", 1, { type: "inc", by: 2 }, {}), ...upd("n2", 1, { type: "inc", by: 5 }, {}), ...rd("n3", 5, { n1: 1, n2: 1 })];
    expect(check(gCounter, h)).toEqual({ verdict: "violation", explanation: expect.stringContaining('(Only {"n2":1}, a set it claims to be past, fits the value.)') });
  });
  it("explains a read without a version vector by searching the closed sets, and reports one no set explains", () => {
    const h = [...upd("n1", 1, { type: "inc", by: 2 }, {}), ...upd("n2", 1, { type: "inc", by: 5 }, {})];
    const noVv = (value: number) => [ev("r", "invoke", "read", null), ev("r", "ok", "read", { node: "n3", value })];
    expect(check(gCounter, [...h, ...noVv(7)]).verdict).toBe("ok");
    expect(check(gCounter, [...h, ...noVv(3)])).toEqual({ verdict: "violation", explanation: expect.stringContaining("no causally closed set of visible updates explains the read of key \"k\" at n3 (event 5) (searched 4 candidate sets): it shows 3") });
  });
  it("reports a phantom update, a read that is not causally closed, and one issued later", () => {
    expect(check(gCounter, rd("n1", 1, { n2: 1 }))).toEqual({ verdict: "violation", explanation: expect.stringContaining("includes update n2:1 of key \"k\", which the history never records") });
    const h = [...upd("n1", 1, { type: "inc", by: 1 }, {}), ...upd("n2", 1, { type: "inc", by: 1 }, { n1: 1 }), ...rd("n3", 1, { n2: 1 })];
    expect(check(gCounter, h)).toEqual({ verdict: "violation", explanation: expect.stringContaining("is not causally closed: it includes n2:1") });
  });
  it("reports replicas with the same updates and different values", () => {
    const h = [...upd("n1", 1, add("x", 1), {}), ...rd("n2", ["x"], { n1: 1 }), ...rd("n3", [], { n1: 1 })];
    expect(check(orSet, h)).toEqual({ verdict: "violation", explanation: expect.stringContaining("replicas that received the same updates differ") });
  });
  it("reports a replica that does not see its own update or unsees one", () => {
    const own = [...upd("n1", 1, { type: "inc", by: 1 }, {}), ...rd("n1", 0, {})];
    expect(check(gCounter, own)).toEqual({ verdict: "violation", explanation: expect.stringContaining("which n1 itself acknowledged before") });
    const unsee = [...upd("n1", 1, { type: "inc", by: 1 }, {}), ...rd("n2", 1, { n1: 1 }), ...rd("n2", 0, {})];
    expect(check(gCounter, unsee)).toEqual({ verdict: "violation", explanation: expect.stringContaining("an update a replica has seen is never unseen") });
  });
  it("reports replicas that did not converge after the network healed", () => {
    const h = [...upd("n1", 1, { type: "inc", by: 1 }, {}), ...rd("n1", 1, { n1: 1 }, "final-read"), ...rd("n2", 0, {}, "final-read")];
    const v = convergence({ crdt: gCounter, boundMs: 500 }).check(h, { timeoutMs: 1000 });
    expect(v).toEqual({ verdict: "violation", explanation: expect.stringContaining("replicas did not converge (500 ms after updates stopped and the network healed): the final read of key \"k\" at n2") });
  });
  it("calls a malformed history malformed, naming the event", () => {
    expect(check(gCounter, [ev("c", "invoke", "write", 1)])).toEqual({ verdict: "violation", explanation: expect.stringContaining('event 0 (process c, write): operation "write" is not update, read or final-read') });
    const badDeps = upd("n1", 2, { type: "inc", by: 1 }, {});
    expect(check(gCounter, badDeps)).toEqual({ verdict: "violation", explanation: expect.stringContaining("deps of n1:2 have 0 of n1's own updates, not 1") });
  });
});


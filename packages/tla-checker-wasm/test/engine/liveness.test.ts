// The liveness engine's counterexamples against TLC's: the whole lasso (every state, its action
// header, and how it closes), not only the verdict. TLC's lassos depend on its fingerprint
// polynomial, so fixtures/liveness-lassos.json was recorded with `-fp 0` (command inside).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkSpec } from "../../src/api.js";
import { checkSolutions } from "../../src/check/liveness.js";
import { firstViolated } from "../../src/check/live/violated.js";
import type { LiveSolution } from "../../src/check/live/solution.js";
import { loadModel } from "../../src/load.js";
import type { State } from "../../src/model.js";
import { toTLCText } from "../../src/trace/tlc-text.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const read = (f: string): string => readFileSync(f, "utf8");

interface Recorded {
  spec: string;
  cfg: string;
  violated: boolean;
  trace: string[];
}
const recorded = (JSON.parse(read(fixture("liveness-lassos.json"))) as { entries: Recorded[] }).entries;

/**
 * A trace as TLC prints it, per state: its header and its variable lines sorted (we print the
 * variables in declaration order, TLC in its own; the values must be the same).
 */
function blocks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let header = "";
  let vars: string[] = [];
  const flush = () => {
    if (header) out.push([header, ...vars.sort()].join(" | "));
  };
  for (const l of lines) {
    if (/^(State \d+:|Back to state)/.test(l)) {
      flush();
      header = l;
      vars = [];
    } else if (l.trim() !== "") vars.push(l.trim());
  }
  flush();
  return out;
}

describe("liveness lassos equal TLC's (-fp 0)", { timeout: 60_000 }, () => {
  it.each(recorded.map((r) => [`${r.spec} with ${r.cfg}`, r] as const))("%s", async (_name, r) => {
    const opts = { spec: { path: fixture(r.spec) }, cfg: { path: fixture(r.cfg) } };
    const result = await checkSpec(opts);
    if (!r.violated) {
      expect(result.verdict).toBe("ok");
      return;
    }
    expect(result.verdict).toBe("liveness");
    const model = await loadModel({ ...opts, temporal: true });
    const ours = toTLCText(result.trace!, model, result.loopIndex, { source: read, stutterLoop: result.stutterLoop === true }).split("\n");
    expect(blocks(ours)).toEqual(blocks(r.trace));
  });
});

describe("how TLC ends a lasso, and where it stops", { timeout: 60_000 }, () => {
  const run = (tla: string, cfg: string) => checkSpec({ spec: { path: fixture(`${tla}.tla`) }, cfg: { path: fixture(`${cfg}.cfg`) } });

  it("'State 4: Stuttering' after 6 states means a cycle through state 3 (= state 6), going on with state 4", async () => {
    const r = await run("RandLive", "RandLive");
    expect(r).toMatchObject({ verdict: "liveness", traceLength: 6, loopIndex: 3, stutterLoop: true });
    expect(r.trace![5]!.state).toEqual(r.trace![2]!.state);
  });

  it("an accepting tableau node: a finite trace, no loop, and TLC's figures where it stopped searching", async () => {
    // TLC -fp 0 on Live_SpecWF_YNeverTwoAfterX1.cfg: 7 states, no closing line, then
    // "14 states generated, 10 distinct states found, 3 states left on queue", depth 5.
    const r = await run("Live", "Live_SpecWF_YNeverTwoAfterX1");
    expect(r).toMatchObject({ verdict: "liveness", name: "YNeverTwoAfterX1", traceLength: 7, generated: 14, distinct: 10, queue: 3, depth: 5 });
    expect(r.loopIndex).toBeUndefined();
  });
});

describe("the search on hand-built solutions (no formula side)", { timeout: 60_000 }, () => {
  const live = async (cfg: string) => loadModel({ spec: { path: fixture("Live.tla") }, cfg: { path: fixture(`${cfg}.cfg`) }, temporal: true });
  const x = (s: State) => s[0] as number;

  it("finds TLC's lasso for the negation of []<>(x = 0) without fairness: <>[](x # 0), an EA condition", async () => {
    const model = await live("Live_SpecNone_XInfOften");
    const solution: LiveSolution = {
      tableau: null,
      checkState: [],
      checkAction: [(from, to) => x(from) !== 0 && x(to) !== 0],
      promiseCount: 0,
      pems: [{ eaAction: [0], aeState: [], aeAction: [], property: "XInfOften" }],
    };
    const r = checkSolutions(model, [solution]);
    // TLC: 6 states (x = 0, 0, 0, 1, 2, 3) then "State 7: Stuttering".
    expect(r).toMatchObject({ ok: false, name: "XInfOften", loopIndex: 5, states: 12 });
    if (r.ok || !("trace" in r)) throw new Error("expected a counterexample");
    expect(r.trace.map((t) => x(t.state))).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it("needs every []<> condition of an error model in the same component", async () => {
    const model = await live("Live_SpecNone_XInfOften");
    // []<>(x = 3) /\ []<>(y = 0): y never returns to 0 once it left it, and x reaches 3 only
    // through IncX, whose cycle x = 0..3 (ResetX) is possible at every y: the cycle stays at y = 0.
    const both: LiveSolution = {
      tableau: null,
      checkState: [(s) => x(s) === 3, (s) => s[1] === 0],
      checkAction: [],
      promiseCount: 0,
      pems: [{ eaAction: [], aeState: [0, 1], aeAction: [], property: "P" }],
    };
    const r = checkSolutions(model, [both]);
    if (r.ok || !("trace" in r)) throw new Error("expected a counterexample");
    const cycle = r.trace.slice(r.loopIndex ?? 0);
    expect(cycle.some((t) => x(t.state) === 3)).toBe(true);
    expect(r.trace.every((t) => t.state[1] === 0)).toBe(true);
    // With y = 2 demanded too, no component has all three.
    const three: LiveSolution = { ...both, checkState: [...both.checkState, (s) => s[1] === 2], pems: [{ ...both.pems[0]!, aeState: [0, 1, 2] }] };
    expect(checkSolutions(model, [three])).toMatchObject({ ok: true, states: 12 });
  });
});

describe("liveness on graphs deeper than the call stack", { timeout: 120_000 }, () => {
  it("Ring.tla with N = 30000: TLC re-expands finished states recursively (and overflows its stack); we do not", async () => {
    // TLC 2.20 on Ring_RBig.cfg: "Error: This was a Java StackOverflowError". With N = 300
    // (Ring_R.cfg, in liveness-lassos.json) its lasso is 600 states, Back to state 301.
    const r = await checkSpec({ spec: { path: fixture("Ring.tla") }, cfg: { path: fixture("Ring_RBig.cfg") } });
    expect(r).toMatchObject({ verdict: "liveness", name: "R", distinct: 30000 });
    const xs = r.trace!.map((t) => t.state[0] as number);
    // A real lasso of the ring: every step is Next, and the closing step too.
    xs.forEach((x, i) => i > 0 && expect(x).toBe((xs[i - 1]! + 1) % 30000));
    expect(xs[r.loopIndex!]).toBe((xs[xs.length - 1]! + 1) % 30000);
    expect(xs).toContain(29999);
  });
});

describe("which PROPERTY a lasso violates (named in cfg order)", () => {
  const ctx = { level: 1 };
  const st = (x: number) => [x] as State;
  const isX = (v: number) => ({ k: "state" as const, text: `x = ${v}`, holds: (s: State) => s[0] === v });
  const inc = { k: "action" as const, text: "x' = x + 1", holds: (s: State, t: State) => (t[0] as number) === (s[0] as number) + 1 };
  const props = [
    { name: "ReachesTwo", formula: { k: "eventually" as const, f: isX(2) } },
    { name: "InfinitelyZero", formula: { k: "always" as const, f: { k: "eventually" as const, f: isX(0) } } },
    { name: "OneLeadsToTwo", formula: { k: "leadsto" as const, from: isX(1), to: isX(2) } },
    { name: "FairInc", formula: { k: "fair" as const, strong: false, text: "WF(inc)", step: inc.holds, enabled: (s: State) => (s[0] as number) < 2 } },
  ];

  it("0, 1, 2 back to 1: x = 0 only once, so []<>(x = 0) is the first violated", () => {
    expect(firstViolated(props, [st(0), st(1), st(2)], 1, ctx)).toBe("InfinitelyZero");
  });

  it("0, 1 stuttering: <>(x = 2) fails first; with it gone, x = 1 never leads to 2", () => {
    expect(firstViolated(props, [st(0), st(1)], null, ctx)).toBe("ReachesTwo");
    expect(firstViolated(props.slice(1, 3), [st(0), st(1)], null, ctx)).toBe("InfinitelyZero");
    expect(firstViolated(props.slice(2), [st(0), st(1)], null, ctx)).toBe("OneLeadsToTwo");
  });

  it("weak fairness: stuttering where the step stays enabled is unfair, a cycle that takes it is fair", () => {
    expect(firstViolated(props.slice(3), [st(0), st(1)], null, ctx)).toBe("FairInc");
    expect(firstViolated(props.slice(3), [st(0), st(1), st(2)], null, ctx)).toBeNull();
    expect(firstViolated(props.slice(3), [st(0), st(1)], 0, ctx)).toBeNull();
  });
});

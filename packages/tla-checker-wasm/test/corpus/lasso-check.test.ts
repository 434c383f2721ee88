/**
 * The lasso validator (lasso-check.ts) itself: it accepts a real counterexample and rejects each
 * kind of wrong one, on the liveness-mutex corpus spec, and its temporal semantics on a lasso of
 * plain numbers.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel, type LoadedModel } from "../../src/load.js";
import type { LiveFormula } from "../../src/eval/temporal.js";
import type { State } from "../../src/model.js";
import { formatLabel } from "../../src/trace/label.js";
import { corpusDir } from "./corpus.js";
import { checkLasso, evaluate } from "./lasso-check.js";

/** The states reached from the (only) initial state by the named actions, in order. */
function walk(model: LoadedModel, labels: string[]): State[] {
  const [init] = model.initStates({ level: 1 });
  const states: State[] = [init!.state];
  for (const want of labels) {
    const from = states[states.length - 1]!;
    const step = model.successors(from, { level: states.length }).find((s) => formatLabel(s.label, model.values) === want);
    if (!step) throw new Error(`no ${want} step from state ${states.length}`);
    states.push(step.state);
  }
  return states;
}

describe("lasso validator", () => {
  let model: LoadedModel;
  beforeAll(async () => {
    const dir = join(corpusDir, "liveness-mutex");
    // SpecWF (WF on Enter and Exit of each process), PROPERTY Starvation, N = 2.
    model = await loadModel({ spec: { path: join(dir, "Mutex.tla") }, cfg: { path: join(dir, "MutexWF.cfg") }, temporal: true });
  });

  // Process 1 waits; process 2 tries, enters and leaves forever, taking the lock each time the
  // lock is free: Enter(1) is enabled only intermittently, so weak fairness is kept.
  const starving = ["Try(p = 1)", "Try(p = 2)", "Enter(p = 2)"];

  it("accepts a fair lasso that violates the property (TLC's 4 states, back to state 2)", () => {
    const states = walk(model, starving);
    expect(checkLasso(model, { states, loopIndex: 1, property: "Starvation" })).toEqual([]);
  });

  it("rejects a lasso whose first state is not initial", () => {
    const states = walk(model, starving).slice(1);
    expect(checkLasso(model, { states, loopIndex: 0, property: "Starvation" })).toEqual([expect.stringMatching(/^state 1 is not an initial state/)]);
  });

  it("rejects a step that is not a successor", () => {
    const all = walk(model, starving);
    const states = [all[0]!, all[3]!];
    expect(checkLasso(model, { states, loopIndex: 1, property: "Starvation" })).toContainEqual(expect.stringMatching(/^state 2 is not a successor of state 1/));
  });

  it("rejects a closing step that is not a successor", () => {
    const states = walk(model, starving);
    // From (wait, cs) the only way on is Exit(2) to (wait, idle): not (wait, wait).
    expect(checkLasso(model, { states, loopIndex: 2, property: "Starvation" })).toEqual([
      "the closing step from state 4 back to state 3 is not a successor",
    ]);
  });

  it("rejects a loop index outside the trace", () => {
    const states = walk(model, starving);
    expect(checkLasso(model, { states, loopIndex: 4, property: "Starvation" })).toEqual(["loopIndex 4 is outside the trace (0..3)"]);
  });

  it("rejects an unfair lasso: stuttering while Enter(1) stays enabled", () => {
    const states = walk(model, ["Try(p = 1)"]);
    const problems = checkLasso(model, { states, loopIndex: 1, property: "Starvation" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^the lasso violates fairness conjunct \d+ \(WF_vars\(Enter\(p\)\)\)/);
  });

  it("rejects a lasso that satisfies the property", () => {
    const states = walk(model, ["Try(p = 1)", "Enter(p = 1)"]);
    expect(checkLasso(model, { states, loopIndex: 0, property: "Starvation" })).toEqual(["the lasso satisfies Starvation"]);
  });

  it("rejects an unknown property name", () => {
    const states = walk(model, starving);
    expect(checkLasso(model, { states, loopIndex: 1, property: "Nope" })).toEqual(["no temporal PROPERTY named Nope (have: Starvation)"]);
  });

  it("rejects a finite trace that is no bad prefix", () => {
    // Stuttering in (wait, idle) starves process 1 (unfairly), but a fair extension lets it in.
    expect(checkLasso(model, { states: walk(model, ["Try(p = 1)"]), loopIndex: undefined, property: "Starvation" })).toEqual([
      expect.stringMatching(/^no bad prefix: a fair behaviour extending it satisfies Starvation \(\d+ states, back to state \d+\)$/),
    ]);
    expect(checkLasso(model, { states: walk(model, []), loopIndex: undefined, property: "Starvation" })).toContain("the lasso satisfies Starvation");
  });

  it("accepts a finite trace that is a bad prefix (every extension violates the property)", async () => {
    const dir = join(corpusDir, "liveness-formulas");
    // Spec (WF on Tick), PROPERTY NeverTwoAfterOn == [](on => [](x # 2)): once on was TRUE, reaching x = 2 is final.
    const blink = await loadModel({ spec: { path: join(dir, "Blink.tla") }, cfg: { path: join(dir, "BlinkNeverTwo.cfg") }, temporal: true });
    const states = walk(blink, ["Toggle", "Tick", "Tick"]);
    expect(checkLasso(blink, { states, loopIndex: undefined, property: "NeverTwoAfterOn" })).toEqual([]);
    // One Tick short: stuttering at x = 1 satisfies the property (though, with Tick weakly fair, no
    // fair extension does: the search for a satisfying fair extension finds none).
    expect(checkLasso(blink, { states: states.slice(0, 3), loopIndex: undefined, property: "NeverTwoAfterOn" })).toEqual(["the lasso satisfies NeverTwoAfterOn"]);
  });
});

describe("temporal semantics on a lasso", () => {
  // x = 0, 1, 2, 1, 2, 1, 2, ... : states 0..2, back to index 1.
  const lasso = { states: [[0], [1], [2]] as State[], loop: 1 };
  const is = (v: number): LiveFormula => ({ k: "state", text: `x = ${v}`, holds: (s) => s[0] === v });
  const step: LiveFormula = { k: "action", text: "x' = x + 1", holds: (s, t) => (t[0] as number) === (s[0] as number) + 1 };

  it("evaluates <>, [], ~>, []<>, <>[] and action leaves position by position", () => {
    expect(evaluate(lasso, { k: "eventually", f: is(0) })).toEqual([true, false, false]);
    expect(evaluate(lasso, { k: "always", f: { k: "not", f: is(0) } })).toEqual([false, true, true]);
    expect(evaluate(lasso, { k: "always", f: { k: "eventually", f: is(2) } })).toEqual([true, true, true]);
    expect(evaluate(lasso, { k: "eventually", f: { k: "always", f: is(1) } })).toEqual([false, false, false]);
    expect(evaluate(lasso, { k: "leadsto", from: is(2), to: is(1) })).toEqual([true, true, true]);
    expect(evaluate(lasso, { k: "leadsto", from: is(1), to: is(0) })).toEqual([false, false, false]);
    // The step from the last state goes back to x = 1: not an increment.
    expect(evaluate(lasso, step)).toEqual([true, true, false]);
    expect(evaluate(lasso, { k: "always", f: { k: "eventually", f: step } })).toEqual([true, true, true]);
  });

  it("evaluates weak and strong fairness", () => {
    // <<A>> = "x' = x + 1", enabled only where x = 1: enabled infinitely often, not continuously,
    // and taken infinitely often anyway (1 -> 2).
    const fair = (strong: boolean, enabledAt: number[], taken: (s: State, t: State) => boolean): LiveFormula => ({
      k: "fair", strong, text: "F", step: taken, enabled: (s) => enabledAt.includes(s[0] as number),
    });
    const never = (): boolean => false;
    expect(evaluate(lasso, fair(false, [1], never))[0]).toBe(true); // WF: not continuously enabled
    expect(evaluate(lasso, fair(true, [1], never))[0]).toBe(false); // SF: enabled infinitely often
    expect(evaluate(lasso, fair(false, [1, 2], never))[0]).toBe(false); // WF: continuously enabled on the cycle
    expect(evaluate(lasso, fair(true, [0], never))[0]).toBe(true); // enabled only in the prefix
    expect(evaluate(lasso, fair(true, [1, 2], (s, t) => t[0] === 2 && s[0] === 1))[0]).toBe(true);
  });

  it("fails loudly on a node kind it does not know", () => {
    expect(() => evaluate(lasso, { k: "next", f: is(0) } as unknown as LiveFormula)).toThrow(/node kind "next" is not known/);
  });
});

// The engine skips an invariant (or one conjunct of it) on a successor whose variables read by the
// invariant's evaluations are the same objects as in the state it comes from, where it held. The
// verdicts, counts and traces must be TLC's and equal to a search that checks every state; the
// figures below are TLC 2.20's (`-workers 1`), measured on these specs. 2 workers need the build.
import { describe, expect, it } from "vitest";
import { checkModel, checkSpec } from "../../src/api.js";
import type { CompiledModel, StatePredicate } from "../../src/model.js";
import { load } from "../core/helpers.js";
import { expectValidTrace } from "./helpers.js";

const CFG = "INIT Init\nNEXT Next\nINVARIANT Inv\n";

const specs = {
  // Reads y only where x = 1: after the first evaluations read only x, a state reached by
  // changing y alone must still be re-checked once some evaluation has read y.
  CondRead: {
    source: `---- MODULE CondRead ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\\ y = 0
Next == \\/ x' = 1 - x /\\ UNCHANGED y
        \\/ y < 3 /\\ y' = y + 1 /\\ UNCHANGED x
Inv == IF x = 0 THEN TRUE ELSE y < 2
====
`,
    tlc: { verdict: "invariant", name: "Inv", distinct: 6, generated: 9, depth: 4, traceLength: 4 },
  },
  // ENABLED reads the whole state: here Reset is enabled exactly where y = 0, which only the
  // enumeration of UNCHANGED y reads, not an expression of the invariant.
  EnabledInv: {
    source: `---- MODULE EnabledInv ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\\ y = 0
Next == \\/ x < 3 /\\ x' = x + 1 /\\ UNCHANGED y
        \\/ y < 3 /\\ y' = y + 1 /\\ UNCHANGED x
Reset == x' = 0 /\\ UNCHANGED y /\\ y' = 0
Inv == ENABLED Reset \\/ x < 2
====
`,
    tlc: { verdict: "invariant", name: "Inv", distinct: 8, generated: 9, depth: 4, traceLength: 4 },
  },
  // Conjuncts are checked apart, in order: where the second is false the third cannot be
  // evaluated, and TLC reports the violation, not an evaluation error.
  Pieces: {
    source: `---- MODULE Pieces ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\\ y = 0
Next == \\/ x < 3 /\\ x' = x + 1 /\\ UNCHANGED y
        \\/ y < 2 /\\ y' = y + 1 /\\ UNCHANGED x
Bounded == y <= 2
Inv == /\\ Bounded
       /\\ x < 3
       /\\ 10 \\div (3 - x) > 0
====
`,
    tlc: { verdict: "invariant", name: "Inv", distinct: 7, generated: 8, depth: 4, traceLength: 4 },
  },
} as const;

/** The same model with invariants that cannot report their reads: every state is checked. */
function checkingEveryState(model: CompiledModel): CompiledModel {
  const plain = model.invariants.map((inv): StatePredicate => ({ name: inv.name, holds: (s, c) => inv.holds(s, c) }));
  return Object.create(model, { invariants: { value: plain } }) as CompiledModel;
}

describe("invariants skipped where their variables did not change", () => {
  it.each(Object.keys(specs) as (keyof typeof specs)[])("%s: TLC's verdict, counts and trace, as when every state is checked", async (name) => {
    const { source, tlc } = specs[name];
    const model = await load(source, CFG);
    const skipping = await checkModel(model, {});
    expect(skipping).toMatchObject(tlc);
    expectValidTrace(model, skipping.trace!);
    const every = await checkModel(checkingEveryState(model), {});
    expect(every).toMatchObject(tlc);
    expect(skipping.trace!.map((s) => model.values.format(s.state))).toEqual(every.trace!.map((s) => model.values.format(s.state)));
  });

  it.each(Object.keys(specs) as (keyof typeof specs)[])("%s: TLC's verdict and counts with 2 workers", { timeout: 60_000 }, async (name) => {
    const { source, tlc } = specs[name];
    const r = await checkSpec({ spec: { name, source }, cfg: { source: CFG }, workers: 2 });
    expect(r).toMatchObject({ verdict: tlc.verdict, name: tlc.name, traceLength: tlc.traceLength });
  });

  it("an evaluation error in one conjunct is an error evaluating the invariant (TLC exits 76)", async () => {
    const source = `---- MODULE PieceError ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\\ y = 0
Next == \\/ x < 3 /\\ x' = x + 1 /\\ UNCHANGED y
        \\/ y < 2 /\\ y' = y + 1 /\\ UNCHANGED x
Inv == /\\ y <= 2
       /\\ 10 \\div (3 - x) > 0
====
`;
    const r = await checkModel(await load(source, CFG), {});
    expect(r).toMatchObject({ verdict: "error", error: { kind: "eval", phase: "invariant" } });
  });

  it("evaluates an invariant that reads one variable only where that variable changed", async () => {
    // x counts to 30 while y stays put: Inv reads y only, so it is evaluated on the initial state
    // and on the successors that change y (5), not on the 30 * 6 that change x alone.
    const source = `---- MODULE OnlyY ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\\ y = 0
Next == \\/ x < 30 /\\ x' = x + 1 /\\ UNCHANGED y
        \\/ y < 5 /\\ y' = y + 1 /\\ UNCHANGED x
Inv == y <= 5
====
`;
    const model = await load(source, `${CFG}CHECK_DEADLOCK FALSE\n`);
    let evaluations = 0;
    const counted = model.invariants.map((inv): StatePredicate => ({
      ...inv,
      holdsReading: (s, c, reads) => {
        evaluations++;
        return inv.holdsReading!(s, c, reads);
      },
    }));
    const r = await checkModel(Object.create(model, { invariants: { value: counted } }) as CompiledModel, {});
    expect(r).toMatchObject({ verdict: "ok", distinct: 31 * 6 });
    // Without the memo of results by the values read (predicate-memo.ts), one evaluation per
    // distinct state reached by a step that changed y (or no step): 1 + 31 * 5. With it, one per
    // value of y.
    expect(evaluations).toBe(6);
  });
});

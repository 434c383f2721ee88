// Refinement properties against TLC on random specs: a concrete spec over `x` and `y`, an abstract
// module `Abs` over `a` instantiated with a random refinement mapping, and a random PROPERTY built
// from the shapes TLC splits (instance prefixes, parameterised instances, operators with
// arguments, `\A` over a constant set, bulleted conjunctions, `[]P`, `[][A]_v`, state-level
// conjuncts, the WF of the abstract spec under random concrete fairness). Verdict, violated name,
// counts (when TLC prints them) and trace length must agree (for a temporal violation: verdict and counts).
//
// Without SYNOD_TLC_JAR only the generator is checked (every spec loads and checks to a safety
// verdict). Replay with SEED=<seed>; RUNS=<n> changes the number of specs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runTlc } from "../../scripts/tlc-run.mjs";
import { checkSpec } from "../../src/index.js";

const jar = process.env.SYNOD_TLC_JAR;
const seed = process.env.SEED ? Number(process.env.SEED) : Date.now() % 2 ** 31;
const runs = process.env.RUNS ? Number(process.env.RUNS) : undefined;

interface RefinementCase {
  abs: string;
  spec: string;
  cfg: string;
}

const small = fc.integer({ min: 0, max: 3 });

/** The abstract module: `a` counts modulo M from a set of initial values, optionally with a type invariant. */
const absArb = fc.record({ mod: fc.integer({ min: 2, max: 4 }), inits: fc.subarray([0, 1, 2, 3], { minLength: 1 }), step: fc.integer({ min: 1, max: 2 }), typeBound: fc.integer({ min: 1, max: 4 }) }).map(
  ({ mod, inits, step, typeBound }) => `---- MODULE Abs ----
EXTENDS Naturals
VARIABLE a
AInit == a \\in {${inits.join(", ")}}
ANext == a' = IF a + ${step} >= ${mod} THEN a + ${step} - ${mod} ELSE a + ${step}
ATypeOK == a < ${typeBound}
ASafe == AInit /\\ [][ANext]_a
ASpec == ASafe /\\ []ATypeOK
AFair == ASafe /\\ WF_a(ANext)
ALive == WF_a(ANext)
====
`,
);

/** A guarded concrete action over x, y (both in 0..3). */
const actionArb = fc.tuple(small, fc.constantFrom("x", "y"), fc.constantFrom("W(x + 1)", "W(y + 1)", "W(x + y)", "0", "x", "y")).map(
  ([g, v, e]) => `${v === "x" ? "y" : "x"} # ${g} /\\ ${v}' = ${e} /\\ UNCHANGED ${v === "x" ? "y" : "x"}`,
);

const mappingArb = fc.constantFrom("x", "y", "W(x + y)", "IF x > y THEN x ELSE y", "IF x > 1 THEN 1 ELSE 0");

/** One piece of the PROPERTY. */
const pieceArb = fc.constantFrom(
  "A!ASpec",
  "A!ASafe",
  "A!AInit",
  "[][A!ANext]_x",
  "[]A!ATypeOK",
  "P(1)!ASpec",
  "\\A i \\in {0, 1} : P(i)!ASafe",
  "Lift(x)",
  "[](x < 3)",
  "x \\in 0..2",
  "[][x' >= x \\/ x' = 0]_x",
  "LET z == y IN z < 3",
  "A!AFair",
  "\\A i \\in {0, 1} : P(i)!AFair",
);

/** Pieces with only the abstract fairness, so that the liveness checker decides. */
const livePieceArb = fc.constantFrom("A!ALive", "\\A i \\in {0, 1} : P(i)!ALive", "<>(x = 0)");

const caseArb: fc.Arbitrary<RefinementCase> = fc
  .record({
    abs: absArb,
    init: fc.tuple(fc.subarray([0, 1, 2], { minLength: 1 }), fc.subarray([0, 1], { minLength: 1 })),
    actions: fc.array(actionArb, { minLength: 1, maxLength: 3 }),
    mapping: mappingArb,
    pieces: fc.oneof<fc.Arbitrary<string[]>[]>(fc.array(pieceArb, { minLength: 1, maxLength: 3 }), fc.array(livePieceArb, { minLength: 1, maxLength: 2 })),
    bulleted: fc.boolean(),
    fairness: fc.constantFrom("", " /\\ WF_<<x, y>>(Next)", " /\\ WF_<<x, y>>(Act0)", " /\\ SF_<<x, y>>(Act0)"),
  })
  .map(({ abs, init, actions, mapping, pieces, bulleted, fairness }) => {
    const prop = bulleted ? `\n  ${pieces.map((p) => `/\\ ${p}`).join("\n  ")}` : ` ${pieces.map((p) => `(${p})`).join(" /\\ ")}`;
    const spec = `---- MODULE Conc ----
EXTENDS Naturals
VARIABLES x, y
\\* TLC 2.20's parser fails on some texts with a percent sign, so no % here.
W(n) == IF n >= 4 THEN n - 4 ELSE n
Init == x \\in {${init[0].join(", ")}} /\\ y \\in {${init[1].join(", ")}}
${actions.map((a, i) => `Act${i} == ${a}`).join("\n")}
Next == ${actions.map((_, i) => `Act${i}`).join(" \\/ ")}
Spec == Init /\\ [][Next]_<<x, y>>${fairness}
A == INSTANCE Abs WITH a <- ${mapping}
P(k) == INSTANCE Abs WITH a <- W(${mapping} + k)
Lift(v) == v < 3 /\\ [][v' # 3]_v
Refines ==${prop}
====
`;
    return { abs, spec, cfg: "SPECIFICATION Spec\nPROPERTY Refines\nCHECK_DEADLOCK FALSE\n" };
  });

function materialise(c: RefinementCase): { dir: string; tla: string; cfg: string } {
  const dir = mkdtempSync(join(tmpdir(), "synod-refine-"));
  writeFileSync(join(dir, "Abs.tla"), c.abs);
  writeFileSync(join(dir, "Conc.tla"), c.spec);
  writeFileSync(join(dir, "Conc.cfg"), c.cfg);
  return { dir, tla: join(dir, "Conc.tla"), cfg: join(dir, "Conc.cfg") };
}

const params = (numRuns: number) => ({ seed, numRuns: runs ?? numRuns, endOnFailure: true });

describe("random refinement properties", () => {
  it("load and check to a safety verdict (seed printed)", async () => {
    console.log(`refinement generator seed=${seed} (replay with SEED=${seed})`);
    const tally = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { dir, tla, cfg } = materialise(c);
        try {
          const r = await checkSpec({ spec: { path: tla }, cfg: { path: cfg } });
          expect(r.error?.message ?? null, `${c.abs}\n${c.spec}`).toBeNull();
          expect(["ok", "invariant", "property", "liveness"]).toContain(r.verdict);
          tally.set(r.verdict, (tally.get(r.verdict) ?? 0) + 1);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      params(30),
    );
    console.log(`refinement generator verdicts: ${JSON.stringify(Object.fromEntries(tally))}`);
  }, 120_000);
});

if (jar !== undefined) describe("random refinement properties against TLC (SYNOD_TLC_JAR)", () => {
  it("agree with TLC on verdict, name, counts and trace length (seed printed)", async () => {
    console.log(`refinement differential seed=${seed} (replay with SEED=${seed})`);
    const tally = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { dir, tla, cfg } = materialise(c);
        try {
          const tlc = runTlc({ jar: jar!, specPath: tla, cfgPath: cfg });
          // Names may be source spans with spaces ("line 7, col 16 to ... of module Abs").
          const named = /^Error: (Invariant|Action property|Property) (.+?) is violated/m.exec(tlc.output);
          if (named) {
            tlc.verdict = named[1] === "Invariant" ? "invariant" : "property";
            tlc.name = named[2]!;
          }
          const ours = await checkSpec({ spec: { path: tla }, cfg: { path: cfg } });
          // TLC names no temporal property and its lasso depends on its fingerprint polynomial: for
          // a liveness violation only the verdict and the counts are compared.
          const live = tlc.verdict === "liveness";
          const pick = (r: { verdict: string; name: string | null; distinct: number | null; generated: number | null; traceLength: number | null }) => ({
            verdict: r.verdict,
            ...(live ? {} : { name: r.name, traceLength: r.traceLength }),
            ...(tlc.distinct !== null ? { distinct: r.distinct, generated: r.generated } : {}),
          });
          expect(pick(ours), `${c.abs}\n${c.spec}\n${tlc.output}`).toEqual(pick(tlc));
          tally.set(tlc.verdict, (tally.get(tlc.verdict) ?? 0) + 1);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      params(40),
    );
    console.log(`refinement differential: all agree; TLC's verdicts ${JSON.stringify(Object.fromEntries(tally))}`);
  }, 1_200_000);
});

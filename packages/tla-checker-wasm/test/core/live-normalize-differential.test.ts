// The liveness normal form against TLC's on random temporal formulas. With
// SYNOD_TLC_JAR=/path/to/tla2tools.jar (and java on the PATH) each random property is run through
// TLC with -Dtlc2.tool.liveness.Liveness.debug=true and .tableauExportPath, and the per-solution
// counts, the last tableau (as TLC's dot) and TLC's rejections must equal ours. Without the jar
// only the generator is exercised (every formula must load). The seed is printed; replay with
// SYNOD_SEED=<seed>; SYNOD_RUNS=<n> changes the number of cases, SYNOD_MAX_PROPERTY_TEXT the longest
// property text tried (100 characters).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalForm } from "../../src/check/live/normalize.js";
import { loadModel } from "../../src/load.js";
import { TlaError } from "../../src/model.js";
import { debugLines, tableauDot } from "./live-tlc-format.js";

const jar = process.env.SYNOD_TLC_JAR;
const seed = Number(process.env.SYNOD_SEED ?? Date.now() % 2 ** 31);
const runs = Number(process.env.SYNOD_RUNS ?? (jar ? 60 : 40));

const MODULE = (props: string[]): string => `---- MODULE RandLive ----
EXTENDS Naturals
VARIABLES x, y
vars == <<x, y>>
Init == x = 0 /\\ y = 0
A == x' = (x + 1) % 3 /\\ UNCHANGED y
B == y' = 1 - y /\\ UNCHANGED x
Next == A \\/ B
SpecNone == Init /\\ [][Next]_vars
SpecWF == Init /\\ [][Next]_vars /\\ WF_vars(A)
SpecBoth == Init /\\ [][Next]_vars /\\ WF_vars(A) /\\ SF_vars(B)
${props.map((p, i) => `P${i} == ${p}`).join("\n")}
====
`;

const atom = fc.constantFrom("(x = 0)", "(x = 1)", "(x = 2)", "(y = 0)", "(y = 1)", "(ENABLED B)", "TRUE");
const actionForm = fc.constantFrom("[]<><<A>>_vars", "<>[][B]_vars", "WF_vars(A)", "SF_vars(B)", "[]<><<B>>_vars");

/** Random temporal formulas (text), all operators TLC's liveness checker meets. */
const formula: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    actionForm,
    tie("f").map((a) => `~(${a})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} /\\ ${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} \\/ ${b})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} => ${b})`),
    tie("f").map((a) => `[](${a})`),
    tie("f").map((a) => `<>(${a})`),
    fc.tuple(tie("f"), tie("f")).map(([a, b]) => `(${a} ~> ${b})`),
    fc.tuple(tie("f"), tie("f"), tie("f")).map(([c, a, b]) => `(IF ${c} THEN ${a} ELSE ${b})`),
    // Each binding expands the body again: its atoms are new occurrences (distinct TLC tags).
    fc.tuple(fc.constantFrom("\\A", "\\E"), tie("f")).map(([q, a]) => {
      // SANY refuses a bound name that shadows an enclosing one.
      const v = ["i", "j", "k", "m", "n", "r", "t"].find((n) => !a.includes(`${n} \\in`)) ?? "u";
      return `(${q} ${v} \\in {0, 1} : (${a} \\/ <>(x = ${v})))`;
    }),
  ),
})).f;

/** Characters of property text per case (see the filter below). */
const MAX_PROPERTY_TEXT = Number(process.env.SYNOD_MAX_PROPERTY_TEXT ?? 100);

const caseArb = fc.record({
  spec: fc.constantFrom("SpecNone", "SpecWF", "SpecBoth"),
  // A top-level temporal operator keeps the property a liveness property (not an implied init).
  props: fc.array(
    formula.map((f) => `<>(${f})`),
    { minLength: 1, maxLength: 2 },
  ),
})
  // Normal forms and tableaux grow exponentially with nesting (TLC's too): a 138-character
  // property took TLC 32 s. Longer properties stay out so that a random seed cannot stall CI.
  .filter((c) => c.props.join(" ; ").length <= MAX_PROPERTY_TEXT);

function writeCase(c: { spec: string; props: string[] }): { dir: string; tla: string; cfg: string } {
  const dir = mkdtempSync(join(tmpdir(), "synod-live-"));
  const tla = join(dir, "RandLive.tla");
  const cfg = join(dir, "RandLive.cfg");
  writeFileSync(tla, MODULE(c.props));
  writeFileSync(cfg, `SPECIFICATION ${c.spec}\nPROPERTIES ${c.props.map((_, i) => `P${i}`).join(" ")}\n`);
  return { dir, tla, cfg };
}

type Ours = { rejected: string } | { lines: string[]; dot: string | null };

async function ours(tla: string, cfg: string): Promise<Ours> {
  const m = await loadModel({ spec: { path: tla }, cfg: { path: cfg }, temporal: true });
  try {
    const sols = normalForm(m.liveness.fairness, m.liveness.properties);
    const last = sols.filter((s) => s.tableau).at(-1)?.tableau;
    return { lines: sols.length > 0 ? debugLines(sols) : [], dot: last ? tableauDot(last) : null };
  } catch (e) {
    if (e instanceof TlaError && e.kind === "unsupported") return { rejected: e.message };
    throw e;
  }
}

function tlc(dir: string): Ours | null {
  const dot = join(dir, "tb.dot");
  const r = spawnSync(
    "java",
    [
      "-XX:+UseParallelGC",
      "-Dtlc2.tool.liveness.Liveness.debug=true",
      `-Dtlc2.tool.liveness.Liveness.tableauExportPath=${dot}`,
      "-cp",
      jar!,
      "tlc2.TLC",
      "-fp",
      "0",
      "-workers",
      "1",
      "-metadir",
      join(dir, "states"),
      "-config",
      "RandLive.cfg",
      "RandLive.tla",
    ],
    { cwd: dir, encoding: "utf8", timeout: 60_000 },
  );
  const out = `${r.stdout}${r.stderr}`;
  const rejected = /Temporal formulas containing actions must be of forms <>\[\]A or \[\]<>A\./.exec(out);
  if (rejected) return { rejected: rejected[0] };
  // No solution at all: TLC stops with "Temporal formula is a tautology" (ours: an empty normal form).
  if (out.includes("Error: Temporal formula is a tautology")) return { lines: [], dot: null };
  const lines = out.split("\n").filter((l) => l.startsWith("Implied-temporal"));
  if (lines.length === 0 && !/Model checking completed|Temporal properties were violated/.test(out)) {
    console.log(`TLC gave no liveness output: ${out.slice(out.indexOf("rror"), out.indexOf("rror") + 400)}`);
    return null;
  }
  return { lines, dot: existsSync(dot) ? readFileSync(dot, "utf8") : null };
}

describe("random temporal formulas", () => {
  it(`load and normalise (seed ${seed}; replay with SYNOD_SEED=${seed})`, async () => {
    console.log(`live-normalize differential seed=${seed} runs=${runs}${jar ? " against TLC" : ""}`);
    let compared = 0;
    let tlcErrors = 0;
    let rejected = 0;
    let withTableau = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { dir, tla, cfg } = writeCase(c);
        try {
          const mine = await ours(tla, cfg);
          if (!jar) return;
          const theirs = tlc(dir);
          if (!theirs) {
            tlcErrors++;
            return;
          }
          compared++;
          const what = `${c.spec}: ${c.props.join(" ; ")}`;
          if ("rejected" in theirs) rejected++;
          else if (theirs.dot) withTableau++;
          if ("rejected" in theirs) {
            expect("rejected" in mine ? "rejected" : mine, what).toBe("rejected");
            return;
          }
          expect(mine, what).toEqual(theirs);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    if (jar) {
      console.log(`compared ${compared} cases with TLC: ${rejected} rejected by both, ${withTableau} with a tableau; ${tlcErrors} where TLC gave no liveness output`);
    }
  }, 900_000);
});

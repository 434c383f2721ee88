// TLC's order of strings, model values and variables against TLC itself, on random specs: string
// literals that are also identifiers of the spec or of the standard modules it extends, a helper
// module extended or instantiated with strings of its own, model values and strings in the cfg,
// variables declared in a random order and enough definitions to grow SANY's symbol table past
// 143 entries. Each spec's initial state violates `Inv`, so TLC prints it: the printed state (set
// order, record field order, variable order) must be TLC's, line for line.
//
// Without SYNOD_TLC_JAR only the generator is checked (every spec loads and violates Inv).
// Replay with SYNOD_SEED=<seed>; SYNOD_RUNS=<n> changes the number of specs (default 40 with TLC).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runTlc } from "../../scripts/tlc-run.mjs";
import { checkModel, toTLCText } from "../../src/index.js";
import { load } from "./helpers.js";

const jar = process.env.SYNOD_TLC_JAR;
const seed = process.env.SYNOD_SEED ? Number(process.env.SYNOD_SEED) : Date.now() % 2 ** 31;
const runs = Number(process.env.SYNOD_RUNS ?? (jar ? 40 : 10));

/** Names that are identifiers of TLC's standard modules, of the spec, or of nothing. */
const NAMES = ["a", "b", "e", "n", "s", "S", "Nat", "Seq", "Len", "val", "state", "q", "c", "zq", "rr", "tt", "mm", "p1"];
const VARIABLES = ["x", "zz", "aa", "mm2", "count", "msgs", "state2", "votes", "log", "term"];
const STD = ["Naturals", "Sequences", "FiniteSets", "TLC", "Bags", "Integers"];

interface OrderCase {
  spec: string;
  helper: string;
  cfg: string;
}

const caseArb = fc
  .record({
    std: fc.subarray(STD),
    helperUse: fc.constantFrom("extends", "instance", "none"),
    defined: fc.subarray(NAMES, { maxLength: 4 }),
    definedLate: fc.boolean(),
    strings: fc.shuffledSubarray(NAMES, { minLength: 2, maxLength: 8 }),
    helperStrings: fc.shuffledSubarray(NAMES, { maxLength: 3 }),
    cfgStrings: fc.shuffledSubarray(NAMES, { maxLength: 2 }),
    modelValues: fc.shuffledSubarray(["m1", "m2", "m3", "none"], { minLength: 1, maxLength: 3 }),
    fields: fc.shuffledSubarray(NAMES.filter((n) => /^[a-z]/.test(n)), { minLength: 1, maxLength: 3 }),
    variables: fc.shuffledSubarray(VARIABLES, { minLength: 1, maxLength: 6 }),
    padding: fc.integer({ min: 0, max: 90 }),
  })
  .map((r): OrderCase => {
    const defined = r.defined.filter((d) => !["Nat", "Seq", "Len", "S"].includes(d));
    const defs = defined.map((d) => `${d} == 1`).join("\n");
    const padding = Array.from({ length: r.padding }, (_, i) => `D${i} == ${i}`).join("\n");
    const helperRef = r.helperUse === "extends" ? ", Helper" : "";
    const ext = [...r.std, ...(helperRef ? ["Helper"] : [])];
    const [first, ...rest] = r.variables;
    const strs = `{${r.strings.map((s) => JSON.stringify(s)).join(", ")}}`;
    const rec = `[${r.fields.map((f, i) => `${f} |-> ${i}`).join(", ")}]`;
    const spec = [
      "---- MODULE OrderSpec ----",
      ext.length > 0 ? `EXTENDS ${ext.join(", ")}` : "",
      "CONSTANTS K, Str",
      `VARIABLES ${r.variables.join(", ")}`,
      r.definedLate ? "" : defs,
      r.helperUse === "instance" ? "H == INSTANCE Helper" : "",
      padding,
      `Init == /\\ ${first} = <<${strs}, K, Str, ${rec}>>`,
      ...rest.map((v, i) => `        /\\ ${v} = ${i}`),
      `Next == UNCHANGED <<${r.variables.join(", ")}>>`,
      // State-level and false (TLC refuses a constant FALSE invariant).
      `Inv == ${first} # ${first}`,
      r.definedLate ? defs : "",
      "====",
      "",
    ]
      .filter((l) => l !== "")
      .join("\n");
    const helper = `---- MODULE Helper ----\nHelperStrings == {${r.helperStrings.map((s) => JSON.stringify(s)).join(", ")}}\n====\n`;
    const cfg = `CONSTANTS\n  K = {${r.modelValues.join(", ")}}\n  Str = {${r.cfgStrings.map((s) => JSON.stringify(s)).join(", ")}}\nINIT Init\nNEXT Next\nINVARIANT Inv\n`;
    return { spec, helper, cfg };
  });

/**
 * The variables of the first state printed in `text` as `name=value` with no white space: TLC
 * breaks long values over several lines, which is not what is compared here.
 */
function stateLines(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^(\/\\ )?[A-Za-z_][A-Za-z0-9_]* = /.test(l));
  const out: string[] = [];
  for (let i = start; i >= 0 && i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === "" || l.startsWith("State ")) break;
    if (/^(\/\\ )?[A-Za-z_][A-Za-z0-9_]* = /.test(l)) out.push(l.replace(/^\/\\ /, ""));
    else out[out.length - 1] += l;
  }
  return out.map((l) => l.replace(/\s+/g, ""));
}

async function ours(c: OrderCase): Promise<string[]> {
  const model = await load(c.spec, c.cfg, { Helper: c.helper });
  const r = await checkModel(model);
  expect(r.verdict, "every generated spec violates Inv in its initial state").toBe("invariant");
  return stateLines(toTLCText(r.trace!, model));
}

describe("TLC's value and variable order on random specs", () => {
  it(`loads every generated spec and prints its violating state (seed ${seed})`, async () => {
    console.log(`order generator seed=${seed} (replay with SYNOD_SEED=${seed})`);
    for (const c of fc.sample(caseArb, { seed, numRuns: Math.min(runs, 10) })) expect((await ours(c)).length).toBeGreaterThan(0);
  }, 120_000);

  it.runIf(jar)(`prints states as TLC does (SYNOD_TLC_JAR, seed ${seed})`, async () => {
    console.log(`order differential seed=${seed} runs=${runs} (replay with SYNOD_SEED=${seed})`);
    const misses: string[] = [];
    for (const c of fc.sample(caseArb, { seed, numRuns: runs })) {
      const dir = mkdtempSync(join(tmpdir(), "synod-order-"));
      try {
        writeFileSync(join(dir, "OrderSpec.tla"), c.spec);
        writeFileSync(join(dir, "Helper.tla"), c.helper);
        writeFileSync(join(dir, "OrderSpec.cfg"), c.cfg);
        const tlc = runTlc({ jar: jar!, specPath: join(dir, "OrderSpec.tla"), cfgPath: join(dir, "OrderSpec.cfg"), timeoutMs: 120_000 });
        expect(tlc.verdict, tlc.output).toBe("invariant");
        const want = stateLines(tlc.output);
        const got = await ours(c);
        if (JSON.stringify(got) !== JSON.stringify(want)) misses.push(`${c.spec}\n${c.cfg}\nTLC:\n${want.join("\n")}\nours:\n${got.join("\n")}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(misses, misses.join("\n\n")).toEqual([]);
  }, 1_200_000);
});

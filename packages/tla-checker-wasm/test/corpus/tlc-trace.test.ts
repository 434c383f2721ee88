/**
 * Reading TLC's printed counterexample back into model states (tlc-trace.ts), on TLC's output for
 * corpus/liveness-cycle Cycle.cfg, recorded in tlc-output/Cycle-fp0.txt with
 * `java -cp tla2tools.jar tlc2.TLC -workers 1 -fp 0 -noGenerateSpecTE -config Cycle.cfg Cycle.tla`
 * (TLC 2.20). It also pins what TLC's "State 4: Stuttering" after 6 states means.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseTlcOutput } from "../../scripts/tlc-run.mjs";
import { loadModel, type LoadedModel } from "../../src/load.js";
import { corpusDir } from "./corpus.js";
import { checkLasso } from "./lasso-check.js";
import { tlcStateBlocks, tlcTraceStates } from "./tlc-trace.js";

const output = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "tlc-output", "Cycle-fp0.txt"), "utf8");

describe("TLC's printed trace", () => {
  let model: LoadedModel;
  beforeAll(async () => {
    const dir = join(corpusDir, "liveness-cycle");
    model = await loadModel({ spec: { path: join(dir, "Cycle.tla") }, cfg: { path: join(dir, "Cycle.cfg") }, temporal: true });
  });

  it("parses every State block but the closing Stuttering line", () => {
    const blocks = tlcStateBlocks(output);
    expect(blocks).toHaveLength(6);
    expect(Object.fromEntries(blocks[5]!)).toEqual({ a: "TRUE", b: "2", c: "0" });
    expect(parseTlcOutput(output)).toMatchObject({ verdict: "liveness", traceLength: 6, loop: 4 });
  });

  it("matches TLC's states to the model's: a real cycle 4 -> 5 -> 6 -> 4, not a stutter in state 6", () => {
    const states = tlcTraceStates(output, model);
    if (typeof states === "string") throw new Error(states);
    expect(states).toHaveLength(6);
    // State 6 equals state 3: that is why TLC took its "stuttering" branch.
    expect(model.values.fingerprintState(states[5]!)).toBe(model.values.fingerprintState(states[2]!));
    expect(checkLasso(model, { states, loopIndex: 3, property: "Settles" })).toEqual([]);
    // Read literally (stuttering in state 6, b = 2 forever) it would be no counterexample at all.
    expect(checkLasso(model, { states, loopIndex: 5, property: "Settles" })).toContain("the lasso satisfies Settles");
  });

  it("says which printed state does not fit the model", () => {
    const altered = output.replace("State 5: <Inc(0) line 32, col 11 to line 32, col 57 of module Cycle>\n/\\ a = TRUE\n/\\ b = 1", "State 5: <Inc(0) line 32, col 11 to line 32, col 57 of module Cycle>\n/\\ a = TRUE\n/\\ b = 2");
    expect(altered).not.toBe(output);
    expect(tlcTraceStates(altered, model)).toBe("TLC's state 5 (a = TRUE, b = 2, c = 0) is not a successor of state 4");
  });
});

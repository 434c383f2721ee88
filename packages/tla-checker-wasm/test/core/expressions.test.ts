// Expression semantics against TLC: testdata/expressions.txt holds expressions with the value
// TLC 1.8 printed for each (PrintT), so every case compares our evaluation and TLC's text form.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EVAL_MODULE, load, show } from "./helpers.js";

const cases = readFileSync(new URL("./testdata/expressions.txt", import.meta.url), "utf8")
  .split(/\n\s*\n/)
  .map((block) => block.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")))
  .filter((lines) => lines.length === 2)
  .map(([expr, expected]) => [expr!, expected!.replace(/^=> /, "")] as const);

describe("expressions evaluate to what TLC prints", () => {
  it("has the recorded cases", () => {
    expect(cases.length).toBeGreaterThan(80);
  });
  it.each(cases)("%s", async (expr, expected) => {
    expect(await show(expr)).toBe(expected);
  });
});

describe("membership in a set filter named by a definition", () => {
  // SUBSET SUBSET (1..5) has 2^32 elements: the answer must come from the predicate, as TLC's
  // SetPredValue.member gives it (LoopInvariance/Quicksort's `UV \in DomainPartitions`).
  it("tests the element and the predicate without enumerating the set", async () => {
    const m = await load(
      EVAL_MODULE("Parts == {p \\in SUBSET SUBSET (1..5) : \\A a1, b1 \\in p : a1 = b1 \\/ a1 \\cap b1 = {}}"),
      "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n",
    );
    const show = (e: string): string => m.values.format(m.evaluate(e));
    expect([show("{{1}, {2, 3}} \\in Parts"), show("{{1}, {1, 2}} \\in Parts"), show("{{6}} \\notin Parts")]).toEqual(["TRUE", "FALSE", "TRUE"]);
  });
});

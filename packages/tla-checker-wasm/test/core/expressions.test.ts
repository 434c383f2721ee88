// Expression semantics against TLC: testdata/expressions.txt holds expressions with the value
// TLC 1.8 printed for each (PrintT), so every case compares our evaluation and TLC's text form.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { show } from "./helpers.js";

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

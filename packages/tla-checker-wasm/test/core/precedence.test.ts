// SANY's precedence conflicts: operators whose precedence ranges overlap, written without
// parentheses, are a parse error (SANY 2.20: "Precedence conflict between ops A in block ... and
// B"), unless they are the same left-associative operator. Each case below was run through
// `java -cp tla2tools.jar tla2sany.SANY` (2.20, rev 8d3143c) on the same module text; the column is
// where SANY's message places the conflict (the first of the two operators).
import { describe, expect, it } from "vitest";
import { loadError, load } from "./helpers.js";

const mod = (e: string): string => `---- MODULE T ----
EXTENDS Naturals, Integers, Sequences, TLC
CONSTANTS a, b, c, S, f, g, x, y
VARIABLE v
X == ${e}
Init == v = 0
Next == v' = v
====
`;
const CFG = "CONSTANTS a = 1 b = 2 c = 3 S = {1} f = 1 g = 1 x = 1 y = 1\nINIT Init\nNEXT Next\n";

describe("SANY's precedence conflicts", () => {
  it.each([
    ["a = b = c", "=", "=", 8],
    ["a /\\ b \\/ c", "/\\", "\\/", 8],
    ["a \\/ b /\\ c", "\\/", "/\\", 8],
    ["ENABLED x = y", "ENABLED", "=", 6],
    ["a \\in S = TRUE", "\\in", "=", 8],
    ["[]x = 1", "[]", "=", 6],
    ["a => b => c", "=>", "=>", 8],
    ["a * b / c", "*", "/", 8],
    ["a .. b .. c", "..", "..", 8],
    ["a \\cdot b + c", "\\cdot", "+", 8],
    ["a # b = c", "#", "=", 8],
    ["a ^ b ^ c", "^", "^", 8],
    ["a \\cup b \\cap c", "\\cup", "\\cap", 8],
    ["a \\ b \\ c", "\\", "\\", 8],
    ["a ~> b ~> c", "~>", "~>", 8],
    ["a <=> b <=> c", "<=>", "<=>", 8],
  ])("%s is rejected", async (e, first, second, column) => {
    const err = await loadError(mod(e), CFG);
    expect(err.kind).toBe("parse");
    expect(err.message).toContain(`Precedence conflict between ops ${first} and ${second}`);
    expect(err.location).toMatchObject({ line: 5, column });
  });

  it.each([
    "-a ^ b",
    "a + b - c",
    "a - b - c",
    "a - b + c",
    "~a = b",
    "a \\X b \\X c",
    "a + b * c",
    "a < b \\/ c",
    "a @@ b :> c",
    "a \\o b \\o c",
    "SUBSET a \\cup b",
    "DOMAIN f \\cup g",
    "- a .. b",
    "x' = y",
    "(a = b) = c",
    "a /\\ (b \\/ c)",
  ])("%s is accepted", async (e) => {
    await expect(load(mod(e), CFG)).resolves.toBeDefined();
  });

  it("bulleted junction lists are not infix chains", async () => {
    const e = "/\\ a = 1\n      /\\ \\/ b = 2\n         \\/ c = 3 /\\ a = 1";
    await expect(load(mod(e), CFG)).resolves.toBeDefined();
  });
});

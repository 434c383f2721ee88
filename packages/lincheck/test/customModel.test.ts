import { describe, expect, it } from "vitest";
import { checkHistory } from "../src/check.js";
import type { Model } from "../src/types.js";
import { h } from "./helpers.js";

// The README's example of a user-defined model, kept compiling and working here.
type Input = { kind: "inc" } | { kind: "get" };
const monotonic: Model<number, Input, number | null> = {
  name: "monotonic-counter",
  init: () => 0,
  step: (s, input, output) => (input.kind === "inc" ? s + 1 : output === undefined || output === s ? s : undefined),
  equal: (a, b) => a === b,
  hash: (s) => s,
  decode: ({ f, result }) => {
    if (f === "inc") return { input: { kind: "inc" }, output: result === undefined ? undefined : null };
    if (f === "get") return { input: { kind: "get" }, output: result as number | undefined };
    throw new Error(`unknown operation ${f}`);
  },
  describeOperation: (input, output) => (input.kind === "inc" ? "inc" : `get -> ${output ?? "?"}`),
  describeState: (s) => String(s),
};

describe("a user-defined model", () => {
  it("checks histories and reports unknown operations with their place", () => {
    const history = h("0 invoke inc nil\n1 invoke get nil\n1 ok get 1\n0 ok inc nil\n1 invoke get nil\n1 ok get 0");
    const result = checkHistory(history, monotonic);
    expect(result.verdict).toBe("illegal");
    if (result.verdict === "illegal") expect(result.explanation).toContain("get -> 0 is impossible in state 1");
    expect(checkHistory(h("0 invoke inc nil\n0 ok inc nil\n1 invoke get nil\n1 ok get 1"), monotonic).verdict).toBe("ok");
    expect(() => checkHistory(h("0 invoke dec nil\n0 ok dec nil"), monotonic)).toThrow("line 1: monotonic-counter model: unknown operation dec");
  });
});

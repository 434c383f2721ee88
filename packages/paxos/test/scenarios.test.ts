/**
 * Datadriven scenario scripts, one per feature, in test/testdata/*.txt. Regenerate the expected
 * output after an intended behaviour change with `REWRITE=1 npx vitest run test/scenarios.test.ts`
 * and review the diff.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runScript } from "./harness/datadriven.js";

const dir = join(import.meta.dirname, "testdata");
const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();

describe("scenario scripts", () => {
  test("there are scripts", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files) {
    test(f, () => {
      const failures = runScript(join(dir, f), process.env.REWRITE === "1");
      expect(failures.join("\n\n")).toBe("");
    });
  }
});

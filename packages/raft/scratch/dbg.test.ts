import { test } from "vitest";
import { randomRun } from "../test/harness/random-run.js";
test("dbg", () => {
  try { randomRun({ seed: 12, steps: 1500, options: { snapshotEveryEntries: 8, readMode: "lease", maxBatchEntries: 3 } }); } catch (e) { console.log((e as Error).message); }
});

/**
 * The conformance checks of `synod verify` for one protocol, as three vitest tests, so that
 * Stryker's vitest runner can tell which check kills a mutant. `pnpm mutate` runs this file from
 * inside Stryker's sandbox copy of the protocol package, with `SYNOD_MUTATE_KIT` naming the
 * package's descriptor source (`src/kit/index.ts`, relative to the sandbox): the mutated sources
 * are the ones the kit imports. Each test is `runConformance(kit, { size: "ci", checks: [check] })`,
 * the same function and size `verify` runs, limited to one check (the broken-variant rows are left
 * out unless asked for: they test variants, not the build under test).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFORMANCE_CHECKS, runConformance, type AnyKit, type CheckName } from "@synod/conformance";

const entry = process.env.SYNOD_MUTATE_KIT;
if (entry === undefined || entry === "") throw new Error("SYNOD_MUTATE_KIT is not set: run this file through `pnpm mutate`");
// A package may hold several descriptors (`kits`, as the election package does); verify runs them all.
const mod = (await import(pathToFileURL(path.resolve(entry)).href)) as { kit?: AnyKit; kits?: readonly AnyKit[] };
const kits = mod.kits ?? (mod.kit === undefined ? [] : [mod.kit]);
if (kits.length === 0) throw new Error(`${entry} exports no kit or kits`);

/** The test names `pnpm mutate` reads back from Stryker's report. */
const TITLES: Record<CheckName, string> = { replay: "replay", validate: "trace validation", histories: "histories" };

for (const kit of kits) describe(`verify ${kit.name}`, () => {
  for (const check of CONFORMANCE_CHECKS) {
    it(TITLES[check], async () => {
      const rows = await runConformance(kit, { size: "ci", checks: [check] });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => !r.ok).map((r) => `${r.check}: ${r.detail}`)).toEqual([]);
    });
  }
  // `pnpm mutate --variants`: verify's broken-variant rows as a fourth test. A mutant "killed" here
  // makes a planted bug go uncaught (or changes how it is caught), not a bug of its own noticed.
  if (process.env.SYNOD_MUTATE_VARIANTS === "1" && kit.brokenVariants.length > 0) {
    it("broken variants", async () => {
      const rows = await runConformance(kit, { size: "ci", checks: [], variants: true });
      expect(rows.length).toBe(kit.brokenVariants.length);
      expect(rows.filter((r) => !r.ok).map((r) => `${r.check}: ${r.detail}`)).toEqual([]);
    });
  }
});

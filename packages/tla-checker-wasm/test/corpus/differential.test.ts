/**
 * Differential testing against TLC. With `SYNOD_TLC_JAR=/path/to/tla2tools.jar` (and `java` on
 * the PATH) it (a) runs TLC live on every corpus model and compares, and (b) compares TLC and
 * tla-check on random small specs from `spec-gen.ts`. Without it, only the generator is checked:
 * the random specs must load and check without an error verdict, so the differential runs test
 * what they are meant to.
 *
 * Replay a failure with `SEED=<seed> [FC_PATH=<path>]`; `RUNS=<n>` changes the number of random specs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runTlc } from "../../scripts/tlc-run.mjs";
import { checkSpec } from "../../src/index.js";
import { corpusEntries } from "./corpus.js";
import { specArbitrary, type GeneratedSpec } from "./spec-gen.js";

const jar = process.env.SYNOD_TLC_JAR;
const seed = process.env.SEED ? Number(process.env.SEED) : Date.now() % 2 ** 31;
const path = process.env.FC_PATH;
const runs = process.env.RUNS ? Number(process.env.RUNS) : undefined;

/** Writes a generated spec into a fresh temporary folder and returns the paths. */
function materialise(spec: GeneratedSpec): { dir: string; tla: string; cfg: string } {
  const dir = mkdtempSync(join(tmpdir(), "synod-diff-"));
  const tla = join(dir, `${spec.name}.tla`);
  const cfg = join(dir, `${spec.name}.cfg`);
  writeFileSync(tla, spec.tla);
  writeFileSync(cfg, spec.cfg);
  return { dir, tla, cfg };
}

type Figures = { verdict: string; name: string | null; distinct: number | null; generated: number | null; traceLength: number | null };

/**
 * The figures compared; counts TLC did not print (null) are left out on both sides, and so is the
 * name of a violated temporal property (TLC does not print it) and, with `lassoShape` false, the
 * length of a liveness counterexample.
 */
function comparable(r: Figures, tlc: Figures, lassoShape = true): Partial<Figures> {
  const out: Partial<Figures> = { verdict: r.verdict };
  if (tlc.verdict !== "liveness" || lassoShape) out.traceLength = r.traceLength;
  if (tlc.verdict !== "liveness") out.name = r.name;
  if (tlc.distinct !== null) out.distinct = r.distinct;
  if (tlc.generated !== null) out.generated = r.generated;
  return out;
}

const params = (numRuns: number) => ({ seed, numRuns: runs ?? numRuns, ...(path ? { path } : {}), endOnFailure: true });

describe("random spec generator", () => {
  it("produces specs that tla-check loads and checks to a verdict (seed printed on failure)", async () => {
    console.log(`differential generator seed=${seed} (replay with SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(specArbitrary, async (spec) => {
        const { dir, tla, cfg } = materialise(spec);
        try {
          const r = await checkSpec({ spec: { path: tla }, cfg: { path: cfg } });
          expect(r.error?.message ?? null, `${spec.tla}\n${spec.cfg}`).toBeNull();
          expect(["ok", "invariant", "deadlock"]).toContain(r.verdict);
          // Initial states that fail the CONSTRAINT are generated but not distinct, as in TLC.
          expect(r.generated).toBeGreaterThan(0);
          expect(r.distinct).toBeLessThanOrEqual(288);
          expect(r.generated).toBeGreaterThanOrEqual(r.distinct);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      params(40),
    );
  }, 120_000);
});

// Registered only when TLC is available, so a run without Java neither fails nor skips tests.
if (jar !== undefined) describe("differential against TLC (SYNOD_TLC_JAR)", () => {
  for (const e of corpusEntries()) {
    it(`corpus ${e.dir}/${e.cfg}`, async () => {
      // -fp 0: TLC's liveness counterexample depends on its fingerprint polynomial (corpus/README.md).
      const tlc = runTlc({ jar: jar!, specPath: e.specPath, cfgPath: e.cfgPath, deadlock: e.deadlock !== false, fp: 0 });
      const ours = await checkSpec({ spec: { path: e.specPath }, cfg: { path: e.cfgPath }, ...(e.deadlock === false ? { deadlock: false } : {}) });
      const lassoShape = e.lassoReliable !== false;
      expect(comparable(ours, tlc, lassoShape)).toEqual(comparable(tlc, tlc, lassoShape));
      if (tlc.verdict === "liveness" && lassoShape) {
        const n = ours.trace?.length ?? 0;
        const loop = ours.loopIndex === undefined ? null : ours.loopIndex === n - 1 ? "stuttering" : ours.loopIndex + 1;
        expect({ loop }).toEqual({ loop: tlc.loop });
      }
    }, 600_000);
  }

  it("random specs agree with TLC (seed printed on failure)", async () => {
    console.log(`differential seed=${seed} (replay with SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(specArbitrary, async (spec) => {
        const { dir, tla, cfg } = materialise(spec);
        try {
          const tlc = runTlc({ jar: jar!, specPath: tla, cfgPath: cfg });
          const ours = await checkSpec({ spec: { path: tla }, cfg: { path: cfg } });
          expect(comparable(ours, tlc), `${spec.tla}\n${spec.cfg}\nTLC: ${tlc.message ?? "ok"}`).toEqual(comparable(tlc, tlc));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      params(30),
    );
  }, 1_800_000);
});

/**
 * The corpus test: every cfg of every spec under `corpus/` is checked and must give exactly the
 * verdict, violated name, distinct and generated state counts, depth and counterexample length
 * that TLC gave (recorded in `expected.json` by `scripts/tlc-expected.mjs`).
 *
 * A liveness violation is compared differently where TLC itself varies or is silent: TLC does not
 * name the violated property (ours must be one of the cfg's PROPERTY names), and its lasso depends
 * on its fingerprint polynomial, so ours (length and where it loops) must be one of the lassos
 * TLC printed over `-fp 0..N-1` (`lassos`). Every liveness counterexample of ours is also checked
 * by the independent lasso validator (`lasso-check.ts`): initial, successors, closing step, fair,
 * and violating the property it names.
 */
import { describe, expect, it } from "vitest";
import { checkSpec, loadModel, type CheckResult } from "../../src/index.js";
import { corpusEntries, type CorpusEntry, type LassoLoop } from "./corpus.js";
import { checkLasso } from "./lasso-check.js";

const entries = corpusEntries();

/** Distinct, generated and depth from `from`, leaving out what TLC did not print (null) or what is unreliable. */
function counts(e: CorpusEntry, from: { distinct: number | null; generated: number | null; depth: number | null }): Record<string, unknown> {
  return {
    ...(e.distinct === null ? {} : { distinct: from.distinct }),
    ...(e.generated === null ? {} : { generated: from.generated }),
    ...(e.depthReliable === false || e.depth === null ? {} : { depth: from.depth }),
  };
}

/** The figures compared with TLC, in one object so a failure shows all differences at once. */
function figures(r: CheckResult, e: CorpusEntry, properties: string[]): Record<string, unknown> {
  const live = e.verdict === "liveness";
  return {
    verdict: r.verdict,
    ...(live ? { nameIsAProperty: r.name !== null && properties.includes(r.name) } : { name: r.name }),
    ...counts(e, r),
    ...(live ? {} : { traceLength: r.traceLength }),
    ...(e.errorLocation ? { errorLine: r.error?.location?.line } : {}),
  };
}

function expected(e: CorpusEntry): Record<string, unknown> {
  const live = e.verdict === "liveness";
  return {
    verdict: e.verdict,
    ...(live ? { nameIsAProperty: true } : { name: e.name }),
    ...counts(e, e),
    ...(live ? {} : { traceLength: e.traceLength }),
    ...(e.errorLocation ? { errorLine: e.errorLocation.line } : {}),
  };
}

/** Our lasso in TLC's terms: its length and `"stuttering"` / `Back to state k` / null (finite). */
function lassoOf(r: CheckResult): { traceLength: number | null; loop: LassoLoop } {
  const n = r.trace?.length ?? 0;
  const loop = r.loopIndex === undefined ? null : r.loopIndex === n - 1 ? "stuttering" : r.loopIndex + 1;
  return { traceLength: r.traceLength, loop };
}

/** The cfg's PROPERTY names (TLC does not say which one a liveness counterexample violates). */
async function propertyNames(e: CorpusEntry): Promise<string[]> {
  const model = await loadModel({ spec: { path: e.specPath }, cfg: { path: e.cfgPath }, temporal: true });
  return model.cfg.properties.map((p) => p.name);
}

async function check(e: CorpusEntry, workers: number): Promise<CheckResult> {
  return checkSpec({
    spec: { path: e.specPath },
    cfg: { path: e.cfgPath },
    workers,
    ...(e.deadlock === false ? { deadlock: false } : {}),
    ...(e.properties ? { properties: e.properties } : {}),
  });
}

/** Bigger models get more time; the budget is generous because CI machines are slow and shared. */
function timeoutMs(e: CorpusEntry): number {
  return 30_000 + (e.generated ?? 0) / 5;
}

describe("corpus agrees with TLC", () => {
  // With SYNOD_CORPUS (part of the corpus) the size check does not apply, so it is not registered.
  if (process.env.SYNOD_CORPUS === undefined) it("has at least 20 specs and 40 models", () => {
    expect(new Set(entries.map((e) => e.dir)).size).toBeGreaterThanOrEqual(20);
    expect(entries.length).toBeGreaterThanOrEqual(40);
  });

  for (const e of entries) {
    it(`${e.dir}/${e.cfg}: ${e.verdict}${e.name ? ` ${e.name}` : ""}, ${e.distinct} distinct`, async () => {
      const r = await check(e, 1);
      const properties = e.verdict === "liveness" ? await propertyNames(e) : [];
      expect(figures(r, e, properties), r.error ? `${r.error.kind}: ${r.error.message}` : `name ${r.name}`).toEqual(expected(e));
      if (e.verdict === "liveness" && e.lassoReliable !== false) {
        const tlc = (e.lassos ?? []).map(({ traceLength, loop }) => ({ traceLength, loop }));
        expect(tlc, "one of TLC's lassos (expected.json lassos, over -fp values)").toContainEqual(lassoOf(r));
      }
    }, timeoutMs(e));
  }

  for (const e of entries.filter((x) => x.verdict === "liveness")) {
    it(`${e.dir}/${e.cfg}: our counterexample is a fair behaviour violating the property it names`, async () => {
      const r = await check(e, 1);
      expect(r.verdict, r.error ? `${r.error.kind}: ${r.error.message}` : undefined).toBe("liveness");
      const model = await loadModel({ spec: { path: e.specPath }, cfg: { path: e.cfgPath }, temporal: true });
      const problems = checkLasso(model, { states: (r.trace ?? []).map((t) => t.state), loopIndex: r.loopIndex, property: r.name ?? "" });
      expect(problems).toEqual([]);
    }, timeoutMs(e));
  }

  for (const e of entries.filter((x) => x.workers2)) {
    it(`${e.dir}/${e.cfg} with 2 workers`, async () => {
      const r = await check(e, 2);
      const properties = e.verdict === "liveness" ? await propertyNames(e) : [];
      expect(figures(r, e, properties), r.error ? `${r.error.kind}: ${r.error.message}` : undefined).toEqual(expected(e));
    }, timeoutMs(e) * 2);
  }
});

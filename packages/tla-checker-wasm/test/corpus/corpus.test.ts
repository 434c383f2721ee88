/**
 * The corpus test: every cfg of every spec under `corpus/` is checked and must give exactly the
 * verdict, violated name, distinct and generated state counts, depth and counterexample length
 * that TLC gave (recorded in `expected.json` by `scripts/tlc-expected.mjs`).
 */
import { describe, expect, it } from "vitest";
import { checkSpec, type CheckResult } from "../../src/index.js";
import { corpusEntries, type CorpusEntry } from "./corpus.js";

const entries = corpusEntries();

/** The figures compared with TLC, in one object so a failure shows all differences at once. */
function figures(r: CheckResult, e: CorpusEntry): Record<string, unknown> {
  return {
    verdict: r.verdict,
    name: r.name,
    distinct: r.distinct,
    generated: r.generated,
    ...(e.depthReliable === false ? {} : { depth: r.depth }),
    traceLength: r.traceLength,
    ...(e.errorLocation ? { errorLine: r.error?.location?.line } : {}),
  };
}

function expected(e: CorpusEntry): Record<string, unknown> {
  return {
    verdict: e.verdict,
    name: e.name,
    distinct: e.distinct,
    generated: e.generated,
    ...(e.depthReliable === false ? {} : { depth: e.depth }),
    traceLength: e.traceLength,
    ...(e.errorLocation ? { errorLine: e.errorLocation.line } : {}),
  };
}

async function check(e: CorpusEntry, workers: number): Promise<CheckResult> {
  return checkSpec({
    spec: { path: e.specPath },
    cfg: { path: e.cfgPath },
    workers,
    ...(e.deadlock === false ? { deadlock: false } : {}),
  });
}

/** Bigger models get more time; the budget is generous because CI machines are slow and shared. */
function timeoutMs(e: CorpusEntry): number {
  return 30_000 + e.generated / 5;
}

describe("corpus agrees with TLC", () => {
  it("has at least 20 specs and 40 models", () => {
    expect(new Set(entries.map((e) => e.dir)).size).toBeGreaterThanOrEqual(20);
    expect(entries.length).toBeGreaterThanOrEqual(40);
  });

  for (const e of entries) {
    it(`${e.dir}/${e.cfg}: ${e.verdict}${e.name ? ` ${e.name}` : ""}, ${e.distinct} distinct`, async () => {
      const r = await check(e, 1);
      expect(figures(r, e), r.error ? `${r.error.kind}: ${r.error.message}` : undefined).toEqual(expected(e));
    }, timeoutMs(e));
  }

  for (const e of entries.filter((x) => x.workers2)) {
    it(`${e.dir}/${e.cfg} with 2 workers`, async () => {
      const r = await check(e, 2);
      expect(figures(r, e), r.error ? `${r.error.kind}: ${r.error.message}` : undefined).toEqual(expected(e));
    }, timeoutMs(e) * 2);
  }
});

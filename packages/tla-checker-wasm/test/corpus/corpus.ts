/**
 * The spec corpus (`corpus/<name>/`): every cfg with the figures TLC reported for it, as written
 * by `scripts/tlc-expected.mjs` into each folder's `expected.json`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where TLC said an evaluation error happened or which ASSUME failed (1-based, as TLC prints). */
export interface ExpectedLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  module: string;
}

/** How a liveness counterexample closes: stutters at its end, returns to state k (1-based), or is finite. */
export type LassoLoop = "stuttering" | number | null;

/** One cfg of one corpus spec with TLC's figures. */
export interface CorpusEntry {
  /** Folder name under `corpus/`. */
  dir: string;
  cfg: string;
  spec: string;
  /** Absolute paths. */
  specPath: string;
  cfgPath: string;
  /** `false`: TLC ran with `-deadlock` (deadlock checking off) although the cfg does not say so. */
  deadlock?: boolean;
  /** `false`: TLC's reported depth is known to be unreliable for this model; not compared. */
  depthReliable?: boolean;
  /** Also checked with two workers by the corpus test. */
  workers2?: boolean;
  /**
   * `false`: the lasso's shape (length, loop) is not compared with TLC's, only validated. TLC orders
   * successors by its own fingerprints, which for model values depend on its intern table.
   */
  lassoReliable?: boolean;
  /** Java system properties TLC ran with (`-Dname=value`), given to tla-check as `properties`. */
  properties?: Record<string, string>;
  verdict: "ok" | "invariant" | "property" | "liveness" | "deadlock" | "assume" | "error";
  name: string | null;
  /**
   * Null when TLC printed no statistics (an invariant or an implied initial predicate violated by
   * an initial state); the corpus test then does not compare them.
   */
  distinct: number | null;
  generated: number | null;
  depth: number | null;
  /** Number of `State N:` blocks TLC printed (a lasso's closing `State n: Stuttering` is not one). */
  traceLength: number | null;
  /**
   * Liveness only: how TLC's lasso closed: `"stuttering"` (it stays in its last state) or the
   * 1-based state it goes on with after the last one (`Back to state k`, or TLC's
   * `State k: Stuttering` with k <= traceLength); null when TLC printed a finite trace (a bad
   * prefix found during the search).
   */
  loop?: LassoLoop;
  /**
   * Liveness only: every (traceLength, loop) TLC printed over `-fp 0 .. -fp N-1`. TLC orders a
   * state's successors in its liveness graph by their fingerprints, so its lasso depends on the
   * fingerprint polynomial; `traceLength`/`loop` are the `-fp 0` run's.
   */
  lassos?: { traceLength: number; loop: LassoLoop; fp: number[] }[];
  errorLocation?: ExpectedLocation;
  message?: string;
  tlc: string;
  command: string;
}

/** Absolute path of the corpus folder. */
export const corpusDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "corpus");

/**
 * Every corpus entry, sorted by folder then cfg name. Throws naming the file if one is malformed.
 * `SYNOD_CORPUS=liveness-,diehard` limits it to folders starting with one of the given prefixes
 * (for working on part of the corpus; the full test runs all).
 */
export function corpusEntries(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const prefixes = process.env.SYNOD_CORPUS?.split(",").filter((p) => p !== "");
  const dirs = readdirSync(corpusDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && (!prefixes || prefixes.some((p) => d.name.startsWith(p))))
    .map((d) => d.name)
    .sort();
  for (const dir of dirs) {
    const file = join(corpusDir, dir, "expected.json");
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    if (!Array.isArray(raw)) throw new Error(`${file}: expected a JSON array of entries`);
    raw.forEach((e: Partial<CorpusEntry>, i: number) => {
      for (const key of ["cfg", "spec", "verdict", "distinct", "generated", "depth"] as const) {
        if (e[key] === undefined) throw new Error(`${file}: entry ${i} has no "${key}"`);
      }
      entries.push({
        ...(e as CorpusEntry),
        dir,
        specPath: join(corpusDir, dir, e.spec!),
        cfgPath: join(corpusDir, dir, e.cfg!),
      });
    });
  }
  return entries;
}

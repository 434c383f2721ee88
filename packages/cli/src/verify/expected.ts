/**
 * `specs/<protocol>/expected.json`: TLC's figures for every model of a spec folder, and the
 * comparison of a checker result with them.
 *
 * @module
 */
import fs from "node:fs";

/** One model entry of `expected.json`. */
export interface ExpectedEntry {
  spec: string;
  cfg: string;
  size: "ci" | "full";
  verdict: string;
  name: string | null;
  distinct: number;
  generated: number;
  depth?: number;
  traceLength: number | null;
  /**
   * False when TLC's counts and trace are not reproducible, so only the verdict is compared: TLC
   * found the violation in a periodic liveness check of a partly explored graph, and when that
   * check runs depends on the clock.
   */
  countsReliable?: boolean;
}

/**
 * Read and validate `expected.json`.
 *
 * @throws Error naming the file and the entry index for anything malformed.
 */
export function readExpected(file: string): ExpectedEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((raw: unknown, i: number) => {
    const e = raw as Record<string, unknown>;
    const where = `${file}: entry ${i}`;
    const need = (key: string, ok: (v: unknown) => boolean, what: string): void => {
      if (!ok(e?.[key])) throw new Error(`${where}: "${key}" must be ${what}, got ${JSON.stringify(e?.[key])}`);
    };
    const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
    need("cfg", (v) => typeof v === "string" && v.endsWith(".cfg"), "a .cfg file name");
    need("size", (v) => v === "ci" || v === "full", '"ci" or "full"');
    need("verdict", (v) => typeof v === "string", "a verdict string");
    need("distinct", isCount, "a count");
    need("generated", isCount, "a count");
    const spec = typeof e.spec === "string" ? e.spec : (e.cfg as string).replace(/\.cfg$/, ".tla");
    return {
      spec,
      cfg: e.cfg as string,
      size: e.size as "ci" | "full",
      verdict: e.verdict as string,
      name: typeof e.name === "string" ? e.name : null,
      distinct: e.distinct as number,
      generated: e.generated as number,
      ...(isCount(e.depth) ? { depth: e.depth as number } : {}),
      traceLength: isCount(e.traceLength) ? (e.traceLength as number) : null,
      ...(e.countsReliable === false ? { countsReliable: false } : {}),
    };
  });
}

/** Compare a checker result with an expected entry: verdict, name, distinct, generated, trace length. */
export function compareWithExpected(
  e: ExpectedEntry,
  got: { verdict: string; name: string | null; distinct: number; generated: number; traceLength: number | null; error?: { message: string } },
): { ok: boolean; detail: string } {
  const diffs: string[] = [];
  if (got.verdict !== e.verdict) diffs.push(`verdict ${got.verdict}, expected ${e.verdict}${got.error ? ` (${got.error.message})` : ""}`);
  if (e.countsReliable === false) {
    if (diffs.length > 0) return { ok: false, detail: diffs.join("; ") };
    return { ok: true, detail: `${e.verdict} (= TLC; TLC's counts depend on when its periodic liveness check ran, so only the verdict is compared)` };
  }
  if ((got.name ?? null) !== e.name) diffs.push(`name ${got.name}, expected ${e.name}`);
  if (got.distinct !== e.distinct) diffs.push(`distinct ${got.distinct}, expected ${e.distinct}`);
  if (got.generated !== e.generated) diffs.push(`generated ${got.generated}, expected ${e.generated}`);
  if ((got.traceLength ?? null) !== e.traceLength) diffs.push(`trace length ${got.traceLength}, expected ${e.traceLength}`);
  if (diffs.length > 0) return { ok: false, detail: diffs.join("; ") };
  const verdict = e.verdict === "ok" ? "ok" : `${e.verdict}${e.name ? ` ${e.name}` : ""}, trace ${e.traceLength}`;
  return { ok: true, detail: `${verdict}; ${e.distinct} distinct, ${e.generated} generated (= TLC)` };
}

/**
 * Locating the Synod checkout that `verify`, `conformance` and `replay` work on, and the
 * conformance package inside it (loaded only if built: nothing depends on conformance).
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The nearest directory at or above `start` holding `specs/` and `pnpm-workspace.yaml`, else null. */
export function findRepoRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, "specs")) && fs.existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** One row of a conformance run, as `runConformance` of `@synod/conformance` reports it. */
export interface ConformanceRow {
  check: string;
  ok: boolean;
  detail: string;
  seconds: number | null;
}

/** The part of `@synod/conformance` the CLI calls. */
export interface ConformanceApi {
  runConformance(options: { protocol: string; size: "ci" | "full" }): Promise<unknown> | unknown;
  replay?: (file: string) => Promise<unknown> | unknown;
}

/** Import the built conformance package of the checkout at `root`, or null when it is not built. */
export async function loadConformance(root: string): Promise<ConformanceApi | null> {
  const entry = path.join(root, "conformance", "dist", "index.js");
  if (!fs.existsSync(entry)) return null;
  const mod = (await import(pathToFileURL(entry).href)) as Partial<ConformanceApi>;
  if (typeof mod.runConformance !== "function") return null;
  return mod as ConformanceApi;
}

/**
 * Normalise what `runConformance` returned into rows. Accepts an array of objects naming the
 * check (`check` or `name`) and its outcome (`ok`, `passed`, or `status` of ok/pass/fail).
 *
 * @throws Error naming the row index when a row has neither a name nor an outcome.
 */
export function toConformanceRows(result: unknown): ConformanceRow[] {
  const list = Array.isArray(result) ? result : (result as { rows?: unknown })?.rows;
  if (!Array.isArray(list)) throw new Error("runConformance returned neither an array of rows nor {rows}");
  return list.map((raw: unknown, i: number) => {
    const r = raw as Record<string, unknown>;
    const check = typeof r.check === "string" ? r.check : typeof r.name === "string" ? r.name : null;
    const ok =
      typeof r.ok === "boolean"
        ? r.ok
        : typeof r.passed === "boolean"
          ? r.passed
          : typeof r.status === "string"
            ? /^(ok|pass|passed)$/i.test(r.status)
            : null;
    if (check === null || ok === null) throw new Error(`conformance row ${i}: expected {check, ok}, got ${JSON.stringify(raw)?.slice(0, 200)}`);
    const detail =
      typeof r.detail === "string" ? r.detail : typeof r.details === "string" ? r.details : typeof r.summary === "string" ? r.summary : "";
    const seconds = typeof r.seconds === "number" ? r.seconds : null;
    return { check, ok, detail, seconds };
  });
}

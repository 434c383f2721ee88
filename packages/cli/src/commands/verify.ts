/**
 * `synod verify`: model-check every spec model of the chosen size with Synod's checker and compare
 * the figures with `specs/<protocol>/expected.json` (obtained from TLC), then run conformance.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { findRepoRoot, loadKits, runConformance, specDir, type AnyKit } from "@synod/conformance";
import { checkSpec } from "@synod/tla-checker-wasm";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parseCount } from "./args.js";
import { renderTable } from "./table.js";

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

/** One summary row of `verify`. */
export interface VerifyRow {
  check: string;
  ok: boolean;
  detail: string;
  seconds: number | null;
}

interface VerifyFlags {
  root?: string;
  size: string;
  spec?: string;
  conformance: boolean;
  workers: string;
}

/** Build the `verify` subcommand. */
export function verifyCommand(): Command {
  return new Command("verify")
    .description("model-check every spec model of a size against expected.json (TLC's figures), then run conformance")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .option("--size <size>", "which models: ci or full", "ci")
    .option("--spec <name>", "only specs/<name>")
    .option("--no-conformance", "skip the conformance run")
    .option("--workers <n>", "checker worker threads", "1")
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verify(flags);
    });
}

async function verify(flags: VerifyFlags): Promise<number> {
  let root: string;
  let size: "ci" | "full";
  let workers: number;
  try {
    if (flags.size !== "ci" && flags.size !== "full") throw new UsageError(`--size: "${flags.size}" is not ci or full`);
    size = flags.size;
    workers = parseCount(flags.workers, "--workers", 1);
    const found = flags.root !== undefined ? path.resolve(flags.root) : findRepoRoot(process.cwd());
    if (found === null || !fs.existsSync(path.join(found, "specs"))) {
      throw new UsageError(`no specs/ folder ${flags.root !== undefined ? `in ${found}` : "here or above; pass --root"}`);
    }
    root = found;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`synod verify: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const rows: VerifyRow[] = [];
  const protocols = fs
    .readdirSync(path.join(root, "specs"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && (flags.spec === undefined || d.name === flags.spec))
    .map((d) => d.name)
    .sort();
  if (flags.spec !== undefined && protocols.length === 0) {
    process.stderr.write(`synod verify: --spec: no folder specs/${flags.spec}\n`);
    return EXIT_USAGE;
  }
  for (const protocol of protocols) rows.push(...(await checkModels(root, protocol, size, workers)));
  if (flags.conformance) rows.push(...(await runConformanceRows(root, protocols, size)));
  process.stdout.write(`${renderTable(["check", "result", "seconds", "detail"], rows.map(formatRow))}\n`);
  const failed = rows.filter((r) => !r.ok).length;
  process.stdout.write(`${rows.length - failed} of ${rows.length} checks passed\n`);
  return failed === 0 && rows.length > 0 ? EXIT_OK : EXIT_FAILURE;
}

function formatRow(r: VerifyRow): string[] {
  return [r.check, r.ok ? "ok" : "FAIL", r.seconds === null ? "" : r.seconds.toFixed(1), r.detail];
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

async function checkModels(root: string, protocol: string, size: "ci" | "full", workers: number): Promise<VerifyRow[]> {
  const file = path.join(root, "specs", protocol, "expected.json");
  const check = `tla specs/${protocol}`;
  if (!fs.existsSync(file)) return [{ check, ok: false, detail: `no expected.json in specs/${protocol}`, seconds: null }];
  let entries: ExpectedEntry[];
  try {
    entries = readExpected(file).filter((e) => e.size === size);
  } catch (err) {
    return [{ check, ok: false, detail: (err as Error).message, seconds: null }];
  }
  if (entries.length === 0) return [{ check, ok: false, detail: `expected.json has no "${size}" entry`, seconds: null }];
  const rows: VerifyRow[] = [];
  for (const e of entries) {
    const dir = path.join(root, "specs", protocol);
    const label = `tla specs/${protocol}/${e.cfg}`;
    let got: Awaited<ReturnType<typeof checkSpec>>;
    try {
      got = await checkSpec({ spec: { path: path.join(dir, e.spec) }, cfg: { path: path.join(dir, e.cfg) }, workers });
    } catch (err) {
      rows.push({ check: label, ok: false, detail: `checker crashed: ${(err as Error).message}`, seconds: null });
      continue;
    }
    rows.push({ check: label, ...compareWithExpected(e, got), seconds: got.seconds });
  }
  return rows;
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

/**
 * Conformance of every registered protocol whose spec folder is among `protocols`; a spec folder
 * that no descriptor claims gets a failing row (its implementation is not checked against it).
 */
async function runConformanceRows(root: string, protocols: string[], size: "ci" | "full"): Promise<VerifyRow[]> {
  let kits: AnyKit[];
  try {
    kits = await loadKits({ root });
  } catch (err) {
    return [{ check: "conformance", ok: false, detail: `cannot load the protocol registry: ${(err as Error).message}`, seconds: null }];
  }
  const rows: VerifyRow[] = [];
  for (const protocol of protocols) {
    const dir = path.join(root, "specs", protocol);
    const claiming = kits.filter((k) => path.resolve(specDir(k.spec.dir, root)) === path.resolve(dir));
    if (claiming.length === 0) {
      rows.push({ check: `conformance specs/${protocol}`, ok: false, detail: "no protocol descriptor (package.json \"synod.kit\") claims this spec folder: its implementation is not checked", seconds: null });
      continue;
    }
    for (const kit of claiming) {
      for (const r of await runConformance(kit, { size })) rows.push({ check: `conformance ${kit.name}: ${r.check}`, ok: r.ok, detail: r.detail, seconds: r.seconds });
    }
  }
  return rows;
}

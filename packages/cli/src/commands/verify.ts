/**
 * `synod verify`: model-check every spec model of the chosen size with Synod's checker and compare
 * the figures with `specs/<protocol>/expected.json` (obtained from TLC), and run the conformance of
 * every registered protocol; independent tasks run side by side, each shown as it starts and ends.
 *
 * @module
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { findRepoRoot } from "@synod/conformance";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parseCount } from "./args.js";
import { renderTable } from "./table.js";
import { liveDisplay, plainDisplay } from "../verify/display.js";
import { runPool } from "../verify/pool.js";
import { planVerify, type VerifyRow, type VerifySize } from "../verify/tasks.js";

export type { VerifyRow } from "../verify/tasks.js";

interface VerifyFlags {
  root?: string;
  size?: string;
  full?: boolean;
  spec?: string;
  conformance: boolean;
  workers: string;
  jobs?: string;
  json?: boolean;
}

/** Build the `verify` subcommand. */
export function verifyCommand(): Command {
  return new Command("verify")
    .description("model-check every spec model of a size against expected.json (TLC's figures), and run every protocol's conformance")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .option("--size <size>", "which models and conformance size: ci or full (default ci)")
    .option("--full", "the same as --size full: the big models and long conformance runs too")
    .option("--spec <name>", "only specs/<name> and the protocols checked against it")
    .option("--no-conformance", "model checks only")
    .option("--jobs <n>", "tasks run side by side (default: the machine's cores)")
    .option("--workers <n>", "checker worker threads per model", "1")
    .option("--json", "print the rows as JSON on stdout (progress still goes to stderr)")
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verify(flags);
    });
}

async function verify(flags: VerifyFlags): Promise<number> {
  let root: string;
  let size: VerifySize;
  let workers: number;
  let jobs: number;
  try {
    if (flags.full === true && flags.size !== undefined && flags.size !== "full") throw new UsageError(`--full and --size ${flags.size} disagree`);
    const sizeText = flags.full === true ? "full" : (flags.size ?? "ci");
    if (sizeText !== "ci" && sizeText !== "full") throw new UsageError(`--size: "${sizeText}" is not ci or full`);
    size = sizeText;
    workers = parseCount(flags.workers, "--workers", 1);
    jobs = flags.jobs === undefined ? os.availableParallelism() : parseCount(flags.jobs, "--jobs", 1);
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
  const protocols = fs
    .readdirSync(path.join(root, "specs"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && (flags.spec === undefined || d.name === flags.spec))
    .map((d) => d.name)
    .sort();
  if (flags.spec !== undefined && protocols.length === 0) {
    process.stderr.write(`synod verify: --spec: no folder specs/${flags.spec}\n`);
    return EXIT_USAGE;
  }
  const t0 = performance.now();
  const plan = await planVerify(root, protocols, { size, conformance: flags.conformance, workers });
  const display = process.stderr.isTTY ? liveDisplay(process.stderr) : plainDisplay(process.stderr);
  process.stderr.write(`synod verify: ${plan.tasks.length} tasks (${size}) on ${Math.min(jobs, Math.max(1, plan.tasks.length))} of ${os.availableParallelism()} cores\n`);
  let rows: VerifyRow[];
  try {
    display.report(plan.failed);
    rows = [...plan.failed, ...(await runPool(plan.tasks, jobs, display))];
  } finally {
    display.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const failed = rows.filter((r) => !r.ok).length;
  const ok = failed === 0 && rows.length > 0;
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ ok, size, seconds, passed: rows.length - failed, failed, rows }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderSummary(rows)}\n`);
    process.stdout.write(`${rows.length - failed} of ${rows.length} checks passed in ${seconds.toFixed(1)} s\n`);
  }
  return ok ? EXIT_OK : EXIT_FAILURE;
}

/**
 * A narrow table (check, result, seconds) with each row's figures or failure listed under it, so a
 * long detail never widens the table past a terminal.
 */
export function renderSummary(rows: readonly VerifyRow[]): string {
  const table = renderTable(
    ["#", "check", "result", "seconds"],
    rows.map((r, i) => [String(i + 1), r.check, r.ok ? "ok" : "FAIL", r.seconds === null ? "" : r.seconds.toFixed(1)]),
  );
  const details = rows.map((r, i) => {
    const rate = r.statesPerSecond !== undefined ? ` (${r.statesPerSecond.toLocaleString("en-US")} states/s)` : "";
    return `${String(i + 1).padStart(3)}. ${r.ok ? "" : "FAIL: "}${r.detail}${rate}`;
  });
  return `${table}\n\ndetails:\n${details.join("\n")}`;
}

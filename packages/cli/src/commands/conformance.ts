/**
 * `synod conformance` and `synod replay`: thin wrappers over the conformance package of the
 * checkout (spec ↔ implementation checks, and replaying a recorded failure).
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./args.js";
import { findRepoRoot, loadConformance, toConformanceRows, type ConformanceApi } from "./repo.js";
import { renderTable } from "./table.js";

/** Build the `conformance` subcommand. */
export function conformanceCommand(): Command {
  return new Command("conformance")
    .description("run the conformance checks of a protocol (spec -> implementation, implementation -> spec, histories)")
    .argument("[protocol]", "protocol name", "raft")
    .option("--size <size>", "ci or full", "ci")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .action(async (protocol: string, flags: { size: string; root?: string }) => {
      if (flags.size !== "ci" && flags.size !== "full") {
        process.stderr.write(`synod conformance: --size: "${flags.size}" is not ci or full\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      const api = await requireConformance("conformance", flags.root);
      if (!api) return;
      const started = performance.now();
      const rows = toConformanceRows(await api.runConformance({ protocol, size: flags.size }));
      process.stdout.write(
        `${renderTable(["check", "result", "seconds", "detail"], rows.map((r) => [r.check, r.ok ? "ok" : "FAIL", r.seconds?.toFixed(1) ?? "", r.detail]))}\n`,
      );
      const failed = rows.filter((r) => !r.ok).length;
      process.stdout.write(`${rows.length - failed} of ${rows.length} checks passed in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      process.exitCode = failed === 0 && rows.length > 0 ? EXIT_OK : EXIT_FAILURE;
    });
}

/** Build the `replay` subcommand. */
export function replayCommand(): Command {
  return new Command("replay")
    .description("replay a recorded failure (seed and schedule file written by conformance) and report the outcome")
    .argument("<file>", "the replay file")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .action(async (file: string, flags: { root?: string }) => {
      const resolved = path.resolve(file);
      if (!fs.existsSync(resolved)) {
        process.stderr.write(`synod replay: ${file}: no such file\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      const api = await requireConformance("replay", flags.root);
      if (!api) return;
      if (typeof api.replay !== "function") {
        process.stderr.write("synod replay: this checkout's conformance package exports no replay(file)\n");
        process.exitCode = EXIT_FAILURE;
        return;
      }
      const result = (await api.replay(resolved)) as { ok?: unknown; reproduced?: unknown; report?: unknown } | string;
      process.stdout.write(typeof result === "string" ? `${result}\n` : `${typeof result?.report === "string" ? result.report : JSON.stringify(result, null, 2)}\n`);
      // A replay "passes" when it ran; whether it reproduced the failure is in the report.
      process.exitCode = typeof result === "object" && result !== null && result.ok === false ? EXIT_FAILURE : EXIT_OK;
    });
}

async function requireConformance(command: string, rootFlag: string | undefined): Promise<ConformanceApi | null> {
  const root = rootFlag !== undefined ? path.resolve(rootFlag) : findRepoRoot(process.cwd());
  if (root === null) {
    process.stderr.write(`synod ${command}: not inside a Synod checkout (no specs/ and pnpm-workspace.yaml found); pass --root\n`);
    process.exitCode = EXIT_USAGE;
    return null;
  }
  const api = await loadConformance(root);
  if (!api) {
    process.stderr.write(`synod ${command}: ${path.join(root, "conformance")} is not built (run pnpm build)\n`);
    process.exitCode = EXIT_FAILURE;
    return null;
  }
  return api;
}

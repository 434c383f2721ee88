/**
 * `synod conformance` and `synod replay`: the conformance checks of a registered protocol
 * (spec → implementation, implementation → spec, histories, broken variants), and replaying a
 * recorded failure.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { findKit, findRepoRoot, loadKits, modeKit, replay, runConformance, UnknownProtocolError, validateImplementation, type AnyKit, type RegistryOptions } from "@synod/conformance";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCount, UsageError } from "./args.js";
import { renderTable } from "./table.js";

/** Build the `conformance` subcommand. */
export function conformanceCommand(): Command {
  return new Command("conformance")
    .description("run the conformance checks of a protocol (spec -> implementation, implementation -> spec, histories, broken variants)")
    .argument("[protocol]", "a registered protocol (default: every one)")
    .option("--size <size>", "ci or full", "ci")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .option("--validate-seed <n>", "run trace validation on this one seed and print the failing step with its context")
    .option("--validate-mode <key>", "with --validate-seed: one of the protocol's further trace validations (e.g. raft's production), not the main one")
    .action(async (protocol: string | undefined, flags: { size: string; root?: string; validateSeed?: string; validateMode?: string }) => {
      process.exitCode = await conformance(protocol, flags);
    });
}

async function conformance(protocol: string | undefined, flags: { size: string; root?: string; validateSeed?: string; validateMode?: string }): Promise<number> {
  let kits: AnyKit[];
  let seed: number | undefined;
  let validated: AnyKit | undefined;
  try {
    if (flags.size !== "ci" && flags.size !== "full") throw new UsageError(`--size: "${flags.size}" is not ci or full`);
    if (flags.validateSeed !== undefined) seed = parseCount(flags.validateSeed, "--validate-seed", 1);
    const registry = registryFor(flags.root);
    kits = protocol === undefined ? await loadKits(registry) : [await findKit(protocol, registry)];
    if (seed !== undefined && kits.length !== 1) throw new UsageError("--validate-seed: name the protocol");
    if (flags.validateMode !== undefined) {
      if (seed === undefined) throw new UsageError("--validate-mode: only with --validate-seed");
      const kit = kits[0]!;
      const modes = kit.validateModes ?? [];
      const mode = modes.find((m) => m.key === flags.validateMode);
      if (mode === undefined) throw new UsageError(`--validate-mode: ${kit.name} has no trace validation "${flags.validateMode}" (it has: ${modes.map((m) => m.key).join(", ") || "none but the main one"})`);
      validated = modeKit(kit, mode, flags.size);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof UnknownProtocolError) {
      process.stderr.write(`synod conformance: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (seed !== undefined) {
    const kit = validated ?? kits[0]!;
    const r = await validateImplementation(kit, { seed });
    if (r.failure === null) {
      process.stdout.write(`${kit.name} trace validation, seed ${seed}: ${r.checkedActions} steps checked, every one a legal spec step (${r.faults} faults, ${r.targetedCrashes} targeted crashes)\n`);
      return EXIT_OK;
    }
    const f = r.failure;
    process.stdout.write([`${kit.name} trace validation, seed ${seed}: step ${f.stepIndex} at ${f.atMs.toFixed(1)} ms is not a spec step`, `  ${f.node} ${f.event} -> ${f.actions || "(no action)"}`, `  ${f.problem}`, "last steps:", ...f.context.map((c) => `  ${c}`), ""].join("\n"));
    return EXIT_FAILURE;
  }
  const started = performance.now();
  const rows = [];
  for (const kit of kits) rows.push(...(await runConformance(kit, { size: flags.size as "ci" | "full" })));
  process.stdout.write(`${renderTable(["protocol", "check", "result", "seconds", "detail"], rows.map((r) => [r.protocol, r.check, r.ok ? "ok" : "FAIL", r.seconds.toFixed(1), r.detail]))}\n`);
  const failed = rows.filter((r) => !r.ok).length;
  process.stdout.write(`${rows.length - failed} of ${rows.length} checks passed in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return failed === 0 && rows.length > 0 ? EXIT_OK : EXIT_FAILURE;
}

/** Build the `replay` subcommand. */
export function replayCommand(): Command {
  return new Command("replay")
    .description("replay a recorded failure (a replay file written by conformance or soak) and report the outcome")
    .argument("<file>", "the replay file")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .action(async (file: string, flags: { root?: string }) => {
      const resolved = path.resolve(file);
      if (!fs.existsSync(resolved)) {
        process.stderr.write(`synod replay: ${file}: no such file\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      let result;
      try {
        result = await replay(resolved, registryFor(flags.root));
      } catch (err) {
        process.stderr.write(`synod replay: ${(err as Error).message}\n`);
        process.exitCode = err instanceof UnknownProtocolError || /: (format|check|run|expected)[.:]|not JSON/.test((err as Error).message) ? EXIT_USAGE : EXIT_FAILURE;
        return;
      }
      process.stdout.write(`${result.report}\n`);
      process.exitCode = result.ok ? EXIT_OK : EXIT_FAILURE;
    });
}

/** The registry of the checkout at `--root`, or of the one around the current directory. */
export function registryFor(rootFlag: string | undefined): RegistryOptions {
  if (rootFlag !== undefined) return { root: path.resolve(rootFlag) };
  const root = findRepoRoot(process.cwd());
  return root === null ? {} : { root };
}

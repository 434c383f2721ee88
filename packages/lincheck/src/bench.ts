/**
 * `pnpm bench`: lincheck on seeded generated histories and on the public ones (Porcupine's test
 * data, Knossos's data set), side by side with Porcupine (Go) where it can be built.
 *
 * ```
 * node dist/bench.js [--full] [--verbose] [--porcupine <dir>] [--knossos <dir>] [--data-only] [--rounds n]
 * ```
 * `--porcupine` / `PORCUPINE_DIR`: a checkout of github.com/anishathalye/porcupine (its test data,
 * and its source for the side-by-side run, which needs Go); `--knossos` / `KNOSSOS_DIR`: a
 * checkout of github.com/jepsen-io/knossos; `--rounds` / `BENCH_ROUNDS`: rounds of the public
 * histories, lincheck and Porcupine in turn, medians over them (default 1). What cannot be measured is said, never skipped
 * silently. Exit status 1 when a verdict is wrong.
 * @internal
 */
import { fileURLToPath } from "node:url";
import { dataBench, dataChild } from "./bench/data.js";
import { generatedBench, runCase } from "./bench/generated.js";

function option(argv: readonly string[], name: string, env: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    return v;
  }
  const e = process.env[env];
  return e === undefined || e === "" ? undefined : e;
}

async function main(argv: readonly string[]): Promise<void> {
  const childArg = argv.indexOf("--data-child");
  if (childArg >= 0) {
    await dataChild(argv[childArg + 1]);
    return;
  }
  const caseArg = argv.indexOf("--case");
  if (caseArg >= 0) {
    process.stdout.write(JSON.stringify(runCase(Number(argv[caseArg + 1]))));
    return;
  }
  const known = new Set(["--full", "--verbose", "--data-only", "--porcupine", "--knossos", "--rounds"]);
  for (const [i, a] of argv.entries()) {
    if (a.startsWith("--") && !known.has(a)) throw new Error(`unknown option ${a}; known: ${[...known].join(", ")}`);
    if (!a.startsWith("--") && argv[i - 1] !== "--porcupine" && argv[i - 1] !== "--knossos" && argv[i - 1] !== "--rounds") throw new Error(`unexpected argument ${a}`);
  }
  const porcupineDir = option(argv, "--porcupine", "PORCUPINE_DIR");
  const roundsText = option(argv, "--rounds", "BENCH_ROUNDS") ?? "1";
  const rounds = Number(roundsText);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a positive integer, got ${roundsText}`);
  const knossosDir = option(argv, "--knossos", "KNOSSOS_DIR");
  let wrong = 0;
  if (!argv.includes("--data-only")) wrong += generatedBench(fileURLToPath(import.meta.url), { full: argv.includes("--full"), porcupineDir });
  wrong += await dataBench({ self: fileURLToPath(import.meta.url), rounds, porcupineDir, knossosDir, verbose: argv.includes("--verbose") });
  if (wrong > 0) {
    console.error(`${wrong} wrong or undecided verdict(s)`);
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exitCode = 1;
});

import { writeFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { checkHistory } from "./check.js";
import { HistoryError } from "./errors.js";
import { renderHtml } from "./html.js";
import { modelByName, modelNames } from "./models/index.js";
import { parseEdnValue } from "./readers/edn.js";
import { historyFormats, readHistoryFile, type HistoryFormat } from "./readers/readFile.js";
import { verdictRank, type AnyModel, type CheckResult } from "./types.js";
import type { Value } from "./value.js";

/** Exit codes: by the worst verdict, and 3 for bad input or usage. */
export const EXIT = { ok: 0, illegal: 1, unknown: 2, badInput: 3 } as const;

/** Parses `10s`, `500ms`, `2m` or a bare number of seconds into milliseconds. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`expected a duration like 10s, 500ms or 2m, got ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  switch (m[2] ?? "s") {
    case "ms":
      return n;
    case "s":
      return n * 1000;
    case "m":
      return n * 60_000;
    default:
      return n * 3_600_000;
  }
}

/** Parses an `--init` literal as JSON, else as EDN (`nil`, `""`, `[1 2]`, `:a`). */
export function parseInitLiteral(text: string): Value {
  try {
    return JSON.parse(text) as Value;
  } catch {
    try {
      return parseEdnValue(text, "--init");
    } catch (err) {
      throw new InvalidArgumentError(`not a JSON or EDN literal: ${(err as Error).message}`);
    }
  }
}

interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

interface CliOptions {
  readonly model: string;
  readonly format?: HistoryFormat;
  readonly timeout: number;
  readonly html?: string;
  readonly json?: boolean;
  readonly init?: Value;
}

function htmlPathFor(base: string, file: string, several: boolean): string {
  if (!several) return base;
  const ext = extname(base) || ".html";
  const stem = base.slice(0, base.length - extname(base).length);
  return `${stem}-${basename(file).replace(/[^A-Za-z0-9._-]/g, "_")}${ext}`;
}

/**
 * Runs the `lincheck` command line and returns its exit code: 0 all linearizable, 1 some
 * history illegal, 2 some unknown (and none illegal), 3 bad input or usage.
 */
export async function main(argv: readonly string[], io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const program = new Command()
    .name("lincheck")
    .description("Check histories for linearizability (Jepsen EDN, Jepsen logs, or JSON).")
    .argument("<history...>", "history files")
    .addOption(new Option("-m, --model <model>", "the data type the system implements").choices(modelNames).makeOptionMandatory())
    .addOption(new Option("-f, --format <format>", "history format (guessed from the file when omitted)").choices([...historyFormats]))
    .option("-t, --timeout <duration>", "time budget per file, e.g. 10s; past it the verdict is unknown", parseDurationMs, 10_000)
    .option("--init <literal>", "initial value as a JSON or EDN literal (default nil; counter 0)", parseInitLiteral)
    .option("--html <file>", "write an HTML report (with several histories, one per file: <file>-<history>.html)")
    .option("--json", "one JSON line per file instead of text")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT.badInput;
    throw err;
  }
  const opts = program.opts<CliOptions>();
  let model: AnyModel;
  try {
    model = modelByName(opts.model, opts.init === undefined ? {} : { init: opts.init });
  } catch (err) {
    io.err(`lincheck: ${(err as Error).message}`);
    return EXIT.badInput;
  }
  const files = program.args;
  // Severity: ok 0, unknown 1, illegal 2, bad input 3; the exit code follows the worst.
  let worst = 0;
  for (const file of files) {
    let result: CheckResult;
    let seconds: number;
    let events: number;
    try {
      const { history, format } = await readHistoryFile(file, opts.format === undefined ? {} : { format: opts.format });
      events = history.length;
      const t0 = performance.now();
      result = checkHistory(history, model, { timeoutMs: opts.timeout });
      seconds = (performance.now() - t0) / 1000;
      if (opts.html !== undefined) {
        const out = htmlPathFor(opts.html, file, files.length > 1);
        await writeFile(out, renderHtml(history, result, { title: `${basename(file)} (${model.name}, ${format})` }));
      }
    } catch (err) {
      if (!(err instanceof HistoryError)) throw err;
      worst = 3;
      if (opts.json === true) io.out(JSON.stringify({ file, verdict: "error", error: err.message }));
      io.err(`lincheck: ${err.message}`);
      continue;
    }
    worst = Math.max(worst, verdictRank(result.verdict));
    if (opts.json === true) {
      io.out(
        JSON.stringify({
          file,
          verdict: result.verdict,
          ops: result.operations.length,
          partitions: result.partitions.length,
          seconds: Number(seconds.toFixed(6)),
        }),
      );
      continue;
    }
    const head = `${file}: ${result.verdict} (${result.operations.length} operations from ${events} events, ${result.partitions.length} partition(s), ${seconds.toFixed(3)} s)`;
    io.out(head);
    if (result.verdict === "illegal") io.out(indent(result.explanation));
    if (result.verdict === "unknown") io.out(indent(result.reason));
  }
  return [EXIT.ok, EXIT.unknown, EXIT.illegal, EXIT.badInput][worst];
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

import { writeFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { ExitStatus } from "@synod/exit-codes";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { checkHistory } from "./check.js";
import { HistoryError, HistoryFileError } from "./errors.js";
import { renderHtml } from "./html.js";
import { modelByName, modelNames, NIL_READ_MODELS, type NilRead } from "./models/index.js";
import { parseEdnValue } from "./readers/edn.js";
import { historyFormats, readHistoryFile, type HistoryFormat } from "./readers/readFile.js";
import { jsonReport } from "./report.js";
import type { AnyModel, CheckResult } from "./types.js";
import type { Value } from "./value.js";

/**
 * lincheck's exit statuses, from the table Synod's tools share (`@synod/exit-codes`, TLC's
 * numbers): with several files, the worst outcome decides, in this order from best to worst.
 */
export const EXIT = {
  /** Every history is linearizable. */
  ok: ExitStatus.SUCCESS,
  /** Some history could not be decided within the time budget (and none is illegal or unreadable). */
  unknown: ExitStatus.INCOMPLETE,
  /** Some history is not linearizable. */
  illegal: ExitStatus.VIOLATION_SAFETY,
  /** Some history could not be parsed, or has operations the model does not know. */
  badHistory: ExitStatus.ERROR_SPEC_PARSE,
  /** Some history file could not be read at all. */
  unreadable: ExitStatus.ERROR_SYSTEM,
  /** The command line could not be understood (bad option, model, or initial value for the model). */
  usage: ExitStatus.USAGE,
  /** An internal error: a bug in lincheck. */
  internal: ExitStatus.ERROR,
} as const;

/** From best to worst: the exit status of several files is the worst of theirs. */
const SEVERITY: readonly number[] = [EXIT.ok, EXIT.unknown, EXIT.illegal, EXIT.badHistory, EXIT.unreadable];

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
  readonly nilRead?: NilRead;
  readonly allPartitions?: boolean;
}

function htmlPathFor(base: string, file: string, several: boolean): string {
  if (!several) return base;
  const ext = extname(base) || ".html";
  const stem = base.slice(0, base.length - extname(base).length);
  return `${stem}-${basename(file).replace(/[^A-Za-z0-9._-]/g, "_")}${ext}`;
}

/**
 * Runs the `lincheck` command line and returns its exit status (see {@link EXIT}): 0 all
 * linearizable, 12 some history illegal, 124 some undecided in the time budget, 150 a history
 * that cannot be parsed, 153 a file that cannot be read, 1 usage, 255 an internal error.
 */
export async function main(argv: readonly string[], io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    // A bug: say so, with the stack, rather than exit as if the history were at fault.
    io.err(`lincheck: internal error (please report it): ${(err as Error)?.stack ?? String(err)}`);
    return EXIT.internal;
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = new Command()
    .name("lincheck")
    .description("Check histories for linearizability (Jepsen EDN, Jepsen logs, or JSON).")
    .argument("<history...>", "history files")
    .addOption(new Option("-m, --model <model>", "the data type the system implements").choices(modelNames).makeOptionMandatory())
    .addOption(new Option("-f, --format <format>", "history format (guessed from the file when omitted)").choices([...historyFormats]))
    .option("-t, --timeout <duration>", "time budget per file, e.g. 10s; past it the verdict is unknown", parseDurationMs, 10_000)
    .option("--init <literal>", "initial value as a JSON or EDN literal (default nil; counter 0)", parseInitLiteral)
    .addOption(
      new Option(
        "--nil-read <meaning>",
        `what a completed read of nil means (${NIL_READ_MODELS.join(", ")}): unknown (Knossos; default except for kv) or value`,
      ).choices(["unknown", "value"]),
    )
    .option("--all-partitions", "decide every partition even after one is found illegal (default: stop at the first)")
    .option("--html <file>", "write an HTML report (with several histories, one per file: <file>-<history>.html)")
    .option("--json", "one JSON line per file instead of text: verdict, witness order or explanation")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw err;
  }
  const opts = program.opts<CliOptions>();
  let model: AnyModel;
  try {
    model = modelByName(opts.model, { ...(opts.init === undefined ? {} : { init: opts.init }), ...(opts.nilRead === undefined ? {} : { nilRead: opts.nilRead }) });
  } catch (err) {
    io.err(`lincheck: ${(err as Error).message}`);
    return EXIT.usage;
  }
  const files = program.args;
  let worst = 0;
  for (const file of files) {
    let result: CheckResult;
    let seconds: number;
    let events: number;
    try {
      const { history, format } = await readHistoryFile(file, opts.format === undefined ? {} : { format: opts.format });
      events = history.length;
      const t0 = performance.now();
      result = checkHistory(history, model, { timeoutMs: opts.timeout, allPartitions: opts.allPartitions === true });
      seconds = (performance.now() - t0) / 1000;
      if (opts.html !== undefined) {
        const out = htmlPathFor(opts.html, file, files.length > 1);
        try {
          await writeFile(out, renderHtml(history, result, { title: `${basename(file)} (${model.name}, ${format})`, model }));
        } catch (err) {
          throw new HistoryFileError(out, `cannot write the HTML report: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      }
    } catch (err) {
      if (!(err instanceof HistoryError)) throw err;
      worst = Math.max(worst, SEVERITY.indexOf(err instanceof HistoryFileError ? EXIT.unreadable : EXIT.badHistory));
      if (opts.json === true) io.out(JSON.stringify({ file, verdict: "error", error: err.message }));
      io.err(`lincheck: ${err.message}`);
      continue;
    }
    worst = Math.max(worst, SEVERITY.indexOf(EXIT[result.verdict]));
    if (opts.json === true) {
      io.out(JSON.stringify(jsonReport(file, result, seconds)));
      continue;
    }
    const head = `${file}: ${result.verdict} (${result.operations.length} operations from ${events} events, ${result.partitions.length} partition(s), ${seconds.toFixed(3)} s)`;
    io.out(head);
    if (result.verdict === "illegal") io.out(indent(result.explanation));
    if (result.verdict === "unknown") io.out(indent(result.reason));
  }
  return SEVERITY[worst];
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

/**
 * `synod judge <judge> <file>`: judge a history file with one of the judges conformance uses, so
 * a history recorded anywhere (a real cluster of another system, a Jepsen run, a user's own
 * service) is held to the same promise as Synod's own histories.
 *
 * @module
 */
import { Command, Option } from "commander";
import { atomicCommitment, boundedStaleness, leadership, linearizable, mutualExclusion, settledLeader, type HistoryEvent, type Judge, type JudgeVerdict } from "@synod/conformance";
import { historyFormats, modelByName, modelNames, readHistoryFile, HistoryError, HistoryFileError, type HistoryFormat } from "@synod/lincheck";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parseDurationMs } from "./args.js";

/** Exit status of a judge that could not decide within its budget: never a pass (GNU timeout's 124, as lincheck's `unknown`). */
export const EXIT_UNDECIDED = 124;

interface JudgeFlags {
  model?: string;
  drift?: string;
  members?: string;
  expected?: string;
  format?: HistoryFormat;
  timeout: string;
  json?: boolean;
}

/** The judges by their command-line names, each with the options it needs. */
const JUDGES: Record<string, { needs: readonly (keyof JudgeFlags)[]; make: (f: JudgeFlags) => Judge }> = {
  linearizable: {
    needs: ["model"],
    make: (f) => linearizable(modelByName(f.model!), f.model!),
  },
  "mutual-exclusion": { needs: [], make: () => mutualExclusion() },
  atomic: { needs: [], make: () => atomicCommitment() },
  "bounded-staleness": { needs: [], make: () => boundedStaleness() },
  leadership: {
    needs: ["drift"],
    make: (f) => leadership({ driftBound: parseDrift(f.drift!) }),
  },
  "settled-leader": {
    needs: ["members", "expected"],
    make: (f) => settledLeader({ members: parseMembers(f.members!), expected: f.expected! }),
  },
};

/** The judge names `synod judge` takes, for help texts and tests. */
export const judgeNames: readonly string[] = Object.keys(JUDGES);

/** Which options belong to which judge: an option given to a judge that does not read it is refused. */
const OWN_OPTIONS: readonly (keyof JudgeFlags)[] = ["model", "drift", "members", "expected"];

/** Build the `judge` subcommand. */
export function judgeCommand(): Command {
  return new Command("judge")
    .description("judge a history file (JSON, JSON Lines, Jepsen EDN or log) with one of conformance's judges; exit 0 only if it holds")
    .addOption(new Option("--model <model>", "linearizable: the data type").choices(modelNames))
    .option("--drift <rho>", "leadership: the clock-drift bound ρ in [0, 1) the protocol claims")
    .option("--members <list>", "settled-leader: the members, comma-separated")
    .option("--expected <node>", "settled-leader: the node the election must settle on")
    .addOption(new Option("--format <format>", "the file's format (default: from its name, then its contents)").choices([...historyFormats]))
    .option("--timeout <duration>", "give up after this long; the verdict is then `unknown` (exit 124)", "60s")
    .option("--json", "print the verdict as one JSON object")
    .argument("<judge>", `one of ${judgeNames.join(", ")}`)
    .argument("<file>", "the history")
    .addHelpText(
      "after",
      `\nExit status: 0 the history keeps the judge's promise; 1 it does not (or the file cannot be read);\n2 bad arguments; ${EXIT_UNDECIDED} the judge could not decide within --timeout (never a pass).\nEach judge's history vocabulary is in its module comment (conformance/src/<judge>.ts).`,
    )
    .action(async (name: string, file: string, flags: JudgeFlags) => {
      process.exitCode = await judge(name, file, flags);
    });
}

async function judge(name: string, file: string, flags: JudgeFlags): Promise<number> {
  let j: Judge;
  let timeoutMs: number;
  try {
    j = pickJudge(name, flags);
    timeoutMs = parseDurationMs(flags.timeout, "--timeout");
  } catch (err) {
    if (err instanceof UsageError || err instanceof RangeError) {
      process.stderr.write(`synod judge: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  let history: readonly HistoryEvent[];
  try {
    history = (await readHistoryFile(file, flags.format === undefined ? {} : { format: flags.format })).history;
  } catch (err) {
    if (err instanceof HistoryError || err instanceof HistoryFileError) {
      process.stderr.write(`synod judge: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  let verdict: JudgeVerdict;
  try {
    verdict = j.check(history, { timeoutMs });
  } catch (err) {
    // lincheck refuses operations its model does not know, naming the event.
    if (err instanceof HistoryError) {
      process.stderr.write(`synod judge: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  report(j, file, history.length, verdict, flags.json === true);
  return verdict.verdict === "ok" ? EXIT_OK : verdict.verdict === "violation" ? EXIT_FAILURE : EXIT_UNDECIDED;
}

/** The judge `name` built from its options; a missing option, or one the judge does not read, is a usage error. */
function pickJudge(name: string, flags: JudgeFlags): Judge {
  const spec = Object.hasOwn(JUDGES, name) ? JUDGES[name] : undefined;
  if (spec === undefined) throw new UsageError(`unknown judge ${JSON.stringify(name)}; choose one of ${judgeNames.join(", ")}`);
  for (const option of spec.needs) if (flags[option] === undefined) throw new UsageError(`the ${name} judge needs --${option}`);
  for (const option of OWN_OPTIONS) {
    if (flags[option] !== undefined && !spec.needs.includes(option)) throw new UsageError(`--${option} is not read by the ${name} judge`);
  }
  return spec.make(flags);
}

function parseDrift(text: string): number {
  const rho = Number(text);
  if (text.trim() === "" || !Number.isFinite(rho) || rho < 0 || rho >= 1) throw new UsageError(`--drift: "${text}" is not a number in [0, 1)`);
  return rho;
}

function parseMembers(text: string): string[] {
  const members = text.split(",").map((s) => s.trim());
  if (members.some((m) => m === "")) throw new UsageError(`--members: "${text}" has an empty entry`);
  if (new Set(members).size !== members.length) throw new UsageError(`--members: "${text}" names a member twice`);
  return members;
}

function report(j: Judge, file: string, events: number, v: JudgeVerdict, json: boolean): void {
  const text = v.verdict === "ok" ? v.detail : v.verdict === "violation" ? v.explanation : v.reason;
  if (json) {
    process.stdout.write(`${JSON.stringify({ judge: j.name, promise: j.promise, file, events, verdict: v.verdict, detail: text })}\n`);
    return;
  }
  const head = v.verdict === "ok" ? "holds" : v.verdict === "violation" ? "VIOLATED" : "unknown (not a pass)";
  process.stdout.write(`${file}: ${events} events, judge ${j.name}: ${head}\n  promise: ${j.promise}\n  ${text}\n`);
}

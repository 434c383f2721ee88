/**
 * The command lines of the rival runs, on commander: each run declares its options with the
 * parsers below, and {@link parseCommandLine} turns every mistake into one error that names the
 * flag (the run prints it and exits 1) instead of commander exiting the process itself.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "commander";

/** A parser of an integer option in `[min, max]`. */
export function integer(min, max = Number.MAX_SAFE_INTEGER) {
  return (v) => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`}, got ${JSON.stringify(v)}`);
    }
    return n;
  };
}

/** A parser of a comma-separated list of integers in `[min, max]`, naming the entry at fault. */
export function integerList(min, max) {
  const one = integer(min, max);
  return (v) =>
    v.split(",").map((x, i) => {
      try {
        return one(x);
      } catch (e) {
        throw new InvalidArgumentError(`entry ${i + 1}: ${e.message}`);
      }
    });
}

/** A parser of a JSON object (options passed through to a Synod node). */
export function jsonObject(v) {
  let r;
  try {
    r = JSON.parse(v);
  } catch (e) {
    throw new InvalidArgumentError(`not JSON (${e.message})`);
  }
  if (typeof r !== "object" || r === null || Array.isArray(r)) throw new InvalidArgumentError("expected a JSON object");
  return r;
}

/** A command named `name` whose errors throw (see {@link parseCommandLine}) and print nothing. */
export function rivalCommand(name, description) {
  return new Command(name)
    .description(description)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) })
    .allowExcessArguments(false);
}

/**
 * Parse `argv` (without node and the script) with `command` and return its options. A usage error
 * is thrown as an Error whose message is commander's (it names the flag) followed by the usage;
 * `--help` prints the help and exits 0.
 */
export function parseCommandLine(command, argv) {
  try {
    command.parse(argv, { from: "user" });
  } catch (e) {
    if (e?.code === "commander.helpDisplayed" || e?.code === "commander.help") process.exit(0);
    const message = String(e?.message ?? e).replace(/^error: /, "");
    throw new Error(`${message}\n${command.helpInformation().trimEnd()}`);
  }
  return command.opts();
}

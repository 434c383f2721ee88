/**
 * The `synod` command line: every subcommand on one commander program.
 *
 * @module
 */
import { Command } from "commander";
import { EXIT_USAGE } from "./commands/args.js";
import { conformanceCommand, replayCommand } from "./commands/conformance.js";
import { kvCommand } from "./commands/kv.js";
import { newCommand } from "./commands/new.js";
import { serveCommand } from "./commands/serve.js";
import { soakCommand } from "./commands/soak.js";
import { verifyCommand } from "./commands/verify.js";
import { adminCommand } from "./commands/admin.js";
import { statusCommand } from "./commands/status.js";
import { maelstromCommand } from "./commands/maelstrom.js";
import { keygenCommand } from "./commands/keygen.js";
import { judgeCommand } from "./commands/judge.js";

/** Build the `synod` program. Parse with `program.parseAsync(process.argv)`. */
export function buildProgram(): Command {
  const program = new Command("synod")
    .description("Synod: formally checked distributed protocols. Model-check, test conformance, run a cluster.")
    .version("0.1.0");
  for (const cmd of [verifyCommand(), conformanceCommand(), replayCommand(), soakCommand(), serveCommand(), kvCommand(), newCommand(), statusCommand(), adminCommand(), maelstromCommand(), keygenCommand(), judgeCommand()]) {
    program.addCommand(cmd);
  }
  applyRecursively(program, (cmd) =>
    cmd
      .showHelpAfterError("(add --help for usage)")
      .exitOverride((err) => {
        // Commander's own usage errors (unknown option, missing argument) exit with EXIT_USAGE like
        // the checks the commands do themselves; help and version exit as commander says.
        const informational = err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help";
        process.exit(informational ? err.exitCode : EXIT_USAGE);
      }),
  );
  return program;
}

function applyRecursively(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) applyRecursively(sub, fn);
}

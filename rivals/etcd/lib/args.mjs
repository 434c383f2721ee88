/**
 * The command line of run.mjs.
 *
 * @module
 */
import { integer, parseCommandLine, rivalCommand } from "@synod/rival-common/cli";
import { Option } from "commander";
import { SCENARIOS } from "./scenarios.mjs";

/**
 * Parse the command line; throws naming the flag for anything unknown or malformed.
 * @param {string[]} argv
 */
export function parseArgs(argv) {
  const command = rivalCommand("rivals/etcd/run.mjs", "Real etcd 3.4 beside Synod's lease election, leadership histories judged.")
    .addOption(new Option("--system <which>", "which side to run").choices(["both", "etcd", "synod"]).default("both"))
    .addOption(new Option("--scenario <name>", "the scenario to run").choices(["all", ...Object.keys(SCENARIOS)]).default("all"))
    .option("--rounds <n>", "rounds per scenario", integer(1), 3)
    .option("--out <dir>", "where the histories go (default: a new temp dir)")
    .option("--port <n>", "the first loopback port", integer(1024, 65000), 23400);
  return parseCommandLine(command, argv);
}

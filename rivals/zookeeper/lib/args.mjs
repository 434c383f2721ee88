/**
 * The command line of run.mjs.
 *
 * @module
 */
import { integer, integerList, jsonObject, parseCommandLine, rivalCommand } from "@synod/rival-common/cli";
import { Option } from "commander";
import { SCENARIOS } from "./scenarios.mjs";

/**
 * Parse the command line; throws naming the flag for anything unknown or malformed.
 * @param {string[]} argv
 */
export function parseArgs(argv) {
  const command = rivalCommand("rivals/zookeeper/run.mjs", "Real ZooKeeper beside Synod's zklock, mutual-exclusion histories judged.")
    .addOption(new Option("--system <which>", "which side to run").choices(["both", "zookeeper", "synod"]).default("both"))
    .addOption(new Option("--scenario <name>", "the scenario to run").choices(["all", ...Object.keys(SCENARIOS)]).default("all"))
    .option("--clients <list>", "contending clients per level, comma separated, each 1..16", integerList(1, 16), [1, 4, 8])
    .option("--seconds <n>", "seconds per contention level", integer(1), 10)
    .option("--rounds <n>", "rounds per scenario", integer(1), 3)
    .option("--out <dir>", "where the histories go (default: a new temp dir)")
    .option("--port <n>", "the first loopback port", integer(1024, 65000), 23100)
    .option("--batch-events <n>", "Synod's group commit: events per fsync", integer(1), 1)
    .option("--resend-ms <n>", "Synod client's resend interval", integer(1), 1000)
    .option("--synod-raft <json>", "Raft options for Synod's replicas, a JSON object", jsonObject, {});
  const o = parseCommandLine(command, argv);
  const { clients, ...rest } = o;
  return { ...rest, levels: clients };
}

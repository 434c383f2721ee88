/**
 * `synod maelstrom <protocol>`: one node speaking Jepsen Maelstrom's protocol on stdin/stdout for
 * the `lin-kv` workload (see maelstrom/node.ts), so that Maelstrom can run a cluster of them:
 *
 *     maelstrom test -w lin-kv --bin ./synod-raft.sh --node-count 3 --time-limit 20 --nemesis partition
 *
 * where `synod-raft.sh` runs `synod maelstrom raft`. Any protocol whose kit serves the `kv` service
 * works. Logs (JSON lines with `--log-format json`) go to stderr; stdout carries messages only.
 *
 * @module
 */
import path from "node:path";
import readline from "node:readline";
import { Command } from "commander";
import { findKit, UnknownProtocolError, type AnyKit, type ServeTuning } from "@synod/conformance";
import type { Json } from "@synod/protocol";
import { cryptoRng, seededRng } from "../host/rng.js";
import { MaelstromNode } from "../maelstrom/node.js";
import { createNodeLog, LOG_FORMATS, type LogFormat, type NodeLog } from "../ops/node-log.js";
import { FileStorage } from "../storage/file-storage.js";
import { EXIT_FAILURE, EXIT_USAGE, UsageError, parseCount, parseRangeMs } from "./args.js";

interface MaelstromFlags {
  seed?: string;
  electionTimeoutMs?: string;
  heartbeatMs?: string;
  requestTimeoutMs: string;
  protocolOptions?: string;
  data?: string;
  logFormat: string;
}

/** The workloads this command serves, and the service each needs from the kit. */
const WORKLOADS = { "lin-kv": "kv" } as const;

/** Build the `maelstrom` subcommand. */
export function maelstromCommand(): Command {
  return new Command("maelstrom")
    .description("run one node speaking Jepsen Maelstrom's protocol on stdin/stdout (workload lin-kv), for `maelstrom test -w lin-kv --bin ...`")
    .argument("<protocol>", "a registered protocol whose kit serves the kv service, e.g. raft")
    .option("--workload <name>", `the Maelstrom workload (${Object.keys(WORKLOADS).join(", ")})`, "lin-kv")
    .option("--seed <n>", "seed for the node's RNG (default: crypto randomness)")
    .option("--election-timeout-ms <min-max>", "election timeout range, e.g. 150-300")
    .option("--heartbeat-ms <ms>", "leader heartbeat period")
    .option("--request-timeout-ms <ms>", "answer a client with an error (timeout: indefinite) after this long", "2000")
    .option("--protocol-options <json>", "protocol options as a JSON object")
    .option("--data <dir>", "keep durable state in DIR/<node id> (fsync'd), so a killed node restarts from it (default: memory)")
    .option("--log-format <format>", `stderr log lines as ${LOG_FORMATS.join(" or ")}`, "text")
    .action(async (protocolName: string, flags: MaelstromFlags & { workload: string }) => {
      process.exitCode = await runMaelstrom(protocolName, flags);
    });
}

async function runMaelstrom(protocolName: string, flags: MaelstromFlags & { workload: string }): Promise<number> {
  const usage = (message: string): number => {
    process.stderr.write(`synod maelstrom: ${message}\n`);
    return EXIT_USAGE;
  };
  let kit: AnyKit;
  let settings: ReturnType<typeof parseFlags>;
  try {
    settings = parseFlags(flags);
    kit = await findKit(protocolName);
  } catch (err) {
    if (err instanceof UsageError || err instanceof UnknownProtocolError) return usage(err.message);
    throw err;
  }
  const wanted = WORKLOADS[flags.workload as keyof typeof WORKLOADS];
  if (wanted === undefined) return usage(`--workload: "${flags.workload}" is not one of ${Object.keys(WORKLOADS).join(", ")}`);
  if (kit.serve === undefined) return usage(`${kit.name} has no served node`);
  if (kit.histories.service.name !== wanted) return usage(`${kit.name} serves ${kit.histories.service.name}, not the ${wanted} service ${flags.workload} needs`);
  for (const knob of Object.keys(settings.tuning) as (keyof ServeTuning)[]) {
    if (kit.serve.knobs[knob] === undefined) return usage(`${kit.name} does not honour the ${knob} knob`);
  }
  // The node learns its id at init; log lines name it from then on.
  let self: MaelstromNode | null = null;
  const logAs = () => createNodeLog({ node: self?.id ?? "uninitialised", format: settings.logFormat, write: (line) => process.stderr.write(`${line}\n`) });
  const log = { event: (...a: Parameters<NodeLog["event"]>) => logAs().event(...a), line: (t: string) => logAs().line(t) };
  const storages: FileStorage[] = [];
  let failed = false;
  const node = new MaelstromNode({
    kit,
    write: (line) => process.stdout.write(`${line}\n`),
    log,
    rng: settings.seed !== undefined ? seededRng(settings.seed) : cryptoRng(),
    tuning: settings.tuning,
    protocolOptions: settings.protocolOptions,
    requestTimeoutMs: settings.requestTimeoutMs,
    ...(settings.dataDir !== undefined
      ? {
          openStorage: (id: string) => {
            const s = FileStorage.open({ dir: path.join(settings.dataDir!, id), log: (l) => log.line(l) });
            storages.push(s);
            return { durable: s.state, sink: s };
          },
        }
      : {}),
    onFatal: (err) => {
      failed = true;
      log.event("stopped", { error: err instanceof Error ? err.message : String(err) }, "error");
      process.exit(EXIT_FAILURE);
    },
  });
  self = node;
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => node.handleLine(line));
  await new Promise<void>((resolve) => rl.once("close", () => resolve()));
  node.stop();
  for (const s of storages) s.close();
  return failed ? EXIT_FAILURE : 0;
}

function parseFlags(flags: MaelstromFlags) {
  const tuning: ServeTuning = {};
  if (flags.electionTimeoutMs !== undefined) {
    const [lo, hi] = parseRangeMs(flags.electionTimeoutMs, "--election-timeout-ms");
    tuning.electionTimeoutMsMin = lo;
    tuning.electionTimeoutMsMax = hi;
  }
  if (flags.heartbeatMs !== undefined) tuning.heartbeatMs = parseCount(flags.heartbeatMs, "--heartbeat-ms", 1);
  if (!(LOG_FORMATS as readonly string[]).includes(flags.logFormat)) throw new UsageError(`--log-format: "${flags.logFormat}" is not one of ${LOG_FORMATS.join(", ")}`);
  let protocolOptions: { [key: string]: Json } = {};
  if (flags.protocolOptions !== undefined) {
    let v: unknown;
    try {
      v = JSON.parse(flags.protocolOptions);
    } catch (err) {
      throw new UsageError(`--protocol-options: not JSON (${(err as Error).message})`);
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UsageError("--protocol-options: must be a JSON object");
    protocolOptions = v as { [key: string]: Json };
  }
  if (flags.data !== undefined && flags.data.trim() === "") throw new UsageError("--data: empty path");
  return {
    seed: flags.seed !== undefined ? parseCount(flags.seed, "--seed") : undefined,
    tuning,
    requestTimeoutMs: parseCount(flags.requestTimeoutMs, "--request-timeout-ms", 1),
    protocolOptions,
    dataDir: flags.data !== undefined ? path.resolve(flags.data) : undefined,
    logFormat: flags.logFormat as LogFormat,
  };
}

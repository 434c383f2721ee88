/**
 * `synod serve <protocol>`: run one node of a cluster over TCP with file storage.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import type { Json } from "@synod/protocol";
import { cryptoRng, seededRng } from "../host/rng.js";
import { startNodeServer } from "../node-server.js";
import { findKit, UnknownProtocolError, type AnyKit, type ServeTuning } from "@synod/conformance";
import { DataDirLockedError } from "../storage/dir-lock.js";
import { StorageCorruptionError } from "../storage/errors.js";
import { formatAddress } from "../transport/address.js";
import { createNodeLog, LOG_FORMATS, type LogFormat } from "../ops/node-log.js";
import { EXIT_FAILURE, EXIT_STORAGE, EXIT_USAGE, UsageError, parseCount, parseNodeId, parsePeers, parsePort, parseRangeMs } from "./args.js";

interface ServeFlags {
  id: string;
  peers: string;
  clientPort: string;
  clientHost?: string;
  data: string;
  seed?: string;
  electionTimeoutMs?: string;
  heartbeatMs?: string;
  compactWalBytes?: string;
  batchEvents?: string;
  snapshotEveryEntries?: string;
  protocolOptions?: string;
  quiet?: boolean;
  logFormat: string;
  members?: string;
}

/** Build the `serve` subcommand. */
export function serveCommand(): Command {
  return new Command("serve")
    .description("run one node of a cluster over TCP on loopback, with fsync'd file storage")
    .argument("<protocol>", "the protocol to run (a registered protocol with a served node, e.g. raft)")
    .requiredOption("--id <id>", "this node's id, e.g. n1")
    .requiredOption("--peers <list>", "every node of the cluster: n1=127.0.0.1:7001,n2=127.0.0.1:7002,...")
    .requiredOption("--client-port <port>", "port for client requests (synod kv)")
    .option("--client-host <host>", "host for the client port (default: this node's peer host)")
    .requiredOption("--data <dir>", "data directory (created if missing)")
    .option("--seed <n>", "seed for the node's RNG (default: crypto randomness)")
    .option("--election-timeout-ms <min-max>", "election timeout range, e.g. 150-300 (pbft: its one view-change timeout, e.g. 2000)")
    .option("--heartbeat-ms <ms>", "leader heartbeat period")
    .option("--snapshot-every-entries <n>", "protocol snapshot every n applied entries (raft default here: 10000)")
    .option("--protocol-options <json>", "protocol options as a JSON object (raft: RaftOptions, e.g. '{\"readMode\":\"lease\"}'; unsafe variants are TEST-ONLY)")
    .option("--compact-wal-bytes <n>", "compact the write-ahead log past this size (default 8 MiB)")
    .option("--batch-events <n>", "group commit: step up to n queued events per fsync (default 1: one event at a time)")
    .option("--members <ids>", "the initial voting members, e.g. n1,n2,n3 (default: every node of --peers); a node not among them starts empty and waits for `synod admin add-node`")
    .option("--quiet", "log only warnings and errors")
    .option("--log-format <format>", `log lines as ${LOG_FORMATS.join(" or ")} (json: one object per line: time, node, level, event, fields)`, "text")
    .action(async (protocolName: string, flags: ServeFlags) => {
      process.exitCode = await serve(protocolName, flags);
    });
}

async function serve(protocolName: string, flags: ServeFlags): Promise<number> {
  let settings: ReturnType<typeof parseServeFlags>;
  try {
    settings = parseServeFlags(flags);
  } catch (err) {
    if (err instanceof UsageError) return usage(err.message);
    throw err;
  }
  let kit: AnyKit;
  try {
    kit = await findKit(protocolName);
  } catch (err) {
    if (err instanceof UnknownProtocolError) return usage(err.message);
    throw err;
  }
  const protocol = kit.serve;
  if (protocol === undefined) return usage(`${kit.name} has no served node (it runs under the simulator only)`);
  // A protocol with one timeout (PBFT's view change) honours the minimum only: it takes
  // "--election-timeout-ms N-N" (or N), and a range it could not honour is refused, not dropped.
  if (settings.tuning.electionTimeoutMsMax !== undefined && protocol.knobs.electionTimeoutMsMax === undefined && protocol.knobs.electionTimeoutMsMin !== undefined) {
    const { electionTimeoutMsMin: lo, electionTimeoutMsMax: hi } = settings.tuning;
    if (hi !== lo) return usage(`${kit.name} takes one timeout, not a range: --election-timeout-ms ${lo}, not ${lo}-${hi}`);
    delete settings.tuning.electionTimeoutMsMax;
  }
  for (const knob of Object.keys(settings.tuning) as (keyof ServeTuning)[]) {
    if (protocol.knobs[knob] === undefined) return usage(`${kit.name} does not honour ${KNOB_FLAGS[knob]} (its knobs: ${Object.keys(protocol.knobs).map((k) => KNOB_FLAGS[k as keyof ServeTuning]).join(", ") || "none"})`);
  }
  const { id, peers } = settings;
  const nodeLog = createNodeLog({ node: id, format: settings.logFormat, quiet: settings.quiet, write: (line) => process.stderr.write(`${line}\n`) });
  const log = (line: string): void => nodeLog.line(line);
  let exiting = false;
  const fail = (code: number, line: string): void => {
    if (exiting) return;
    exiting = true;
    log(line);
    process.exit(code);
  };
  // Handlers go in before anything starts, so a signal at any moment means a clean stop.
  let signalled: ((signal: string) => void) | null = null;
  let pendingSignal: string | null = null;
  const onSignal = (signal: string): void => {
    if (signalled) signalled(signal);
    else pendingSignal ??= signal;
  };
  process.once("SIGINT", () => onSignal("SIGINT"));
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  const others = settings.members.filter((p) => p !== id);
  const join = !settings.members.includes(id);
  if (join && protocol.admin?.addNode === undefined) return usage(`--members: ${id} is not among them, but ${kit.name} cannot add a node to a running cluster`);
  const rng = settings.seed !== undefined ? seededRng(settings.seed) : cryptoRng();
  let server;
  try {
    server = await startNodeServer({
      id,
      peers,
      clientListen: settings.clientListen,
      dataDir: settings.dataDir,
      compactWalBytesMin: settings.compactWalBytes,
      batchEventsMax: settings.batchEvents,
      createNode: (durable) => protocol.createNode({ id, peers: others, ...(join ? { join } : {}), rng, durable, tuning: settings.tuning, options: settings.protocolOptions }),
      checkMessage: protocol.checkMessage,
      log,
      status: (node) => kit.status(node),
      protocol: kit.name,
      clientPolicy: protocol.client !== undefined,
      onEvent: (event, fields) => nodeLog.event(event, fields),
      onFatal: (err) => fail(err instanceof StorageCorruptionError ? EXIT_STORAGE : EXIT_FAILURE, `stopped: ${describe(err)}`),
    });
  } catch (err) {
    if (err instanceof StorageCorruptionError || protocol.isStorageError(err)) {
      log(`refusing to start: durable state in ${settings.dataDir} is damaged: ${describe(err)}`);
      return EXIT_STORAGE;
    }
    if (protocol.isConfigError(err)) return usage(`--protocol-options: ${describe(err)}`);
    if (err instanceof DataDirLockedError) {
      log(`refusing to start: ${err.message}`);
      return EXIT_FAILURE;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE" || e.code === "EACCES" || e.code === "EADDRNOTAVAIL") {
      log(`cannot listen: ${e.message}`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  const self = peers.get(id)!;
  log(`serving ${kit.name}: peers on ${formatAddress(self)}, clients on ${formatAddress(settings.clientListen)}, data in ${settings.dataDir}`);
  nodeLog.event("started", { protocol: kit.name, peers: formatAddress(self), clients: formatAddress(settings.clientListen), data: settings.dataDir, members: settings.members, joining: join });
  await new Promise<void>((resolve) => {
    signalled = (signal: string): void => {
      log(`${signal}: shutting down`);
      void server.stop().then(resolve);
    };
    if (pendingSignal !== null) signalled(pendingSignal);
  });
  return 0;
}

function parseServeFlags(flags: ServeFlags) {
  const id = parseNodeId(flags.id, "--id");
  const peers = parsePeers(flags.peers, "--peers");
  const self = peers.get(id);
  if (!self) throw new UsageError(`--peers: does not list this node (--id ${id})`);
  if (peers.size < 1) throw new UsageError("--peers: empty");
  const clientListen = { host: flags.clientHost ?? self.host, port: parsePort(flags.clientPort, "--client-port") };
  for (const [peerId, a] of peers) {
    if (a.host === clientListen.host && a.port === clientListen.port) {
      throw new UsageError(`--client-port: ${clientListen.port} is ${peerId}'s peer port`);
    }
  }
  if (flags.data.trim() === "") throw new UsageError("--data: empty path");
  if (fs.existsSync(flags.data) && !fs.statSync(flags.data).isDirectory()) throw new UsageError(`--data: ${flags.data} is not a directory`);
  const tuning: ServeTuning = {};
  if (flags.electionTimeoutMs !== undefined) {
    const [lo, hi] = parseRangeMs(flags.electionTimeoutMs, "--election-timeout-ms");
    tuning.electionTimeoutMsMin = lo;
    tuning.electionTimeoutMsMax = hi;
  }
  if (flags.snapshotEveryEntries !== undefined) tuning.snapshotEveryEntries = parseCount(flags.snapshotEveryEntries, "--snapshot-every-entries", 1);
  if (flags.heartbeatMs !== undefined) tuning.heartbeatMs = parseCount(flags.heartbeatMs, "--heartbeat-ms", 1);
  if (tuning.heartbeatMs !== undefined && tuning.electionTimeoutMsMin !== undefined && tuning.heartbeatMs >= tuning.electionTimeoutMsMin) {
    throw new UsageError(`--heartbeat-ms: ${tuning.heartbeatMs} must be below the election timeout minimum ${tuning.electionTimeoutMsMin}`);
  }
  return {
    id,
    peers,
    clientListen,
    dataDir: path.resolve(flags.data),
    seed: flags.seed !== undefined ? parseCount(flags.seed, "--seed") : undefined,
    tuning,
    compactWalBytes: flags.compactWalBytes !== undefined ? parseCount(flags.compactWalBytes, "--compact-wal-bytes", 1024) : undefined,
    protocolOptions: parseJsonObject(flags.protocolOptions, "--protocol-options"),
    batchEvents: flags.batchEvents !== undefined ? parseCount(flags.batchEvents, "--batch-events", 1) : undefined,
    quiet: flags.quiet === true,
    logFormat: parseLogFormat(flags.logFormat),
    members: parseMembers(flags.members, peers),
  };
}

function parseLogFormat(text: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(text)) throw new UsageError(`--log-format: "${text}" is not one of ${LOG_FORMATS.join(", ")}`);
  return text as LogFormat;
}

function parseMembers(text: string | undefined, peers: ReadonlyMap<string, unknown>): string[] {
  if (text === undefined) return [...peers.keys()];
  const ids = text.split(",").map((s) => s.trim());
  ids.forEach((m, i) => {
    parseNodeId(m, `--members entry ${i + 1}`);
    if (!peers.has(m)) throw new UsageError(`--members entry ${i + 1}: ${m} is not in --peers`);
  });
  if (new Set(ids).size !== ids.length) throw new UsageError("--members: a node id appears twice");
  return ids;
}

function parseJsonObject(text: string | undefined, option: string): { [key: string]: Json } {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${option}: not JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new UsageError(`${option}: must be a JSON object`);
  return value as { [key: string]: Json };
}

/** The flag that sets each tuning knob (for messages). */
const KNOB_FLAGS: Record<keyof ServeTuning, string> = {
  electionTimeoutMsMin: "--election-timeout-ms",
  electionTimeoutMsMax: "--election-timeout-ms",
  heartbeatMs: "--heartbeat-ms",
  snapshotEveryEntries: "--snapshot-every-entries",
};

function usage(message: string): number {
  process.stderr.write(`synod serve: ${message}\n`);
  return EXIT_USAGE;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

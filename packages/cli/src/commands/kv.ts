/**
 * `synod kv`: a client of the replicated key-value store. Finds the leader by following
 * `not-leader` hints and retries with the same `(clientId, seq)`, so a retried write applies once.
 *
 * @module
 */
import { Command } from "commander";
import type { Address } from "../transport/address.js";
import { ClusterClient, type ClientOutcome, type ClusterClientOptions } from "../transport/cluster-client.js";
import { CLUSTER_ENV, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parseCount, parseDurationMs, resolveCluster } from "./args.js";

import type { KvCommand, KvResult } from "@synod/kv";
import type { Json } from "@synod/protocol";
import { findKit } from "@synod/conformance";
import { randomUUID } from "node:crypto";

/** A version vector: for each coordinator, the highest counter of the key's writes seen (Dynamo's get context). */
export type VersionContext = { [node: string]: number };

/**
 * The commands of the replicated KV store; a put to a store that keeps concurrent writes as
 * siblings (Dynamo) carries the context of the get it overwrites (`{}`: a blind write).
 */
export type KvRequest = KvCommand | { op: "put"; key: string; value: string; context: VersionContext };

/** A get's answer from a store that keeps concurrent writes (Dynamo): every sibling, and the context to write over them. */
export interface SiblingsReply {
  op: "get";
  key: string;
  siblings: { value: string; dot: string }[];
  context: VersionContext;
}

/** The results of the replicated KV store. */
export type KvReply = KvResult | SiblingsReply;

interface KvFlags {
  cluster?: string;
  timeout: string;
  json?: boolean;
  clientId?: string;
  seq?: string;
  protocol?: string;
  protocolOptions?: string;
}

/** Build the `kv` subcommand with `get`, `put`, `delete` and `cas`. */
export function kvCommand(): Command {
  const kv = new Command("kv")
    .description("read and write the replicated key-value store of a running cluster")
    .option("--cluster <list>", `client addresses of the nodes: 127.0.0.1:8001,127.0.0.1:8002,... (default: $${CLUSTER_ENV}); one is enough, followers redirect to the leader`)
    .option("--timeout <duration>", "give up after this long (the outcome is then unknown)", "5s")
    .option("--json", "print the outcome as one JSON object")
    .option("--client-id <id>", "client id for deduplication (default: random)")
    .option("--seq <n>", "sequence number of this request (default 1; reuse it to retry exactly-once)")
    .option("--protocol <name>", "the cluster's protocol, where its clients must do more than take one node's answer (pbft: signed requests, f + 1 matching replies)")
    .option("--protocol-options <json>", "the protocol's client options as JSON, e.g. '{\"keys\":\"keys/client-alice.json\"}'");
  const run = (request: () => KvRequest) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    process.exitCode = await runKv(cmd.optsWithGlobals() as KvFlags, request);
  };
  kv.command("get").description("print the value of KEY (from a Dynamo cluster: every sibling, one per line, then the line `context: <json>` to put over them)").argument("<key>").action(function (this: Command, key: string) {
    return run(() => ({ op: "get", key }))(this);
  });
  kv.command("put")
    .description("set KEY to VALUE")
    .argument("<key>")
    .argument("<value>")
    .option("--context <json>", "Dynamo: the context a get printed, so the write replaces the siblings that get saw ('{}': a blind write, kept beside every sibling)")
    .action(function (this: Command, key: string, value: string, opts: { context?: string }) {
      return run(() => (opts.context === undefined ? { op: "put", key, value } : { op: "put", key, value, context: parseContext(opts.context) }))(this);
    });
  kv.command("delete").description("remove KEY").argument("<key>").action(function (this: Command, key: string) {
    return run(() => ({ op: "delete", key }))(this);
  });
  kv.command("cas")
    .description("set KEY to NEW if it currently holds OLD (with --old-absent: if KEY is absent; then give only NEW)")
    .argument("<key>")
    .argument("<values...>", "OLD NEW, or NEW with --old-absent")
    .option("--old-absent", "expect KEY to be absent")
    .action(function (this: Command, key: string, values: string[], opts: { oldAbsent?: boolean }) {
      return run(() => {
        if (opts.oldAbsent) {
          if (values.length !== 1) throw new UsageError("cas --old-absent: expected KEY NEW");
          return { op: "cas", key, expected: null, value: values[0]! };
        }
        if (values.length !== 2) throw new UsageError("cas: expected KEY OLD NEW (or --old-absent KEY NEW)");
        return { op: "cas", key, expected: values[0]!, value: values[1]! };
      })(this);
    });
  return kv;
}

/** A `--context` version vector: a JSON object of node → positive integer counter. */
function parseContext(text: string): VersionContext {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--context: not JSON (${(err as Error).message})`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UsageError("--context: expected a JSON object of node -> counter, e.g. '{\"n1\":2}'");
  for (const [node, n] of Object.entries(v)) {
    if (!(Number.isSafeInteger(n) && (n as number) >= 1)) throw new UsageError(`--context: ${JSON.stringify(node)}: expected a positive integer counter, got ${JSON.stringify(n)}`);
  }
  return v as VersionContext;
}

async function runKv(flags: KvFlags, build: () => KvRequest): Promise<number> {
  let cluster: Address[];
  let timeoutMs: number;
  let request: KvRequest;
  let firstSeq: number;
  try {
    cluster = resolveCluster(flags.cluster);
    timeoutMs = parseDurationMs(flags.timeout, "--timeout");
    firstSeq = flags.seq !== undefined ? parseCount(flags.seq, "--seq", 1) : 1;
    if (flags.clientId !== undefined && flags.clientId.trim() === "") throw new UsageError("--client-id: empty");
    request = build();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`synod kv: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  let policy: Pick<ClusterClientOptions, "replyQuorum" | "seal" | "replies"> = {};
  const clientId = flags.clientId ?? randomUUID();
  if (flags.protocol !== undefined) {
    let options: { [key: string]: Json } = {};
    try {
      if (flags.protocolOptions !== undefined) {
        const parsed = JSON.parse(flags.protocolOptions) as unknown;
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("expected a JSON object");
        options = parsed as { [key: string]: Json };
      }
      const kit = await findKit(flags.protocol);
      if (kit.serve?.client === undefined) throw new Error(`${kit.name}'s clients need nothing beyond one node's answer: leave --protocol out`);
      policy = kit.serve.client({ clientId, nodes: cluster.length, options }) as typeof policy;
    } catch (err) {
      process.stderr.write(`synod kv: --protocol ${flags.protocol}: ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
  } else if (flags.protocolOptions !== undefined) {
    process.stderr.write("synod kv: --protocol-options needs --protocol\n");
    return EXIT_USAGE;
  }
  const client = new ClusterClient<KvRequest, KvReply>({ cluster, clientId, firstSeq, attemptTimeoutMs: Math.min(1000, timeoutMs), ...policy });
  try {
    const outcome = await client.request(request, timeoutMs);
    return report(request, outcome, client.clientId, firstSeq, flags.json === true);
  } finally {
    client.close();
  }
}

function report(request: KvRequest, outcome: ClientOutcome<KvReply>, clientId: string, seq: number, json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify({ request, clientId, seq, ...outcome })}\n`);
    if (outcome.status === "misconfigured") return EXIT_USAGE;
    return outcome.status === "ok" && !(request.op === "cas" && "ok" in outcome.result && !outcome.result.ok) ? EXIT_OK : EXIT_FAILURE;
  }
  switch (outcome.status) {
    case "ok":
      return printResult(request, outcome.result);
    case "rejected":
      process.stderr.write(`synod kv: rejected: ${outcome.detail}\n`);
      return EXIT_FAILURE;
    case "timeout":
      process.stderr.write(
        `synod kv: no answer after ${outcome.attempts} attempts (${outcome.lastProblem}); the outcome is unknown: retry with --client-id ${clientId} --seq ${seq} to apply it at most once\n`,
      );
      return EXIT_FAILURE;
    case "misconfigured":
      process.stderr.write(`synod kv: ${outcome.detail}\n`);
      return EXIT_USAGE;
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

function printResult(request: KvRequest, result: KvReply): number {
  if (request.op === "get" && "siblings" in result) {
    if (result.siblings.length === 0) {
      process.stderr.write(`synod kv: ${request.key}: not found\n`);
      return EXIT_FAILURE;
    }
    for (const s of result.siblings) process.stdout.write(`${s.value}\n`);
    process.stdout.write(`context: ${JSON.stringify(result.context)}\n`);
    return EXIT_OK;
  }
  const value = "value" in result ? (result.value ?? null) : null;
  switch (request.op) {
    case "get":
      if (value === null) {
        process.stderr.write(`synod kv: ${request.key}: not found\n`);
        return EXIT_FAILURE;
      }
      process.stdout.write(`${value}\n`);
      return EXIT_OK;
    case "put":
      process.stdout.write("OK\n");
      return EXIT_OK;
    case "delete":
      process.stdout.write(value === null ? "OK (was absent)\n" : `OK (was ${value})\n`);
      return EXIT_OK;
    case "cas":
      if ("ok" in result && result.ok) {
        process.stdout.write("OK\n");
        return EXIT_OK;
      }
      process.stderr.write(`synod kv: cas failed: ${request.key} is ${value === null ? "absent" : JSON.stringify(value)}\n`);
      return EXIT_FAILURE;
    default: {
      const never: never = request;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}

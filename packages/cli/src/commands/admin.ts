/**
 * `synod admin`: membership changes and leadership transfer on a running cluster, each sent as the
 * client command the protocol's kit names for it (`ServedNode.admin`), through the same client as
 * `synod kv` (it follows redirects to the leader and retries exactly-once).
 *
 * The protocol is the one the nodes say they run (asked with a status request), or `--protocol`.
 *
 * @module
 */
import { Command } from "commander";
import { findKit, UnknownProtocolError, type AnyKit, type ServedAdmin, type KitTypes } from "@synod/conformance";
import type { Address } from "../transport/address.js";
import { ClusterClient } from "../transport/cluster-client.js";
import { queryStatus } from "../transport/status-client.js";
import { CLUSTER_ENV, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parseDurationMs, parseNodeId, resolveCluster } from "./args.js";

interface AdminFlags {
  cluster?: string;
  protocol?: string;
  timeout: string;
}

type Operation = "addNode" | "removeNode" | "transferLeader";

const OPERATIONS: { name: string; op: Operation; description: string }[] = [
  { name: "add-node", op: "addNode", description: "add NODE as a voting member (serve it first with --members naming the current members only)" },
  { name: "remove-node", op: "removeNode", description: "remove NODE from the membership" },
  { name: "transfer-leader", op: "transferLeader", description: "hand leadership to NODE" },
];

/** Build the `admin` subcommand with `add-node`, `remove-node` and `transfer-leader`. */
export function adminCommand(): Command {
  const admin = new Command("admin")
    .description("change a running cluster's membership or leader")
    .option("--cluster <list>", `client addresses of the nodes: 127.0.0.1:8001,... (default: $${CLUSTER_ENV})`)
    .option("--protocol <name>", "the protocol the nodes run (default: ask them)")
    .option("--timeout <duration>", "give up after this long (the outcome is then unknown)", "10s");
  for (const { name, op, description } of OPERATIONS) {
    admin
      .command(name)
      .description(description)
      .argument("<node>", "a node id")
      .action(async function (this: Command, node: string) {
        process.exitCode = await runAdmin(name, op, node, this.optsWithGlobals() as AdminFlags);
      });
  }
  return admin;
}

async function runAdmin(name: string, op: Operation, nodeText: string, flags: AdminFlags): Promise<number> {
  const fail = (message: string, code: number): number => {
    process.stderr.write(`synod admin ${name}: ${message}\n`);
    return code;
  };
  let cluster: Address[];
  let timeoutMs: number;
  let node: string;
  try {
    cluster = resolveCluster(flags.cluster);
    timeoutMs = parseDurationMs(flags.timeout, "--timeout");
    node = parseNodeId(nodeText, "NODE");
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, EXIT_USAGE);
    throw err;
  }
  let protocol = flags.protocol;
  if (protocol === undefined) {
    const asked = await askProtocol(cluster, Math.min(timeoutMs, 2000));
    if (!asked.ok) return fail(`cannot tell which protocol the cluster runs (${asked.problem}); pass --protocol`, EXIT_FAILURE);
    protocol = asked.protocol;
  }
  let kit: AnyKit;
  try {
    kit = await findKit(protocol);
  } catch (err) {
    if (err instanceof UnknownProtocolError) return fail(err.message, EXIT_USAGE);
    throw err;
  }
  const admin: ServedAdmin<KitTypes> | undefined = kit.serve?.admin;
  const build = admin?.[op];
  if (admin === undefined || build === undefined) return fail(`${kit.name} has no ${name} operation`, EXIT_USAGE);
  const client = new ClusterClient<unknown, unknown>({ cluster, attemptTimeoutMs: Math.min(1000, timeoutMs) });
  try {
    const outcome = await client.request(build.call(admin, node), timeoutMs);
    switch (outcome.status) {
      case "ok":
        if (admin.succeeded !== undefined && !admin.succeeded(outcome.result)) return fail(`refused: ${JSON.stringify(outcome.result)}`, EXIT_FAILURE);
        process.stdout.write(`OK (${name} ${node}, answered by ${outcome.nodeId ?? "the leader"})\n`);
        return EXIT_OK;
      case "rejected":
        return fail(`rejected: ${outcome.detail}`, EXIT_FAILURE);
      case "timeout":
        return fail(`no answer after ${outcome.attempts} attempts (${outcome.lastProblem}); the change may still take effect: check with synod status`, EXIT_FAILURE);
      case "misconfigured":
        return fail(outcome.detail, EXIT_USAGE);
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  } finally {
    client.close();
  }
}

async function askProtocol(cluster: readonly Address[], timeoutMs: number): Promise<{ ok: true; protocol: string } | { ok: false; problem: string }> {
  const problems: string[] = [];
  for (const a of cluster) {
    const r = await queryStatus(a, timeoutMs);
    if (r.ok && r.answer.protocol !== null) return { ok: true, protocol: r.answer.protocol };
    problems.push(r.ok ? `${r.answer.nodeId} did not say` : r.problem);
  }
  return { ok: false, problem: problems.join("; ") };
}

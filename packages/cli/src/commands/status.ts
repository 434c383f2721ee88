/**
 * `synod status`: ask every node of a cluster what it says about itself and print it side by side;
 * exit 1 when something is wrong (a node unreachable, no leader, nodes that disagree).
 *
 * @module
 */
import { Command } from "commander";
import { judgeCluster, type NodeRow } from "../ops/cluster-status.js";
import { formatAddress } from "../transport/address.js";
import { queryStatus } from "../transport/status-client.js";
import { CLUSTER_ENV, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parseDurationMs, resolveCluster } from "./args.js";
import { renderTable } from "./table.js";

interface StatusFlags {
  cluster?: string;
  json?: boolean;
  timeout: string;
}

/** Build the `status` subcommand. */
export function statusCommand(): Command {
  return new Command("status")
    .description("every node's role, epoch (term, ballot or view), leader, commit and apply index and membership; exit 1 when there is no agreed leader or a node does not answer")
    .option("--cluster <list>", `client addresses of the nodes: 127.0.0.1:8001,... (default: $${CLUSTER_ENV})`)
    .option("--json", "print one JSON object: nodes, leader, problems")
    .option("--timeout <duration>", "how long to wait for each node", "2s")
    .action(async (flags: StatusFlags) => {
      process.exitCode = await runStatus(flags);
    });
}

async function runStatus(flags: StatusFlags): Promise<number> {
  let cluster;
  let timeoutMs: number;
  try {
    cluster = resolveCluster(flags.cluster);
    timeoutMs = parseDurationMs(flags.timeout, "--timeout");
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`synod status: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const rows: NodeRow[] = await Promise.all(cluster.map(async (a) => ({ address: formatAddress(a), outcome: await queryStatus(a, timeoutMs) })));
  const verdict = judgeCluster(rows);
  if (flags.json === true) {
    const nodes = rows.map((r) => (r.outcome.ok ? { address: r.address, reachable: true, node: r.outcome.answer.nodeId, protocol: r.outcome.answer.protocol, ...r.outcome.answer.status } : { address: r.address, reachable: false, problem: r.outcome.problem }));
    process.stdout.write(`${JSON.stringify({ ok: verdict.problems.length === 0, leader: verdict.leader, problems: verdict.problems, nodes })}\n`);
  } else {
    // The protocol's own word for its epoch when every node agrees on it (Raft: term).
    const names = new Set(rows.map((r) => (r.outcome.ok ? (r.outcome.answer.status.epochName ?? "epoch") : null)).filter((n) => n !== null));
    const epochName = names.size === 1 ? [...names][0]! : "epoch";
    const header = ["address", "node", "role", epochName, "leader", "commit", "applied", "members"];
    const body = rows.map((r) => {
      if (!r.outcome.ok) return [r.address, "?", "unreachable", "", "", "", "", ""];
      const { nodeId, status: s } = r.outcome.answer;
      const members = [...s.members, ...(s.learners ?? []).map((l) => `${l}(learner)`)].join(",");
      return [r.address, nodeId, s.role, String(s.epoch), s.leaderId ?? "-", String(s.commitIndex), String(s.appliedIndex), members];
    });
    process.stdout.write(`${renderTable(header, body)}\n`);
    if (verdict.problems.length === 0) process.stdout.write(`ok: leader ${verdict.leader}\n`);
    for (const p of verdict.problems) process.stdout.write(`problem: ${p}\n`);
  }
  return verdict.problems.length === 0 ? EXIT_OK : EXIT_FAILURE;
}

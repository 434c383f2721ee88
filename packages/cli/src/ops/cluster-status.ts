/**
 * The cluster as its nodes describe it: every node's status side by side, and what is wrong with
 * the picture (unreachable nodes, no leader, two leaders, nodes that disagree on the leader or the
 * membership). Protocol-agnostic: it reads only the kit's `NodeStatus`.
 *
 * @module
 */
import type { NodeStatusAnswer, StatusOutcome } from "../transport/status-client.js";

/** One node's row: its address and its answer, or why there is none. */
export interface NodeRow {
  address: string;
  outcome: StatusOutcome;
}

/** The verdict on a cluster. */
export interface ClusterVerdict {
  /** The leader every reachable node agrees on (`null`: none, or they disagree). */
  leader: string | null;
  /** What is wrong, one sentence each; empty when the cluster is healthy. */
  problems: string[];
}

/** Judge the rows: a healthy cluster has every node reachable, one leader all agree on, one membership. */
export function judgeCluster(rows: readonly NodeRow[]): ClusterVerdict {
  const problems: string[] = [];
  const answers: NodeStatusAnswer[] = [];
  for (const r of rows) {
    if (r.outcome.ok) answers.push(r.outcome.answer);
    else problems.push(`unreachable: ${r.outcome.problem}`);
  }
  if (answers.length === 0) return { leader: null, problems: [...problems, "no node answered"] };
  const claimants = answers.filter((a) => a.status.leader);
  const maxEpoch = Math.max(...answers.map((a) => a.status.epoch));
  // A deposed leader may still believe it leads in an older epoch; the current one is at the top.
  const current = claimants.filter((a) => a.status.epoch === maxEpoch);
  let leader: string | null = null;
  if (claimants.length === 0) problems.push("no leader: no node believes it leads");
  else if (current.length > 1) problems.push(`two leaders in epoch ${maxEpoch}: ${current.map((a) => a.nodeId).join(", ")}`);
  else if (current.length === 0) problems.push(`no leader in the latest epoch ${maxEpoch} (${claimants.map((a) => `${a.nodeId} leads epoch ${a.status.epoch}`).join(", ")})`);
  else leader = current[0]!.nodeId;
  for (const stale of claimants.filter((a) => a.status.epoch < maxEpoch)) problems.push(`${stale.nodeId} still believes it leads epoch ${stale.status.epoch} (latest ${maxEpoch})`);
  if (leader !== null) {
    const members = answers.find((a) => a.nodeId === leader)!.status.members;
    for (const a of answers) {
      if (a.nodeId === leader) continue;
      if (a.status.leaderId !== leader) problems.push(`${a.nodeId} follows ${a.status.leaderId ?? "no leader"}, not ${leader}`);
    }
    // Only voters must agree with the leader on membership: a removed node keeps its last view.
    for (const a of answers) {
      if (a.nodeId !== leader && members.includes(a.nodeId) && a.status.members.join(",") !== members.join(",")) {
        problems.push(`${a.nodeId} has members ${a.status.members.join(",")}, the leader ${members.join(",")}`);
      }
    }
  }
  const protocols = new Set(answers.map((a) => a.protocol));
  if (protocols.size > 1) problems.push(`nodes run different protocols: ${[...protocols].join(", ")}`);
  return { leader, problems };
}

/**
 * RaftExt.tla's per-node invariants on a live production node, for the histories check
 * (`HistoriesPart.invariant`): checked by conformance after every step that wrote to storage, on
 * correct and broken builds alike (the node's own assertions are off in broken builds).
 *
 * @module
 */
import type { Ready } from "@synod/protocol";
import { sameMembership } from "../membership.js";
import type { RaftKvNode } from "../node.js";
import type { LogEntry } from "../types.js";

/**
 * `null` when the node's state satisfies RaftExt's `LogTermsMonotonic` (the snapshot's last term,
 * then the terms of the log entries after it, never decrease and never exceed the current term)
 * and `SnapshotCommitted` (the snapshot ≤ the commit index ≤ the last index), and that the node
 * uses RaftExt's `ServerConfig`, the last configuration entry of its log, committed or not (checked
 * when the log holds one: the snapshot's or the bootstrap configuration is not in `inspect()`);
 * and, after every step, that a leader outside its configuration has not yet committed that
 * configuration (it steps down once it does: Raft thesis, 4.2.2); else the violation.
 * Steps that wrote nothing to storage changed neither the log nor the snapshot, so they are skipped;
 * a restart is always checked (the state recovered from storage).
 */
export function raftNodeInvariant(node: Pick<RaftKvNode, "inspect" | "snapshotInfo">, step: { event: string; ready: Ready<unknown, unknown, unknown> | null }): string | null {
  const s = node.inspect();
  // On every step: a commit writes nothing to storage.
  if (s.role === "leader" && !s.config.voters.includes(s.id)) {
    const at = lastConfigIndex(s);
    if (at !== null && at <= s.commitIndex) return `LeaderInConfig: ${s.id} leads in term ${s.term} although the configuration that leaves it out (index ${at}) is committed (commit index ${s.commitIndex})`;
  }
  // RaftExt's AppendEntries(i, j) and InstallSnapshot(i, j) need j \in ServerConfig(i): a leader
  // replicates to the members of its configuration only (a removed node's progress is dropped).
  if (s.role === "leader") {
    for (const e of step.ready?.send ?? []) {
      const type = (e.message as { type?: string }).type;
      if ((type === "AppendEntriesRequest" || type === "HeartbeatRequest" || type === "InstallSnapshotRequest") && !s.config.voters.includes(e.to) && !s.config.learners.includes(e.to)) {
        return `ReplicateToMembers: ${s.id} sent ${type} to ${e.to}, which is not in its configuration (voters [${s.config.voters.join(", ")}] learners [${s.config.learners.join(", ")}])`;
      }
    }
  }
  if (step.event !== "restart" && (step.ready === null || step.ready.persist.length === 0)) return null;
  let prevTerm = s.snapshotTerm;
  let prevIndex = s.snapshotIndex;
  for (let k = 0; k < s.log.length; k++) {
    const t = (s.log[k] as { term: number }).term;
    const index = s.snapshotIndex + 1 + k;
    if (t < prevTerm) {
      return `LogTermsMonotonic: the entry at index ${index} has term ${t}, below the term ${prevTerm} at index ${prevIndex}${prevIndex === s.snapshotIndex ? " (the snapshot's last entry)" : ""}`;
    }
    prevTerm = t;
    prevIndex = index;
  }
  for (let k = s.log.length - 1; k >= 0; k--) {
    const c = (s.log[k] as LogEntry).command;
    if (c.type !== "config") continue;
    if (!sameMembership(c.config, s.config)) {
      return `ServerConfig: the node uses voters [${s.config.voters.join(", ")}] learners [${s.config.learners.join(", ")}], but its log's last configuration (index ${s.snapshotIndex + 1 + k}) has voters [${c.config.voters.join(", ")}] learners [${c.config.learners.join(", ")}]`;
    }
    break;
  }
  if (prevTerm > s.term) return `LogTermsMonotonic: the last entry's term ${prevTerm} exceeds the current term ${s.term}`;
  const last = s.snapshotIndex + s.log.length;
  // The log's base may lie below the latest snapshot (`snapshotRetainEntries`): the snapshot bounds.
  const snap = Math.max(s.snapshotIndex, node.snapshotInfo.latestIndex);
  if (s.commitIndex < snap || s.commitIndex > last) {
    return `SnapshotCommitted: commit index ${s.commitIndex} outside [${snap}, ${last}] (snapshot, last index)`;
  }
  return null;
}

/** The index of the log's last configuration entry, or null when the log holds none. */
function lastConfigIndex(s: { snapshotIndex: number; log: readonly LogEntry[] }): number | null {
  for (let k = s.log.length - 1; k >= 0; k--) if ((s.log[k] as LogEntry).command.type === "config") return s.snapshotIndex + 1 + k;
  return null;
}

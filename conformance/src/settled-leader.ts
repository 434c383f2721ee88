/**
 * The settled-leader judge: what a history of leader claims under an election without leases
 * (Bully, the Chang–Roberts ring) must satisfy. Such elections promise nothing while faults go on
 * (a partition elects a leader on each side, a slow answer elects two); they promise that once
 * the faults stop and the election settles, one leader is left — the one the algorithm picks (the
 * highest-ranked live node) — and every node names it.
 *
 * The history's vocabulary: `f: "lead"` for the workload's claims and `f: "lead-settled"` for the
 * queries made after every fault healed and every node restarted (the histories check's final
 * commands); invoke value `null`; ok value `{ node, generation: null, leaseRemainingMs: null }`.
 * Every ok answer, settled or not, must come from a member. Every settled answer must come from
 * the expected leader, and at least one settled query must have been answered. Any other
 * operation or value shape is a malformed history, never skipped.
 *
 * @module
 */
import type { HistoryEvent, Judge, JudgeVerdict } from "./judge.js";

/** Options of {@link settledLeader}. */
export interface SettledLeaderOptions {
  /** The members (answers from anyone else are malformed). */
  members: readonly string[];
  /** The node the election must settle on once nothing fails (for Bully and the ring: the highest-ranked). */
  expected: string;
}

/** The settled-leader judge (see the module comment). */
export function settledLeader(options: SettledLeaderOptions): Judge {
  const { members, expected } = options;
  if (!members.includes(expected)) throw new RangeError(`settled-leader judge: expected leader ${JSON.stringify(expected)} is not a member (${members.join(", ")})`);
  return {
    name: "settled-leader",
    promise: `once faults stop and the election settles, every answer names ${expected} as the leader`,
    check: (history) => judge(history, members, expected),
  };
}

function judge(history: readonly HistoryEvent[], members: readonly string[], expected: string): JudgeVerdict {
  const bad = (why: string): JudgeVerdict => ({ verdict: "violation", explanation: `malformed leadership history: ${why}` });
  let claims = 0;
  let settled = 0;
  for (let k = 0; k < history.length; k++) {
    const e = history[k]!;
    const where = `event ${k} (process ${String(e.process)})`;
    if (e.f !== "lead" && e.f !== "lead-settled") return bad(`${where}: operation ${JSON.stringify(e.f)} is neither lead nor lead-settled`);
    if (e.type !== "ok") continue;
    const v = e.value as { node?: unknown; generation?: unknown; leaseRemainingMs?: unknown } | null;
    if (typeof v?.node !== "string" || v.generation !== null || v.leaseRemainingMs !== null) {
      return bad(`${where}: lead result ${JSON.stringify(v)} is not { node, generation: null, leaseRemainingMs: null }`);
    }
    if (!members.includes(v.node)) return bad(`${where}: ${JSON.stringify(v.node)} is not a member (${members.join(", ")})`);
    if (e.f === "lead") {
      claims++;
      continue;
    }
    settled++;
    if (v.node !== expected) {
      return { verdict: "violation", explanation: `after every fault healed and every node restarted, ${v.node} still claims to lead (${where}); the election must settle on ${expected}` };
    }
  }
  if (settled === 0) return { verdict: "violation", explanation: "no query after the faults stopped was answered: the election never settled on a leader" };
  return { verdict: "ok", detail: `${claims} claims under faults; all ${settled} settled answers name ${expected}` };
}

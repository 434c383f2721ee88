/**
 * The atomic-commitment judge: what a history of transactions under an atomic commit protocol
 * must satisfy. Each transaction is all-or-nothing (no participant commits it while another, the
 * coordinator or the client's answer says it aborted), and commits only with a yes vote from
 * every participant (none of which the client asked to refuse).
 *
 * The history's vocabulary (the service of a protocol that is judged this way writes it):
 *
 * - `f: "txn"`: invoke value `{ refuse: [participant, ...] }` (participants that must vote no);
 *   ok value `{ txn, outcome: "committed" | "aborted" }`.
 * - `f: "decisions"`, the reads made after the cluster has healed and every node restarted: ok
 *   value `{ node, role: "participant", decisions: { [txn]: { state, vote } } }` with `state`
 *   `prepared | committed | aborted` and `vote` `yes | no | none`, or `{ node, role:
 *   "coordinator", decisions: { [txn]: "preparing" | "committed" | "aborted" } }`.
 *
 * A participant still `prepared` in its final read is a violation too: after healing and
 * recovery, every participant must have learnt the decision (the liveness the spec checks with
 * recovery and fairness). Any other operation is a malformed history, never skipped.
 *
 * @module
 */
import type { HistoryEvent, Judge, JudgeVerdict } from "./judge.js";

type Evidence = { who: string; state: string; at: string };

/** The atomic-commitment judge (see the module comment). */
export function atomicCommitment(): Judge {
  return {
    name: "atomic",
    promise: "every transaction is all-or-nothing, commits only with every participant's yes vote, and no participant stays in doubt after recovery",
    check: (history) => judge(history),
  };
}

function judge(history: readonly HistoryEvent[]): JudgeVerdict {
  const open = new Map<string, { event: HistoryEvent; k: number }>();
  const evidence = new Map<string, Evidence[]>();
  const refusedBy = new Map<string, string[]>();
  const participants = new Map<string, Record<string, { state: string; vote: string }>>();
  const add = (txn: string, e: Evidence): void => {
    const l = evidence.get(txn) ?? [];
    l.push(e);
    evidence.set(txn, l);
  };
  for (let k = 0; k < history.length; k++) {
    const e = history[k]!;
    const where = `event ${k} (${e.process})`;
    if (e.f !== "txn" && e.f !== "decisions") return bad(`${where}: operation ${JSON.stringify(e.f)} is not txn or decisions`);
    if (e.type === "invoke") {
      open.set(String(e.process), { event: e, k });
      continue;
    }
    const inv = open.get(String(e.process));
    open.delete(String(e.process));
    if (e.type !== "ok") continue;
    if (inv === undefined) return bad(`${where}: ok without an invocation`);
    const v = e.value as Record<string, unknown> | null;
    if (e.f === "txn") {
      if (typeof v?.txn !== "string" || (v.outcome !== "committed" && v.outcome !== "aborted")) return bad(`${where}: txn result ${JSON.stringify(v)} is not { txn, outcome }`);
      const refuse = (inv.event.value as { refuse?: unknown } | null)?.refuse;
      if (!Array.isArray(refuse)) return bad(`event ${inv.k}: txn invocation without a refuse list`);
      if (refuse.length > 0) refusedBy.set(v.txn, refuse.map(String));
      add(v.txn, { who: "the client's answer", state: v.outcome, at: where });
      continue;
    }
    if (typeof v?.node !== "string" || typeof v.decisions !== "object" || v.decisions === null) return bad(`${where}: decisions result ${JSON.stringify(v)} is not { node, role, decisions }`);
    if (v.role === "participant") {
      const ds = v.decisions as Record<string, { state: string; vote: string }>;
      participants.set(v.node, ds);
      for (const [txn, r] of Object.entries(ds)) add(txn, { who: `participant ${v.node} (vote ${r.vote})`, state: r.state, at: where });
    } else if (v.role === "coordinator") {
      for (const [txn, s] of Object.entries(v.decisions as Record<string, string>)) add(txn, { who: `coordinator ${v.node}`, state: s, at: where });
    } else return bad(`${where}: decisions role ${JSON.stringify(v.role)} is not participant or coordinator`);
  }
  if (participants.size === 0) return bad("no participant's decisions were read: the history cannot show atomicity");
  const say = (e: Evidence): string => `${e.who} says ${e.state} (${e.at})`;
  for (const [txn, es] of evidence) {
    const committed = es.find((e) => e.state === "committed");
    const aborted = es.find((e) => e.state === "aborted");
    if (committed && aborted) return violation(`transaction ${txn} is not all-or-nothing: ${say(committed)}, but ${say(aborted)}`);
    if (committed) {
      for (const [node, ds] of participants) {
        const r = ds[txn];
        if (r === undefined || r.vote !== "yes") return violation(`transaction ${txn} committed without every yes vote: ${say(committed)}, but participant ${node} ${r === undefined ? "has no record of it" : `voted ${r.vote}`}`);
      }
      const refused = refusedBy.get(txn);
      if (refused !== undefined) return violation(`transaction ${txn} committed although the client asked ${refused.join(", ")} to vote no: ${say(committed)}`);
    }
    const doubt = es.find((e) => e.state === "prepared");
    if (doubt) return violation(`transaction ${txn} is still in doubt after the cluster healed and every node restarted: ${say(doubt)}`);
  }
  return { verdict: "ok", detail: `${evidence.size} transactions, atomic (${participants.size} participants read)` };
}

function violation(explanation: string): JudgeVerdict {
  return { verdict: "violation", explanation };
}

function bad(problem: string): JudgeVerdict {
  return { verdict: "violation", explanation: `malformed history for the atomic-commitment judge: ${problem}` };
}

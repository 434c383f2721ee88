/**
 * The new-view decision of PBFT with authenticators (Castro's thesis, §3.2.4, with signed view
 * changes in place of acknowledgements): from a set S of view-change messages for view v, the
 * checkpoint the view starts from and, for every sequence number above it, which batch the new
 * primary pre-prepares again. Pure, so the new primary computes it and every backup recomputes it
 * from the view changes the new-view message carries.
 *
 * A batch d at sequence number n is chosen when some message in S claims a prepared certificate
 * ⟨n, d, v'⟩ and
 * - (a) 2f + 1 messages in S claim nothing prepared at n in a view above v', and nothing else in v';
 * - (b) f + 1 messages in S claim to have pre-prepared d at n in v' or later.
 * The null request is chosen when 2f + 1 messages claim nothing prepared at n. Otherwise S does
 * not decide n yet (more view changes must arrive). A faulty replica's claims alone reach neither
 * threshold, so a batch committed in an earlier view (prepared at f + 1 correct replicas, which
 * also pre-prepared it) is the only one that can be chosen at its sequence number.
 *
 * @module
 */
import { digestOf } from "./auth.js";
import type { CheckpointMsg, NewViewEntry, ViewChangeMsg } from "./messages.js";

/** The decision: the starting checkpoint and its proof, and the batches to pre-prepare again. */
export interface NewViewDecision {
  stable: { seq: number; digest: string; proof: CheckpointMsg[] };
  decisions: NewViewEntry[];
}

/** The digest of the null request's empty batch. */
export const NULL_DIGEST = digestOf([]);

/**
 * Decide the new view from `vcs` (each already verified; one per replica), or `null` when they do
 * not decide every sequence number yet. `f` is the number of faults tolerated.
 */
export function decideNewView(vcs: readonly ViewChangeMsg[], f: number): NewViewDecision | null {
  if (vcs.length < 2 * f + 1) return null;
  let stable = vcs[0]!.stable;
  for (const m of vcs) if (m.stable.seq > stable.seq) stable = m.stable;
  const h = stable.seq;
  let top = h;
  // max-s: the highest sequence number with a prepared claim (one only pre-prepared was committed nowhere).
  for (const m of vcs) for (const p of m.prepared) if (p.seq > top) top = p.seq;
  const preparedAt = vcs.map((m) => {
    const byseq = new Map<number, { view: number; digest: string; batch: NewViewEntry["batch"] }>();
    for (const p of m.prepared) {
      const old = byseq.get(p.seq);
      if (old === undefined || p.view > old.view) byseq.set(p.seq, { view: p.view, digest: p.digest, batch: p.batch });
    }
    return byseq;
  });
  const decisions: NewViewEntry[] = [];
  for (let n = h + 1; n <= top; n++) {
    const chosen = decideSeq(vcs, preparedAt, n, f);
    if (chosen === null) return null;
    decisions.push({ seq: n, ...chosen });
  }
  return { stable: { seq: stable.seq, digest: stable.digest, proof: stable.proof }, decisions };
}

function decideSeq(
  vcs: readonly ViewChangeMsg[],
  preparedAt: readonly Map<number, { view: number; digest: string; batch: NewViewEntry["batch"] }>[],
  n: number,
  f: number,
): { digest: string; batch: NewViewEntry["batch"] } | null {
  // Candidates: every prepared claim at n whose batch matches its digest, highest view first.
  const candidates: { view: number; digest: string; batch: NewViewEntry["batch"] }[] = [];
  for (const byseq of preparedAt) {
    const p = byseq.get(n);
    if (p !== undefined && digestOf(p.batch) === p.digest) candidates.push(p);
  }
  candidates.sort((a, b) => b.view - a.view || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  for (const c of candidates) {
    let a = 0;
    for (const byseq of preparedAt) {
      const p = byseq.get(n);
      if (p === undefined || p.view < c.view || (p.view === c.view && p.digest === c.digest)) a++;
    }
    let b = 0;
    for (const m of vcs) if (m.prePrepared.some((q) => q.seq === n && q.digest === c.digest && q.view >= c.view)) b++;
    if (a >= 2 * f + 1 && b >= f + 1) return { digest: c.digest, batch: c.batch };
  }
  let none = 0;
  for (const byseq of preparedAt) if (!byseq.has(n)) none++;
  return none >= 2 * f + 1 ? { digest: NULL_DIGEST, batch: [] } : null;
}

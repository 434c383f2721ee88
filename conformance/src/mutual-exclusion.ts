/**
 * The mutual-exclusion judge: what a history of lock holdings and protected writes must satisfy.
 * A lock is for keeping two holders from interleaving their use of a resource, so the judge looks
 * at the resource: in the order the storage accepted writes, no write of an earlier holder comes
 * after a write of a later one, unless the storage rejected it (fencing). Holders are ordered by
 * their fencing tokens, which the lock service hands out in the order of holdings.
 *
 * The history's vocabulary (a lock service judged this way writes it):
 *
 * - `f: "work"`: take the lock, write under it, let it go. Ok value `{ attempt, token, accepted }`:
 *   the holding's id, its fencing token, and whether the storage accepted its write.
 * - `f: "log"`, the storage's log read after the cluster has healed and every node restarted: ok
 *   value `{ writes: [{ attempt, token, value }] }`, the accepted writes in the storage's order.
 *
 * Violations, each reported with the smallest piece of history that shows it:
 * - a write accepted after a write of a later holder (the interleaving fencing prevents);
 * - one token given to two holdings, or one holding with two tokens;
 * - a write the client was told was accepted missing from the log, or a rejected one in it;
 * - one holding's write accepted twice.
 * Any other operation, or no log read at all, is a malformed history, never skipped.
 *
 * @module
 */
import type { HistoryEvent, Judge, JudgeVerdict } from "./judge.js";

/** One accepted write as the storage's log holds it. */
interface LoggedWrite {
  attempt: string;
  token: number;
}

/** One holding as its client was told about it. */
interface Holding {
  attempt: string;
  token: number;
  accepted: boolean;
  process: string;
  event: number;
}

/** The mutual-exclusion judge (see the module comment). */
export function mutualExclusion(): Judge {
  return {
    name: "mutual exclusion",
    promise: "no holder's write is accepted after a later holder's write (fencing tokens in order), every token names one holding, and the storage's log agrees with what clients were told",
    check: (history) => judge(history),
  };
}

function judge(history: readonly HistoryEvent[]): JudgeVerdict {
  const holdings: Holding[] = [];
  let log: LoggedWrite[] | null = null;
  let logAt = -1;
  for (let k = 0; k < history.length; k++) {
    const e = history[k]!;
    const where = `event ${k} (${e.process})`;
    if (e.f !== "work" && e.f !== "log") return bad(`${where}: operation ${JSON.stringify(e.f)} is not work or log`);
    if (e.type !== "ok") continue;
    const v = e.value as Record<string, unknown> | null;
    if (e.f === "work") {
      if (typeof v?.attempt !== "string" || !isToken(v.token) || typeof v.accepted !== "boolean") return bad(`${where}: work result ${JSON.stringify(v)} is not { attempt, token, accepted }`);
      holdings.push({ attempt: v.attempt, token: v.token, accepted: v.accepted, process: String(e.process), event: k });
      continue;
    }
    const ws = v?.writes;
    if (!Array.isArray(ws)) return bad(`${where}: log result ${JSON.stringify(v)} has no writes list`);
    const parsed: LoggedWrite[] = [];
    for (const [i, w] of ws.entries()) {
      const x = w as Record<string, unknown> | null;
      if (typeof x?.attempt !== "string" || !isToken(x.token)) return bad(`${where}: log entry ${i} ${JSON.stringify(w)} is not { attempt, token }`);
      parsed.push({ attempt: x.attempt, token: x.token });
    }
    log = parsed;
    logAt = k;
  }
  if (log === null) return bad("no log of the storage was read: the history cannot show the order of writes");

  // One token per holding and one holding per token, from what clients were told and the log.
  const tokenOf = new Map<string, { token: number; who: string }>();
  const holderOf = new Map<number, { attempt: string; who: string }>();
  const name = (attempt: string, token: number, who: string): string | null => {
    const t = tokenOf.get(attempt);
    if (t !== undefined && t.token !== token) return `holding ${attempt} has two fencing tokens: ${t.token} (${t.who}) and ${token} (${who})`;
    const h = holderOf.get(token);
    if (h !== undefined && h.attempt !== attempt) return `fencing token ${token} was given to two holdings: ${h.attempt} (${h.who}) and ${attempt} (${who})`;
    tokenOf.set(attempt, { token, who });
    holderOf.set(token, { attempt, who });
    return null;
  };
  for (const h of holdings) {
    const p = name(h.attempt, h.token, `event ${h.event}, ${h.process}'s answer`);
    if (p !== null) return violation(p);
  }
  const position = new Map<string, number>();
  for (const [i, w] of log.entries()) {
    const p = name(w.attempt, w.token, `log entry ${i + 1} of event ${logAt}`);
    if (p !== null) return violation(p);
    const seen = position.get(w.attempt);
    if (seen !== undefined) return violation(`holding ${w.attempt} (token ${w.token}) wrote once, but the storage's log holds its write at entries ${seen + 1} and ${i + 1}`);
    position.set(w.attempt, i);
  }

  // The order of writes: the first write accepted after a write of a later holder.
  let latest = -1;
  for (const [i, w] of log.entries()) {
    if (latest >= 0 && w.token < log[latest]!.token) {
      const later = log[latest]!;
      return violation(
        `two holders' writes interleave: the storage accepted the write of holding ${w.attempt} (token ${w.token}) as entry ${i + 1} of its log, ` +
          `after the write of the later holding ${later.attempt} (token ${later.token}) as entry ${latest + 1}; ` +
          `the stale write should have been rejected (log read at event ${logAt})${told(holdings, w.attempt)}`,
      );
    }
    if (latest < 0 || w.token >= log[latest]!.token) latest = i;
  }

  // What clients were told agrees with the log.
  for (const h of holdings) {
    const inLog = position.has(h.attempt);
    if (h.accepted && !inLog) return violation(`holding ${h.attempt} (token ${h.token}) was told its write was accepted (event ${h.event}, ${h.process}), but the storage's log (event ${logAt}) does not hold it: an acknowledged write was lost`);
    if (!h.accepted && inLog) return violation(`holding ${h.attempt} (token ${h.token}) was told its write was rejected (event ${h.event}, ${h.process}), but the storage's log (event ${logAt}) holds it as entry ${position.get(h.attempt)! + 1}`);
  }
  const rejected = holdings.filter((h) => !h.accepted).length;
  return { verdict: "ok", detail: `${log.length} writes in token order, ${holdings.length} holdings answered (${rejected} stale writes rejected)` };
}

function told(holdings: readonly Holding[], attempt: string): string {
  const h = holdings.find((x) => x.attempt === attempt);
  return h === undefined ? "" : `; its client was told the write was ${h.accepted ? "accepted" : "rejected"} (event ${h.event}, ${h.process})`;
}

function isToken(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1;
}

function violation(explanation: string): JudgeVerdict {
  return { verdict: "violation", explanation };
}

function bad(problem: string): JudgeVerdict {
  return { verdict: "violation", explanation: `malformed history for the mutual-exclusion judge: ${problem}` };
}

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
 * A lock that hands out no token (Redlock as its libraries ship it) is judged in the grant-time
 * form instead: work results `{ attempt, granted, accepted }`, where `granted` is when the client
 * learned it held the lock, in ms on one clock shared by every client of the history (a harness on
 * one machine has one), and log entries `{ attempt, value }` without a token. Holders are then
 * ordered by grant time: a lock promises that a holder granted later comes after every earlier
 * one, so an earlier holder's write after a later holder's is the same interleaving. A history is
 * in one form or the other; a token or a grant time the form does not use is malformed, never
 * ignored.
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

/** One accepted write as the storage's log holds it (`token` null in the grant-time form). */
interface LoggedWrite {
  attempt: string;
  token: number | null;
}

/** One holding as its client was told about it (`token` null in the grant-time form, `granted` null in the token form). */
interface Holding {
  attempt: string;
  token: number | null;
  granted: number | null;
  accepted: boolean;
  process: string;
  event: number;
}

/** The mutual-exclusion judge (see the module comment). */
export function mutualExclusion(): Judge {
  return {
    name: "mutual exclusion",
    promise: "no holder's write is accepted after a later holder's write (fencing tokens in order, or grant times for a lock without tokens), every token names one holding, and the storage's log agrees with what clients were told",
    check: (history) => judge(history),
  };
}

function judge(history: readonly HistoryEvent[]): JudgeVerdict {
  const holdings: Holding[] = [];
  let log: LoggedWrite[] | null = null;
  let logAt = -1;
  // The form is fixed by the first holding or log entry; every later one must be in the same form.
  let form: { tokens: boolean; where: string } | null = null;
  const sameForm = (tokens: boolean, where: string): string | null => {
    if (form === null) form = { tokens, where };
    if (form.tokens === tokens) return null;
    const [a, b] = tokens ? ["has a fencing token", "had none (grant-time form)"] : ["has no fencing token", "had one (token form)"];
    return `${where} ${a}, but ${form.where} ${b}: a history is judged in one form`;
  };
  for (let k = 0; k < history.length; k++) {
    const e = history[k]!;
    const where = `event ${k} (${e.process})`;
    if (e.f !== "work" && e.f !== "log") return bad(`${where}: operation ${JSON.stringify(e.f)} is not work or log`);
    if (e.type !== "ok") continue;
    const v = e.value as Record<string, unknown> | null;
    if (e.f === "work") {
      const shape = `work result ${JSON.stringify(v)} is not { attempt, token, accepted } or { attempt, granted, accepted }`;
      if (typeof v?.attempt !== "string" || typeof v.accepted !== "boolean") return bad(`${where}: ${shape}`);
      const hasToken = v.token !== undefined;
      const hasGrant = v.granted !== undefined;
      if (hasToken === hasGrant) return bad(`${where}: ${shape}${hasToken ? " (it has both a token and a grant time)" : ""}`);
      if (hasToken && !isToken(v.token)) return bad(`${where}: ${shape} (token ${JSON.stringify(v.token)} is not a whole number >= 1)`);
      if (hasGrant && !(typeof v.granted === "number" && Number.isFinite(v.granted))) return bad(`${where}: ${shape} (grant time ${JSON.stringify(v.granted)} is not a finite number of ms)`);
      const p = sameForm(hasToken, where);
      if (p !== null) return bad(p);
      holdings.push({ attempt: v.attempt, token: hasToken ? (v.token as number) : null, granted: hasGrant ? (v.granted as number) : null, accepted: v.accepted, process: String(e.process), event: k });
      continue;
    }
    const ws = v?.writes;
    if (!Array.isArray(ws)) return bad(`${where}: log result ${JSON.stringify(v)} has no writes list`);
    const parsed: LoggedWrite[] = [];
    for (const [i, w] of ws.entries()) {
      const x = w as Record<string, unknown> | null;
      if (typeof x?.attempt !== "string" || (x.token !== undefined && !isToken(x.token))) return bad(`${where}: log entry ${i} ${JSON.stringify(w)} is not { attempt, token } or { attempt }`);
      if (x.granted !== undefined) return bad(`${where}: log entry ${i} ${JSON.stringify(w)} carries a grant time: the storage cannot know it, grant times come from work results`);
      const p = sameForm(x.token !== undefined, `${where} log entry ${i}`);
      if (p !== null) return bad(p);
      parsed.push({ attempt: x.attempt, token: x.token === undefined ? null : (x.token as number) });
    }
    log = parsed;
    logAt = k;
  }
  if (log === null) return bad("no log of the storage was read: the history cannot show the order of writes");
  const tokens = (form as { tokens: boolean } | null)?.tokens ?? true;
  const problem = tokens ? namesAgree(holdings, log, logAt) : grantsAgree(holdings, log, logAt);
  if (problem !== null) return problem.malformed ? bad(problem.text) : violation(problem.text);
  const position = new Map<string, number>();
  for (const [i, w] of log.entries()) {
    const seen = position.get(w.attempt);
    if (seen !== undefined) return violation(`holding ${w.attempt}${label(w.token)} wrote once, but the storage's log holds its write at entries ${seen + 1} and ${i + 1}`);
    position.set(w.attempt, i);
  }

  // The order of writes: the first write accepted after a write of a later holder. A holder's
  // place is its token, or in the grant-time form its grant time.
  const grantOf = new Map(holdings.map((h) => [h.attempt, h.granted ?? 0]));
  const rank = (w: LoggedWrite): number => (w.token !== null ? w.token : grantOf.get(w.attempt)!);
  const what = (w: LoggedWrite): string => (w.token !== null ? `token ${w.token}` : `granted at ${grantOf.get(w.attempt)} ms`);
  let latest = -1;
  for (const [i, w] of log.entries()) {
    if (latest >= 0 && rank(w) < rank(log[latest]!)) {
      const later = log[latest]!;
      return violation(
        `two holders' writes interleave: the storage accepted the write of holding ${w.attempt} (${what(w)}) as entry ${i + 1} of its log, ` +
          `after the write of the later holding ${later.attempt} (${what(later)}) as entry ${latest + 1}; ` +
          (tokens ? `the stale write should have been rejected` : `the lock granted ${later.attempt} after ${w.attempt}, yet ${w.attempt} still wrote: without fencing tokens the storage cannot tell the stale write`) +
          ` (log read at event ${logAt})${told(holdings, w.attempt)}`,
      );
    }
    if (latest < 0 || rank(w) >= rank(log[latest]!)) latest = i;
  }

  // What clients were told agrees with the log.
  for (const h of holdings) {
    const inLog = position.has(h.attempt);
    if (h.accepted && !inLog) return violation(`holding ${h.attempt}${label(h.token)} was told its write was accepted (event ${h.event}, ${h.process}), but the storage's log (event ${logAt}) does not hold it: an acknowledged write was lost`);
    if (!h.accepted && inLog) return violation(`holding ${h.attempt}${label(h.token)} was told its write was rejected (event ${h.event}, ${h.process}), but the storage's log (event ${logAt}) holds it as entry ${position.get(h.attempt)! + 1}`);
  }
  const rejected = holdings.filter((h) => !h.accepted).length;
  return { verdict: "ok", detail: `${log.length} writes in ${tokens ? "token" : "grant-time"} order, ${holdings.length} holdings answered (${rejected} stale writes rejected)` };
}

/** Token form: one token per holding and one holding per token, from what clients were told and the log. */
function namesAgree(holdings: readonly Holding[], log: readonly LoggedWrite[], logAt: number): { text: string; malformed: boolean } | null {
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
    const p = name(h.attempt, h.token!, `event ${h.event}, ${h.process}'s answer`);
    if (p !== null) return { text: p, malformed: false };
  }
  for (const [i, w] of log.entries()) {
    const p = name(w.attempt, w.token!, `log entry ${i + 1} of event ${logAt}`);
    if (p !== null) return { text: p, malformed: false };
  }
  return null;
}

/**
 * Grant-time form: every holding answered once with its own grant time, and every logged write
 * names a holding whose grant time some answer gave (else the history cannot place it).
 */
function grantsAgree(holdings: readonly Holding[], log: readonly LoggedWrite[], logAt: number): { text: string; malformed: boolean } | null {
  const byAttempt = new Map<string, Holding>();
  const byGrant = new Map<number, Holding>();
  for (const h of holdings) {
    const seen = byAttempt.get(h.attempt);
    if (seen !== undefined) return { text: `holding ${h.attempt} was answered twice (events ${seen.event} and ${h.event}): one holding, one answer`, malformed: false };
    byAttempt.set(h.attempt, h);
    const same = byGrant.get(h.granted!);
    if (same !== undefined) return { text: `holdings ${same.attempt} (event ${same.event}) and ${h.attempt} (event ${h.event}) have the same grant time ${h.granted} ms: the history cannot order them`, malformed: true };
    byGrant.set(h.granted!, h);
  }
  for (const [i, w] of log.entries()) {
    if (!byAttempt.has(w.attempt)) return { text: `log entry ${i + 1} of event ${logAt} names holding ${w.attempt}, whose grant time no work result gives: the history cannot place its write`, malformed: true };
  }
  return null;
}

function label(token: number | null): string {
  return token === null ? "" : ` (token ${token})`;
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

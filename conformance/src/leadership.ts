/**
 * The leadership judge: what a history of leader claims under a lease election must satisfy.
 * Each `ok` answer to a `lead` query is a node's claim, made at some real time between the
 * invocation and the completion, that it leads generation `generation` (its fencing token) and
 * holds a valid lease for `leaseRemainingMs` more ms of its own clock. Three promises:
 *
 * 1. **One holder per generation.** A generation is claimed by one node only: a fencing token
 *    names one leadership.
 * 2. **Fencing tokens increase in real time.** A claim that completed before another was invoked
 *    has a generation no greater: once a newer leadership has held a lease, no older one does.
 * 3. **No two overlapping valid leases.** A claim's lease is certainly valid, in real time, from
 *    the claim's completion until its invocation plus `leaseRemainingMs / (1 + ρ)` (the claim was
 *    made at some moment in between, and its clock runs at most `1 + ρ` fast, for the drift bound
 *    ρ). Two claims of different generations whose certain intervals overlap are two leaders
 *    holding valid leases at once: a split brain.
 *
 * The history's vocabulary (the service of a protocol judged this way writes it): `f: "lead"`,
 * invoke value `null`; ok value `{ node, generation, leaseRemainingMs }`; `fail` and `info`
 * completions claim nothing. Every event carries its time (`time` or `timeNs`, in ns). Any other
 * operation, or an ok value of another shape, is a malformed history, never skipped.
 *
 * @module
 */
import type { HistoryEvent, Judge, JudgeVerdict } from "./judge.js";

/** Options of {@link leadership}. */
export interface LeadershipOptions {
  /** The clock-drift bound ρ the protocol claims (every clock's rate within `[1 − ρ, 1 + ρ]`). */
  driftBound: number;
}

/** One `ok` claim, with its invocation. */
interface Claim {
  node: string;
  generation: number;
  remainingMs: number;
  invokeNs: number;
  okNs: number;
  /** Index of the ok event in the history. */
  at: number;
}

/** The leadership judge (see the module comment). */
export function leadership(options: LeadershipOptions): Judge {
  const rho = options.driftBound;
  if (!(typeof rho === "number" && rho >= 0 && rho < 1)) throw new RangeError(`leadership judge: driftBound must be in [0, 1), got ${JSON.stringify(rho)}`);
  return {
    name: "leadership",
    promise: `one node per generation, generations never go back in real time, and no two valid leases overlap in real time (drift bound ${rho})`,
    check: (history) => judge(history, rho),
  };
}

const bad = (why: string): JudgeVerdict => ({ verdict: "violation", explanation: `malformed leadership history: ${why}` });
const ms = (ns: number): string => `${(ns / 1e6).toFixed(3)} ms`;
const say = (c: Claim): string => `${c.node} claimed generation ${c.generation} (event ${c.at}, invoked ${ms(c.invokeNs)}, answered ${ms(c.okNs)}, ${c.remainingMs.toFixed(3)} ms of lease left)`;

function timeOf(e: HistoryEvent): number | undefined {
  const t = (e as { time?: unknown }).time ?? e.timeNs;
  return typeof t === "number" && Number.isFinite(t) ? t : undefined;
}

/** Collect the ok claims, or say what is malformed. */
function claims(history: readonly HistoryEvent[]): Claim[] | string {
  const open = new Map<string, number>();
  const out: Claim[] = [];
  for (let k = 0; k < history.length; k++) {
    const e = history[k]!;
    const where = `event ${k} (process ${String(e.process)})`;
    if (e.f !== "lead") return `${where}: operation ${JSON.stringify(e.f)} is not lead`;
    const t = timeOf(e);
    if (t === undefined) return `${where}: no time (the judge orders claims in real time)`;
    if (e.type === "invoke") {
      open.set(String(e.process), t);
      continue;
    }
    const inv = open.get(String(e.process));
    open.delete(String(e.process));
    if (e.type !== "ok") continue;
    if (inv === undefined) return `${where}: ok without an invocation`;
    const v = e.value as { node?: unknown; generation?: unknown; leaseRemainingMs?: unknown } | null;
    if (typeof v?.node !== "string" || typeof v.generation !== "number" || !Number.isSafeInteger(v.generation) || typeof v.leaseRemainingMs !== "number" || !(v.leaseRemainingMs > 0)) {
      return `${where}: lead result ${JSON.stringify(v)} is not { node, generation, leaseRemainingMs > 0 }`;
    }
    out.push({ node: v.node, generation: v.generation, remainingMs: v.leaseRemainingMs, invokeNs: inv, okNs: t, at: k });
  }
  return out;
}

function judge(history: readonly HistoryEvent[], rho: number): JudgeVerdict {
  const cs = claims(history);
  if (typeof cs === "string") return bad(cs);
  // 1. One holder per generation.
  const holder = new Map<number, Claim>();
  for (const c of cs) {
    const h = holder.get(c.generation);
    if (h === undefined) holder.set(c.generation, c);
    else if (h.node !== c.node) return { verdict: "violation", explanation: `generation ${c.generation} has two leaders: ${say(h)}, and ${say(c)}` };
  }
  // 2. Generations never go back in real time: sweep invocations, with the newest generation among
  // the claims completed before each.
  const byOk = [...cs].sort((a, b) => a.okNs - b.okNs);
  const byInvoke = [...cs].sort((a, b) => a.invokeNs - b.invokeNs);
  let newest: Claim | null = null;
  let k = 0;
  for (const c of byInvoke) {
    while (k < byOk.length && byOk[k]!.okNs < c.invokeNs) {
      const d = byOk[k++]!;
      if (newest === null || d.generation > newest.generation) newest = d;
    }
    if (newest !== null && c.generation < newest.generation) {
      return { verdict: "violation", explanation: `a fencing token went back in real time: ${say(newest)}; after that, ${say(c)} — a stale leader still believed in its lease` };
    }
  }
  // 3. No two certainly-valid leases of different generations overlap.
  const certain = cs
    .map((c) => ({ c, from: c.okNs, to: c.invokeNs + (c.remainingMs * 1e6) / (1 + rho) }))
    .filter((x) => x.to > x.from)
    .sort((a, b) => a.from - b.from);
  for (let i = 0; i < certain.length; i++) {
    const a = certain[i]!;
    for (let j = i + 1; j < certain.length && certain[j]!.from < a.to; j++) {
      const b = certain[j]!;
      if (b.c.generation !== a.c.generation) {
        return {
          verdict: "violation",
          explanation: `two valid leases overlap in real time: ${say(a.c)} holds it certainly until ${ms(a.to)}; ${say(b.c)} holds its own from ${ms(b.from)} — two leaders at once`,
        };
      }
    }
  }
  const gens = new Set(cs.map((c) => c.generation));
  return { verdict: "ok", detail: `${cs.length} leader claims over ${gens.size} generations: one node per generation, in real-time order, no overlapping leases` };
}

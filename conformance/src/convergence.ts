/**
 * The convergence judge: what a history of a replicated data type (a CRDT carried by gossip) must
 * satisfy — strong eventual consistency (Shapiro et al. 2011) and reads explained by causality.
 *
 * 1. Every read is explained by a causally closed set of visible updates: the type's
 *    specification (`StateCrdt.spec`: add-wins for the OR-Set, greatest stamp for LWW, ...)
 *    applied to that set gives the value read. The set the replica claims (`vv`) is checked
 *    first, which keeps the judge linear in the history; only when it fails does the judge look
 *    for any other closed set between what the replica must have seen (its own acknowledged
 *    updates, its earlier reads) and what had been issued by then. The first read no set explains
 *    is reported with the updates involved.
 * 2. Replicas that received the same updates are equal: two reads with the same `vv` show the
 *    same value.
 * 3. Sessions: a replica sees its own acknowledged updates and never un-sees an update
 *    (monotonic reads); an update's causal past covers what its replica had read.
 * 4. Convergence: after updates stop and the network heals, every replica converges within the
 *    quiet time before the final reads: every `final-read` of a key shows the same value and has
 *    seen every update acknowledged anywhere.
 *
 * The history's vocabulary (lincheck JSON events, agreed with the gossip kit that writes it),
 * per `key` (each key holds one instance of the CRDT):
 *
 * - `f: "update"`: invoke value = the operation (`StateCrdt.parseOp` form); ok value
 *   `{ node, id, seq, applied, deps }`: `id` is `${node}:${seq}`, `seq` the update's position
 *   among `node`'s updates of the key (from 1), `applied` the operation as applied
 *   (`appliedToJson`), `deps` the key's version vector at `node` just before (its causal past).
 *   An update that took effect but whose reply was lost completes `info` with the same value
 *   when the writer knows it; otherwise `info` with the invocation's `{ node, op }`: the update
 *   may have taken effect, and the ids reads name that no ok records go to these updates of that
 *   node in invocation order (their causal past only bounded; for types whose applied form needs
 *   the state, LWW and MV, a read showing one gets `unknown`). `info` with `null`: no read may
 *   show it.
 * - `f: "read"` and `f: "final-read"`: invoke value `null`; ok value `{ node, value, vv }` with
 *   `value` the read (`valueToJson`) and `vv` the updates of the key the replica's state includes.
 * - `fail` completions took no effect and are ignored. Anything else is a malformed history,
 *   reported, never skipped.
 *
 * @module
 */
import { canonicalJson, updateId, vvFromJson, vvGet, vvLeq, vvMerge, vvToJson, type AnyCrdt, type CausalUpdate, type Json, type VersionVector } from "@synod/crdt";
import type { HistoryEvent, Judge, JudgeOptions, JudgeVerdict } from "./judge.js";

/** Options of {@link convergence}. */
export interface ConvergenceOptions {
  /** The CRDT of every key, or a function of the key choosing it. */
  crdt: AnyCrdt | ((key: string) => AnyCrdt);
  /** The quiet time (ms) the history allowed before its final reads: printed as the bound. */
  boundMs?: number;
  /** Candidate sets tried per read when the claimed set does not explain it (default 20,000). */
  searchMax?: number;
}

interface Update {
  readonly id: string;
  readonly node: string;
  readonly seq: number;
  readonly applied: unknown;
  readonly deps: VersionVector;
  readonly invokedAt: number;
  readonly doneAt: number;
  readonly acked: boolean;
  readonly cu: CausalUpdate<unknown>;
  /** An update whose reply was lost (`info`): seq assigned by the judge, deps only bounded. */
  readonly maybe?: { readonly depsHi: VersionVector; readonly unknownEffect: boolean };
}

interface Maybe {
  readonly node: string;
  readonly op: unknown;
  readonly invokedAt: number;
  readonly doneAt: number;
}

interface Read {
  readonly node: string;
  readonly value: Json;
  /** The updates the replica says its state includes; absent: the judge searches for a set. */
  readonly vv: VersionVector | undefined;
  readonly invokedAt: number;
  readonly doneAt: number;
  readonly final: boolean;
}

interface KeyHistory {
  readonly key: string;
  readonly crdt: AnyCrdt;
  readonly updates: Map<string, Update>;
  readonly reads: Read[];
  readonly maybes: Maybe[];
}

class Malformed extends Error {}
class Violation extends Error {}
class Undecided extends Error {}

/** The convergence judge (see the module comment). */
export function convergence(options: ConvergenceOptions): Judge {
  const crdtOf = typeof options.crdt === "function" ? options.crdt : () => options.crdt as AnyCrdt;
  return {
    name: "convergent",
    promise: "strong eventual consistency: every read is the type's specification applied to a causally closed set of visible updates, replicas with the same updates are equal, and every replica converges after updates stop and the network heals",
    check(history, judgeOptions) {
      try {
        const keys = collect(history, crdtOf);
        const deadline = Date.now() + judgeOptions.timeoutMs;
        let reads = 0;
        let updates = 0;
        for (const k of keys.values()) {
          judgeKey(k, options, judgeOptions, deadline);
          reads += k.reads.length;
          updates += k.updates.size;
        }
        const bound = options.boundMs === undefined ? "" : ` within ${options.boundMs} ms of quiet`;
        return { verdict: "ok", detail: `${keys.size} keys, ${updates} updates, ${reads} reads: every read explained, replicas converged${bound}` };
      } catch (e) {
        if (e instanceof Violation) return { verdict: "violation", explanation: e.message };
        if (e instanceof Malformed) return { verdict: "violation", explanation: `malformed history for the convergence judge: ${e.message}` };
        if (e instanceof Undecided) return { verdict: "unknown", reason: e.message };
        throw e;
      }
    },
  };
}

function collect(history: readonly HistoryEvent[], crdtOf: (key: string) => AnyCrdt): Map<string, KeyHistory> {
  const keys = new Map<string, KeyHistory>();
  const open = new Map<string, { e: HistoryEvent; k: number }>();
  const keyOf = (k: string): KeyHistory => {
    let h = keys.get(k);
    if (h === undefined) {
      h = { key: k, crdt: crdtOf(k), updates: new Map(), reads: [], maybes: [] };
      keys.set(k, h);
    }
    return h;
  };
  for (let k = 0; k < history.length; k++) {
    const e = history[k]!;
    const where = `event ${k} (process ${String(e.process)}, ${e.f})`;
    if (e.f !== "update" && e.f !== "read" && e.f !== "final-read") throw new Malformed(`${where}: operation ${JSON.stringify(e.f)} is not update, read or final-read`);
    const proc = String(e.process);
    if (e.type === "invoke") {
      if (open.has(proc)) throw new Malformed(`${where}: process ${proc} invokes while its operation from event ${open.get(proc)!.k} is open`);
      open.set(proc, { e, k });
      continue;
    }
    const inv = open.get(proc);
    open.delete(proc);
    if (inv === undefined) throw new Malformed(`${where}: a completion without an invocation`);
    if (inv.e.f !== e.f) throw new Malformed(`${where}: completes ${e.f} but event ${inv.k} invoked ${inv.e.f}`);
    if (e.type === "fail" || (e.type === "info" && e.value === null)) continue;
    if (e.type !== "ok" && e.type !== "info") throw new Malformed(`${where}: unknown event type ${JSON.stringify(e.type)}`);
    if (e.type === "info" && e.f !== "update") continue;
    const key = e.key === undefined || e.key === null ? "" : String(e.key);
    const h = keyOf(key);
    const v = e.value as Record<string, unknown> | null;
    if (typeof v !== "object" || v === null || typeof v.node !== "string") throw new Malformed(`${where}: result ${short(e.value)} has no node`);
    if (e.f === "update" && e.type === "info" && !("id" in v)) {
      // The reply was lost: the update may have taken effect (a paused node applies it later).
      h.maybes.push({ node: v.node, op: v.op, invokedAt: inv.k, doneAt: k });
      continue;
    }
    if (e.f === "update") {
      const u = parseUpdate(h, v, where, inv.k, k, e.type === "ok");
      if (h.updates.has(u.id)) throw new Malformed(`${where}: update ${u.id} of key ${JSON.stringify(key)} is recorded twice`);
      h.updates.set(u.id, u);
    } else {
      if (!("value" in v)) throw new Malformed(`${where}: result ${short(e.value)} has no value`);
      if (v.vv === undefined && e.f === "final-read") throw new Malformed(`${where}: a final read needs its vv (convergence is judged on it)`);
      const vv = v.vv === undefined ? undefined : parseVv(v.vv, `${where} vv`);
      h.reads.push({ node: v.node, value: v.value as Json, vv, invokedAt: inv.k, doneAt: k, final: e.f === "final-read" });
    }
  }
  for (const h of keys.values()) resolveMaybes(h);
  return keys;
}

/**
 * Gives the updates whose reply was lost the ids reads and deps name but no ok records: a node's
 * ids of a key are consecutive in the order it applied them, and a node applies its requests in
 * the order they came, so the missing seqs of node n go to n's lost-reply updates in invocation
 * order. Their causal past is only bounded: at least what n had shown before the request, at
 * most what n's next known update had seen (or what the first read showing it had).
 */
function resolveMaybes(h: KeyHistory): void {
  const byNode = new Map<string, Maybe[]>();
  for (const m of h.maybes) byNode.set(m.node, [...(byNode.get(m.node) ?? []), m]);
  for (const [node, ms] of byNode) {
    let named = 0;
    for (const r of h.reads) named = Math.max(named, vvGet(r.vv ?? new Map(), node));
    for (const u of h.updates.values()) named = Math.max(named, vvGet(u.deps, node), u.node === node ? u.seq : 0);
    const missing: number[] = [];
    for (let seq = 1; seq <= named; seq++) if (!h.updates.has(updateId(node, seq))) missing.push(seq);
    ms.sort((a, b) => a.invokedAt - b.invokedAt);
    for (let i = 0; i < Math.min(missing.length, ms.length); i++) {
      const m = ms[i]!;
      const seq = missing[i]!;
      const id = updateId(node, seq);
      let op: unknown;
      try {
        op = h.crdt.parseOp(m.op, `update at event ${m.doneAt} (info) op`);
      } catch (err) {
        throw new Malformed((err as Error).message);
      }
      const applied = h.crdt.appliedFromOp?.(op, node, seq);
      let lo: VersionVector = new Map<string, number>(seq > 1 ? [[node, seq - 1]] : []);
      for (const r of h.reads) if (r.node === node && r.vv !== undefined && r.doneAt < m.invokedAt) lo = vvMerge(lo, r.vv);
      for (const u of h.updates.values()) if (u.node === node && u.seq < seq) lo = vvMerge(lo, u.deps);
      const next = [...h.updates.values()].filter((u) => u.node === node && u.seq > seq).sort((a, b) => a.seq - b.seq)[0];
      const firstRead = h.reads.filter((r) => r.vv !== undefined && vvGet(r.vv, node) >= seq).sort((a, b) => a.doneAt - b.doneAt)[0];
      let hi = next?.deps ?? firstRead?.vv ?? lo;
      hi = vvMerge(new Map([...hi].map(([n, k]) => [n, n === node ? Math.min(k, seq - 1) : k] as [string, number]).filter(([, k]) => k > 0)), lo);
      h.updates.set(id, {
        id,
        node,
        seq,
        applied,
        deps: lo,
        invokedAt: m.invokedAt,
        doneAt: m.doneAt,
        acked: false,
        cu: { id, replica: node, seq, op: applied },
        maybe: { depsHi: hi, unknownEffect: applied === undefined },
      });
    }
  }
}

function parseUpdate(h: KeyHistory, v: Record<string, unknown>, where: string, invokedAt: number, doneAt: number, acked: boolean): Update {
  const node = v.node as string;
  if (typeof v.seq !== "number" || !Number.isSafeInteger(v.seq) || v.seq < 1) throw new Malformed(`${where}: seq ${short(v.seq)} is not an integer >= 1`);
  const id = updateId(node, v.seq);
  if (v.id !== id) throw new Malformed(`${where}: id ${short(v.id)} is not ${JSON.stringify(id)} (node:seq)`);
  let applied: unknown;
  try {
    applied = h.crdt.parseApplied(v.applied, `${where} applied`);
  } catch (err) {
    throw new Malformed((err as Error).message);
  }
  const deps = parseVv(v.deps, `${where} deps`);
  if (vvGet(deps, node) !== v.seq - 1) throw new Malformed(`${where}: deps of ${id} have ${vvGet(deps, node)} of ${node}'s own updates, not ${v.seq - 1} (a replica sees its own earlier updates)`);
  return { id, node, seq: v.seq, applied, deps, invokedAt, doneAt, acked, cu: { id, replica: node, seq: v.seq, op: applied } };
}

function parseVv(json: unknown, where: string): VersionVector {
  try {
    return vvFromJson(json, where);
  } catch (err) {
    throw new Malformed((err as Error).message);
  }
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The updates a version vector names, in (origin, seq) order; a missing one is a phantom. */
function updatesIn(h: KeyHistory, vv: VersionVector, what: string): Update[] {
  const out: Update[] = [];
  for (const [r, n] of [...vv].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (let s = 1; s <= n; s++) {
      const u = h.updates.get(updateId(r, s));
      if (u === undefined) throw new Violation(`${what} includes update ${updateId(r, s)} of key ${JSON.stringify(h.key)}, which the history never records (a phantom update, or one whose effect was reported unknown)`);
      out.push(u);
    }
  }
  return out;
}

const hb = (a: CausalUpdate<unknown>, b: CausalUpdate<unknown>, h: KeyHistory, high = false): boolean => {
  if (a.replica === b.replica) return a.seq < b.seq;
  const u = h.updates.get(b.id)!;
  return a.seq <= vvGet(high && u.maybe !== undefined ? u.maybe.depsHi : u.deps, a.replica);
};

/** The first update of `us` whose causal past `vv` does not hold, with the update it misses. */
function notClosed(h: KeyHistory, us: readonly Update[], vv: VersionVector): { u: Update; missing: string } | undefined {
  for (const u of us) {
    if (vvLeq(u.deps, vv)) continue;
    for (const [r, n] of u.deps) if (n > vvGet(vv, r)) return { u, missing: updateId(r, vvGet(vv, r) + 1) };
  }
  return undefined;
}

function describeUpdate(h: KeyHistory, u: Update): string {
  return `${u.id} ${canonicalJson(h.crdt.appliedToJson(u.applied))}`;
}

function readName(h: KeyHistory, r: Read): string {
  return `${r.final ? "final read" : "read"} of key ${JSON.stringify(h.key)} at ${r.node} (event ${r.doneAt})`;
}

/**
 * Per origin, what the first k updates of a key amount to: how many are recorded in a row, the
 * join of their causal pasts and the latest invocation among them. With these a set named by a
 * version vector is checked in O(replicas²), not O(updates): a set is causally closed iff for
 * every origin the join of its updates' pasts is inside the set.
 */
interface Prefixes {
  complete: Map<string, number>;
  pastMax: Map<string, VersionVector[]>;
  invokedMax: Map<string, number[]>;
}

function prefixes(h: KeyHistory): Prefixes {
  const out: Prefixes = { complete: new Map(), pastMax: new Map(), invokedMax: new Map() };
  for (const node of new Set([...h.updates.values()].map((u) => u.node))) {
    const past: VersionVector[] = [new Map()];
    const invoked: number[] = [-1];
    let k = 0;
    for (let u = h.updates.get(updateId(node, 1)); u !== undefined; u = h.updates.get(updateId(node, k + 1))) {
      k++;
      past.push(vvMerge(past[k - 1]!, u.deps));
      invoked.push(Math.max(invoked[k - 1]!, u.invokedAt));
    }
    out.complete.set(node, k);
    out.pastMax.set(node, past);
    out.invokedMax.set(node, invoked);
  }
  return out;
}

/** Throws the first problem of the set `vv` names: a phantom update, a gap in causality, an update issued after `limit`. */
function checkSet(h: KeyHistory, p: Prefixes, vv: VersionVector, what: string, limit: number, gapWords: (u: Update, missing: string) => string, lateWords: (u: Update) => string): void {
  for (const [r, n] of vv) {
    const complete = p.complete.get(r) ?? 0;
    if (n > complete) throw new Violation(`${what} includes update ${updateId(r, complete + 1)} of key ${JSON.stringify(h.key)}, which the history never records (a phantom update, or one whose effect was reported unknown)`);
  }
  for (const [r, n] of vv) {
    if (vvLeq(p.pastMax.get(r)![n]!, vv)) continue;
    const us = Array.from({ length: n }, (_, k) => h.updates.get(updateId(r, k + 1))!);
    const gap = notClosed(h, us, vv)!;
    throw new Violation(gapWords(gap.u, gap.missing));
  }
  for (const [r, n] of vv) {
    if (p.invokedMax.get(r)![n]! <= limit) continue;
    for (let k = 1; k <= n; k++) {
      const u = h.updates.get(updateId(r, k))!;
      if (u.invokedAt > limit) throw new Violation(lateWords(u));
    }
  }
}

function judgeKey(h: KeyHistory, options: ConvergenceOptions, judgeOptions: JudgeOptions, deadline: number): void {
  const { crdt } = h;
  const pre = prefixes(h);
  // The causal metadata of updates: deps name recorded updates, are closed, and were issued before.
  for (const u of h.updates.values()) {
    checkSet(
      h,
      pre,
      u.deps,
      `the causal past (deps) of update ${u.id}`,
      u.doneAt,
      (g, missing) => `update ${u.id} of key ${JSON.stringify(h.key)} is not causally after its past: its deps include ${g.id}, which saw ${missing}, but not ${missing}`,
      (p) => `update ${u.id} of key ${JSON.stringify(h.key)} (event ${u.doneAt}) saw ${p.id}, which was only issued later (event ${p.invokedAt})`,
    );
  }
  const own = new Map<string, Update[]>();
  for (const u of h.updates.values()) if (u.acked) own.set(u.node, [...(own.get(u.node) ?? []), u]);
  const specCache = new Map<string, string>();
  const specOf = (vv: VersionVector, set: readonly Update[] | (() => readonly Update[]), high = false): string => {
    const k = canonicalJson(vvToJson(vv)) + (high ? "^" : "");
    let s = specCache.get(k);
    if (s === undefined) {
      const us = typeof set === "function" ? set() : set;
      const unknown = us.find((u) => u.maybe?.unknownEffect === true);
      if (unknown !== undefined) throw new Undecided(`update ${unknown.id} of key ${JSON.stringify(h.key)} took effect but its reply was lost, and the ${crdt.name}'s applied form (its stamp or version vector) cannot be known from the operation alone`);
      s = canonicalJson(crdt.valueToJson(crdt.spec(us.map((u) => u.cu), (a: CausalUpdate<unknown>, b: CausalUpdate<unknown>) => hb(a, b, h, high))));
      specCache.set(k, s);
    }
    return s;
  };
  const byVv = new Map<string, Read>();
  const lastRead = new Map<string, Read & { vv: VersionVector }>();
  const reads = [...h.reads].sort((a, b) => a.doneAt - b.doneAt);
  for (const r of reads) {
    if (Date.now() > deadline) throw new Undecided(`out of time (${judgeOptions.timeoutMs} ms) at ${readName(h, r)}`);
    const name = readName(h, r);
    if (r.vv === undefined) {
      // No causal metadata: some closed set of updates issued by then must explain the value.
      const issued = [...h.updates.values()].filter((u) => u.invokedAt < r.doneAt);
      explainFailure(h, r, issued, "", reads, options.searchMax ?? 20_000, deadline, specOf);
      continue;
    }
    checkSet(
      h,
      pre,
      r.vv,
      `the ${name}`,
      r.doneAt,
      (g, missing) => `the ${name} is not causally closed: it includes ${describeUpdate(h, g)}, which saw ${missing}, but not ${missing}`,
      (u) => `the ${name} shows ${u.id}, which was only issued later (event ${u.invokedAt})`,
    );
    // Sessions: own acknowledged updates, earlier reads, and the causal past of own updates.
    for (const u of own.get(r.node) ?? []) {
      if (u.doneAt < r.invokedAt && vvGet(r.vv, u.node) < u.seq) throw new Violation(`the ${name} misses ${describeUpdate(h, u)}, which ${r.node} itself acknowledged before (event ${u.doneAt}): a replica must see its own updates`);
    }
    const prev = lastRead.get(r.node) as (Read & { vv: VersionVector }) | undefined;
    if (prev !== undefined && prev.doneAt < r.invokedAt && !vvLeq(prev.vv, r.vv)) {
      throw new Violation(`the ${name} has lost updates ${r.node} had already shown (${readName(h, prev)} had ${short(vvToJson(prev.vv))}, now ${short(vvToJson(r.vv))}): an update a replica has seen is never unseen`);
    }
    lastRead.set(r.node, r as Read & { vv: VersionVector });
    const got = canonicalJson(r.value);
    // Strong eventual consistency: the same updates, the same value.
    const vvText = canonicalJson(vvToJson(r.vv));
    const twin = byVv.get(vvText);
    if (twin !== undefined && canonicalJson(twin.value) !== got) {
      throw new Violation(`replicas that received the same updates differ: the ${readName(h, twin)} shows ${short(twin.value)} and the ${name} shows ${short(r.value)}, both having seen ${vvText}`);
    }
    byVv.set(vvText, r);
    let memo: Update[] | undefined;
    const us = (): Update[] => (memo ??= updatesIn(h, r.vv!, `the ${name}`));
    const want = specOf(r.vv, us);
    // An update whose reply was lost has only bounds on its causal past: either bound may be the truth.
    if (want !== got && us().some((u) => u.maybe !== undefined) && specOf(r.vv, us, true) === got) continue;
    if (want !== got) explainFailure(h, r, us(), want, reads, options.searchMax ?? 20_000, deadline, specOf);
  }
  // Convergence after quiet.
  const finals = reads.filter((r) => r.final);
  const everything = new Map<string, number>();
  for (const u of h.updates.values()) if (u.acked) everything.set(u.node, Math.max(everything.get(u.node) ?? 0, u.seq));
  for (const r of reads) for (const [n, s] of r.vv ?? []) everything.set(n, Math.max(everything.get(n) ?? 0, s));
  const bound = options.boundMs === undefined ? "" : ` (${options.boundMs} ms after updates stopped and the network healed)`;
  for (const r of finals) {
    for (const [n, s] of everything) {
      if (vvGet(r.vv!, n) < s) {
        const u = h.updates.get(updateId(n, s))!;
        throw new Violation(`replicas did not converge${bound}: the ${readName(h, r)} has not seen ${describeUpdate(h, u)}${u.acked ? `, acknowledged at event ${u.doneAt}` : ", which other replicas show"}`);
      }
    }
    const first = finals[0]!;
    if (canonicalJson(r.value) !== canonicalJson(first.value)) throw new Violation(`replicas did not converge${bound}: the ${readName(h, first)} shows ${short(first.value)} and the ${readName(h, r)} shows ${short(r.value)}`);
  }
}

/**
 * The read's claimed set does not explain it (or it claims none): look for any causally closed set
 * between what the replica must have seen and what had been issued. A read without a claimed set
 * that some set explains is fine (that set is returned); anything else is reported.
 */
function explainFailure(
  h: KeyHistory,
  r: Read,
  claimed: readonly Update[],
  want: string,
  reads: readonly Read[],
  searchMax: number,
  deadline: number,
  specOf: (vv: VersionVector, set: readonly Update[]) => string,
): VersionVector {
  const name = readName(h, r);
  const got = canonicalJson(r.value);
  // Lower bound: own acknowledged updates and earlier reads at the node; upper: issued before the read ended.
  const lo = new Map<string, number>();
  for (const u of h.updates.values()) if (u.node === r.node && u.acked && u.doneAt < r.invokedAt) lo.set(u.node, Math.max(lo.get(u.node) ?? 0, u.seq));
  for (const p of reads) if (p.node === r.node && p.doneAt < r.invokedAt) for (const [n, s] of p.vv ?? []) lo.set(n, Math.max(lo.get(n) ?? 0, s));
  const hi = new Map<string, number>();
  for (const u of h.updates.values()) {
    if (u.invokedAt > r.doneAt) continue;
    let s = vvGet(hi, u.node);
    while (s < u.seq) {
      const next = h.updates.get(updateId(u.node, s + 1));
      if (next === undefined || next.invokedAt > r.doneAt) break;
      s++;
    }
    hi.set(u.node, s);
  }
  const origins = [...new Set([...lo.keys(), ...hi.keys()])].sort();
  let tried = 0;
  let found: VersionVector | undefined;
  const vv = new Map<string, number>();
  const visit = (i: number): boolean => {
    if (tried >= searchMax || Date.now() > deadline) return false;
    if (i === origins.length) {
      tried++;
      const us = origins.flatMap((o) => Array.from({ length: vv.get(o) ?? 0 }, (_, k) => h.updates.get(updateId(o, k + 1))!));
      if (notClosed(h, us, vv) !== undefined) return false;
      if (specOf(vv, us) === got) {
        found = new Map([...vv].filter(([, n]) => n > 0));
        return true;
      }
      return false;
    }
    const o = origins[i]!;
    for (let n = vvGet(lo, o); n <= vvGet(hi, o); n++) {
      vv.set(o, n);
      if (visit(i + 1)) return true;
    }
    vv.delete(o);
    return false;
  };
  const searched = vvLeq(lo, hi) && visit(0);
  const involved = involvedUpdates(h, r, claimed, want);
  if (r.vv === undefined) {
    if (searched && found !== undefined) return found;
    const scope = tried >= searchMax ? ` (searched ${tried} candidate sets, the limit)` : ` (searched ${tried} candidate sets)`;
    throw new Violation(`no causally closed set of visible updates explains the ${name}${scope}: it shows ${short(r.value)}. Updates issued by then: ${involved}`);
  }
  const claimedText = canonicalJson(vvToJson(r.vv));
  const says = `it shows ${short(r.value)}, but the ${h.crdt.name} specification applied to the updates it has seen (${claimedText}) gives ${want}. Updates involved: ${involved}`;
  if (searched && found !== undefined) {
    throw new Violation(`the ${name} is not explained by the causally closed set of updates it has seen: ${says}. (Only ${canonicalJson(vvToJson(found))}, a set it claims to be past, fits the value.)`);
  }
  const scope = tried >= searchMax ? ` (searched ${tried} candidate sets, the limit)` : "";
  throw new Violation(`no causally closed set of visible updates explains the ${name}${scope}: ${says}`);
}

/** The updates that decide the part of the value the read got wrong, in words. */
function involvedUpdates(h: KeyHistory, r: Read, claimed: readonly Update[], want: string): string {
  const { crdt } = h;
  let relevant: readonly Update[] = claimed;
  let about = "";
  if (crdt.keysOf !== undefined && crdt.projectValue !== undefined && want !== "") {
    const wantJson = JSON.parse(want) as Json;
    const keys = new Set(claimed.flatMap((u) => crdt.keysOf!(u.applied)));
    const wrong = [...keys].sort().filter((k) => canonicalJson(crdt.projectValue!(wantJson, k)) !== canonicalJson(crdt.projectValue!(r.value, k)));
    if (wrong.length > 0) {
      relevant = claimed.filter((u) => crdt.keysOf!(u.applied).some((k) => wrong.includes(k)));
      about = ` (about ${wrong.map((k) => JSON.stringify(k)).join(", ")}: read ${wrong.map((k) => canonicalJson(crdt.projectValue!(r.value, k))).join(", ")}, specified ${wrong.map((k) => canonicalJson(crdt.projectValue!(wantJson, k))).join(", ")})`;
    }
  }
  const shown = relevant.slice(0, 12).map((u) => {
    const saw = relevant.filter((p) => p !== u && hb(p.cu, u.cu, h)).map((p) => p.id);
    const concurrent = relevant.filter((p) => p !== u && !hb(p.cu, u.cu, h) && !hb(u.cu, p.cu, h)).map((p) => p.id);
    return `${describeUpdate(h, u)}${saw.length > 0 ? ` after ${saw.join(", ")}` : ""}${concurrent.length > 0 ? ` concurrent with ${concurrent.join(", ")}` : ""}`;
  });
  const more = relevant.length > 12 ? `; and ${relevant.length - 12} more` : "";
  return `${shown.join("; ") || "none"}${more}${about}`;
}

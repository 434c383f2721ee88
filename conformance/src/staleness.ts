/**
 * The bounded-staleness judge: what a history of a quorum-replicated multi-value store must
 * satisfy, and how stale its reads were. Quorum stores (Dynamo, Cassandra, Riak) are not
 * linearizable in general, so the judge reports what they promise, per read:
 *
 * - **fresh or stale**: a read is fresh when it reflects every write acknowledged before it was
 *   invoked — the write's value is among the siblings it returned, or a returned value's writer
 *   had (transitively) read and replaced it;
 * - **k-staleness** (Bailis et al., "Probabilistically Bounded Staleness for Practical Partial
 *   Quorums", VLDB 2012, §3.1): how many acknowledged versions of the key the read missed (it
 *   returned a value at most `missed` versions old, so it is (`missed` + 1)-stale-consistent);
 * - **t-visibility** (§3.2): how long after the earliest missed write was acknowledged the read
 *   still did not see it.
 *
 * Violations, whatever the quorum: a read returning a value nobody wrote; a final read (after
 * healing) missing an acknowledged write nobody replaced (a lost write, or a sibling silently
 * dropped); and a stale read where the read's and the missed write's quorums overlap strictly
 * (neither sloppy, R + W > N). When every operation of the history ran with strict overlapping
 * quorums and blocking read repair, the history must also be linearizable as a multi-value
 * register ({@link mvRegister}, checked by lincheck). Otherwise the verdict is `ok` with the
 * staleness distribution in its detail.
 *
 * The history's vocabulary (the protocol's service writes it; values are unique per write):
 *
 * - `f: "write"`, with `key`: invoke value `{ value, supersedes: [v, ...] }` — the values the
 *   writer's context was read with, which the write replaces; ok value `{ n, r, w, sloppy,
 *   readRepair }`, the quorum the store ran it with.
 * - `f: "read"`, with `key`: invoke value `{ final: boolean }`; ok value `{ values: [v, ...], n,
 *   r, w, sloppy, readRepair }` (the siblings' values, and the quorum), and optionally `dots`,
 *   the store's name of each sibling's write (same order as `values`); a write's ok value may
 *   also carry its `dot`.
 *
 * Zombie writes. A client that gets no answer retries its write elsewhere; if the first
 * coordinator was paused or cut off after it had stored the write, it may carry the first attempt
 * out later, after the retry was acknowledged and even replaced: the same value comes back under a
 * second dot. No quorum system without fencing of client requests prevents this (Dynamo does not),
 * and no sequential register explains it, so when the `dots` show a write carried out twice the
 * judge names the zombie writes and does not hold that history to linearizability (it still holds
 * every read to freshness and the final reads to no lost write).
 *
 * @module
 */
import { checkHistory, type Model } from "@synod/lincheck";
import type { HistoryEvent, Judge, JudgeVerdict } from "./judge.js";

/** The quorum an operation ran with, as the store reported it. */
export interface QuorumUsed {
  n: number;
  r: number;
  w: number;
  sloppy: boolean;
  readRepair: string;
}

/** One read, as the judge saw it. */
export interface ReadStaleness {
  key: string;
  /** Invocation time, ms since the start of the run. */
  atMs: number;
  /** Whether it reflected every write acknowledged before it. */
  fresh: boolean;
  /** Acknowledged versions it missed (0 when fresh). */
  missed: number;
  /** Time since the earliest missed write was acknowledged, ms (0 when fresh). */
  staleByMs: number;
  /** Time since the latest write acknowledged before it, ms (null: none). */
  sinceLastWriteMs: number | null;
  /** Whether it was a final read, after healing. */
  final: boolean;
  quorum: QuorumUsed;
}

/** What the judge found in a history (also for benches that plot staleness). */
export interface StalenessReport {
  reads: ReadStaleness[];
  /** The first violation, in words, or null. */
  violation: string | null;
  /** Whether every operation ran with strict quorums, R + W > N and blocking read repair. */
  linearizableConfig: boolean;
  /** Writes the store carried out twice (a value seen under two dots), in words. */
  zombies: string[];
  /**
   * What the report's "ms" are: `time`, the events' timestamps; `position`, event positions in the
   * history (one per event), used when no event carries a time — a history's order is its
   * real-time order, so freshness is judged the same, and only the t figures lose their unit.
   */
  clock: "time" | "position";
}

interface Write {
  value: string;
  key: string;
  supersedes: string[];
  invokedMs: number;
  ackedMs: number | null;
  quorum: QuorumUsed | null;
  process: string;
}

/**
 * An event's time in ms: `time` (ns, as the simulator writes it) or `timeNs` (ns, as lincheck's
 * readers give a Jepsen or Knossos file's `:time`); null when it has neither.
 */
const eventTimeMs = (e: HistoryEvent): number | null => {
  const t = (e as unknown as { time?: unknown }).time ?? e.timeNs;
  return typeof t === "number" && Number.isFinite(t) ? t / 1e6 : null;
};

function parseQuorum(v: Record<string, unknown>): QuorumUsed | null {
  const { n, r, w, sloppy, readRepair } = v;
  if (typeof n !== "number" || typeof r !== "number" || typeof w !== "number" || typeof sloppy !== "boolean" || typeof readRepair !== "string") return null;
  return { n, r, w, sloppy, readRepair };
}

/**
 * Go through a history in the vocabulary of the module comment: every read's staleness and the
 * first violation (without lincheck; {@link boundedStaleness} adds it).
 */
export function stalenessReport(history: readonly HistoryEvent[]): StalenessReport {
  const open = new Map<string, { e: HistoryEvent; k: number }>();
  const writes = new Map<string, Write>();
  const reads: { key: string; atMs: number; values: string[]; final: boolean; quorum: QuorumUsed; where: string }[] = [];
  const bad = (problem: string): StalenessReport => ({ reads: [], violation: `malformed history for the staleness judge: ${problem}`, linearizableConfig: false, zombies: [], clock: "time" });
  // Without any timestamp every event would sit at 0 and no write would precede any read: every
  // read would pass as fresh. Positions keep the order; a history that times only some events
  // cannot be ordered either way and is refused.
  const timed = history.filter((e) => eventTimeMs(e) !== null).length;
  if (timed !== 0 && timed !== history.length) {
    const k = history.findIndex((e) => eventTimeMs(e) === null);
    return bad(`event ${k} (process ${String((history[k] as HistoryEvent).process)}) has no time, but ${timed} other events do`);
  }
  const clock: "time" | "position" = timed === 0 && history.length > 0 ? "position" : "time";
  const timeMs = (e: HistoryEvent, k: number): number => (clock === "position" ? k : (eventTimeMs(e) as number));
  let allLinearizable = true;
  const dotOf = new Map<string, { dot: string; where: string }>();
  const zombies: string[] = [];
  const seenDot = (value: string, dot: string, where: string): void => {
    const first = dotOf.get(value);
    if (first === undefined) dotOf.set(value, { dot, where });
    else if (first.dot !== dot && !zombies.some((z) => z.startsWith(`${JSON.stringify(value)} `))) zombies.push(`${JSON.stringify(value)} written as ${first.dot} (${first.where}) and again as ${dot} (${where})`);
  };
  for (let k = 0; k < history.length; k++) {
    const e = history[k] as HistoryEvent;
    const where = `event ${k} (process ${String(e.process)})`;
    if (e.f !== "read" && e.f !== "write") return bad(`${where}: operation ${JSON.stringify(e.f)} is not read or write`);
    if (typeof e.key !== "string") return bad(`${where}: no key`);
    if (e.type === "invoke") {
      open.set(String(e.process), { e, k });
      if (e.f === "write") {
        const v = e.value as { value?: unknown; supersedes?: unknown } | null;
        if (typeof v?.value !== "string" || !Array.isArray(v.supersedes) || !v.supersedes.every((x) => typeof x === "string")) return bad(`${where}: write value ${JSON.stringify(e.value)} is not { value, supersedes }`);
        if (writes.has(v.value)) return bad(`${where}: value ${JSON.stringify(v.value)} written twice (values must be unique)`);
        writes.set(v.value, { value: v.value, key: e.key, supersedes: v.supersedes as string[], invokedMs: timeMs(e, k), ackedMs: null, quorum: null, process: String(e.process) });
      }
      continue;
    }
    const inv = open.get(String(e.process));
    open.delete(String(e.process));
    if (inv === undefined) return bad(`${where}: completion without an invocation`);
    if (e.type !== "ok") continue;
    const v = e.value as Record<string, unknown> | null;
    const q = v === null || typeof v !== "object" ? null : parseQuorum(v);
    if (q === null) return bad(`${where}: ok value ${JSON.stringify(e.value)} does not say its quorum { n, r, w, sloppy, readRepair }`);
    if (q.sloppy || q.r + q.w <= q.n || q.readRepair !== "blocking") allLinearizable = false;
    if (e.f === "write") {
      const w = writes.get((inv.e.value as { value: string }).value) as Write;
      w.ackedMs = timeMs(e, k);
      w.quorum = q;
      if (typeof v?.dot === "string") seenDot(w.value, v.dot, where);
    } else {
      if (!Array.isArray(v?.values) || !v.values.every((x) => typeof x === "string")) return bad(`${where}: read result ${JSON.stringify(e.value)} has no values list`);
      if (Array.isArray(v.dots)) { const vs = v.values as string[]; v.dots.forEach((d, i) => seenDot(vs[i] as string, String(d), where)); }
      const final = (inv.e.value as { final?: unknown } | null)?.final === true;
      reads.push({ key: e.key, atMs: timeMs(inv.e, inv.k), values: v.values as string[], final, quorum: q, where });
    }
  }
  // past(v): every value v's writer replaced, transitively.
  const pastMemo = new Map<string, Set<string>>();
  const past = (v: string): Set<string> => {
    const m = pastMemo.get(v);
    if (m !== undefined) return m;
    const out = new Set<string>();
    pastMemo.set(v, out);
    for (const s of writes.get(v)?.supersedes ?? []) {
      out.add(s);
      for (const x of past(s)) out.add(x);
    }
    return out;
  };
  const acked = [...writes.values()].filter((w) => w.ackedMs !== null).sort((a, b) => (a.ackedMs as number) - (b.ackedMs as number));
  const out: ReadStaleness[] = [];
  let violation: string | null = null;
  for (const r of reads) {
    for (const v of r.values) {
      const w = writes.get(v);
      if (w === undefined || w.key !== r.key) {
        violation ??= `${r.where}: read of ${r.key} returned ${JSON.stringify(v)}, which no write of ${r.key} wrote`;
      }
    }
    const reflected = new Set<string>(r.values);
    for (const v of r.values) for (const x of past(v)) reflected.add(x);
    const before = acked.filter((w) => w.key === r.key && (w.ackedMs as number) < r.atMs);
    const missed = before.filter((w) => !reflected.has(w.value));
    const last = before[before.length - 1];
    out.push({
      key: r.key,
      atMs: r.atMs,
      fresh: missed.length === 0,
      missed: missed.length,
      staleByMs: missed.length === 0 ? 0 : r.atMs - Math.min(...missed.map((w) => w.ackedMs as number)),
      sinceLastWriteMs: last === undefined ? null : r.atMs - (last.ackedMs as number),
      final: r.final,
      quorum: r.quorum,
    });
    const m = missed[0];
    if (m === undefined || violation !== null) continue;
    const mq = m.quorum as QuorumUsed;
    const say = `${r.where}: read of ${r.key} returned ${JSON.stringify([...r.values].sort())} ${(r.atMs - (m.ackedMs as number)).toFixed(1)} ms after write ${JSON.stringify(m.value)} (process ${m.process}) was acknowledged with W = ${mq.w}, which it does not reflect`;
    if (r.final) violation = `acknowledged write lost or sibling dropped: ${say} (a final read, after healing and restarting every node)`;
    else if (!mq.sloppy && !r.quorum.sloppy && mq.n === r.quorum.n && r.quorum.r + mq.w > mq.n) violation = `stale read under overlapping strict quorums (R = ${r.quorum.r}, W = ${mq.w}, N = ${mq.n}): ${say}`;
  }
  return { reads: out, violation, linearizableConfig: allLinearizable && reads.length + acked.length > 0, zombies, clock };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The staleness distribution in one line: reads, stale share, versions missed and ms stale. */
export function describeStaleness(reads: readonly ReadStaleness[], clock: "time" | "position" = "time"): string {
  const unit = clock === "time" ? "ms" : "events";
  const stale = reads.filter((r) => !r.fresh);
  const k = stale.map((r) => r.missed).sort((a, b) => a - b);
  const t = stale.map((r) => r.staleByMs).sort((a, b) => a - b);
  const pct = reads.length === 0 ? 0 : (100 * stale.length) / reads.length;
  if (stale.length === 0) return `${reads.length} reads, none stale`;
  return `${reads.length} reads, ${stale.length} stale (${pct.toFixed(1)}%); versions missed p50 ${percentile(k, 50)}, p99 ${percentile(k, 99)}, max ${k[k.length - 1]}; stale by p50 ${percentile(t, 50).toFixed(1)} ${unit}, p99 ${percentile(t, 99).toFixed(1)} ${unit}, max ${(t[t.length - 1] as number).toFixed(1)} ${unit}`;
}

/** An operation on a multi-value register (one per key). */
export type MvInput = { kind: "get"; key: string } | { kind: "put"; key: string; value: string; supersedes: readonly string[] };

/**
 * A multi-value register's sequential specification, per key: the state is the set of sibling
 * values; a get returns it; a put of `value` over the siblings `supersedes` it was read with
 * replaces them with `value`, and leaves every other sibling in place.
 */
export function mvRegister(): Model<readonly string[], MvInput, readonly string[] | null> {
  const canon = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
  return {
    name: "multi-value register",
    init: () => [],
    step(state, input, output) {
      if (input.kind === "get") return output === undefined || output === null || state.join("\u0000") === canon(output).join("\u0000") ? state : undefined;
      const drop = new Set(input.supersedes);
      return canon([...state.filter((v) => !drop.has(v)), input.value]);
    },
    equal: (a, b) => a.join("\u0000") === b.join("\u0000"),
    hash: (s) => s.join("\u0000"),
    partition: (input) => input.key,
    readOnly: (input) => input.kind === "get",
    decode({ f, value, result, key }) {
      if (typeof key !== "string") throw new Error("an operation without a key");
      if (f === "read") {
        const vs = (result as { values?: unknown } | undefined)?.values;
        return { input: { kind: "get", key }, output: result === undefined ? undefined : canon(vs as string[]) };
      }
      if (f === "write") {
        const v = value as { value: string; supersedes: string[] };
        return { input: { kind: "put", key, value: v.value, supersedes: v.supersedes }, output: result === undefined ? undefined : null };
      }
      throw new Error(`unknown operation ${JSON.stringify(f)} (multi-value register: read, write)`);
    },
    describeOperation: (input, output) =>
      input.kind === "get" ? `get ${input.key} -> ${output === undefined || output === null ? "?" : JSON.stringify(output)}` : `put ${input.key} ${JSON.stringify(input.value)} over ${JSON.stringify(input.supersedes)}${output === undefined ? " (outcome unknown)" : ""}`,
    describeState: (s) => JSON.stringify(s),
  };
}

/** The bounded-staleness judge (see the module comment). */
export function boundedStaleness(): Judge {
  return {
    name: "bounded-staleness",
    promise:
      "no read returns an unwritten value; no acknowledged write is lost or its sibling dropped; reads under overlapping strict quorums (R + W > N) see every acknowledged write, and with blocking read repair the history is linearizable (multi-value register); otherwise the staleness distribution (k-staleness, t-visibility) is reported",
    check(history, options): JudgeVerdict {
      const rep = stalenessReport(history);
      if (rep.violation !== null) return { verdict: "violation", explanation: rep.violation };
      const dist = describeStaleness(rep.reads.filter((r) => !r.final), rep.clock);
      if (!rep.linearizableConfig) return { verdict: "ok", detail: `bounded staleness: ${dist}` };
      if (rep.zombies.length > 0) return { verdict: "ok", detail: `fresh reads (R + W > N, strict), not held to linearizability: ${rep.zombies.length} retried write(s) carried out twice (zombie writes: ${rep.zombies.slice(0, 2).join("; ")}); ${dist}` };
      const lin = checkHistory(history as HistoryEvent[], mvRegister(), { timeoutMs: options.timeoutMs });
      switch (lin.verdict) {
        case "ok":
          return { verdict: "ok", detail: `linearizable (multi-value register, ${lin.operations.length} operations); ${dist}` };
        case "illegal":
          return { verdict: "violation", explanation: `not linearizable under strict quorums with R + W > N and blocking read repair: ${lin.explanation}` };
        case "unknown":
          return { verdict: "unknown", reason: lin.reason };
      }
    },
  };
}

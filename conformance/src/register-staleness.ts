/**
 * Public register histories (Knossos's cas-register data, Porcupine's Jepsen etcd logs and kv
 * histories) through the bounded-staleness judge. Those histories are of single-value registers
 * (read, write, cas) or of Porcupine's kv store (get, put, append), with repeated values and no
 * read contexts; the judge reads the multi-value vocabulary of {@link stalenessReport}. Two things
 * here, written independently of each other:
 *
 * - {@link definitelyStaleReads}: the ground truth, on the register history itself. A read is
 *   definitely stale when every write it could have returned (same key, same value; for kv, the
 *   op whose token ends the string read) had been followed, in real time, by another write that
 *   was acknowledged before the read began. No linearizable history has one.
 * - {@link registerToMv}: the history in the judge's vocabulary. Each write (write, successful or
 *   indeterminate cas, put, append) gets a unique value; it supersedes every write of its key that
 *   could have taken effect before it (invoked before it completed) and the initial value; a read
 *   returns, of the writes it could have read from, the one that completed last (repeated values
 *   make that a choice). Event positions stand for times.
 *
 * A converted read is judged stale only if it is definitely stale (the judge's stale reads are a
 * subset of the ground truth): the judge's `past` is transitive and the "could have taken effect
 * before" relation is not, so a chain of concurrent writes can make the judge count a write as
 * replaced that the ground truth does not. Where the two differ, the script that runs them says so.
 *
 * @module
 */
import { valueEqual, type HistoryEvent, type Value } from "@synod/lincheck";
import type { QuorumUsed } from "./staleness.js";

/** One operation of a register or kv history, paired from its events. */
interface Op {
  process: string;
  f: string;
  key: string;
  /** Position of the invocation and of the completion (Infinity: never completed, or info). */
  call: number;
  ret: number;
  status: "ok" | "info";
  /** For writes: the value written (for kv appends, the token); for reads: the value returned. */
  value: Value;
  kind: "write" | "read";
}

/** Which history this is: a register (`read`, `write`, `cas`) or Porcupine's kv (`get`, `put`, `append`). */
export type RegisterFlavour = "register" | "kv";

const keyOf = (e: HistoryEvent): string => (e.key === undefined ? "" : typeof e.key === "string" ? e.key : JSON.stringify(e.key));

/** Pairs invocations with completions (Jepsen's rules) and keeps what the staleness questions need. */
function operations(history: readonly HistoryEvent[], flavour: RegisterFlavour, init: Value): Op[] {
  const open = new Map<string, { e: HistoryEvent; k: number }>();
  const ops: Op[] = [];
  const add = (inv: { e: HistoryEvent; k: number }, ret: number, status: "ok" | "info", result: Value | undefined): void => {
    const e = inv.e;
    const where = `event ${inv.k} (process ${String(e.process)})`;
    const f = e.f;
    const write = flavour === "register" ? f === "write" || f === "cas" : f === "put" || f === "append";
    const read = flavour === "register" ? f === "read" : f === "get";
    if (!write && !read) throw new Error(`${where}: operation ${JSON.stringify(f)} is not one of ${flavour === "register" ? "read, write, cas" : "get, put, append"}`);
    if (read) {
      if (status !== "ok") return; // a read with no answer says nothing about staleness
      // Knossos's registers read nil as "value not known" (its cas-register model accepts it in
      // any state): where nil is not the initial value, such a read says nothing either.
      if (flavour === "register" && (result ?? null) === null && init !== null) return;
      ops.push({ process: String(e.process), f, key: keyOf(e), call: inv.k, ret, status, value: result ?? null, kind: "read" });
      return;
    }
    let value: Value = e.value;
    if (f === "cas") {
      if (!Array.isArray(e.value) || e.value.length !== 2) throw new Error(`${where}: cas value ${JSON.stringify(e.value)} is not [old, new]`);
      value = e.value[1] as Value;
    }
    ops.push({ process: String(e.process), f, key: keyOf(e), call: inv.k, ret, status, value, kind: "write" });
  };
  history.forEach((e, k) => {
    if (e.process === "nemesis") return;
    const p = String(e.process);
    if (e.type === "invoke") {
      open.set(p, { e, k });
      return;
    }
    const inv = open.get(p);
    open.delete(p);
    if (inv === undefined) throw new Error(`event ${k} (process ${p}): completion without an invocation`);
    if (e.type === "fail") return; // did not happen
    // Jepsen's etcd logs (as lincheck reads them) complete a cas that did not apply as ok with false.
    if (inv.e.f === "cas" && e.type === "ok" && e.value === false) return;
    add(inv, e.type === "ok" ? k : Infinity, e.type === "ok" ? "ok" : "info", e.type === "ok" ? e.value : undefined);
  });
  for (const inv of open.values()) add(inv, Infinity, "info", undefined);
  return ops;
}

/** The initial write of a key: before everything. */
const initial = (key: string, value: Value): Op => ({ process: "init", f: "init", key, call: -2, ret: -1, status: "ok", value, kind: "write" });

/**
 * The writes a read could have returned: invoked before the read completed, of its key, and of
 * the value it read (for kv, the op whose token ends the string read).
 */
function candidates(read: Op, writes: readonly Op[], flavour: RegisterFlavour): Op[] {
  const possible = writes.filter((w) => w.call < read.ret);
  if (flavour === "register") return possible.filter((w) => valueEqual(w.value, read.value));
  const s = read.value;
  if (s === "" || s === null) return possible.filter((w) => w.f === "init");
  if (typeof s !== "string") return [];
  return possible.filter((w) => w.f !== "init" && typeof w.value === "string" && w.value !== "" && s.endsWith(w.value));
}

/** What {@link definitelyStaleReads} found. */
export interface GroundTruth {
  /** Reads (ok) in the history. */
  reads: number;
  /** Positions (invocation events) of the definitely stale reads. */
  stale: number[];
  /** Positions of reads returning a value no write of their key could have produced. */
  unwritten: number[];
}

/**
 * The definitely stale reads of a register or kv history (see the module comment): for every
 * write `c` the read could have returned, some other write of the key was invoked after `c` was
 * acknowledged and was itself acknowledged before the read was invoked.
 */
export function definitelyStaleReads(history: readonly HistoryEvent[], flavour: RegisterFlavour, init: Value): GroundTruth {
  const ops = operations(history, flavour, init);
  const reads = ops.filter((o) => o.kind === "read");
  const byKey = new Map<string, Op[]>();
  for (const o of ops) if (o.kind === "write") (byKey.get(o.key) ?? byKey.set(o.key, []).get(o.key) ?? []).push(o);
  const stale: number[] = [];
  const unwritten: number[] = [];
  for (const r of reads) {
    const writes = [initial(r.key, init), ...(byKey.get(r.key) ?? [])];
    const cs = candidates(r, writes, flavour);
    if (cs.length === 0) {
      unwritten.push(r.call);
      continue;
    }
    const overwritten = (c: Op): boolean => writes.some((w) => w !== c && w.status === "ok" && c.ret < w.call && w.ret < r.call);
    if (cs.every(overwritten)) stale.push(r.call);
  }
  return { reads: reads.length, stale, unwritten };
}

/** A register history in the judge's vocabulary. */
export interface MvConversion {
  history: HistoryEvent[];
  /** For each converted read, by its invocation's time in ms: the original read's invocation position. */
  readPosition: Map<number, number>;
  /**
   * Reads with more than one write they could have returned (a repeated value). The conversion
   * picks one, which keeps staleness right but may not be the one a linearization needs: hold
   * only unambiguous conversions to the multi-value register's linearizability.
   */
  ambiguousReads: number;
}

/**
 * The history in the staleness judge's vocabulary (see the module comment), every operation
 * reported as run with `quorum`. Reads returning a value nobody wrote keep a value no write has,
 * so the judge reports them.
 */
export function registerToMv(history: readonly HistoryEvent[], flavour: RegisterFlavour, init: Value, quorum: QuorumUsed): MvConversion {
  const ops = operations(history, flavour, init);
  const keys = [...new Set(ops.map((o) => o.key))];
  const writes = new Map<string, Op[]>(keys.map((k) => [k, [initial(k, init)]]));
  for (const o of ops) if (o.kind === "write") (writes.get(o.key) as Op[]).push(o);
  const id = new Map<Op, string>();
  for (const [k, ws] of writes) ws.forEach((w, i) => id.set(w, `${k}#${i === 0 ? "init" : i}`));
  type Timed = { at: number; order: number; e: Record<string, unknown>; read?: number };
  const out: Timed[] = [];
  const push = (at: number, order: number, e: Record<string, unknown>, read?: number): void => {
    out.push({ at, order, e, ...(read === undefined ? {} : { read }) });
  };
  let n = 0;
  let ambiguous = 0;
  for (const [k, ws] of writes) {
    for (const w of ws) {
      const supersedes = ws.filter((x) => x !== w && x.call < w.ret).map((x) => id.get(x) as string);
      const process = w.f === "init" ? `init:${k}` : `w${n++}`;
      push(w.call, 0, { process, type: "invoke", f: "write", key: k, value: { value: id.get(w), supersedes } });
      if (w.status === "ok") push(w.ret, 1, { process, type: "ok", f: "write", key: k, value: { ...quorum } });
    }
  }
  for (const r of ops.filter((o) => o.kind === "read")) {
    // The candidate completed last is the freshest reading: whatever overwrote it overwrote them all.
    const cs = candidates(r, writes.get(r.key) as Op[], flavour);
    if (cs.length > 1) ambiguous++;
    const pick = cs.reduce<Op | null>((best, c) => (best === null || c.ret > best.ret || (c.ret === best.ret && c.call > best.call) ? c : best), null);
    const value = pick === null ? `${r.key}#unwritten:${JSON.stringify(r.value)}` : (id.get(pick) as string);
    const process = `r${n++}`;
    push(r.call, 0, { process, type: "invoke", f: "read", key: r.key, value: { final: false } }, r.call);
    push(r.ret, 1, { process, type: "ok", f: "read", key: r.key, value: { values: [value], ...quorum } });
  }
  // Positions as times (ns, one ms per event), the initial writes first.
  out.sort((a, b) => a.at - b.at || a.order - b.order);
  const readPosition = new Map<number, number>();
  out.forEach((t, i) => {
    if (t.read !== undefined) readPosition.set(i, t.read);
  });
  return { history: out.map((t, i) => ({ ...t.e, time: i * 1e6 }) as unknown as HistoryEvent), readPosition, ambiguousReads: ambiguous };
}

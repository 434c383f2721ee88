import { xoroshiro128plus } from "pure-rand";
import type { HistoryEvent } from "./types.js";
import type { Value } from "./value.js";

/** Options for {@link generateHistory}. */
export interface GeneratorOptions {
  /** Seed of the generator; the same options give the same history. */
  readonly seed: number;
  /** Number of operations. */
  readonly operations: number;
  /** Concurrent client processes. */
  readonly processes: number;
  /** Number of keys; 0 (default) for a single register without keys. */
  readonly keys?: number;
  /** Operation mix: fractions of reads and CAS (the rest are writes). Default 0.5 and 0. */
  readonly readFraction?: number;
  /** Fraction of CAS operations (their `to` values are fresh, their `from` a recent value). */
  readonly casFraction?: number;
  /** How long an operation lasts relative to the pause between a process's operations. Default 1. */
  readonly overlap?: number;
  /** Fraction of operations whose completion is `info` (the process then retires). Default 0. */
  readonly infoFraction?: number;
  /**
   * Make the history non-linearizable: one read returns a value that a completed write replaced
   * before the read began. Throws if the history has no such read.
   */
  readonly staleRead?: boolean;
}

/** A generated history and, when `staleRead` was asked for, the read that was changed. */
export interface GeneratedHistory {
  /** The events, in time order, with `time` in ns. */
  readonly events: HistoryEvent[];
  /** Index (into `events`) of the completion whose value was changed, if any. */
  readonly mutatedEvent?: number;
}

interface GenOp {
  process: number;
  key: string | undefined;
  f: "read" | "write" | "cas";
  value: Value;
  result: Value;
  call: number;
  ret: number;
  point: number;
  status: "ok" | "info";
  applied: boolean;
}

/** Floats in [0, 1) from pure-rand's xoroshiro128+ seeded with `seed` (32 bits per draw). */
function rng(seed: number): () => number {
  const gen = xoroshiro128plus(seed);
  return () => (gen.unsafeNext() >>> 0) / 4294967296;
}

/**
 * Generates a history by running a sequential register (or per-key registers) under concurrent
 * clients: every operation gets a random interval and a linearization point inside it, and its
 * result is what the sequential model returns at that point. So the history is linearizable by
 * construction, unless `staleRead` breaks it on purpose.
 */
export function generateHistory(options: GeneratorOptions): GeneratedHistory {
  const random = rng(options.seed);
  const keys = options.keys ?? 0;
  const readFraction = options.readFraction ?? 0.5;
  const casFraction = options.casFraction ?? 0;
  const overlap = options.overlap ?? 1;
  const infoFraction = options.infoFraction ?? 0;
  const gapNs = 1000;
  const ops: GenOp[] = [];
  const clock = new Array<number>(options.processes).fill(0);
  const ids = Array.from({ length: options.processes }, (_, i) => i);
  let nextValue = 1;
  for (let n = 0; n < options.operations; n++) {
    // The process that is free earliest issues next, so operations interleave.
    let p = 0;
    for (let i = 1; i < clock.length; i++) if (clock[i] < clock[p]) p = i;
    const call = clock[p] + Math.floor(random() * gapNs) + 1;
    const ret = call + Math.floor(random() * gapNs * overlap * 2) + 1;
    const roll = random();
    const f = roll < readFraction ? "read" : roll < readFraction + casFraction ? "cas" : "write";
    const info = random() < infoFraction && f !== "read";
    ops.push({
      process: ids[p],
      key: keys > 0 ? `k${Math.floor(random() * keys)}` : undefined,
      f,
      value: f === "read" ? null : f === "write" ? nextValue++ : [null, nextValue++],
      result: null,
      call,
      ret,
      point: call + random() * (ret - call),
      status: info ? "info" : "ok",
      applied: info ? random() < 0.5 : true,
    });
    clock[p] = ret;
    if (info) ids[p] += options.processes;
  }
  // Run the sequential model in linearization-point order to fill in results.
  const state = new Map<string | undefined, Value>();
  const recent = new Map<string | undefined, Value[]>();
  for (const op of [...ops].sort((a, b) => a.point - b.point)) {
    const current = state.has(op.key) ? (state.get(op.key) as Value) : null;
    const seen = recent.get(op.key) ?? [null];
    switch (op.f) {
      case "read":
        op.result = current;
        break;
      case "write":
        if (op.applied) state.set(op.key, op.value);
        op.result = op.value;
        break;
      case "cas": {
        // Compare against the current value half the time, so about half succeed.
        const from = random() < 0.5 ? current : seen[Math.floor(random() * seen.length)];
        const to = (op.value as Value[])[1];
        op.value = [from, to];
        const matches = from === current;
        if (matches && op.applied) state.set(op.key, to);
        op.result = matches ? op.value : false;
        break;
      }
    }
    if (op.f !== "read") recent.set(op.key, [...seen.slice(-3), state.get(op.key) ?? null]);
  }
  let mutatedOp: GenOp | undefined;
  let staleValue: Value = null;
  if (options.staleRead === true) {
    [mutatedOp, staleValue] = pickStaleRead(ops, random);
  }
  const events: (HistoryEvent & { readonly order: number })[] = [];
  for (const op of ops) {
    const base = { process: op.process, f: op.f, ...(op.key !== undefined ? { key: op.key } : {}) };
    events.push({ ...base, type: "invoke", value: op.f === "read" ? null : op.value, timeNs: op.call, order: 0 });
    if (op.status === "info") {
      events.push({ ...base, type: "info", value: null, error: "timeout", timeNs: op.ret, order: 1 });
    } else {
      const result = op === mutatedOp ? staleValue : op.result;
      events.push({ ...base, type: "ok", value: result, timeNs: op.ret, order: 1 });
    }
  }
  events.sort((a, b) => (a.timeNs as number) - (b.timeNs as number) || b.order - a.order);
  const clean = events.map(({ order: _order, ...e }) => e as HistoryEvent);
  const mutatedEvent = mutatedOp === undefined ? -1 : clean.findIndex((e) => e.type === "ok" && e.timeNs === mutatedOp.ret && e.process === mutatedOp.process);
  return mutatedEvent >= 0 ? { events: clean, mutatedEvent } : { events: clean };
}

/**
 * A read R and a value v such that some completed write set v, and another completed write of
 * the same key began after that write ended and ended before R began. Values are unique, so R
 * returning v cannot be linearized.
 */
function pickStaleRead(ops: readonly GenOp[], random: () => number): [GenOp, Value] {
  const sets = ops.filter((o) => o.status === "ok" && (o.f === "write" || (o.f === "cas" && o.result !== false)));
  const candidates: [GenOp, Value][] = [];
  for (const r of ops) {
    if (r.f !== "read" || r.status !== "ok") continue;
    for (const w2 of sets) {
      if (w2.key !== r.key || w2.ret >= r.call) continue;
      const w1 = sets.find((w) => w.key === r.key && w.ret < w2.call);
      if (w1 === undefined) continue;
      const v = w1.f === "write" ? w1.value : (w1.value as Value[])[1];
      candidates.push([r, v]);
      break;
    }
    if (candidates.length >= 64) break;
  }
  if (candidates.length === 0) throw new Error("no read can be made stale in this history; use more operations");
  return candidates[Math.floor(random() * candidates.length)];
}

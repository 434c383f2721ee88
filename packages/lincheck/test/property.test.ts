import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkHistory } from "../src/check.js";
import { generateHistory } from "../src/generate.js";
import { prepareOperations } from "../src/history.js";
import { casRegister, kv, multiRegister, register, set, unpartitioned } from "../src/models/index.js";
import type { AnyModel, HistoryEvent } from "../src/types.js";
import type { Value } from "../src/value.js";
import { expectValidWitness } from "./helpers.js";

// Every property prints its seed; replay with SEED=<n> (and FC_PATH=<path> from a failure report).
const seed = process.env.SEED !== undefined ? Number(process.env.SEED) : Math.floor(Math.random() * 2 ** 31);
const path = process.env.FC_PATH;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns, ...(path !== undefined ? { path } : {}) });
console.log(`property tests: SEED=${seed}`);

const generated = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  operations: fc.integer({ min: 1, max: 120 }),
  processes: fc.integer({ min: 1, max: 6 }),
  overlap: fc.double({ min: 0.1, max: 4, noNaN: true }),
  infoFraction: fc.constantFrom(0, 0, 0.05, 0.1, 0.3),
});

describe("generated histories", () => {
  it("are linearizable for register, cas-register and kv, with a valid witness", () => {
    fc.assert(
      fc.property(generated, fc.constantFrom("register", "cas-register", "kv"), (g, which) => {
        const model: AnyModel = which === "register" ? register() : which === "kv" ? kv() : casRegister();
        const history = generateHistory({
          ...g,
          keys: which === "kv" ? 3 : 0,
          casFraction: which === "register" ? 0 : 0.3,
          readFraction: 0.4,
        });
        const result = checkHistory(history.events, model);
        expectValidWitness(result, model);
      }),
      params(150),
    );
  });

  it("are never linearizable once a read returns a value overwritten before it began", () => {
    fc.assert(
      fc.property(generated, fc.constantFrom("register", "cas-register", "kv"), (g, which) => {
        const model: AnyModel = which === "register" ? register() : which === "kv" ? kv() : casRegister();
        let events: HistoryEvent[];
        try {
          events = generateHistory({
            ...g,
            operations: g.operations + 20,
            keys: which === "kv" ? 2 : 0,
            casFraction: which === "register" ? 0 : 0.3,
            readFraction: 0.4,
            staleRead: true,
          }).events;
        } catch {
          fc.pre(false);
          return;
        }
        expect(checkHistory(events, model).verdict).toBe("illegal");
      }),
      params(150),
    );
  });

  it("get the same verdict partitioned and unpartitioned", () => {
    fc.assert(
      fc.property(generated, fc.boolean(), (g, stale) => {
        let events: HistoryEvent[];
        try {
          events = generateHistory({ ...g, operations: Math.min(g.operations, 40), processes: Math.min(g.processes, 4), keys: 3, casFraction: 0.2, readFraction: 0.4, staleRead: stale }).events;
        } catch {
          fc.pre(false);
          return;
        }
        const a = checkHistory(events, kv());
        const b = checkHistory(events, unpartitioned(kv()));
        expect(b.partitions).toHaveLength(1);
        expect(a.verdict).toBe(b.verdict);
      }),
      params(100),
    );
  });
});

/** A tiny history: each operation on its own process, with random interval and outcome. */
interface TinyOp {
  readonly f: "read" | "write" | "cas";
  readonly a: Value;
  readonly b: Value;
  readonly result: Value;
  readonly call: number;
  readonly length: number;
  readonly outcome: "ok" | "info" | "fail";
  readonly key: string;
}

const small = fc.constantFrom<Value>(null, 1, 2);
const tinyOp: fc.Arbitrary<TinyOp> = fc.record({
  f: fc.constantFrom("read", "write", "cas"),
  a: small,
  b: small,
  result: fc.oneof(small, fc.boolean()),
  call: fc.integer({ min: 0, max: 20 }),
  length: fc.integer({ min: 1, max: 12 }),
  outcome: fc.constantFrom("ok", "ok", "ok", "info", "fail"),
  key: fc.constantFrom("a", "b"),
});

function tinyEvents(ops: readonly TinyOp[], keyed = false): HistoryEvent[] {
  const events: { e: HistoryEvent; t: number }[] = [];
  ops.forEach((op, p) => {
    const value: Value = op.f === "read" ? null : op.f === "write" ? op.a : [op.a, op.b];
    const result: Value = op.f === "read" ? op.result : op.f === "write" ? op.a : op.result === false ? false : [op.a, op.b];
    const key = keyed ? { key: op.key } : {};
    events.push({ e: { process: p, type: "invoke", f: op.f, value, ...key }, t: 2 * op.call });
    events.push({ e: { process: p, type: op.outcome, f: op.f, value: result, ...key }, t: 2 * (op.call + op.length) + 1 });
  });
  return events.sort((x, y) => x.t - y.t).map((x) => x.e);
}

/**
 * The definition, by brute force: some order of the completed operations plus any subset of the
 * info ones, where nothing is placed before an operation that returned before it was invoked,
 * is accepted by the model.
 */
function bruteForce(ops: readonly TinyOp[], model: AnyModel, keyed = false): boolean {
  const live = ops
    .map((op, i) => ({ op, i }))
    .filter((x) => x.op.outcome !== "fail")
    .map(({ op }) => {
      const decoded = model.decode({
        f: op.f,
        value: op.f === "read" ? null : op.f === "write" ? op.a : [op.a, op.b],
        result: op.outcome === "info" ? undefined : op.f === "read" ? op.result : op.f === "write" ? op.a : op.result === false ? false : [op.a, op.b],
        key: keyed ? op.key : undefined,
      });
      return { ...decoded, call: op.call, ret: op.outcome === "info" ? Infinity : op.call + op.length + 0.5, required: op.outcome === "ok" };
    });
  const placed = new Array<boolean>(live.length).fill(false);
  const search = (state: unknown): boolean => {
    if (live.every((o, i) => placed[i] || !o.required)) return true;
    for (let i = 0; i < live.length; i++) {
      if (placed[i]) continue;
      if (live.some((o, j) => !placed[j] && j !== i && o.ret < live[i].call)) continue;
      const next = model.step(state, live[i].input, live[i].output);
      if (next === undefined) continue;
      placed[i] = true;
      const found = search(next);
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(model.init());
}

describe("against the definition", () => {
  it("agrees with a brute-force search on tiny random cas-register histories", () => {
    fc.assert(
      fc.property(fc.array(tinyOp, { minLength: 1, maxLength: 7 }), (ops) => {
        const model = casRegister();
        const expected = bruteForce(ops, model);
        const result = checkHistory(tinyEvents(ops), model);
        expect(result.verdict).toBe(expected ? "ok" : "illegal");
        if (expected) expectValidWitness(result, model);
      }),
      params(1500),
    );
  });

  it("agrees with a brute-force search on tiny random two-key kv histories, partitioned or not", () => {
    fc.assert(
      fc.property(fc.array(tinyOp, { minLength: 1, maxLength: 7 }), fc.boolean(), (ops, split) => {
        const model = split ? kv() : unpartitioned(kv());
        const expected = bruteForce(ops, unpartitioned(kv()), true);
        const result = checkHistory(tinyEvents(ops, true), model);
        expect(result.verdict).toBe(expected ? "ok" : "illegal");
        if (expected) expectValidWitness(result, model);
      }),
      params(1500),
    );
  });
});

/** A tiny set history: add / remove / contains on two elements, each operation on its own process. */
const tinySetOp = fc.record({
  f: fc.constantFrom("add", "remove", "contains"),
  element: fc.constantFrom(1, 2),
  result: fc.boolean(),
  call: fc.integer({ min: 0, max: 20 }),
  length: fc.integer({ min: 1, max: 12 }),
  outcome: fc.constantFrom<"ok" | "info" | "fail">("ok", "ok", "ok", "info", "fail"),
});

describe("set against the definition", () => {
  it("agrees with a brute-force search, per element or not", () => {
    fc.assert(
      fc.property(fc.array(tinySetOp, { minLength: 1, maxLength: 7 }), fc.boolean(), (ops, split) => {
        const events: { e: HistoryEvent; t: number }[] = [];
        ops.forEach((op, p) => {
          const result = op.f === "contains" ? op.result : op.element;
          events.push({ e: { process: p, type: "invoke", f: op.f, value: op.element }, t: 2 * op.call });
          events.push({ e: { process: p, type: op.outcome, f: op.f, value: result }, t: 2 * (op.call + op.length) + 1 });
        });
        const history = events.sort((x, y) => x.t - y.t).map((x) => x.e);
        const model = split ? set() : unpartitioned(set());
        // The definition: some order of the completed operations plus any subset of the info
        // ones, respecting real time, that the sequential set accepts.
        const live = ops
          .filter((op) => op.outcome !== "fail")
          .map((op) => ({
            ...set().decode({ f: op.f, value: op.element, result: op.outcome === "info" ? undefined : op.f === "contains" ? op.result : op.element, key: undefined }),
            call: op.call,
            ret: op.outcome === "info" ? Infinity : op.call + op.length + 0.5,
            required: op.outcome === "ok",
          }));
        const placed = new Array<boolean>(live.length).fill(false);
        const reference = set();
        const search = (state: ReturnType<typeof reference.init>): boolean => {
          if (live.every((o, i) => placed[i] || !o.required)) return true;
          for (let i = 0; i < live.length; i++) {
            if (placed[i] || live.some((o, j) => !placed[j] && j !== i && o.ret < live[i].call)) continue;
            const next = reference.step(state, live[i].input, live[i].output);
            if (next === undefined) continue;
            placed[i] = true;
            const found = search(next);
            placed[i] = false;
            if (found) return true;
          }
          return false;
        };
        const expected = search(reference.init());
        const result = checkHistory(history, model);
        expect(result.verdict).toBe(expected ? "ok" : "illegal");
        if (expected) expectValidWitness(result, model);
      }),
      params(1500),
    );
  });
});

/** A tiny append history on one key: appends and puts of short strings, gets of short strings. */
const tinyAppendOp = fc.record({
  f: fc.constantFrom("append", "append", "put", "get", "get"),
  value: fc.constantFrom("a", "b", "ab", ""),
  result: fc.constantFrom("", "a", "b", "ab", "ba", "aa", "bab", "abb"),
  call: fc.integer({ min: 0, max: 20 }),
  length: fc.integer({ min: 1, max: 12 }),
  outcome: fc.constantFrom<"ok" | "info" | "fail">("ok", "ok", "ok", "info", "fail"),
});

describe("kv appends against the definition", () => {
  it("agree with a brute-force search (value flow through appends)", () => {
    fc.assert(
      fc.property(fc.array(tinyAppendOp, { minLength: 1, maxLength: 7 }), fc.constantFrom<Value>("", null), (ops, init) => {
        const events: { e: HistoryEvent; t: number }[] = [];
        ops.forEach((op, p) => {
          const invoked: Value = op.f === "get" ? null : op.value;
          const result: Value = op.f === "get" ? op.result : op.value;
          events.push({ e: { process: p, type: "invoke", f: op.f, key: "k", value: invoked }, t: 2 * op.call });
          events.push({ e: { process: p, type: op.outcome, f: op.f, key: "k", value: result }, t: 2 * (op.call + op.length) + 1 });
        });
        const history = events.sort((x, y) => x.t - y.t).map((x) => x.e);
        const model = kv({ init });
        const live = ops
          .filter((op) => op.outcome !== "fail")
          .map((op) => ({
            ...model.decode({ f: op.f, value: op.f === "get" ? null : op.value, result: op.outcome === "info" ? undefined : op.f === "get" ? op.result : op.value, key: "k" }),
            call: op.call,
            ret: op.outcome === "info" ? Infinity : op.call + op.length + 0.5,
            required: op.outcome === "ok",
          }));
        const placed = new Array<boolean>(live.length).fill(false);
        const search = (state: ReturnType<typeof model.init>): boolean => {
          if (live.every((o, i) => placed[i] || !o.required)) return true;
          for (let i = 0; i < live.length; i++) {
            if (placed[i] || live.some((o, j) => !placed[j] && j !== i && o.ret < live[i].call)) continue;
            const next = model.step(state, live[i].input, live[i].output);
            if (next === undefined) continue;
            placed[i] = true;
            const found = search(next);
            placed[i] = false;
            if (found) return true;
          }
          return false;
        };
        const expected = search(model.init());
        const result = checkHistory(history, model);
        expect(result.verdict).toBe(expected ? "ok" : "illegal");
        if (expected) expectValidWitness(result, model);
      }),
      params(2000),
    );
  });
});

/** A tiny multi-register txn: one or two reads and writes over keys x and y, on its own process. */
const tinyTxnOp = fc.record({
  micro: fc.array(
    fc.record({ f: fc.constantFrom("read", "write"), key: fc.constantFrom("x", "y"), value: fc.constantFrom<Value>(null, 0, 1, 2) }),
    { minLength: 1, maxLength: 2 },
  ),
  call: fc.integer({ min: 0, max: 20 }),
  length: fc.integer({ min: 1, max: 12 }),
  outcome: fc.constantFrom<"ok" | "info" | "fail">("ok", "ok", "ok", "info", "fail"),
});

describe("multi-register against the definition", () => {
  it("agrees with a brute-force search over a plain map of registers (nil reads unknown or values)", () => {
    fc.assert(
      fc.property(fc.array(tinyTxnOp, { minLength: 1, maxLength: 7 }), fc.constantFrom<Value>(0, null), fc.boolean(), (ops, init, nilIsValue) => {
        const events: { e: HistoryEvent; t: number }[] = [];
        ops.forEach((op, p) => {
          const invoked: Value = op.micro.map((m) => [m.f, m.key, m.f === "read" ? null : m.value]);
          const completed: Value = op.micro.map((m) => [m.f, m.key, m.value]);
          events.push({ e: { process: p, type: "invoke", f: "txn", value: invoked }, t: 2 * op.call });
          events.push({ e: { process: p, type: op.outcome, f: "txn", value: completed }, t: 2 * (op.call + op.length) + 1 });
        });
        const history = events.sort((x, y) => x.t - y.t).map((x) => x.e);
        // The reference: registers as a plain record, every key present; a read checks its value
        // unless the txn's outcome is unknown or (Knossos) it read nil.
        const live = ops
          .filter((op) => op.outcome !== "fail")
          .map((op) => ({ micro: op.micro, call: op.call, ret: op.outcome === "info" ? Infinity : op.call + op.length + 0.5, required: op.outcome === "ok" }));
        type Regs = { readonly x: Value; readonly y: Value };
        const step = (s: Regs, o: (typeof live)[number]): Regs | undefined => {
          let t = s;
          for (const m of o.micro) {
            if (m.f === "write") t = { ...t, [m.key]: m.value };
            else if (o.required && (m.value !== null || nilIsValue) && t[m.key as "x" | "y"] !== m.value) return undefined;
          }
          return t;
        };
        const placed = new Array<boolean>(live.length).fill(false);
        const search = (state: Regs): boolean => {
          if (live.every((o, i) => placed[i] || !o.required)) return true;
          for (let i = 0; i < live.length; i++) {
            if (placed[i] || live.some((o, j) => !placed[j] && j !== i && o.ret < live[i].call)) continue;
            const next = step(state, live[i]);
            if (next === undefined) continue;
            placed[i] = true;
            const found = search(next);
            placed[i] = false;
            if (found) return true;
          }
          return false;
        };
        const expected = search({ x: init, y: init });
        const model = multiRegister({ init, nilRead: nilIsValue ? "value" : "unknown" });
        const result = checkHistory(history, model);
        expect(result.verdict).toBe(expected ? "ok" : "illegal");
        if (expected) expectValidWitness(result, model);
      }),
      params(2000),
    );
  });
});

describe("event positions", () => {
  it("give the same verdict dense, sparse, shifted below zero, fractional or listed out of call order", () => {
    // The search orders calls and returns by position in one of three ways (slots for dense
    // positions, numeric keys for sparse ones, a comparison sort otherwise): any order-preserving
    // change of the positions, and any order of the operation list, must not change a verdict.
    fc.assert(
      fc.property(
        fc.array(tinyOp, { minLength: 1, maxLength: 7 }),
        fc.constantFrom("sparse", "negative", "fractional", "shuffled"),
        fc.integer({ min: 0, max: 1000 }),
        (ops, how, salt) => {
          const model = casRegister();
          const prepared = prepareOperations(tinyEvents(ops), model);
          const dense = checkHistory(prepared, model).verdict;
          const move = (p: number): number =>
            !Number.isFinite(p) ? p : how === "sparse" ? p * 97 + 5 : how === "negative" ? p - 50 : how === "fractional" ? p / 3 + 0.25 : p;
          let moved = prepared.map((o) => ({ ...o, call: move(o.call), ret: move(o.ret) }));
          if (how === "shuffled") moved = moved.map((o, k) => ({ o, k: (k * 7 + salt) % 11 })).sort((a, b) => a.k - b.k).map((x, id) => ({ ...x.o, id }));
          const result = checkHistory(moved, model);
          expect(result.verdict).toBe(dense);
          if (dense === "ok") expectValidWitness(result, model);
        },
      ),
      params(1500),
    );
  });
});

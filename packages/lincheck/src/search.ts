import { Bitset, hashString } from "./bitset.js";
import type { AnyModel, Operation } from "./types.js";

/** The outcome of searching one partition. Ids are indices into the partition's operation list. */
export type SearchOutcome =
  | { readonly verdict: "ok"; readonly order: readonly number[] }
  | { readonly verdict: "illegal"; readonly longestPrefix: readonly number[] }
  | { readonly verdict: "unknown" };

/** How often (in search steps) the clock is read. */
const CLOCK_EVERY_STEPS = 1024;

interface MemoEntry {
  readonly words: Uint32Array;
  readonly state: unknown;
}

/**
 * Wing & Gong's search with Lowe's just-in-time linearization and memoisation, as in Porcupine:
 * events form a doubly linked list; linearizing an operation lifts its call and return out of
 * the list, backtracking puts them back. A (linearized set, state) pair already explored is not
 * explored again. `info` operations return at the end and need not be linearized at all: the
 * search succeeds once every completed operation is placed.
 */
export function searchPartition(ops: readonly Operation[], model: AnyModel, deadlineMs: number): SearchOutcome {
  const n = ops.length;
  const NIL = -1;
  const head = 2 * n;
  // Entry 2i is op i's call, 2i+1 its return.
  const next = new Int32Array(2 * n + 1).fill(NIL);
  const prev = new Int32Array(2 * n + 1).fill(NIL);
  const order: number[] = [];
  for (let i = 0; i < n; i++) order.push(2 * i, 2 * i + 1);
  const at = (e: number): number => ((e & 1) === 0 ? ops[e >> 1].call : ops[e >> 1].ret);
  // Infinite returns sort after everything, among themselves by call.
  order.sort((a, b) => {
    const ta = at(a);
    const tb = at(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return ops[a >> 1].call - ops[b >> 1].call || (a & 1) - (b & 1);
  });
  let last = head;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  let required = 0;
  for (const op of ops) if (op.status === "ok") required++;

  const linearized = new Bitset(n);
  const memo = new Map<number, MemoEntry[]>();
  const stackOps = new Int32Array(n);
  const stackStates: unknown[] = new Array(n);
  let depth = 0;
  let placedRequired = 0;
  let state: unknown = model.init();
  let longest: number[] = [];
  let steps = 0;

  const stateHash = (s: unknown): number => {
    const h = model.hash(s);
    return typeof h === "number" ? h >>> 0 : hashString(h);
  };
  const lift = (e: number): void => {
    const r = e + 1;
    next[prev[e]] = next[e];
    prev[next[e]] = prev[e];
    next[prev[r]] = next[r];
    if (next[r] !== NIL) prev[next[r]] = prev[r];
  };
  const unlift = (e: number): void => {
    const r = e + 1;
    next[prev[r]] = r;
    if (next[r] !== NIL) prev[next[r]] = r;
    next[prev[e]] = e;
    prev[next[e]] = e;
  };
  /** Records (linearized ∪ {i}, s); false if that pair was already explored. */
  const remember = (i: number, s: unknown): boolean => {
    linearized.set(i);
    const key = (linearized.hash ^ Math.imul(stateHash(s), 0x9e3779b1)) >>> 0;
    let bucket = memo.get(key);
    if (bucket === undefined) {
      bucket = [];
      memo.set(key, bucket);
    } else {
      for (const m of bucket) {
        if (linearized.equalsWords(m.words) && model.equal(m.state, s)) {
          linearized.clear(i);
          return false;
        }
      }
    }
    bucket.push({ words: linearized.words.slice(), state: s });
    linearized.clear(i);
    return true;
  };

  let entry = next[head];
  while (placedRequired < required) {
    if (++steps % CLOCK_EVERY_STEPS === 0 && performance.now() > deadlineMs) return { verdict: "unknown" };
    if (entry !== NIL && (entry & 1) === 0) {
      const i = entry >> 1;
      const op = ops[i];
      const after = model.step(state, op.input, op.output);
      if (after !== undefined && remember(i, after)) {
        stackOps[depth] = i;
        stackStates[depth] = state;
        depth++;
        if (op.status === "ok") placedRequired++;
        linearized.set(i);
        state = after;
        lift(entry);
        entry = next[head];
      } else {
        entry = next[entry];
      }
    } else {
      // A return (or the end): the operations placed so far cannot be extended here.
      if (depth > longest.length) longest = Array.from(stackOps.subarray(0, depth));
      if (depth === 0) return { verdict: "illegal", longestPrefix: longest };
      depth--;
      const i = stackOps[depth];
      state = stackStates[depth];
      stackStates[depth] = undefined;
      if (ops[i].status === "ok") placedRequired--;
      linearized.clear(i);
      unlift(2 * i);
      entry = next[2 * i];
    }
  }
  return { verdict: "ok", order: Array.from(stackOps.subarray(0, depth)) };
}

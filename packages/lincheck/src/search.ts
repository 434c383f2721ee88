import { Bitset, hashString } from "./bitset.js";
import { ValueFlow } from "./flow.js";
import { MemoTable } from "./memo.js";
import type { AnyModel, Operation } from "./types.js";

/** The outcome of searching one partition. Ids are indices into the partition's operation list. */
export type SearchOutcome =
  | { readonly verdict: "ok"; readonly order: readonly number[] }
  | { readonly verdict: "illegal"; readonly longestPrefix: readonly number[] }
  | { readonly verdict: "unknown" };

/** End of the entry list. */
const NIL = -1;

/** Value flow is set up once a search has taken this many steps per operation (see below). */
const FLOW_AFTER_STEPS_PER_OP = 4;

/** How often (in search steps) the clock is read. */
const CLOCK_EVERY_STEPS = 4096;

/**
 * Bound on the memo tables' size, shared by the searches that are under way together. The memo
 * only prunes repeated work, so forgetting it when it grows past this is sound: the search stays
 * correct, just slower, and the time budget bounds it.
 */
export const MEMO_BYTES_MAX = 512 * 1024 * 1024;

/** A search under way, run a slice at a time (so that several partitions can take turns). */
export interface PartitionSearch {
  /**
   * Runs at most `stepsMax` more steps. Returns the outcome once decided, `unknown` once
   * `deadlineMs` (a `performance.now()` time) has passed, or `undefined` when the steps ran out first.
   */
  run(stepsMax: number, deadlineMs: number): SearchOutcome | undefined;
  /** Steps taken so far (as of the last return from {@link PartitionSearch.run}). */
  steps: number;
  /** Bound on this search's memo table, in bytes (see {@link MEMO_BYTES_MAX}). */
  memoBytesMax: number;
}

/** Searches one partition to the end or to the deadline. */
export function searchPartition(ops: readonly Operation[], model: AnyModel, deadlineMs: number): SearchOutcome {
  return startSearch(ops, model).run(Infinity, deadlineMs) as SearchOutcome;
}

/**
 * Wing & Gong's search with Lowe's just-in-time linearization and memoisation, as in Porcupine:
 * events form a doubly linked list; linearizing an operation lifts its call and return out of
 * the list, backtracking puts them back. A (linearized set, state) pair already explored is not
 * explored again. `info` operations return at the end and need not be linearized at all: the
 * search succeeds once every completed operation is placed.
 *
 * On top of that, three reductions that keep some linearization whenever one exists (each
 * checked against a brute-force search in the property tests): forced placement of read-only
 * operations, restrictions on `info` operations (twins in call order, no no-op placements), and
 * value-flow dead ends (see {@link ValueFlow}).
 */
export function startSearch(ops: readonly Operation[], model: AnyModel): PartitionSearch {
  const n = ops.length;
  const head = 2 * n;
  // Entry 2i is op i's call, 2i+1 its return. Plain arrays keep the hot loop monomorphic.
  const inputs = ops.map((o) => o.input);
  const outputs = ops.map((o) => o.output);
  const required = new Uint8Array(n);
  let requiredCount = 0;
  for (let i = 0; i < n; i++) {
    if (ops[i].status === "ok") {
      required[i] = 1;
      requiredCount++;
    }
  }
  const twin = earlierTwins(ops);
  // A completed read-only operation that can go next may as well go next: any linearization can
  // move it forward to here without changing a state. So its placement is not a choice point.
  const forced = new Uint8Array(n);
  for (let i = 0; i < n; i++) forced[i] = required[i] === 1 && model.readOnly?.(inputs[i], outputs[i]) === true ? 1 : 0;
  const { next, prev } = entryList(ops);

  // Value flow pays off on hard partitions and costs about a microsecond per operation to set up,
  // which is most of the time of an easy one: it is built once the search has taken more steps
  // than a few passes over the partition, and caught up with the operations placed by then.
  let flow: ValueFlow | undefined;
  let flowTried = model.flow === undefined;
  const flowAfterSteps = FLOW_AFTER_STEPS_PER_OP * n;
  const linearized = new Bitset(n);
  // The memo is made at the first backtrack, from the path taken so far: until then no pair can
  // repeat, and many partitions of real histories never backtrack at all.
  let memo: MemoTable | undefined;
  const equal = (a: unknown, b: unknown): boolean => model.equal(a, b);
  const stackOps = new Int32Array(n);
  const stackStates: unknown[] = new Array(n);
  let depth = 0;
  let placedRequired = 0;
  let state: unknown = model.init();
  const longest: number[] = [];
  let stableDepth = 0;
  let steps = 0;

  const stateHash = (s: unknown): number => {
    const h = model.hash(s);
    return typeof h === "number" ? h >>> 0 : hashString(h);
  };

  const memoKey = (set: Bitset, s: unknown): number => (set.hash ^ Math.imul(stateHash(s), 0x9e3779b1)) >>> 0;

  /** The memo as it would be had it been kept from the start: every pair on the current path. */
  const startMemo = (): MemoTable => {
    const table = MemoTable.take();
    const set = new Bitset(n);
    for (let d = 0; d < depth; d++) {
      set.set(stackOps[d]);
      const after = d + 1 < depth ? stackStates[d + 1] : state;
      table.addIfAbsent(memoKey(set, after), set, after, equal);
    }
    return table;
  };

  /** Places op i (whose call entry is e) leading to `after`, unless that pair was explored. */
  const place = (e: number, i: number, after: unknown): boolean => {
    linearized.set(i);
    if (memo !== undefined) {
      if (!memo.addIfAbsent(memoKey(linearized, after), linearized, after, equal)) {
        linearized.clear(i);
        return false;
      }
      if (memo.bytes > search.memoBytesMax) memo.clear();
    }
    stackOps[depth] = i;
    stackStates[depth] = state;
    depth++;
    placedRequired += required[i];
    state = after;
    flow?.place(i);
    // Lift the call and its return out of the list.
    const r = e + 1;
    next[prev[e]] = next[e];
    prev[next[e]] = prev[e];
    next[prev[r]] = next[r];
    if (next[r] !== NIL) prev[next[r]] = prev[r];
    return true;
  };

  let entry = next[head];
  // True on arriving at a new (linearized set, state): look for a forced operation first.
  let fresh = true;
  // At each point the candidates are tried in two passes over the list: first the completed
  // operations, then those with unknown outcome. Both are tried before the point is given up, so
  // the search stays complete; but a greedy path that places an optional operation only when no
  // completed one can go is far less often wrong (an early info CAS that changes the state
  // strands the reads that follow, as in Knossos's memstress histories).
  let infoPass = false;
  // Whether the first pass at this point went past an operation with unknown outcome (if not,
  // there is no second pass to make).
  let sawInfo = false;
  let outcome: SearchOutcome | undefined;
  const run = (stepsMax: number, deadlineMs: number): SearchOutcome | undefined => {
    if (outcome !== undefined) return outcome;
    const stepsEnd = steps + stepsMax;
    while (placedRequired < requiredCount) {
      if (steps >= stepsEnd) return undefined;
      if (++steps % CLOCK_EVERY_STEPS === 0 && performance.now() > deadlineMs) return { verdict: "unknown" };
      if (fresh) {
        fresh = false;
        if (!flowTried && steps > flowAfterSteps) {
          flowTried = true;
          flow = ValueFlow.of(ops, model);
          if (flow !== undefined) for (let d = 0; d < depth; d++) flow.place(stackOps[d]);
        }
        if (flow?.dead(state) === true) {
          entry = NIL;
          infoPass = true;
          continue;
        }
        let e = next[head];
        while (e !== NIL && (e & 1) === 0) {
          const i = e >> 1;
          if (forced[i] === 1) {
            const after = model.step(state, inputs[i], outputs[i]);
            if (after !== undefined) break;
          }
          e = next[e];
        }
        if (e !== NIL && (e & 1) === 0) {
          // A forced operation can go next: it is the only choice here. If placing it was already
          // explored (and failed), this point fails too.
          const i = e >> 1;
          if (place(e, i, state)) fresh = true;
          entry = fresh ? next[head] : NIL;
          infoPass = !fresh;
          continue;
        }
        entry = next[head];
        infoPass = false;
        sawInfo = false;
      }
      if (entry !== NIL && (entry & 1) === 0) {
        const i = entry >> 1;
        // Forced operations were tried above. Two reductions for operations with unknown outcome,
        // both sound because such an operation may be left out of a linearization: (1) of
        // identical ones, take them in call order (the earlier-invoked twin can stand in for the
        // later one anywhere the later one could go); (2) never place one that leaves the state
        // unchanged (leaving it out is as good).
        // The completed operations are tried first and those with unknown outcome in a second
        // pass (see `infoPass`).
        if (forced[i] === 1 || (infoPass ? required[i] === 1 || (twin[i] >= 0 && !linearized.has(twin[i])) : required[i] === 0)) {
          if (required[i] === 0) sawInfo = true;
          entry = next[entry];
          continue;
        }
        const after = model.step(state, inputs[i], outputs[i]);
        if (after !== undefined && (required[i] === 1 || !model.equal(after, state)) && place(entry, i, after)) {
          entry = next[head];
          fresh = true;
          continue;
        }
        entry = next[entry];
      } else if (!infoPass && sawInfo) {
        // The completed operations that could go next are exhausted: now those with unknown outcome.
        infoPass = true;
        entry = next[head];
      } else {
        // A return (or the end): the operations placed so far cannot be extended here.
        if (depth > longest.length) {
          // The stack has not gone below stableDepth since `longest` was taken, so only the part
          // above it is new: copying just that keeps long histories linear, not quadratic.
          const keep = Math.min(stableDepth, longest.length);
          longest.length = keep;
          for (let j = keep; j < depth; j++) longest.push(stackOps[j]);
          stableDepth = depth;
        }
        if (depth === 0) return (outcome = { verdict: "illegal", longestPrefix: longest });
        memo ??= startMemo();
        depth--;
        if (depth < stableDepth) stableDepth = depth;
        const i = stackOps[depth];
        state = stackStates[depth];
        stackStates[depth] = undefined;
        placedRequired -= required[i];
        flow?.unplace(i);
        linearized.clear(i);
        // Unlift: put the return back, then the call (reverse order of lifting).
        const e = 2 * i;
        const r = e + 1;
        next[prev[r]] = r;
        if (next[r] !== NIL) prev[next[r]] = r;
        next[prev[e]] = e;
        prev[next[e]] = e;
        // After a forced placement fails, no alternative at this point can succeed either.
        // Otherwise go on after op i, in the pass that placed it.
        entry = forced[i] === 1 ? NIL : next[e];
        infoPass = forced[i] === 1 || required[i] === 0;
        // Resuming the first pass part-way, the skipped part may have held some.
        sawInfo = true;
      }
    }
    return (outcome = { verdict: "ok", order: Array.from(stackOps.subarray(0, depth)) });
  };
  // A plain record (an object literal with a getter costs V8 about ten microseconds to create,
  // which was most of the time of checking a small history), its `steps` kept up by `run`.
  const search: PartitionSearch = {
    run: (stepsMax, deadlineMs) => {
      const result = run(stepsMax, deadlineMs);
      search.steps = steps;
      if (outcome !== undefined && memo !== undefined) {
        // Decided: the memo is not needed again (`run` returns the outcome from now on).
        memo.giveBack();
        memo = undefined;
      }
      return result;
    },
    steps: 0,
    memoBytesMax: MEMO_BYTES_MAX,
  };
  return search;
}

const NO_TWINS = new Int32Array(0);

/**
 * For each `info` operation, the closest earlier-invoked `info` operation with the same input
 * (or -1). Inputs are compared by their JSON text; inputs that cannot be serialized get no twin.
 */
function earlierTwins(ops: readonly Operation[]): Int32Array {
  // Read only for info operations: without them, nothing (and no array to make).
  if (!ops.some((op) => op.status === "info")) return NO_TWINS;
  const twin = new Int32Array(ops.length).fill(-1);
  const lastByInput = new Map<string, number>();
  // Operations usually come in call order already (prepareOperations numbers them so).
  let sorted = true;
  for (let i = 1; i < ops.length && sorted; i++) sorted = ops[i - 1].call <= ops[i].call;
  const byCall = ops.map((_, i) => i);
  if (!sorted) byCall.sort((a, b) => ops[a].call - ops[b].call);
  for (const i of byCall) {
    if (ops[i].status !== "info") continue;
    let key: string;
    try {
      key = JSON.stringify(ops[i].input) ?? "";
    } catch {
      continue;
    }
    if (key === "") continue;
    const prior = lastByInput.get(key);
    if (prior !== undefined) twin[i] = prior;
    lastByInput.set(key, i);
  }
  return twin;
}

/**
 * The doubly linked list of entries in time order, headed by entry 2n: entry 2i is operation i's
 * call, 2i+1 its return. Infinite returns (`info`) sort after everything, among themselves by call.
 *
 * Event positions are distinct integers, and a partition's are usually dense (the history's own
 * operations, or a key's share of them): then each entry is dropped into the slot of its position
 * and the slots are read in order, with no sort. Sparse or unusual positions are sorted instead.
 */
function entryList(ops: readonly Operation[]): { next: Int32Array; prev: Int32Array } {
  const n = ops.length;
  const next = new Int32Array(2 * n + 1).fill(NIL);
  const prev = new Int32Array(2 * n + 1).fill(NIL);
  let lo = Infinity;
  let hi = -Infinity;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const { call, ret } = ops[i];
    if (call < lo) lo = call;
    if (call > hi) hi = call;
    integral &&= Number.isInteger(call);
    if (Number.isFinite(ret)) {
      if (ret > hi) hi = ret;
      integral &&= Number.isInteger(ret);
    } else integral &&= ret === Infinity;
  }
  const span = hi - lo + 1;
  if (n === 0 || !integral) return entryListBySort(ops, next, prev);
  if (span > 8 * n + 64) return lo >= 0 ? entryListByKeys(ops, hi, next, prev) : entryListBySort(ops, next, prev);
  // A plain array: a typed one of more than 64 bytes gets a buffer outside V8's heap, which
  // costs microseconds to make and free, and a partition spanning the history makes one each.
  const at: number[] = [];
  for (let k = 0; k < span; k++) at.push(NIL);
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    const { call, ret } = ops[i];
    if (at[call - lo] !== NIL) return entryListBySort(ops, next, prev);
    at[call - lo] = 2 * i;
    if (ret === Infinity) {
      open.push(i);
      continue;
    }
    if (at[ret - lo] !== NIL) return entryListBySort(ops, next, prev);
    at[ret - lo] = 2 * i + 1;
  }
  let last = 2 * n;
  for (let k = 0; k < span; k++) {
    const e = at[k];
    if (e === NIL) continue;
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  // Open returns after every position, in call order (operations usually come in call order).
  let sorted = true;
  for (let k = 1; k < open.length && sorted; k++) sorted = ops[open[k - 1]].call < ops[open[k]].call;
  if (!sorted) open.sort((a, b) => ops[a].call - ops[b].call);
  for (const i of open) {
    const e = 2 * i + 1;
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  return { next, prev };
}

/**
 * {@link entryList} for sparse positions: each entry gets a distinct numeric key, its position
 * (for an open return one past every position plus its call's) times 2^22 plus the entry number,
 * which sorts as a plain number (exact below 2^53) and gives the entry back.
 */
function entryListByKeys(ops: readonly Operation[], end: number, next: Int32Array, prev: Int32Array): { next: Int32Array; prev: Int32Array } {
  const n = ops.length;
  const shift = 2 ** 22;
  if (2 * n > shift || (2 * end + 2) * shift > Number.MAX_SAFE_INTEGER) return entryListBySort(ops, next, prev);
  const keys = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const op = ops[i];
    keys[2 * i] = op.call * shift + 2 * i;
    keys[2 * i + 1] = (Number.isFinite(op.ret) ? op.ret : end + 1 + op.call) * shift + 2 * i + 1;
  }
  keys.sort();
  let last = 2 * n;
  for (let k = 0; k < keys.length; k++) {
    const e = keys[k] % shift;
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  return { next, prev };
}

/** {@link entryList} for histories too long for its numeric keys. */
function entryListBySort(ops: readonly Operation[], next: Int32Array, prev: Int32Array): { next: Int32Array; prev: Int32Array } {
  const n = ops.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) order.push(2 * i, 2 * i + 1);
  const at = (e: number): number => ((e & 1) === 0 ? ops[e >> 1].call : ops[e >> 1].ret);
  order.sort((a, b) => {
    const ta = at(a);
    const tb = at(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return ops[a >> 1].call - ops[b >> 1].call || (a & 1) - (b & 1);
  });
  let last = 2 * n;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  return { next, prev };
}

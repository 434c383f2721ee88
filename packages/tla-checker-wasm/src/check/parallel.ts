/**
 * Level-synchronous parallel BFS on worker threads (Node only; `api.ts` imports this lazily).
 *
 * With N workers, this thread and N - 1 worker threads each hold a share of the current level's
 * frontier (each worker thread rebuilds the model; this thread uses the one it has, which saves a
 * load and a JIT warm-up). All insert into one fingerprint table in a SharedArrayBuffer with
 * compare-and-swap, so a state is claimed by exactly one participant and the counts equal the
 * single-threaded ones. New states stay with whoever found them; between levels surplus states
 * move from the fullest participants to the emptiest (as portable values), so nobody idles
 * through a level. The table grows when it passes its load limit: participants pause at a state
 * boundary, this thread rehashes into a bigger buffer, and they resume on it.
 *
 * Because levels are kept, a counterexample is still a shortest one, though with several workers
 * which of the shortest is found may vary.
 *
 * @module
 */
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { CompiledModel, State } from "../model.js";
import { finishWithTrace, ProgressClock, secondsSince, type SearchOptions } from "./bfs.js";
import { makeFingerprinter } from "./canonical.js";
import { Explorer, invariantReadsBytes, type Stop } from "./explorer.js";
import { FingerprintSet } from "./fingerprint-set.js";
import type { ModelSource } from "./model-source.js";
import { Control, type FromWorker, type TableUpdate, type ToWorker, type WorkerSetup } from "./parallel-protocol.js";
import { reconstructTrace } from "./reconstruct.js";
import type { CheckResult } from "./types.js";

/** Options of the parallel search. */
export interface ParallelOptions extends SearchOptions {
  workers: number;
  /** Initial size of the shared fingerprint table, in slots (default 65,536; it grows as needed). */
  tableSlots?: number;
}

/** The compiled worker entry point; from sources (under vitest) use the built one in dist/. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/check/worker.js", here) : new URL("./worker.js", here);
}

/** A worker with a queue of its messages. */
class WorkerHandle {
  readonly worker: Worker;
  readonly tablePort: MessagePort;
  private readonly inbox: FromWorker[] = [];
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(worker: Worker, tablePort: MessagePort, onMessage: () => void, onPrint: (line: string) => void) {
    this.worker = worker;
    this.tablePort = tablePort;
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "print") {
        onPrint(msg.line);
        return;
      }
      this.inbox.push(msg);
      this.wake();
      onMessage();
    });
    worker.on("error", (err) => {
      this.failure = err;
      this.wake();
      onMessage();
    });
    worker.on("exit", (code) => {
      if (!this.failure) this.failure = new Error(`worker thread exited with code ${code}`);
      this.wake();
      onMessage();
    });
  }

  send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  /** The next message, if one is waiting. Throws if the worker died. */
  poll(): FromWorker | undefined {
    const msg = this.inbox.shift();
    if (msg) return msg;
    if (this.failure) throw this.failure;
    return undefined;
  }

  /** Wait for the next message of this worker. */
  async receive(): Promise<FromWorker> {
    for (;;) {
      const msg = this.poll();
      if (msg) return msg;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
}

/** A message that is not the expected one means a protocol bug or a worker failure. */
class WorkerFailure extends Error {
  constructor(readonly error: { kind: string; message: string; location?: { file: string; line: number; column: number } }) {
    super(error.message);
  }
}

function expect<T extends FromWorker["type"]>(msg: FromWorker, type: T): Extract<FromWorker, { type: T }> {
  if (msg.type === "failed") throw new WorkerFailure(msg.error);
  if (msg.type !== type) throw new Error(`worker protocol: expected ${type}, got ${msg.type}`);
  return msg as Extract<FromWorker, { type: T }>;
}

/**
 * Explore `model` with `options.workers` threads: this thread plus `workers - 1` worker threads,
 * each of which rebuilds the model from `source`.
 */
export async function searchParallel(model: CompiledModel, source: ModelSource, options: ParallelOptions): Promise<CheckResult> {
  const startMs = performance.now();
  const threads = options.workers - 1;
  if (threads < 1) throw new RangeError("searchParallel needs at least 2 workers");
  const table = new FingerprintSet(options.tableSlots ?? 1 << 16, "shared");
  const control = new Int32Array(new SharedArrayBuffer(Control.length * 4));
  const generatedShared = new Float64Array(new SharedArrayBuffer(threads * 8));
  // Every participant may expand a state another one checked: the invariant read sets are shared.
  const invariantReads = new SharedArrayBuffer(invariantReadsBytes(model));
  let anyMessage: (() => void) | null = null;
  const notify = (): void => {
    const w = anyMessage;
    anyMessage = null;
    w?.();
  };
  const waitAny = (): Promise<void> => new Promise<void>((resolve) => (anyMessage = resolve));
  const handles: WorkerHandle[] = [];
  for (let id = 0; id < threads; id++) {
    const channel = new MessageChannel();
    const setup: WorkerSetup = {
      id,
      source,
      table: table.share(),
      control: control.buffer as SharedArrayBuffer,
      generated: generatedShared.buffer as SharedArrayBuffer,
      deadlock: options.deadlock,
      maxStates: options.maxStates ?? null,
      tablePort: channel.port2,
      invariantReads,
    };
    const worker = new Worker(workerUrl(), { workerData: setup, transferList: [channel.port2] });
    handles.push(new WorkerHandle(worker, channel.port1, notify, options.print ?? ((line) => console.log(line))));
  }
  const fingerprint = makeFingerprinter(model);
  // Until the worker threads join, this thread is the only one inserting: it grows the shared
  // table as soon as it needs to, also in the middle of the initial states or of one state's
  // successors (an Init with 10^5 states filled the first table before any growth check).
  let alone = true;
  const beforeInsert = (): void => {
    if (alone && table.needsGrowth()) grow(table, handles, control);
  };
  const explorerOptions = { deadlock: options.deadlock, invariantReads: new Uint8Array(invariantReads), beforeInsert };
  const explorer = new Explorer(model, table, fingerprint, options.print ? { ...explorerOptions, print: options.print } : explorerOptions);
  const progress = new ProgressClock(startMs, options);
  const totalGenerated = (): number => {
    let generated = explorer.generated;
    for (let i = 0; i < threads; i++) generated += generatedShared[i];
    return generated;
  };

  // This thread is participant 0 of the search: its share of the frontier lives here as values.
  const mine = new Frontier();
  let frontierSize = 0;
  let level = 1;

  // Per-level bookkeeping of the worker threads, fed by pump().
  let done: Array<Extract<FromWorker, { type: "levelDone" }> | null> = [];
  const paused = new Set<number>();
  let pending = 0;
  const pump = (): void => {
    for (let i = 0; i < threads; i++) {
      for (let msg = handles[i].poll(); msg; msg = handles[i].poll()) {
        if (msg.type === "paused") paused.add(i);
        else {
          done[i] = expect(msg, "levelDone");
          paused.delete(i);
          pending--;
        }
      }
    }
  };
  /** Wait until no worker thread is inserting (each is paused or done), then grow the table. */
  const growWhenQuiet = async (): Promise<void> => {
    for (;;) {
      pump();
      if (paused.size === pending) break;
      await waitAny();
    }
    grow(table, handles, control);
    paused.clear();
  };

  try {
    // The initial states are computed while the worker threads are still loading the model.
    let stop: Stop | null = explorer.initial((s, lo, hi) => mine.pushNext(s, lo, hi));
    const initial = explorer.generated;
    // The worker threads load the model (read, parse, compile, warm up) while this thread explores
    // the first levels on its own; they join at the first level boundary after all are ready, so
    // their start-up is not time during which nobody searches.
    let budget = false;
    let soloRemaining = 0;
    const ready = handles.map(() => false);
    const allReady = async (): Promise<boolean> => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (let i = 0; i < threads; i++) {
        if (ready[i]) continue;
        const msg = handles[i].poll();
        if (msg) {
          expect(msg, "ready");
          ready[i] = true;
        }
      }
      return ready.every(Boolean);
    };
    while (!stop && mine.nextSize > 0 && !(await allReady())) {
      mine.advance();
      for (let i = 0; i < mine.size; i++) {
        if (table.needsGrowth()) await growWhenQuiet();
        stop = explorer.expand(mine.take(i), mine.keyLo(i), mine.keyHi(i), level, (st, lo, hi) => mine.pushNext(st, lo, hi));
        if (stop !== null || (options.maxStates !== undefined && table.size >= options.maxStates)) {
          if (stop === null) budget = true;
          soloRemaining = mine.size - i - 1;
          break;
        }
        progress.tick(() => ({ generated: explorer.generated, distinct: table.size, queue: mine.size - i - 1 + mine.nextSize, depth: level }));
      }
      if (stop || budget) break;
      level++;
    }
    for (let i = 0; i < threads; i++) if (!ready[i]) expect(await handles[i].receive(), "ready");
    alone = false;
    let queue = stop || budget ? soloRemaining + mine.nextSize : mine.nextSize;
    let depth = explorer.depth;
    const workerGenerated = new Array<number>(threads).fill(0);
    if (!stop && !budget) await rebalance(model, mine, handles, [mine.nextSize, ...handles.map(() => 0)]);
    frontierSize = queue;
    while (!stop && !budget && frontierSize > 0) {
      if (options.maxStates !== undefined && table.size >= options.maxStates) {
        budget = true;
        break;
      }
      done = new Array(threads).fill(null);
      paused.clear();
      pending = threads;
      for (const h of handles) h.send({ type: "level", level });
      mine.advance();
      let mineRemaining = 0;
      for (let i = 0; i < mine.size; i++) {
        if (Atomics.load(control, Control.abort) !== 0) {
          mineRemaining = mine.size - i;
          break;
        }
        if (table.needsGrowth()) await growWhenQuiet();
        const s = explorer.expand(mine.take(i), mine.keyLo(i), mine.keyHi(i), level, (st, lo, hi) => mine.pushNext(st, lo, hi));
        if (s !== null || (options.maxStates !== undefined && table.size >= options.maxStates)) {
          if (s !== null) stop = s;
          else budget = true;
          Atomics.store(control, Control.abort, 1);
          mineRemaining = mine.size - i - 1;
          break;
        }
        progress.tick(() => ({ generated: totalGenerated(), distinct: table.size, queue: frontierSize, depth: level }));
      }
      // This thread no longer inserts, so the table may grow as soon as the others pause.
      for (;;) {
        pump();
        if (pending === 0) break;
        if (paused.size === pending) {
          grow(table, handles, control);
          paused.clear();
          continue;
        }
        await waitAny();
      }
      queue = mineRemaining + mine.nextSize;
      const sizes: number[] = [mine.nextSize];
      for (let i = 0; i < threads; i++) {
        const d = done[i]!;
        workerGenerated[i] = d.generated;
        depth = Math.max(depth, d.depth);
        queue += d.next + d.remaining;
        sizes.push(d.next);
        if (d.stop && !stop) stop = d.stop;
        if (d.budget) budget = true;
      }
      depth = Math.max(depth, explorer.depth);
      frontierSize = queue;
      if (stop || budget) break;
      await rebalance(model, mine, handles, sizes);
      level++;
    }
    const generated = explorer.generated + workerGenerated.reduce((a, b) => a + b, 0);
    const complete = !budget;
    const base = { distinct: table.size, generated, depth, queue: stop || budget ? queue : 0, complete, initial };
    if (!stop) return { verdict: "ok", name: null, ...base, traceLength: null, seconds: secondsSince(startMs), trace: null };
    const finalStop = stop;
    return finishWithTrace(finalStop, base, () =>
      reconstructTrace(model, table, fingerprint, finalStop.site, (lvl) => explorer.context(lvl)), startMs);
  } catch (err) {
    if (err instanceof WorkerFailure) {
      const e = err.error;
      return {
        verdict: e.kind === "assume" ? "assume" : "error",
        name: null,
        distinct: table.size,
        generated: 0,
        depth: 0,
        queue: 0,
        traceLength: null,
        seconds: secondsSince(startMs),
        trace: null,
        complete: false,
        error: e,
      };
    }
    throw err;
  } finally {
    await Promise.all(handles.map((h) => h.worker.terminate()));
  }
}

/** This thread's share of the current and next level, with table keys as 32-bit halves. */
class Frontier {
  private states: (State | undefined)[] = [];
  private keys: number[] = [];
  private next: State[] = [];
  private nextKeys: number[] = [];

  /** States of the current level held here. */
  get size(): number {
    return this.states.length;
  }

  /** States held here for the next level. */
  get nextSize(): number {
    return this.next.length;
  }

  /** Start the next level. */
  advance(): void {
    this.states = this.next;
    this.keys = this.nextKeys;
    this.next = [];
    this.nextKeys = [];
  }

  /** State `i` of the current level; the reference is dropped so it can be collected. */
  take(i: number): State {
    const s = this.states[i]!;
    this.states[i] = undefined;
    return s;
  }

  keyLo(i: number): number {
    return this.keys[2 * i];
  }

  keyHi(i: number): number {
    return this.keys[2 * i + 1];
  }

  pushNext(state: State, lo: number, hi: number): void {
    this.next.push(state);
    this.nextKeys.push(lo, hi);
  }

  /** Remove `count` states from the next level, for another thread. */
  spliceNext(count: number): { states: State[]; keys: number[] } {
    const states = this.next.splice(this.next.length - count, count);
    const keys = this.nextKeys.splice(this.nextKeys.length - 2 * count, 2 * count);
    return { states, keys };
  }
}

/** Rehash into a table twice as big and hand it to every worker (paused ones wake up on it). */
function grow(table: FingerprintSet, handles: WorkerHandle[], control: Int32Array): void {
  table.grow();
  const epoch = Atomics.load(control, Control.tableEpoch) + 1;
  const update: TableUpdate = { table: table.share(), epoch };
  for (const h of handles) h.tablePort.postMessage(update);
  Atomics.store(control, Control.tableEpoch, epoch);
  Atomics.notify(control, Control.tableEpoch);
}

/**
 * Move next-level states from participants above the mean to those below it (participant 0 is
 * this thread, `i > 0` is worker `i - 1`). Small imbalances are left alone: moving a state costs a
 * round trip through the portable form.
 */
async function rebalance(model: CompiledModel, mine: Frontier, handles: WorkerHandle[], sizes: number[]): Promise<void> {
  const total = sizes.reduce((a, b) => a + b, 0);
  const target = Math.ceil(total / sizes.length);
  const slack = Math.max(8, Math.floor(target * 0.05));
  const deficits = sizes.map((s) => Math.max(0, target - s));
  for (let from = 0; from < sizes.length; from++) {
    const wanted = deficits.reduce((a, b) => a + b, 0);
    const surplus = Math.min(sizes[from] - target, wanted);
    if (surplus <= slack) continue;
    let states: unknown[];
    let keys: number[];
    if (from === 0) {
      const taken = mine.spliceNext(surplus);
      states = taken.states.map((s) => s.map((v) => model.values.toPortable(v)));
      keys = taken.keys;
    } else {
      handles[from - 1].send({ type: "give", count: surplus });
      const gave = expect(await handles[from - 1].receive(), "gave");
      states = gave.states;
      keys = gave.keys;
    }
    let offset = 0;
    for (let to = 0; to < sizes.length && offset < states.length; to++) {
      if (to === from || deficits[to] === 0) continue;
      const n = Math.min(deficits[to], states.length - offset);
      const part = states.slice(offset, offset + n);
      const partKeys = keys.slice(2 * offset, 2 * (offset + n));
      if (to === 0) {
        part.forEach((p, k) => mine.pushNext((p as unknown[]).map((v) => model.values.fromPortable(v)), partKeys[2 * k], partKeys[2 * k + 1]));
      } else {
        handles[to - 1].send({ type: "take", states: part, keys: partKeys });
        expect(await handles[to - 1].receive(), "taken");
      }
      deficits[to] -= n;
      offset += n;
    }
  }
}

/**
 * Level-synchronous parallel BFS on worker threads (Node only; `api.ts` imports this lazily).
 *
 * Every worker rebuilds the model and holds a share of the current level's frontier. All insert
 * into one fingerprint table in a SharedArrayBuffer with compare-and-swap, so a state is claimed
 * by exactly one worker and the counts equal the single-threaded ones. New states stay with the
 * worker that found them; between levels the coordinator moves surplus states from the fullest
 * workers to the emptiest (as portable values), so no worker idles through a level. The table is
 * grown when it passes its load limit: workers pause at a state boundary, the coordinator
 * rehashes into a bigger buffer, and they resume on it.
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
import { Explorer, type Stop } from "./explorer.js";
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

  constructor(worker: Worker, tablePort: MessagePort, onMessage: () => void) {
    this.worker = worker;
    this.tablePort = tablePort;
    worker.on("message", (msg: FromWorker) => {
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

/** Explore `model` with `options.workers` threads, each rebuilding the model from `source`. */
export async function searchParallel(model: CompiledModel, source: ModelSource, options: ParallelOptions): Promise<CheckResult> {
  const startMs = performance.now();
  const count = options.workers;
  let table = new FingerprintSet(options.tableSlots ?? 1 << 16, "shared");
  const control = new Int32Array(new SharedArrayBuffer(Control.length * 4));
  const generatedShared = new Float64Array(new SharedArrayBuffer(count * 8));
  let anyMessage: (() => void) | null = null;
  const notify = (): void => {
    const w = anyMessage;
    anyMessage = null;
    w?.();
  };
  const handles: WorkerHandle[] = [];
  for (let id = 0; id < count; id++) {
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
    };
    const worker = new Worker(workerUrl(), { workerData: setup, transferList: [channel.port2] });
    handles.push(new WorkerHandle(worker, channel.port1, notify));
  }
  const fingerprint = makeFingerprinter(model);
  const explorer = new Explorer(model, table, fingerprint, options.print ? { deadlock: options.deadlock, print: options.print } : { deadlock: options.deadlock });
  const progress = new ProgressClock(startMs, options);
  let frontierSize = 0;
  let level = 1;
  const timer = options.onProgress
    ? setInterval(() => {
        let generated = explorer.generated;
        for (let i = 0; i < count; i++) generated += generatedShared[i];
        progress.report({ generated, distinct: table.size, queue: frontierSize, depth: level });
      }, options.progressIntervalMs ?? 2000)
    : null;
  try {
    for (const h of handles) expect(await h.receive(), "ready");

    // Initial states on this thread, then dealt out round-robin.
    const initial: State[] = [];
    const initialKeys: number[] = [];
    let stop: Stop | null = explorer.initial((s, lo, hi) => {
      initial.push(s);
      initialKeys.push(lo, hi);
    });
    let queue = stop ? 0 : initial.length;
    let depth = explorer.depth;
    const workerGenerated = new Array<number>(count).fill(0);
    let budget = false;
    if (!stop) {
      const shares = handles.map(() => ({ states: [] as unknown[], keys: [] as number[] }));
      initial.forEach((s, i) => {
        shares[i % count].states.push(s.map((v) => model.values.toPortable(v)));
        shares[i % count].keys.push(initialKeys[2 * i], initialKeys[2 * i + 1]);
      });
      handles.forEach((h, i) => h.send({ type: "take", ...shares[i] }));
      for (const h of handles) expect(await h.receive(), "taken");
    }
    frontierSize = queue;
    while (!stop && !budget && frontierSize > 0) {
      if (options.maxStates !== undefined && table.size >= options.maxStates) {
        budget = true;
        break;
      }
      for (const h of handles) h.send({ type: "level", level });
      const done = new Array<Extract<FromWorker, { type: "levelDone" }> | null>(count).fill(null);
      const paused = new Set<number>();
      let pending = count;
      while (pending > 0) {
        let progressed = false;
        for (let i = 0; i < count; i++) {
          const msg = handles[i].poll();
          if (!msg) continue;
          progressed = true;
          if (msg.type === "paused") paused.add(i);
          else {
            done[i] = expect(msg, "levelDone");
            paused.delete(i);
            pending--;
          }
        }
        if (pending > 0 && paused.size === pending) {
          table = grow(table, handles, control);
          paused.clear();
          continue;
        }
        if (!progressed && pending > 0) await new Promise<void>((resolve) => (anyMessage = resolve));
      }
      queue = 0;
      const sizes: number[] = [];
      for (let i = 0; i < count; i++) {
        const d = done[i]!;
        workerGenerated[i] = d.generated;
        depth = Math.max(depth, d.depth);
        queue += d.next + d.remaining;
        sizes.push(d.next);
        if (d.stop && !stop) stop = d.stop;
        if (d.budget) budget = true;
      }
      frontierSize = queue;
      if (stop || budget) break;
      await rebalance(handles, sizes);
      level++;
    }
    const generated = explorer.generated + workerGenerated.reduce((a, b) => a + b, 0);
    const complete = !budget;
    const base = { distinct: table.size, generated, depth, queue: stop || budget ? queue : 0, complete };
    if (!stop) return { verdict: "ok", name: null, ...base, traceLength: null, seconds: secondsSince(startMs), trace: null };
    const finalStop = stop;
    const finalTable = table;
    return finishWithTrace(finalStop, base, () =>
      reconstructTrace(model, finalTable, fingerprint, finalStop.site, (lvl) => explorer.context(lvl)), startMs);
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
    if (timer) clearInterval(timer);
    await Promise.all(handles.map((h) => h.worker.terminate()));
  }
}

/** Rehash into a table twice as big and hand it to every worker (paused ones wake up on it). */
function grow(table: FingerprintSet, handles: WorkerHandle[], control: Int32Array): FingerprintSet {
  table.grow();
  const epoch = Atomics.load(control, Control.tableEpoch) + 1;
  const update: TableUpdate = { table: table.share(), epoch };
  for (const h of handles) h.tablePort.postMessage(update);
  Atomics.store(control, Control.tableEpoch, epoch);
  Atomics.notify(control, Control.tableEpoch);
  return table;
}

/**
 * Move states from workers above the mean to workers below it. Small imbalances are left alone:
 * moving a state costs a round trip through the portable form.
 */
async function rebalance(handles: WorkerHandle[], sizes: number[]): Promise<void> {
  const total = sizes.reduce((a, b) => a + b, 0);
  const target = Math.ceil(total / handles.length);
  const slack = Math.max(16, Math.floor(target * 0.05));
  const deficits = sizes.map((s) => Math.max(0, target - s));
  for (let i = 0; i < handles.length; i++) {
    const surplus = sizes[i] - target;
    if (surplus <= slack) continue;
    handles[i].send({ type: "give", count: surplus });
    const gave = expect(await handles[i].receive(), "gave");
    let offset = 0;
    for (let j = 0; j < handles.length && offset < gave.states.length; j++) {
      if (deficits[j] === 0) continue;
      const n = Math.min(deficits[j], gave.states.length - offset);
      handles[j].send({ type: "take", states: gave.states.slice(offset, offset + n), keys: gave.keys.slice(2 * offset, 2 * (offset + n)) });
      expect(await handles[j].receive(), "taken");
      deficits[j] -= n;
      offset += n;
    }
    if (offset < gave.states.length) {
      // Rounding left a few over: give them back.
      handles[i].send({ type: "take", states: gave.states.slice(offset), keys: gave.keys.slice(2 * offset) });
      expect(await handles[i].receive(), "taken");
    }
  }
}

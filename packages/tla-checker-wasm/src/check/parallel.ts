/**
 * Level-synchronous parallel BFS on worker threads (Node only; `api.ts` imports this lazily).
 *
 * With N workers, this thread and N - 1 worker threads each hold a share of the current level's
 * frontier (each worker thread rebuilds the model; this thread uses the one it has, which saves a
 * load and a JIT warm-up). All insert into one fingerprint table in a SharedArrayBuffer with
 * compare-and-swap, so a state is claimed by exactly one participant and the counts equal the
 * single-threaded ones. New states stay with whoever found them; within a level, a participant
 * that runs out takes half of what a busy one has left (`level-share.ts`), so nobody waits at the
 * level barrier while another still works. The table grows when it passes its load limit: worker
 * threads pause at a state boundary, this thread rehashes into a bigger buffer, and they resume
 * on it (see `Control` in `parallel-protocol.ts`).
 *
 * Because levels are kept, a counterexample is still a shortest one, though with several workers
 * which of the shortest is found may vary.
 *
 * @module
 */
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { CompiledModel, State } from "../model.js";
import { clearExitRequest, exitRequested } from "../values/process-state.js";
import { finishWithTrace, ProgressClock, secondsSince, type SearchOptions } from "./bfs.js";
import { makeFingerprinter } from "./canonical.js";
import { Explorer, invariantReadsBytes, type Stop } from "./explorer.js";
import { FingerprintSet } from "./fingerprint-set.js";
import { emptyShareStats, Frontier, LevelShare, type ShareStats } from "./level-share.js";
import type { ModelSource } from "./model-source.js";
import { Control, type FromWorker, type TableUpdate, type ToWorker, type WorkerSetup } from "./parallel-protocol.js";
import { reconstructTrace } from "./reconstruct.js";
import type { CheckResult } from "./types.js";

/** Options of the parallel search. */
export interface ParallelOptions extends SearchOptions {
  workers: number;
  /** Initial size of the shared fingerprint table, in slots (default 65,536; it grows as needed). */
  tableSlots?: number;
  /**
   * Called once at the end with each participant's work-sharing figures (index 0: this thread,
   * i: worker thread i - 1), summed over the levels after the worker threads joined (this
   * thread's `expanded` also counts the levels it explored alone).
   */
  onShareStats?: (stats: ShareStats[]) => void;
}

/** The compiled worker entry point; from sources (under vitest) use the built one in dist/. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/check/worker.js", here) : new URL("./worker.js", here);
}

/**
 * `Atomics.waitAsync` (Node 16 and later; typed only from lib ES2024): a wait on a shared word
 * that lets this thread's event loop run, so worker failures are still noticed.
 */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/** A worker with a queue of its messages. */
class WorkerHandle {
  readonly worker: Worker;
  readonly tablePort: MessagePort;
  private readonly inbox: FromWorker[] = [];
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  /** Called after each message or failure (the search waits on any worker through it). */
  onMessage: () => void = () => {};

  constructor(worker: Worker, tablePort: MessagePort, onPrint: (line: string) => void) {
    this.worker = worker;
    this.tablePort = tablePort;
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "print") {
        onPrint(msg.line);
        return;
      }
      this.inbox.push(msg);
      this.wake();
      this.onMessage();
    });
    worker.on("error", (err) => {
      this.failure = err;
      this.wake();
      this.onMessage();
    });
    worker.on("exit", (code) => {
      if (!this.failure) this.failure = new Error(`worker thread exited with code ${code}`);
      this.wake();
      this.onMessage();
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
 * The worker threads of a parallel search, started before the search: each begins building the
 * model from `source` at once. `checkSpec` starts them before it loads the model itself, so that
 * their loads overlap the coordinator's instead of following it.
 */
export class WorkerPool {
  /** Participants of the search: this thread and the worker threads. */
  readonly participants: number;
  /** @internal */
  readonly handles: WorkerHandle[] = [];
  /** @internal The coordinator's ends of the state hand-over ports: `sendPorts[q]` to participant q. */
  readonly sendPorts: (MessagePort | undefined)[];
  /** @internal `receivePorts[g]`: from participant g. */
  readonly receivePorts: (MessagePort | undefined)[];
  private readonly allPorts: MessagePort[] = [];
  private closed = false;

  /**
   * Start `workers - 1` worker threads (the search's other participant is this thread) on
   * `source`; their Print output goes to `print`.
   */
  constructor(readonly source: ModelSource, workers: number, print: (line: string) => void) {
    const threads = workers - 1;
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError("a worker pool needs at least 2 workers");
    const participants = workers;
    this.participants = participants;
    // One port per ordered pair of participants for handing over states: ports[g][q] from g to q.
    const sendPorts: (MessagePort | null)[][] = [];
    const receivePorts: (MessagePort | null)[][] = [];
    for (let g = 0; g < participants; g++) {
      sendPorts.push(new Array<MessagePort | null>(participants).fill(null));
      receivePorts.push(new Array<MessagePort | null>(participants).fill(null));
    }
    for (let g = 0; g < participants; g++) {
      for (let q = 0; q < participants; q++) {
        if (g === q) continue;
        const channel = new MessageChannel();
        sendPorts[g]![q] = channel.port1;
        receivePorts[q]![g] = channel.port2;
        this.allPorts.push(channel.port1, channel.port2);
      }
    }
    this.sendPorts = sendPorts[0]!.map((x) => x ?? undefined);
    this.receivePorts = receivePorts[0]!.map((x) => x ?? undefined);
    for (let id = 0; id < threads; id++) {
      const channel = new MessageChannel();
      const p = id + 1;
      const shareOut = sendPorts[p]!;
      const shareIn = receivePorts[p]!;
      const setup: WorkerSetup = { id, source, tablePort: channel.port2, participants, shareOut, shareIn };
      const transfer = [channel.port2, ...shareOut.filter((x) => x !== null), ...shareIn.filter((x) => x !== null)];
      const worker = new Worker(workerUrl(), { workerData: setup, transferList: transfer });
      this.handles.push(new WorkerHandle(worker, channel.port1, print));
    }
  }

  /** Stop the worker threads and close the ports (also when no search used them). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
    for (const p of this.allPorts) p.close();
  }
}

/**
 * Explore `model` with `options.workers` threads: this thread plus `workers - 1` worker threads,
 * each of which rebuilds the model from `source`; or with the threads of `pool`, already started
 * on the same source (it is closed at the end).
 */
export async function searchParallel(model: CompiledModel, source: ModelSource, options: ParallelOptions, pool?: WorkerPool): Promise<CheckResult> {
  const startMs = performance.now();
  const threads = options.workers - 1;
  if (threads < 1) throw new RangeError("searchParallel needs at least 2 workers");
  if (pool !== undefined && (pool.participants !== options.workers || pool.source !== source)) {
    await pool.close();
    throw new RangeError("searchParallel: the worker pool was started for another search");
  }
  const workers = pool ?? new WorkerPool(source, options.workers, options.print ?? ((line) => console.log(line)));
  const participants = threads + 1;
  const table = new FingerprintSet(options.tableSlots ?? 1 << 16, "shared");
  const control = new Int32Array(new SharedArrayBuffer((Control.want + participants) * 4));
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
  const handles = workers.handles;
  for (const h of handles) {
    h.onMessage = notify;
    h.send({
      type: "start",
      table: table.share(),
      control: control.buffer as SharedArrayBuffer,
      generated: generatedShared.buffer as SharedArrayBuffer,
      deadlock: options.deadlock,
      maxStates: options.maxStates ?? null,
      invariantReads,
    });
  }
  const share = new LevelShare(control, 0, participants, workers.sendPorts, workers.receivePorts, model.values, model.variables.length);
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

  // Per-level results of the worker threads, fed by pump(), which also throws on a worker failure.
  let done: Array<Extract<FromWorker, { type: "levelDone" }> | null> = [];
  let pending = 0;
  const pump = (): void => {
    for (let i = 0; i < threads; i++) {
      for (let msg = handles[i].poll(); msg; msg = handles[i].poll()) {
        done[i] = expect(msg, "levelDone");
        pending--;
      }
    }
  };
  /** Wait (letting events in) until `control[index]` may have changed from `value`, at most `ms`. */
  const waitWord = async (index: number, value: number, ms: number): Promise<void> => {
    const w = waitAsync(control, index, value, ms);
    if (w.async) await w.value;
    pump();
  };
  /**
   * Grow the table if it is due (here or in a worker's view): stop new states from starting,
   * wait for the worker threads' current ones, rehash, let them go on.
   */
  const growthDue = (): boolean => Atomics.load(control, Control.growthWanted) !== 0 || table.needsGrowth();
  const growIfDue = async (): Promise<void> => {
    if (!growthDue()) return;
    Atomics.store(control, Control.growthWanted, 0);
    if (!table.needsGrowth()) return;
    Atomics.store(control, Control.growing, 1);
    for (let a = Atomics.load(control, Control.active); a !== 0; a = Atomics.load(control, Control.active)) await waitWord(Control.active, a, 10);
    grow(table, handles, control);
  };

  try {
    // The initial states are computed while the worker threads are still loading the model.
    clearExitRequest();
    let stop: Stop | null = explorer.initial((s, lo, hi) => mine.pushNext(s, lo, hi));
    const initial = explorer.generated;
    // TLCSet("exit", TRUE) here or in a worker thread: stop as for the state budget, and say why.
    let exited = stop === null && exitRequested();
    // The worker threads load the model (read, parse, compile, warm up) while this thread explores
    // the first levels on its own; they join at the first level boundary after all are ready, so
    // their start-up is not time during which nobody searches.
    let budget = exited;
    let soloRemaining = exited ? mine.nextSize : 0;
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
    while (!stop && !budget && mine.nextSize > 0 && !(await allReady())) {
      mine.advance();
      while (mine.remaining > 0) {
        const state = mine.shift();
        stop = explorer.expand(state, mine.keyLo, mine.keyHi, level, (st, lo, hi) => mine.pushNext(st, lo, hi));
        if (stop !== null || exitRequested() || (options.maxStates !== undefined && table.size >= options.maxStates)) {
          if (stop === null) budget = true;
          soloRemaining = mine.remaining;
          break;
        }
        share.stats.expanded++;
        progress.tick(() => ({ generated: explorer.generated, distinct: table.size, queue: mine.remaining + mine.nextSize, depth: level }));
      }
      if (stop || budget) break;
      level++;
    }
    for (let i = 0; i < threads; i++) if (!ready[i]) expect(await handles[i].receive(), "ready");
    alone = false;
    let queue = stop || budget ? soloRemaining + mine.nextSize : mine.nextSize;
    let depth = explorer.depth;
    const workerGenerated = new Array<number>(threads).fill(0);
    frontierSize = queue;
    while (!stop && !budget && frontierSize > 0) {
      if (options.maxStates !== undefined && table.size >= options.maxStates) {
        budget = true;
        break;
      }
      done = new Array(threads).fill(null);
      pending = threads;
      LevelShare.resetLevel(control, participants);
      for (const h of handles) h.send({ type: "level", level });
      mine.advance();
      let mineRemaining = 0;
      for (;;) {
        while (mine.remaining > 0) {
          if (Atomics.load(control, Control.abort) !== 0) {
            mineRemaining += mine.remaining;
            mine.clear();
            break;
          }
          // Checked before awaiting: an await per state costs a promise and a microtask turn.
          if (growthDue()) await growIfDue();
          share.offer(mine);
          const state = mine.shift();
          const s = explorer.expand(state, mine.keyLo, mine.keyHi, level, (st, lo, hi) => mine.pushNext(st, lo, hi));
          share.stats.expanded++;
          if (s !== null || exitRequested() || (options.maxStates !== undefined && table.size >= options.maxStates)) {
            if (s !== null) stop = s;
            else budget = true;
            Atomics.store(control, Control.abort, 1);
            mineRemaining += mine.remaining;
            mine.clear();
            break;
          }
          progress.tick(() => ({ generated: totalGenerated(), distinct: table.size, queue: frontierSize, depth: level }));
        }
        share.goIdle();
        // Out of states: wait for a batch or the end of the level, growing the table when asked.
        let arrival = share.poll();
        while (arrival === "wait") {
          await growIfDue();
          await waitWord(share.waitWord, Atomics.load(control, share.waitWord), 2);
          arrival = share.poll();
        }
        if (arrival === "done") break;
        share.load(mine, arrival);
      }
      while (pending > 0) {
        pump();
        if (pending > 0) await waitAny();
      }
      queue = mineRemaining + mine.nextSize;
      for (let i = 0; i < threads; i++) {
        const d = done[i]!;
        workerGenerated[i] = d.generated;
        depth = Math.max(depth, d.depth);
        queue += d.next + d.remaining;
        if (d.stop && !stop) stop = d.stop;
        if (d.budget) budget = true;
        if (d.exited) exited = true;
      }
      depth = Math.max(depth, explorer.depth);
      frontierSize = queue;
      if (stop || budget) break;
      level++;
    }
    options.onShareStats?.([{ ...share.stats }, ...done.map((d) => (d ? { ...d.stats } : emptyShareStats()))]);
    const generated = explorer.generated + workerGenerated.reduce((a, b) => a + b, 0);
    const complete = !budget;
    const base = { distinct: table.size, generated, depth, queue: stop || budget ? queue : 0, complete, initial };
    if (exitRequested()) exited = true;
    if (!stop) return { verdict: "ok", name: null, ...base, traceLength: null, seconds: secondsSince(startMs), trace: null, ...(exited ? { stoppedBy: "exit" as const } : {}) };
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
    await workers.close();
  }
}

/**
 * Rehash into a table twice as big and hand it to every worker (paused ones wake up on it).
 * `growing` is cleared before the epoch moves, so a worker woken by the new epoch finds it clear.
 */
function grow(table: FingerprintSet, handles: WorkerHandle[], control: Int32Array): void {
  table.grow();
  const epoch = Atomics.load(control, Control.tableEpoch) + 1;
  const update: TableUpdate = { table: table.share(), epoch };
  for (const h of handles) h.tablePort.postMessage(update);
  Atomics.store(control, Control.growing, 0);
  Atomics.store(control, Control.tableEpoch, epoch);
  Atomics.notify(control, Control.tableEpoch);
}

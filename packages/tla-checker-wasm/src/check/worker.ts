/**
 * A worker thread of the parallel search: rebuilds the model, then expands the part of each BFS
 * level it holds, inserting into the shared fingerprint table.
 *
 * @module
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { State } from "../model.js";
import { exitRequested } from "../values/process-state.js";
import { makeFingerprinter } from "./canonical.js";
import { describeError } from "./errors.js";
import { Explorer, type Stop } from "./explorer.js";
import { FingerprintSet } from "./fingerprint-set.js";
import { Frontier, LevelShare } from "./level-share.js";
import { materialize } from "./model-source.js";
import { Control, type FromWorker, type TableUpdate, type ToWorker, type WorkerSetup, type WorkerStart } from "./parallel-protocol.js";

const setup = workerData as WorkerSetup;
if (!parentPort) throw new Error("worker.ts must run in a worker thread");
const port = parentPort;

const post = (msg: FromWorker): void => port.postMessage(msg);

/** Handles the coordinator's level messages once this worker is ready (set at the end of main). */
let onLevel: ((level: number) => void) | null = null;

/**
 * The coordinator's start message, which may come while the model is still loading (it is sent
 * once the coordinator has its own model); level messages come only after this worker said ready.
 * One listener for both, so that no message can arrive while none is attached.
 */
const started = new Promise<WorkerStart>((resolve) => {
  port.on("message", (msg: ToWorker) => {
    try {
      if (msg.type === "start") resolve(msg);
      else if (msg.type === "level" && onLevel !== null) onLevel(msg.level);
      else throw new Error(`worker protocol: unexpected ${JSON.stringify(msg)}`);
    } catch (err) {
      post({ type: "failed", error: describeError(err) });
    }
  });
});

async function main(): Promise<void> {
  let model;
  try {
    // Print/PrintT output must reach the caller's print (stdout may be reserved for --json).
    const print = (line: string): void => post({ type: "print", line });
    const source = setup.source.kind === "load" ? { ...setup.source, options: { ...setup.source.options, print } } : setup.source;
    model = await materialize(source);
  } catch (err) {
    post({ type: "failed", error: describeError(err) });
    return;
  }
  const start = await started;
  const control = new Int32Array(start.control);
  const generatedOut = new Float64Array(start.generated);
  let table = FingerprintSet.attach(start.table);
  // The table in `setup` is the one of epoch 0. The coordinator may have grown it (while alone)
  // before this thread got here: then the first refreshTable picks up the newer one.
  let epoch = 0;
  const fingerprint = makeFingerprinter(model);
  // The explorer reads the table through this proxy-free holder, swapped when the table grows.
  const explorerOptions = { deadlock: start.deadlock, print: (line: string) => post({ type: "print", line }), invariantReads: new Uint8Array(start.invariantReads) };
  let explorer = new Explorer(model, table, fingerprint, explorerOptions);
  const frontier = new Frontier();
  const enqueue = (state: State, keyLo: number, keyHi: number): void => frontier.pushNext(state, keyLo, keyHi);
  const share = new LevelShare(
    control,
    setup.id + 1,
    setup.participants,
    setup.shareOut.map((p) => p ?? undefined),
    setup.shareIn.map((p) => p ?? undefined),
    model.values,
    model.variables.length,
  );

  /**
   * Pick up the table the coordinator replaced (after growth). The epoch word changes after the
   * update is posted, but the port may deliver it a moment later, so wait for it.
   */
  const refreshTable = (): void => {
    const current = Atomics.load(control, Control.tableEpoch);
    if (current === epoch) return;
    let latest: TableUpdate | undefined;
    for (;;) {
      let update: { message: TableUpdate } | undefined;
      while ((update = receiveMessageOnPort(setup.tablePort) as { message: TableUpdate } | undefined)) latest = update.message;
      if (latest && latest.epoch === current) break;
      Atomics.wait(control, Control.sleep, 0, 1);
    }
    epoch = current;
    table = FingerprintSet.attach(latest.table);
    const generated = explorer.generated;
    const depth = explorer.depth;
    explorer = new Explorer(model, table, fingerprint, explorerOptions);
    explorer.generated = generated;
    explorer.depth = depth;
  };

  /**
   * Enter the expansion of one state: on the current table, not while the coordinator grows it,
   * and counted in `active` so that it does not start growing before this state is done.
   */
  const enterState = (): void => {
    for (;;) {
      refreshTable();
      if (Atomics.load(control, Control.growing) !== 0 || table.needsGrowth()) {
        if (Atomics.load(control, Control.growing) === 0) Atomics.store(control, Control.growthWanted, 1);
        Atomics.wait(control, Control.tableEpoch, epoch, 50);
        continue;
      }
      Atomics.add(control, Control.active, 1);
      if (Atomics.load(control, Control.growing) === 0) return;
      leaveState();
    }
  };
  const leaveState = (): void => {
    Atomics.sub(control, Control.active, 1);
    if (Atomics.load(control, Control.growing) !== 0) Atomics.notify(control, Control.active);
  };

  const runLevel = (level: number): void => {
    frontier.advance();
    let stop: Stop | null = null;
    let budget = false;
    let remaining = 0;
    for (;;) {
      while (frontier.remaining > 0) {
        if (Atomics.load(control, Control.abort) !== 0) {
          remaining += frontier.remaining;
          frontier.clear();
          break;
        }
        share.offer(frontier);
        const state = frontier.shift();
        enterState();
        try {
          stop = explorer.expand(state, frontier.keyLo, frontier.keyHi, level, enqueue);
        } finally {
          leaveState();
        }
        share.stats.expanded++;
        if ((share.stats.expanded & 63) === 0) generatedOut[setup.id] = explorer.generated;
        if (stop) {
          Atomics.store(control, Control.abort, 1);
          remaining += frontier.remaining;
          frontier.clear();
          break;
        }
        if (exitRequested() || (start.maxStates !== null && table.size >= start.maxStates)) {
          budget = true;
          Atomics.store(control, Control.abort, 1);
          remaining += frontier.remaining;
          frontier.clear();
          break;
        }
      }
      share.goIdle();
      const work = share.waitForWork();
      if (work === "done") break;
      share.load(frontier, work);
    }
    generatedOut[setup.id] = explorer.generated;
    post({ type: "levelDone", generated: explorer.generated, depth: explorer.depth, next: frontier.nextSize, remaining, stop, budget, exited: exitRequested(), stats: { ...share.stats } });
  };

  onLevel = runLevel;
  post({ type: "ready" });
}

void main();

/**
 * A worker thread of the parallel search: rebuilds the model, then expands the part of each BFS
 * level it holds, inserting into the shared fingerprint table.
 *
 * @module
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { State } from "../model.js";
import { makeFingerprinter } from "./canonical.js";
import { describeError } from "./errors.js";
import { Explorer, type Stop } from "./explorer.js";
import { FingerprintSet } from "./fingerprint-set.js";
import { materialize } from "./model-source.js";
import { Control, type FromWorker, type TableUpdate, type ToWorker, type WorkerSetup } from "./parallel-protocol.js";

const setup = workerData as WorkerSetup;
if (!parentPort) throw new Error("worker.ts must run in a worker thread");
const port = parentPort;

const post = (msg: FromWorker): void => port.postMessage(msg);

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
  const control = new Int32Array(setup.control);
  const generatedOut = new Float64Array(setup.generated);
  let table = FingerprintSet.attach(setup.table);
  let epoch = Atomics.load(control, Control.tableEpoch);
  const fingerprint = makeFingerprinter(model);
  // The explorer reads the table through this proxy-free holder, swapped when the table grows.
  const explorerOptions = { deadlock: setup.deadlock, print: (line: string) => post({ type: "print", line }), invariantReads: new Uint8Array(setup.invariantReads) };
  let explorer = new Explorer(model, table, fingerprint, explorerOptions);
  let frontier: State[] = [];
  // Table keys of the frontier states, two 32-bit halves per state.
  let frontierKeys: number[] = [];
  let next: State[] = [];
  let nextKeys: number[] = [];
  const enqueue = (state: State, keyLo: number, keyHi: number): void => {
    next.push(state);
    nextKeys.push(keyLo, keyHi);
  };

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

  /** Block until the coordinator has grown the table. */
  const waitForGrowth = (): void => {
    post({ type: "paused" });
    Atomics.wait(control, Control.tableEpoch, epoch);
    refreshTable();
  };

  const runLevel = (level: number): void => {
    refreshTable();
    let stop: Stop | null = null;
    let budget = false;
    let i = 0;
    for (; i < frontier.length; i++) {
      if (Atomics.load(control, Control.abort) !== 0) break;
      if (table.needsGrowth()) waitForGrowth();
      const state = frontier[i];
      (frontier as (State | undefined)[])[i] = undefined;
      stop = explorer.expand(state, frontierKeys[2 * i], frontierKeys[2 * i + 1], level, enqueue);
      if ((i & 63) === 0) generatedOut[setup.id] = explorer.generated;
      if (stop) {
        Atomics.store(control, Control.abort, 1);
        i++;
        break;
      }
      if (setup.maxStates !== null && table.size >= setup.maxStates) {
        budget = true;
        Atomics.store(control, Control.abort, 1);
        i++;
        break;
      }
    }
    const remaining = frontier.length - i;
    generatedOut[setup.id] = explorer.generated;
    frontier = next;
    frontierKeys = nextKeys;
    next = [];
    nextKeys = [];
    post({ type: "levelDone", generated: explorer.generated, depth: explorer.depth, next: frontier.length, remaining, stop, budget });
  };

  port.on("message", (msg: ToWorker) => {
    try {
      switch (msg.type) {
        case "take":
          for (let i = 0; i < msg.states.length; i++) {
            frontier.push((msg.states[i] as unknown[]).map((v) => model.values.fromPortable(v)));
            frontierKeys.push(msg.keys[2 * i], msg.keys[2 * i + 1]);
          }
          post({ type: "taken" });
          break;
        case "level":
          runLevel(msg.level);
          break;
        case "give": {
          const count = Math.min(msg.count, frontier.length);
          const states = frontier.splice(frontier.length - count, count).map((s) => s.map((v) => model.values.toPortable(v)));
          const keys = frontierKeys.splice(frontierKeys.length - 2 * count, 2 * count);
          post({ type: "gave", states, keys });
          break;
        }
        default: {
          const never: never = msg;
          throw new Error(`unknown message ${JSON.stringify(never)}`);
        }
      }
    } catch (err) {
      post({ type: "failed", error: describeError(err) });
    }
  });
  post({ type: "ready" });
}

void main();

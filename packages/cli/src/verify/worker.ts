/**
 * A `verify` worker thread: runs the tasks the main thread hands it, one at a time, posting running
 * figures and each task's rows. One worker serves many tasks, so the checker's grammar and the
 * registry load once per thread, not once per model.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { runTask, type VerifyRow, type VerifyTask } from "./tasks.js";

/** Messages from the main thread. */
export type ToVerifyWorker = { type: "task"; id: number; task: VerifyTask } | { type: "stop" };
/** Messages to the main thread. */
export type FromVerifyWorker =
  | { type: "ready" }
  | { type: "progress"; id: number; text: string }
  | { type: "rows"; id: number; rows: VerifyRow[] };

const port = parentPort;
if (port === null) throw new Error("verify worker: not started as a worker thread");
port.on("message", (m: ToVerifyWorker) => {
  if (m.type === "stop") {
    port.close();
    return;
  }
  void runTask(m.task, (text) => port.postMessage({ type: "progress", id: m.id, text } satisfies FromVerifyWorker)).then((rows) =>
    port.postMessage({ type: "rows", id: m.id, rows } satisfies FromVerifyWorker),
  );
});
port.postMessage({ type: "ready" } satisfies FromVerifyWorker);

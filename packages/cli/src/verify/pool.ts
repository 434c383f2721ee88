/**
 * Runs `verify`'s tasks on `jobs` worker threads, biggest first, and reports each task as it starts,
 * moves and ends. With one job, or where the compiled worker is absent (the sources run under a test
 * runner), the tasks run in this thread one after another.
 *
 * @module
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { runTask, taskCost, type VerifyRow, type VerifyTask } from "./tasks.js";
import type { FromVerifyWorker, ToVerifyWorker } from "./worker.js";

/** What the pool tells its display. */
export interface PoolEvents {
  onStart(task: VerifyTask): void;
  onProgress(task: VerifyTask, text: string): void;
  onEnd(task: VerifyTask, rows: VerifyRow[]): void;
}

/** Run every task; resolves with all rows in plan order (not finishing order), so output is stable. */
export async function runPool(tasks: readonly VerifyTask[], jobs: number, events: PoolEvents): Promise<VerifyRow[]> {
  const results = new Map<number, VerifyRow[]>();
  const order = tasks.map((task, id) => ({ task, id })).sort((a, b) => taskCost(b.task) - taskCost(a.task));
  const script = fileURLToPath(new URL("./worker.js", import.meta.url));
  if (jobs <= 1 || !fs.existsSync(script)) {
    for (const { task, id } of order) {
      events.onStart(task);
      const rows = await runTask(task, (text) => events.onProgress(task, text));
      results.set(id, rows);
      events.onEnd(task, rows);
    }
  } else {
    await inWorkers(order, Math.min(jobs, order.length), script, events, results);
  }
  return tasks.flatMap((_, id) => results.get(id) ?? []);
}

function inWorkers(
  order: { task: VerifyTask; id: number }[],
  n: number,
  script: string,
  events: PoolEvents,
  results: Map<number, VerifyRow[]>,
): Promise<void> {
  const queue = [...order];
  const byId = new Map(order.map((o) => [o.id, o.task]));
  let live = n;
  return new Promise((resolve) => {
    const finished = (): void => {
      live--;
      if (live > 0) return;
      // Never a silent gap: a task left in the queue because every thread died is a failing row.
      for (const left of queue.splice(0)) {
        const rows = [{ check: left.task.label, ok: false, detail: "not run: every worker thread died", seconds: null }];
        results.set(left.id, rows);
        events.onEnd(left.task, rows);
      }
      resolve();
    };
    for (let k = 0; k < n; k++) {
      const w = new Worker(script);
      let current: number | null = null;
      const feed = (): void => {
        const next = queue.shift();
        if (next === undefined) {
          current = null;
          w.postMessage({ type: "stop" } satisfies ToVerifyWorker);
          return;
        }
        current = next.id;
        events.onStart(next.task);
        w.postMessage({ type: "task", id: next.id, task: next.task } satisfies ToVerifyWorker);
      };
      w.on("message", (m: FromVerifyWorker) => {
        if (m.type === "ready") feed();
        else if (m.type === "progress") events.onProgress(byId.get(m.id)!, m.text);
        else {
          results.set(m.id, m.rows);
          events.onEnd(byId.get(m.id)!, m.rows);
          feed();
        }
      });
      // A thread that dies (out of memory, say) fails its task by name; the rest of the run goes on
      // on the remaining threads.
      const died = (why: string): void => {
        if (current !== null) {
          const task = byId.get(current)!;
          const rows = [{ check: task.label, ok: false, detail: `worker thread died: ${why}`, seconds: null }];
          results.set(current, rows);
          events.onEnd(task, rows);
          current = null;
        }
      };
      w.on("error", (e) => died(e.message));
      w.on("exit", (code) => {
        if (code !== 0) died(`exit code ${code}`);
        finished();
      });
    }
  });
}

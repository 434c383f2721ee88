/**
 * How `verify` shows a run while it goes: on a terminal, a live line per running task (elapsed
 * time and the checker's running figures) with finished rows printed above; elsewhere (CI logs,
 * pipes), one plain line when a task starts and one per row when it ends.
 *
 * @module
 */
import cliProgress from "cli-progress";
import type { PoolEvents } from "./pool.js";
import type { VerifyRow, VerifyTask } from "./tasks.js";

/** A display the pool drives, closed when the run ends. */
export interface VerifyDisplay extends PoolEvents {
  /** Show rows that ran nothing (a missing expected.json, a spec folder no descriptor claims). */
  report(rows: readonly VerifyRow[]): void;
  close(): void;
}

/** One finished row as a progress line: verdict, check, time and states/s. */
export function rowLine(r: VerifyRow): string {
  const time = r.seconds === null ? "" : `  ${r.seconds.toFixed(1)} s`;
  const rate = r.statesPerSecond !== undefined ? `, ${r.statesPerSecond.toLocaleString("en-US")} states/s` : "";
  return `${r.ok ? "ok  " : "FAIL"}  ${r.check}${time}${rate}`;
}

/** Plain lines on `out`, for logs. */
export function plainDisplay(out: NodeJS.WritableStream): VerifyDisplay {
  const started = new Map<VerifyTask, number>();
  return {
    onStart(task) {
      started.set(task, performance.now());
      out.write(`start ${task.label}\n`);
    },
    onProgress() {
      // Running figures would flood a log; the start and end lines carry the times.
    },
    onEnd(_task, rows) {
      this.report(rows);
    },
    report(rows) {
      for (const r of rows) out.write(`${rowLine(r)}\n`);
    },
    close() {},
  };
}

/** A live display on a terminal `stream`. */
export function liveDisplay(stream: NodeJS.WriteStream): VerifyDisplay {
  const bars = new cliProgress.MultiBar(
    { format: "{elapsed}  {label}  {status}", stream, hideCursor: true, clearOnComplete: true, autopadding: true, emptyOnZero: true, forceRedraw: true },
    cliProgress.Presets.legacy,
  );
  const running = new Map<VerifyTask, { bar: cliProgress.SingleBar; t0: number; status: string }>();
  const elapsed = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
  const tick = setInterval(() => {
    for (const r of running.values()) r.bar.update(0, { elapsed: elapsed(r.t0), status: r.status });
  }, 1000);
  tick.unref();
  return {
    onStart(task) {
      const t0 = performance.now();
      const bar = bars.create(1, 0, { label: task.label, elapsed: elapsed(t0), status: "" });
      running.set(task, { bar, t0, status: "" });
    },
    onProgress(task, text) {
      const r = running.get(task);
      if (r === undefined) return;
      r.status = text;
      r.bar.update(0, { elapsed: elapsed(r.t0), status: text });
    },
    onEnd(task, rows) {
      const r = running.get(task);
      if (r !== undefined) {
        bars.remove(r.bar);
        running.delete(task);
      }
      this.report(rows);
    },
    report(rows) {
      bars.log(rows.map((row) => `${rowLine(row)}\n`).join(""));
    },
    close() {
      clearInterval(tick);
      bars.stop();
    },
  };
}

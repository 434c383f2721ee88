/**
 * Messages between the coordinator (`parallel.ts`) and its worker threads (`worker.ts`).
 *
 * @module
 */
import type { MessagePort } from "node:worker_threads";
import type { SharedFingerprintTable } from "./fingerprint-set.js";
import type { ModelSource } from "./model-source.js";
import type { Stop } from "./explorer.js";

/** What a worker is started with (`workerData`). */
export interface WorkerSetup {
  id: number;
  source: ModelSource;
  table: SharedFingerprintTable;
  /** Int32 words shared by all: see {@link Control}. */
  control: SharedArrayBuffer;
  /** Float64 per worker: states generated so far, for progress reports. */
  generated: SharedArrayBuffer;
  deadlock: boolean;
  maxStates: number | null;
  /** Port on which table replacements arrive while the worker is blocked mid-level. */
  tablePort: MessagePort;
  /** The explorers' shared invariant read sets (see `ExplorerOptions.invariantReads`). */
  invariantReads: SharedArrayBuffer;
}

/** Indexes into the shared control words. */
export const Control = {
  /** Non-zero once some worker stopped the search (violation, error or budget). */
  abort: 0,
  /** Bumped by the coordinator each time it replaces the table. */
  tableEpoch: 1,
  /** Always 0: a word to sleep on for short waits. */
  sleep: 2,
  length: 3,
} as const;

/** Coordinator to worker. */
export type ToWorker =
  /** States (portable form) with their table keys, two 32-bit halves per state. */
  | { type: "take"; states: unknown[]; keys: number[] }
  | { type: "level"; level: number }
  | { type: "give"; count: number };

/** Coordinator to a worker's table port. */
export interface TableUpdate {
  table: SharedFingerprintTable;
  /** The value of the `tableEpoch` control word this table belongs to. */
  epoch: number;
}

/** Worker to coordinator. */
export type FromWorker =
  | { type: "ready" }
  | { type: "failed"; error: { kind: string; message: string; location?: { file: string; line: number; column: number } } }
  | { type: "taken" }
  | { type: "paused" }
  | {
      type: "levelDone";
      /** Totals for this worker so far. */
      generated: number;
      depth: number;
      /** States this worker holds for the next level. */
      next: number;
      /** States of this level left unexplored because the search stopped. */
      remaining: number;
      stop: Stop | null;
      /** True when this worker stopped the search because `maxStates` was reached. */
      budget: boolean;
    }
  | { type: "gave"; states: unknown[]; keys: number[] }
  /** Output of `Print`/`PrintT` evaluated in the worker, forwarded to the caller's `print`. */
  | { type: "print"; line: string };

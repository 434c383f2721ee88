/**
 * Messages between the coordinator (`parallel.ts`) and its worker threads (`worker.ts`).
 *
 * @module
 */
import type { MessagePort } from "node:worker_threads";
import type { SharedFingerprintTable } from "./fingerprint-set.js";
import type { ModelSource } from "./model-source.js";
import type { Stop } from "./explorer.js";
import type { ShareStats } from "./level-share.js";

/**
 * What a worker is started with (`workerData`): enough to build the model, which it starts on at
 * once (`checkSpec` starts the worker threads before it loads the model itself, so the loads
 * overlap); the search's shared memory follows in a {@link WorkerStart} message.
 */
export interface WorkerSetup {
  id: number;
  source: ModelSource;
  /** Port on which table replacements arrive while the worker is blocked mid-level. */
  tablePort: MessagePort;
  /** Number of participants in the search: the coordinator (0) and the worker threads (1 and up). */
  participants: number;
  /** `shareOut[q]`: port to participant `q` for handing it states (null at this worker's own index). */
  shareOut: (MessagePort | null)[];
  /** `shareIn[g]`: port on which participant `g` hands this worker states (null at its own index). */
  shareIn: (MessagePort | null)[];
}

/** Coordinator to worker, once the coordinator has its model: the search's shared memory and settings. */
export interface WorkerStart {
  type: "start";
  table: SharedFingerprintTable;
  /** Int32 words shared by all: see {@link Control}. */
  control: SharedArrayBuffer;
  /** Float64 per worker: states generated so far, for progress reports. */
  generated: SharedArrayBuffer;
  deadlock: boolean;
  maxStates: number | null;
  /** The explorers' shared invariant read sets (see `ExplorerOptions.invariantReads`). */
  invariantReads: SharedArrayBuffer;
}

/**
 * Indexes into the shared control words; the array has `want + participants` of them.
 *
 * Table growth: only the coordinator grows the table. A worker that finds it too full sets
 * `growthWanted` and waits for `tableEpoch` to change. The coordinator sets `growing`, waits for
 * `active` (workers in the middle of a state) to reach 0, grows, clears `growing`, then bumps
 * `tableEpoch`. A worker enters a state by incrementing `active` and re-checking `growing`.
 */
export const Control = {
  /** Non-zero once some participant stopped the search (violation, error or budget). */
  abort: 0,
  /** Bumped by the coordinator each time it replaces the table. */
  tableEpoch: 1,
  /** Always 0: a word to sleep on for short waits. */
  sleep: 2,
  /** 1 while the coordinator grows the table (or waits to). */
  growing: 3,
  /** Set by a worker that found the table due for growth. */
  growthWanted: 4,
  /** Participants out of states in this level (see `level-share.ts`). */
  idle: 6,
  /** Participants waiting for someone to claim them (see `level-share.ts`). */
  hungry: 7,
  /**
   * Worker threads in the middle of expanding a state. Written twice per state, so it has a
   * cache line (64 bytes) of its own: on the line of the words every participant reads per state
   * (`abort`, `hungry`, `growing`) each write made the other cores fetch that line again.
   */
  active: 16,
  /** First of one word per participant: its work-sharing state (see `level-share.ts`). */
  want: 32,
} as const;

/** Coordinator to worker: start (once), then explore (your share of) a level. */
export type ToWorker = WorkerStart | { type: "level"; level: number };

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
      /** True when this worker stopped the search because `maxStates` was reached or the spec asked (`exited`). */
      budget: boolean;
      /** True when the spec stopped the search in this worker with `TLCSet("exit", TRUE)`. */
      exited: boolean;
      /** Running totals of the work sharing. */
      stats: ShareStats;
    }
  /** Output of `Print`/`PrintT` evaluated in the worker, forwarded to the caller's `print`. */
  | { type: "print"; line: string };

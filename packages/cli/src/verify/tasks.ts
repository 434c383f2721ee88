/**
 * What `synod verify` runs: one task per model of `expected.json` and one per registered protocol's
 * conformance, each independent of the others so they can run side by side. A task runs the same
 * way in the main thread and in a worker thread.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { loadKits, runConformance, specDir, type AnyKit } from "@synod/conformance";
import { checkSpec } from "@synod/tla-checker-wasm";
import { compareWithExpected, readExpected, type ExpectedEntry } from "./expected.js";

/** `ci` (the main job) or `full` (the big models too). */
export type VerifySize = "ci" | "full";

/** One summary row of `verify`. */
export interface VerifyRow {
  /** What was checked, e.g. `tla specs/raft/MCRaft.cfg` or `conformance raft: histories`. */
  check: string;
  ok: boolean;
  /** Figures, or what went wrong. */
  detail: string;
  /** Wall-clock seconds, or null for a row that ran nothing (a missing file, say). */
  seconds: number | null;
  /** Distinct states per second, for model checks. */
  statesPerSecond?: number;
}

/** A unit of work that can run on its own. */
export type VerifyTask =
  | { kind: "model"; label: string; dir: string; entry: ExpectedEntry; workers: number }
  | { kind: "conformance"; label: string; root: string; kit: string; size: VerifySize };

/** The tasks of a run, and the rows that fail before anything runs (a missing expected.json, say). */
export interface VerifyPlan {
  tasks: VerifyTask[];
  failed: VerifyRow[];
}

/** Options of {@link planVerify}. */
export interface PlanOptions {
  size: VerifySize;
  /** Run conformance after the model checks. */
  conformance: boolean;
  /** Checker worker threads per model check. */
  workers: number;
}

/**
 * Plan a run over the spec folders `protocols` of `root`: their models of `size`, then conformance
 * of every descriptor claiming one of them. A spec folder that no descriptor claims is a failing row:
 * its implementation would otherwise go unchecked without a word.
 */
export async function planVerify(root: string, protocols: readonly string[], opts: PlanOptions): Promise<VerifyPlan> {
  const tasks: VerifyTask[] = [];
  const failed: VerifyRow[] = [];
  for (const protocol of protocols) {
    const file = path.join(root, "specs", protocol, "expected.json");
    const check = `tla specs/${protocol}`;
    if (!fs.existsSync(file)) {
      failed.push({ check, ok: false, detail: `no expected.json in specs/${protocol}`, seconds: null });
      continue;
    }
    let entries: ExpectedEntry[];
    try {
      entries = readExpected(file).filter((e) => e.size === opts.size);
    } catch (err) {
      failed.push({ check, ok: false, detail: (err as Error).message, seconds: null });
      continue;
    }
    if (entries.length === 0) failed.push({ check, ok: false, detail: `expected.json has no "${opts.size}" entry`, seconds: null });
    for (const entry of entries) {
      tasks.push({ kind: "model", label: `tla specs/${protocol}/${entry.cfg}`, dir: path.join(root, "specs", protocol), entry, workers: opts.workers });
    }
  }
  if (!opts.conformance) return { tasks, failed };
  let kits: AnyKit[];
  try {
    kits = await loadKits({ root });
  } catch (err) {
    failed.push({ check: "conformance", ok: false, detail: `cannot load the protocol registry: ${(err as Error).message}`, seconds: null });
    return { tasks, failed };
  }
  for (const protocol of protocols) {
    const dir = path.resolve(root, "specs", protocol);
    const claiming = kits.filter((k) => path.resolve(specDir(k.spec.dir, root)) === dir);
    if (claiming.length === 0) {
      failed.push({
        check: `conformance specs/${protocol}`,
        ok: false,
        detail: 'no protocol descriptor (package.json "synod.kit") claims this spec folder: its implementation is not checked',
        seconds: null,
      });
    }
    for (const kit of claiming) tasks.push({ kind: "conformance", label: `conformance ${kit.name}`, root, kit: kit.name, size: opts.size });
  }
  return { tasks, failed };
}

/**
 * A rough cost for ordering: the biggest models and the conformance runs start first, so the run
 * does not end waiting on one long task that started last.
 */
export function taskCost(t: VerifyTask): number {
  return t.kind === "model" ? t.entry.generated : 5_000_000;
}

/** Running figures of a task, for the progress display. */
export type ProgressNote = (text: string) => void;

/** Run one task to its rows. Never throws: a crash becomes a failing row naming the task. */
export async function runTask(task: VerifyTask, note: ProgressNote): Promise<VerifyRow[]> {
  try {
    return task.kind === "model" ? [await runModel(task, note)] : await runKit(task, note);
  } catch (err) {
    return [{ check: task.label, ok: false, detail: `crashed: ${(err as Error).message}`, seconds: null }];
  }
}

async function runModel(task: Extract<VerifyTask, { kind: "model" }>, note: ProgressNote): Promise<VerifyRow> {
  const got = await checkSpec({
    spec: { path: path.join(task.dir, task.entry.spec) },
    cfg: { path: path.join(task.dir, task.entry.cfg) },
    workers: task.workers,
    onProgress: (p) => note(`${p.distinct.toLocaleString("en-US")} distinct, depth ${p.depth}, ${Math.round(p.statesPerSecond).toLocaleString("en-US")} states/s`),
    progressIntervalMs: 1000,
  });
  const statesPerSecond = got.seconds > 0 ? Math.round(got.distinct / got.seconds) : 0;
  return { check: task.label, ...compareWithExpected(task.entry, got), seconds: got.seconds, statesPerSecond };
}

async function runKit(task: Extract<VerifyTask, { kind: "conformance" }>, note: ProgressNote): Promise<VerifyRow[]> {
  const kit = (await loadKits({ root: task.root })).find((k) => k.name === task.kit);
  if (kit === undefined) return [{ check: task.label, ok: false, detail: `the registry no longer lists "${task.kit}"`, seconds: null }];
  const rows = await runConformance(kit, { size: task.size, onStart: (check) => note(check) });
  return rows.map((r) => ({ check: `conformance ${kit.name}: ${r.check}`, ok: r.ok, detail: r.detail, seconds: r.seconds }));
}

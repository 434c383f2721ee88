/**
 * `synod soak <protocol> --seeds N`: N seeded fault schedules (every fault the protocol claims to
 * survive) through the histories check and trace validation, on every core, with a progress
 * display and one merged report. `--shard i/n` runs the i-th of n disjoint seed ranges, so a CI
 * matrix (or a Kubernetes Indexed Job, whose completion index is the shard) spreads a soak over
 * machines; `synod soak --merge a.json b.json ...` joins the shard reports.
 *
 * @module
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import cliProgress from "cli-progress";
import { Command } from "commander";
import {
  addResult,
  emptyReport,
  findKit,
  mergeReports,
  parseSoakReport,
  seedRanges,
  shardSeeds,
  soakPassed,
  soakSeed,
  UnknownProtocolError,
  type AnyKit,
  type SeedResult,
  type SoakReport,
} from "@synod/conformance";
import { ExitStatus } from "@synod/exit-codes";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCount, UsageError } from "./args.js";
import { registryFor } from "./conformance.js";
import type { FromWorker, ToWorker, WorkerInit } from "../soak/worker.js";

interface SoakFlags {
  seeds?: string;
  firstSeed: string;
  shard?: string;
  workers?: string;
  durationMs?: string;
  out?: string;
  replayDir?: string;
  root?: string;
  merge?: boolean;
  progress?: boolean;
}

/** Build the `soak` subcommand. */
export function soakCommand(): Command {
  return new Command("soak")
    .description("run many seeded fault schedules through the histories check and trace validation, on every core")
    .argument("[protocol-or-reports...]", "a registered protocol; with --merge, the shard reports to join")
    .option("--seeds <n>", "schedules in all (over every shard)")
    .option("--first-seed <n>", "the first seed", "1")
    .option("--shard <i/n>", "run the i-th (0-based) of n disjoint seed ranges")
    .option("--workers <n>", "worker threads (default: one per core)")
    .option("--duration-ms <ms>", "virtual duration of each schedule's workload (default: the protocol's)")
    .option("--out <file>", "write the JSON report here")
    .option("--replay-dir <dir>", "where replay files of failing schedules go (default: a temporary folder each)")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .option("--merge", "join shard reports given as arguments into one")
    .option("--no-progress", "no progress display")
    .action(async (args: string[], flags: SoakFlags) => {
      process.exitCode = flags.merge ? merge(args, flags) : await soak(args, flags);
    });
}

function usage(message: string): number {
  process.stderr.write(`synod soak: ${message}\n`);
  return EXIT_USAGE;
}

function merge(files: string[], flags: SoakFlags): number {
  if (files.length === 0) return usage("--merge: name the shard reports to join");
  let merged: SoakReport;
  try {
    merged = mergeReports(files.map((f) => parseSoakReport(fs.readFileSync(f, "utf8"), f)));
  } catch (e) {
    return usage((e as Error).message);
  }
  return finish(merged, flags);
}

async function soak(args: string[], flags: SoakFlags): Promise<number> {
  let kit: AnyKit;
  let range: [number, number] | null;
  let workers: number;
  let durationMs: number | undefined;
  const registry = registryFor(flags.root);
  try {
    if (args.length !== 1) throw new UsageError("name one protocol (or --merge reports)");
    if (flags.seeds === undefined) throw new UsageError("--seeds: how many schedules?");
    const total = parseCount(flags.seeds, "--seeds", 1);
    const first = parseCount(flags.firstSeed, "--first-seed", 0);
    let shard: [number, number] = [0, 1];
    if (flags.shard !== undefined) {
      const m = /^(\d+)\/(\d+)$/.exec(flags.shard);
      if (m === null || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard: "${flags.shard}" is not i/n with 0 <= i < n`);
      shard = [Number(m[1]), Number(m[2])];
    }
    range = shardSeeds(first, total, shard[0], shard[1]);
    workers = flags.workers !== undefined ? parseCount(flags.workers, "--workers", 1) : Math.max(1, os.availableParallelism());
    if (flags.durationMs !== undefined) durationMs = parseCount(flags.durationMs, "--duration-ms", 100);
    kit = await findKit(args[0]!, registry);
  } catch (e) {
    if (e instanceof UsageError || e instanceof UnknownProtocolError) return usage(e.message);
    throw e;
  }
  const report = emptyReport(kit.name);
  if (range === null) {
    process.stderr.write(`synod soak: shard ${flags.shard} of ${flags.seeds} seeds is empty\n`);
    return finish(report, flags);
  }
  report.seeds = [range];
  const seeds: number[] = [];
  for (let s = range[0]; s <= range[1]; s++) seeds.push(s);
  workers = Math.min(workers, seeds.length);
  const started = performance.now();
  const progress = progressDisplay(kit, seeds.length, flags.progress !== false);
  // Ctrl-C or a CI job's SIGTERM stops the run but keeps what it found: the report lists the seeds
  // that ran and says it was interrupted (a second signal exits at once).
  const done: number[] = [];
  const interrupt = { requested: false, stopWorkers: (): void => {} };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.requested) process.exit(130);
    interrupt.requested = true;
    progress.log(`synod soak: ${signal}: stopping; the report covers the ${done.length} schedules that ran`);
    interrupt.stopWorkers();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const onResult = (r: SeedResult): void => {
    done.push(r.seed);
    addResult(report, r);
    progress.update(report);
    if (r.failure !== null) progress.log(`seed ${r.seed}: ${r.failure.line}${r.failure.replayFile ? ` (replay: synod replay ${r.failure.replayFile})` : ""}`);
  };
  const replayDir = flags.replayDir !== undefined ? path.resolve(flags.replayDir) : undefined;
  if (replayDir !== undefined) fs.mkdirSync(replayDir, { recursive: true });
  try {
    if (workers === 1) {
      const spec = await kit.spec.load("validate", "ci");
      for (const seed of seeds) {
        if (interrupt.requested) break;
        onResult(await soakSeed(kit, spec, seed, { ...(durationMs !== undefined ? { durationMs } : {}), ...(replayDir !== undefined ? { replayDir } : {}) }));
        // Let a signal in between schedules.
        await new Promise((r) => setImmediate(r));
      }
      report.workerSeconds = (performance.now() - started) / 1000;
    } else {
      report.workerSeconds = await inWorkers(seeds, workers, { protocol: kit.name, root: registry.root, durationMs, replayDir }, onResult, interrupt);
    }
  } finally {
    progress.stop();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
  if (interrupt.requested) {
    report.seeds = seedRanges(done);
    report.interrupted = { planned: seeds.length };
  }
  report.wallSeconds = (performance.now() - started) / 1000;
  return finish(report, flags);
}

/** Run `seeds` on `n` worker threads in small batches; returns the worker-seconds spent. */
function inWorkers(seeds: number[], n: number, init: WorkerInit, onResult: (r: SeedResult) => void, interrupt: { stopWorkers: () => void }): Promise<number> {
  const script = fileURLToPath(new URL("../soak/worker.js", import.meta.url));
  const queue = [...seeds];
  // Small batches keep every core busy to the end; at most 8 seeds per message.
  const batch = Math.max(1, Math.min(8, Math.floor(seeds.length / (n * 8))));
  let workerMs = 0;
  let exited = 0;
  let failed = false;
  return new Promise((resolve, reject) => {
    const all: Worker[] = [];
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      for (const w of all) void w.terminate();
      reject(e);
    };
    // Stopped by a signal: the seeds in flight are dropped (not counted), the others never start.
    let stopped = false;
    interrupt.stopWorkers = () => {
      stopped = true;
      queue.length = 0;
      for (const w of all) void w.terminate();
    };
    for (let k = 0; k < n; k++) {
      const w = new Worker(script, { workerData: init });
      all.push(w);
      let t0 = 0;
      const feed = (): void => {
        const next = queue.splice(0, batch);
        if (next.length === 0) {
          w.postMessage({ type: "stop" } satisfies ToWorker);
          return;
        }
        t0 = performance.now();
        w.postMessage({ type: "seeds", seeds: next } satisfies ToWorker);
      };
      w.on("message", (m: FromWorker) => {
        if (stopped) return;
        if (m.type === "ready") feed();
        else if (m.type === "result") onResult(m.result);
        else if (m.type === "idle") {
          workerMs += performance.now() - t0;
          feed();
        } else fail(new Error(`a soak worker failed: ${m.message}`));
      });
      w.on("error", fail);
      w.on("exit", (code) => {
        exited++;
        if (code !== 0 && !failed && !stopped) fail(new Error(`a soak worker exited with code ${code}`));
        else if (exited === n && !failed) resolve(workerMs / 1000);
      });
    }
  });
}

/** A live bar on a terminal, a plain line every 10 s otherwise. */
function progressDisplay(kit: AnyKit, total: number, enabled: boolean): { update(r: SoakReport): void; log(line: string): void; stop(): void } {
  const started = performance.now();
  const rate = (r: SoakReport): string => (r.schedules / Math.max((performance.now() - started) / 1000, 1e-3)).toFixed(1);
  if (enabled && process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `soak ${kit.name} [{bar}] {value}/{total} schedules, {rate}/s, {bad} failing, ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: "0.0", bad: 0 });
    // Lines written under a live bar would be overwritten: they follow it when it stops.
    const held: string[] = [];
    return {
      update: (r) => bar.update(r.schedules, { rate: rate(r), bad: r.failures.length }),
      log: (line) => held.push(line),
      stop: () => {
        bar.stop();
        for (const line of held) process.stderr.write(`soak ${kit.name}: ${line}\n`);
      },
    };
  }
  let last = performance.now();
  return {
    update: (r) => {
      if (!enabled || performance.now() - last < 10_000) return;
      last = performance.now();
      process.stderr.write(`soak ${kit.name}: ${r.schedules}/${total} schedules, ${rate(r)}/s, ${r.failures.length} failing\n`);
    },
    log: (line) => process.stderr.write(`soak ${kit.name}: ${line}\n`),
    stop: () => undefined,
  };
}

/** Print the summary, write the report, and return the exit code. */
function finish(r: SoakReport, flags: SoakFlags): number {
  const perCore = r.workerSeconds > 0 ? r.schedules / r.workerSeconds : 0;
  const lines = [
    ...(r.interrupted !== undefined ? [`soak ${r.protocol}: INTERRUPTED after ${r.schedules} of ${r.interrupted.planned} schedules; the figures cover those`] : []),
    `soak ${r.protocol}: seeds ${r.seeds.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ") || "(none)"}`,
    `  schedules run           ${r.schedules}`,
    `  safety violations       ${r.safetyViolations}`,
    `  trace validation fails  ${r.validationFailures}`,
    `  acked writes lost       ${r.lostWrites}`,
    `  unavailable at the end  ${r.unavailable}`,
    `  undecided by the judge  ${r.undecided}`,
    `  operations judged       ${r.operations}`,
    `  schedules per second    ${(r.schedules / Math.max(r.wallSeconds, 1e-9)).toFixed(2)} wall, ${perCore.toFixed(2)} per core`,
  ];
  for (const f of r.failures.slice(0, 20)) lines.push(`  seed ${f.seed}: ${f.line}${f.replayFile ? `  (synod replay ${f.replayFile})` : ""}`);
  if (r.failures.length > 20) lines.push(`  ... and ${r.failures.length - 20} more failing seeds (in the report)`);
  process.stdout.write(`${lines.join("\n")}\n`);
  if (flags.out !== undefined) fs.writeFileSync(flags.out, `${JSON.stringify(r, null, 2)}\n`);
  if (r.undecided > 0) process.stderr.write(`synod soak: ${r.undecided} histories were not decided within the judge's budget: not everything was checked\n`);
  if (!soakPassed(r)) return EXIT_FAILURE;
  // Not a pass either: fewer schedules than asked for, or some histories not decided.
  if (r.interrupted !== undefined || r.undecided > 0 || r.schedules === 0) return ExitStatus.INCOMPLETE;
  return EXIT_OK;
}

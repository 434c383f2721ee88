/**
 * Check 3, histories: the Raft key-value store runs under the simulator with a generated fault
 * schedule and workload; the client history must be linearizable (lincheck's `kv` model), which
 * also means no acknowledged write is lost (a later read would not be explainable). fast-check
 * generates the runs and shrinks a failure to a small schedule; the failing run is written to a
 * replay file that {@link replay} (and `synod replay FILE`) reproduces exactly.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Json } from "@synod/protocol";
import { checkHistory, kv, type CheckResult, type HistoryEvent } from "@synod/lincheck";
import { createKvNode, type KvCommand, type KvResult, type RaftCommand, type RaftKvNode, type RaftMessage, type RaftOptions, type UnsafeOptions } from "@synod/raft";
import { Simulation, startWorkload, type Fault, type FaultSchedule, type SimulationConfig, type StepRecord } from "@synod/sim";

/** Everything that determines one history run: plain JSON, the content of a replay file. */
export interface HistoryRun {
  /** Simulation seed. */
  seed: number;
  /** Node ids (all initial voters). */
  nodes: string[];
  /** Clients invoke operations until this virtual time. */
  durationMs: number;
  /** The fault schedule (simulator JSON). */
  faults: FaultSchedule;
  /** Closed-loop clients. */
  clients: number;
  /** Keys the workload uses (`k0`, `k1`, ...). */
  keys: number;
  /** Share of operations that are reads, 0..1. */
  readRatio: number;
  /** Share of operations sent to a random node (stale leader caches). */
  randomTargetProbability: number;
  /** Broken variant to run (`{}` = the correct build). */
  unsafe: UnsafeOptions;
  /** Raft options that differ from the defaults. */
  raftOptions: Pick<Partial<RaftOptions>, "checkQuorum" | "preVote">;
  /**
   * A targeted fault on top of `faults`: `"ack-before-persist"` isolates one follower at 995 ms,
   * then crashes the other follower right after it acknowledges entries, crashes the leader, heals,
   * restarts the follower and later the old leader — the schedule that shows an acknowledgement
   * sent before its entries were durable. Deterministic, so replay files reproduce it.
   */
  targeted?: "ack-before-persist";
}

/** The outcome of one run. */
export interface HistoryOutcome {
  /** lincheck's verdict. */
  verdict: CheckResult["verdict"];
  /** Operations in the history. */
  operations: number;
  /** Operations acknowledged `ok`. */
  okOperations: number;
  /** Final reads (one per key, after healing) that completed: each pins the key's last write. */
  finalReadsOk: number;
  /** sha256 of the JSON history: equal digests mean an exactly reproduced run. */
  historyDigest: string;
  /** lincheck's explanation when illegal, its reason when unknown. */
  explanation: string;
  /** The client history (lincheck's JSON events). */
  history: HistoryEvent[];
}

/** When the final reads start, after the workload's end (time for an election after the restarts). */
const FINAL_READS_MS = 1000;

/** The simulator configuration of a run (the JSON part; see `parseSimulationConfig`). */
export function simulationConfig(run: HistoryRun): SimulationConfig {
  return {
    seed: run.seed,
    nodes: run.nodes,
    network: { latency: { type: "uniform", minMs: 1, maxMs: 5 }, lossProbability: 0.02, duplicateProbability: 0.02 },
    storage: { fsyncMs: { type: "uniform", minMs: 0, maxMs: 2 } },
    clients: { timeoutMs: 500 },
    // After the workload everything is healed and restarted (no-ops where nothing is wrong), so
    // the final reads can see whether an acknowledged write was lost.
    faults: [
      ...run.faults,
      { atMs: run.durationMs, fault: { type: "heal" } },
      ...run.nodes.map((node) => ({ atMs: run.durationMs, fault: { type: "restart" as const, node } })),
    ],
    budget: { maxTimeMs: run.durationMs + FINAL_READS_MS + 2000, maxEvents: 3_000_000 },
    record: { messages: false, steps: false, history: true },
  };
}

/** Run the KV store once and judge its history. */
export function runHistory(run: HistoryRun): HistoryOutcome {
  let hook: StepHook | null = null;
  const sim = new Simulation<RaftMessage, RaftCommand, KvResult>({
    ...simulationConfig(run),
    createNode: (id, rng, ctx) =>
      createKvNode({ id, peers: run.nodes.filter((x) => x !== id), rng, durable: ctx.durable, options: { ...run.raftOptions, unsafe: run.unsafe } }),
    history: {
      invoke: (c) => {
        const k = c as KvCommand;
        return { f: k.op, key: "key" in k ? k.key : "", value: k.op === "put" ? k.value : null };
      },
      ok: (c, r) => ((c as KvCommand).op === "put" ? (c as { value: string }).value : ((r as { value?: string | null }).value ?? null)),
    },
    observer: { afterStep: (record) => hook?.(record) },
  });
  if (run.targeted === "ack-before-persist") hook = targetAckBeforePersist(sim, run.nodes);
  const keys = Array.from({ length: run.keys }, (_, k) => `k${k}`);
  startWorkload(sim, {
    clients: Array.from({ length: run.clients }, (_, k) => `c${k}`),
    stopMs: run.durationMs,
    randomTargetProbability: run.randomTargetProbability,
    thinkMs: { type: "uniform", minMs: 0, maxMs: 10 },
    nextCommand: ({ clientId, opIndex, rng }): KvCommand => {
      const key = keys[rng.nextInt(0, keys.length - 1)] as string;
      return rng.nextFloat() < run.readRatio ? { op: "get", key } : { op: "put", key, value: `${clientId}-${opIndex}` };
    },
  });
  // Final reads of every key, after the cluster has healed: with linearizability they show that
  // no acknowledged write was lost (a lost write would leave a value no linearization explains).
  let finalOk = 0;
  sim.at(run.durationMs + FINAL_READS_MS, () => {
    for (const key of keys) {
      sim.invoke(`final-${key}`, { op: "get", key }, run.nodes[0] as string, {
        timeoutMs: 1500,
        retry: { attemptTimeoutMs: 100, backoffMs: 10, followLeaderHint: true },
        onDone: (o) => {
          if (o.type === "ok") finalOk++;
        },
      });
    }
  });
  sim.run();
  const history = sim.history() as unknown as HistoryEvent[];
  const result = checkHistory(history, kv({ init: null }), { timeoutMs: 20_000 });
  return {
    verdict: result.verdict,
    operations: result.operations.length,
    okOperations: history.filter((e) => e.type === "ok").length,
    finalReadsOk: finalOk,
    historyDigest: createHash("sha256").update(JSON.stringify(history)).digest("hex"),
    explanation: result.verdict === "illegal" ? result.explanation : result.verdict === "unknown" ? result.reason : "linearizable",
    history,
  };
}

/** See {@link HistoryRun.targeted}. */
function targetAckBeforePersist(sim: Simulation<RaftMessage, RaftCommand, KvResult>, nodes: readonly string[]): StepHook {
  let armed = false;
  let fired = false;
  let leader: string | null = null;
  sim.at(995, () => {
    leader = nodes.find((id) => (sim.node(id) as RaftKvNode | undefined)?.inspect().role === "leader") ?? null;
    const isolated = nodes.find((id) => id !== leader);
    if (leader === null || isolated === undefined) return;
    sim.applyFault({ type: "partition", groups: [[isolated]] });
    armed = true;
  });
  return (record) => {
    if (!armed || fired || record.atMs <= 1000 || leader === null) return;
    const ev = record.event;
    if (ev.type !== "message" || ev.message.type !== "AppendEntriesRequest" || ev.message.entries.length === 0) return;
    const acked = record.ready?.send.some((e) => e.message.type === "AppendEntriesResponse" && e.message.success) ?? false;
    if (!acked) return;
    fired = true;
    const follower = record.node;
    const old = leader;
    sim.after(0.5, () => sim.applyFault({ type: "crash", node: follower }));
    sim.after(6, () => sim.applyFault({ type: "crash", node: old }));
    sim.after(8, () => sim.applyFault({ type: "heal" }));
    sim.after(10, () => sim.applyFault({ type: "restart", node: follower }));
    sim.after(1500, () => sim.applyFault({ type: "restart", node: old }));
  };
}

type StepHook = (record: StepRecord<RaftMessage, RaftCommand, KvResult>) => void;

/** A fault as fast-check generates it (node indices resolved against the run's nodes). */
export function faultFrom(kind: number, node: number, nodes: readonly string[]): Fault {
  const n = nodes[node % nodes.length] as string;
  switch (kind % 5) {
    case 0:
      return { type: "crash", node: n };
    case 1:
      return { type: "restart", node: n };
    case 2:
      return { type: "partition", groups: [[n]] };
    case 3:
      return { type: "heal" };
    default:
      return { type: "partition", groups: [nodes.filter((x) => x !== n).slice(0, Math.floor(nodes.length / 2)) as string[]] };
  }
}

/** A fault schedule in words, one `atMs fault` per line (for failure reports). */
export function describeSchedule(faults: FaultSchedule): string[] {
  return faults.map((f) => {
    const { type, ...rest } = f.fault;
    return `${String(f.atMs).padStart(6)} ms ${type}${Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ""}`;
  });
}

/** The JSON a replay file holds. */
export interface ReplayFile {
  /** Format tag and version. */
  format: "synod-replay/1";
  /** The protocol under test. */
  protocol: "raft";
  /** Which check wrote it. */
  check: "histories";
  /** Everything that determines the run. */
  run: HistoryRun;
  /** What the recorded run gave. */
  expected: RecordedOutcome;
  /** fast-check's seed and path, for reference (the run itself is fully in `run`). */
  fastCheck?: FastCheckOrigin;
}

/** What a recorded run gave. */
export interface RecordedOutcome {
  /** lincheck's verdict. */
  verdict: string;
  /** sha256 of the JSON history. */
  historyDigest: string;
}

/** Where fast-check found a failing run: its seed and shrink path (`fc.check(..., { seed, path })`). */
export interface FastCheckOrigin {
  /** fast-check's seed. */
  seed: number;
  /** fast-check's path to the shrunk counterexample. */
  path: string;
}

/** Turn a run and its outcome into a replay file's content. */
export function replayFileFor(run: HistoryRun, outcome: HistoryOutcome, fastCheck?: { seed: number; path: string }): ReplayFile {
  return { format: "synod-replay/1", protocol: "raft", check: "histories", run, expected: { verdict: outcome.verdict, historyDigest: outcome.historyDigest }, ...(fastCheck ? { fastCheck } : {}) };
}

/** Validate a parsed replay file; errors name the file and the field. */
export function parseReplayFile(text: string, file: string): ReplayFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON: ${(e as Error).message}`);
  }
  const o = v as Record<string, Json>;
  const need = (cond: boolean, field: string, what: string): void => {
    if (!cond) throw new Error(`${file}: ${field}: ${what}`);
  };
  need(typeof o === "object" && o !== null && !Array.isArray(o), "(top)", "expected an object");
  need(o.format === "synod-replay/1", "format", `expected "synod-replay/1", got ${JSON.stringify(o.format)}`);
  need(o.protocol === "raft", "protocol", `expected "raft", got ${JSON.stringify(o.protocol)}`);
  need(o.check === "histories", "check", `expected "histories", got ${JSON.stringify(o.check)}`);
  const r = o.run as Record<string, Json> | undefined;
  need(typeof r === "object" && r !== null, "run", "expected an object");
  const run = r as Record<string, Json>;
  for (const f of ["seed", "durationMs", "clients", "keys", "readRatio", "randomTargetProbability"]) need(typeof run[f] === "number", `run.${f}`, "expected a number");
  need(Array.isArray(run.nodes) && run.nodes.every((x) => typeof x === "string"), "run.nodes", "expected an array of node ids");
  need(Array.isArray(run.faults), "run.faults", "expected an array");
  need(typeof run.unsafe === "object" && run.unsafe !== null, "run.unsafe", "expected an object");
  need(typeof run.raftOptions === "object" && run.raftOptions !== null, "run.raftOptions", "expected an object");
  need(run.targeted === undefined || run.targeted === "ack-before-persist", "run.targeted", `expected "ack-before-persist" or absent, got ${JSON.stringify(run.targeted)}`);
  const e = o.expected as Record<string, Json> | undefined;
  need(typeof e === "object" && e !== null && typeof e.verdict === "string" && typeof e.historyDigest === "string", "expected", "expected {verdict, historyDigest}");
  return v as ReplayFile;
}

/** Options of {@link checkHistories}. */
export interface HistoriesOptions {
  /** fast-check seed. */
  seed: number;
  /** Generated runs. */
  numRuns: number;
  /** Broken variant to run (default: the correct build). */
  unsafe?: UnsafeOptions;
  /** Virtual duration of each run's workload (default 2500). */
  durationMs?: number;
  /** Where to write the replay file of a failure (default: the OS temp directory). */
  replayDir?: string;
}

/** Result of {@link checkHistories}. */
export interface HistoriesReport {
  /** Every generated history was linearizable (or undecided). */
  ok: boolean;
  /** Runs fast-check made. */
  runs: number;
  /** fast-check's seed. */
  seed: number;
  /** On failure: the shrunk run, its outcome, fast-check's path and the replay file written. */
  failure: HistoriesFailure | null;
}

/** A failing history run found by {@link checkHistories}. */
export interface HistoriesFailure {
  /** The shrunk run. */
  run: HistoryRun;
  /** Its outcome. */
  outcome: HistoryOutcome;
  /** fast-check's shrink path. */
  path: string;
  /** The replay file written for it. */
  replayFile: string;
}

const KEYS = 3;

/**
 * A run passes when its history is linearizable (or undecided within the time budget) and every
 * final read completed — a healed, restarted cluster that cannot answer is a failure too, and
 * without the final reads a lost write could go unnoticed.
 */
export function historyPasses(outcome: HistoryOutcome, keys: number): boolean {
  return outcome.verdict !== "illegal" && outcome.finalReadsOk === keys;
}

/** Property: for generated runs (seed, faults, workload shape) the history is linearizable. */
export async function checkHistories(opts: HistoriesOptions): Promise<HistoriesReport> {
  const fc = await import("fast-check");
  const { mkdtemp, writeFile } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const nodes = ["n1", "n2", "n3"];
  const durationMs = opts.durationMs ?? 2500;
  const arbRun = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    faults: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: durationMs }), kind: fc.nat(4), node: fc.nat(2) }), { maxLength: 8 }),
    readRatio: fc.constantFrom(0.3, 0.5, 0.7),
    randomTargetProbability: fc.constantFrom(0, 0.2),
  });
  const toRun = (a: { seed: number; faults: { atMs: number; kind: number; node: number }[]; readRatio: number; randomTargetProbability: number }): HistoryRun => ({
    seed: a.seed,
    nodes,
    durationMs,
    faults: [...a.faults].sort((x, y) => x.atMs - y.atMs).map((f) => ({ atMs: f.atMs, fault: faultFrom(f.kind, f.node, nodes) })),
    clients: 4,
    keys: KEYS,
    readRatio: a.readRatio,
    randomTargetProbability: a.randomTargetProbability,
    unsafe: opts.unsafe ?? {},
    raftOptions: {},
  });
  const result = fc.check(
    fc.property(arbRun, (a) => historyPasses(runHistory(toRun(a)), KEYS)),
    { seed: opts.seed, numRuns: opts.numRuns },
  );
  if (!result.failed || result.counterexample === null) return { ok: true, runs: result.numRuns, seed: opts.seed, failure: null };
  const run = toRun(result.counterexample[0]);
  const outcome = runHistory(run);
  const dir = opts.replayDir ?? (await mkdtemp(join(tmpdir(), "synod-replay-")));
  const replayFile = join(dir, `raft-histories-seed${run.seed}.json`);
  await writeFile(replayFile, `${JSON.stringify(replayFileFor(run, outcome, { seed: opts.seed, path: result.counterexamplePath ?? "" }), null, 2)}\n`);
  return { ok: false, runs: result.numRuns, seed: opts.seed, failure: { run, outcome, path: result.counterexamplePath ?? "", replayFile } };
}

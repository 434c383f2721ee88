/**
 * Check 3, histories: a protocol's production nodes run its service under the simulator with a
 * generated fault schedule and workload; the client history must satisfy the protocol's judge.
 * Each run ends by healing the network, restarting every node and running the service's final
 * commands (for a key-value store: a read of every key), which must all complete: with a judge
 * like linearizability they also show that no acknowledged write was lost.
 *
 * fast-check generates the runs and shrinks a failure to a small schedule; the failing run is
 * written to a replay file that {@link replay} (and `synod replay FILE`) reproduces exactly.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { DurableWrite, Json, NodeId } from "@synod/protocol";
import { SeededRng, Simulation, startWorkload, type ByzantineBehaviour, type ClientOutcome, type Fault, type FaultSchedule, type NemesisKind, type SimulationConfig } from "@synod/sim";
import type { HistoryEvent, JudgeVerdict } from "./judge.js";
import type { AnyKit, KitTypes, ProtocolKit, TargetHook } from "./kit.js";
import { appendOnly, durableDiff, fieldDiff, jsonEqual as equalJson } from "./validate-impl.js";

/** Everything that determines one history run: plain JSON, the content of a replay file. */
export interface HistoryRun {
  /** The protocol (a registry name). */
  protocol: string;
  /** Simulation seed. */
  seed: number;
  /** Node ids (all initial members). */
  nodes: NodeId[];
  /** Clients invoke operations until this virtual time. */
  durationMs: number;
  /** The fault schedule (simulator JSON). */
  faults: FaultSchedule;
  /** Closed-loop clients. */
  clients: number;
  /** Keys the workload uses. */
  keys: number;
  /** Share of operations that are reads, 0..1. */
  readRatio: number;
  /** Share of operations sent to a random node (stale leader caches). */
  randomTargetProbability: number;
  /** The broken variant run, by name (`null`: the correct build). */
  variant: string | null;
  /** Protocol options (one of the descriptor's option sets). */
  options: Json;
  /** A targeted schedule on top of `faults` (a name in the descriptor's `histories.targeted`). */
  targeted?: string;
}

/** The outcome of one run. */
export interface HistoryOutcome {
  /** The judge's verdict. */
  verdict: JudgeVerdict["verdict"];
  /** Operations invoked. */
  operations: number;
  /** Operations acknowledged `ok`. */
  okOperations: number;
  /** Final commands (after healing) that completed, of how many. */
  finalOk: number;
  finalTotal: number;
  /** sha256 of the JSON history: equal digests mean an exactly reproduced run. */
  historyDigest: string;
  /** The judge's explanation of a violation, its reason when unknown, or its summary. */
  explanation: string;
  /** The client history. */
  history: HistoryEvent[];
  /** Replies the kit's reply rule rejected as unauthentic (present only when one was). */
  repliesRejected?: number;
}

/** When the final commands start, after the workload's end (time for a new leader after the restarts). */
export const FINAL_COMMANDS_MS = 1000;

/** The client of a targeted schedule's own requests, and the `f` that keeps them out of the judged history. */
const SCHEDULE_CLIENT = "schedule";
const SCHEDULE_OP = "schedule-request";
/** The judge's budget per history. */
const JUDGE_TIMEOUT_MS = 20_000;

/** The simulator configuration of a run (the JSON part). */
export function simulationConfig(run: HistoryRun): SimulationConfig {
  return {
    seed: run.seed,
    nodes: run.nodes,
    network: { latency: { type: "uniform", minMs: 1, maxMs: 5 }, lossProbability: 0.02, duplicateProbability: 0.02 },
    storage: { fsyncMs: { type: "uniform", minMs: 0, maxMs: 2 } },
    clients: { timeoutMs: 500 },
    // After the workload everything is healed and restarted (no-ops where nothing is wrong), so
    // the final commands can see whether an acknowledged write was lost.
    faults: [
      ...run.faults,
      { atMs: run.durationMs, fault: { type: "heal" } },
      { atMs: run.durationMs, fault: { type: "loss", probability: null } },
      { atMs: run.durationMs, fault: { type: "duplicate", probability: null } },
      { atMs: run.durationMs, fault: { type: "latency", latency: null } },
      ...run.nodes.flatMap((node) => [
        { atMs: run.durationMs, fault: { type: "resume" as const, node } },
        { atMs: run.durationMs, fault: { type: "restart" as const, node } },
      ]),
    ],
    budget: { maxTimeMs: run.durationMs + FINAL_COMMANDS_MS + 2000, maxEvents: 3_000_000 },
    record: { messages: false, steps: false, history: true },
  };
}

/** The options of broken variant `name` of `kit` (undefined for the correct build). */
export function variantOptions(kit: AnyKit, name: string | null): KitTypes["variant"] | undefined {
  if (name === null) return undefined;
  const v = kit.brokenVariants.find((b) => b.name === name);
  if (v === undefined) throw new Error(`${kit.name} has no broken variant ${JSON.stringify(name)} (it has: ${kit.brokenVariants.map((b) => b.name).join(", ") || "none"})`);
  return v.variant;
}

/** Run the service once and judge its history. */
export function runHistory<T extends KitTypes>(kit: ProtocolKit<T>, run: HistoryRun): HistoryOutcome {
  const part = kit.histories;
  const variant = variantOptions(kit as unknown as AnyKit, run.variant) as T["variant"] | undefined;
  let hook: TargetHook<T> | null = null;
  // Each client request must be applied at one log index, however often it was retried.
  const appliedAt = new Map<string, number>();
  let appliedTwice: string | null = null;
  // With a log-indexed protocol, what was applied at each index (State Machine Safety).
  const appliedHere = new Map<number, { what: string; node: string }>();
  let unsafeStep: string | null = null;
  // A Byzantine node's own applications promise nothing.
  const faulty = byzantineNodes(run.faults);
  const policy = part.clients?.(run.nodes) ?? {};
  const config = simulationConfig(run);
  // Each client's preceding operation when it completed ok (`Service.nextCommand`'s `previous`).
  const clientOf = new Map<unknown, string>();
  const previous = new Map<string, { command: T["cmd"]; result: T["res"] }>();
  // A targeted schedule's own requests (`TargetSim.request`): sent like any client's, not judged.
  const scheduled = new Set<unknown>();
  // Durable state per node (`HistoriesPart.durable`): what memory held after its latest step, and
  // after the step before it (a crash during the latest step's fsync loses that step's writes).
  // Compared structurally, not as text: unchanged parts are the same objects from step to step.
  const held = new Map<NodeId, { latest: Json; previous: Json }>();
  const same = new WeakMap<object, WeakSet<object>>();
  const jsonEqual = (a: Json, b: Json): boolean => equalJson(a, b, same);
  const checkDurable = (record: { node: NodeId; event: { type: string }; ready: { persist: readonly DurableWrite[] } | null }, node: T["node"]): string | null => {
    const durableOf = part.durable as (n: T["node"]) => Json;
    const memory = durableOf(node);
    const h = held.get(record.node);
    held.set(record.node, { latest: memory, previous: h?.latest ?? memory });
    if (record.event.type === "restart" && h !== undefined && !jsonEqual(memory, h.latest) && !jsonEqual(memory, h.previous)) {
      return `the restarted node did not recover the durable state it held before the crash: it holds ${fieldDiff(h.latest, memory, "before the crash")}`;
    }
    const writes = record.ready?.persist ?? [];
    if (writes.length === 0 && (h === undefined || record.event.type === "restart" || jsonEqual(h.latest, memory))) return null;
    // A step that only appended (a log growing) is not restarted from storage here, for speed: any
    // append left out of storage still shows at the next step that changes more, and at the latest
    // at the restart of every node that ends the workload.
    if (h !== undefined && record.event.type !== "restart" && writes.every((w) => !("delete" in w)) && appendOnly(h.latest, memory, same)) return null;
    // Storage against memory: a fresh node from what storage holds once this step's writes are durable.
    const store = new Map<string, Json>(sim.durable(record.node));
    for (const w of writes) {
      if ("delete" in w) store.delete(w.key);
      else store.set(w.key, w.value);
    }
    const restored = fromStorage(record.node, store);
    if (typeof restored === "string") return restored;
    return jsonEqual(memory, restored.state) ? null : durableDiff(memory, restored.state);
  };
  /** The durable state of a fresh node made from `store`, or why none can be made. */
  const fromStorage = (id: NodeId, store: ReadonlyMap<string, Json>): { state: Json } | string => {
    try {
      const shadow = part.node({ id, peers: run.nodes.filter((x) => x !== id), rng: SeededRng.derive(run.seed, `shadow-${id}`), durable: store, variant, options: run.options });
      return { state: (part.durable as (n: T["node"]) => Json)(shadow) };
    } catch (e) {
      return `storage does not hold what memory does: a restart from storage fails: ${(e as Error).message}`;
    }
  };
  /** At the end of the run, every live node's storage against its memory (appends included). */
  const checkDurableAtEnd = (): string | null => {
    for (const id of run.nodes) {
      const n = sim.node(id);
      const h = held.get(id);
      if (n === undefined || h === undefined || faulty.has(id)) continue;
      const restored = fromStorage(id, sim.durable(id));
      if (typeof restored === "string") return `${id} at the end of the run: ${restored}`;
      // The last step's writes may still be in their fsync.
      if (!jsonEqual(restored.state, h.latest) && !jsonEqual(restored.state, h.previous)) return `${id} at the end of the run: ${durableDiff(h.latest, restored.state)}`;
    }
    return null;
  };
  const sim = new Simulation<T["msg"], T["cmd"], T["res"]>({
    ...config,
    clients: { ...config.clients, ...(policy.replyQuorum === undefined || policy.replies !== undefined ? {} : { replyQuorum: policy.replyQuorum }) },
    ...(policy.seal === undefined ? {} : { sealRequest: (r) => policy.seal!(r) }),
    ...(policy.replies === undefined ? {} : { replyRule: (c: string) => policy.replies!(c) }),
    ...(part.byzantine === undefined ? {} : { byzantine: part.byzantine.hook(run.nodes) }),
    createNode: (id, rng, ctx) =>
      part.node({ id, peers: run.nodes.filter((x) => x !== id), rng, durable: ctx.durable, variant, options: run.options }) as never,
    history: {
      invoke: (c) => (scheduled.has(c) ? { f: SCHEDULE_OP, value: null } : part.service.invoke(c as T["cmd"])),
      ok: (c, r) => {
        if (scheduled.has(c)) return null;
        const client = clientOf.get(c);
        if (client !== undefined) previous.set(client, { command: c as T["cmd"], result: r as T["res"] });
        return part.service.complete(c as T["cmd"], r as T["res"]);
      },
    },
    observer: {
      afterStep: (record, stepped) => {
        const correct = !faulty.has(record.node);
        for (const a of correct ? (record.ready?.applied ?? []) : []) {
          if (part.logIndexed === true && unsafeStep === null && appliedTwice === null) {
            const what = JSON.stringify({ request: a.request ?? null, command: a.command });
            const seen = appliedHere.get(a.index);
            if (seen === undefined) appliedHere.set(a.index, { what, node: record.node });
            else if (seen.what !== what) {
              unsafeStep = `state machine safety broken: ${record.node} applied ${what} at index ${a.index} (${record.atMs.toFixed(1)} ms), where ${seen.node} applied ${seen.what}`;
            }
          }
          if (a.request === undefined) continue;
          const key = `${a.request.clientId}/${a.request.seq}`;
          const at = appliedAt.get(key);
          if (at === undefined) appliedAt.set(key, a.index);
          else if (at !== a.index && appliedTwice === null && unsafeStep === null) {
            appliedTwice = `exactly-once broken: client ${a.request.clientId}'s request ${a.request.seq} was applied at index ${at} and again at index ${a.index} (${record.node}, ${record.atMs.toFixed(1)} ms)`;
          }
        }
        if (correct && unsafeStep === null && appliedTwice === null && part.invariant !== undefined) {
          const why = part.invariant(stepped as T["node"], { event: record.event.type, ready: (record.ready ?? null) as never });
          if (why !== null) unsafeStep = `invariant broken on ${record.node} at ${record.atMs.toFixed(1)} ms (after ${record.event.type}${record.event.type === "message" ? ` ${describeMessage(record.event)}` : ""}): ${why}`;
        }
        if (correct && unsafeStep === null && appliedTwice === null && part.durable !== undefined) {
          const why = checkDurable(record, stepped as T["node"]);
          if (why !== null) unsafeStep = `durable state broken on ${record.node} at ${record.atMs.toFixed(1)} ms (after ${record.event.type}${record.event.type === "message" ? ` ${describeMessage(record.event)}` : ""}): ${why}`;
        }
        hook?.onStep({ node: record.node, atMs: record.atMs, event: record.event as { type: string; message?: T["msg"] }, ready: record.ready as never });
      },
    },
  });
  if (run.targeted !== undefined) {
    const t = part.targeted?.[run.targeted];
    if (t === undefined) throw new Error(`${kit.name} has no targeted schedule ${JSON.stringify(run.targeted)}`);
    hook = t.arm(
      {
        at: (ms, f) => sim.at(ms, f),
        after: (ms, f) => sim.after(ms, f),
        applyFault: (f) => {
          // A node the schedule makes Byzantine promises nothing from then on, as one the generated faults name.
          if (f.type === "byzantine") faulty.add(f.node);
          sim.applyFault(f);
        },
        node: (id) => sim.node(id) as T["node"] | undefined,
        request: (command, to, onDone) => {
          scheduled.add(command);
          sim.invoke(SCHEDULE_CLIENT, command, to, {
            timeoutMs: 3000,
            retry: { attemptTimeoutMs: 200, backoffMs: 20, followLeaderHint: true },
            onDone: (o) => onDone(o as ClientOutcome<T["res"]>),
          });
        },
      },
      run.nodes,
    );
  }
  const shape = { keys: run.keys, readRatio: run.readRatio };
  startWorkload(sim, {
    clients: Array.from({ length: run.clients }, (_, k) => `c${k}`),
    stopMs: run.durationMs,
    randomTargetProbability: run.randomTargetProbability,
    thinkMs: { type: "uniform", minMs: 0, maxMs: 10 },
    nextCommand: ({ clientId, opIndex, rng }) => {
      const prev = previous.get(clientId);
      previous.delete(clientId);
      const cmd = part.service.nextCommand(shape, rng, clientId, opIndex, prev);
      clientOf.set(cmd, clientId);
      return cmd;
    },
  });
  const finals = part.service.finalCommands(shape);
  let finalOk = 0;
  sim.at(run.durationMs + FINAL_COMMANDS_MS, () => {
    finals.forEach((cmd, k) => {
      sim.invoke(`final-${k}`, cmd, run.nodes[0] as string, {
        timeoutMs: 1500,
        retry: { attemptTimeoutMs: 100, backoffMs: 10, followLeaderHint: true },
        onDone: (o) => {
          if (o.type === "ok") finalOk++;
        },
      });
    });
  });
  // Agreement is checked just before the end-of-run restarts (nodes may forget what they
  // applied when they restart) and once more at the end.
  let disagreement: string | null = null;
  const checkAgreement = (): void => {
    if (part.agreement === undefined || disagreement !== null) return;
    const live = new Map<NodeId, T["node"]>();
    for (const id of run.nodes) {
      const n = sim.node(id);
      if (n !== undefined) live.set(id, n as T["node"]);
    }
    const why = part.agreement(live, new Set(run.nodes.filter((id) => !faulty.has(id))));
    if (why !== null) disagreement = `correct nodes disagree (${sim.nowMs.toFixed(0)} ms): ${why}`;
  };
  if (part.agreement !== undefined) sim.at(Math.max(0, run.durationMs - 1), checkAgreement);
  // A node that throws (an invariant of its own, or storage it cannot recover from at a restart)
  // ends the run with a violation naming it, rather than the check with an exception.
  let nodeFailed: string | null = null;
  try {
    sim.run();
  } catch (err) {
    if (!(err instanceof Error) || err.name !== "SimulationError" || err.cause === undefined) throw err;
    nodeFailed = `a node failed: ${err.message}`;
  }
  if (nodeFailed === null) checkAgreement();
  if (nodeFailed === null && unsafeStep === null && part.durable !== undefined) {
    const why = checkDurableAtEnd();
    if (why !== null) unsafeStep = `durable state broken on ${why}`;
  }
  const aimMissed = nodeFailed === null ? (hook?.finish?.() ?? null) : null;
  const history = (sim.history() as unknown as HistoryEvent[]).filter((e) => e.f !== SCHEDULE_OP);
  const rejected = sim.statistics().clientRepliesRejected;
  const judged = part.judge.check(history, { timeoutMs: JUDGE_TIMEOUT_MS });
  const v: JudgeVerdict =
    appliedTwice !== null ? { verdict: "violation", explanation: appliedTwice } : unsafeStep !== null ? { verdict: "violation", explanation: unsafeStep } : nodeFailed !== null ? { verdict: "violation", explanation: nodeFailed } : disagreement !== null ? { verdict: "violation", explanation: disagreement } : aimMissed !== null ? { verdict: "violation", explanation: `the targeted schedule's check failed: ${aimMissed}` } : judged;
  return {
    verdict: v.verdict,
    operations: history.filter((e) => e.type === "invoke").length,
    okOperations: history.filter((e) => e.type === "ok").length,
    finalOk,
    finalTotal: finals.length,
    historyDigest: createHash("sha256").update(JSON.stringify(history)).digest("hex"),
    explanation: v.verdict === "violation" ? v.explanation : v.verdict === "unknown" ? v.reason : v.detail,
    history,
    ...(rejected === undefined ? {} : { repliesRejected: rejected }),
  };
}

/** The type of the message a step handled, for reports. */
function describeMessage(event: unknown): string {
  const m = (event as { message?: { type?: unknown } }).message;
  return typeof m?.type === "string" ? m.type : "";
}

/**
 * A run passes when the judge finds no violation and every final command completed: a healed,
 * restarted cluster that cannot answer is a failure too, and without the final commands a lost
 * write could go unnoticed. An undecided verdict (`unknown`) does not fail the run, but is counted
 * and reported by the callers: it is never reported as a pass of the judge.
 */
export function historyPasses(outcome: HistoryOutcome): boolean {
  return outcome.verdict !== "violation" && outcome.finalOk === outcome.finalTotal;
}

/** One line on why a run failed. */
export function failureLine(outcome: HistoryOutcome): string {
  if (outcome.verdict === "violation") return outcome.explanation.split("\n")[0] ?? "violation";
  return `only ${outcome.finalOk} of ${outcome.finalTotal} final commands completed after healing and restarting every node`;
}

/** A fault schedule in words, one `atMs fault` per line (for failure reports). */
export function describeSchedule(faults: FaultSchedule): string[] {
  return faults.map((f) => {
    const { type, ...rest } = f.fault;
    return `${String(f.atMs).padStart(6)} ms ${type}${Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ""}`;
  });
}

/** The nodes a schedule makes Byzantine. */
export function byzantineNodes(faults: FaultSchedule): Set<NodeId> {
  const out = new Set<NodeId>();
  for (const f of faults) if (f.fault.type === "byzantine") out.add(f.fault.node);
  return out;
}

/**
 * Keep `byzantine` faults for the first `maxFaulty` distinct nodes they name (in schedule order)
 * and drop those naming others, so a generated run has at most `maxFaulty` faulty nodes.
 */
export function capByzantine(faults: FaultSchedule, maxFaulty: number): FaultSchedule {
  const chosen: NodeId[] = [];
  return faults.filter((f) => {
    if (f.fault.type !== "byzantine") return true;
    if (chosen.includes(f.fault.node)) return true;
    if (chosen.length >= maxFaulty) return false;
    chosen.push(f.fault.node);
    return true;
  });
}

/**
 * The faults fast-check draws from for a protocol that claims to survive `kinds`, each a function
 * of a node index (resolved against the run's nodes). Kind `byzantine` gives one entry per
 * behaviour in `behaviours`.
 */
export function faultMenu(kinds: readonly NemesisKind[], nodes: readonly NodeId[], behaviours: readonly ByzantineBehaviour[] = []): ((node: number) => Fault)[] {
  const n = (k: number): NodeId => nodes[k % nodes.length] as NodeId;
  const menu: ((node: number) => Fault)[] = [];
  const majoritySplit = (k: number): Fault => ({ type: "partition", groups: [nodes.filter((x) => x !== n(k)).slice(0, Math.floor(nodes.length / 2))] });
  for (const kind of kinds) {
    switch (kind) {
      case "crash":
        menu.push((k) => ({ type: "crash", node: n(k) }), (k) => ({ type: "restart", node: n(k) }));
        break;
      case "partition":
        menu.push((k) => ({ type: "partition", groups: [[n(k)]] }), majoritySplit, () => ({ type: "heal" }));
        break;
      case "cut":
        menu.push((k) => ({ type: "cut", from: [n(k)], to: nodes.filter((x) => x !== n(k)) }), () => ({ type: "heal" }));
        break;
      case "bridge":
        menu.push((k) => ({ type: "cut", from: [n(k)], to: [n(k + 1)] }), () => ({ type: "heal" }));
        break;
      case "pause":
        menu.push((k) => ({ type: "pause", node: n(k) }), (k) => ({ type: "resume", node: n(k) }));
        break;
      case "loss":
        menu.push(() => ({ type: "loss", probability: 0.2 }), () => ({ type: "loss", probability: null }));
        break;
      case "duplicate":
        menu.push(() => ({ type: "duplicate", probability: 0.2 }), () => ({ type: "duplicate", probability: null }));
        break;
      case "latency":
        menu.push(() => ({ type: "latency", latency: { type: "uniform", minMs: 1, maxMs: 60 } }), () => ({ type: "latency", latency: null }));
        break;
      case "clock":
        menu.push((k) => ({ type: "clock", node: n(k), drift: 0.01 }));
        break;
      case "byzantine":
        if (behaviours.length === 0) throw new Error("faults: 'byzantine' needs histories.byzantine (the behaviours and the protocol's hook)");
        for (const behaviour of behaviours) menu.push((k) => ({ type: "byzantine", node: n(k), behaviour }));
        break;
    }
  }
  return menu;
}

/** Options of {@link checkHistories}. */
export interface HistoriesOptions {
  /** fast-check seed. */
  seed: number;
  /** Generated runs. */
  numRuns: number;
  /** The broken variant to run, by name (default: the correct build). */
  variant?: string | null;
  /** Where to write the replay file of a failure (default: a new folder in the OS temp directory). */
  replayDir?: string;
  /** Faulty nodes a run may have (default: the descriptor's `histories.byzantine.maxFaulty`): above f, to show the bound is tight. */
  maxFaulty?: number;
}

/** A failing run found by {@link checkHistories}. */
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

/** Result of {@link checkHistories}. */
export interface HistoriesReport {
  /** Runs fast-check made. */
  runs: number;
  /** Runs the judge could not decide within its budget. */
  undecided: number;
  /** fast-check's seed. */
  seed: number;
  /** The shrunk failing run, or null. */
  failure: HistoriesFailure | null;
}

/** Property: for generated runs (seed, faults, workload shape, options), the history passes. */
export async function checkHistories<T extends KitTypes>(kit: ProtocolKit<T>, opts: HistoriesOptions): Promise<HistoriesReport> {
  const fc = await import("fast-check");
  const part = kit.histories;
  const nodes = Array.from({ length: part.nodes }, (_, k) => `n${k + 1}`);
  const durationMs = part.durationMs;
  const menu = faultMenu(part.faults, nodes, part.byzantine?.behaviours ?? []);
  const maxFaulty = opts.maxFaulty ?? part.byzantine?.maxFaulty ?? 0;
  const arbRun = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    faults: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: durationMs }), kind: fc.nat(Math.max(menu.length - 1, 0)), node: fc.nat(nodes.length - 1) }), { maxLength: menu.length === 0 ? 0 : 8 }),
    readRatio: fc.constantFrom(0.3, 0.5, 0.7),
    randomTargetProbability: fc.constantFrom(0, 0.2),
    options: fc.nat(Math.max(part.optionSets.length - 1, 0)),
  });
  type Drawn = { seed: number; faults: { atMs: number; kind: number; node: number }[]; readRatio: number; randomTargetProbability: number; options: number };
  const toRun = (a: Drawn): HistoryRun => ({
    protocol: kit.name,
    seed: a.seed,
    nodes,
    durationMs,
    faults: capByzantine([...a.faults].sort((x, y) => x.atMs - y.atMs).map((f) => ({ atMs: f.atMs, fault: menu[f.kind]!(f.node) })), maxFaulty),
    clients: 4,
    keys: 3,
    readRatio: a.readRatio,
    randomTargetProbability: a.randomTargetProbability,
    variant: opts.variant ?? null,
    options: part.optionSets[a.options] ?? {},
  });
  let undecided = 0;
  const result = fc.check(
    fc.property(arbRun, (a) => {
      const o = runHistory(kit, toRun(a));
      if (o.verdict === "unknown") undecided++;
      return historyPasses(o);
    }),
    { seed: opts.seed, numRuns: opts.numRuns },
  );
  if (!result.failed || result.counterexample === null) return { runs: result.numRuns, undecided, seed: opts.seed, failure: null };
  const run = toRun(result.counterexample[0] as Drawn);
  const outcome = runHistory(kit, run);
  const path = result.counterexamplePath ?? "";
  const replayFile = await writeReplay(run, outcome, opts.replayDir, { seed: opts.seed, path });
  return { runs: result.numRuns, undecided, seed: opts.seed, failure: { run, outcome, path, replayFile } };
}

/** The JSON a replay file holds. */
export interface ReplayFile {
  /** Format tag and version. */
  format: "synod-replay/2";
  /** Which check wrote it. */
  check: "histories";
  /** Everything that determines the run (its `protocol` names the descriptor). */
  run: HistoryRun;
  /** What the recorded run gave. */
  expected: { verdict: string; historyDigest: string };
  /** fast-check's seed and shrink path, for reference (the run itself is fully in `run`). */
  fastCheck?: { seed: number; path: string };
}

/** Write a failing run to a replay file (in `dir`, or a new temporary folder); returns its path. */
export async function writeReplay(run: HistoryRun, outcome: HistoryOutcome, dir?: string, fastCheck?: { seed: number; path: string }): Promise<string> {
  const { mkdtemp, writeFile } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const folder = dir ?? (await mkdtemp(join(tmpdir(), "synod-replay-")));
  const file = join(folder, `${run.protocol}-histories-seed${run.seed}${run.variant ? `-${run.variant}` : ""}.json`);
  const content: ReplayFile = {
    format: "synod-replay/2",
    check: "histories",
    run,
    expected: { verdict: outcome.verdict, historyDigest: outcome.historyDigest },
    ...(fastCheck ? { fastCheck } : {}),
  };
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

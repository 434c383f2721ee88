/**
 * `runConformance`: the three checks of one protocol, and every broken variant, as the summary
 * rows `synod verify` and `synod conformance` print. Everything here is generic over the
 * descriptor; a protocol's figures and failures read the same for every protocol.
 *
 * @module
 */
import { checkHistories, describeSchedule, failureLine, historyPasses, runHistory, writeReplay, type HistoryRun } from "./histories.js";
import type { AnyKit, BrokenVariant, CheckName, KitTypes, ProtocolKit, Size, ValidateMode } from "./kit.js";
import type { Json } from "@synod/protocol";
import { formatMismatch, randomWalks, replayCoverage, specActions, stateCoveringTraces, type ReplayReport, type SpecTrace } from "./replay-spec.js";
import { validateWith, type ValidationReport } from "./validate-impl.js";

/** One summary row. */
export interface ConformanceRow {
  /** The protocol. */
  protocol: string;
  /** What was checked. */
  check: string;
  /** Whether it passed (for a broken variant: whether every check it names caught it). */
  ok: boolean;
  /** Figures, or the failure (with seed and how to replay it). */
  detail: string;
  /** Wall-clock duration. */
  seconds: number;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** `ci` or `full`. */
  size: Size;
  /** Called with each row as it is finished (for progress displays). */
  onRow?: (row: ConformanceRow) => void;
  /** Called when a check starts. */
  onStart?: (check: string) => void;
  /**
   * Run only these checks (default: all three, the "spec actions exercised" row and every broken
   * variant, as `synod verify` does). With a subset, the rows of the named checks are exactly the
   * ones a full run gives; the exercised-actions row (which needs all three) and the broken
   * variants are left out. `pnpm mutate` uses this to tell which check kills a mutant.
   */
  checks?: readonly CheckName[];
  /**
   * Run the broken-variant rows (default: only when `checks` is not given). With `checks: []` and
   * `variants: true`, only they run.
   */
  variants?: boolean;
}

/** Every check name, in the order {@link runConformance} runs them. */
export const CONFORMANCE_CHECKS: readonly CheckName[] = ["replay", "validate", "histories"];

/** The seed every check of a run starts from (the same for the correct build and its variants). */
const SEED = 1;

/** Trace validation on seeds 1..n of the correct build or a variant; the first failure, or the totals. */
async function validateSeeds<T extends KitTypes>(
  kit: ProtocolKit<T>,
  seeds: number,
  variant?: T["variant"],
): Promise<{ failure: { seed: number; report: ValidationReport } | null; checked: number; actions: Record<string, number>; targeted: number; byzantine: string[] }> {
  const spec = await kit.spec.load("validate", "ci");
  let checked = 0;
  let targeted = 0;
  const actions: Record<string, number> = {};
  const byzantine = new Set<string>();
  for (let seed = 1; seed <= seeds; seed++) {
    const r = validateWith(kit, spec, { seed, ...(variant !== undefined ? { variant } : {}) });
    checked += r.checkedActions;
    targeted += r.targetedCrashes;
    for (const [node, b] of Object.entries(r.byzantine)) byzantine.add(`${node} ${b}`);
    for (const [a, n] of Object.entries(r.actions)) actions[a] = (actions[a] ?? 0) + n;
    if (r.failure) return { failure: { seed, report: r }, checked, actions, targeted, byzantine: [...byzantine].sort() };
  }
  return { failure: null, checked, actions, targeted, byzantine: [...byzantine].sort() };
}

function validationProblem(kit: AnyKit, f: { seed: number; report: ValidationReport }, mode?: ValidateMode<KitTypes>): string {
  const x = f.report.failure!;
  return `seed ${f.seed}, ${x.atMs.toFixed(1)} ms, ${x.node} ${x.event} -> ${x.actions || "(no action)"}: ${x.problem} (replay: synod conformance ${kit.name} --validate-seed ${f.seed}${mode === undefined ? "" : ` --validate-mode ${mode.key}`})`;
}

/** Run the conformance checks of `kit` at `size`; one row per check and per broken variant. */
export async function runConformance(kit: AnyKit, options: ConformanceOptions): Promise<ConformanceRow[]> {
  const { size } = options;
  for (const c of options.checks ?? []) {
    if (!CONFORMANCE_CHECKS.includes(c)) throw new Error(`runConformance: unknown check ${JSON.stringify(c)} (known: ${CONFORMANCE_CHECKS.join(", ")})`);
  }
  const only = options.checks === undefined ? null : new Set(options.checks);
  const wanted = (c: CheckName): boolean => only === null || only.has(c);
  const rows: ConformanceRow[] = [];
  const exercised = new Set<string>();
  let allActions: readonly string[] = [];
  const timed = async (check: string, f: () => Promise<{ ok: boolean; detail: string }>): Promise<void> => {
    options.onStart?.(check);
    const t0 = performance.now();
    let row: ConformanceRow;
    try {
      row = { protocol: kit.name, check, ...(await f()), seconds: (performance.now() - t0) / 1000 };
    } catch (e) {
      row = { protocol: kit.name, check, ok: false, detail: `error: ${(e as Error).message}`, seconds: (performance.now() - t0) / 1000 };
    }
    rows.push(row);
    options.onRow?.(row);
  };
  const noteReplay = (r: ReplayReport): void => {
    for (const a of Object.keys(r.actions)) exercised.add(a);
  };
  // The coverage model and its covering traces, computed once and shared by the correct build's
  // pass and every broken variant's (one BFS of the model per conformance run).
  let covering: Promise<{ spec: KitTypes["spec"]; traces: SpecTrace[] }> | null = null;
  const coverage = (): Promise<{ spec: KitTypes["spec"]; traces: SpecTrace[] }> =>
    (covering ??= kit.spec.load("coverage", size).then((spec) => ({ spec, traces: stateCoveringTraces(spec.model) })));
  const uncoveredText = (r: ReplayReport): string => (r.uncovered.length === 0 ? "every spec action taken" : `not taken: ${r.uncovered.join(", ")}`);

  if (wanted("replay")) {
    await timed("spec→impl: random walks", async () => {
      const spec = await kit.spec.load("walks", size);
      allActions = specActions(spec.model);
      const r = randomWalks(spec.model, kit.replay.adapter(spec), { seed: SEED, walks: kit.replay.walks[size], depth: kit.replay.depth });
      noteReplay(r);
      return { ok: r.mismatch === null, detail: r.mismatch ? formatMismatch(r.mismatch) : `${r.traces} walks (seed ${SEED}), ${r.steps} steps, ${r.distinctStates} distinct states; ${uncoveredText(r)}` };
    });
    await timed("spec→impl: every state of the coverage model", async () => {
      const { spec, traces } = await coverage();
      const r = replayCoverage(spec.model, kit.replay.adapter(spec), { traces });
      noteReplay(r);
      const want = kit.replay.coverageDistinct?.[size];
      if (r.mismatch) return { ok: false, detail: formatMismatch(r.mismatch) };
      if (want !== undefined && r.distinctStates < want) {
        return { ok: false, detail: `replayed ${r.distinctStates} distinct states, but TLC finds ${want} in the model: traces were lost` };
      }
      return { ok: true, detail: `${r.traces} traces, ${r.steps} steps, ${r.distinctStates} distinct states${want !== undefined ? ` (TLC: ${want})` : ""}; ${uncoveredText(r)}` };
    });
    const guided = kit.guided;
    if (guided !== undefined) {
      await timed(`spec→impl: spec-guided walks of the production node (${guided.name})`, async () => {
        const r = await guided.run({ seed: SEED, walks: guided.walks[size], depth: guided.depth });
        return { ok: r.failure === null, detail: r.failure ?? `${guided.walks[size]} walks (seed ${SEED}), ${r.steps} production steps checked, ${r.distinct} distinct states; actions: ${Object.keys(r.actions).sort().join(", ")}` };
      });
    }
  } else if (wanted("validate")) {
    // Trace validation's row names the actions it never checked, out of all of Next's.
    allActions = specActions((await kit.spec.load("walks", size)).model);
  }
  if (wanted("validate")) {
    await timed("impl→spec: trace validation under faults", async () => {
      const seeds = kit.validate.seeds[size];
      const v = await validateSeeds(kit, seeds);
      for (const a of Object.keys(v.actions)) exercised.add(a);
      if (v.failure) return { ok: false, detail: validationProblem(kit, v.failure) };
      const unchecked = allActions.filter((a) => !(a in v.actions));
      return {
        ok: true,
        detail: `seeds 1-${seeds}, ${kit.validate.durationMs / 1000} s virtual each, ${v.checked} steps checked${v.targeted > 0 ? `, ${v.targeted} targeted crashes` : ""}${v.byzantine.length > 0 ? `, Byzantine (unchecked): ${v.byzantine.join(", ")}` : ""}; ${unchecked.length === 0 ? "every spec action checked" : `never checked: ${unchecked.join(", ")}`}`,
      };
    });
  }
  if (wanted("validate")) {
    for (const mode of kit.validateModes ?? []) {
      await timed(`impl→spec: trace validation under faults (${mode.name})`, async () => {
        const k = modeKit(kit, mode, size);
        const seeds = mode.validate.seeds[size];
        const v = await validateSeeds(k, seeds);
        if (v.failure) return { ok: false, detail: validationProblem(kit, v.failure, mode) };
        const never = specActions((await mode.load(size)).model).filter((a) => !(a in v.actions));
        return {
          ok: true,
          detail: `seeds 1-${seeds}, ${mode.validate.durationMs / 1000} s virtual each, ${v.checked} steps checked${v.targeted > 0 ? `, ${v.targeted} targeted crashes` : ""}; ${never.length === 0 ? "every spec action checked" : `never checked: ${never.join(", ")}`}`,
        };
      });
    }
  }
  if (wanted("histories")) {
    await timed(`histories: ${kit.histories.judge.name} under faults`, async () => {
      const r = await checkHistories(kit, { seed: SEED, numRuns: kit.histories.runs[size] });
      if (r.failure === null) {
        // The schedules aimed at bugs must pass on the correct build too (else a variant "caught"
        // by one proves nothing), and they reach states generated faults rarely do.
        const names = Object.keys(kit.histories.targeted ?? {});
        for (const name of names) {
          for (let seed = 1; seed <= TARGETED_SEEDS; seed++) {
            const run = targetedRun(kit, name, seed, null);
            const o = runHistory(kit, run);
            if (!historyPasses(o)) return { ok: false, detail: `correct build, targeted ${name} schedule, seed ${seed}: ${failureLine(o)}; replay: synod replay ${await writeReplay(run, o)}` };
          }
        }
        const aimed = names.length === 0 ? "" : `; targeted schedules ${names.join(", ")} pass (seeds 1-${TARGETED_SEEDS} each)`;
        return { ok: true, detail: `${r.runs} generated runs (fast-check seed ${r.seed}, faults: ${kit.histories.faults.join(", ")})${aimed}${r.undecided > 0 ? `; ${r.undecided} undecided by the judge within its budget` : ""}` };
      }
      const f = r.failure;
      return {
        ok: false,
        detail: [`fast-check seed ${r.seed} path ${f.path}, run seed ${f.run.seed}: ${failureLine(f.outcome)}`, "schedule:", ...describeSchedule(f.run.faults), `replay: synod replay ${f.replayFile}`].join("\n"),
      };
    });
  }
  if (only !== null) {
    if (options.variants === true) for (const v of kit.brokenVariants) await timed(`broken variant caught: ${v.name}`, () => brokenVariant(kit, v, size, coverage));
    return rows;
  }
  await timed("spec actions exercised", async () => {
    const never = allActions.filter((a) => !exercised.has(a));
    return {
      ok: never.length === 0,
      detail: never.length === 0 ? `all ${allActions.length} actions of Next taken by replay or trace validation` : `never exercised by any check: ${never.join(", ")}`,
    };
  });
  for (const v of kit.brokenVariants) {
    await timed(`broken variant caught: ${v.name}`, () => brokenVariant(kit, v, size, coverage));
  }
  return rows;
}

/** Run every check `v` names on the broken build; it passes when each of them catches it. */
async function brokenVariant(
  kit: AnyKit,
  v: BrokenVariant<KitTypes>,
  size: Size,
  coverage: () => Promise<{ spec: KitTypes["spec"]; traces: SpecTrace[] }>,
): Promise<{ ok: boolean; detail: string }> {
  const caught: Partial<Record<CheckName, string>> = {};
  if (v.caughtBy.includes("validate")) {
    const r = await validateSeeds(kit, Math.max(kit.validate.seeds[size], 10), v.variant);
    if (r.failure) caught.validate = `trace validation, ${validationProblem(kit, r.failure).slice(0, 200)}`;
    for (const mode of caught.validate === undefined ? (kit.validateModes ?? []) : []) {
      const m = await validateSeeds(modeKit(kit, mode, size), Math.max(mode.validate.seeds[size], 10), v.variant);
      if (m.failure) {
        caught.validate = `trace validation (${mode.name}), ${validationProblem(kit, m.failure, mode).slice(0, 200)}`;
        break;
      }
    }
  }
  if (v.caughtBy.includes("replay")) {
    // The same walks the correct build passed (same seed and count), so a mismatch is the variant's doing.
    const spec = await kit.spec.load("walks", size);
    const w = randomWalks(spec.model, kit.replay.adapter(spec, v.variant), { seed: SEED, walks: kit.replay.walks[size], depth: kit.replay.depth });
    // Check 1 is the walks and the covering traces: a bug behind a rare sequence of actions (a
    // commit, then a crash) may be missed by uniform walks but not by a trace to every state.
    let m = w.mismatch;
    if (m === null) {
      // The traces the correct build passed; the deepest first, where such bugs show soonest.
      const { spec: cov, traces } = await coverage();
      m = replayCoverage(cov.model, kit.replay.adapter(cov, v.variant), { traces, deepestFirst: true }).mismatch;
    }
    if (m) caught.replay = `spec→impl ${m.trace}, step ${m.step} (${m.diff.map((d) => d.variable).join(", ") || m.problem.slice(0, 120)})`;
    else if (kit.guided !== undefined) {
      // The production node under the same spec-guided walks the correct build passed.
      const g = await kit.guided.run({ seed: SEED, walks: kit.guided.walks[size], depth: kit.guided.depth, variant: v.variant });
      if (g.failure !== null) caught.replay = `spec-guided walks (${kit.guided.name}), ${g.failure.slice(0, 200)}`;
    }
  }
  if (v.caughtBy.includes("histories")) {
    caught.histories = (await brokenHistories(kit, v, size)) ?? undefined;
    if (caught.histories === undefined) delete caught.histories;
  }
  const missed = v.caughtBy.filter((c) => caught[c] === undefined);
  const found = Object.values(caught);
  if (missed.length > 0) return { ok: false, detail: `NOT caught by ${missed.join(", ")}${found.length > 0 ? ` (caught by: ${found.join(" | ")})` : ""}` };
  return { ok: true, detail: `caught by ${found.length}: ${found.join(" | ")}` };
}

/** The kit as a trace-validation mode sees it: the mode's spec and validate part in place of the main ones. */
export function modeKit(kit: AnyKit, mode: ValidateMode<KitTypes>, size: Size): AnyKit {
  return { ...kit, spec: { ...kit.spec, load: () => mode.load(size) }, validate: mode.validate as AnyKit["validate"] };
}

/** Seeds each targeted schedule runs on the correct build in the histories row. */
const TARGETED_SEEDS = 2;

/** A run of the targeted schedule `name` (no generated faults; the schedule's options over the first option set). */
function targetedRun(kit: AnyKit, name: string, seed: number, variant: string | null): HistoryRun {
  const nodes = Array.from({ length: kit.histories.nodes }, (_, k) => `n${k + 1}`);
  const options = { ...((kit.histories.optionSets[0] ?? {}) as Record<string, Json>), ...((kit.histories.targeted?.[name]?.options ?? {}) as Record<string, Json>) };
  const w = kit.histories.targeted?.[name]?.workload ?? {};
  return { protocol: kit.name, seed, nodes, durationMs: 3000, faults: [], clients: w.clients ?? 4, keys: w.keys ?? 10, readRatio: w.readRatio ?? 0.7, randomTargetProbability: 0.2, variant, options, targeted: name };
}

/** The histories check aimed at a broken variant: a line when it is caught, else null. */
async function brokenHistories(kit: AnyKit, v: BrokenVariant<KitTypes>, size: Size): Promise<string | null> {
  if (v.targeted !== undefined) {
    for (let seed = 1; seed <= 4; seed++) {
      const run = targetedRun(kit, v.targeted, seed, v.name);
      const o = runHistory(kit, run);
      if (!historyPasses(o)) {
        return `targeted ${v.targeted} schedule, seed ${seed}: ${failureLine(o)}; replay: synod replay ${await writeReplay(run, o)}`;
      }
    }
    return null;
  }
  const r = await checkHistories(kit, { seed: SEED, numRuns: Math.max(kit.histories.runs[size], 40), variant: v.name });
  return r.failure ? `fast-check seed ${SEED} path ${r.failure.path}: ${failureLine(r.failure.outcome)}; replay: synod replay ${r.failure.replayFile}` : null;
}

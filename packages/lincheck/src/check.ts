import { prepareOperations } from "./history.js";
import { explainFailure } from "./explain.js";
import { MEMO_BYTES_MAX, startSearch, type PartitionSearch } from "./search.js";
import type {
  AnyModel,
  CheckIllegal,
  CheckOk,
  CheckOptions,
  CheckResult,
  Failure,
  History,
  Model,
  Operation,
  PartitionResult,
} from "./types.js";

/** The first slice of steps each partition gets; it doubles every round, up to the maximum. */
const FIRST_SLICE_STEPS = 1024;
const MAX_SLICE_STEPS = 1 << 22;

/** Groups operations by partition key; one group when any operation spans partitions. */
export function partitionOperations(ops: readonly Operation[]): Map<string | undefined, Operation[]> {
  const groups = new Map<string | undefined, Operation[]>();
  if (ops.some((op) => op.partition === undefined)) {
    groups.set(undefined, [...ops]);
    return groups;
  }
  for (const op of ops) {
    let g = groups.get(op.partition);
    if (g === undefined) groups.set(op.partition, (g = []));
    g.push(op);
  }
  return groups;
}

/**
 * Checks a history for linearizability against a model.
 *
 * The history is split into the model's partitions (P-compositionality) and each part is
 * searched alone, the parts taking turns; the first part found to fail makes the whole history
 * illegal and is the one explained. When `timeoutMs` runs out before every part is decided,
 * the verdict is `unknown` (unless a part was already found illegal, which settles it).
 *
 * @example
 * ```ts
 * const history = parseJsonHistory(text, "h.json");
 * const result = checkHistory(history, casRegister(), { timeoutMs: 10_000 });
 * if (result.verdict === "illegal") console.log(result.explanation);
 * ```
 * @throws HistoryError when the history is malformed or has operations the model does not know.
 */
export function checkHistory<S, I, O>(
  history: History | readonly Operation[],
  model: Model<S, I, O>,
  options: CheckOptions = {},
): CheckResult {
  const m = model as unknown as AnyModel;
  const started = performance.now();
  const deadline = options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
  const ops = isOperationList(history) ? history : prepareOperations(history, m);
  // Smallest first. (A loop, not a spread of the map: V8 spreads an iterator slowly, and a
  // small history's whole check costs about as much.)
  const groups: [string | undefined, Operation[]][] = [];
  for (const entry of partitionOperations(ops)) groups.push(entry);
  if (groups.length > 1) groups.sort((a, b) => a[1].length - b[1].length);
  const partitions: PartitionResult[] = [];
  // The first failure found: what explaining it needs, kept until the explanation is asked for.
  let failure: { key: string | undefined; group: readonly Operation[]; prefix: readonly number[] } | undefined;
  const orders: (readonly Operation[])[] = [];
  // The partitions take turns, a slice of steps each, the slice doubling every round: so a
  // cheap failure is found after about (partitions x its own cost) steps however expensive the
  // others are, as Porcupine finds it by searching every partition in parallel. Once one fails
  // the history is illegal and the rest are skipped (unless every partition is wanted).
  // A partition's search is set up at its first turn, so that partitions left unvisited once
  // one has failed cost nothing.
  const live: { key: string | undefined; group: readonly Operation[]; search: PartitionSearch | undefined; elapsedMs: number }[] = [];
  for (const [key, group] of groups) live.push({ key, group, search: undefined, elapsedMs: 0 });
  // A single partition has no one to take turns with: it runs to the end (or the deadline) at
  // once, timed by the check's own clock.
  const single = live.length === 1;
  let slice = single ? Infinity : FIRST_SLICE_STEPS;
  while (live.length > 0 && (failure === undefined || options.allPartitions === true)) {
    const memoBytesMax = MEMO_BYTES_MAX / live.length;
    for (let j = 0; j < live.length; ) {
      const s = live[j];
      const t0 = single ? started : performance.now();
      const search = (s.search ??= startSearch(s.group, m));
      search.memoBytesMax = memoBytesMax;
      const outcome = search.run(slice, deadline);
      s.elapsedMs += performance.now() - t0;
      if (outcome === undefined) {
        j++;
        continue;
      }
      live.splice(j, 1);
      // Plain literals, not spreads of a shared base: V8 builds those slowly, and a check of a
      // history of many small partitions makes one per partition.
      const ids = s.group.map((o) => o.id);
      switch (outcome.verdict) {
        case "ok": {
          const order = outcome.order.map((i) => s.group[i]);
          orders.push(order);
          partitions.push({ key: s.key, operationIds: ids, verdict: "ok", linearization: order.map((o) => o.id), elapsedMs: s.elapsedMs });
          break;
        }
        case "illegal":
          partitions.push({ key: s.key, operationIds: ids, verdict: "illegal", elapsedMs: s.elapsedMs });
          failure ??= { key: s.key, group: s.group, prefix: outcome.longestPrefix };
          break;
        case "unknown":
          partitions.push({ key: s.key, operationIds: ids, verdict: "unknown", elapsedMs: s.elapsedMs });
          break;
      }
      if (failure !== undefined && options.allPartitions !== true) break;
    }
    slice = Math.min(slice * 2, MAX_SLICE_STEPS);
  }
  for (const s of live) partitions.push({ key: s.key, operationIds: s.group.map((o) => o.id), verdict: "skipped", elapsedMs: s.elapsedMs });
  const elapsedMs = performance.now() - started;
  if (partitions.length > 1) partitions.sort((a, b) => (a.operationIds[0] ?? 0) - (b.operationIds[0] ?? 0));
  if (failure !== undefined) {
    // The explanation is worked out when first read, so that a verdict never waits for it (and
    // it costs a pass over the failing partition, never a search).
    return new IllegalResult(ops, partitions, elapsedMs, () => explainFailure(failure.key, failure.group, failure.prefix, m));
  }
  const undecided = partitions.filter((p) => p.verdict === "unknown");
  if (undecided.length > 0) {
    const keys = undecided.map((p) => (p.key === undefined ? "the history" : JSON.stringify(p.key)));
    return {
      verdict: "unknown",
      operations: ops,
      partitions,
      elapsedMs,
      reason: `time budget of ${options.timeoutMs} ms ran out before ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ` and ${keys.length - 5} more partitions` : ""} could be decided`,
    };
  }
  return new OkResult(ops, partitions, elapsedMs, orders);
}

// The results are classes, their lazy parts prototype getters: an object literal with getters
// costs V8 microseconds to create, as much as checking a small history.

/** An illegal verdict whose failure and explanation are worked out when first read. */
class IllegalResult implements CheckIllegal {
  readonly verdict = "illegal";
  private explained: Failure | undefined;
  private text: string | undefined;

  constructor(
    readonly operations: readonly Operation[],
    readonly partitions: readonly PartitionResult[],
    readonly elapsedMs: number,
    private readonly explain: () => Failure,
  ) {}

  get failure(): Failure {
    return (this.explained ??= this.explain());
  }

  get explanation(): string {
    return (this.text ??= describeFailure(this.failure, this.operations, this.partitions));
  }

  /** With the failure and explanation, as an object literal's getters would be. */
  toJSON(): object {
    const { verdict, operations, partitions, elapsedMs, failure, explanation } = this;
    return { verdict, operations, partitions, elapsedMs, failure, explanation };
  }
}

/** An ok verdict whose witness order is merged from the partitions' orders when first read. */
class OkResult implements CheckOk {
  readonly verdict = "ok";
  private merged: readonly number[] | undefined;

  constructor(
    readonly operations: readonly Operation[],
    readonly partitions: readonly PartitionResult[],
    readonly elapsedMs: number,
    private readonly orders: readonly (readonly Operation[])[],
  ) {}

  get linearization(): readonly number[] {
    return (this.merged ??= mergeOrders(this.orders));
  }

  /** With the linearization, as an object literal's getter would be. */
  toJSON(): object {
    const { verdict, operations, partitions, elapsedMs, linearization } = this;
    return { verdict, operations, partitions, elapsedMs, linearization };
  }
}

function isOperationList(h: History | readonly Operation[]): h is readonly Operation[] {
  return h.length > 0 && "call" in h[0];
}

/**
 * Merges per-partition orders into one global order consistent with real time: each operation
 * gets the earliest linearization point at or after its call and after its predecessor's point
 * (which is before its return, since the partition order respects real time).
 */
function mergeOrders(orders: readonly (readonly Operation[])[]): number[] {
  const points: { id: number; point: number; partition: number; rank: number }[] = [];
  orders.forEach((order, partition) => {
    let point = -Infinity;
    order.forEach((op, rank) => {
      point = Math.max(point, op.call);
      points.push({ id: op.id, point, partition, rank });
    });
  });
  points.sort((a, b) => a.point - b.point || a.partition - b.partition || a.rank - b.rank);
  return points.map((p) => p.id);
}

function describeFailure(f: Failure, ops: readonly Operation[], partitions: readonly PartitionResult[]): string {
  const byId = (id: number): Operation => ops[id];
  const show = (id: number): string => {
    const op = byId(id);
    return `#${id} process ${op.process} ${op.description}`;
  };
  const failing = partitions.filter((p) => p.verdict === "illegal").length;
  const lines: string[] = [];
  const part = f.partition === undefined ? "The history" : `Key ${JSON.stringify(f.partition)}`;
  lines.push(
    `${part} (${f.operationIds.length} operations) is not linearizable` +
      (failing > 1 ? ` (${failing} partitions fail; this is the first found).` : "."),
  );
  if (f.prefix.length === 0) {
    lines.push(`No operation can be linearized first (initial state ${f.stateAfterPrefix}).`);
  } else {
    const shown = f.prefix.length > 12 ? [...f.prefix.slice(0, 4).map(show), "...", ...f.prefix.slice(-6).map(show)] : f.prefix.map(show);
    lines.push(`Longest linearizable prefix found (${f.prefix.length} operations): ${shown.join("; ")}.`);
    lines.push(`State after it: ${f.stateAfterPrefix}. Then nothing can go next:`);
  }
  for (const s of f.stuck) lines.push(`  - ${show(s.id)} (invoked at ${byId(s.id).source}): ${s.reason}`);
  const skipped = partitions.filter((p) => p.verdict === "skipped").length;
  if (skipped > 0) {
    lines.push(`${skipped} other partition(s) were left undecided once this one failed (ask for allPartitions, --all-partitions, to decide them).`);
  }
  return lines.join("\n");
}

import type { CheckResult, Operation, PartitionResult } from "./types.js";

/** One operation in a JSON report. */
export interface JsonOperation {
  /** The operation's id (dense, in order of invocation). */
  readonly id: number;
  /** The client that issued it. */
  readonly process: number | string;
  /** The operation in words, e.g. `cas 1->2 (compare failed)`. */
  readonly op: string;
  /** Where its invocation was read from (`history.edn:12:1`). */
  readonly at: string;
}

/** The JSON report of one checked history, as `lincheck --json` prints it (one line per file). */
export interface JsonReport {
  /** The file checked. */
  readonly file: string;
  /** The verdict. */
  readonly verdict: CheckResult["verdict"];
  /** Operations checked (fail operations and the nemesis are not counted). */
  readonly ops: number;
  /** Number of partitions. */
  readonly partitions: number;
  /** How many partitions got each verdict. */
  readonly partitionVerdicts: Readonly<Record<PartitionResult["verdict"], number>>;
  /** Seconds spent checking (without start-up and reading). */
  readonly seconds: number;
  /** When `ok`: a witness order of every completed operation (and of the info ones that took effect). */
  readonly linearization?: readonly JsonOperation[];
  /** When `illegal`: where it breaks (see {@link Failure}). */
  readonly failure?: {
    /** The failing partition's key, or null when the history is not partitioned. */
    readonly partition: string | null;
    /** Operations in that partition. */
    readonly partitionOps: number;
    /** The longest linearizable prefix the search found, in order. */
    readonly prefix: readonly JsonOperation[];
    /** The model's state after the prefix, in words. */
    readonly stateAfterPrefix: string;
    /** The operations that could come next in real time, and why none of them can. */
    readonly stuck: readonly (JsonOperation & { readonly reason: string })[];
  };
  /** When `illegal`: the failure in words. */
  readonly explanation?: string;
  /** When `unknown`: why. */
  readonly reason?: string;
}

/**
 * The JSON report of a check, so that scripts need not parse text: the verdict, the witness
 * order when linearizable, and the explanation (partition, longest linearizable prefix, state
 * after it, operations that cannot go next) when not.
 */
export function jsonReport(file: string, result: CheckResult, seconds: number): JsonReport {
  const ops = result.operations;
  const show = (id: number): JsonOperation => {
    const o: Operation = ops[id];
    return { id, process: o.process, op: o.description, at: o.source };
  };
  const partitionVerdicts = { ok: 0, illegal: 0, unknown: 0, skipped: 0 };
  for (const p of result.partitions) partitionVerdicts[p.verdict]++;
  const base = {
    file,
    verdict: result.verdict,
    ops: ops.length,
    partitions: result.partitions.length,
    partitionVerdicts,
    seconds: Number(seconds.toFixed(6)),
  };
  switch (result.verdict) {
    case "ok":
      return { ...base, linearization: result.linearization.map(show) };
    case "illegal": {
      const f = result.failure;
      return {
        ...base,
        failure: {
          partition: f.partition ?? null,
          partitionOps: f.operationIds.length,
          prefix: f.prefix.map(show),
          stateAfterPrefix: f.stateAfterPrefix,
          stuck: f.stuck.map((s) => ({ ...show(s.id), reason: s.reason })),
        },
        explanation: result.explanation,
      };
    }
    case "unknown":
      return { ...base, reason: result.reason };
  }
}

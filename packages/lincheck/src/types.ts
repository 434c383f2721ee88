import type { Value } from "./value.js";

/** The kind of a history event, with Jepsen's meaning. */
export type EventType =
  /** The client sent the request. */
  | "invoke"
  /** The operation took effect and returned `value`. */
  | "ok"
  /** The operation certainly did not take effect. */
  | "fail"
  /** Unknown outcome: it may or may not have taken effect, at any time after its invocation. */
  | "info";

/** A client id. Jepsen uses integers, plus `nemesis` for the fault injector (ignored). */
export type ProcessId = number | string;

/** One line of a history: an invocation or a completion by one process. */
export interface HistoryEvent {
  /** The client that issued the operation. A process has at most one open invocation. */
  readonly process: ProcessId;
  /** Invocation or completion kind. */
  readonly type: EventType;
  /** The operation name (`read`, `write`, `cas`, `put`, ...). */
  readonly f: string;
  /** The argument (on invoke) or the result (on ok); `null` when there is none. */
  readonly value: Value;
  /** The key for key-value models (otherwise taken from a `[k v]` tuple value). */
  readonly key?: Value;
  /** A timestamp in nanoseconds. When every event has one, events are ordered by it. */
  readonly timeNs?: number;
  /** Jepsen's `:index`, kept for display. */
  readonly index?: number;
  /** Jepsen's `:error`, kept for display. */
  readonly error?: Value;
  /** Where the event was read from (`history.edn:12:1`, `entry 5`), for messages. */
  readonly source?: string;
}

/** A history: events in the order they happened (or with timestamps). */
export type History = readonly HistoryEvent[];

/** What a model's `decode` receives: one operation with its invocation and completion. */
export interface RawOperation {
  /** The operation name. */
  readonly f: string;
  /** The invocation's value. */
  readonly value: Value;
  /** The completion's value, or `undefined` when the outcome is unknown (`info`). */
  readonly result: Value | undefined;
  /** The event's key, if it had one. */
  readonly key: Value | undefined;
}

/** An operation as the model understands it. */
export interface Decoded<Input, Output> {
  /** The model's input. */
  readonly input: Input;
  /** The observed output, or `undefined` when the outcome is unknown. */
  readonly output: Output | undefined;
}

/**
 * A sequential specification. Plain functions, no classes: a model is the data type the system
 * claims to implement, and the checker asks whether some order of the operations, consistent
 * with real time, would produce every observed output.
 *
 * `step` must be deterministic given the state, input and observed output. An `undefined`
 * output means the outcome is unknown (`info`): the step then applies the operation's effect
 * without checking a result. Not taking effect at all is the checker's business, not the model's.
 */
export interface Model<State, Input, Output> {
  /** A short name (`register`, `kv`, ...). */
  readonly name: string;
  /** The initial state. */
  init(): State;
  /** The state after applying `input` and seeing `output`, or `undefined` if that is impossible. */
  step(state: State, input: Input, output: Output | undefined): State | undefined;
  /** State equality, used by the memo table. */
  equal(a: State, b: State): boolean;
  /** A hash consistent with `equal`. */
  hash(state: State): number | string;
  /**
   * Turns an operation read from a history into the model's input and output. Throws an Error
   * whose message says what is wrong (unknown `f`, malformed value); the reader adds the place.
   */
  decode(op: RawOperation): Decoded<Input, Output>;
  /**
   * P-compositionality: the part of the state an input touches (e.g. its key). Operations with
   * different partition keys are checked independently. Omit, or return `undefined` for an
   * operation that touches everything, to check the history as one piece.
   */
  partition?(input: Input): string | undefined;
  /**
   * Optional, for speed: true when the operation never changes any state (it is either
   * impossible or leaves the state as it is), like a read or a CAS whose compare failed. Such an
   * operation, once it can go next, is placed without trying alternatives. Answer `false` when unsure.
   */
  readOnly?(input: Input, output: Output | undefined): boolean;
  /**
   * Optional, for speed (registers, key-value maps): which fact about the state an operation
   * needs in order to be legal (`needs`, e.g. "the value is 3" for a read of 3) and which facts
   * it may make true when it changes the state (`makes`, e.g. "the value is 5" for a write of 5),
   * as canonical strings checked with {@link Model.satisfies}. The contract: an operation with
   * `needs` is legal only in states that satisfy it; a state comes to satisfy a fact only
   * through an operation that may make it. When what an operation makes depends on the state
   * before it (an append), `makes` is a test that answers true for every fact it might make
   * (false positives only cost speed). Return `undefined` when an operation's effect cannot be
   * described this way; the search then does without.
   */
  flow?(input: Input, output: Output | undefined): FlowFacts | undefined;
  /** Whether a state satisfies a fact named by {@link Model.flow}. */
  satisfies?(state: State, fact: string): boolean;
  /** An operation in words: `write 3`, `read -> 3`, `cas 1->2 (ok)`. */
  describeOperation(input: Input, output: Output | undefined): string;
  /** A state in words. */
  describeState(state: State): string;
}

/** What {@link Model.flow} says about one operation. */
export interface FlowFacts {
  /** The fact the state must satisfy for the operation to be legal. */
  readonly needs?: string;
  /** The fact it makes true, or a test of the facts it might make (see {@link Model.flow}). */
  readonly makes?: string | ((fact: string) => boolean);
}

/** Any model, for APIs that do not care about its type parameters (methods are bivariant). */
export type AnyModel = Model<unknown, unknown, unknown>;

/** One operation: an invocation paired with its completion. */
export interface Operation<Input = unknown, Output = unknown> {
  /** Dense id, in order of invocation. */
  readonly id: number;
  /** The client that issued it. */
  readonly process: ProcessId;
  /** The operation name. */
  readonly f: string;
  /** The partition it belongs to (`undefined` when the model does not partition). */
  readonly partition: string | undefined;
  /** The model's input. */
  readonly input: Input;
  /** The observed output; `undefined` when `status` is `info`. */
  readonly output: Output | undefined;
  /** `ok` (completed) or `info` (unknown outcome, open until the end of the history). */
  readonly status: "ok" | "info";
  /** Position of the invocation among the ordered events. */
  readonly call: number;
  /** Position of the completion; `Infinity` for `info` operations. */
  readonly ret: number;
  /** Timestamp of the invocation in ns, when the history has them. */
  readonly callTimeNs?: number;
  /** Timestamp of the completion in ns, when known. */
  readonly retTimeNs?: number;
  /** Where the invocation was read from. */
  readonly source: string;
  /** The operation in words, from the model. */
  readonly description: string;
}

/** Options for {@link checkHistory}. */
export interface CheckOptions {
  /** Budget for the whole check; past it the verdict is `unknown`. Default: no limit. */
  readonly timeoutMs?: number;
  /**
   * Decide every partition, even after one has made the history illegal. Default false: the
   * partitions take turns and the check stops at the first failure found, which is the
   * verdict; the others are reported as `skipped`.
   */
  readonly allPartitions?: boolean;
}

/** The verdict on one partition. */
export interface PartitionResult {
  /** The partition key, or `undefined` for an unpartitioned history. */
  readonly key: string | undefined;
  /** Operation ids in this partition, in order of invocation. */
  readonly operationIds: readonly number[];
  /**
   * The verdict for this partition alone; `skipped` when its search was stopped unfinished
   * because another partition had already made the history illegal (see
   * {@link CheckOptions.allPartitions}).
   */
  readonly verdict: "ok" | "illegal" | "unknown" | "skipped";
  /** A valid order of the partition's operations when `ok` (info operations that need not take effect are left out). */
  readonly linearization?: readonly number[];
  /** Time spent on this partition. */
  readonly elapsedMs: number;
}

/** Why one operation cannot be linearized next after the longest prefix. */
export interface StuckOperation {
  /** The operation's id. */
  readonly id: number;
  /** In words, e.g. `read -> 3 is impossible in state 1`. */
  readonly reason: string;
}

/** Where a non-linearizable history breaks. */
export interface Failure {
  /** The failing partition's key (`undefined` when unpartitioned): the first found to fail. */
  readonly partition: string | undefined;
  /** Every operation of that partition. */
  readonly operationIds: readonly number[];
  /** The longest linearizable prefix found by the search, in order. */
  readonly prefix: readonly number[];
  /** The model state after that prefix, in words. */
  readonly stateAfterPrefix: string;
  /** The operations that could come next in real time, and why none of them works. */
  readonly stuck: readonly StuckOperation[];
}

interface ResultBase {
  /** Every checked operation (fail operations and the nemesis are not included). */
  readonly operations: readonly Operation[];
  /** One result per partition. */
  readonly partitions: readonly PartitionResult[];
  /** Wall-clock time of the check (not of reading). */
  readonly elapsedMs: number;
}

/** The history is linearizable; `linearization` is a witness order over all partitions. */
export interface CheckOk extends ResultBase {
  /** Discriminant. */
  readonly verdict: "ok";
  /** Operation ids in a valid order, consistent with real time. */
  readonly linearization: readonly number[];
}

/** The history is not linearizable. */
export interface CheckIllegal extends ResultBase {
  /** Discriminant. */
  readonly verdict: "illegal";
  /** The failing partition (the first found) and where it breaks; worked out when first read. */
  readonly failure: Failure;
  /** The failure in words a person can follow; worked out when first read. */
  readonly explanation: string;
}

/** The time budget ran out before a verdict. Never a guess. */
export interface CheckUnknown extends ResultBase {
  /** Discriminant. */
  readonly verdict: "unknown";
  /** Why (e.g. the partitions left undecided). */
  readonly reason: string;
}

/** The result of {@link checkHistory}. */
export type CheckResult = CheckOk | CheckIllegal | CheckUnknown;

/** A verdict, ordered from best to worst by {@link verdictRank}. */
export type Verdict = CheckResult["verdict"];

/** Severity of a verdict: ok 0, unknown 1, illegal 2. */
export function verdictRank(verdict: Verdict): number {
  switch (verdict) {
    case "ok":
      return 0;
    case "unknown":
      return 1;
    case "illegal":
      return 2;
  }
}

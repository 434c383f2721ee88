/**
 * Client histories in the shape lincheck reads: one entry per invocation and per completion,
 * in the order they happened, Jepsen's semantics: `ok` took effect, `fail` did not, `info` may or
 * may not have (and the process never issues again under that number).
 *
 * @module
 */
import type { Json } from "@synod/protocol";

/** One history event, as lincheck's JSON format has it. */
export interface HistoryEntry {
  /** The simulated client's process number (a client gets a fresh one after an `info`). */
  process: number;
  /** `invoke` starts an operation; `ok`, `fail` or `info` completes it (see the module comment). */
  type: "invoke" | "ok" | "fail" | "info";
  /** The operation, e.g. `"read"`, `"write"`, `"cas"`. */
  f: string;
  /** The operation's argument (on `invoke`, `fail`, `info`) or result (on `ok`). */
  value: Json;
  /** For key-value models: the key the operation touches. */
  key?: string;
  /** Virtual time in nanoseconds since the start of the run. */
  time: number;
}

/**
 * How an adapter turns commands and results into history entries. The invocation's `f`/`value`/
 * `key` come from the command; an `ok` completion's value from the result; `fail` and `info`
 * repeat the invocation's value.
 *
 * @example
 * ```ts
 * const kv: HistoryAdapter<KvCommand, KvResult> = {
 *   invoke: (c) => c.op === "get" ? { f: "read", value: null, key: c.key } : { f: "write", value: c.value, key: c.key },
 *   ok: (c, r) => c.op === "get" ? r.value : c.value,
 * };
 * ```
 */
export interface HistoryAdapter<Cmd, Res> {
  /** The `f`, `value` and `key` of the invocation of `command`. */
  invoke(command: Cmd): { f: string; value: Json; key?: string };
  /** The `value` of the `ok` completion of `command` with `result`. */
  ok(command: Cmd, result: Res): Json;
}

/** The default adapter: `f: "call"`, the command as the value, the result as the `ok` value. */
export function defaultHistoryAdapter<Cmd, Res>(): HistoryAdapter<Cmd, Res> {
  return {
    invoke: (command) => ({ f: "call", value: command as Json }),
    ok: (_command, result) => result as Json,
  };
}

/** How a client operation ended, as told to its `onDone` callback. */
export type ClientOutcome<Res> =
  | { type: "ok"; result: Res; node: string }
  | { type: "fail"; error: "not-leader" | "rejected"; node: string; detail?: string }
  | { type: "info"; reason: "timeout" | "unavailable" | "not-leader"; node?: string };

/**
 * The key-value service as conformance's histories check drives and records it: the commands a
 * generated workload sends, and how each operation appears in a client history (the
 * invoke/ok vocabulary of Jepsen and lincheck: `f`, `key`, `value`).
 *
 * @module
 */
import type { Json, Rng } from "@synod/protocol";
import type { KvCommand, KvResult } from "./kv.js";

/** The shape of a generated key-value workload. */
export interface KvWorkloadShape {
  /** Keys used: `k0` .. `k{keys-1}`. */
  keys: number;
  /** Share of operations that are reads, 0..1. */
  readRatio: number;
}

/** The keys a workload of `shape` uses. */
export function workloadKeys(shape: KvWorkloadShape): string[] {
  return Array.from({ length: shape.keys }, (_, k) => `k${k}`);
}

/**
 * The next command of client `clientId`: a read of a random key with probability `readRatio`,
 * else a put of a value unique to the operation (`<client>-<opIndex>`), so that every read names
 * the write it saw.
 */
export function nextKvCommand(shape: KvWorkloadShape, rng: Rng, clientId: string, opIndex: number): KvCommand {
  const key = `k${rng.nextInt(0, shape.keys - 1)}`;
  return rng.nextFloat() < shape.readRatio ? { op: "get", key } : { op: "put", key, value: `${clientId}-${opIndex}` };
}

/** How an invoked command appears in a history: `f` is the op, `value` what a put writes. */
export function kvInvocation(cmd: KvCommand): { f: string; key: string; value: Json } {
  switch (cmd.op) {
    case "get":
    case "delete":
      return { f: cmd.op, key: cmd.key, value: null };
    case "put":
      return { f: "put", key: cmd.key, value: cmd.value };
    case "cas":
      return { f: "cas", key: cmd.key, value: [cmd.expected, cmd.value] };
  }
}

/** The value a completed operation records: a put its value, a read what it read, cas whether it swapped. */
export function kvCompletion(cmd: KvCommand, result: KvResult): Json {
  switch (cmd.op) {
    case "put":
      return cmd.value;
    case "get":
    case "delete":
      return "value" in result ? (result.value ?? null) : null;
    case "cas":
      return [cmd.expected, cmd.value, "ok" in result ? result.ok : false];
  }
}

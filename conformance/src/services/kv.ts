/**
 * The key-value service (`@synod/kv`) as the histories check drives it: generated reads and unique
 * puts over a few keys, a final read of every key, recorded in lincheck's `kv` vocabulary.
 * Shared by every protocol that offers the replicated KV store.
 *
 * @module
 */
import { kvCompletion, kvInvocation, nextKvCommand, workloadKeys, type KvCommand, type KvResult } from "@synod/kv";
import type { Service } from "../kit.js";

/** The KV service for {@link HistoriesPart.service}. */
export const kvService: Service<KvCommand, KvResult> = {
  name: "kv",
  nextCommand: (shape, rng, clientId, opIndex) => nextKvCommand(shape, rng, clientId, opIndex),
  finalCommands: (shape) => workloadKeys(shape).map((key) => ({ op: "get", key })),
  invoke: (cmd) => kvInvocation(cmd),
  complete: (cmd, result) => kvCompletion(cmd, result),
};

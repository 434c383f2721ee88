/**
 * The key-value service (`@synod/kv`) as the histories check drives it: generated reads and unique
 * puts over a few keys, a final read of every key, recorded in lincheck's `kv` vocabulary.
 * Shared by every protocol that offers the replicated KV store.
 *
 * @module
 */
import { kvCompletion, kvInvocation, nextKvCommand, workloadKeys, type KvCommand, type KvResult } from "@synod/kv";
import type { Json } from "@synod/protocol";
import type { HistoryEntry } from "@synod/sim";
import type { Service } from "../kit.js";

/** The KV service for {@link HistoriesPart.service}. */
export const kvService: Service<KvCommand, KvResult> = {
  name: "kv",
  nextCommand: (shape, rng, clientId, opIndex) => nextKvCommand(shape, rng, clientId, opIndex),
  finalCommands: (shape) => workloadKeys(shape).map((key) => ({ op: "get", key })),
  invoke: (cmd) => kvInvocation(cmd),
  complete: (cmd, result) => kvCompletion(cmd, result),
  lostWrites: (history, finalFromNs) => lostKvWrites(history, finalFromNs),
};

/**
 * Acknowledged puts that the final reads show lost: a put acknowledged `ok` is lost when its key's
 * final read returns nothing, or the value of a put that completed before the lost one was even
 * invoked (every put writes a unique value, so the final value names the put it came from).
 */
export function lostKvWrites(history: readonly HistoryEntry[], finalFromNs: number): number {
  interface Put {
    key: string;
    value: Json;
    invokedNs: number;
    completedNs: number | null;
  }
  const open = new Map<number, Put>();
  const puts: Put[] = [];
  const finals = new Map<string, Json>();
  const invokedAt = new Map<number, number>();
  for (const e of history) {
    if (e.type === "invoke") {
      invokedAt.set(e.process, e.time);
      if (e.f === "put") open.set(e.process, { key: e.key ?? "", value: e.value as Json, invokedNs: e.time, completedNs: null });
      continue;
    }
    const put = open.get(e.process);
    open.delete(e.process);
    if (e.type !== "ok") continue;
    if (put !== undefined) {
      put.completedNs = e.time;
      puts.push(put);
    } else if (e.f === "get" && (invokedAt.get(e.process) ?? 0) >= finalFromNs) {
      finals.set(e.key ?? "", e.value as Json);
    }
  }
  let lost = 0;
  for (const p of puts) {
    if (!finals.has(p.key)) continue;
    const final = finals.get(p.key);
    if (final === null) {
      lost++;
      continue;
    }
    const source = puts.find((q) => q.key === p.key && q.value === final);
    if (source !== undefined && source !== p && source.completedNs !== null && source.completedNs < p.invokedNs) lost++;
  }
  return lost;
}

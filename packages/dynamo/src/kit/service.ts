/**
 * The workload conformance and the benches run on a Dynamo cluster, and how its operations appear
 * in a client history (the staleness judge's vocabulary, `@synod/conformance`'s `staleness.ts`).
 *
 * Clients read a key and often write it next over the context they read (as Riak and Dynamo
 * clients do: get, merge, put), or write blindly (context `{}`), which makes siblings. Every
 * written value is unique (`<client>.<op>`), so the judge can tell writes apart; the values a
 * write's context was read with ride along in the command's `note` (the store never reads it) so
 * the judge knows what the write replaced without trusting the store's version vectors.
 *
 * @module
 */
import type { Service } from "@synod/conformance";
import type { Json } from "@synod/protocol";
import type { DynamoCommand, DynamoResult } from "../messages.js";

/** The note a put carries for the history: the values its context was read with. */
interface PutNote {
  supersedes: string[];
}

/** Share of writes built from the client's preceding read of the same key. */
const READ_THEN_WRITE = 0.6;

/** Replies the final reads ask for: every replica of the default N = 3. */
export const FINAL_READ_R = 3;

/** The workload service of a Dynamo cluster (see the module comment). */
export const dynamoService: Service<DynamoCommand, DynamoResult> = {
  name: "multi-value kv",
  nextCommand(shape, rng, clientId, opIndex, previous) {
    const value = `${clientId}.${opIndex}`;
    if (previous !== undefined && previous.result.op === "get" && rng.nextFloat() < READ_THEN_WRITE) {
      const read = previous.result;
      return { op: "put", key: read.key, value, context: read.context, note: { supersedes: read.siblings.map((s) => s.value).sort() } };
    }
    const key = `k${rng.nextInt(0, shape.keys - 1)}`;
    if (rng.nextFloat() < shape.readRatio) return { op: "get", key };
    return { op: "put", key, value, context: {}, note: { supersedes: [] } };
  },
  finalCommands: (shape) => Array.from({ length: shape.keys }, (_, k) => ({ op: "get", key: `k${k}`, quorum: { r: FINAL_READ_R }, note: { final: true } })),
  invoke(cmd): { f: string; key: string; value: Json } {
    if (cmd.op === "get") return { f: "read", key: cmd.key, value: { final: (cmd.note as { final?: boolean } | undefined)?.final === true } };
    const note = cmd.note as unknown as PutNote | undefined;
    return { f: "write", key: cmd.key, value: { value: cmd.value, supersedes: note?.supersedes ?? [] } };
  },
  complete(_cmd, res) {
    if (res.op === "get") {
      const siblings = [...res.siblings].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      return { values: siblings.map((s) => s.value), dots: siblings.map((s) => s.dot), ...res.quorum } as unknown as Json;
    }
    return { dot: res.dot, ...res.quorum } as unknown as Json;
  },
};

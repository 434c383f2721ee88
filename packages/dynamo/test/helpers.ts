import type { ClientReply } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { DynamoNode, type DynamoCommand, type DynamoMessage, type DynamoOptions, type DynamoResult } from "../src/index.js";

export type Cluster = TestCluster<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode>;
export const IDS = ["n1", "n2", "n3"];

/** A cluster of `ids` with `extra` options; latency 1..3 ms unless said. */
export function cluster(extra: Partial<DynamoOptions> = {}, ids: string[] = IDS, seed = 1, latencyMs: [number, number] = [1, 3]): Cluster {
  return new TestCluster({ ids, seed, latencyMs, create: (id, _peers, rng) => new DynamoNode(id, { nodes: ids, ...extra }, rng) });
}

/** Run events (messages and timers) until virtual time `untilMs`; partitioned nodes lose everything. */
export function runUntil(c: Cluster, untilMs: number, budget = 200_000): void {
  for (let k = 0; k < budget; k++) {
    const t = c.nextTimer();
    const m = c.inflight.reduce<number>((a, x) => Math.min(a, x.deliverAtMs), Infinity);
    if (Math.min(t?.dueMs ?? Infinity, m) > untilMs) break;
    c.runNextEvent();
  }
  c.nowMs = Math.max(c.nowMs, untilMs);
}

/** The replies taken from the cluster's outputs since the last call. */
export function replies(c: Cluster): ClientReply<DynamoResult>[] {
  return c.takeOutputs().flatMap((o) => (o.kind === "reply" ? [o.reply] : []));
}

let seqs = 0;
/** Send `command` to the key's coordinator (following one redirect) and run for `forMs`; the reply. */
export function call(c: Cluster, at: string, command: DynamoCommand, forMs = 100): ClientReply<DynamoResult> {
  const seq = ++seqs;
  c.takeOutputs();
  c.request(at, "t", seq, command);
  let r = replies(c);
  let first = r.find((x) => x.seq === seq);
  if (first !== undefined && !first.ok && first.error === "not-leader" && first.leaderHint !== undefined) {
    c.request(first.leaderHint, "t", seq, command);
    first = undefined;
    r = replies(c);
    first = r.find((x) => x.seq === seq);
  }
  if (first !== undefined) return first;
  const until = c.nowMs + forMs;
  for (let k = 0; k < 100_000 && c.nowMs < until; k++) {
    runUntil(c, Math.min(until, c.nowMs + 1));
    const got = replies(c).find((x) => x.seq === seq);
    if (got !== undefined) return got;
  }
  throw new Error(`no reply to ${JSON.stringify(command)} within ${forMs} ms`);
}

/** The coordinator of `key` (first of its preference list) and the other owners. */
export function owners(c: Cluster, key: string, n = 3): string[] {
  return c.node("n1").ring.preferenceList(key, n);
}

/** The sibling values of a get result. */
export function values(r: ClientReply<DynamoResult>): string[] {
  if (!r.ok || r.result.op !== "get") throw new Error(`not a get result: ${JSON.stringify(r)}`);
  return r.result.siblings.map((s) => s.value).sort();
}

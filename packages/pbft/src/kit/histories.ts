/**
 * PBFT's histories check: the key-value service under generated schedules that include Byzantine
 * replicas (at most f of them), judged by linearizability; clients sign their requests and take
 * a result only from f + 1 matching replies; at the end the correct replicas must have executed
 * the same batch at every sequence number they both executed.
 *
 * @module
 */
import { kvService, linearizable, type HistoriesPart, type Service } from "@synod/conformance";
import { kv } from "@synod/lincheck";
import type { NodeId } from "@synod/protocol";
import type { ByzantineBehaviour } from "@synod/sim";
import { createPbftReplica, type PbftReplica } from "../node.js";
import type { KvResult, PbftCommand } from "../types.js";
import { pbftByzantineHook } from "./byzantine.js";
import { simKeyring } from "./keys.js";
import { forgedViewChange } from "./targeted.js";
import type { PbftTypes } from "./types.js";

/** The key-value workload with unsigned commands (the client seals each attempt). */
export const pbftKvService: Service<PbftCommand, KvResult> = {
  name: "kv",
  nextCommand: (shape, rng, clientId, opIndex, previous) => ({
    op: kvService.nextCommand(shape, rng, clientId, opIndex, previous === undefined ? undefined : { command: previous.command.op, result: previous.result }),
    sig: "",
  }),
  finalCommands: (shape) => kvService.finalCommands(shape).map((op) => ({ op, sig: "" })),
  invoke: (cmd) => kvService.invoke(cmd.op),
  complete: (cmd, result) => kvService.complete(cmd.op, result),
  ...(kvService.lostWrites === undefined ? {} : { lostWrites: kvService.lostWrites }),
};

/** Every Byzantine behaviour a run may give a faulty replica. */
export const BEHAVIOURS: readonly ByzantineBehaviour[] = ["equivocate", "conflict", "forge", "malformed", "lie", "replay", "silent", "delay-some"];

/** f for n replicas. */
export function faultsTolerated(n: number): number {
  return Math.floor((n - 1) / 3);
}

/**
 * Correct replicas agree: at every sequence number two of them executed (in their current life),
 * the same batch.
 */
export function replicasAgree(nodes: ReadonlyMap<NodeId, PbftReplica>, correct: ReadonlySet<NodeId>): string | null {
  const ids = [...nodes.keys()].filter((id) => correct.has(id)).sort();
  for (let a = 0; a < ids.length; a++) {
    const da = nodes.get(ids[a]!)!.executedDigests();
    for (let b = a + 1; b < ids.length; b++) {
      const db = nodes.get(ids[b]!)!.executedDigests();
      for (const [seq, d] of da) {
        const e = db.get(seq);
        if (e !== undefined && e !== d) return `${ids[a]} and ${ids[b]} executed different batches at sequence number ${seq} (${d.slice(0, 12)}… vs ${e.slice(0, 12)}…)`;
      }
    }
  }
  return null;
}

/** The histories part of PBFT's descriptor. */
export const pbftHistories: HistoriesPart<PbftTypes> = {
  node: ({ id, peers, rng, durable, variant, options }) => {
    const replicas = [id, ...peers];
    return createPbftReplica({ id, replicas, keys: simKeyring(replicas).file, rng, durable, options: { ...(options as object), unsafe: variant?.unsafe ?? {} } as never });
  },
  service: pbftKvService,
  judge: linearizable(kv({ init: null }), "kv"),
  faults: ["crash", "partition", "loss", "duplicate", "byzantine"],
  runs: { ci: 8, full: 100 },
  durationMs: 2000,
  nodes: 4,
  optionSets: [{}, { maxBatchEntries: 4, maxInflightBatches: 1 }, { checkpointInterval: 4, logSize: 8 }, { tentativeExecution: true }, { tentativeExecution: true, maxBatchEntries: 1, readOnlyOptimization: true }],
  clients: (nodes) => {
    const ring = simKeyring(nodes);
    // One policy per run: the sealer remembers which attempt of a get is its first (read-only).
    return { replyQuorum: faultsTolerated(nodes.length) + 1, seal: ring.attemptSeal(), replies: (clientId) => ring.replies(clientId) };
  },
  byzantine: { maxFaulty: 1, behaviours: BEHAVIOURS, hook: pbftByzantineHook },
  // The generated runs give `forge` to a faulty replica only now and then, and a view change
  // happens in only some of those; this one has both on every seed.
  targeted: { "forged-view-change": forgedViewChange },
  agreement: replicasAgree,
};

/**
 * PBFT's protocol descriptor: how conformance, `verify`, `serve`, `soak` and `bench` run PBFT
 * (see `@synod/conformance`'s kit). Imported only by the registry (`@synod/pbft/kit`); the
 * protocol core never imports it.
 *
 * @module
 */
import type { ProtocolKit } from "@synod/conformance";
import { PbftAdapter } from "./adapter.js";
import { pbftBench } from "./bench.js";
import { pbftHistories } from "./histories.js";
import { pbftServe } from "./serve.js";
import { boundsFor, COVERAGE_DISTINCT, loadPbftSpec, PBFT_SPEC_DIR } from "./spec-model.js";
import type { PbftTypes } from "./types.js";
import { pbftValidate } from "./validate.js";

export { PbftAdapter, PbftSpecCluster } from "./adapter.js";
export { PbftAbstraction } from "./abstraction.js";
export { pbftByzantineHook } from "./byzantine.js";
export { BEHAVIOURS, pbftHistories, pbftKvService, replicasAgree } from "./histories.js";
export { SIM_CLIENTS, simKeyring, type SimKeyring } from "./keys.js";
export { forgedViewChange } from "./targeted.js";
export * from "./spec-model.js";
export type { PbftTypes, PbftVariant } from "./types.js";

/** PBFT, described once. */
export const kit: ProtocolKit<PbftTypes> = {
  name: "pbft",
  title: "PBFT",
  summary: "Practical Byzantine Fault Tolerance (Castro–Liskov): 3f+1 replicas, MAC and signature authenticators, checkpoints, view change; a linearizable KV store under Byzantine replicas",
  spec: { dir: PBFT_SPEC_DIR, load: (purpose, size) => loadPbftSpec(boundsFor(purpose, size)) },
  replay: {
    adapter: (spec, variant) => new PbftAdapter(spec as never, variant?.unsafe ?? {}),
    walks: { ci: 20, full: 400 },
    depth: 40,
    coverageDistinct: COVERAGE_DISTINCT,
  },
  validate: pbftValidate(),
  histories: pbftHistories,
  brokenVariants: [
    {
      name: "smallPreparedCertificate",
      description: "a replica is prepared with the pre-prepare and 2f − 1 prepares (a certificate of 2f, not 2f + 1)",
      variant: { unsafe: { smallPreparedCertificate: true } },
      caughtBy: ["replay", "validate"],
    },
    {
      name: "skipViewChangeVerification",
      description: "a replica accepts view changes and new views without checking their signatures",
      variant: { unsafe: { skipViewChangeVerification: true } },
      // Replay makes the Byzantine replica forge a new view in a correct primary's name; the
      // targeted histories schedule has a backup forge its view changes during a view change (a
      // stable checkpoint without a proof), and the new view then stalls. Trace validation's
      // Byzantine n1 forges view changes only under `forge` (seeds 5, 11, ...), and on seeds 1-10
      // no forged one reached a step where the spec sees the difference (measured).
      caughtBy: ["replay", "histories"],
      targeted: "forged-view-change",
    },
    {
      name: "executeBeforeCommit",
      description: "a replica executes a batch once prepared, without waiting for 2f + 1 commits",
      variant: { unsafe: { executeBeforeCommit: true } },
      caughtBy: ["replay", "validate"],
    },
  ],
  status: (node) => {
    const s = node.summary();
    return {
      role: s.primary === node.id ? (s.active ? "primary" : "primary-elect") : s.active ? "backup" : "view-change",
      leader: s.primary === node.id && s.active,
      epoch: s.view,
      epochName: "view",
      leaderId: s.primary,
      commitIndex: s.executed,
      appliedIndex: s.executed,
      members: [node.id, ...node.peerIds].sort(),
      snapshotIndex: s.stable,
    };
  },
  serve: pbftServe,
  bench: pbftBench,
  tuning: { batch: (entries) => ({ maxBatchEntries: entries }) },
};

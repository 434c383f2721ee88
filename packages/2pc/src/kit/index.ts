/**
 * Two-phase commit's protocol descriptor: how conformance, `verify` and `replay` run it (see
 * `@synod/conformance`'s kit). Found by the registry through package.json's `synod.kit`; the
 * protocol core never imports it.
 *
 * - Spec → implementation: `MCTwoPhase.tla` with 3 RMs (n2, n3, n4) and the TM n1, replayed
 *   action by action through {@link twoPcAdapter} (the TM commits as a separate step there).
 * - Implementation → spec: production-granularity nodes under the simulator (a set network);
 *   the TM's last-vote step reports `TMRcvPrepared(r)` then `TMCommit`, a restart `TMCrash` then
 *   `TMRecover`. The driver starts the spec's one transaction and makes RMs abort it locally now
 *   and then; the TM is crashed right after it writes a commit record, on purpose.
 * - Histories: clients run transactions (some with RMs that must vote no) under crashes,
 *   partitions, loss and duplication; after healing, every node's decision records are read, and
 *   the atomic-commitment judge holds the history to all-or-nothing and unanimity.
 *
 * @module
 */
import { atomicCommitment, type KitTypes, type LoadedSpec, type ProtocolKit, type TargetedSchedule, type WireMessage } from "@synod/conformance";
import type { Json } from "@synod/protocol";
import { createNode, type TwoPcNode } from "../index.js";
import type { TwoPcCommand, TwoPcMessage, TwoPcResult } from "../messages.js";
import type { TransactionManager } from "../tm.js";
import { bench } from "./bench.js";
import { nodeView, twoPcAdapter, type Harness, type TwoPcVariant } from "./adapter.js";
import { COVERAGE_DISTINCT, loadTwoPhase, NODES, RMS, SPEC_DIR, SPEC_TXN, specState, TM } from "./spec-model.js";

export { bench, blockingWindow, transactionCost, BENCH_LATENCY_MS } from "./bench.js";
export { nodeView, twoPcAdapter, type Harness, type TwoPcVariant } from "./adapter.js";
export * from "./spec-model.js";

/** The types the 2PC descriptor is written over. */
export interface TwoPcTypes extends KitTypes {
  msg: TwoPcMessage;
  cmd: TwoPcCommand;
  res: TwoPcResult;
  node: TwoPcNode;
  traced: TwoPcNode;
  impl: Harness;
  spec: LoadedSpec;
  variant: TwoPcVariant;
}

const isCommitRecord = (w: { key: string }): boolean => w.key.startsWith("commit/");

/**
 * Crash the TM right after it writes a commit record, with its `Commit` to the last RM cut off;
 * restart it 5 ms later and heal. The last RM must then learn the decision from the restarted TM.
 */
export const crashTmAfterCommit: TargetedSchedule<TwoPcTypes> = {
  description: "crash the TM right after its commit record, with the Commit to the last RM lost, then restart it",
  arm(sim) {
    let fired = 0;
    return {
      onStep(step) {
        if (fired >= 3 || step.node !== TM || !(step.ready?.persist.some(isCommitRecord) ?? false)) return;
        fired++;
        const last = RMS[RMS.length - 1] as string;
        sim.applyFault({ type: "cut", from: [TM], to: [last] });
        sim.after(0.5, () => sim.applyFault({ type: "crash", node: TM }));
        sim.after(5, () => sim.applyFault({ type: "restart", node: TM }));
        sim.after(8, () => sim.applyFault({ type: "heal" }));
      },
    };
  },
};

/** The options of a node of the histories or validation cluster. */
function nodeOptions(variant: TwoPcVariant | undefined): { tm: string; rms: string[]; forgetDecisionOnRestart: boolean } {
  return { tm: TM, rms: RMS, forgetDecisionOnRestart: variant?.forgetDecisionOnRestart ?? false };
}

/** Two-phase commit, described once. */
export const kit: ProtocolKit<TwoPcTypes> = {
  name: "2pc",
  title: "Two-phase commit",
  summary: "two-phase commit with presumed abort: durable records, TM and RM recovery, timeouts; an atomic-commitment judge",
  // The spec has no bounds (one transaction, a finite state space): every check loads the same model.
  spec: { dir: SPEC_DIR, load: () => loadTwoPhase() },
  replay: {
    adapter: (spec, variant) => twoPcAdapter(spec, variant ?? {}),
    walks: { ci: 60, full: 400 },
    depth: 40,
    coverageDistinct: { ci: COVERAGE_DISTINCT, full: COVERAGE_DISTINCT },
  },
  validate: {
    node: ({ id, variant }) => createNode(id, nodeOptions(variant)),
    abstraction: (spec) => ({
      node: (n) => nodeView(n, true),
      state: (views, inflight) => specState(spec, views, inflight as readonly WireMessage<TwoPcMessage>[]),
    }),
    network: "set",
    driven: [],
    request: (_spec, rng, node) => {
      if (node.id === TM) {
        const tm = node as TransactionManager;
        // The spec's one transaction: started once, by the first incarnation.
        if (tm.incarnation !== 0 || tm.started || rng.nextFloat() >= 0.3) return null;
        return { op: "txn", refuse: RMS.filter(() => rng.nextFloat() < 0.1) };
      }
      return rng.nextFloat() < 0.02 ? { op: "abort", txn: SPEC_TXN } : null;
    },
    targetedCrash: { name: "the TM right after it writes a commit record", when: (rd) => rd.persist.some(isCommitRecord), probability: 0.7 },
    faults: ["crash", "partition", "pause"],
    seeds: { ci: 30, full: 200 },
    durationMs: 1000,
  },
  histories: {
    node: ({ id, variant }) => createNode(id, nodeOptions(variant)),
    service: {
      name: "transactions",
      nextCommand: (_shape, rng) => ({ op: "txn", refuse: rng.nextFloat() < 0.2 ? [RMS[rng.nextInt(0, RMS.length - 1)] as string] : [] }),
      finalCommands: () => NODES.map((at) => ({ op: "decisions", at })),
      invoke: (cmd) => {
        switch (cmd.op) {
          case "txn":
            return { f: "txn", value: { refuse: [...cmd.refuse] } };
          case "decisions":
            return { f: "decisions", key: cmd.at, value: null };
          case "abort":
            return { f: "abort", key: cmd.txn, value: null };
        }
      },
      complete: (_cmd, res) => res as unknown as Json,
    },
    judge: atomicCommitment(),
    faults: ["crash", "partition", "loss", "duplicate", "pause", "clock"],
    runs: { ci: 10, full: 100 },
    durationMs: 1500,
    nodes: NODES.length,
    optionSets: [{}],
    targeted: { crashTmAfterCommit },
  },
  brokenVariants: [
    {
      name: "forgetDecisionOnRestart",
      description: "the TM ignores its commit records when it restarts, so it presumes abort for transactions it committed",
      variant: { forgetDecisionOnRestart: true },
      caughtBy: ["replay", "validate", "histories"],
      targeted: "crashTmAfterCommit",
    },
  ],
  bench,
  status: (n) => ({
    role: n.id === TM ? "coordinator" : "participant",
    leader: n.id === TM,
    epoch: n.id === TM ? (n as TransactionManager).incarnation : 0,
    epochName: "incarnation",
    leaderId: TM,
    commitIndex: 0,
    appliedIndex: 0,
    members: NODES,
  }),
};

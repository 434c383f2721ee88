/**
 * Spec → implementation replay for two-phase commit: each action of `TwoPhase.tla` becomes the
 * node event that takes it, on a manual-network cluster; the abstraction maps the nodes and every
 * message ever sent to the spec's variables.
 *
 * The spec's network is a set that only grows, so the harness keeps every message ever sent and
 * a receive action delivers a copy of one (the cluster's own in-flight list is not used). The
 * spec's decisions carry no recipient: the TM's answer to one RM may be delivered to another, as
 * the set allows; its content is the same.
 *
 * @module
 */
import { AdapterError, type Adapter, type LoadedSpec, type SpecAction, type State, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { createNode, type TwoPcNode } from "../index.js";
import type { TwoPcCommand, TwoPcMessage, TwoPcResult } from "../messages.js";
import type { ResourceManager } from "../rm.js";
import type { TransactionManager } from "../tm.js";
import { NODES, RMS, SPEC_TXN, specState, TM, type NodeView } from "./spec-model.js";

/** What a broken build changes. */
export interface TwoPcVariant {
  /** The TM ignores its commit records when it restarts. */
  forgetDecisionOnRestart?: boolean;
}

/** The implementation replay drives: a cluster and every message it ever sent. */
export interface Harness {
  cluster: TestCluster<TwoPcMessage, TwoPcCommand, TwoPcResult, TwoPcNode>;
  sent: WireMessage<TwoPcMessage>[];
  /** Client sequence numbers used so far. */
  seq: number;
}

/** The view of node `n` that the spec sees (`up`: whether the host runs it). */
export function nodeView(n: TwoPcNode, up: boolean): NodeView {
  if (n.id === TM) return { kind: "tm", up, view: (n as TransactionManager).view(SPEC_TXN) };
  return { kind: "rm", id: n.id, state: (n as ResourceManager).record(SPEC_TXN)?.state ?? "working" };
}

/** The replay adapter over `spec`, for the correct build or a broken `variant`. */
export function twoPcAdapter(spec: LoadedSpec, variant: TwoPcVariant = {}): Adapter<Harness> {
  const name = (label: SpecAction, p: string): NodeId => {
    const v = label.params.find(([n]) => n === p)?.[1];
    if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${p}`);
    return spec.nameOf(v);
  };
  const collect = (h: Harness): void => {
    for (const o of h.cluster.takeOutputs()) if (o.kind === "send") h.sent.push({ from: o.msg.from, to: o.msg.to, message: o.msg.message });
    h.cluster.inflight = [];
  };
  const deliver = (h: Harness, from: NodeId, to: NodeId, message: TwoPcMessage, action: string): void => {
    const c = h.cluster;
    if (c.crashed.has(to)) throw new AdapterError(`${action}: ${to} is down`);
    c.node(to).step({ type: "message", nowMs: c.localMs(to), from, message });
    c.process(to);
  };
  return {
    variables: spec.model.variables,
    create: () => {
      const cluster = new TestCluster<TwoPcMessage, TwoPcCommand, TwoPcResult, TwoPcNode>({
        ids: NODES,
        seed: 1,
        create: (id) => createNode(id, { tm: TM, rms: RMS, deferCommit: true, forgetDecisionOnRestart: variant.forgetDecisionOnRestart ?? false }),
      });
      return { cluster, sent: [], seq: 0 };
    },
    abstract: (h): State => {
      const c = h.cluster;
      const views = new Map(NODES.map((id) => [id, nodeView(c.node(id), !c.crashed.has(id))]));
      return specState(spec, views, h.sent);
    },
    apply(h, label) {
      const c = h.cluster;
      const tm = c.node(TM) as TransactionManager;
      switch (label.action) {
        case "TMPrepare":
          // The spec's transaction exists from the start; the TM starts it on the client's request.
          if (!tm.started && tm.incarnation === 0) c.request(TM, "conformance", ++h.seq, { op: "txn", refuse: [] });
          else c.fire(TM, `resend:${SPEC_TXN}`);
          break;
        case "TMRcvPrepared":
        case "TMAnswer":
          deliver(h, name(label, "r"), TM, { type: "Prepared", txn: SPEC_TXN }, label.action);
          break;
        case "TMCommit":
          if (!tm.takeAction("TMCommit")) throw new AdapterError("TMCommit: the TM has no transaction with every yes vote");
          c.process(TM);
          break;
        case "TMAbort":
          c.fire(TM, `vote:${SPEC_TXN}`);
          break;
        case "TMCrash":
          c.crash(TM);
          break;
        case "TMRecover":
          c.restart(TM);
          break;
        case "RMPrepare":
          deliver(h, TM, name(label, "r"), { type: "Prepare", txn: SPEC_TXN, refuse: false }, label.action);
          break;
        case "RMAbort":
          c.request(name(label, "r"), "application", ++h.seq, { op: "abort", txn: SPEC_TXN });
          break;
        case "RMInquire":
          c.fire(name(label, "r"), `inquire:${SPEC_TXN}`);
          break;
        case "RMRcvCommit":
          deliver(h, TM, name(label, "r"), { type: "Commit", txn: SPEC_TXN }, label.action);
          break;
        case "RMRcvAbort":
          deliver(h, TM, name(label, "r"), { type: "Abort", txn: SPEC_TXN }, label.action);
          break;
        case "RMRestart": {
          const r = name(label, "r");
          c.crash(r);
          c.restart(r);
          break;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
      collect(h);
    },
  };
}

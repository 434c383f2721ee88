/**
 * The Dynamo node as trace validation runs it: the production node, recording the actions of
 * `DynamoMsg.tla` it takes on the one key the spec models ({@link SPEC_KEY}), from the core's
 * trace hook (as etcd keeps `state_trace.go` beside the protocol):
 *
 * - a client's put written → `Put(c)`, a client's get started → `Get(c)`;
 * - a `Replicate` merged → `HandleReplicate`, a write's acknowledgement counted → `HandleAck`;
 * - a `Read` answered → `HandleRead`, a `ReadReply` taken → `HandleReadReply`;
 * - anti-entropy entries of the key's leaf sent → `AeSend(s, t)`, received → `HandleAE`;
 * - a request given up → `Timeout`, a restart from storage → `Restart(s)`;
 * - sloppy quorums: a `Replicate` merged into a hint → `ReplicateAsHint`, a silent target replaced
 *   → `Retarget`, a hint sent to its owner → `Handoff(s, o)`, merged there → `HandleHandoff`,
 *   its acknowledgement taken and the hint dropped → `HandleHandoffAck`.
 *
 * What the message-level spec does not model is reported under a name the spec lacks, so that
 * validation fails naming it instead of passing it by: a retried put replayed (`PutRetry`).
 *
 * @module
 */
import { ActionRecorder, type ActionLabel, type Rng, type Traced } from "@synod/protocol";
import { bucketOf } from "../merkle.js";
import { DynamoNode, type DynamoTrace } from "../node.js";
import type { DynamoOptions } from "../options.js";

/** The key trace validation's clients read and write (the one key the spec models). */
export const SPEC_KEY = "k";

/** A Dynamo node that records its `DynamoMsg.tla` actions on {@link SPEC_KEY}. */
export class TracedDynamoNode extends DynamoNode implements Traced {
  private readonly recorder = new ActionRecorder();
  private readonly leaf = bucketOf(SPEC_KEY);

  constructor(id: string, options: DynamoOptions, rng: Rng) {
    super(id, options, rng);
  }

  recordActions(on: boolean): void {
    this.recorder.recordActions(on);
  }

  takeActions(): ActionLabel[] {
    return this.recorder.takeActions();
  }

  protected override trace(e: DynamoTrace): void {
    const me = this.id;
    const note = (action: string, params: Record<string, string> = {}): void => this.recorder.note(action, params);
    switch (e.kind) {
      case "restart":
        note("Restart", { s: me });
        return;
      case "ae-send":
        if (e.leaves.includes(this.leaf)) note("AeSend", { s: me, t: e.to });
        return;
      case "ae-receive":
        if (e.leaves.includes(this.leaf)) note("HandleAE");
        return;
      default:
        break;
    }
    if (e.key !== SPEC_KEY) return;
    switch (e.kind) {
      case "put":
        note(e.retry ? "PutRetry" : "Put", { c: me });
        return;
      case "get":
        note("Get", { c: me });
        return;
      case "replicate":
        note(e.hint ? "ReplicateAsHint" : "HandleReplicate");
        return;
      case "ack":
        note("HandleAck");
        return;
      case "read":
        note("HandleRead");
        return;
      case "read-reply":
        note("HandleReadReply");
        return;
      case "timeout":
        note("Timeout");
        return;
      case "handoff":
        note("Handoff", { s: me, o: e.to });
        return;
      case "handoff-merge":
        note("HandleHandoff");
        return;
      case "handoff-ack":
        note("HandleHandoffAck");
        return;
      case "retarget":
        note("Retarget");
        return;
    }
  }
}

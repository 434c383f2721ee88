/**
 * The run's bounded logs: messages, node steps and faults. Past `maxRecords` entries a log stops
 * growing and counts what it did not keep (TigerBeetle's rule: nothing grows without limit).
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { DropReason, FaultRecord, MessageRecord, StepRecord } from "./records.js";

/** Records not kept because a log was full, per log. */
export interface Truncation {
  messages: number;
  steps: number;
  faults: number;
}

/** Holds what a simulation records. Message ids are positions in the message log (-1: not kept). */
export class Recorder<Msg, Cmd, Res> {
  private readonly messageLog: MessageRecord<Msg>[] = [];
  private readonly stepLog: StepRecord<Msg, Cmd, Res>[] = [];
  private readonly faultLog: FaultRecord[] = [];
  private readonly truncated: Truncation = { messages: 0, steps: 0, faults: 0 };

  /**
   * @param nodes node ids by index; @param recordMessages / @param recordSteps whether to keep
   * those logs at all; @param maxRecords the bound on each log.
   */
  constructor(
    private readonly nodes: readonly NodeId[],
    private readonly recordMessages: boolean,
    readonly recordSteps: boolean,
    private readonly maxRecords: number,
  ) {}

  /** Log a message copy leaving `from` for `to`; returns its id, or -1 when not kept. */
  message(from: number, to: number, message: Msg, sentAtMs: number, step: number, duplicateOf: number | undefined): number {
    if (!this.recordMessages) return -1;
    if (this.messageLog.length >= this.maxRecords) {
      this.truncated.messages++;
      return -1;
    }
    const id = this.messageLog.length;
    const record: MessageRecord<Msg> = {
      id,
      from: this.nodes[from] as NodeId,
      to: this.nodes[to] as NodeId,
      sentAtMs,
      step,
      message,
      status: "in-flight",
    };
    if (duplicateOf !== undefined) record.duplicateOf = duplicateOf;
    this.messageLog.push(record);
    return id;
  }

  /** Mark message `id` dropped (ignored for -1). */
  dropped(id: number, reason: DropReason): void {
    if (id < 0) return;
    const r = this.messageLog[id] as MessageRecord<Msg>;
    r.status = "dropped";
    r.dropReason = reason;
  }

  /** Mark message `id` delivered at `atMs` (ignored for -1). */
  delivered(id: number, atMs: number): void {
    if (id < 0) return;
    const r = this.messageLog[id] as MessageRecord<Msg>;
    r.status = "delivered";
    r.deliveredAtMs = atMs;
  }

  /** Log a node step (when steps are recorded). */
  step(record: StepRecord<Msg, Cmd, Res>): void {
    if (!this.recordSteps) return;
    if (this.stepLog.length < this.maxRecords) this.stepLog.push(record);
    else this.truncated.steps++;
  }

  /** Log an applied fault. */
  fault(record: FaultRecord): void {
    if (this.faultLog.length < this.maxRecords) this.faultLog.push(record);
    else this.truncated.faults++;
  }

  /** Copies of the logs (the records themselves are shared) and the truncation counts. */
  snapshot(): { messages: MessageRecord<Msg>[]; steps: StepRecord<Msg, Cmd, Res>[]; faults: FaultRecord[]; truncated: Truncation } {
    return {
      messages: this.messageLog.slice(),
      steps: this.stepLog.slice(),
      faults: this.faultLog.slice(),
      truncated: { ...this.truncated },
    };
  }
}

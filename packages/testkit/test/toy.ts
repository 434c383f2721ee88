/**
 * A toy protocol for the testkit's own tests: every node counts the increments it hears of; a
 * client `inc` is persisted, broadcast, and acknowledged; a `tick` timer re-broadcasts the count.
 */
import { emptyReady, type Event, type Json, type NodeId, type ProtocolNode, type Ready, type Rng } from "@synod/protocol";

export type ToyMsg = { type: "Inc"; by: number } | { type: "Count"; count: number };
export type ToyCmd = { op: "inc"; by: number } | { op: "read" };

export class ToyNode implements ProtocolNode<ToyMsg, ToyCmd, number> {
  count = 0;
  private out: Ready<ToyMsg, number, ToyCmd> = emptyReady();
  constructor(
    readonly id: NodeId,
    private readonly peers: NodeId[],
    private readonly rng: Rng,
    /** Test-only: claim to have nothing ready while holding output (breaks the contract). */
    private readonly lie = false,
  ) {
    this.out.timers.push({ name: "tick", afterMs: rng.nextInt(10, 20) });
  }
  step(e: Event<ToyMsg, ToyCmd>): void {
    switch (e.type) {
      case "restart":
        this.count = Number(e.durable.get("count") ?? 0);
        this.out = emptyReady();
        this.out.timers.push({ name: "tick", afterMs: this.rng.nextInt(10, 20) });
        return;
      case "timer":
        for (const p of this.peers) this.out.send.push({ to: p, message: { type: "Count", count: this.count } });
        this.out.timers.push({ name: "tick", afterMs: 15 });
        return;
      case "message":
        if (e.message.type === "Inc") {
          this.count += e.message.by;
          this.out.persist.push({ key: "count", value: this.count as Json });
        }
        return;
      case "request":
        if (e.request.command.op === "read") {
          this.out.replies.push({ clientId: e.request.clientId, seq: e.request.seq, ok: true, result: this.count });
          return;
        }
        this.count += e.request.command.by;
        this.out.persist.push({ key: "count", value: this.count as Json });
        for (const p of this.peers) this.out.send.push({ to: p, message: { type: "Inc", by: e.request.command.by } });
        this.out.replies.push({ clientId: e.request.clientId, seq: e.request.seq, ok: true, result: this.count });
        this.out.applied.push({ index: this.count, command: e.request.command, result: this.count });
        return;
    }
  }
  hasReady(): boolean {
    if (this.lie) return false;
    const o = this.out;
    return o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0;
  }
  ready(): Ready<ToyMsg, number, ToyCmd> {
    const rd = this.out;
    this.out = emptyReady();
    return rd;
  }
}

/**
 * Protocol-agnostic toy nodes for the simulator's tests and bench. They implement the
 * `@synod/protocol` contract and nothing else.
 */
import {
  type ClientReply,
  type Event,
  type Json,
  type NodeId,
  type ProtocolNode,
  type Ready,
  type Rng,
  emptyReady,
  isEmptyReady,
} from "@synod/protocol";

/** Shared plumbing: accumulate a ready, drain it. */
export abstract class ToyNode<Msg, Cmd = never, Res = never> implements ProtocolNode<Msg, Cmd, Res> {
  readonly id: NodeId;
  protected rd: Ready<Msg, Res, Cmd> = emptyReady();
  /** Every event this node stepped (for assertions). */
  readonly seen: Event<Msg, Cmd>[] = [];

  constructor(id: NodeId) {
    this.id = id;
  }

  step(event: Event<Msg, Cmd>): void {
    this.seen.push(event);
    this.handle(event);
  }

  protected abstract handle(event: Event<Msg, Cmd>): void;

  hasReady(): boolean {
    return !isEmptyReady(this.rd);
  }

  ready(): Ready<Msg, Res, Cmd> {
    const rd = this.rd;
    this.rd = emptyReady();
    return rd;
  }
}

/** Ping/pong: answers every `ping` with a `pong`; sends `count` pings to `to` at start. */
export type PingMsg = { type: "ping" | "pong"; n: number };

export class PingNode extends ToyNode<PingMsg> {
  pongs = 0;
  constructor(id: NodeId, opts: { to?: NodeId; count?: number; timerMs?: number } = {}) {
    super(id);
    for (let n = 0; n < (opts.count ?? 0); n++) this.rd.send.push({ to: opts.to as NodeId, message: { type: "ping", n } });
    if (opts.timerMs !== undefined) this.rd.timers.push({ name: "tick", afterMs: opts.timerMs });
  }
  protected handle(event: Event<PingMsg, never>): void {
    if (event.type === "message" && event.message.type === "ping") {
      this.rd.send.push({ to: event.from, message: { type: "pong", n: event.message.n } });
    } else if (event.type === "message") {
      this.pongs++;
    }
  }
}

/**
 * Hot potato: every message received is passed to a random peer (drawn from the node's RNG),
 * so the number of messages in flight stays constant. The bench's workhorse.
 */
export class PotatoNode extends ToyNode<number> {
  private readonly peers: NodeId[];
  private readonly rng: Rng;
  constructor(id: NodeId, peers: NodeId[], rng: Rng, initial: number) {
    super(id);
    this.peers = peers.filter((p) => p !== id);
    this.rng = rng;
    for (let i = 0; i < initial; i++) this.rd.send.push({ to: this.pickPeer(), message: i });
  }
  private pickPeer(): NodeId {
    return this.peers[this.rng.nextInt(0, this.peers.length - 1)] as NodeId;
  }
  protected handle(event: Event<number, never>): void {
    if (event.type === "message") this.rd.send.push({ to: this.pickPeer(), message: event.message });
  }
}

/**
 * A node that, on every client request `{ n }`, persists `k<n>` and in the same ready notifies its
 * peer — so the notification must not leave before `k<n>` is durable — and replies ok.
 * On restart it reports which keys it kept.
 */
export type NoteMsg = { type: "note"; n: number };
export class PersistNotifyNode extends ToyNode<NoteMsg, { n: number }, number> {
  restoredKeys: string[] = [];
  constructor(
    id: NodeId,
    private readonly peer: NodeId,
  ) {
    super(id);
  }
  protected handle(event: Event<NoteMsg, { n: number }>): void {
    switch (event.type) {
      case "request": {
        const n = event.request.command.n;
        this.rd.persist.push({ key: `k${n}`, value: n });
        this.rd.send.push({ to: this.peer, message: { type: "note", n } });
        this.rd.replies.push({ clientId: event.request.clientId, seq: event.request.seq, ok: true, result: n });
        return;
      }
      case "restart":
        this.restoredKeys = [...event.durable.keys()];
        return;
      case "message":
      case "timer":
        return;
    }
  }
}

/** A node that records the `nowMs` of each event and re-arms a timer forever. */
export class ClockNode extends ToyNode<never> {
  readonly times: { name: string; nowMs: number }[] = [];
  constructor(
    id: NodeId,
    private readonly periodMs: number,
  ) {
    super(id);
    this.rd.timers.push({ name: "tick", afterMs: periodMs });
  }
  protected handle(event: Event<never, never>): void {
    if (event.type === "timer") {
      this.times.push({ name: event.name, nowMs: event.nowMs });
      this.rd.timers.push({ name: "tick", afterMs: this.periodMs });
    }
  }
}

/**
 * A tiny primary-backup register: the primary (first node) persists a write, replicates it to
 * every backup, and acknowledges once all backups acknowledged; reads are served by the primary.
 * Non-primaries answer `not-leader` with the primary as hint. Enough to exercise clients,
 * retries, crashes and histories without any real protocol.
 */
export type RegCmd = { op: "read" } | { op: "write"; value: number };
export type RegRes = { value: number | null };
export type RegMsg =
  | { type: "replicate"; seq: number; value: number; clientId: string; clientSeq: number }
  | { type: "ack"; seq: number };

export class RegisterNode extends ToyNode<RegMsg, RegCmd, RegRes> {
  private value: number | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { acks: number; reply: ClientReply<RegRes> }>();
  constructor(
    id: NodeId,
    private readonly nodes: NodeId[],
    durable: ReadonlyMap<string, Json>,
  ) {
    super(id);
    const v = durable.get("value");
    this.value = typeof v === "number" ? v : null;
  }
  private get primary(): NodeId {
    return this.nodes[0] as NodeId;
  }
  protected handle(event: Event<RegMsg, RegCmd>): void {
    switch (event.type) {
      case "request": {
        const { clientId, seq, command } = event.request;
        if (this.id !== this.primary) {
          this.rd.replies.push({ clientId, seq, ok: false, error: "not-leader", leaderHint: this.primary });
          return;
        }
        if (command.op === "read") {
          this.rd.replies.push({ clientId, seq, ok: true, result: { value: this.value } });
          return;
        }
        this.value = command.value;
        this.rd.persist.push({ key: "value", value: command.value });
        const s = ++this.seq;
        const backups = this.nodes.filter((n) => n !== this.id);
        this.pending.set(s, { acks: 0, reply: { clientId, seq, ok: true, result: { value: command.value } } });
        for (const b of backups) this.rd.send.push({ to: b, message: { type: "replicate", seq: s, value: command.value, clientId, clientSeq: seq } });
        if (backups.length === 0) this.finish(s);
        return;
      }
      case "message": {
        const m = event.message;
        if (m.type === "replicate") {
          this.value = m.value;
          this.rd.persist.push({ key: "value", value: m.value });
          this.rd.send.push({ to: event.from, message: { type: "ack", seq: m.seq } });
        } else {
          const p = this.pending.get(m.seq);
          if (p !== undefined && ++p.acks === this.nodes.length - 1) this.finish(m.seq);
        }
        return;
      }
      case "timer":
      case "restart":
        return;
    }
  }
  private finish(s: number): void {
    const p = this.pending.get(s);
    if (p === undefined) return;
    this.pending.delete(s);
    this.rd.replies.push(p.reply);
  }
}

/** Beacon: every `periodMs` (of its own clock) sends a numbered beacon to every peer. */
export class BeaconNode extends ToyNode<{ type: "beacon"; n: number }> {
  private n = 0;
  constructor(
    id: NodeId,
    private readonly peers: NodeId[],
    private readonly periodMs: number,
  ) {
    super(id);
    this.rd.timers.push({ name: "beacon", afterMs: periodMs });
  }
  protected handle(event: Event<{ type: "beacon"; n: number }, never>): void {
    if (event.type === "timer" || event.type === "restart") {
      const n = this.n++;
      for (const p of this.peers) if (p !== this.id) this.rd.send.push({ to: p, message: { type: "beacon", n } });
      this.rd.timers.push({ name: "beacon", afterMs: this.periodMs });
    }
  }
}

/**
 * The simulator's view of one node: its life (up, paused, syncing, down), its clock, its durable
 * storage with the writes still waiting for fsync, its armed timers and its inbox of events that
 * arrived while it could not step.
 *
 * @module
 */
import type { ClientRequest, DurableWrite, Json, NodeId, ProtocolNode, Ready } from "@synod/protocol";
import { SimulationError } from "./errors.js";
import type { SeededRng } from "@synod/protocol";

/** An event waiting in a node's inbox (the same objects the event queue carries). */
export type InboxItem<Msg, Cmd> =
  | { kind: "deliver"; from: number; to: number; message: Msg; recordId: number }
  | { kind: "timer"; node: number; name: string; token: number }
  | { kind: "request"; node: number; client: number; request: ClientRequest<Cmd> };

/** A node's status as {@link Simulation.status} reports it. */
export type NodeStatus = "up" | "paused" | "syncing" | "down";

/** A ready whose writes are being made durable; its effects wait for that. */
export interface PendingSync<Msg, Cmd, Res> {
  ready: Ready<Msg, Res, Cmd>;
  step: number;
  /** The writes are durable but the node was paused, so the effects wait for `resume`. */
  written: boolean;
}

/** Per-node state held by the simulator (never by the node itself). */
export class NodeSlot<Msg, Cmd, Res> {
  readonly index: number;
  readonly id: NodeId;
  /** The node's own random stream, handed to `createNode`; it survives restarts. */
  readonly rng: SeededRng;
  /** Random stream for fsync latency and crash-time partial writes. */
  readonly storageRng: SeededRng;
  node: ProtocolNode<Msg, Cmd, Res> | null = null;
  incarnation = 0;
  down = false;
  paused = false;
  /** The ready whose writes are in fsync, or null. */
  syncing: PendingSync<Msg, Cmd, Res> | null = null;
  offsetMs: number;
  drift: number;
  /** What survives a crash. */
  readonly durable = new Map<string, Json>();
  /** Armed timers: name → token of the queue entry that will fire it. */
  timers = new Map<string, number>();
  /** Events that arrived while paused or syncing, stepped in arrival order later. */
  inbox: InboxItem<Msg, Cmd>[] = [];
  inboxHead = 0;

  /** @param index position in the node list; @param id node id; the rest as named. */
  constructor(index: number, id: NodeId, rng: SeededRng, storageRng: SeededRng, offsetMs: number, drift: number) {
    this.index = index;
    this.id = id;
    this.rng = rng;
    this.storageRng = storageRng;
    this.offsetMs = offsetMs;
    this.drift = drift;
  }

  /** The node's local clock reading at virtual time `nowUs`. */
  localNowMs(nowUs: number): number {
    const ms = nowUs / 1000;
    return this.drift === 0 ? ms + this.offsetMs : ms * (1 + this.drift) + this.offsetMs;
  }

  /** Virtual µs until a timer armed for `afterMs` of the node's local time fires. */
  timerDelayUs(afterMs: number): number {
    return Math.round((afterMs * 1000) / (1 + this.drift));
  }

  /** True when the node can step an event right now. */
  get canStep(): boolean {
    return !this.down && !this.paused && this.syncing === null;
  }

  /** Status for reporting. */
  get status(): NodeStatus {
    if (this.down) return "down";
    if (this.paused) return "paused";
    return this.syncing === null ? "up" : "syncing";
  }

  /** Queued inbox events. */
  get inboxSize(): number {
    return this.inbox.length - this.inboxHead;
  }

  /** Take the oldest inbox event. */
  shiftInbox(): InboxItem<Msg, Cmd> | undefined {
    if (this.inboxHead >= this.inbox.length) return undefined;
    const item = this.inbox[this.inboxHead];
    this.inbox[this.inboxHead++] = undefined as unknown as InboxItem<Msg, Cmd>;
    if (this.inboxHead === this.inbox.length) {
      this.inbox = [];
      this.inboxHead = 0;
    }
    return item;
  }

  /**
   * Apply writes to durable storage, in order. With `copy`, each value goes through JSON as it
   * would on a real disk: the node cannot later change what was stored by mutating its own
   * object, and a value JSON cannot hold is reported instead of silently kept.
   */
  applyWrites(writes: readonly DurableWrite[], copy: boolean): void {
    for (const w of writes) {
      if ("delete" in w) this.durable.delete(w.key);
      else this.durable.set(w.key, copy ? this.copyValue(w.key, w.value) : w.value);
    }
  }

  private copyValue(key: string, value: Json): Json {
    const text = JSON.stringify(value);
    if (text === undefined) {
      throw new SimulationError(`node ${this.id} persisted key ${JSON.stringify(key)} with a value JSON cannot store (${typeof value})`);
    }
    return JSON.parse(text) as Json;
  }

  /** A plain-object copy of durable storage (for records), keys in insertion order. */
  durableObject(): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const [k, v] of this.durable) out[k] = v;
    return out;
  }
}

/**
 * What a run records: messages (for space-time diagrams), node steps (for trace validation),
 * faults, and the shape of the whole log. Everything here is plain data; `JSON.stringify` of a
 * {@link SimulationLog} is byte-identical across runs with the same seed and options.
 *
 * @module
 */
import type { ClientRequest, Json, NodeId, Ready } from "@synod/protocol";
import type { Fault } from "./faults.js";
import type { HistoryEntry } from "./history.js";

/** Why a message never reached its destination's `step`. */
export type DropReason =
  /** Lost by the network's loss probability. */
  | "loss"
  /** Sender and receiver were on different sides of a partition or cut (at send or at delivery). */
  | "partition"
  /** The receiver was down when the message arrived, or crashed before stepping it. */
  | "node-down"
  /** The receiver was paused or syncing and its bounded inbox was full. */
  | "inbox-full"
  /** A Byzantine sender withheld it (`silent`, or a hook that returned no variant). */
  | "byzantine";

/** One message copy on the wire. A network duplicate is a second record with `duplicateOf`. */
export interface MessageRecord<Msg> {
  /** Position in the message log. */
  id: number;
  /** Sender. */
  from: NodeId;
  /** Receiver. */
  to: NodeId;
  /** When it left the sender (after the sender's writes of that ready were durable). */
  sentAtMs: number;
  /** Index of the step whose ready produced it. */
  step: number;
  /** The payload, as sent. */
  message: Msg;
  /** Set on the copy made by network duplication: the id of the original. */
  duplicateOf?: number;
  /** `in-flight` only for messages still travelling when the run stopped. */
  status: "in-flight" | "delivered" | "dropped";
  /** When it arrived at the receiver (for `delivered`; it may then wait in a paused node's inbox). */
  deliveredAtMs?: number;
  /** Why it was dropped (for `dropped`). */
  dropReason?: DropReason;
}

/** An event as recorded: like the protocol's `Event`, with a restart's durable map as a plain object. */
export type RecordedEvent<Msg, Cmd> =
  /** The node was just created; its first ready (e.g. timers armed by its constructor). */
  | { type: "start"; nowMs: number }
  /** No new event: the node still had a ready after its previous one was carried out. */
  | { type: "ready"; nowMs: number }
  | { type: "message"; nowMs: number; from: NodeId; message: Msg }
  | { type: "timer"; nowMs: number; name: string }
  | { type: "request"; nowMs: number; request: ClientRequest<Cmd> }
  | { type: "restart"; nowMs: number; durable: Record<string, Json> };

/** A message still travelling, or waiting in a paused or syncing node's inbox (see {@link Simulation.inFlight}). */
export interface InFlightMessage<Msg> {
  /** Sender. */
  from: NodeId;
  /** Receiver. */
  to: NodeId;
  /** The payload. */
  message: Msg;
  /** Its {@link MessageRecord} id (-1 when messages are not recorded). */
  messageId: number;
  /** `network`: not yet arrived (due at `dueAtMs`); `inbox`: arrived, not yet stepped. */
  where: "network" | "inbox";
  /** For `network`: when it is due to arrive. */
  dueAtMs?: number;
}

/** One node step: the event stepped and the ready it produced (`null` when it had nothing). */
export interface StepRecord<Msg, Cmd, Res> {
  /** Global step counter (also counted when the step log is off or full). */
  index: number;
  /** Virtual time of the step. */
  atMs: number;
  /** The node that stepped. */
  node: NodeId;
  /** Which life of the node (0 first, +1 per restart). */
  incarnation: number;
  /** What the node stepped (or `start` / `ready` for host-initiated readies). */
  event: RecordedEvent<Msg, Cmd>;
  /** For a `message` event: the id of its {@link MessageRecord} (-1 when messages are not recorded). */
  messageId?: number;
  /**
   * What `ready()` returned after the step (`null` when `hasReady()` was false). Empty lists are
   * one shared frozen empty array, to keep long recordings small.
   */
  ready: Ready<Msg, Res, Cmd> | null;
}

/** A fault as it was applied. */
export interface FaultRecord {
  /** Virtual time at which it struck. */
  atMs: number;
  /** Number of node steps taken before it. */
  afterStep: number;
  /** The fault as scheduled. */
  fault: Fault;
  /** `no-op` when the fault changed nothing (e.g. crashing a node that is already down). */
  effect: "applied" | "no-op";
  /** For a crash: how many writes were not yet durable and were lost. */
  lostWrites?: number;
}

/** Counters of a run. Kept even when recording is off. */
export interface SimulationStats {
  /** Processed events (the budget's unit). */
  events: number;
  /** Node steps (including `start` and `ready` steps). */
  steps: number;
  /** Messages handed to the network (duplicates not counted). */
  messagesSent: number;
  /** Message copies that reached their receiver. */
  messagesDelivered: number;
  /** Extra copies made by network duplication. */
  messagesDuplicated: number;
  /**
   * Message copies lost, by reason (`byzantine` appears only once a faulty node withheld one, so
   * logs of runs without Byzantine faults are unchanged).
   */
  messagesDropped: Record<Exclude<DropReason, "byzantine">, number> & { byzantine?: number };
  /** Timer events stepped. */
  timersFired: number;
  /** Readies that persisted something. */
  fsyncs: number;
  /** Client attempts sent (retries included). */
  clientRequests: number;
  /** Replies that reached a waiting client. */
  clientReplies: number;
  /** Replies that arrived after their operation had completed (or for unknown clients). */
  clientRepliesIgnored: number;
  /**
   * Replies the client's reply rule rejected as unauthentic (present only once one was, so logs of
   * runs without a reply rule are unchanged).
   */
  clientRepliesRejected?: number;
  /** Crashes applied (no-ops not counted). */
  crashes: number;
  /** Restarts applied. */
  restarts: number;
}

/** Why {@link Simulation.run} returned. */
export type StopReason =
  /** Nothing left to do: the event queue is empty. */
  | "idle"
  /** The next event is past `budget.maxTimeMs` (or past `runUntil`'s limit). */
  | "time-budget"
  /** `budget.maxEvents` events were processed. */
  | "event-budget"
  /** A hook called {@link Simulation.stop}. */
  | "stopped";

/** Everything a run recorded. */
export interface SimulationLog<Msg, Cmd, Res> {
  /** The run's seed. */
  seed: number;
  /** The node ids, in order. */
  nodes: NodeId[];
  /** Virtual time when the log was taken. */
  nowMs: number;
  /** Counters of the run. */
  stats: SimulationStats;
  /** Faults as applied, in order. */
  faults: FaultRecord[];
  /** Every message copy, by id. */
  messages: MessageRecord<Msg>[];
  /** Every node step, by index. */
  steps: StepRecord<Msg, Cmd, Res>[];
  /** The client history (lincheck's JSON shape). */
  history: HistoryEntry[];
  /** Records not kept because a log reached `maxRecords`. */
  truncated: { messages: number; steps: number; faults: number; history: number };
}

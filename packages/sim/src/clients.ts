/**
 * Simulated clients: their operations, attempts, retries and deadlines, and the history they
 * write in lincheck's shape. The simulator owns the clock and the event queue; this module owns
 * everything a client knows.
 *
 * @module
 */
import type { ClientReply, ClientRequest, Json, NodeId, ReplyRule } from "@synod/protocol";
import { SimulationError } from "./errors.js";
import type { ClientOutcome, HistoryAdapter, HistoryEntry } from "./history.js";
import { type LatencyDistribution, sampleLatencyUs } from "./latency.js";
import { type RetryPolicy, validateRetry } from "./options.js";
import type { SimulationStats } from "./records.js";
import { SeededRng } from "@synod/protocol";

/** Options of one {@link Simulation.invoke} call. */
export interface InvokeOptions<Res> {
  /** Overall deadline; past it the operation is recorded as `info`. Default: `clients.timeoutMs`. */
  timeoutMs?: number;
  /** Retry policy for this operation (`null`: exactly one attempt). Default: `clients.retry`. */
  retry?: RetryPolicy | null;
  /** Called once when the operation completes (ok, fail or info). */
  onDone?: (outcome: ClientOutcome<Res>) => void;
}

/** A client's timer in the event queue. */
export interface ClientTimerItem {
  kind: "client-timer";
  client: number;
  op: number;
  attempt: number;
  purpose: "attempt" | "op" | "retry";
  /** For `retry`: the node to try next. */
  target: number;
}

/** What clients put in the simulator's event queue. */
export type ClientQueueItem<Cmd, Res> =
  | { kind: "request"; node: number; client: number; request: ClientRequest<Cmd> }
  | { kind: "reply"; client: number; node: number; reply: ClientReply<Res> }
  | ClientTimerItem;

/** What the clients need from the simulator. */
export interface ClientHost<Cmd, Res> {
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly nodeIndex: ReadonlyMap<NodeId, number>;
  readonly stats: SimulationStats;
  nowUs(): number;
  push(timeUs: number, item: ClientQueueItem<Cmd, Res>): void;
}

/** Settings of the client side. */
export interface ClientSettings<Cmd, Res> {
  latency: LatencyDistribution;
  lossProbability: number;
  timeoutMs: number;
  retry: RetryPolicy | null;
  adapter: HistoryAdapter<Cmd, Res>;
  recordHistory: boolean;
  maxRecords: number;
  /** Matching `ok` replies from distinct nodes that complete an operation. */
  replyQuorum: number;
  /** Called on every attempt's request before it leaves the client. */
  seal: ((request: ClientRequest<Cmd>) => ClientRequest<Cmd>) | undefined;
  /** A fresh reply rule per operation (replaces `replyQuorum`); see `SimulationOptions.replyRule`. */
  replyRule: ((clientId: string) => ReplyRule<Res>) | undefined;
}

interface ClientState<Cmd, Res> {
  index: number;
  id: string;
  process: number;
  seq: number;
  rng: SeededRng;
  op: OpState<Cmd, Res> | null;
}

interface OpState<Cmd, Res> {
  id: number;
  seq: number;
  command: Cmd;
  invoked: { f: string; value: Json; key?: string };
  target: number;
  attempt: number;
  /** An attempt is on its way or awaiting its answer. */
  attemptOpen: boolean;
  /** Some attempt may have taken effect (timed out, or answered `unavailable`). */
  maybeApplied: boolean;
  retry: RetryPolicy | null;
  onDone: ((outcome: ClientOutcome<Res>) => void) | undefined;
  /** With a reply quorum above 1: the nodes that sent each distinct `ok` result. */
  votes: Map<string, Set<number>> | null;
  /** With a reply rule: this operation's. */
  rule: ReplyRule<Res> | null;
}

/** All simulated clients of one simulation. */
export class Clients<Cmd, Res> {
  private readonly states: ClientState<Cmd, Res>[] = [];
  private readonly byId = new Map<string, number>();
  private readonly log: HistoryEntry[] = [];
  private truncatedCount = 0;
  private opCounter = 0;
  private nextProcess = 0;

  /** @param host the simulator's side; @param settings the client options, resolved. */
  constructor(
    private readonly host: ClientHost<Cmd, Res>,
    private readonly settings: ClientSettings<Cmd, Res>,
  ) {}

  /** The history so far (the live array: copy before handing out). */
  get history(): readonly HistoryEntry[] {
    return this.log;
  }

  /** History entries not kept because the log was full. */
  get truncated(): number {
    return this.truncatedCount;
  }

  /** Start an operation (see {@link Simulation.invoke}); `targetIndex` is the node's index. */
  invoke(clientId: string, command: Cmd, targetIndex: number, options: InvokeOptions<Res>): void {
    if (options.retry) validateRetry(options.retry, "invoke.retry");
    const client = this.client(clientId);
    if (client.op !== null) {
      throw new Error(`client ${JSON.stringify(clientId)} already has operation seq ${client.op.seq} in flight; a client runs one at a time`);
    }
    const op: OpState<Cmd, Res> = {
      id: ++this.opCounter,
      seq: ++client.seq,
      command,
      invoked: this.settings.adapter.invoke(command),
      target: targetIndex,
      attempt: 0,
      attemptOpen: false,
      maybeApplied: false,
      retry: options.retry === undefined ? this.settings.retry : options.retry,
      onDone: options.onDone,
      votes: this.settings.replyRule === undefined && this.settings.replyQuorum > 1 ? new Map() : null,
      rule: this.settings.replyRule === undefined ? null : this.settings.replyRule(clientId),
    };
    client.op = op;
    this.record(client.process, "invoke", op.invoked.f, op.invoked.value, op.invoked.key);
    const timeoutUs = Math.round((options.timeoutMs ?? this.settings.timeoutMs) * 1000);
    this.host.push(this.host.nowUs() + timeoutUs, { kind: "client-timer", client: client.index, op: op.id, attempt: 0, purpose: "op", target: 0 });
    this.sendAttempt(client, op, targetIndex);
  }

  private client(id: string): ClientState<Cmd, Res> {
    const existing = this.byId.get(id);
    if (existing !== undefined) return this.states[existing] as ClientState<Cmd, Res>;
    const state: ClientState<Cmd, Res> = {
      index: this.states.length,
      id,
      process: this.nextProcess++,
      seq: 0,
      rng: SeededRng.derive(this.host.seed, `client:${id}`),
      op: null,
    };
    this.byId.set(id, state.index);
    this.states.push(state);
    return state;
  }

  private sendAttempt(client: ClientState<Cmd, Res>, op: OpState<Cmd, Res>, target: number): void {
    op.attempt++;
    op.target = target;
    op.attemptOpen = true;
    this.host.stats.clientRequests++;
    const unsealed: ClientRequest<Cmd> = { clientId: client.id, seq: op.seq, command: op.command };
    const request = this.settings.seal === undefined ? unsealed : this.settings.seal(unsealed);
    if (!client.rng.chance(this.settings.lossProbability)) {
      const at = this.host.nowUs() + sampleLatencyUs(this.settings.latency, client.rng);
      this.host.push(at, { kind: "request", node: target, client: client.index, request });
    }
    if (op.retry !== null) {
      const at = this.host.nowUs() + Math.round(op.retry.attemptTimeoutMs * 1000);
      this.host.push(at, { kind: "client-timer", client: client.index, op: op.id, attempt: op.attempt, purpose: "attempt", target: 0 });
    }
  }

  /** A node replied: send the reply over the client link. */
  sendReply(from: number, reply: ClientReply<Res>): void {
    const index = this.byId.get(reply.clientId);
    if (index === undefined) {
      this.host.stats.clientRepliesIgnored++;
      return;
    }
    const client = this.states[index] as ClientState<Cmd, Res>;
    if (client.rng.chance(this.settings.lossProbability)) return;
    const at = this.host.nowUs() + sampleLatencyUs(this.settings.latency, client.rng);
    this.host.push(at, { kind: "reply", client: index, node: from, reply });
  }

  /** A reply reached its client. */
  arriveReply(clientIndex: number, nodeIndex: number, arrived: ClientReply<Res>): void {
    let reply = arrived;
    const client = this.states[clientIndex] as ClientState<Cmd, Res>;
    const op = client.op;
    const node = this.host.nodes[nodeIndex] as NodeId;
    if (op === null || reply.seq !== op.seq) {
      this.host.stats.clientRepliesIgnored++;
      return;
    }
    this.host.stats.clientReplies++;
    if (op.rule !== null) {
      const verdict = op.rule.offer(node, reply);
      if (verdict.type === "reject") {
        this.host.stats.clientRepliesRejected = (this.host.stats.clientRepliesRejected ?? 0) + 1;
        return;
      }
      if (verdict.type === "wait") return;
      reply = verdict.reply;
      if (reply.ok) {
        this.complete(client, { type: "ok", result: reply.result, node });
        return;
      }
    } else if (reply.ok) {
      if (op.votes !== null) {
        // A result counts once f + 1 (the quorum) distinct nodes sent it: one of them is correct.
        const key = JSON.stringify(reply.result) ?? "undefined";
        let from = op.votes.get(key);
        if (from === undefined) {
          from = new Set();
          op.votes.set(key, from);
        }
        from.add(nodeIndex);
        if (from.size < this.settings.replyQuorum) return;
      }
      this.complete(client, { type: "ok", result: reply.result, node });
      return;
    }
    // An error from a node other than the one we are waiting on answers an abandoned attempt.
    if (nodeIndex !== op.target || !op.attemptOpen) {
      this.host.stats.clientRepliesIgnored++;
      return;
    }
    op.attemptOpen = false;
    switch (reply.error) {
      case "rejected":
        this.complete(client, { type: "fail", error: "rejected", node, ...(reply.detail === undefined ? {} : { detail: reply.detail }) });
        return;
      case "not-leader":
      case "unavailable": {
        if (reply.error === "unavailable") op.maybeApplied = true;
        if (op.retry === null) {
          this.complete(
            client,
            op.maybeApplied ? { type: "info", reason: reply.error, node } : { type: "fail", error: "not-leader", node },
          );
          return;
        }
        const hint = op.retry.followLeaderHint && reply.leaderHint !== undefined ? this.host.nodeIndex.get(reply.leaderHint) : undefined;
        const next = hint ?? (op.target + 1) % this.host.nodes.length;
        const at = this.host.nowUs() + Math.round(op.retry.backoffMs * 1000);
        this.host.push(at, { kind: "client-timer", client: clientIndex, op: op.id, attempt: op.attempt, purpose: "retry", target: next });
        return;
      }
      default: {
        const never: never = reply.error;
        throw new SimulationError(`node ${node} replied with an unknown error ${JSON.stringify(never)}`);
      }
    }
  }

  /** A client's timer (attempt timeout, operation deadline, retry back-off) fired. */
  clientTimer(item: ClientTimerItem): void {
    const client = this.states[item.client] as ClientState<Cmd, Res>;
    const op = client.op;
    if (op === null || op.id !== item.op) return;
    switch (item.purpose) {
      case "op":
        this.complete(
          client,
          op.maybeApplied || op.attemptOpen ? { type: "info", reason: "timeout" } : { type: "fail", error: "not-leader", node: this.host.nodes[op.target] as NodeId },
        );
        return;
      case "attempt":
        if (item.attempt !== op.attempt || !op.attemptOpen) return;
        op.maybeApplied = true;
        this.sendAttempt(client, op, (op.target + 1) % this.host.nodes.length);
        return;
      case "retry":
        if (item.attempt !== op.attempt) return;
        this.sendAttempt(client, op, item.target);
        return;
      default: {
        const never: never = item.purpose;
        throw new SimulationError(`internal: unknown client timer ${JSON.stringify(never)}`);
      }
    }
  }

  private complete(client: ClientState<Cmd, Res>, outcome: ClientOutcome<Res>): void {
    const op = client.op as OpState<Cmd, Res>;
    client.op = null;
    const { f, value, key } = op.invoked;
    switch (outcome.type) {
      case "ok":
        this.record(client.process, "ok", f, this.settings.adapter.ok(op.command, outcome.result), key);
        break;
      case "fail":
        this.record(client.process, "fail", f, value, key);
        break;
      case "info":
        this.record(client.process, "info", f, value, key);
        // Jepsen's rule: a process whose operation is indeterminate never issues again.
        client.process = this.nextProcess++;
        break;
      default: {
        const never: never = outcome;
        throw new SimulationError(`internal: unknown outcome ${JSON.stringify(never)}`);
      }
    }
    op.onDone?.(outcome);
  }

  private record(process: number, type: HistoryEntry["type"], f: string, value: Json, key: string | undefined): void {
    if (!this.settings.recordHistory) return;
    if (this.log.length >= this.settings.maxRecords) {
      this.truncatedCount++;
      return;
    }
    const entry: HistoryEntry = { process, type, f, value, time: this.host.nowUs() * 1000 };
    if (key !== undefined) entry.key = key;
    this.log.push(entry);
  }
}

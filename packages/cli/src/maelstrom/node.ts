/**
 * One node speaking Maelstrom's protocol: a kit's served node behind a {@link NodeHost}, with
 * Maelstrom's network in place of TCP. Peer messages travel as `{type:"synod", msg}` bodies;
 * a client's `read` / `write` / `cas` becomes the KV service's command with the client's id and
 * `msg_id` as the `(clientId, seq)` the service deduplicates on.
 *
 * Maelstrom's clients cannot follow redirects, so a node that is not the leader forwards the request
 * to the leader it knows (`synod_forward`), which answers the forwarding node (`synod_reply`),
 * which answers the client. A node never retries a request that may have taken effect: it asks
 * again only after a `not-leader` answer (which means it was not accepted): it forwards to the
 * hinted leader (at most {@link FORWARD_HOPS_MAX} times in a row), or, with no leader known,
 * asks its own node again after {@link RETRY_PAUSE_MS}, until the request timeout.
 *
 * Errors and what they promise (see errors.ts): no leader found within the request timeout while
 * no attempt was outstanding → 11 temporarily-unavailable (definite); the leader lost leadership
 * while a write was pending → 13 crash, no answer within the request timeout → 0 timeout (both
 * indefinite; for reads, which never take effect, 11); a refused command → 14 abort; malformed
 * requests → 12; unknown types → 10.
 *
 * @module
 */
import type { AnyKit, ServeTuning } from "@synod/conformance";
import type { KvCommand, KvResult } from "@synod/kv";
import type { ClientReply, Json, NodeId, ProtocolNode, Rng } from "@synod/protocol";
import { NodeHost, type DurableSink } from "../host/node-host.js";
import type { NodeLog } from "../ops/node-log.js";
import { statusEvents } from "../ops/status-events.js";
import { MAELSTROM_ERRORS, type MaelstromErrorKind } from "./errors.js";
import { checkLinKv, parseLine, type LinKvRequest, type MaelstromBody, type MaelstromMessage } from "./messages.js";

/** How many times in a row one client request is forwarded after `not-leader` answers. */
export const FORWARD_HOPS_MAX = 3;

/** The pause before asking again when no node knew a leader. */
export const RETRY_PAUSE_MS = 50;

/** Where a node keeps its durable state: recovered on init, written before anything leaves. */
export interface MaelstromStorage {
  /** What was recovered (empty on a first start). */
  durable: ReadonlyMap<string, Json>;
  sink: DurableSink;
}

/** Options for {@link MaelstromNode}. */
export interface MaelstromNodeOptions {
  /** A kit with a served node whose service is `kv`. */
  kit: AnyKit;
  /** Write one message line to stdout (without the newline). */
  write(line: string): void;
  /** Where the node logs (stderr). */
  log: NodeLog;
  rng: Rng;
  tuning: ServeTuning;
  protocolOptions: { [key: string]: Json };
  /** Answer a client with an error after this long without an outcome. */
  requestTimeoutMs: number;
  /** Storage for node `id`, opened at init. Default: in memory. */
  openStorage?(id: NodeId): MaelstromStorage;
  /** Called when the host stopped on a fatal error. */
  onFatal(err: unknown): void;
}

interface Pending {
  client: string;
  msgId: number;
  request: LinKvRequest;
  command: KvCommand;
  hops: number;
  timer: NodeJS.Timeout;
  /** Waiting out a pause after every node refused it (`not-leader`): nothing of it is in flight. */
  pausedUntilRetry: NodeJS.Timeout | null;
}

interface Running {
  id: NodeId;
  nodeIds: NodeId[];
  host: NodeHost<unknown, unknown, unknown>;
  /** Requests of this node's clients, by `client \0 msgId`. */
  pending: Map<string, Pending>;
  /** Requests other nodes forwarded here: whom to answer. */
  forwarded: Map<string, { origin: NodeId; timer: NodeJS.Timeout }>;
}

/** A Maelstrom node. Feed it stdin lines with {@link MaelstromNode.handleLine}. */
export class MaelstromNode {
  private running: Running | null = null;
  private nextMsgId = 1;
  /** Before init, the id Maelstrom addressed us by: the `src` of our error answers. */
  private addressedAs = "uninitialised";
  private readonly o: MaelstromNodeOptions;

  constructor(options: MaelstromNodeOptions) {
    if (options.kit.serve === undefined) throw new Error(`${options.kit.name} has no served node`);
    this.o = options;
  }

  /** The node's id once `init` arrived. */
  get id(): NodeId | null {
    return this.running?.id ?? null;
  }

  /** Handle one line of input. Never throws on bad input: it answers with an error or logs. */
  handleLine(line: string): void {
    if (line.trim() === "") return;
    const parsed = parseLine(line);
    if (parsed.kind === "malformed") {
      this.o.log.event("malformed-input", { problem: parsed.problem, line: line.slice(0, 200) }, "warn");
      if (parsed.replyTo) this.sendError(parsed.replyTo.src, parsed.replyTo.msgId, MAELSTROM_ERRORS.malformedRequest, parsed.problem);
      return;
    }
    this.handleMessage(parsed.message);
  }

  /** Stop timers; the process may exit. */
  stop(): void {
    const r = this.running;
    if (!r) return;
    r.host.stop();
    for (const p of r.pending.values()) {
      clearTimeout(p.timer);
      if (p.pausedUntilRetry !== null) clearTimeout(p.pausedUntilRetry);
    }
    for (const f of r.forwarded.values()) clearTimeout(f.timer);
  }

  private handleMessage(m: MaelstromMessage): void {
    const { body } = m;
    if (this.running === null) this.addressedAs = m.dest;
    if (body.type === "init") return this.init(m);
    const r = this.running;
    if (r === null) {
      if (body.msg_id !== undefined) this.sendError(m.src, body.msg_id, MAELSTROM_ERRORS.temporarilyUnavailable, "not initialised yet: init comes first");
      return;
    }
    if (m.dest !== r.id) {
      this.o.log.event("misrouted", { dest: m.dest, type: body.type }, "warn");
      return;
    }
    switch (body.type) {
      case "synod":
        return this.fromPeer(r, m.src, body);
      case "synod_forward":
        return this.forwardedIn(r, m.src, body);
      case "synod_reply":
        return this.replyIn(r, m.src, body);
      case "read":
      case "write":
      case "cas":
        return this.clientRequest(r, m.src, body);
      default:
        if (body.msg_id !== undefined) this.sendError(m.src, body.msg_id, MAELSTROM_ERRORS.notSupported, `${body.type} is not supported (lin-kv: read, write, cas)`);
        else this.o.log.event("unknown-message", { src: m.src, type: body.type }, "warn");
    }
  }

  private init(m: MaelstromMessage): void {
    const { body } = m;
    const nodeId = body["node_id"];
    const nodeIds = body["node_ids"];
    const reply = (problem: string | null): void => {
      if (body.msg_id === undefined) return;
      if (problem === null) this.send(m.src, { type: "init_ok", in_reply_to: body.msg_id });
      else this.sendError(m.src, body.msg_id, MAELSTROM_ERRORS.malformedRequest, problem);
    };
    if (typeof nodeId !== "string" || nodeId === "") return reply("init: node_id must be a non-empty string");
    if (!Array.isArray(nodeIds) || !nodeIds.every((n) => typeof n === "string" && n !== "") || new Set(nodeIds).size !== nodeIds.length) {
      return reply("init: node_ids must be distinct non-empty strings");
    }
    if (!nodeIds.includes(nodeId)) return reply(`init: node_ids does not list node_id ${nodeId}`);
    if (this.running !== null) {
      const same = this.running.id === nodeId && this.running.nodeIds.join("\u0000") === (nodeIds as string[]).join("\u0000");
      return reply(same ? null : `already initialised as ${this.running.id} of ${this.running.nodeIds.join(",")}`);
    }
    const kit = this.o.kit;
    const served = kit.serve!;
    const ids = nodeIds as string[];
    const storage = this.o.openStorage?.(nodeId) ?? memoryStorage();
    let node: ProtocolNode<unknown, unknown, unknown>;
    try {
      node = served.createNode({ id: nodeId, peers: ids.filter((n) => n !== nodeId), rng: this.o.rng, durable: storage.durable, tuning: this.o.tuning, options: this.o.protocolOptions });
    } catch (err) {
      return reply(`init: ${kit.name} cannot start: ${(err as Error).message}`);
    }
    let last = kit.status(node);
    const running: Running = {
      id: nodeId,
      nodeIds: ids,
      pending: new Map(),
      forwarded: new Map(),
      host: new NodeHost<unknown, unknown, unknown>({
        node,
        storage: storage.sink,
        outputs: {
          send: (to, message) => this.send(to, { type: "synod", msg: message as Json }),
          reply: (rep) => this.hostReply(running, rep as ClientReply<KvResult>),
        },
        onProcessed: () => {
          const now = kit.status(node);
          for (const e of statusEvents(last, now)) this.o.log.event(e.event, e.fields);
          last = now;
        },
        onFatal: (err) => this.o.onFatal(err),
      }),
    };
    this.running = running;
    running.host.start();
    this.o.log.event("started", { protocol: kit.name, node: nodeId, members: ids });
    reply(null);
  }

  private fromPeer(r: Running, src: string, body: MaelstromBody): void {
    if (!r.nodeIds.includes(src) || src === r.id) return this.o.log.event("dropped", { src, reason: "synod message from a non-member" }, "warn");
    const problem = this.o.kit.serve!.checkMessage(body["msg"]);
    if (problem !== null) return this.o.log.event("dropped", { src, reason: `malformed peer message: ${problem}` }, "warn");
    r.host.deliverMessage(src, body["msg"]);
  }

  private clientRequest(r: Running, src: string, body: MaelstromBody): void {
    if (body.msg_id === undefined) return this.o.log.event("dropped", { src, reason: `${body.type} without msg_id cannot be answered` }, "warn");
    const request = checkLinKv(body);
    if (typeof request === "string") return this.sendError(src, body.msg_id, MAELSTROM_ERRORS.malformedRequest, request);
    const key = keyOf(src, body.msg_id);
    if (r.pending.has(key)) return this.sendError(src, body.msg_id, MAELSTROM_ERRORS.malformedRequest, `msg_id ${body.msg_id} is already in flight`);
    const command = toKvCommand(request);
    const msgId = body.msg_id;
    const timer = setTimeout(() => {
      const p = r.pending.get(key);
      if (p?.timer !== timer) return;
      r.pending.delete(key);
      if (p.pausedUntilRetry !== null) {
        // Every attempt was refused before it was accepted anywhere: it definitely did not happen.
        clearTimeout(p.pausedUntilRetry);
        return this.sendError(src, msgId, MAELSTROM_ERRORS.temporarilyUnavailable, `no leader within ${this.o.requestTimeoutMs} ms`);
      }
      this.sendError(src, msgId, request.type === "read" ? MAELSTROM_ERRORS.temporarilyUnavailable : MAELSTROM_ERRORS.timeout, `no outcome within ${this.o.requestTimeoutMs} ms`);
    }, this.o.requestTimeoutMs);
    r.pending.set(key, { client: src, msgId, request, command, hops: 0, timer, pausedUntilRetry: null });
    r.host.submitRequest({ clientId: src, seq: msgId, command });
  }

  private forwardedIn(r: Running, src: string, body: MaelstromBody): void {
    const client = body["client"];
    const seq = body["seq"];
    const command = body["command"];
    if (!r.nodeIds.includes(src) || typeof client !== "string" || !Number.isSafeInteger(seq) || typeof command !== "object" || command === null) {
      return this.o.log.event("dropped", { src, reason: "malformed synod_forward" }, "warn");
    }
    const key = keyOf(client, seq as number);
    const previous = r.forwarded.get(key);
    if (previous) clearTimeout(previous.timer);
    // Forget the origin once its client has given up, so the table stays bounded.
    const timer = setTimeout(() => r.forwarded.delete(key), 2 * this.o.requestTimeoutMs);
    r.forwarded.set(key, { origin: src, timer });
    r.host.submitRequest({ clientId: client, seq: seq as number, command });
  }

  private replyIn(r: Running, src: string, body: MaelstromBody): void {
    const reply = body["reply"] as ClientReply<KvResult> | undefined;
    if (!r.nodeIds.includes(src) || typeof reply !== "object" || reply === null || typeof reply.clientId !== "string" || !Number.isSafeInteger(reply.seq) || typeof reply.ok !== "boolean") {
      return this.o.log.event("dropped", { src, reason: "malformed synod_reply" }, "warn");
    }
    this.answer(r, reply);
  }

  /** The local host answered a request: a forwarded one goes back to its origin. */
  private hostReply(r: Running, reply: ClientReply<KvResult>): void {
    const key = keyOf(reply.clientId, reply.seq);
    const f = r.forwarded.get(key);
    if (f !== undefined) {
      clearTimeout(f.timer);
      r.forwarded.delete(key);
      this.send(f.origin, { type: "synod_reply", reply: reply as unknown as Json });
      return;
    }
    this.answer(r, reply);
  }

  /** Turn the service's reply to one of our clients' requests into Maelstrom's answer. */
  private answer(r: Running, reply: ClientReply<KvResult>): void {
    const key = keyOf(reply.clientId, reply.seq);
    const p = r.pending.get(key);
    if (p === undefined) return; // answered already (timed out), or not ours
    if (!reply.ok && reply.error === "not-leader") {
      // Not accepted: forwarding cannot apply it twice.
      const hint = reply.leaderHint;
      if (hint !== undefined && hint !== r.id && r.nodeIds.includes(hint) && p.hops < FORWARD_HOPS_MAX) {
        p.hops++;
        this.send(hint, { type: "synod_forward", client: p.client, seq: p.msgId, command: p.command as unknown as Json });
        return;
      }
      // No leader to forward to (an election is under way): ask again shortly, here, until the
      // request times out. Maelstrom's clients cannot wait for a leader themselves.
      p.hops = 0;
      p.pausedUntilRetry = setTimeout(() => {
        if (r.pending.get(key) !== p) return;
        p.pausedUntilRetry = null;
        r.host.submitRequest({ clientId: p.client, seq: p.msgId, command: p.command });
      }, RETRY_PAUSE_MS);
      return;
    }
    clearTimeout(p.timer);
    r.pending.delete(key);
    if (reply.ok) return this.ok(p, reply.result);
    switch (reply.error) {
      case "not-leader":
        throw new Error("unreachable: not-leader is retried above");
      case "unavailable":
        // A write may have been appended before leadership was lost: its outcome is unknown.
        return this.sendError(p.client, p.msgId, p.request.type === "read" ? MAELSTROM_ERRORS.temporarilyUnavailable : MAELSTROM_ERRORS.crash, reply.detail ?? "unavailable");
      case "rejected":
        return this.sendError(p.client, p.msgId, MAELSTROM_ERRORS.abort, reply.detail ?? "rejected");
      default: {
        const never: never = reply.error;
        throw new Error(`unknown error ${String(never)}`);
      }
    }
  }

  private ok(p: Pending, result: KvResult): void {
    switch (p.request.type) {
      case "read": {
        const value = "value" in result ? (result.value ?? null) : null;
        if (value === null) return this.sendError(p.client, p.msgId, MAELSTROM_ERRORS.keyDoesNotExist, "key does not exist");
        return this.send(p.client, { type: "read_ok", in_reply_to: p.msgId, value: JSON.parse(value) as Json });
      }
      case "write":
        return this.send(p.client, { type: "write_ok", in_reply_to: p.msgId });
      case "cas": {
        if ("ok" in result && result.ok) return this.send(p.client, { type: "cas_ok", in_reply_to: p.msgId });
        const current = "value" in result ? (result.value ?? null) : null;
        if (current === null) return this.sendError(p.client, p.msgId, MAELSTROM_ERRORS.keyDoesNotExist, "key does not exist");
        return this.sendError(p.client, p.msgId, MAELSTROM_ERRORS.preconditionFailed, `expected ${JSON.stringify(p.request.from)}, found ${current}`);
      }
    }
  }

  private sendError(dest: string, inReplyTo: number, kind: MaelstromErrorKind, text: string): void {
    this.send(dest, { type: "error", in_reply_to: inReplyTo, code: kind.code, text });
  }

  private send(dest: string, body: { type: string; [key: string]: Json }): void {
    const src = this.running?.id ?? this.addressedAs;
    this.o.write(JSON.stringify({ src, dest, body: { ...body, msg_id: this.nextMsgId++ } }));
  }
}

/** Keys and values are any JSON; the KV service stores strings, so both travel as their JSON text. */
function toKvCommand(r: LinKvRequest): KvCommand {
  const key = JSON.stringify(r.key);
  switch (r.type) {
    case "read":
      return { op: "get", key };
    case "write":
      return { op: "put", key, value: JSON.stringify(r.value) };
    case "cas":
      return { op: "cas", key, expected: JSON.stringify(r.from), value: JSON.stringify(r.to) };
  }
}

function keyOf(client: string, msgId: number): string {
  return `${client}\u0000${msgId}`;
}

function memoryStorage(): MaelstromStorage {
  const durable = new Map<string, Json>();
  return {
    durable,
    sink: {
      append(writes) {
        for (const w of writes) {
          if ("delete" in w) durable.delete(w.key);
          else durable.set(w.key, w.value);
        }
      },
    },
  };
}

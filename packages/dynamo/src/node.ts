/**
 * A Dynamo node as a pure state machine: a replica of the keys the ring gives it, a coordinator of
 * the requests clients send it, a keeper of hints for owners that are away, and one side of
 * anti-entropy with each peer. No clock, no randomness beyond the injected `Rng`, no I/O: the host
 * carries out each {@link Ready} in order (persist, then send, reply and arm timers).
 *
 * Requests. A node that receives a request for a key coordinates it when it is the first node of
 * the key's preference list it does not suspect (Dynamo §4.5: "typically the first among the top
 * N"); any other node answers `not-leader` with that node as the hint. A coordinator writes or
 * reads its own replica first, then asks the other replicas and answers once W (R) of them, itself
 * included, have. A retried put from the same client reaches the same coordinator, which replays
 * its first attempt instead of writing twice.
 *
 * Storage keys: `kv/<key>` a replica's siblings; `hint/<owner>/<key>` siblings kept for `owner`.
 *
 * @module
 */
import { emptyReady, type ClientReply, type Event, type Json, type NodeId, type ProtocolNode, type Ready, type Rng } from "@synod/protocol";
import { MerkleTree, bucketOf, DEPTH, FANOUT } from "./merkle.js";
import { checkCommand, checkMessage, checkSiblings, type DynamoCommand, type DynamoMessage, type DynamoResult, type Quorum, type QuorumUsed } from "./messages.js";
import { DynamoConfigError, resolveOptions, type DynamoOptions, type ResolvedOptions } from "./options.js";
import { Ring } from "./ring.js";
import { contextOf, digestOf, formatDot, reflects, sync, update, type Dot, type Sibling } from "./version.js";

/** Durable state that cannot be read back (a corrupt store: the node must not start). */
export class DynamoStorageError extends Error {
  override name = "DynamoStorageError";
}

/** A request a coordinator is running. */
interface Pending {
  id: string;
  kind: "get" | "put";
  key: string;
  clientId: string;
  seq: number;
  n: number;
  r: number;
  w: number;
  /** The replicas asked, in ring order. */
  targets: NodeId[];
  /** Stand-ins (sloppy quorums) and the owner each stands in for. */
  hints: Map<NodeId, NodeId>;
  /** put: replicas that acknowledged; get (blocking repair): replicas known to hold `merged`. */
  acks: Set<NodeId>;
  /** get: what each replica answered. */
  replies: Map<NodeId, Sibling[]>;
  /** put: the write's dot. */
  dot: Dot | null;
  /** put: the sibling it wrote (null: a retry of a write since replaced here). */
  written: Sibling | null;
  /** Whether its silent targets were replaced (sloppy quorums; once per request). */
  retargeted: boolean;
  /** get: the merge of the quorum's replies, once there is one. */
  merged: Sibling[] | null;
  /** Targets that answered anything (acks, replies). */
  heard: Set<NodeId>;
  /** The client has its answer; the request lives on for late replies (read repair) until it times out. */
  answered: boolean;
}

/**
 * What a node just did, for trace validation (the kit's traced node names each after its spec
 * action); the production node ignores it. Sent after the step's state change.
 */
export type DynamoTrace =
  /** A coordinator wrote a client's put (`retry`: replayed an earlier attempt's write instead). */
  | { kind: "put"; key: string; retry: boolean }
  /** A coordinator started a client's get. */
  | { kind: "get"; key: string }
  /** A replica merged a `Replicate` (`hint`: into a hint for another owner). */
  | { kind: "replicate"; key: string; from: NodeId; hint: boolean }
  /** A coordinator counted a `ReplicateAck` of a request it runs. */
  | { kind: "ack"; key: string; from: NodeId }
  /** A replica answered a `Read`. */
  | { kind: "read"; key: string; from: NodeId }
  /** A coordinator took a `ReadReply` of a read it runs. */
  | { kind: "read-reply"; key: string; from: NodeId }
  /** Anti-entropy: this node sent `to` its entries of the differing `leaves`, asking for `to`'s back. */
  | { kind: "ae-send"; to: NodeId; leaves: readonly number[] }
  /** Anti-entropy: this node merged `from`'s entries of `leaves` (and answered when asked). */
  | { kind: "ae-receive"; from: NodeId; leaves: readonly number[] }
  /** Hinted handoff of `key` sent to its owner `to`. */
  | { kind: "handoff"; key: string; to: NodeId }
  /** A sloppy request's silent targets replaced by stand-ins (at least one). */
  | { kind: "retarget"; key: string }
  /** A handed-off hint merged by its owner, or the owner's acknowledgement taken (the hint dropped). */
  | { kind: "handoff-merge" | "handoff-ack"; key: string }
  /** A coordinator gave up a request. */
  | { kind: "timeout"; key: string }
  /** The node restarted from storage. */
  | { kind: "restart" };

/** What {@link DynamoNode.request} shows of a request a coordinator runs. */
export interface RequestView {
  id: string;
  kind: "get" | "put";
  key: string;
  /** The replicas asked, in ring order. */
  targets: NodeId[];
  /** Stand-ins and the owner each stands in for. */
  hints: Map<NodeId, NodeId>;
  /** put: replicas that acknowledged; get: replicas known to hold the merge (blocking repair). */
  acks: NodeId[];
  /** get: each replica's answer. */
  replies: Map<NodeId, Sibling[]>;
  /** get: the merge, once R replies arrived. */
  merged: Sibling[] | null;
  /** put: the write's dot. */
  dot: Dot | null;
  /** put: the sibling it wrote (null: none, or a retry of a write since replaced here). */
  written: Sibling | null;
  /** Whether its silent targets were replaced by stand-ins. */
  retargeted: boolean;
  /** Whether the client has its answer. */
  answered: boolean;
}

/** Counters a host or bench may read. */
export interface DynamoCounters {
  /** Messages dropped as malformed or unexpected. */
  ignored: number;
  /** Read repairs sent. */
  readRepairs: number;
  /** Hints handed off and acknowledged. */
  handoffs: number;
  /** Keys changed by anti-entropy. */
  antiEntropyRepairs: number;
}

/** Split a storage key `hint/<owner>/<key>`. */
function parseHintKey(k: string): { owner: NodeId; key: string } | null {
  const rest = k.slice("hint/".length);
  const slash = rest.indexOf("/");
  if (slash <= 0) return null;
  return { owner: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** A Dynamo node (see the module comment). */
export class DynamoNode implements ProtocolNode<DynamoMessage, DynamoCommand, DynamoResult> {
  readonly id: NodeId;
  /** The options in force. */
  readonly options: ResolvedOptions;
  /** The ring every member builds alike. */
  readonly ring: Ring;
  /** Counters (volatile). */
  readonly counters: DynamoCounters = { ignored: 0, readRepairs: 0, handoffs: 0, antiEntropyRepairs: 0 };

  private readonly rng: Rng;
  private readonly peers: NodeId[];
  private rd: Ready<DynamoMessage, DynamoResult, DynamoCommand> = emptyReady();
  private kv = new Map<string, Sibling[]>();
  /** owner → key → siblings held for it. */
  private hints = new Map<NodeId, Map<string, Sibling[]>>();
  private pending = new Map<string, Pending>();
  /** Each client's last put here, so a retry replays it rather than writing twice. */
  private lastPut = new Map<string, { seq: number; key: string; dot: Dot }>();
  private suspected = new Set<NodeId>();
  private lastHeardMs = new Map<NodeId, number>();
  private nowMs = 0;
  private nonce: number;
  private nextReq = 0;
  private aePeer = 0;
  private lastAntiEntropyMs = 0;

  /**
   * @param id this node (one of `options.nodes`).
   * @param options the cluster's options (see {@link DynamoOptions}).
   * @param rng the node's random stream (request-id nonces, so a restarted node's ids are new).
   * @throws DynamoConfigError for bad options, or when `id` is not a member.
   */
  constructor(id: NodeId, options: DynamoOptions, rng: Rng) {
    this.options = resolveOptions(options);
    if (!this.options.nodes.includes(id)) throw new DynamoConfigError(`dynamo option nodes: this node ${JSON.stringify(id)} is not a member`);
    this.id = id;
    this.rng = rng;
    this.ring = new Ring(this.options.nodes, this.options.vnodes);
    this.peers = this.options.nodes.filter((x) => x !== id);
    this.nonce = rng.nextInt(0, 0x7fffffff);
    for (const p of this.peers) this.lastHeardMs.set(p, 0);
    this.rd.timers.push({ name: "tick", afterMs: this.options.gossipMs });
  }

  // ---- inspection (tests, benches, the kit) ----

  /** The siblings this node holds of `key` as a replica (not hints). */
  local(key: string): Sibling[] {
    return this.kv.get(key) ?? [];
  }

  /** Every key this node holds as a replica. */
  keys(): string[] {
    return [...this.kv.keys()].sort();
  }

  /** The hints this node keeps: owner → keys. */
  hintsHeld(): Map<NodeId, string[]> {
    return new Map([...this.hints].map(([o, m]) => [o, [...m.keys()].sort()]));
  }

  /** The siblings of `key` this node keeps for away owner `owner` (empty: none). */
  hintFor(owner: NodeId, key: string): Sibling[] {
    return this.hints.get(owner)?.get(key) ?? [];
  }

  /** Peers this node suspects are down. */
  suspects(): NodeId[] {
    return [...this.suspected].sort();
  }

  /** Requests this node is coordinating. */
  pendingRequests(): number {
    return this.pending.size;
  }

  /** The ids of the requests this node is coordinating, in the order it took them. */
  requestIds(): string[] {
    return [...this.pending.keys()];
  }

  /** A copy of the state of request `id` this node coordinates (null: none, or forgotten). */
  request(id: string): RequestView | null {
    const p = this.pending.get(id);
    if (p === undefined) return null;
    return {
      id: p.id,
      kind: p.kind,
      key: p.key,
      targets: [...p.targets],
      hints: new Map(p.hints),
      acks: [...p.acks].sort(),
      replies: new Map(p.replies),
      merged: p.merged === null ? null : [...p.merged],
      dot: p.dot === null ? null : { ...p.dot },
      written: p.written,
      retargeted: p.retargeted,
      answered: p.answered,
    };
  }

  // ---- the ProtocolNode contract ----

  hasReady(): boolean {
    const r = this.rd;
    return r.persist.length > 0 || r.send.length > 0 || r.timers.length > 0 || r.replies.length > 0 || r.applied.length > 0;
  }

  ready(): Ready<DynamoMessage, DynamoResult, DynamoCommand> {
    const r = this.rd;
    this.rd = emptyReady();
    return r;
  }

  step(event: Event<DynamoMessage, DynamoCommand>): void {
    this.nowMs = event.nowMs;
    switch (event.type) {
      case "message":
        this.onMessage(event.from, event.message);
        return;
      case "timer":
        this.onTimer(event.name);
        return;
      case "request":
        this.onRequest(event.request.clientId, event.request.seq, event.request.command);
        return;
      case "restart":
        this.onRestart(event.durable);
        return;
    }
  }

  /** Trace validation's hook (see {@link DynamoTrace}); the production node does nothing. */
  protected trace(_e: DynamoTrace): void {}

  // ---- restart ----

  private onRestart(durable: ReadonlyMap<string, Json>): void {
    this.kv = new Map();
    this.hints = new Map();
    for (const [k, v] of durable) {
      if (k.startsWith("kv/")) {
        const p = checkSiblings(v, k);
        if (p !== null) throw new DynamoStorageError(`storage ${p}`);
        this.kv.set(k.slice(3), v as unknown as Sibling[]);
      } else if (k.startsWith("hint/")) {
        const h = parseHintKey(k);
        if (h === null) throw new DynamoStorageError(`storage ${k}: expected hint/<owner>/<key>`);
        const p = checkSiblings(v, k);
        if (p !== null) throw new DynamoStorageError(`storage ${p}`);
        this.hintMap(h.owner).set(h.key, v as unknown as Sibling[]);
      } else throw new DynamoStorageError(`storage ${k}: unknown key (expected kv/... or hint/...)`);
    }
    // Everything volatile is gone: requests (their clients time out and retry), suspicions, nonces.
    this.pending = new Map();
    this.lastPut = new Map();
    this.suspected = new Set();
    for (const p of this.peers) this.lastHeardMs.set(p, this.nowMs);
    this.lastAntiEntropyMs = this.nowMs;
    this.nonce = this.rng.nextInt(0, 0x7fffffff);
    this.rd = emptyReady();
    this.rd.timers.push({ name: "tick", afterMs: this.options.gossipMs });
    this.trace({ kind: "restart" });
  }

  // ---- storage helpers ----

  private hintMap(owner: NodeId): Map<string, Sibling[]> {
    let m = this.hints.get(owner);
    if (m === undefined) this.hints.set(owner, (m = new Map()));
    return m;
  }

  /** Merge `siblings` into this replica's copy of `key`; persists when it changed. */
  private mergeLocal(key: string, siblings: readonly Sibling[]): boolean {
    const old = this.kv.get(key) ?? [];
    const merged = sync(old, siblings);
    if (digestOf(merged) === digestOf(old)) return false;
    this.kv.set(key, merged);
    this.rd.persist.push({ key: `kv/${key}`, value: merged as unknown as Json });
    return true;
  }

  private mergeHint(owner: NodeId, key: string, siblings: readonly Sibling[]): void {
    const m = this.hintMap(owner);
    const old = m.get(key) ?? [];
    const merged = sync(old, siblings);
    if (digestOf(merged) === digestOf(old) && m.has(key)) return;
    m.set(key, merged);
    this.rd.persist.push({ key: `hint/${owner}/${key}`, value: merged as unknown as Json });
  }

  /** What this node answers a read of `key` with: its replica and any hints for the key. */
  private readable(key: string): Sibling[] {
    let s = this.kv.get(key) ?? [];
    for (const m of this.hints.values()) {
      const h = m.get(key);
      if (h !== undefined) s = sync(s, h);
    }
    return s;
  }

  private send(to: NodeId, message: DynamoMessage): void {
    this.rd.send.push({ to, message });
  }

  private reply(r: ClientReply<DynamoResult>): void {
    this.rd.replies.push(r);
  }

  // ---- client requests ----

  /** The quorum of a request, or the problem with it. */
  private quorumOf(q: Quorum | undefined): { n: number; r: number; w: number } | string {
    const n = q?.n ?? this.options.n;
    const r = q?.r ?? Math.min(this.options.r, n);
    const w = q?.w ?? Math.min(this.options.w, n);
    if (n > this.options.nodes.length) return `quorum.n: ${n} is more than the ${this.options.nodes.length} members`;
    if (r > n) return `quorum.r: ${r} is more than N = ${n}`;
    if (w > n) return `quorum.w: ${w} is more than N = ${n}`;
    return { n, r, w };
  }

  /** The nodes a request goes to, stand-ins with the owner each replaces, and its coordinator. */
  private placement(key: string, n: number): { home: NodeId; targets: NodeId[]; hints: Map<NodeId, NodeId> } {
    const p = this.placementFirst(key, n);
    return this.options.coordinator === "any" && p.targets.includes(this.id) ? { ...p, home: this.id } : p;
  }

  private placementFirst(key: string, n: number): { home: NodeId; targets: NodeId[]; hints: Map<NodeId, NodeId> } {
    const walk = this.ring.walk(key);
    const owners = walk.slice(0, n);
    const up = (x: NodeId): boolean => x === this.id || !this.suspected.has(x);
    if (!this.options.failover) return { home: owners[0] as NodeId, targets: owners, hints: new Map() };
    if (!this.options.sloppy) return { home: owners.find(up) ?? (owners[0] as NodeId), targets: owners, hints: new Map() };
    const targets = walk.filter(up).slice(0, n);
    const away = owners.filter((o) => !targets.includes(o));
    const hints = new Map<NodeId, NodeId>();
    for (const t of targets) if (!owners.includes(t)) hints.set(t, away.shift() as NodeId);
    return { home: targets[0] ?? (owners[0] as NodeId), targets, hints };
  }

  private onRequest(clientId: string, seq: number, command: DynamoCommand): void {
    const problem = checkCommand(command);
    if (problem !== null) {
      this.reply({ clientId, seq, ok: false, error: "rejected", detail: problem });
      return;
    }
    const q = this.quorumOf(command.quorum);
    if (typeof q === "string") {
      this.reply({ clientId, seq, ok: false, error: "rejected", detail: q });
      return;
    }
    const place = this.placement(command.key, q.n);
    if (place.home !== this.id) {
      this.reply({ clientId, seq, ok: false, error: "not-leader", leaderHint: place.home });
      return;
    }
    const p: Pending = {
      id: `${this.nonce}.${++this.nextReq}`,
      kind: command.op,
      key: command.key,
      clientId,
      seq,
      ...q,
      targets: place.targets,
      hints: place.hints,
      acks: new Set(),
      replies: new Map(),
      dot: null,
      written: null,
      retargeted: false,
      merged: null,
      answered: false,
      heard: new Set([this.id]),
    };
    this.pending.set(p.id, p);
    this.rd.timers.push({ name: `timeout:${p.id}`, afterMs: this.options.requestTimeoutMs });
    if (this.options.sloppy) this.rd.timers.push({ name: `retarget:${p.id}`, afterMs: this.options.retargetAfterMs });
    if (command.op === "put") this.startPut(p, command.value, command.context);
    else this.startGet(p);
  }

  private startPut(p: Pending, value: string, context: Sibling["context"]): void {
    const req = `${p.clientId}/${p.seq}`;
    const last = this.lastPut.get(p.clientId);
    const held = this.readable(p.key).find((s) => s.req === req);
    const retry = held !== undefined || (last !== undefined && last.seq === p.seq && last.key === p.key);
    if (held !== undefined) {
      // A retry of a put whose write this replica holds (from any coordinator): replicate it again.
      p.dot = held.dot;
      p.written = held;
    } else if (last !== undefined && last.seq === p.seq && last.key === p.key) {
      // A retry of a put this node made, since replaced here: do not write it twice.
      p.dot = last.dot;
    } else {
      // A coordinator standing in for an owner (sloppy) writes into that owner's hint.
      const owner = p.hints.get(this.id);
      const u = update(this.readable(p.key), context, value, this.id, req);
      if (owner === undefined) this.mergeLocal(p.key, u.siblings);
      else this.mergeHint(owner, p.key, u.siblings);
      p.dot = u.dot;
      p.written = u.siblings.find((x) => x.dot.node === u.dot.node && x.dot.counter === u.dot.counter) ?? null;
      this.lastPut.set(p.clientId, { seq: p.seq, key: p.key, dot: u.dot });
    }
    p.acks.add(this.id);
    const siblings = this.readable(p.key);
    for (const t of p.targets) if (t !== this.id) this.send(t, { type: "Replicate", req: p.id, key: p.key, siblings, hint: p.hints.get(t) ?? null });
    this.checkPut(p);
    this.trace({ kind: "put", key: p.key, retry });
  }

  /** How many replicas a set of answers counts as (the broken build counts itself twice). */
  private tally(who: ReadonlySet<NodeId> | ReadonlyMap<NodeId, unknown>): number {
    return who.size + (this.options.countReplicaTwice && who.has(this.id) ? 1 : 0);
  }

  private checkPut(p: Pending): void {
    if (p.answered || this.tally(p.acks) < p.w) return;
    p.answered = true;
    this.reply({ clientId: p.clientId, seq: p.seq, ok: true, result: { op: "put", key: p.key, dot: formatDot(p.dot as Dot), quorum: this.quorumUsed(p) } });
  }

  private startGet(p: Pending): void {
    if (p.targets.includes(this.id)) p.replies.set(this.id, this.readable(p.key));
    for (const t of p.targets) if (t !== this.id) this.send(t, { type: "Read", req: p.id, key: p.key });
    this.checkGet(p);
    this.trace({ kind: "get", key: p.key });
  }

  private checkGet(p: Pending): void {
    if (p.merged !== null || this.tally(p.replies) < p.r) return;
    let merged: Sibling[] = [];
    for (const s of p.replies.values()) merged = sync(merged, s);
    p.merged = merged;
    if (this.options.readRepair === "off") {
      this.answerGet(p);
      return;
    }
    for (const [from, s] of p.replies) {
      if (digestOf(s) === digestOf(merged)) p.acks.add(from);
      else this.repair(p, from);
    }
    if (this.options.readRepair === "async") this.answerGet(p);
    else {
      // Blocking: bring W replicas up to date before answering; ask the silent ones too.
      for (const t of p.targets) if (!p.replies.has(t)) this.repair(p, t);
      this.checkBlockingRepair(p);
    }
  }

  /** Send the read's merge to replica `to` (or merge it here), acknowledged when blocking. */
  private repair(p: Pending, to: NodeId): void {
    const merged = p.merged as Sibling[];
    if (to === this.id) {
      const owner = p.hints.get(to);
      if (owner === undefined) this.mergeLocal(p.key, merged);
      else this.mergeHint(owner, p.key, merged);
      p.acks.add(this.id);
      return;
    }
    this.counters.readRepairs++;
    this.send(to, { type: "Replicate", req: this.options.readRepair === "blocking" ? p.id : null, key: p.key, siblings: merged, hint: p.hints.get(to) ?? null });
  }

  private checkBlockingRepair(p: Pending): void {
    if (!p.answered && this.tally(p.acks) >= p.w) this.answerGet(p);
  }

  private quorumUsed(p: Pending): QuorumUsed {
    return { n: p.n, r: p.r, w: p.w, sloppy: this.options.sloppy, readRepair: this.options.readRepair };
  }

  private answerGet(p: Pending): void {
    p.answered = true;
    const merged = p.merged as Sibling[];
    this.reply({
      clientId: p.clientId,
      seq: p.seq,
      ok: true,
      result: { op: "get", key: p.key, siblings: merged.map((s) => ({ value: s.value, dot: formatDot(s.dot) })), context: contextOf(merged), quorum: this.quorumUsed(p) },
    });
  }

  // ---- messages ----

  private onMessage(from: NodeId, m: DynamoMessage): void {
    if (!this.peers.includes(from) || checkMessage(m) !== null) {
      this.counters.ignored++;
      return;
    }
    this.lastHeardMs.set(from, this.nowMs);
    this.suspected.delete(from);
    switch (m.type) {
      case "Replicate":
        if (m.hint !== null && m.hint !== this.id) this.mergeHint(m.hint, m.key, m.siblings);
        else this.mergeLocal(m.key, m.siblings);
        if (m.req !== null) this.send(from, { type: "ReplicateAck", req: m.req, key: m.key });
        this.trace({ kind: "replicate", key: m.key, from, hint: m.hint !== null && m.hint !== this.id });
        return;
      case "ReplicateAck": {
        const p = this.pending.get(m.req);
        if (p === undefined || p.key !== m.key || !p.targets.includes(from)) return;
        p.heard.add(from);
        p.acks.add(from);
        if (p.kind === "put") this.checkPut(p);
        else this.checkBlockingRepair(p);
        this.trace({ kind: "ack", key: m.key, from });
        return;
      }
      case "Read":
        this.send(from, { type: "ReadReply", req: m.req, key: m.key, siblings: this.readable(m.key) });
        this.trace({ kind: "read", key: m.key, from });
        return;
      case "ReadReply": {
        const p = this.pending.get(m.req);
        if (p === undefined || p.kind !== "get" || p.key !== m.key || !p.targets.includes(from) || p.replies.has(from)) return;
        p.heard.add(from);
        p.replies.set(from, m.siblings);
        if (p.merged === null) this.checkGet(p);
        else if (this.options.readRepair !== "off") {
          // A late reply: repair it too (Dynamo repairs every stale replica it hears from).
          if (reflects(m.siblings, p.merged)) p.acks.add(from);
          else this.repair(p, from);
          if (this.options.readRepair === "blocking") this.checkBlockingRepair(p);
        }
        this.trace({ kind: "read-reply", key: m.key, from });
        return;
      }
      case "Handoff":
        this.mergeLocal(m.key, m.siblings);
        this.send(from, { type: "HandoffAck", key: m.key, digest: digestOf(m.siblings) });
        this.trace({ kind: "handoff-merge", key: m.key });
        return;
      case "HandoffAck": {
        const m2 = this.hints.get(from);
        const h = m2?.get(m.key);
        // Only what the owner acknowledged may go: a hint that grew since is sent again.
        if (m2 === undefined || h === undefined || digestOf(h) !== m.digest) return;
        m2.delete(m.key);
        if (m2.size === 0) this.hints.delete(from);
        this.rd.persist.push({ key: `hint/${from}/${m.key}`, delete: true });
        this.counters.handoffs++;
        this.trace({ kind: "handoff-ack", key: m.key });
        return;
      }
      case "Ping":
        this.send(from, { type: "Pong" });
        return;
      case "Pong":
        return;
      case "TreeLevel":
        this.onTreeLevel(from, m.level, m.nodes);
        return;
      case "TreeLeaves":
        this.onTreeLeaves(from, m.leaves, m.entries, m.answer);
        return;
    }
  }

  // ---- timers ----

  private onTimer(name: string): void {
    if (name === "tick") {
      this.tick();
      return;
    }
    const colon = name.indexOf(":");
    const kind = name.slice(0, colon);
    const p = this.pending.get(name.slice(colon + 1));
    if (p === undefined) return;
    if (kind === "retarget") this.retarget(p);
    else if (kind === "timeout") this.timeout(p);
  }

  private tick(): void {
    this.rd.timers.push({ name: "tick", afterMs: this.options.gossipMs });
    for (const peer of this.peers) {
      if (this.nowMs - (this.lastHeardMs.get(peer) ?? 0) > this.options.suspectAfterMs) this.suspected.add(peer);
      this.send(peer, { type: "Ping" });
    }
    // Hinted handoff: owners that are back get what was written for them.
    for (const [owner, m] of this.hints) {
      if (this.suspected.has(owner)) continue;
      for (const [key, siblings] of m) {
        this.send(owner, { type: "Handoff", key, siblings });
        this.trace({ kind: "handoff", key, to: owner });
      }
    }
    if (this.options.antiEntropyMs > 0 && this.nowMs - this.lastAntiEntropyMs >= this.options.antiEntropyMs) {
      this.lastAntiEntropyMs = this.nowMs;
      this.startAntiEntropy();
    }
  }

  /** Sloppy quorums: replace silent replicas by the next nodes on the ring, as stand-ins for them. */
  private retarget(p: Pending): void {
    if (p.answered && p.kind === "put") return;
    const silent = p.targets.filter((t) => !p.heard.has(t));
    if (silent.length === 0) return;
    for (const s of silent) this.suspected.add(s);
    const walk = this.ring.walk(p.key);
    const owners = walk.slice(0, p.n);
    for (const s of silent) {
      const next = walk.find((x) => !p.targets.includes(x) && !this.suspected.has(x));
      if (next === undefined) break;
      p.retargeted = true;
      p.targets.push(next);
      const owner = p.hints.get(s) ?? (owners.includes(s) ? s : undefined);
      if (owner !== undefined) p.hints.set(next, owner);
      // The write itself goes too: the coordinator's own copy may have been handed off since.
      const siblings = p.written === null ? this.readable(p.key) : sync(this.readable(p.key), [p.written]);
      if (p.kind === "put") this.send(next, { type: "Replicate", req: p.id, key: p.key, siblings, hint: p.hints.get(next) ?? null });
      else this.send(next, { type: "Read", req: p.id, key: p.key });
    }
    if (p.retargeted) this.trace({ kind: "retarget", key: p.key });
  }

  private timeout(p: Pending): void {
    this.pending.delete(p.id);
    for (const t of p.targets) if (!p.heard.has(t)) this.suspected.add(t);
    // The write may have reached some replicas: the client must not take it as not done.
    if (!p.answered) this.reply({ clientId: p.clientId, seq: p.seq, ok: false, error: "unavailable", detail: `${p.kind} ${p.key}: no quorum within ${this.options.requestTimeoutMs} ms` });
    this.trace({ kind: "timeout", key: p.key });
  }

  // ---- anti-entropy (Merkle trees) ----

  /** The keys this node and `peer` both replicate (under the default N), with their digests. */
  private sharedEntries(peer: NodeId): [string, string][] {
    const out: [string, string][] = [];
    for (const [key, s] of this.kv) {
      const owners = this.ring.preferenceList(key, this.options.n);
      if (owners.includes(this.id) && owners.includes(peer)) out.push([key, digestOf(s)]);
    }
    return out;
  }

  private startAntiEntropy(): void {
    const candidates = this.peers.filter((p) => !this.suspected.has(p));
    if (candidates.length === 0) return;
    this.antiEntropyWith(candidates[this.aePeer++ % candidates.length] as NodeId);
  }

  /**
   * Start an anti-entropy round with `peer` now (an operator's "repair this pair", and how
   * conformance replay takes the spec's `AntiEntropy` step): send it the root of the tree of the
   * keys both replicate. The exchange continues as the peer answers.
   * @throws Error when `peer` is not a member other than this node.
   */
  antiEntropyWith(peer: NodeId): void {
    if (!this.peers.includes(peer)) throw new Error(`dynamo: ${peer} is not a peer of ${this.id}`);
    const tree = new MerkleTree(this.sharedEntries(peer));
    this.send(peer, { type: "TreeLevel", level: 0, nodes: [[0, tree.hash(0, 0)]] });
  }

  private onTreeLevel(from: NodeId, level: number, nodes: [number, number][]): void {
    if (level > DEPTH) {
      this.counters.ignored++;
      return;
    }
    const tree = new MerkleTree(this.sharedEntries(from));
    const differ = nodes.filter(([i, h]) => i >= 0 && i < FANOUT ** level && tree.hash(level, i) !== h).map(([i]) => i);
    if (differ.length === 0) return;
    if (level === DEPTH) {
      this.sendLeaves(from, differ);
      return;
    }
    const kids = differ.flatMap((i) => MerkleTree.children(i));
    this.send(from, { type: "TreeLevel", level: level + 1, nodes: kids.map((i) => [i, tree.hash(level + 1, i)]) });
  }

  /**
   * The last step of an anti-entropy descent: send `peer` this node's entries of `leaves` (the
   * differing leaves of the tree of the keys both replicate) and ask for its entries back. Also how
   * conformance replay takes the message-level spec's `AeSend` step.
   * @throws Error when `peer` is not a member other than this node, or a leaf is out of range.
   */
  sendLeaves(peer: NodeId, leaves: readonly number[]): void {
    if (!this.peers.includes(peer)) throw new Error(`dynamo: ${peer} is not a peer of ${this.id}`);
    if (leaves.some((i) => !(Number.isSafeInteger(i) && i >= 0 && i < FANOUT ** DEPTH))) throw new Error(`dynamo: leaves ${JSON.stringify(leaves)} are not leaves of the tree`);
    this.send(peer, { type: "TreeLeaves", leaves: [...leaves], entries: this.leafEntries(peer, leaves), answer: true });
    this.trace({ kind: "ae-send", to: peer, leaves });
  }

  private leafEntries(peer: NodeId, leaves: readonly number[]): [string, Sibling[]][] {
    const want = new Set(leaves);
    return this.sharedEntries(peer)
      .filter(([key]) => want.has(bucketOf(key)))
      .map(([key]) => [key, this.kv.get(key) as Sibling[]]);
  }

  private onTreeLeaves(from: NodeId, leaves: number[], entries: [string, Sibling[]][], answer: boolean): void {
    for (const [key, s] of entries) {
      const owners = this.ring.preferenceList(key, this.options.n);
      if (!owners.includes(this.id)) continue;
      if (this.mergeLocal(key, s)) this.counters.antiEntropyRepairs++;
    }
    if (answer) this.send(from, { type: "TreeLeaves", leaves, entries: this.leafEntries(from, leaves), answer: false });
    this.trace({ kind: "ae-receive", from, leaves });
  }
}

/**
 * The gossip node: a pure state machine (`@synod/protocol`'s `ProtocolNode`) holding a replica of
 * a map key → CRDT state, and spreading updates three ways:
 *
 * - **Rumor mongering** (timer `gossip`, every `gossipPeriodMs`): push hot rumors to `fanout`
 *   sampled peers, pull theirs, or both; each peer's feedback (which rumors it already knew) cools
 *   rumors by Demers' feedback / counter rule. Deltas are joined in causal order per key.
 * - **Anti-entropy** (timer `anti-entropy`, every `antiEntropyPeriodMs`): with one sampled peer,
 *   compare Merkle trees top-down and ship only the entries of differing leaf ranges, both ways
 *   (or, with `antiEntropy: "full"`, ship the whole state, for comparison).
 * - **SWIM membership** (timers `probe`, `probe-timeout`, `suspect:<node>`): probe one member per
 *   period round-robin, ask `indirectChecks` others to probe it when it does not ack in time,
 *   suspect it after the period, declare it dead after the suspicion timeout unless it refutes with
 *   a higher incarnation; membership updates ride piggybacked on probes. Gossip peers are sampled
 *   from the members not known dead.
 *
 * Durable state: every key's entry (`entry/<key>`) in the same ready as its change, each client's
 * last update and its result (`session/<client>`: a retried request is answered, not applied
 * twice), and the SWIM incarnation (`incarnation`). A restart reloads both, announces a higher incarnation, and starts
 * with no hot rumors (anti-entropy delivers what they would have).
 *
 * @module
 */
import { emptyReady, type ClientReply, type Event, type Json, type NodeId, type ProtocolNode, type Ready, type Rng } from "@synod/protocol";
import { Membership } from "./membership.js";
import type { TreeNode } from "./merkle.js";
import type { Delta, GossipCommand, GossipMessage, GossipResult, MemberUpdate, WireEntry } from "./messages.js";
import { resolveOptions, type GossipOptions } from "./options.js";
import type { Dot, PayloadChoice } from "./payload.js";
import { samplePeers } from "./peer-sampling.js";
import { dotKey, HotRumors } from "./rumors.js";
import { Store, type Received } from "./store.js";
import { vvDominates, vvProblem, vvWith, type VersionVector } from "./version-vector.js";

/** Durable key of the SWIM incarnation. */
export const INCARNATION_KEY = "incarnation";
/** Durable key prefix of map entries. */
export const ENTRY_PREFIX = "entry/";
/** Durable key prefix of client sessions (the last update of each client and its result). */
export const SESSION_PREFIX = "session/";

/** Counters a node keeps about itself (benchmarks and tests read them). */
export interface GossipStats {
  /** Messages sent, by type. */
  sent: Record<string, number>;
  /** JSON bytes sent, by type. */
  bytes: Record<string, number>;
  /** Deltas joined from rumors, known already, buffered for causality, dropped (buffer full). */
  deltasApplied: number;
  deltasKnown: number;
  deltasBuffered: number;
  deltasDropped: number;
  /** Entries joined by anti-entropy that changed the local state. */
  entriesRepaired: number;
  /** Messages ignored as malformed. */
  ignored: number;
}

/**
 * What a node did to the replicated map, step by step, for observers of its behaviour (trace
 * validation maps these to spec actions; see `kit/traced.ts`). The protocol core only reports them.
 */
export type GossipTrace =
  /** A client update was applied here. */
  | { kind: "update"; key: string; dot: Dot; op: Json; delta: Delta }
  /** A whole entry was sent (anti-entropy). */
  | { kind: "send-entry"; key: string; to: NodeId; state: Json }
  /** An update's delta was sent (a rumor). */
  | { kind: "send-delta"; key: string; to: NodeId; delta: Delta }
  /** A whole entry from `from` was joined (`changed`: the state grew). */
  | { kind: "merge-entry"; key: string; from: NodeId; state: Json; vv: VersionVector; changed: boolean }
  /** A delta `from` a peer: joined, known already, left waiting for its causal past, or dropped. */
  | { kind: "delta"; key: string; from: NodeId; delta: Delta; outcome: "joined" | "known" | "buffered" | "dropped" };

/** How a node is created. */
export interface GossipNodeInit {
  id: NodeId;
  /** The initial members besides this node. */
  peers: readonly NodeId[];
  rng: Rng;
  /** Options; `payload` is required, the rest default (see `DEFAULTS`). */
  options: Partial<GossipOptions> & { payload: PayloadChoice };
  /** Durable state to recover from (empty or absent: a fresh node). */
  durable?: ReadonlyMap<string, Json>;
}

/** A durable map that cannot be loaded; the message names the key and the problem. */
export class GossipStorageError extends Error {
  override name = "GossipStorageError";
}

/** A gossip replica (see the module comment). */
export class GossipNode implements ProtocolNode<GossipMessage, GossipCommand, GossipResult> {
  readonly id: NodeId;
  readonly options: GossipOptions;
  readonly stats: GossipStats = { sent: {}, bytes: {}, deltasApplied: 0, deltasKnown: 0, deltasBuffered: 0, deltasDropped: 0, entriesRepaired: 0, ignored: 0 };
  private readonly rng: Rng;
  private readonly initialPeers: readonly NodeId[];
  private rd: Ready<GossipMessage, GossipResult, GossipCommand> = emptyReady();
  private store!: Store;
  private rumors!: HotRumors;
  private membership!: Membership;
  /** The probe in progress: its target, sequence number, and whether an ack came. */
  private probe: { target: NodeId; seq: number; acked: boolean } | null = null;
  private probeOrder: NodeId[] = [];
  private probeSeq = 0;
  /** Indirect probes this node makes for others: its own seq → the requester and its seq. */
  private relays = new Map<number, { requester: NodeId; seq: number }>();
  /** Per client, its last update here and the result: a retry is answered, not applied again. */
  private sessions = new Map<string, { seq: number; result: GossipResult }>();
  /** Bytes counting is off unless asked for (it costs a JSON.stringify per message). */
  countBytes = false;

  constructor(init: GossipNodeInit) {
    this.id = init.id;
    this.rng = init.rng;
    this.initialPeers = init.peers.filter((p) => p !== init.id);
    this.options = resolveOptions(init.options);
    this.recover(init.durable ?? new Map(), false);
  }

  // ---------------------------------------------------------------------------------------------
  // ProtocolNode

  step(event: Event<GossipMessage, GossipCommand>): void {
    switch (event.type) {
      case "message":
        this.onMessage(event.from, event.message);
        break;
      case "timer":
        this.onTimer(event.name);
        break;
      case "request":
        this.onRequest(event.request.clientId, event.request.seq, event.request.command);
        break;
      case "restart":
        this.recover(event.durable, true);
        break;
    }
  }

  hasReady(): boolean {
    const r = this.rd;
    return r.persist.length + r.send.length + r.timers.length + r.replies.length + r.applied.length > 0;
  }

  ready(): Ready<GossipMessage, GossipResult, GossipCommand> {
    const out = this.rd;
    this.rd = emptyReady();
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the replica (tests, benches, conformance)

  /** A key's value as a read returns it. */
  read(key: string): Json {
    const p = this.store.payload(key);
    return p.valueToJson(p.value(this.store.get(key).state)) as Json;
  }

  /** A key's version vector: the updates its state includes. */
  versionVector(key: string): VersionVector {
    return this.store.get(key).vv;
  }

  /** Keys this replica holds. */
  keys(): string[] {
    return this.store.keys();
  }

  /** Whether the replica's state of `key` includes the update `origin/seq`. */
  includes(key: string, origin: NodeId, seq: number): boolean {
    return this.store.includes(key, { origin, seq });
  }

  /** The Merkle root of the replica (equal roots: equal version vectors for every key). */
  merkleRoot(): string {
    return this.store.tree.root();
  }

  /** One key's entry on the wire form (the lattice bottom and no updates when nobody updated it here). */
  entry(key: string): WireEntry {
    return this.store.wire(key);
  }

  /** Every entry on the wire form (for comparisons). */
  entries(): WireEntry[] {
    return this.store.keys().map((k) => this.store.wire(k));
  }

  /** The SWIM view: every member's status and incarnation. */
  members(): { id: NodeId; status: string; incarnation: number }[] {
    return this.membership.all().map((m) => ({ ...m }));
  }

  /** Hot rumors and buffered deltas (volatile work in progress). */
  backlog(): { hotRumors: number; pendingDeltas: number } {
    return { hotRumors: this.rumors.size, pendingDeltas: this.store.pendingDeltas() };
  }

  /** Observe one thing the node did to the map (no-op here; `kit/traced.ts` records them). */
  protected trace(_event: GossipTrace): void {}

  /** Keys' waiting deltas with their senders (trace validation sees them as still in flight). */
  protected pendingDeltasOf(key: string): readonly Received[] {
    return this.store.pendingOf(key);
  }

  /**
   * Send `to` the whole entries of `keys` (as anti-entropy does, without asking for a reply): for
   * conformance, which makes a node take the spec's `Push` when the spec says.
   */
  protected sendEntries(to: NodeId, keys: readonly string[]): void {
    this.send(to, { type: "AeEntries", leaves: null, entries: keys.map((k) => this.store.wire(k)), reply: false });
  }

  /** Send `to` one delta as a rumor (no feedback asked): the spec's `PushDelta`, for conformance. */
  protected sendDelta(to: NodeId, delta: Delta): void {
    this.send(to, { type: "Rumor", deltas: [delta], known: [], pull: false, feedback: false });
  }

  /** What storage must hold, from memory: every entry and every client session (for conformance's storage check). */
  durableView(): Json {
    const entries: Record<string, Json> = {};
    for (const k of this.store.keys()) entries[k] = this.store.stored(k);
    const sessions: Record<string, Json> = {};
    for (const [c, v] of [...this.sessions].sort(([a], [b]) => (a < b ? -1 : 1))) sessions[c] = v as unknown as Json;
    return { entries, sessions };
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery

  private recover(durable: ReadonlyMap<string, Json>, restart: boolean): void {
    const o = this.options;
    // Whatever the previous life still wanted done is gone with it.
    this.rd = emptyReady();
    this.store = new Store(o.payload, { branching: o.merkleBranching, depth: o.merkleDepth }, o.maxPendingDeltas, { ignoreCausality: o.unsafe.ignoreCausality ?? false });
    this.rumors = new HotRumors(o.rumorStopAfter, o.maxHotRumors);
    let incarnation = 0;
    const sessions = new Map<string, { seq: number; result: GossipResult }>();
    for (const [k, v] of durable) {
      if (k === INCARNATION_KEY) {
        if (!Number.isSafeInteger(v) || (v as number) < 0) throw new GossipStorageError(`durable ${k}: expected a count, got ${JSON.stringify(v)}`);
        incarnation = v as number;
      } else if (k.startsWith(SESSION_PREFIX)) {
        const sess = v as { seq?: unknown; result?: { op?: unknown } } | null;
        if (!Number.isSafeInteger(sess?.seq) || sess?.result?.op !== "update") throw new GossipStorageError(`durable ${k}: expected { seq, result } of an update`);
        sessions.set(k.slice(SESSION_PREFIX.length), sess as unknown as { seq: number; result: GossipResult });
      } else if (k.startsWith(ENTRY_PREFIX)) {
        const key = k.slice(ENTRY_PREFIX.length);
        const e = v as { state?: Json; vv?: unknown } | null;
        const bad = e === null || typeof e !== "object" ? "expected { state, vv }" : vvProblem(e.vv);
        if (bad !== null) throw new GossipStorageError(`durable ${k}: ${bad}`);
        let state: unknown;
        try {
          state = this.store.payload(key).fromJson((e as { state: Json }).state, `durable ${k}`);
        } catch (err) {
          throw new GossipStorageError((err as Error).message.startsWith("durable") ? (err as Error).message : `durable ${k}: ${(err as Error).message}`);
        }
        this.store.restore(key, { state, vv: (e as { vv: VersionVector }).vv });
      } else {
        throw new GossipStorageError(`durable ${JSON.stringify(k)}: not a key a gossip node writes`);
      }
    }
    // A restarted node must outrank whatever was said about its previous life (suspect, dead).
    if (restart || durable.size > 0) incarnation++;
    this.membership = new Membership(this.id, this.initialPeers, incarnation, o.swim?.retransmitMult ?? 1);
    if (incarnation > 0) {
      this.membership.rejoin(incarnation);
      this.rd.persist.push({ key: INCARNATION_KEY, value: incarnation });
    }
    this.sessions = sessions;
    this.probe = null;
    this.probeOrder = [];
    this.relays = new Map();
    // First rounds at random offsets, so nodes started together do not gossip in lockstep.
    this.arm("gossip", this.rng.nextInt(1, o.gossipPeriodMs));
    if (o.antiEntropy !== "off") this.arm("anti-entropy", this.rng.nextInt(1, o.antiEntropyPeriodMs));
    if (o.swim !== null) this.arm("probe", this.rng.nextInt(1, o.swim.probeIntervalMs));
  }

  // ---------------------------------------------------------------------------------------------
  // Clients

  private onRequest(clientId: string, seq: number, cmd: GossipCommand): void {
    const reply = (r: ClientReply<GossipResult>): void => {
      this.rd.replies.push(r);
    };
    const c = cmd as Partial<GossipCommand> | null;
    if (c === null || typeof c !== "object" || typeof c.key !== "string") {
      reply({ clientId, seq, ok: false, error: "rejected", detail: "a command is { op: update | read, key, ... }" });
      return;
    }
    if (c.op === "read") {
      // A read addressed to another replica (`at`): the client follows the hint there.
      if (typeof c.at === "string" && c.at !== this.id) {
        reply({ clientId, seq, ok: false, error: "not-leader", leaderHint: c.at, detail: `this read is for ${c.at}` });
        return;
      }
      reply({ clientId, seq, ok: true, result: { op: "read", key: c.key, node: this.id, value: this.read(c.key), vv: this.store.get(c.key).vv } });
      return;
    }
    if (c.op !== "update") {
      reply({ clientId, seq, ok: false, error: "rejected", detail: `unknown op ${JSON.stringify(c.op)} (update, read)` });
      return;
    }
    if (typeof c.at === "string" && c.at !== this.id) {
      reply({ clientId, seq, ok: false, error: "not-leader", leaderHint: c.at, detail: `this update is for ${c.at}` });
      return;
    }
    const session = this.sessions.get(clientId);
    if (session !== undefined && session.seq === seq) {
      reply({ clientId, seq, ok: true, result: session.result });
      return;
    }
    if (session !== undefined && seq < session.seq) {
      reply({ clientId, seq, ok: false, error: "rejected", detail: `request ${seq} of ${clientId} is older than its last update here (${session.seq})` });
      return;
    }
    let u: { delta: Delta; applied: Json };
    try {
      const p = this.store.payload(c.key);
      u = this.store.update(c.key, p.parseOp((c as { update: Json }).update, `update of ${JSON.stringify(c.key)}`), this.id);
    } catch (err) {
      reply({ clientId, seq, ok: false, error: "rejected", detail: (err as Error).message });
      return;
    }
    this.persistChanged();
    this.rumors.add(u.delta);
    const d = u.delta;
    this.trace({ kind: "update", key: c.key, dot: d.dot, op: (c as { update: Json }).update, delta: d });
    const result: GossipResult = { op: "update", key: c.key, node: this.id, dot: d.dot, deps: d.deps, applied: u.applied };
    this.sessions.set(clientId, { seq, result });
    this.rd.persist.push({ key: `${SESSION_PREFIX}${clientId}`, value: { seq, result } as unknown as Json });
    reply({ clientId, seq, ok: true, result });
  }

  // ---------------------------------------------------------------------------------------------
  // Timers

  private onTimer(name: string): void {
    if (name === "gossip") {
      this.rumorRound();
      this.arm("gossip", this.options.gossipPeriodMs);
    } else if (name === "anti-entropy") {
      this.antiEntropyRound();
      this.arm("anti-entropy", this.options.antiEntropyPeriodMs);
    } else if (name === "probe") {
      this.probeRound();
    } else if (name === "probe-timeout") {
      this.probeTimeout();
    } else if (name.startsWith("suspect:")) {
      this.suspicionExpired(name.slice("suspect:".length));
    }
    // Any other name is a timer of a previous life; ignoring it is safe.
  }

  private arm(name: string, afterMs: number | null): void {
    this.rd.timers.push({ name, afterMs });
  }

  private send(to: NodeId, message: GossipMessage): void {
    this.rd.send.push({ to, message });
    if (message.type === "Rumor") for (const d of message.deltas) this.trace({ kind: "send-delta", key: d.key, to, delta: d });
    if (message.type === "AeEntries") for (const e of message.entries) this.trace({ kind: "send-entry", key: e.key, to, state: e.state });
    this.stats.sent[message.type] = (this.stats.sent[message.type] ?? 0) + 1;
    if (this.countBytes) this.stats.bytes[message.type] = (this.stats.bytes[message.type] ?? 0) + JSON.stringify(message).length;
  }

  /** Gossip targets: members not known dead (every initial peer without SWIM). */
  private sample(k: number): NodeId[] {
    return samplePeers(this.membership.reachable(), k, this.rng);
  }

  // ---------------------------------------------------------------------------------------------
  // Rumor mongering

  private rumorRound(): void {
    const o = this.options;
    const push = o.mode !== "pull";
    const pull = o.mode !== "push";
    const hot = push ? this.rumors.take(o.maxDeltasPerMessage) : [];
    // A push round with nothing hot sends nothing; pull rounds always ask (pull's known cost).
    if (!pull && hot.length === 0) return;
    for (const p of this.sample(o.fanout)) this.send(p, { type: "Rumor", deltas: hot, known: [], pull, feedback: hot.length > 0 });
  }

  private onRumor(from: NodeId, m: Extract<GossipMessage, { type: "Rumor" }>): void {
    for (const dot of m.known) {
      if (!isDotOf(dot)) continue;
      this.rumors.knownBy(dot.key, dot);
    }
    const known: { key: string; origin: NodeId; seq: number }[] = [];
    for (const d of m.deltas) {
      if (!isDelta(d)) {
        this.stats.ignored++;
        continue;
      }
      if (this.receiveDelta(d, from) === "known") known.push({ key: d.key, origin: d.dot.origin, seq: d.dot.seq });
    }
    this.persistChanged();
    // What the puller just pushed is no news to it: send back only the other hot rumors.
    const pushed = new Set(m.deltas.filter(isDelta).map((d) => dotKey(d.key, d.dot)));
    const back = m.pull ? this.rumors.take(this.options.maxDeltasPerMessage + pushed.size).filter((d) => !pushed.has(dotKey(d.key, d.dot))).slice(0, this.options.maxDeltasPerMessage) : [];
    // Feedback is only worth a message when it cools something: "I knew these already".
    if ((m.feedback && known.length > 0) || back.length > 0) {
      this.send(from, { type: "Rumor", deltas: back, known, pull: false, feedback: back.length > 0 });
    }
  }

  /** Receive one delta; joined deltas (and those they released) become hot here. */
  private receiveDelta(d: Delta, from: NodeId): "applied" | "known" | "buffered" | "dropped" {
    // The sender has incorporated the update and its causal past.
    this.store.report(d.key, from, vvWith(d.deps, d.dot.origin, d.dot.seq));
    let r: ReturnType<Store["receive"]>;
    try {
      r = this.store.receive(d, from);
    } catch {
      this.stats.ignored++; // a delta the payload cannot decode
      return "dropped";
    }
    if (r.outcome !== "applied") this.trace({ kind: "delta", key: d.key, from, delta: d, outcome: r.outcome });
    this.traceJoined(r.joined);
    switch (r.outcome) {
      case "applied":
        this.stats.deltasApplied += r.joined.length;
        break;
      case "known":
        this.stats.deltasKnown++;
        break;
      case "buffered":
        this.stats.deltasBuffered++;
        break;
      case "dropped":
        this.stats.deltasDropped++;
        break;
    }
    for (const j of r.joined) this.rumors.add(j.delta);
    this.compactStable(d.key);
    return r.outcome;
  }

  // ---------------------------------------------------------------------------------------------
  // Anti-entropy

  private antiEntropyRound(): void {
    const [peer] = this.sample(1);
    if (peer === undefined) return;
    if (this.options.antiEntropy === "full") {
      this.send(peer, { type: "AeEntries", leaves: null, entries: this.store.keys().map((k) => this.store.wire(k)), reply: true });
      return;
    }
    this.send(peer, { type: "AeHashes", level: 0, hashes: [[0, this.store.tree.root()]] });
  }

  private onAeHashes(from: NodeId, m: Extract<GossipMessage, { type: "AeHashes" }>): void {
    const tree = this.store.tree;
    let differing: TreeNode[] = [];
    for (const pair of m.hashes) {
      if (!Array.isArray(pair) || typeof pair[1] !== "string") continue;
      const node = { level: m.level, index: pair[0] };
      if (!tree.has(node)) {
        this.stats.ignored++;
        return;
      }
      if (tree.hash(node) !== pair[1]) differing.push(node);
    }
    // The broken variant's off-by-one: the first differing range is never looked into.
    if (this.options.unsafe.skipMerkleRange === true) differing = differing.slice(1);
    if (differing.length === 0) return;
    if (m.level < tree.shape.depth) {
      const kids = differing.flatMap((n) => tree.children(n));
      this.send(from, { type: "AeHashes", level: m.level + 1, hashes: kids.map((k) => [k.index, tree.hash(k)]) });
      return;
    }
    const leaves = differing.map((n) => n.index);
    this.send(from, { type: "AeEntries", leaves, entries: leaves.flatMap((l) => tree.keysOf(l)).sort().map((k) => this.store.wire(k)), reply: true });
  }

  private onAeEntries(from: NodeId, m: Extract<GossipMessage, { type: "AeEntries" }>): void {
    const theirs = new Map<string, VersionVector>();
    for (const w of m.entries) {
      if (typeof w?.key !== "string" || vvProblem(w.vv) !== null) {
        this.stats.ignored++;
        continue;
      }
      theirs.set(w.key, w.vv);
      let state: unknown;
      try {
        state = this.store.payload(w.key).fromJson(w.state);
      } catch {
        this.stats.ignored++;
        continue;
      }
      this.store.report(w.key, from, w.vv);
      const r = this.store.mergeEntry(w.key, { state, vv: w.vv });
      if (r.changed) this.stats.entriesRepaired++;
      this.trace({ kind: "merge-entry", key: w.key, from, state: w.state, vv: w.vv, changed: r.changed });
      this.traceJoined(r.joined);
      this.stats.deltasApplied += r.joined.length;
      for (const j of r.joined) this.rumors.add(j.delta);
    }
    for (const k of theirs.keys()) this.compactStable(k);
    this.persistChanged();
    if (!m.reply) return;
    // Send back what the peer lacks in the compared ranges (its entries are what it has).
    const tree = this.store.tree;
    const keys = m.leaves === null ? this.store.keys() : m.leaves.filter((l) => Number.isSafeInteger(l) && l >= 0 && l < tree.leafCount).flatMap((l) => tree.keysOf(l)).sort();
    const lacking = keys.filter((k) => !vvDominates(theirs.get(k) ?? {}, this.store.get(k).vv));
    if (lacking.length > 0) this.send(from, { type: "AeEntries", leaves: m.leaves, entries: lacking.map((k) => this.store.wire(k)), reply: false });
  }

  // ---------------------------------------------------------------------------------------------
  // SWIM

  private probeRound(): void {
    const swim = this.options.swim;
    if (swim === null) return;
    this.arm("probe", swim.probeIntervalMs);
    // The previous probe's deadline: no ack, direct or relayed, within a whole period.
    if (this.probe !== null && !this.probe.acked) {
      const m = this.membership.get(this.probe.target);
      if (m !== undefined && m.status === "alive") this.suspect(m.id, m.incarnation);
    }
    this.probe = null;
    const dead = this.membership.all().filter((m) => m.status === "dead");
    if (dead.length > 0 && this.rng.nextFloat() < swim.reconnectProbability) {
      // Not tracked as a probe: a dead member that answers refutes its death itself (below).
      this.send((dead[this.rng.nextInt(0, dead.length - 1)] as { id: NodeId }).id, { type: "Ping", seq: 0, updates: this.piggyback() });
    }
    const target = this.nextProbeTarget();
    if (target === undefined) return;
    this.probe = { target, seq: ++this.probeSeq, acked: false };
    this.send(target, { type: "Ping", seq: this.probe.seq, updates: this.piggyback() });
    this.arm("probe-timeout", swim.probeTimeoutMs);
  }

  /** Round-robin over a shuffled member list, reshuffled at each pass (memberlist's order). */
  private nextProbeTarget(): NodeId | undefined {
    for (let guard = 0; guard < 2; guard++) {
      while (this.probeOrder.length > 0) {
        const t = this.probeOrder.pop() as NodeId;
        const m = this.membership.get(t);
        if (m !== undefined && m.status !== "dead") return t;
      }
      this.probeOrder = samplePeers(this.membership.reachable(), Number.MAX_SAFE_INTEGER, this.rng);
    }
    return undefined;
  }

  private probeTimeout(): void {
    const swim = this.options.swim;
    if (swim === null || this.probe === null || this.probe.acked) return;
    const target = this.probe.target;
    const helpers = samplePeers(this.membership.reachable().filter((p) => p !== target), swim.indirectChecks, this.rng);
    for (const h of helpers) this.send(h, { type: "PingReq", seq: this.probe.seq, target, updates: this.piggyback() });
  }

  private suspect(node: NodeId, incarnation: number): void {
    this.applyMember({ kind: "suspect", node, incarnation });
  }

  private suspicionExpired(node: NodeId): void {
    const m = this.membership.get(node);
    if (m === undefined || m.status !== "suspect") return;
    this.applyMember({ kind: "dead", node, incarnation: m.incarnation });
  }

  /** Apply a membership update (heard or decided); arm suspicion timers and persist refutations. */
  private applyMember(u: MemberUpdate): void {
    const effect = this.membership.apply(u);
    if (effect === "refuted") this.rd.persist.push({ key: INCARNATION_KEY, value: this.membership.incarnation });
    if (effect === "changed" && u.kind === "suspect" && this.options.swim !== null) this.arm(`suspect:${u.node}`, this.options.swim.suspicionTimeoutMs);
  }

  private piggyback(): MemberUpdate[] {
    return this.membership.piggyback(this.options.swim?.maxPiggyback ?? 0);
  }

  private onSwim(from: NodeId, m: Extract<GossipMessage, { type: "Ping" | "Ack" | "PingReq" }>): void {
    for (const u of Array.isArray(m.updates) ? m.updates : []) {
      if (isMemberUpdate(u)) this.applyMember(u);
      else this.stats.ignored++;
    }
    // A message from a member we have never heard of: it is alive (at incarnation 0 at least).
    const sender = this.membership.get(from);
    if (sender === undefined) this.applyMember({ kind: "alive", node: from, incarnation: 0 });
    // A member we believe dead is talking: tell it, so it refutes with a higher incarnation.
    else if (sender.status === "dead") this.membership.enqueue({ kind: "dead", node: from, incarnation: sender.incarnation });
    switch (m.type) {
      case "Ping":
        this.send(from, { type: "Ack", seq: m.seq, updates: this.piggyback() });
        break;
      case "PingReq": {
        const mine = ++this.probeSeq;
        this.relays.set(mine, { requester: from, seq: m.seq });
        // Bounded: a relay whose ack never comes is forgotten after 64 newer ones.
        if (this.relays.size > 64) this.relays.delete(this.relays.keys().next().value as number);
        this.send(m.target, { type: "Ping", seq: mine, updates: this.piggyback() });
        break;
      }
      case "Ack": {
        const relay = this.relays.get(m.seq);
        if (relay !== undefined) {
          this.relays.delete(m.seq);
          this.send(relay.requester, { type: "Ack", seq: relay.seq, updates: this.piggyback() });
        } else if (this.probe !== null && this.probe.seq === m.seq) {
          this.probe.acked = true;
        }
        break;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  private onMessage(from: NodeId, m: GossipMessage): void {
    const t = (m as { type?: unknown } | null)?.type;
    switch (t) {
      case "Ping":
      case "Ack":
      case "PingReq":
        if (this.options.swim === null || !Number.isSafeInteger((m as { seq: unknown }).seq)) break;
        this.onSwim(from, m as Extract<GossipMessage, { type: "Ping" | "Ack" | "PingReq" }>);
        return;
      case "Rumor":
        if (!Array.isArray((m as { deltas: unknown }).deltas) || !Array.isArray((m as { known: unknown }).known)) break;
        this.onRumor(from, m as Extract<GossipMessage, { type: "Rumor" }>);
        return;
      case "AeHashes":
        if (!Number.isSafeInteger((m as { level: unknown }).level) || !Array.isArray((m as { hashes: unknown }).hashes)) break;
        this.onAeHashes(from, m as Extract<GossipMessage, { type: "AeHashes" }>);
        return;
      case "AeEntries":
        if (!Array.isArray((m as { entries: unknown }).entries)) break;
        this.onAeEntries(from, m as Extract<GossipMessage, { type: "AeEntries" }>);
        return;
    }
    this.stats.ignored++;
  }

  /** Compact `key` at its causally stable cut over every member ever known (the dead too: they keep their state). */
  private compactStable(key: string): void {
    if (!this.options.compactStable || this.store.payload(key).compact === undefined) return;
    this.store.compact(key, this.store.stable(key, this.id, this.membership.all().map((m) => m.id)));
  }

  private traceJoined(joined: readonly Received[]): void {
    for (const j of joined) this.trace({ kind: "delta", key: j.delta.key, from: j.from, delta: j.delta, outcome: "joined" });
  }

  private persistChanged(): void {
    for (const k of this.store.takeChanged()) this.rd.persist.push({ key: `${ENTRY_PREFIX}${k}`, value: this.store.stored(k) });
  }
}

function isDotOf(d: unknown): d is { key: string; origin: NodeId; seq: number } {
  const x = d as { key?: unknown; origin?: unknown; seq?: unknown } | null;
  return typeof x?.key === "string" && typeof x.origin === "string" && Number.isSafeInteger(x.seq);
}

function isDelta(d: unknown): d is Delta {
  const x = d as Partial<Delta> | null;
  return typeof x?.key === "string" && typeof x.dot?.origin === "string" && Number.isSafeInteger(x.dot.seq) && (x.dot.seq as number) >= 1 && vvProblem(x.deps) === null;
}

function isMemberUpdate(u: unknown): u is MemberUpdate {
  const x = u as Partial<MemberUpdate> | null;
  return (x?.kind === "alive" || x?.kind === "suspect" || x?.kind === "dead") && typeof x.node === "string" && Number.isSafeInteger(x.incarnation) && (x.incarnation as number) >= 0;
}

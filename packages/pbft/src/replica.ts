/**
 * One PBFT replica (Castro and Liskov): a pure state machine over `step`/`ready`, hosting the
 * linearizable key-value store of `@synod/kv`.
 *
 * - Normal case: the primary of view v (replica `v mod n` of the sorted ids) batches client
 *   requests into pre-prepares at consecutive sequence numbers inside the window `(h, h + L]`;
 *   backups accept one pre-prepare per (v, n) and multicast prepares; with the pre-prepare and 2f
 *   matching prepares a replica is prepared and multicasts a commit; with 2f + 1 commits it has
 *   committed locally and executes in sequence order, replying to the client (who waits for f + 1
 *   matching replies).
 * - Every K sequence numbers a replica multicasts a signed checkpoint of its state; 2f + 1
 *   matching ones make it stable: the low watermark h moves up and the log below it is dropped. A
 *   replica behind a stable checkpoint fetches the state (checked against the proven digest).
 * - A backup that waits too long for a request starts a view change (signed, with its stable
 *   checkpoint and its P and Q sets); f + 1 view changes for higher views make it join; the new
 *   primary with 2f + 1 decides the new view (view-change.ts) and multicasts it, signed, with the
 *   view changes it used, so that backups can check the decision.
 * - Status messages let peers retransmit what a replica misses (lost messages, a missed new view,
 *   a stable checkpoint it is behind).
 *
 * Normal-case messages carry HMAC authenticator vectors; checkpoints, view changes and new views
 * carry Ed25519 signatures; client requests the client's signature. A message whose authenticator
 * does not verify is dropped and counted (`authFailures`).
 *
 * @module
 */
import { restoreKvStore, newKvStore, type KvStore } from "@synod/kv";
import type { ActionLabel, ClientReply, Event, Json, NodeId, Ready, Rng } from "@synod/protocol";
import { emptyReady } from "@synod/protocol";
import { canonical, digestOf, ReplicaKeys, type PbftKeyFile } from "./auth.js";
import { replyBody } from "./client.js";
import { bodyOf, checkPbftMessage, checkRequest, type CheckpointMsg, type PbftMessage, type PrePreparedClaim, type PreparedClaim, type ViewChangeMsg } from "./messages.js";
import { CKPT_KEY, PbftStorageError, recover, slotKey, VIEW_KEY, type StoredSlot } from "./storage.js";
import { requestBody, type KvResult, type PbftCommand, type PbftInspect, type PbftOptions, type SignedRequest, type SlotInspect } from "./types.js";
import { decideNewView } from "./view-change.js";

/** Name of the view-change timer. */
export const VIEW_CHANGE_TIMER = "viewchange";
/** Name of the status (retransmission) timer. */
export const STATUS_TIMER = "status";
/**
 * `Applied.index` of the request at `position` of the batch at sequence number `seq`: batches hold
 * fewer requests than this, so every request has an index of its own, the same at every replica.
 */
export const INDEX_STRIDE = 1_000_000;

/** What {@link PbftCore.specView} returns. */
export interface PbftSpecView {
  id: NodeId;
  /** Batch digests it knows the batch of → the request's name. */
  digests: Record<string, string>;
  view: number;
  active: boolean;
  stable: { seq: number; digest: string; proof: NodeId[] };
  executed: number;
  /** The requests executed, by name, from sequence number 1 (spec mode). */
  history: string[];
  /** Its own checkpoints still held: digest and the history they certify (spec mode). */
  checkpoints: { seq: number; digest: string; history: string[] }[];
  slots: {
    seq: number;
    pp: { view: number; req: string } | null;
    prepared: { view: number; req: string } | null;
    prepares: { view: number; digest: string; from: NodeId[] }[];
    commits: { view: number; digest: string; from: NodeId[] }[];
    certificates: { view: number; req: string; by: NodeId[] }[];
  }[];
  checkpointVotes: { seq: number; digest: string; from: NodeId[] }[];
  /** View changes it holds (its own included). */
  viewChanges: ViewChangeMsg[];
  /** The new view it entered last. */
  newView: NewViewMsg | null;
}

/** Sequence numbers whose executed batch digest a replica remembers (for agreement checks). */
export const EXECUTED_LOG_MAX = 4096;

/** A configuration error (bad option, key or membership): names the problem. */
export class PbftConfigError extends Error {
  override readonly name = "PbftConfigError";
}

/** What a replica's `ready()` returns. */
export type PbftOutput = Ready<PbftMessage, KvResult, PbftCommand>;
type Out = PbftOutput;
type PrePrepareMsg = Extract<PbftMessage, { type: "PrePrepare" }>;
type PrepareMsg = Extract<PbftMessage, { type: "Prepare" }>;
type CommitMsg = Extract<PbftMessage, { type: "Commit" }>;
type NewViewMsg = Extract<PbftMessage, { type: "NewView" }>;
type StatusMsg = Extract<PbftMessage, { type: "Status" }>;
type StateReplyMsg = Extract<PbftMessage, { type: "StateReply" }>;

interface Entry {
  view: number;
  digest: string;
  batch: SignedRequest[];
}

interface Slot {
  /** The pre-prepare accepted in the latest view (the primary's own, at the primary). */
  pp: Entry | null;
  prepares: Map<string, Set<NodeId>>;
  commits: Map<string, Set<NodeId>>;
  /** The latest prepared certificate (the P set's entry). */
  prepared: Entry | null;
  /** Pre-prepared claims (the Q set): digest → latest view. */
  q: Map<string, number>;
  /** Prepared in `pp.view` (so its commit went out). */
  preparedNow: boolean;
  committed: boolean;
  /** What this replica sent for the slot in `pp.view`, for retransmission. */
  sent: PbftMessage[];
  /** Every prepared certificate it held here: view, batch and the replicas whose prepares made it. */
  certificates: { view: number; digest: string; batch: SignedRequest[]; by: NodeId[] }[];
}

/** What one replica needs to start. */
export interface PbftInit {
  id: NodeId;
  /** Every replica of the cluster, itself included (order does not matter: they are sorted). */
  replicas: readonly NodeId[];
  /** The key file (the replica's own part suffices). */
  keys: PbftKeyFile;
  rng: Rng;
  options: PbftOptions;
  durable: ReadonlyMap<string, Json>;
  /** Receives a label for every spec action the replica takes, if set. */
  onAction?: (label: ActionLabel) => void;
}

/**
 * The name of the request a batch carries, as the spec names it: `Null` for the empty batch (the
 * null request), the value of a single put (conformance runs put model values' names), else a
 * short digest.
 */
export function requestName(batch: readonly SignedRequest[]): string {
  if (batch.length === 0) return "Null";
  const op = batch[0]!.op;
  if (batch.length === 1 && op.op === "put") return op.value;
  return `batch:${digestOf(batch).slice(0, 12)}`;
}

/** The subsets of `items` of size `k`, in lexicographic order, at most `max` of them. */
function subsets<T>(items: readonly T[], k: number, max: number): T[][] {
  const out: T[][] = [];
  const pick: T[] = [];
  const walk = (from: number): void => {
    if (out.length >= max) return;
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= items.length - (k - pick.length); i++) {
      pick.push(items[i] as T);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

const voteKey = (view: number, digest: string): string => `${view}:${digest}`;
const requestKey = (r: { clientId: string; seq: number }): string => `${r.clientId}#${r.seq}`;

/** Check options; throws {@link PbftConfigError} naming the option. */
export function validatePbftOptions(o: PbftOptions): void {
  const pos = (name: keyof PbftOptions): void => {
    const v = o[name];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) throw new PbftConfigError(`option ${name}: expected a positive integer, got ${JSON.stringify(v)}`);
  };
  for (const k of ["checkpointInterval", "logSize", "maxBatchEntries", "maxInflightBatches", "viewChangeTimeoutMs", "statusMs"] as const) pos(k);
  if (typeof o.specMode !== "boolean") throw new PbftConfigError(`option specMode: expected a boolean, got ${JSON.stringify(o.specMode)}`);
  if (typeof o.tentativeExecution !== "boolean") throw new PbftConfigError(`option tentativeExecution: expected a boolean, got ${JSON.stringify(o.tentativeExecution)}`);
  if (typeof o.readOnlyOptimization !== "boolean") throw new PbftConfigError(`option readOnlyOptimization: expected a boolean, got ${JSON.stringify(o.readOnlyOptimization)}`);
  if (o.logSize < o.checkpointInterval) throw new PbftConfigError(`option logSize (${o.logSize}) must be at least checkpointInterval (${o.checkpointInterval})`);
  if (o.maxBatchEntries >= INDEX_STRIDE) throw new PbftConfigError(`option maxBatchEntries must be below ${INDEX_STRIDE}`);
}

/** One PBFT replica's protocol state, for one life (a restart makes a new one from storage; see `PbftReplica`). */
export class PbftCore {
  readonly id: NodeId;
  /** Every replica, sorted: the primary of view v is `replicas[v mod n]`. */
  readonly replicas: readonly NodeId[];
  /** The others. */
  readonly peerIds: readonly NodeId[];
  /** Faults tolerated: n = 3f + 1 (or more). */
  readonly f: number;
  private readonly keys: ReplicaKeys;
  private readonly opts: PbftOptions;
  private readonly onAction: ((label: ActionLabel) => void) | undefined;

  private view = 0;
  private active = true;
  private h = 0;
  private stableDigest: string;
  private stableProof: CheckpointMsg[] = [];
  private executed = 0;
  private kv: KvStore = newKvStore();
  private readonly slots = new Map<number, Slot>();
  /** Own checkpoints not yet stable (or the stable one): seq → digest and state. */
  private readonly ownCheckpoints = new Map<number, { digest: string; snapshot: Json }>();
  private readonly checkpointVotes = new Map<number, Map<NodeId, CheckpointMsg>>();
  private readonly viewChanges = new Map<number, Map<NodeId, ViewChangeMsg>>();
  private myViewChange: ViewChangeMsg | null = null;
  private lastNewView: NewViewMsg | null = null;
  /** Consecutive views started without reaching one (the view-change timeout doubles each time). */
  private failedViews = 0;
  /** Client requests received and not yet executed. */
  private readonly pending = new Map<string, SignedRequest>();
  /** At the primary: requests pre-prepared in this view and not yet executed. */
  private readonly inLog = new Set<string>();
  private nextSeq = 1;
  private vcTimerArmed = false;
  private readonly verifiedRequests = new Set<string>();
  /** Spec mode: the name of the request executed at each sequence number, from 1 (see `specMode`). */
  private history: string[] = [];
  /** Spec mode: the histories of its own checkpoints, by sequence number. */
  private readonly checkpointHistories = new Map<number, string[]>();
  /** The digest of the batch executed at each recent sequence number (agreement checks; bounded). */
  private readonly executedLog = new Map<number, string>();
  private stateRequestedAt = -1;
  /**
   * The batch executed tentatively (at `executed + 1`, prepared, not yet committed): the store
   * before it (to roll back to), and each request's result (replied again, committed, at commit).
   */
  private tentative: { seq: number; view: number; digest: string; before: Json; results: Map<string, KvResult> } | null = null;
  /** Read-only requests waiting for the tentative batch to commit (or roll back) before they are answered. */
  private readonly deferredReads: SignedRequest[] = [];
  /** Read-only requests answered from local state. */
  readOnlyAnswered = 0;
  /** Batches executed tentatively, and of them rolled back (a view change took them away). */
  tentativeExecuted = 0;
  tentativeRolledBack = 0;
  /** Conformance replay: the senders whose view changes the next new view must be decided from. */
  private newViewFrom: ReadonlySet<NodeId> | null = null;

  /** Messages dropped because an authenticator did not verify. */
  authFailures = 0;
  /** Messages dropped for any other reason. */
  ignored = 0;
  private nowMs = 0;
  private out: Out = emptyReady();
  private readonly dirtySlots = new Set<number>();
  private viewDirty = false;

  constructor(init: PbftInit) {
    validatePbftOptions(init.options);
    const replicas = [...new Set(init.replicas)].sort();
    if (replicas.length !== init.replicas.length) throw new PbftConfigError("replicas: an id appears twice");
    if (!replicas.includes(init.id)) throw new PbftConfigError(`replicas: ${init.id} is not one of ${replicas.join(", ")}`);
    if (replicas.length < 4) throw new PbftConfigError(`replicas: PBFT needs n = 3f + 1 >= 4 replicas, got ${replicas.length}`);
    this.id = init.id;
    this.replicas = replicas;
    this.peerIds = replicas.filter((r) => r !== init.id);
    this.f = Math.floor((replicas.length - 1) / 3);
    this.opts = init.options;
    this.onAction = init.onAction;
    try {
      this.keys = new ReplicaKeys(init.keys, init.id, replicas);
    } catch (err) {
      throw new PbftConfigError((err as Error).message);
    }
    this.stableDigest = digestOf(newKvStore().toJson());
    const rec = recover(init.durable);
    if (rec === null) {
      this.viewDirty = true;
    } else {
      this.view = rec.view;
      this.active = rec.active;
      if (rec.ckpt !== null) {
        this.h = rec.ckpt.seq;
        this.stableDigest = rec.ckpt.digest;
        this.stableProof = rec.ckpt.proof;
        try {
          this.kv = restoreKvStore(rec.ckpt.snapshot);
        } catch (err) {
          throw new PbftStorageError(`${CKPT_KEY}.snapshot: ${(err as Error).message}`);
        }
        if (digestOf(this.kv.toJson()) !== rec.ckpt.digest) throw new PbftStorageError(`${CKPT_KEY}: the snapshot does not match its digest`);
        this.ownCheckpoints.set(this.h, { digest: rec.ckpt.digest, snapshot: rec.ckpt.snapshot });
        this.executed = this.h;
      }
      for (const [n, s] of rec.slots) if (n > this.h) this.slots.set(n, this.restoreSlot(s));
      // Rebuild the store from the committed prefix; nothing is replied or reported again.
      for (let s = this.slots.get(this.executed + 1); s?.committed === true && s.pp !== null; s = this.slots.get(this.executed + 1)) {
        for (const r of s.pp.batch) this.kv.apply(r.clientId, r.seq, r.op);
        this.executed++;
      }
      if (this.isPrimary()) this.nextSeq = Math.max(this.executed, this.topSlot()) + 1;
    }
    this.setTimer(STATUS_TIMER, this.opts.statusMs);
    if (!this.active) this.sendViewChange();
  }

  // ---------------------------------------------------------------- helpers

  /** The primary of view `v`. */
  primaryOf(v: number): NodeId {
    return this.replicas[v % this.replicas.length] as NodeId;
  }

  private isPrimary(): boolean {
    return this.primaryOf(this.view) === this.id;
  }

  private topSlot(): number {
    let top = 0;
    for (const n of this.slots.keys()) if (n > top) top = n;
    return top;
  }

  private slot(n: number): Slot {
    let s = this.slots.get(n);
    if (s === undefined) {
      s = { pp: null, prepares: new Map(), commits: new Map(), prepared: null, q: new Map(), preparedNow: false, committed: false, sent: [], certificates: [] };
      this.slots.set(n, s);
    }
    return s;
  }

  private restoreSlot(s: StoredSlot): Slot {
    return {
      pp: s.pp,
      prepares: new Map(),
      commits: new Map(),
      prepared: s.prepared,
      q: new Map(s.q),
      preparedNow: s.prepared !== null && s.pp !== null && s.prepared.view === s.pp.view && s.prepared.digest === s.pp.digest,
      committed: s.committed,
      sent: [],
      certificates: s.prepared === null ? [] : [{ ...s.prepared, by: s.preparedBy ?? [] }],
    };
  }

  private inWindow(n: number): boolean {
    return n > this.h && n <= this.h + this.opts.logSize;
  }

  private note(action: string, params: Record<string, string | number> = {}): void {
    if (this.onAction !== undefined) this.onAction({ action, params: { i: this.id, ...params } });
  }

  private setTimer(name: string, afterMs: number | null): void {
    const t = this.out.timers;
    const k = t.findIndex((x) => x.name === name);
    if (k >= 0) t.splice(k, 1);
    t.push({ name, afterMs });
  }

  private multicast(message: PbftMessage): void {
    for (const p of this.peerIds) this.out.send.push({ to: p, message });
  }

  /**
   * Reply to a client, authenticated with the MAC of the key this replica shares with it (a client
   * the key file does not know gets an unauthenticated reply, which its rule rejects).
   */
  private reply(clientId: string, seq: number, result: KvResult, tentative = false): void {
    const meta = { replica: this.id, view: this.view, tentative };
    const mac = this.keys.macForClient(clientId, replyBody(clientId, seq, result, meta));
    const r: ClientReply<KvResult> = { clientId, seq, ok: true, result };
    this.out.replies.push(mac === null ? r : { ...r, auth: { ...meta, mac } });
  }

  private markSlot(n: number): void {
    this.dirtySlots.add(n);
  }

  /** Durable writes for what changed since the last ready (before the messages that depend on them go out). */
  private flush(): void {
    if (this.viewDirty) {
      this.out.persist.push({ key: VIEW_KEY, value: { view: this.view, active: this.active } });
      this.viewDirty = false;
    }
    for (const n of [...this.dirtySlots].sort((a, b) => a - b)) {
      const s = this.slots.get(n);
      if (s === undefined || n <= this.h) {
        this.out.persist.push({ key: slotKey(n), delete: true });
        continue;
      }
      const by = s.prepared === null ? undefined : s.certificates.find((c) => c.view === s.prepared!.view && c.digest === s.prepared!.digest)?.by;
      const stored: StoredSlot = { pp: s.pp, prepared: s.prepared, q: [...s.q.entries()], committed: s.committed, ...(by === undefined ? {} : { preparedBy: by }) };
      this.out.persist.push({ key: slotKey(n), value: stored as unknown as Json });
    }
    this.dirtySlots.clear();
  }

  // ---------------------------------------------------------------- ProtocolNode

  hasReady(): boolean {
    const o = this.out;
    return this.viewDirty || this.dirtySlots.size > 0 || o.persist.length + o.send.length + o.timers.length + o.replies.length + o.applied.length > 0;
  }

  ready(): Out {
    this.flush();
    const rd = this.out;
    this.out = emptyReady();
    return rd;
  }

  step(event: Event<PbftMessage, PbftCommand>): void {
    this.nowMs = event.nowMs;
    switch (event.type) {
      case "message":
        this.onMessage(event.from, event.message);
        break;
      case "timer":
        this.onTimer(event.name);
        break;
      case "request": {
        const c = event.request.command as Partial<PbftCommand> | null;
        const r = { clientId: event.request.clientId, seq: event.request.seq, op: c?.op, sig: c?.sig } as SignedRequest;
        this.onRequest(r, true, c?.readOnly === true);
        break;
      }
      case "restart":
        // The constructor recovered from storage; a restarted replica asks for what it missed.
        this.sendStatus();
        break;
    }
  }

  // ---------------------------------------------------------------- timers

  private onTimer(name: string): void {
    if (name === STATUS_TIMER) {
      this.sendStatus();
      this.setTimer(STATUS_TIMER, this.opts.statusMs);
      return;
    }
    if (name === VIEW_CHANGE_TIMER) {
      this.vcTimerArmed = false;
      if (this.active && this.pending.size === 0) return;
      this.startViewChange(this.view + 1);
      return;
    }
    this.ignored++;
  }

  private armViewChangeTimer(restart: boolean): void {
    if (this.vcTimerArmed && !restart) return;
    this.vcTimerArmed = true;
    this.setTimer(VIEW_CHANGE_TIMER, this.opts.viewChangeTimeoutMs * 2 ** Math.min(this.failedViews, 6));
  }

  private cancelViewChangeTimer(): void {
    if (!this.vcTimerArmed) return;
    this.vcTimerArmed = false;
    this.setTimer(VIEW_CHANGE_TIMER, null);
  }

  // ---------------------------------------------------------------- client requests

  private requestVerified(r: SignedRequest): boolean {
    // Keyed by the whole signed request: a signature seen valid once must not vouch for another
    // operation (a faulty replica re-using a client's signature on a request of its making).
    const key = canonical({ clientId: r.clientId, seq: r.seq, op: r.op, sig: r.sig });
    if (this.verifiedRequests.has(key)) return true;
    if (!this.keys.verifyClient(r.clientId, requestBody(r.clientId, r.seq, r.op), r.sig)) return false;
    if (this.verifiedRequests.size >= 4096) this.verifiedRequests.clear();
    this.verifiedRequests.add(key);
    return true;
  }

  private onRequest(r: SignedRequest, fromClient: boolean, readOnly = false): void {
    if (checkRequest(r) !== null) {
      this.ignored++;
      return;
    }
    if (!this.requestVerified(r)) {
      this.authFailures++;
      return;
    }
    if (readOnly && this.opts.readOnlyOptimization && r.op.op === "get" && this.kv.cached(r.clientId, r.seq) === null) {
      // Every replica answers from its own state; the client needs 2f + 1 matching answers.
      if (fromClient) this.multicast({ type: "Request", request: r, readOnly: true });
      if (this.tentative !== null) {
        if (this.deferredReads.length < 4096) this.deferredReads.push(r);
        else this.ignored++;
      } else this.answerRead(r);
      return;
    }
    const cached = this.kv.cached(r.clientId, r.seq);
    if (cached !== null) {
      if (cached.kind === "duplicate") this.reply(r.clientId, r.seq, cached.result, this.tentative?.results.has(requestKey(r)) === true);
      return;
    }
    const key = requestKey(r);
    const known = this.pending.has(key);
    if (!known) {
      // A client runs one request at a time: a newer one supersedes what it sent before.
      for (const [k, p] of this.pending) if (p.clientId === r.clientId && p.seq < r.seq) this.pending.delete(k);
      this.pending.set(key, r);
    }
    if (fromClient && !this.isPrimary()) this.multicast({ type: "Request", request: r });
    if (this.isPrimary() && this.active) this.propose(this.opts.specMode ? key : undefined);
    else if (this.active || !known) this.armViewChangeTimer(false);
  }

  // ---------------------------------------------------------------- normal case

  /**
   * The primary pre-prepares pending requests while the window and the in-flight bound allow. In
   * spec mode a primary proposes only when a request arrives, and only that request (PBFT.tla's
   * SendPrePrepare(i, r) is a step of its own), or when told ({@link specProposePending}).
   */
  private propose(only?: string): void {
    if (!this.active || !this.isPrimary()) return;
    if (this.opts.specMode && only === undefined) return;
    while (this.nextSeq - 1 - this.executed < this.opts.maxInflightBatches && this.inWindow(this.nextSeq)) {
      const batch: SignedRequest[] = [];
      for (const [k, r] of this.pending) {
        if (batch.length >= this.opts.maxBatchEntries) break;
        if (this.inLog.has(k) || (only !== undefined && k !== only)) continue;
        if (this.kv.cached(r.clientId, r.seq) !== null) {
          this.pending.delete(k);
          continue;
        }
        batch.push(r);
      }
      if (batch.length === 0) return;
      for (const r of batch) this.inLog.add(requestKey(r));
      const n = this.nextSeq++;
      const body = { type: "PrePrepare" as const, view: this.view, seq: n, digest: digestOf(batch), batch, replica: this.id };
      const msg: PrePrepareMsg = { ...body, auth: this.keys.authenticate(body, this.peerIds) };
      const s = this.slot(n);
      s.pp = { view: this.view, digest: body.digest, batch };
      s.q.set(body.digest, this.view);
      s.preparedNow = false;
      s.committed = false;
      s.sent = [msg];
      this.markSlot(n);
      this.note("SendPrePrepare", { r: requestName(batch) });
      this.multicast(msg);
      this.checkSlot(n);
    }
  }

  private onPrePrepare(m: PrePrepareMsg): void {
    if (m.replica !== this.primaryOf(m.view) || m.replica === this.id) return void this.ignored++;
    if (!this.keys.checkAuth(m.replica, bodyOf(m), m.auth)) return void this.authFailures++;
    if (m.view !== this.view || !this.active || !this.inWindow(m.seq)) return void this.ignored++;
    // The null request enters only through a new view; in the normal case a primary orders
    // client requests (a faulty one proposing nothing would burn sequence numbers).
    if (m.batch.length === 0) return void this.ignored++;
    if (digestOf(m.batch) !== m.digest) return void this.ignored++;
    for (const r of m.batch) if (!this.requestVerified(r)) return void this.authFailures++;
    const s = this.slot(m.seq);
    if (s.pp !== null && s.pp.view === m.view) {
      // One pre-prepare per (view, sequence number): a second, different one is the primary equivocating.
      if (s.pp.digest !== m.digest) this.ignored++;
      return;
    }
    s.pp = { view: m.view, digest: m.digest, batch: m.batch };
    s.q.set(m.digest, m.view);
    s.preparedNow = false;
    s.committed = false;
    for (const r of m.batch) {
      const k = requestKey(r);
      if (!this.pending.has(k) && this.kv.cached(r.clientId, r.seq) === null) this.pending.set(k, r);
    }
    this.markSlot(m.seq);
    this.note("SendPrepare", { v: m.view, n: m.seq, r: requestName(m.batch) });
    const body = { type: "Prepare" as const, view: m.view, seq: m.seq, digest: m.digest, replica: this.id };
    const prep: PrepareMsg = { ...body, auth: this.keys.authenticate(body, this.peerIds) };
    s.sent = [prep];
    this.vote(s.prepares, m.view, m.digest, this.id);
    this.multicast(prep);
    this.checkSlot(m.seq);
    if (this.pending.size > 0) this.armViewChangeTimer(false);
  }

  private vote(votes: Map<string, Set<NodeId>>, view: number, digest: string, who: NodeId): void {
    const k = voteKey(view, digest);
    let set = votes.get(k);
    if (set === undefined) {
      set = new Set();
      votes.set(k, set);
    }
    set.add(who);
  }

  private onPrepare(m: PrepareMsg): void {
    if (m.replica === this.primaryOf(m.view) || m.replica === this.id || !this.replicas.includes(m.replica)) return void this.ignored++;
    if (!this.keys.checkAuth(m.replica, bodyOf(m), m.auth)) return void this.authFailures++;
    if (m.view !== this.view || !this.inWindow(m.seq)) return void this.ignored++;
    this.vote(this.slot(m.seq).prepares, m.view, m.digest, m.replica);
    this.checkSlot(m.seq);
  }

  private onCommit(m: CommitMsg): void {
    if (m.replica === this.id || !this.replicas.includes(m.replica)) return void this.ignored++;
    if (!this.keys.checkAuth(m.replica, bodyOf(m), m.auth)) return void this.authFailures++;
    if (m.view !== this.view || !this.inWindow(m.seq)) return void this.ignored++;
    this.vote(this.slot(m.seq).commits, m.view, m.digest, m.replica);
    this.checkSlot(m.seq);
  }

  /** Prepared and committed-local predicates of the paper, for the slot's pre-prepare in this view. */
  private checkSlot(n: number): void {
    const s = this.slots.get(n);
    if (s === undefined || s.pp === null || s.pp.view !== this.view || !this.active) return;
    const { view, digest } = s.pp;
    const k = voteKey(view, digest);
    const primary = this.primaryOf(view);
    if (!s.preparedNow) {
      let prepares = 0;
      for (const r of s.prepares.get(k) ?? []) if (r !== primary) prepares++;
      // The certificate is the pre-prepare and 2f prepares (the broken build: 2f − 1).
      const need = this.opts.unsafe.smallPreparedCertificate === true ? 2 * this.f - 1 : 2 * this.f;
      if (prepares < need) return;
      s.preparedNow = true;
      s.prepared = { view, digest, batch: s.pp.batch };
      s.certificates.push({ view, digest, batch: s.pp.batch, by: [...(s.prepares.get(k) ?? [])].filter((r) => r !== primary).sort() });
      this.markSlot(n);
      this.note("SendCommit", { v: view, n, r: requestName(s.pp.batch) });
      const body = { type: "Commit" as const, view, seq: n, digest, replica: this.id };
      const commit: CommitMsg = { ...body, auth: this.keys.authenticate(body, this.peerIds) };
      s.sent.push(commit);
      this.vote(s.commits, view, digest, this.id);
      this.multicast(commit);
    }
    if (!s.committed) {
      const commits = s.commits.get(k)?.size ?? 0;
      if (commits < 2 * this.f + 1 && this.opts.unsafe.executeBeforeCommit !== true) {
        this.executeTentatively();
        return;
      }
      s.committed = true;
      this.markSlot(n);
      this.execute();
    }
  }

  /** Execute committed batches in sequence order; checkpoint every K. */
  private execute(): void {
    let progressed = false;
    for (let s = this.slots.get(this.executed + 1); s?.committed === true && s.pp !== null; s = this.slots.get(this.executed + 1)) {
      const n = this.executed + 1;
      // Executed tentatively already: the store holds its effects; commit them (a different
      // batch committed here cannot happen within a view, and view changes roll back first).
      const done = this.tentative !== null && this.tentative.seq === n && this.tentative.digest === s.pp.digest ? this.tentative : null;
      if (this.tentative !== null && done === null) this.rollBack();
      this.tentative = null;
      s.pp.batch.forEach((r, position) => {
        const k = requestKey(r);
        const outcome = done === null ? this.kv.apply(r.clientId, r.seq, r.op) : done.results.has(k) ? { kind: "applied" as const, result: done.results.get(k)! } : { kind: "stale" as const };
        this.pending.delete(k);
        this.inLog.delete(k);
        if (outcome.kind === "stale") return;
        if (outcome.kind === "applied") {
          this.out.applied.push({ index: n * INDEX_STRIDE + position, command: { op: r.op, sig: r.sig }, result: outcome.result, request: { clientId: r.clientId, seq: r.seq } });
        }
        this.reply(r.clientId, r.seq, outcome.result);
      });
      this.executed = n;
      this.executedLog.set(n, s.pp.digest);
      if (this.executedLog.size > EXECUTED_LOG_MAX) this.executedLog.delete(this.executedLog.keys().next().value as number);
      progressed = true;
      this.note("Execute", { n, r: requestName(s.pp.batch) });
      if (this.opts.specMode) this.history.push(requestName(s.pp.batch));
      if (n % this.opts.checkpointInterval === 0) this.takeCheckpoint(n);
    }
    if (!progressed) return;
    if (this.pending.size === 0) this.cancelViewChangeTimer();
    else if (!this.isPrimary()) this.armViewChangeTimer(true);
    // Reads deferred behind a batch that has now committed, before the next one runs tentatively.
    this.answerDeferredReads();
    this.executeTentatively();
    this.propose();
  }

  /**
   * Tentative execution: the batch after the committed prefix, once prepared in this view, runs
   * against the store now, and its clients get replies marked tentative. One batch at a time: a
   * tentative batch is never built on another. Duplicates and stale requests behave as at commit.
   */
  private executeTentatively(): void {
    if (!this.opts.tentativeExecution || this.tentative !== null || !this.active) return;
    const n = this.executed + 1;
    const s = this.slots.get(n);
    if (s === undefined || s.pp === null || !s.preparedNow || s.committed || s.pp.view !== this.view) return;
    const before = this.kv.toJson();
    const results = new Map<string, KvResult>();
    for (const r of s.pp.batch) {
      const outcome = this.kv.apply(r.clientId, r.seq, r.op);
      if (outcome.kind === "stale") continue;
      // A duplicate (executed before) replies with its committed result, as at commit.
      if (outcome.kind === "applied") results.set(requestKey(r), outcome.result);
      this.reply(r.clientId, r.seq, outcome.result, outcome.kind === "applied");
    }
    this.tentative = { seq: n, view: s.pp.view, digest: s.pp.digest, before, results };
    this.tentativeExecuted++;
  }

  /** Answer a read-only request from the current (committed) state, marked like a tentative reply. */
  private answerRead(r: SignedRequest): void {
    this.readOnlyAnswered++;
    this.reply(r.clientId, r.seq, this.kv.query(r.op), true);
  }

  /** Reads deferred behind a tentative batch, now that none is outstanding. */
  private answerDeferredReads(): void {
    if (this.tentative !== null) return;
    for (const r of this.deferredReads.splice(0)) this.answerRead(r);
  }

  /** Undo the tentative batch: back to the state after the committed prefix. */
  private rollBack(): void {
    if (this.tentative === null) return;
    this.kv = restoreKvStore(this.tentative.before);
    this.tentative = null;
    this.tentativeRolledBack++;
    this.answerDeferredReads();
  }

  // ---------------------------------------------------------------- checkpoints

  private takeCheckpoint(n: number): void {
    const snapshot = this.kv.toJson();
    const digest = digestOf(snapshot);
    this.ownCheckpoints.set(n, { digest, snapshot });
    if (this.opts.specMode) this.checkpointHistories.set(n, [...this.history]);
    const body = { type: "Checkpoint" as const, seq: n, digest, replica: this.id };
    const msg: CheckpointMsg = { ...body, sig: this.keys.sign(body) };
    this.multicast(msg);
    this.onCheckpointVote(msg);
  }

  private checkpointValid(c: CheckpointMsg): boolean {
    return this.replicas.includes(c.replica) && this.keys.verifyReplica(c.replica, bodyOf(c), c.sig);
  }

  /** A proof of a stable checkpoint: 2f + 1 valid checkpoints of distinct replicas for (seq, digest). */
  private proofValid(seq: number, digest: string, proof: readonly CheckpointMsg[]): boolean {
    if (seq === 0) return true;
    const signers = new Set<NodeId>();
    for (const c of proof) if (c.seq === seq && c.digest === digest && this.checkpointValid(c)) signers.add(c.replica);
    return signers.size >= 2 * this.f + 1;
  }

  private onCheckpoint(m: CheckpointMsg): void {
    if (m.replica === this.id) return void this.ignored++;
    if (!this.checkpointValid(m)) return void this.authFailures++;
    if (m.seq <= this.h || m.seq % this.opts.checkpointInterval !== 0) return void this.ignored++;
    this.onCheckpointVote(m);
  }

  private onCheckpointVote(m: CheckpointMsg): void {
    let votes = this.checkpointVotes.get(m.seq);
    if (votes === undefined) {
      votes = new Map();
      this.checkpointVotes.set(m.seq, votes);
      // Bounded: keep the 4L highest sequence numbers voted on (a faulty replica may vote far ahead).
      if (this.checkpointVotes.size > 4 * this.opts.logSize) {
        const lowest = Math.min(...this.checkpointVotes.keys());
        this.checkpointVotes.delete(lowest);
      }
    }
    votes.set(m.replica, m);
    const matching = [...votes.values()].filter((c) => c.digest === m.digest);
    if (matching.length >= 2 * this.f + 1 && m.seq > this.h) this.makeStable(m.seq, m.digest, matching);
  }

  /** A checkpoint became stable: move the low watermark and drop the log below it. */
  private makeStable(seq: number, digest: string, proof: CheckpointMsg[], inNewView = false): void {
    this.h = seq;
    this.stableDigest = digest;
    this.stableProof = proof;
    // Entering a new view adopts its checkpoint as part of AcceptNewView / SendNewView.
    if (!inNewView) this.note("StableCheckpoint", { n: seq });
    for (const n of [...this.slots.keys()]) {
      if (n <= seq) {
        this.slots.delete(n);
        this.markSlot(n);
      }
    }
    for (const n of [...this.checkpointVotes.keys()]) if (n <= seq) this.checkpointVotes.delete(n);
    for (const n of [...this.ownCheckpoints.keys()]) if (n < seq) this.ownCheckpoints.delete(n);
    const own = this.ownCheckpoints.get(seq);
    if (own !== undefined && own.digest === digest) {
      this.out.persist.push({ key: CKPT_KEY, value: { seq, digest, proof: proof as unknown as Json, snapshot: own.snapshot } });
    } else {
      this.ownCheckpoints.delete(seq);
    }
    if (this.executed < seq) this.requestState();
    if (this.isPrimary() && this.nextSeq <= seq) this.nextSeq = seq + 1;
    // Inside a new view, the view's own entries come first: installView proposes once they are
    // in place (proposing here would pre-prepare at a sequence number installView then clears).
    if (!inNewView) this.propose();
  }

  private requestState(): void {
    // Once per status period at most: the answer is large.
    if (this.stateRequestedAt >= 0 && this.nowMs - this.stateRequestedAt < this.opts.statusMs) return;
    this.stateRequestedAt = this.nowMs;
    const askFrom = this.stableProof.map((c) => c.replica).filter((r) => r !== this.id);
    for (const r of askFrom) this.out.send.push({ to: r, message: { type: "StateRequest", seq: this.h, replica: this.id } });
  }

  private onStateRequest(from: NodeId, seq: number): void {
    // Its stable checkpoint (with the proof), or its own checkpoint at exactly `seq` (the asker
    // holds the proof of that one).
    const at = this.h >= seq && this.ownCheckpoints.get(this.h)?.digest === this.stableDigest ? this.h : seq;
    const own = this.ownCheckpoints.get(at);
    if (own === undefined) return void this.ignored++;
    const history = this.opts.specMode ? this.checkpointHistories.get(at) : undefined;
    this.out.send.push({
      to: from,
      message: { type: "StateReply", seq: at, digest: own.digest, proof: at === this.h ? this.stableProof : [], snapshot: own.snapshot, ...(history === undefined ? {} : { history }) },
    });
  }

  private onStateReply(m: StateReplyMsg): void {
    if (m.seq <= this.executed) return void this.ignored++;
    const proven = (m.seq === this.h && m.digest === this.stableDigest) || this.proofValid(m.seq, m.digest, m.proof);
    if (!proven) return void this.authFailures++;
    if (digestOf(m.snapshot) !== m.digest) return void this.authFailures++;
    let kv: KvStore;
    try {
      kv = restoreKvStore(m.snapshot as Json);
    } catch {
      return void this.ignored++;
    }
    this.tentative = null;
    this.kv = kv;
    this.executed = m.seq;
    this.answerDeferredReads();
    this.ownCheckpoints.set(m.seq, { digest: m.digest, snapshot: m.snapshot as Json });
    if (this.opts.specMode && Array.isArray(m.history)) {
      this.history = m.history.map(String);
      this.checkpointHistories.set(m.seq, [...this.history]);
    }
    for (const [k, r] of this.pending) if (this.kv.cached(r.clientId, r.seq) !== null) this.pending.delete(k);
    if (m.seq > this.h) this.makeStable(m.seq, m.digest, m.proof.length > 0 ? m.proof : this.stableProof);
    else if (m.seq === this.h) this.out.persist.push({ key: CKPT_KEY, value: { seq: m.seq, digest: m.digest, proof: m.proof as unknown as Json, snapshot: m.snapshot as Json } });
    this.execute();
  }

  // ---------------------------------------------------------------- view change

  /** Move to view `v` (above the current one) and multicast a view change for it. */
  private startViewChange(v: number): void {
    if (v <= this.view && !(v === this.view && !this.active)) return;
    if (v > this.view + 1 || !this.active) this.failedViews++;
    this.view = v;
    this.active = false;
    this.viewDirty = true;
    this.inLog.clear();
    // What executed tentatively may be replaced in the new view (by the null request, or moved).
    this.rollBack();
    for (const n of [...this.viewChanges.keys()]) if (n < v) this.viewChanges.delete(n);
    this.note("StartViewChange", { v });
    this.sendViewChange();
  }

  private sendViewChange(): void {
    const prepared: PreparedClaim[] = [];
    const prePrepared: PrePreparedClaim[] = [];
    for (const [n, s] of [...this.slots.entries()].sort((a, b) => a[0] - b[0])) {
      if (n <= this.h) continue;
      if (s.prepared !== null) prepared.push({ seq: n, view: s.prepared.view, digest: s.prepared.digest, batch: s.prepared.batch });
      for (const [digest, view] of s.q) prePrepared.push({ seq: n, view, digest });
    }
    const body = {
      type: "ViewChange" as const,
      view: this.view,
      stable: { seq: this.h, digest: this.stableDigest, proof: this.stableProof },
      prepared,
      prePrepared,
      replica: this.id,
    };
    const msg: ViewChangeMsg = { ...body, sig: this.keys.sign(body) };
    this.myViewChange = msg;
    this.multicast(msg);
    this.vcTimerArmed = false;
    this.armViewChangeTimer(true);
    this.onViewChangeVote(msg);
  }

  /** A view change is valid when signed by its sender and its checkpoint proof holds. */
  private viewChangeValid(m: ViewChangeMsg): boolean {
    if (!this.replicas.includes(m.replica)) return false;
    if (this.opts.unsafe.skipViewChangeVerification === true) return true;
    return this.keys.verifyReplica(m.replica, bodyOf(m), m.sig) && this.proofValid(m.stable.seq, m.stable.digest, m.stable.proof);
  }

  private onViewChange(m: ViewChangeMsg): void {
    if (m.replica === this.id) return void this.ignored++;
    if (!this.viewChangeValid(m)) return void this.authFailures++;
    if (m.view < this.view || (m.view === this.view && this.active)) return void this.ignored++;
    this.onViewChangeVote(m);
  }

  private onViewChangeVote(m: ViewChangeMsg): void {
    let votes = this.viewChanges.get(m.view);
    if (votes === undefined) {
      votes = new Map();
      this.viewChanges.set(m.view, votes);
    }
    votes.set(m.replica, m);
    // Join: f + 1 replicas want views above ours, so at least one correct replica does.
    const above = new Map<NodeId, number>();
    for (const [v, vs] of this.viewChanges) {
      if (v <= this.view) continue;
      for (const r of vs.keys()) if (r !== this.id) above.set(r, Math.min(above.get(r) ?? v, v));
    }
    if (above.size >= this.f + 1) {
      const target = Math.min(...above.values());
      if (target > this.view) {
        this.startViewChange(target);
        return;
      }
    }
    this.tryNewView();
  }

  /** The new primary, with enough view changes, decides and multicasts the new view. */
  private tryNewView(): void {
    const v = this.view;
    if (this.active || this.primaryOf(v) !== this.id) return;
    const from = this.newViewFrom;
    const all = [...(this.viewChanges.get(v)?.values() ?? [])].filter((m) => from === null || from.has(m.replica)).sort((a, b) => (a.replica < b.replica ? -1 : 1));
    // S is exactly 2f + 1 view changes; with more, the first subset (in id order) that decides.
    let vcs: ViewChangeMsg[] = [];
    let decision: ReturnType<typeof decideNewView> = null;
    for (const subset of subsets(all, 2 * this.f + 1, 64)) {
      decision = decideNewView(subset, this.f);
      if (decision !== null) {
        vcs = subset;
        break;
      }
    }
    if (decision === null) return;
    const body = { type: "NewView" as const, view: v, viewChanges: vcs, stable: { seq: decision.stable.seq, digest: decision.stable.digest }, decisions: decision.decisions, replica: this.id };
    const msg: NewViewMsg = { ...body, sig: this.keys.sign(body) };
    this.note("SendNewView");
    this.multicast(msg);
    this.installView(msg, decision.stable.proof);
  }

  private onNewView(m: NewViewMsg): void {
    if (m.replica !== this.primaryOf(m.view) || m.replica === this.id) return void this.ignored++;
    if (m.view < this.view || (m.view === this.view && this.active)) return void this.ignored++;
    const skip = this.opts.unsafe.skipViewChangeVerification === true;
    if (!skip && !this.keys.verifyReplica(m.replica, bodyOf(m), m.sig)) return void this.authFailures++;
    const senders = new Set<NodeId>();
    for (const vc of m.viewChanges) {
      if (vc.view !== m.view || !this.viewChangeValid(vc)) return void this.authFailures++;
      senders.add(vc.replica);
    }
    if (senders.size !== m.viewChanges.length || senders.size < 2 * this.f + 1) return void this.ignored++;
    // Recompute the decision from the view changes it carries: a faulty primary cannot choose.
    const decision = decideNewView(m.viewChanges, this.f);
    if (decision === null && !skip) return void this.ignored++;
    if (decision !== null && !skip) {
      if (decision.stable.seq !== m.stable.seq || decision.stable.digest !== m.stable.digest) return void this.ignored++;
      if (decision.decisions.length !== m.decisions.length) return void this.ignored++;
      for (let k = 0; k < m.decisions.length; k++) {
        const a = decision.decisions[k]!;
        const b = m.decisions[k]!;
        if (a.seq !== b.seq || a.digest !== b.digest || digestOf(b.batch) !== b.digest) return void this.ignored++;
      }
    }
    const proof = m.viewChanges.find((vc) => vc.stable.seq === m.stable.seq && vc.stable.digest === m.stable.digest)?.stable.proof ?? [];
    this.note("AcceptNewView", { v: m.view });
    this.installView(m, proof);
  }

  /** Enter the new view: its checkpoint, and a pre-prepare for every decided sequence number. */
  private installView(m: NewViewMsg, proof: CheckpointMsg[]): void {
    // A replica can jump to a later view straight from a new view: undo as at a view change.
    this.rollBack();
    this.view = m.view;
    this.active = true;
    this.viewDirty = true;
    this.failedViews = 0;
    this.lastNewView = m;
    this.myViewChange = null;
    this.inLog.clear();
    for (const n of [...this.viewChanges.keys()]) if (n <= m.view) this.viewChanges.delete(n);
    if (m.stable.seq > this.h && proof.length > 0) this.makeStable(m.stable.seq, m.stable.digest, proof, true);
    const decided = new Map(m.decisions.map((d) => [d.seq, d]));
    let top = this.h;
    for (const [n, s] of this.slots) {
      if (decided.has(n)) continue;
      if (s.pp !== null) {
        s.pp = null;
        this.markSlot(n);
      }
      s.preparedNow = false;
      s.committed = false;
      s.sent = [];
    }
    const primary = this.isPrimary();
    for (const d of m.decisions) {
      if (d.seq <= this.h) continue;
      top = Math.max(top, d.seq);
      const s = this.slot(d.seq);
      s.pp = { view: m.view, digest: d.digest, batch: d.batch };
      s.q.set(d.digest, m.view);
      s.preparedNow = false;
      s.committed = false;
      s.sent = [];
      this.markSlot(d.seq);
      if (primary) {
        for (const r of d.batch) if (this.kv.cached(r.clientId, r.seq) === null) this.inLog.add(requestKey(r));
        continue;
      }
      const body = { type: "Prepare" as const, view: m.view, seq: d.seq, digest: d.digest, replica: this.id };
      const prep: PrepareMsg = { ...body, auth: this.keys.authenticate(body, this.peerIds) };
      s.sent = [prep];
      this.vote(s.prepares, m.view, d.digest, this.id);
      this.multicast(prep);
    }
    for (const d of m.decisions) this.checkSlot(d.seq);
    this.nextSeq = Math.max(top, this.executed) + 1;
    this.cancelViewChangeTimer();
    if (primary) this.propose();
    else if (this.pending.size > 0) this.armViewChangeTimer(true);
  }

  // ---------------------------------------------------------------- status and retransmission

  private sendStatus(): void {
    const body = { type: "Status" as const, view: this.view, active: this.active, stable: this.h, executed: this.executed, replica: this.id };
    this.multicast({ ...body, auth: this.keys.authenticate(body, this.peerIds) });
  }

  private onStatus(m: StatusMsg): void {
    if (m.replica === this.id || !this.replicas.includes(m.replica)) return void this.ignored++;
    if (!this.keys.checkAuth(m.replica, bodyOf(m), m.auth)) return void this.authFailures++;
    const to = m.replica;
    const send = (message: PbftMessage): void => void this.out.send.push({ to, message });
    // Behind our stable checkpoint: the proof, and it will fetch the state.
    if (m.executed < this.h && m.stable < this.h) for (const c of this.stableProof) send(c);
    if (m.view < this.view || (m.view === this.view && !m.active)) {
      if (this.active && this.lastNewView !== null && this.lastNewView.view === this.view) send(this.lastNewView);
      else if (!this.active && this.myViewChange !== null) send(this.myViewChange);
      return;
    }
    if (m.view === this.view && this.active && m.active) {
      for (const [n, s] of this.slots) {
        if (n <= m.executed || s.pp === null || s.pp.view !== this.view) continue;
        for (const msg of s.sent) send(msg);
      }
    }
    // It is changing to a view we are also changing to: it may be the primary collecting.
    if (m.view === this.view && !m.active && !this.active && this.myViewChange !== null) send(this.myViewChange);
  }

  // ---------------------------------------------------------------- dispatch

  private onMessage(from: NodeId, message: PbftMessage): void {
    if (checkPbftMessage(message) !== null) return void this.ignored++;
    switch (message.type) {
      case "Request":
        return this.onRequest(message.request, false, message.readOnly === true);
      case "PrePrepare":
        return this.onPrePrepare(message);
      case "Prepare":
        return this.onPrepare(message);
      case "Commit":
        return this.onCommit(message);
      case "Checkpoint":
        return this.onCheckpoint(message);
      case "ViewChange":
        return this.onViewChange(message);
      case "NewView":
        return this.onNewView(message);
      case "Status":
        return this.onStatus(message);
      case "StateRequest":
        return this.onStateRequest(from, message.seq);
      case "StateReply":
        return this.onStateReply(message);
    }
  }

  // ---------------------------------------------------------------- spec stepping (conformance)

  /** PBFT.tla's StartViewChange(i, v): move to view `v` now. False when `v` is not above the current view. */
  specStartViewChange(v: number): boolean {
    if (v <= this.view) return false;
    this.startViewChange(v);
    return true;
  }

  /**
   * PBFT.tla's SendPrePrepare(i, r) for a request already pending (spec mode, where a primary does
   * not propose on its own): the first pending request not yet pre-prepared or executed. False
   * when this replica is not an active primary or has nothing to propose.
   */
  specProposePending(): boolean {
    if (!this.active || !this.isPrimary()) return false;
    for (const [k, r] of this.pending) {
      if (this.inLog.has(k) || this.kv.cached(r.clientId, r.seq) !== null) continue;
      const before = this.nextSeq;
      this.propose(k);
      return this.nextSeq > before;
    }
    return false;
  }

  /** Decide the next new view only from the view changes of `senders` (`null`: any). */
  specNewViewFrom(senders: readonly NodeId[] | null): void {
    this.newViewFrom = senders === null ? null : new Set(senders);
  }

  // ---------------------------------------------------------------- inspection

  /** The abstract state (a fresh copy). */
  inspect(): PbftInspect {
    const slots: Record<number, SlotInspect> = {};
    for (const [n, s] of [...this.slots.entries()].sort((a, b) => a[0] - b[0])) {
      const k = s.pp === null ? "" : voteKey(s.pp.view, s.pp.digest);
      slots[n] = {
        prePrepared: s.pp === null ? null : { view: s.pp.view, digest: s.pp.digest, batch: [...s.pp.batch] },
        prepares: [...(s.prepares.get(k) ?? [])].sort(),
        commits: [...(s.commits.get(k) ?? [])].sort(),
        prepared: s.prepared === null ? null : { view: s.prepared.view, digest: s.prepared.digest },
        committed: s.committed,
      };
    }
    const viewChanges: Record<number, NodeId[]> = {};
    for (const [v, vs] of this.viewChanges) viewChanges[v] = [...vs.keys()].sort();
    return {
      id: this.id,
      view: this.view,
      active: this.active,
      primary: this.primaryOf(this.view),
      stable: { seq: this.h, digest: this.stableDigest },
      executed: this.executed,
      slots,
      viewChanges,
      authFailures: this.authFailures,
      ignored: this.ignored,
      tentative: { executed: this.tentativeExecuted, rolledBack: this.tentativeRolledBack },
      readOnlyAnswered: this.readOnlyAnswered,
    };
  }

  /**
   * Everything conformance's abstraction reads (spec mode): the spec variables of this replica and
   * the messages it holds, which were all sent by their senders (the evidence behind its steps).
   */
  specView(): PbftSpecView {
    const slots: PbftSpecView["slots"] = [];
    for (const [n, s] of [...this.slots.entries()].sort((a, b) => a[0] - b[0])) {
      const votes = (m: Map<string, Set<NodeId>>): { view: number; digest: string; from: NodeId[] }[] =>
        [...m.entries()].map(([k, from]) => {
          const [v, d] = k.split(":") as [string, string];
          return { view: Number(v), digest: d, from: [...from].sort() };
        });
      slots.push({
        seq: n,
        pp: s.pp === null ? null : { view: s.pp.view, req: requestName(s.pp.batch) },
        prepared: s.prepared === null ? null : { view: s.prepared.view, req: requestName(s.prepared.batch) },
        prepares: votes(s.prepares),
        commits: votes(s.commits),
        certificates: s.certificates.map((c) => ({ view: c.view, req: requestName(c.batch), by: c.by })),
      });
    }
    const checkpointVotes: PbftSpecView["checkpointVotes"] = [];
    for (const [seq, votes] of this.checkpointVotes) {
      const byDigest = new Map<string, NodeId[]>();
      for (const c of votes.values()) byDigest.set(c.digest, [...(byDigest.get(c.digest) ?? []), c.replica]);
      for (const [digest, from] of byDigest) checkpointVotes.push({ seq, digest, from: from.sort() });
    }
    const held = [...this.viewChanges.values()].flatMap((vs) => [...vs.values()]);
    const digests: Record<string, string> = {};
    for (const s of this.slots.values()) {
      for (const b of [s.pp?.batch, s.prepared?.batch, ...s.certificates.map((c) => c.batch)]) if (b !== undefined) digests[digestOf(b)] = requestName(b);
    }
    return {
      digests,
      id: this.id,
      view: this.view,
      active: this.active,
      stable: { seq: this.h, digest: this.stableDigest, proof: this.stableProof.map((c) => c.replica).sort() },
      executed: this.executed,
      history: [...this.history],
      checkpoints: [...this.checkpointHistories.entries()].map(([seq, history]) => ({ seq, digest: this.ownCheckpoints.get(seq)?.digest ?? "", history: [...history] })),
      slots,
      checkpointVotes,
      viewChanges: [...held, ...(this.myViewChange !== null && !held.includes(this.myViewChange) ? [this.myViewChange] : [])],
      newView: this.lastNewView,
    };
  }

  /** Role, view and progress in O(1), for status displays and benches. */
  summary(): { view: number; active: boolean; primary: NodeId; stable: number; executed: number } {
    return { view: this.view, active: this.active, primary: this.primaryOf(this.view), stable: this.h, executed: this.executed };
  }

  /** The digest of the batch executed at each of the last {@link EXECUTED_LOG_MAX} sequence numbers it executed itself. */
  executedDigests(): ReadonlyMap<number, string> {
    return this.executedLog;
  }

  /** The key-value store's state (for tests: replicas that executed the same prefix agree). */
  storeDigest(): string {
    return digestOf(this.kv.toJson());
  }

  /** Answer a read locally, without ordering (tests only: not linearizable). */
  peek(key: string): string | null {
    const r = this.kv.query({ op: "get", key }) as { value: string | null };
    return r.value;
  }
}

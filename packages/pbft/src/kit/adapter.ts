/**
 * Spec → implementation replay for PBFT: each action of a PBFT.tla trace becomes events on
 * replicas of a manual-network cluster. The spec's `msgs` is a set (a message once sent stays
 * available), so the adapter keeps every message correct replicas sent and delivers, for each
 * action, the ones its guard needs. Byzantine replicas have no state in the spec: the adapter
 * speaks for them, forming (with their own keys only) whatever message the spec's `Signed`
 * lets them send.
 *
 * @module
 */
import { AdapterError, type Adapter, type SpecAction } from "@synod/conformance";
import { newKvStore } from "@synod/kv";
import type { NodeId } from "@synod/protocol";
import { TestCluster, type InFlight } from "@synod/testkit";
import type { State, Value } from "@synod/tla-checker-wasm";
import { bodyOf, type CheckpointMsg, type PbftMessage, type ViewChangeMsg } from "../messages.js";
import { createPbftReplica, type PbftReplica } from "../node.js";
import { ReplicaKeys, digestOf } from "../auth.js";
import { requestName } from "../replica.js";
import type { KvResult, PbftCommand, SignedRequest, UnsafeOptions } from "../types.js";
import { PbftAbstraction } from "./abstraction.js";
import { simKeyring } from "./keys.js";
import { REPLICAS, specNodeOptions, type PbftSpec } from "./spec-model.js";

type PP = Extract<PbftMessage, { type: "PrePrepare" }>;
type NV = Extract<PbftMessage, { type: "NewView" }>;

/** A spec value as plain JS (records as objects, sets and sequences as arrays, model values by name). */
type Plain = string | number | boolean | Plain[] | { [k: string]: Plain };

/** Replicas on a manual network, with every message correct replicas sent kept (the spec's `msgs`). */
export class PbftSpecCluster extends TestCluster<PbftMessage, PbftCommand, KvResult, PbftReplica> {
  /** Every message a correct replica sent, once per (sender, message). */
  readonly sent: { from: NodeId; message: PbftMessage }[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly spec: PbftSpec,
    unsafe: UnsafeOptions,
  ) {
    super({
      ids: [...REPLICAS],
      seed: 1,
      create: (id, _peers, rng) => {
        const n = createPbftReplica({ id, replicas: REPLICAS, keys: simKeyring(REPLICAS).file, rng, options: { ...specNodeOptions(spec.bounds), unsafe } as never });
        n.recordActions(true);
        return n;
      },
    });
    this.collect();
  }

  /** Move what replicas sent into `sent` (and off the wire: delivery is the adapter's choice). */
  collect(): void {
    for (const m of this.inflight) {
      if (this.spec.bounds.byz.includes(m.from)) continue;
      const k = `${m.from}|${JSON.stringify(m.message)}`;
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      this.sent.push({ from: m.from, message: m.message });
    }
    this.inflight = [];
  }

  /** Deliver `message` from `from` to `to` and process `to`'s ready. */
  hand(from: NodeId, to: NodeId, message: PbftMessage): void {
    this.node(to).step({ type: "message", nowMs: 0, from, message: JSON.parse(JSON.stringify(message)) as PbftMessage });
    this.process(to);
  }

  /** Route state transfer (not a spec step) between correct replicas until it settles. */
  settleStateTransfer(): void {
    for (let round = 0; round < 10; round++) {
      const pending = this.inflight.filter((m) => m.message.type === "StateRequest" || m.message.type === "StateReply");
      const correct = (id: NodeId): boolean => !this.spec.bounds.byz.includes(id);
      const deliverable = pending.filter((m: InFlight<PbftMessage>) => correct(m.to) && correct(m.from));
      this.collect();
      if (deliverable.length === 0) return;
      for (const m of deliverable) this.hand(m.from, m.to, m.message);
    }
  }
}

/** The adapter over `spec` for the correct build or a broken variant's `unsafe` flags. */
export class PbftAdapter implements Adapter<PbftSpecCluster> {
  readonly variables: readonly string[];
  private readonly abs: PbftAbstraction;
  private readonly keys = new Map<NodeId, ReplicaKeys>();

  constructor(
    private readonly spec: PbftSpec,
    private readonly unsafe: UnsafeOptions = {},
  ) {
    this.variables = spec.model.variables;
    this.abs = new PbftAbstraction(spec);
  }

  create(): PbftSpecCluster {
    return new PbftSpecCluster(this.spec, this.unsafe);
  }

  abstract(c: PbftSpecCluster): State {
    const views = new Map(REPLICAS.filter((r) => !this.byz(r)).map((r) => [r, c.node(r).specView()]));
    return this.abs.state(views, c.sent.map((s) => ({ from: s.from, to: s.from, message: s.message })));
  }

  apply(c: PbftSpecCluster, label: SpecAction): void {
    const p = new Map(label.params.map(([n, v]) => [n, v]));
    const i = this.name(p.get("i"));
    switch (label.action) {
      case "SendPrePrepare": {
        const r = this.name(p.get("r"));
        const req = this.request(r);
        c.request(i, req.clientId, req.seq, { op: req.op, sig: req.sig });
        break;
      }
      case "SendPrepare": {
        const [v, n, r] = [this.num(p.get("v")), this.num(p.get("n")), this.name(p.get("r"))];
        const primary = this.primary(v);
        const pp = this.byz(primary) ? this.formPrePrepare(primary, v, n, r) : this.findPrePrepare(c, v, n, r);
        c.hand(primary, i, pp);
        break;
      }
      case "SendCommit": {
        const [v, n, r] = [this.num(p.get("v")), this.num(p.get("n")), this.name(p.get("r"))];
        this.deliverVotes(c, "Prepare", v, n, r, i);
        break;
      }
      case "Execute": {
        const [n, r] = [this.num(p.get("n")), this.name(p.get("r"))];
        this.deliverVotes(c, "Commit", c.node(i).summary().view, n, r, i);
        break;
      }
      case "StableCheckpoint": {
        const n = this.num(p.get("n"));
        this.deliverCheckpoints(c, n, i);
        c.settleStateTransfer();
        break;
      }
      case "StartViewChange": {
        const v = this.num(p.get("v"));
        if (!c.node(i).takeAction("StartViewChange", { v })) throw new AdapterError(`${i} refuses StartViewChange to view ${v}`);
        c.process(i);
        break;
      }
      case "SendNewView": {
        const vcs = this.vcsOf(label);
        const senders = vcs.map((vc) => this.nameOfPlain(vc.sender));
        c.node(i).takeAction("SendNewView", { senders: senders.join(",") });
        for (const vc of vcs) {
          const s = this.nameOfPlain(vc.sender);
          if (s === i) continue;
          c.hand(s, i, this.viewChangeFor(c, vc));
        }
        c.node(i).takeAction("SendNewView", { senders: "" });
        c.settleStateTransfer();
        break;
      }
      case "AcceptNewView": {
        const v = this.num(p.get("v"));
        const primary = this.primary(v);
        this.forgeNewView(c, v, i);
        const nv = this.byz(primary) ? this.formNewView(c, label, v) : this.findNewView(c, v);
        c.hand(primary, i, nv);
        c.settleStateTransfer();
        break;
      }
      default:
        throw new AdapterError(`unknown PBFT.tla action ${label.action}`);
    }
    c.collect();
    const actions = c.node(i).takeActions();
    for (const r of REPLICAS) if (r !== i) c.node(r).takeActions();
    if (!actions.some((a) => a.action === label.action)) {
      throw new AdapterError(`${i} did not take ${label.action} (it took: ${actions.map((a) => a.action).join(", ") || "nothing"})`);
    }
  }

  // ------------------------------------------------------------------ helpers

  private byz(id: NodeId): boolean {
    return this.spec.bounds.byz.includes(id);
  }

  private primary(v: number): NodeId {
    return REPLICAS[v % REPLICAS.length] as NodeId;
  }

  private keysOf(id: NodeId): ReplicaKeys {
    let k = this.keys.get(id);
    if (k === undefined) {
      k = new ReplicaKeys(simKeyring(REPLICAS).file, id, REPLICAS);
      this.keys.set(id, k);
    }
    return k;
  }

  private name(v: Value | undefined): string {
    if (v === undefined) throw new AdapterError("a parameter is missing");
    return this.spec.nameOf(v);
  }

  private num(v: Value | undefined): number {
    const x = v === undefined ? undefined : this.spec.model.values.toPortable(v);
    if (typeof x !== "number") throw new AdapterError(`expected a number parameter, got ${JSON.stringify(x)}`);
    return x;
  }

  /** The signed request the spec's request `r` stands for (its own client, so sessions never make it stale). */
  request(r: string): SignedRequest {
    if (r === "Null") throw new AdapterError("Null is not a client request");
    const clientId = `conformance-${r}`;
    const op = { op: "put" as const, key: "x", value: r };
    if (r === "Bogus") return { clientId: "conformance-q1", seq: 1, op, sig: "" };
    const sealed = simKeyring(REPLICAS).seal({ clientId, seq: 1, command: { op, sig: "" } });
    return { clientId, seq: 1, op, sig: sealed.command.sig };
  }

  private batch(r: string): SignedRequest[] {
    return r === "Null" ? [] : [this.request(r)];
  }

  private mac<M extends { auth: Record<string, string> }>(as: NodeId, m: Omit<M, "auth">): M {
    return { ...m, auth: this.keysOf(as).authenticate(bodyOf(m as never), REPLICAS.filter((x) => x !== as)) } as M;
  }

  private sign<M extends { sig: string }>(as: NodeId, m: Omit<M, "sig">): M {
    return { ...m, sig: this.keysOf(as).sign(bodyOf(m as never)) } as M;
  }

  private formPrePrepare(primary: NodeId, v: number, n: number, r: string): PP {
    const batch = this.batch(r);
    return this.mac<PP>(primary, { type: "PrePrepare", view: v, seq: n, digest: digestOf(batch), batch, replica: primary });
  }

  private findPrePrepare(c: PbftSpecCluster, v: number, n: number, r: string): PbftMessage {
    const m = c.sent.find((s) => s.message.type === "PrePrepare" && s.message.view === v && s.message.seq === n && requestName(s.message.batch) === r);
    if (m !== undefined) return m.message;
    throw new AdapterError(`no PrePrepare(${v}, ${n}, ${r}) was sent by ${this.primary(v)}`);
  }

  /** Every prepare (or commit) for (v, n, r): those correct replicas sent, and the Byzantine ones'. */
  private deliverVotes(c: PbftSpecCluster, type: "Prepare" | "Commit", v: number, n: number, r: string, to: NodeId): void {
    const digest = digestOf(this.batch(r));
    for (const s of c.sent) {
      const m = s.message;
      if (m.type === type && m.view === v && m.seq === n && m.digest === digest && s.from !== to) c.hand(s.from, to, m);
    }
    for (const b of this.spec.bounds.byz) {
      if (b === to || (type === "Prepare" && b === this.primary(v))) continue;
      c.hand(b, to, this.mac<Extract<PbftMessage, { type: "Prepare" }>>(b, { type: type as "Prepare", view: v, seq: n, digest, replica: b }));
    }
  }

  /** The checkpoints for `n` correct replicas sent, and the Byzantine replicas' for the same state. */
  private deliverCheckpoints(c: PbftSpecCluster, n: number, to: NodeId): void {
    const correct = c.sent.filter((s) => s.message.type === "Checkpoint" && s.message.seq === n).map((s) => s.message as CheckpointMsg);
    if (correct.length === 0) throw new AdapterError(`no correct replica sent a checkpoint for ${n}`);
    for (const m of correct) if (m.replica !== to) c.hand(m.replica, to, m);
    for (const b of this.spec.bounds.byz) if (b !== to) c.hand(b, to, this.byzCheckpoint(b, n, correct[0]!.digest));
  }

  private byzCheckpoint(b: NodeId, n: number, digest: string): CheckpointMsg {
    return this.sign<CheckpointMsg>(b, { type: "Checkpoint", seq: n, digest, replica: b });
  }

  /** The value of a bound variable of the label, by name. */
  private findBound(label: SpecAction, name: string): Value | undefined {
    return label.params.find(([n]) => n === name)?.[1];
  }

  private plain(v: Value | undefined): Plain {
    if (v === undefined) throw new AdapterError("a bound value is missing");
    return this.toPlain(this.spec.model.values.toPortable(v));
  }

  /** Portable checker values to plain JS: model values by name, sets and tuples as arrays, records as objects. */
  private toPlain(p: unknown): Plain {
    if (typeof p === "number" || typeof p === "string" || typeof p === "boolean") return p;
    const o = p as Record<string, unknown>;
    if (typeof o.m === "string") return o.m;
    if (Array.isArray(o.s)) return o.s.map((x) => this.toPlain(x));
    if (Array.isArray(o.t)) return o.t.map((x) => this.toPlain(x));
    if (Array.isArray(o.d) && Array.isArray(o.r)) {
      const keys = o.d.map((x) => this.toPlain(x));
      if (keys.every((k) => typeof k === "string")) return Object.fromEntries(keys.map((k, j) => [k as string, this.toPlain((o.r as unknown[])[j])]));
      // A sequence as a function 1..n.
      return (o.r as unknown[]).map((x) => this.toPlain(x));
    }
    if (typeof o.b === "string") return Number(o.b);
    throw new AdapterError(`cannot read spec value ${JSON.stringify(p).slice(0, 120)}`);
  }

  private nameOfPlain(x: Plain): string {
    if (typeof x !== "string") throw new AdapterError(`expected a name, got ${JSON.stringify(x)}`);
    return x;
  }

  /** The view changes V a SendNewView label chose. */
  private vcsOf(label: SpecAction): { [k: string]: Plain }[] {
    const V = this.plain(this.findBound(label, "V"));
    if (!Array.isArray(V)) throw new AdapterError(`SendNewView: V is not a set: ${JSON.stringify(V).slice(0, 200)}`);
    return V as { [k: string]: Plain }[];
  }

  /** The implementation's view change for a spec record: the one its correct sender sent, or a Byzantine one formed. */
  private viewChangeFor(c: PbftSpecCluster, vc: { [k: string]: Plain }): ViewChangeMsg {
    const sender = this.nameOfPlain(vc.sender!);
    const view = vc.view as number;
    if (!this.byz(sender)) {
      const m = c.sent.find((s) => s.message.type === "ViewChange" && s.message.view === view && s.message.replica === sender);
      if (m === undefined) throw new AdapterError(`${sender} sent no ViewChange for view ${view}`);
      return m.message as ViewChangeMsg;
    }
    const h = vc.ckpt as number;
    let stable: ViewChangeMsg["stable"] = { seq: 0, digest: digestOf(newKvStore().toJson()), proof: [] };
    if (h > 0) {
      const cps = c.sent.filter((s) => s.message.type === "Checkpoint" && s.message.seq === h).map((s) => s.message as CheckpointMsg);
      if (cps.length === 0) throw new AdapterError(`no correct checkpoint for ${h} to prove a Byzantine view change with`);
      const digest = cps[0]!.digest;
      const proof = [...cps.filter((x) => x.digest === digest), ...this.spec.bounds.byz.map((b) => this.byzCheckpoint(b, h, digest))];
      stable = { seq: h, digest, proof };
    }
    const claims = (vc.prepared as { [k: string]: Plain }[]).map((x) => {
      const batch = this.batch(this.nameOfPlain(x.req!));
      return { seq: x.seq as number, view: x.view as number, digest: digestOf(batch), batch };
    });
    // The spec's view change has no Q set. A faulty replica may claim any pre-prepare: it claims
    // its prepared ones and every prepared certificate a correct replica holds (so the new view
    // can decide from it wherever PBFT.tla's does, as a signed certificate would let it).
    const prePrepared = claims.map((x) => ({ seq: x.seq, view: x.view, digest: x.digest }));
    for (const r of REPLICAS) {
      if (this.byz(r)) continue;
      for (const slot of c.node(r).specView().slots) {
        for (const cert of slot.certificates) {
          if (slot.seq <= h) continue;
          const digest = digestOf(this.batch(cert.req));
          if (!prePrepared.some((q) => q.seq === slot.seq && q.digest === digest && q.view >= cert.view)) prePrepared.push({ seq: slot.seq, view: cert.view, digest });
        }
      }
    }
    return this.sign<ViewChangeMsg>(sender, { type: "ViewChange", view, stable, prepared: claims, prePrepared, replica: sender });
  }

  /**
   * A Byzantine replica's attempt at a message PBFT.tla's `Signed` rules out: a new view for a
   * later view in its correct primary's name, made of view changes in correct replicas' names,
   * all signed with the Byzantine replica's own key. A correct replica drops it (a step the spec
   * does not see); one that skips verification enters that view.
   */
  private forgeNewView(c: PbftSpecCluster, v: number, to: NodeId): void {
    const forger = this.spec.bounds.byz[0];
    if (forger === undefined) return;
    let w = v + 1;
    while (this.byz(this.primary(w))) w++;
    const victim = this.primary(w);
    const senders = REPLICAS.filter((r) => !this.byz(r)).slice(0, 3);
    if (senders.length < 3) return;
    const initial = { seq: 0, digest: digestOf(newKvStore().toJson()), proof: [] };
    const vcs = senders.map((r) => {
      const body = { type: "ViewChange" as const, view: w, stable: initial, prepared: [], prePrepared: [], replica: r };
      return { ...body, sig: this.keysOf(forger).sign(body) };
    });
    const body = { type: "NewView" as const, view: w, viewChanges: vcs, stable: { seq: 0, digest: initial.digest }, decisions: [], replica: victim };
    c.hand(forger, to, { ...body, sig: this.keysOf(forger).sign(body) });
    c.collect();
  }

  private findNewView(c: PbftSpecCluster, v: number): PbftMessage {
    const m = c.sent.find((s) => s.message.type === "NewView" && s.message.view === v);
    if (m === undefined) throw new AdapterError(`${this.primary(v)} sent no NewView for view ${v}`);
    return m.message;
  }

  /** A Byzantine primary's new view: the label's `nv`. */
  private formNewView(c: PbftSpecCluster, label: SpecAction, v: number): NV {
    const nv = this.plain(this.findBound(label, "nv")) as { [k: string]: Plain };
    const vcs = (nv.vcs as { [k: string]: Plain }[]).map((vc) => this.viewChangeFor(c, vc));
    const decisions = (nv.pps as { [k: string]: Plain }[])
      .map((e) => ({ seq: e.seq as number, batch: this.batch(this.nameOfPlain(e.req!)) }))
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({ seq: e.seq, digest: digestOf(e.batch), batch: e.batch }));
    let top = vcs[0]!.stable;
    for (const vc of vcs) if (vc.stable.seq > top.seq) top = vc.stable;
    const primary = this.primary(v);
    return this.sign<NV>(primary, { type: "NewView", view: v, viewChanges: vcs, stable: { seq: top.seq, digest: top.digest }, decisions, replica: primary });
  }
}

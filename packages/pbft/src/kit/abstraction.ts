/**
 * The abstraction function: replicas' state as PBFT.tla's variables. Every variable is a function
 * over the correct replicas; `msgs` is the set of messages correct replicas sent, rebuilt from what
 * the replicas hold (votes, view changes, new views, checkpoints: each was sent by its sender)
 * plus the messages of the step; for trace validation (`accumulate`), also every message an
 * earlier state of the run held: PBFT.tla's `msgs` never shrinks, while replicas forget the votes
 * behind a prepared certificate once a checkpoint is stable, and a view change from a replica
 * behind that checkpoint still claims the certificate (its validity, `VerifiedPrepared`, needs
 * those votes). Replay compares `msgs` state by state, so it does not accumulate. A replica whose stable checkpoint is ahead of what it executed
 * is reported with the certified state (the spec's state transfer is part of StableCheckpoint;
 * the implementation fetches the bytes afterwards, a step the spec does not see).
 *
 * @module
 */
import type { WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { State, Value } from "@synod/tla-checker-wasm";
import type { PbftMessage, ViewChangeMsg } from "../messages.js";
import { requestName, type PbftSpecView } from "../replica.js";
import type { PbftSpec } from "./spec-model.js";

type NewViewMsg = Extract<PbftMessage, { type: "NewView" }>;

/** The primary of view `v` among the sorted replicas. */
function primaryOf(spec: PbftSpec, v: number): NodeId {
  return spec.servers[v % spec.servers.length] as NodeId;
}

/** The abstraction over a loaded spec. */
export class PbftAbstraction {
  /** Batch digests → request names, learned from every state seen (garbage collection forgets batches; digests stay in messages). */
  private readonly learned = new Map<string, string>();
  /** Checkpoint (seq, digest) → the requests it certifies, learned likewise. */
  private readonly learnedHistories = new Map<string, string[]>();
  /** With `accumulate`: every message of correct replicas some state of this run held. */
  private readonly seen = new Map<string, unknown>();

  /** @param accumulate - keep every message of earlier states in `msgs` (one abstraction per run). */
  constructor(
    private readonly spec: PbftSpec,
    private readonly accumulate = false,
  ) {}

  private get correct(): NodeId[] {
    return this.spec.servers.filter((s) => !this.spec.bounds.byz.includes(s));
  }

  /** The spec state from every correct replica's view and the messages of the step. */
  state(views: ReadonlyMap<NodeId, PbftSpecView>, wire: readonly WireMessage<PbftMessage>[]): State {
    const { values } = this.spec.model;
    const mv = (n: string): Value => this.spec.mv(n);
    // Digest of a checkpoint state → the requests it certifies, from every replica's own checkpoints.
    const histories = this.learnedHistories;
    for (const v of views.values()) for (const c of v.checkpoints) histories.set(`${c.seq}:${c.digest}`, c.history);
    const names = this.learned;
    for (const v of views.values()) for (const [d, n] of Object.entries(v.digests)) names.set(d, n);
    const stateOf = (seq: number, digest: string): string[] => {
      if (seq === 0) return [];
      const h = histories.get(`${seq}:${digest}`);
      if (h === undefined) throw new Error(`no replica holds the requests of checkpoint ${seq} (${digest.slice(0, 12)}…)`);
      return h.slice(0, seq);
    };
    const view = new Map<Value, Value>();
    const status = new Map<Value, Value>();
    const prePrepared = new Map<Value, Value>();
    const prepared = new Map<Value, Value>();
    const executed = new Map<Value, Value>();
    const stable = new Map<Value, Value>();
    const msgs = this.accumulate ? this.seen : new Map<string, unknown>();
    const add = (m: Record<string, unknown>): void => void msgs.set(JSON.stringify(m, (_k, x) => (x instanceof Set ? [...x].map((y) => JSON.stringify(y)).sort() : x)), m);
    const entry = (v: number, n: number, r: string) => ({ view: v, seq: n, req: mv(r) });
    for (const id of this.correct) {
      const s = views.get(id);
      if (s === undefined) throw new Error(`no view of replica ${id}`);
      view.set(mv(id), s.view);
      status.set(mv(id), s.active ? "normal" : "viewchange");
      const pp = new Set<unknown>();
      const prep = new Set<unknown>();
      for (const slot of s.slots) {
        if (slot.seq <= s.stable.seq) continue;
        if (s.active && slot.pp !== null && slot.pp.view === s.view) pp.add(entry(slot.pp.view, slot.seq, slot.pp.req));
        if (slot.prepared !== null) prep.add(entry(slot.prepared.view, slot.seq, slot.prepared.req));
      }
      prePrepared.set(mv(id), values.fromJS(pp));
      prepared.set(mv(id), values.fromJS(prep));
      const hist = s.executed >= s.stable.seq ? s.history : stateOf(s.stable.seq, s.stable.digest);
      executed.set(mv(id), values.fromJS(hist.map(mv)));
      stable.set(mv(id), s.stable.seq);
      this.evidence(s, add, stateOf, names);
    }
    for (const w of wire) this.wireMessage(w, add, stateOf, names);
    const byName: Record<string, Value> = {
      view: values.fromJS(view),
      status: values.fromJS(status),
      prePrepared: values.fromJS(prePrepared),
      prepared: values.fromJS(prepared),
      executed: values.fromJS(executed),
      stable: values.fromJS(stable),
      msgs: values.fromJS(new Set([...msgs.values()].map((m) => values.fromJS(m)))),
    };
    return this.spec.model.variables.map((v) => {
      const x = byName[v];
      if (x === undefined) throw new Error(`PBFT.tla has a variable ${v} the pbft abstraction does not know`);
      return x;
    });
  }

  private prePrepareMsg(v: number, n: number, r: string): Record<string, unknown> {
    return { type: "PrePrepare", view: v, seq: n, req: this.spec.mv(r), sender: this.spec.mv(primaryOf(this.spec, v)) };
  }

  private vote(type: "Prepare" | "Commit", v: number, n: number, r: string, q: NodeId): Record<string, unknown> {
    return { type, view: v, seq: n, req: this.spec.mv(r), sender: this.spec.mv(q) };
  }

  /** A view-change message as the spec's record. */
  viewChangeRecord(m: ViewChangeMsg, stateOf: (seq: number, digest: string) => string[]): Record<string, unknown> {
    const mv = (n: string): Value => this.spec.mv(n);
    return {
      type: "ViewChange",
      view: m.view,
      ckpt: m.stable.seq,
      state: stateOf(m.stable.seq, m.stable.digest).map(mv),
      prepared: new Set(m.prepared.map((p) => ({ view: p.view, seq: p.seq, req: mv(requestName(p.batch)) }))),
      sender: mv(m.replica),
    };
  }

  private newViewRecord(m: NewViewMsg, stateOf: (seq: number, digest: string) => string[]): Record<string, unknown> {
    const mv = (n: string): Value => this.spec.mv(n);
    return {
      type: "NewView",
      view: m.view,
      vcs: new Set(m.viewChanges.map((vc) => this.spec.model.values.fromJS(this.viewChangeRecord(vc, stateOf)))),
      pps: new Set(m.decisions.map((d) => ({ seq: d.seq, req: mv(requestName(d.batch)) }))),
      sender: mv(m.replica),
    };
  }

  /** The messages a replica holds, each sent by its sender. */
  private evidence(s: PbftSpecView, add: (m: Record<string, unknown>) => void, stateOf: (seq: number, digest: string) => string[], names: ReadonlyMap<string, string>): void {
    const req = (d: string): string => names.get(d) ?? `digest:${d.slice(0, 12)}`;
    const correct = new Set(this.correct);
    const fromCorrect = (q: NodeId): boolean => correct.has(q);
    for (const slot of s.slots) {
      if (slot.pp !== null && fromCorrect(primaryOf(this.spec, slot.pp.view))) add(this.prePrepareMsg(slot.pp.view, slot.seq, slot.pp.req));
      for (const p of slot.prepares) for (const q of p.from) if (fromCorrect(q)) add(this.vote("Prepare", p.view, slot.seq, req(p.digest), q));
      for (const c of slot.commits) for (const q of c.from) if (fromCorrect(q)) add(this.vote("Commit", c.view, slot.seq, req(c.digest), q));
      for (const c of slot.certificates) {
        if (fromCorrect(primaryOf(this.spec, c.view))) add(this.prePrepareMsg(c.view, slot.seq, c.req));
        for (const q of c.by) if (fromCorrect(q)) add(this.vote("Prepare", c.view, slot.seq, c.req, q));
      }
    }
    for (const c of s.checkpointVotes) {
      for (const q of c.from) if (fromCorrect(q)) add({ type: "Checkpoint", seq: c.seq, state: stateOf(c.seq, c.digest).map((r) => this.spec.mv(r)), sender: this.spec.mv(q) });
    }
    for (const q of s.stable.proof) {
      if (fromCorrect(q) && s.stable.seq > 0) add({ type: "Checkpoint", seq: s.stable.seq, state: stateOf(s.stable.seq, s.stable.digest).map((r) => this.spec.mv(r)), sender: this.spec.mv(q) });
    }
    for (const vc of s.viewChanges) this.viewChangeEvidence(vc, add, stateOf);
    if (s.newView !== null) {
      if (fromCorrect(s.newView.replica)) add(this.newViewRecord(s.newView, stateOf));
      for (const vc of s.newView.viewChanges) this.viewChangeEvidence(vc, add, stateOf);
      // The new primary's NewView stands for its pre-prepares of every entry of O.
      if (fromCorrect(s.newView.replica)) for (const d of s.newView.decisions) add(this.prePrepareMsg(s.newView.view, d.seq, requestName(d.batch)));
    }
  }

  private viewChangeEvidence(vc: ViewChangeMsg, add: (m: Record<string, unknown>) => void, stateOf: (seq: number, digest: string) => string[]): void {
    if (this.correct.includes(vc.replica)) add(this.viewChangeRecord(vc, stateOf));
    for (const c of vc.stable.proof) {
      if (this.correct.includes(c.replica)) add({ type: "Checkpoint", seq: c.seq, state: stateOf(c.seq, c.digest).map((r) => this.spec.mv(r)), sender: this.spec.mv(c.replica) });
    }
  }

  /** A message of the step, if the spec has it. */
  private wireMessage(w: WireMessage<PbftMessage>, add: (m: Record<string, unknown>) => void, stateOf: (seq: number, digest: string) => string[], names: ReadonlyMap<string, string>): void {
    const m = w.message;
    if (typeof m !== "object" || m === null || !this.correct.includes(w.from)) return;
    const mv = (n: string): Value => this.spec.mv(n);
    switch (m.type) {
      case "PrePrepare":
        if (m.replica === w.from) add(this.prePrepareMsg(m.view, m.seq, requestName(m.batch)));
        return;
      case "Checkpoint":
        if (m.replica === w.from) add({ type: "Checkpoint", seq: m.seq, state: stateOf(m.seq, m.digest).map(mv), sender: mv(m.replica) });
        return;
      case "ViewChange":
        if (m.replica === w.from) this.viewChangeEvidence(m, add, stateOf);
        return;
      case "NewView":
        if (m.replica === w.from) add(this.newViewRecord(m, stateOf));
        return;
      case "Prepare":
      case "Commit":
        // They name a digest: the request is the batch some replica holds with it.
        if (m.replica === w.from) add(this.vote(m.type, m.view, m.seq, names.get(m.digest) ?? `digest:${m.digest.slice(0, 12)}`, m.replica));
        return;
      default:
        return;
    }
  }
}

/**
 * Trace validation of the production node (every consequence of an event in one step: batched,
 * pipelined appends, heartbeats, the no-op, pre-vote, check-quorum, snapshots and InstallSnapshot)
 * against specs/raft/RaftProd.tla. A production step reports the spec actions it took in order
 * (`BecomeLeader` then `AppendEntries` to each peer, `HandleAppendEntriesResponse` then
 * `AdvanceCommitIndex`, `TakeSnapshot` and the next batches), and the validator finds that
 * sequence of spec steps from the state before to the state after.
 *
 * The abstraction keeps one ghost: every log entry it has seen anywhere (by index and term, with
 * the term before it), so that a snapshot, which the node holds as a state machine, can be given
 * to the spec as the committed prefix it replaces (Log Matching makes the prefix unique).
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { AdapterError, messageBag, loadSpec, specDirNear, type LoadedSpec, type State, type ValidateMode, type Value, type WireMessage } from "@synod/conformance";
import type { Json } from "@synod/protocol";
import type { RaftMessage } from "../messages.js";
import { createKvNode, type RaftKvNode } from "../node.js";
import type { LogEntry, RaftOptions } from "../types.js";
import { RAFT_SPEC_DIR, serverIds } from "./spec-model.js";
import type { RaftTypes } from "./types.js";

/** RaftProd.tla loaded for trace validation. */
export interface RaftProdSpec extends LoadedSpec {
  /** Client values' names (`v1`, ...), put as strings by the driver. */
  values: string[];
}

/**
 * The node options production-mode trace validation runs with: small batches and window, so that
 * batching and pipelining happen in short logs, and a snapshot every few entries keeping two behind
 * it, so that compaction, retained entries and InstallSnapshot happen in a 3 s run.
 */
export const PRODUCTION_VALIDATION_OPTIONS: Partial<RaftOptions> = { maxBatchEntries: 3, maxInflight: 4, snapshotEveryEntries: 5, snapshotRetainEntries: 2 };

/** Load RaftProd.tla with 3 servers, 2 client values and the batch size of {@link PRODUCTION_VALIDATION_OPTIONS}. */
export async function loadRaftProdSpec(): Promise<RaftProdSpec> {
  const servers = serverIds(3);
  const values = ["v1", "v2"];
  const cfg = ["CONSTANTS", `    Server = {${servers.join(", ")}}`, `    Value = {${values.join(", ")}}`, "    Nil = Nil", `    MaxBatch = ${PRODUCTION_VALIDATION_OPTIONS.maxBatchEntries}`, "INIT Init", "NEXT Next", ""].join("\n");
  const spec = await loadSpec({ dir: specDirNear(import.meta.url, RAFT_SPEC_DIR), module: "RaftProd.tla", cfg, cfgName: "RaftProd (validation)", servers });
  return { ...spec, values };
}

const ROLE = { follower: "Follower", "pre-candidate": "PreCandidate", candidate: "Candidate", leader: "Leader" } as const;

/** One node's variables of RaftProd.tla, plain JS (model values resolved). */
interface ProdNode {
  currentTerm: number;
  state: string;
  votedFor: Value;
  log: Record<string, unknown>[];
  snapshot: Record<string, unknown>[];
  commitIndex: number;
  votesGranted: Set<Value>;
  matchIndex: Map<Value, number>;
}

/** The abstraction function from production nodes and messages to RaftProd.tla's variables. */
export class RaftProdAbstraction {
  /** Every entry seen, by `index:term`, with the term of the entry before it. */
  private readonly seen = new Map<string, { entry: Record<string, unknown>; prevTerm: number }>();

  constructor(private readonly spec: RaftProdSpec) {}

  private entry(e: LogEntry, where: string): Record<string, unknown> {
    const c = e.command;
    if (c.type === "noop") return { term: e.term, kind: "Noop", value: this.spec.mv("Nil") };
    if (c.type === "kv" && c.command.op === "put") return { term: e.term, kind: "Command", value: this.spec.mv(c.command.value) };
    throw new AdapterError(`${where}: log entry ${JSON.stringify(c)} has no counterpart in RaftProd.tla (only client puts and no-ops)`);
  }

  /** Remember entries `base + 1 ...` (the one at `base` has term `baseTerm`). */
  private learn(base: number, baseTerm: number, entries: readonly LogEntry[], where: string): Record<string, unknown>[] {
    let prevTerm = baseTerm;
    return entries.map((e, k) => {
      const spec = this.entry(e, `${where}[${base + 1 + k}]`);
      const key = `${base + 1 + k}:${e.term}`;
      if (!this.seen.has(key)) this.seen.set(key, { entry: spec, prevTerm });
      prevTerm = e.term;
      return spec;
    });
  }

  /** The committed prefix that a snapshot ending at `index` with `term` replaces. */
  private prefix(index: number, term: number, where: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    let t = term;
    for (let k = index; k >= 1; k--) {
      const hit = this.seen.get(`${k}:${t}`);
      if (hit === undefined) throw new AdapterError(`${where}: the snapshot's entry ${k} (term ${t}) was never seen in any log`);
      out.push(hit.entry);
      t = hit.prevTerm;
    }
    return out.reverse();
  }

  /** One node's spec variables. */
  node(n: RaftKvNode): ProdNode {
    const s = n.inspect();
    const d = n.durableState();
    const mv = this.spec.mv;
    this.learn(s.snapshotIndex, s.snapshotTerm, s.log, `${s.id}: log`);
    const snapIndex = d.snapshot?.index ?? 0;
    const matchIndex = new Map<Value, number>();
    for (const j of this.spec.servers) matchIndex.set(mv(j), s.role === "leader" && j !== s.id ? (s.matchIndex[j] ?? 0) : 0);
    return {
      currentTerm: d.currentTerm,
      state: ROLE[s.role],
      votedFor: d.votedFor === null ? mv("Nil") : mv(d.votedFor),
      log: d.log.map((e, k) => this.entry(e, `${s.id}: log[${snapIndex + 1 + k}]`)),
      snapshot: d.snapshot === null ? [] : this.prefix(d.snapshot.index, d.snapshot.term, `${s.id}: snapshot`),
      commitIndex: s.commitIndex,
      votesGranted: s.role === "pre-candidate" || s.role === "candidate" ? new Set(s.votesGranted.map(mv)) : new Set(),
      matchIndex,
    };
  }

  /** A message as RaftProd.tla's record. */
  message(from: NodeId, to: NodeId, m: RaftMessage): Record<string, unknown> {
    const base = { mtype: m.type, mterm: m.term, msource: this.spec.mv(from), mdest: this.spec.mv(to) };
    switch (m.type) {
      case "PreVoteRequest":
      case "RequestVoteRequest":
        if (m.type === "RequestVoteRequest" && m.transfer) throw new AdapterError(`${from}->${to}: a leadership transfer's vote request has no counterpart in RaftProd.tla`);
        return { ...base, mlastLogTerm: m.lastLogTerm, mlastLogIndex: m.lastLogIndex };
      case "PreVoteResponse":
      case "RequestVoteResponse":
        return { ...base, mvoteGranted: m.granted };
      case "AppendEntriesRequest":
        return {
          ...base,
          mprevLogIndex: m.prevLogIndex,
          mprevLogTerm: m.prevLogTerm,
          mentries: this.learn(m.prevLogIndex, m.prevLogTerm, m.entries, `${from}->${to} AppendEntriesRequest entries`),
          mcommitIndex: m.commitIndex,
        };
      case "AppendEntriesResponse":
        // The back-off hints (rejectIndex, conflictTerm, conflictIndex) only choose what to send next.
        return { ...base, msuccess: m.success, mmatchIndex: m.success ? m.matchIndex : 0 };
      case "HeartbeatRequest":
        // The round only serves ReadIndex reads and leases.
        return { ...base, mcommitIndex: m.commitIndex };
      case "HeartbeatResponse":
        return base;
      case "InstallSnapshotRequest":
        return { ...base, msnapshot: this.prefix(m.snapshot.index, m.snapshot.term, `${from}->${to} InstallSnapshotRequest`) };
      case "InstallSnapshotResponse":
        return { ...base, mmatchIndex: m.matchIndex };
      case "TimeoutNow":
        throw new AdapterError(`${from}->${to}: TimeoutNow (leadership transfer) has no counterpart in RaftProd.tla`);
    }
  }

  /** The spec's `messages` bag (duplicates count twice). */
  bag(messages: Iterable<WireMessage<RaftMessage>>): Value {
    return messageBag(this.spec.model, [...messages].map((m) => this.message(m.from, m.to, m.message)));
  }


  /** The whole spec state. */
  state(nodes: ReadonlyMap<NodeId, unknown>, messages: Value): State {
    const { values } = this.spec.model;
    const per = <K extends keyof ProdNode>(k: K): Value => values.fromJS(new Map(this.spec.servers.map((id) => [this.spec.mv(id), (nodes.get(id) as ProdNode)[k]])));
    const byName: Record<string, Value> = {
      currentTerm: per("currentTerm"),
      state: per("state"),
      votedFor: per("votedFor"),
      log: per("log"),
      snapshot: per("snapshot"),
      commitIndex: per("commitIndex"),
      votesGranted: per("votesGranted"),
      matchIndex: per("matchIndex"),
      messages,
    };
    return this.spec.model.variables.map((v) => {
      if (!(v in byName)) throw new AdapterError(`RaftProd.tla variable ${v} has no abstraction`);
      return byName[v];
    });
  }
}

/** Production-mode trace validation, as a {@link ValidateMode} of Raft's kit. */
export const productionValidation: ValidateMode<RaftTypes, RaftProdSpec> = {
  name: "production mode, RaftProd.tla",
  key: "production",
  load: () => loadRaftProdSpec(),
  validate: {
    // Odd seeds run the defaults (pre-vote, check-quorum); even seeds run without them, so that a
    // leader cut off keeps taking writes until the partition heals, and its log is then cut.
    node: ({ id, peers, rng, variant, seed }) =>
      createKvNode({ id, peers, rng, options: { ...PRODUCTION_VALIDATION_OPTIONS, ...(seed % 2 === 0 ? { preVote: false, checkQuorum: false } : {}), unsafe: variant?.unsafe ?? {} } }),
    abstraction: (spec) => {
      const abs = new RaftProdAbstraction(spec);
      return { node: (n) => abs.node(n), state: (nodes, inflight) => abs.state(nodes, abs.bag(inflight)) };
    },
    network: "bag",
    durable: (n) => n.durableState() as unknown as Json,
    // The production node takes every action itself; the driver only sends the leader writes.
    driven: [],
    request: (spec, rng, node) => {
      // Up to 40 entries (several snapshots; spec states stay small), at most 4 of them uncommitted:
      // a leader cut off keeps a short suffix that the next leader's log then cuts.
      if (node.role !== "leader") return null;
      const s = node.inspect();
      const last = s.snapshotIndex + s.log.length;
      if (last >= 40 || last - s.commitIndex >= 4) return null;
      return { op: "put", key: "x", value: spec.values[rng.nextInt(0, spec.values.length - 1)] as string };
    },
    paramMatches: (spec, name, specValue, implValue) => {
      if (name === "prev") return spec.model.values.toPortable(specValue) === implValue;
      try {
        return spec.nameOf(specValue) === String(implValue);
      } catch {
        return false;
      }
    },
    // Compaction and truncation delete durable keys: a crash right after them is where a write
    // applied in memory only, or in the wrong order, would show.
    targetedCrash: {
      name: "right after a truncation or compaction",
      when: (rd) => rd.persist.some((w) => "delete" in w),
      probability: 0.3,
    },
    faults: ["crash", "partition"],
    seeds: { ci: 6, full: 20 },
    durationMs: 3000,
  },
};

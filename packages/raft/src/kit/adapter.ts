/**
 * The Raft adapter: spec actions of specs/raft/Raft.tla → events on `stepMode: "spec"` nodes, and
 * the abstraction function from node state (`inspect()`) and in-flight messages to the spec's
 * variables, as checker values.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { AdapterError, messageBag, type Adapter, type SpecAction, type State, type Value, type WireMessage } from "@synod/conformance";
import type { RaftMessage } from "../messages.js";
import type { LogEntry, RaftInspect, UnsafeOptions } from "../types.js";
import { SpecCluster, type InFlight } from "./host.js";
import type { RaftSpec } from "./spec-model.js";

const ROLE: Record<RaftInspect["role"], string | null> = { follower: "Follower", candidate: "Candidate", leader: "Leader", "pre-candidate": null };

/** The spec's view of one node's variables, plain JS (model values already resolved). */
export interface AbstractNode {
  /** `currentTerm[i]`. */
  currentTerm: number;
  /** `state[i]`: "Follower", "Candidate" or "Leader". */
  state: string;
  /** `votedFor[i]`: a server's model value, or Nil. */
  votedFor: Value;
  /** `log[i]`: `[term, value]` records. */
  log: Record<string, unknown>[];
  /** `commitIndex[i]`. */
  commitIndex: number;
  /** `votesGranted[i]` (candidates only; empty otherwise). */
  votesGranted: Set<Value>;
  /** `nextIndex[i]` (leaders; the spec's reset value 1 otherwise). */
  nextIndex: Map<Value, number>;
  /** `matchIndex[i]` (leaders; the spec's reset value 0 otherwise). */
  matchIndex: Map<Value, number>;
}

/** Maps implementation objects to checker values for one loaded Raft spec. */
export class RaftAbstraction {
  constructor(private readonly spec: RaftSpec) {}

  private entry(e: LogEntry, where: string): Record<string, unknown> {
    const c = e.command;
    if (c.type !== "kv" || c.command.op !== "put") throw new AdapterError(`${where}: log entry ${JSON.stringify(c)} has no spec counterpart (only client puts)`);
    return { term: e.term, value: this.spec.mv(c.command.value) };
  }

  /** One node's spec variables. */
  node(s: RaftInspect): AbstractNode {
    const role = ROLE[s.role];
    if (role === null) throw new AdapterError(`${s.id}: role ${s.role} has no spec counterpart`);
    if (s.snapshotIndex !== 0) throw new AdapterError(`${s.id}: snapshots have no counterpart in Raft.tla`);
    const mv = this.spec.mv;
    const nextIndex = new Map<Value, number>();
    const matchIndex = new Map<Value, number>();
    for (const j of this.spec.servers) {
      // The spec keeps a leader's own slot at its initial value (Len(log)+1 when it won, 0); the
      // implementation tracks no progress for itself. Non-leaders: the spec's reset values.
      if (s.role === "leader" && j !== s.id) {
        nextIndex.set(mv(j), s.nextIndex[j] ?? -1);
        matchIndex.set(mv(j), s.matchIndex[j] ?? -1);
      } else {
        nextIndex.set(mv(j), 1);
        matchIndex.set(mv(j), 0);
      }
    }
    return {
      currentTerm: s.term,
      state: role,
      votedFor: s.votedFor === null ? mv("Nil") : mv(s.votedFor),
      log: s.log.map((e, k) => this.entry(e, `${s.id}: log[${k + 1}]`)),
      commitIndex: s.commitIndex,
      votesGranted: s.role === "candidate" ? new Set(s.votesGranted.map(mv)) : new Set(),
      nextIndex,
      matchIndex,
    };
  }

  /** A message on the wire as the spec's record (`mtype`, `mterm`, ...). */
  message(from: NodeId, to: NodeId, m: RaftMessage): Record<string, unknown> {
    const base = { mterm: m.term, msource: this.spec.mv(from), mdest: this.spec.mv(to) };
    switch (m.type) {
      case "RequestVoteRequest":
        return { mtype: m.type, ...base, mlastLogTerm: m.lastLogTerm, mlastLogIndex: m.lastLogIndex };
      case "RequestVoteResponse":
        return { mtype: m.type, ...base, mvoteGranted: m.granted };
      case "AppendEntriesRequest":
        return {
          mtype: m.type,
          ...base,
          mprevLogIndex: m.prevLogIndex,
          mprevLogTerm: m.prevLogTerm,
          mentries: m.entries.map((e, k) => this.entry(e, `${from}->${to} AppendEntriesRequest entries[${k}]`)),
          mcommitIndex: m.commitIndex,
        };
      case "AppendEntriesResponse":
        return { mtype: m.type, ...base, msuccess: m.success, mmatchIndex: m.success ? m.matchIndex : 0 };
      case "PreVoteRequest":
      case "PreVoteResponse":
      case "HeartbeatRequest":
      case "HeartbeatResponse":
      case "InstallSnapshotRequest":
      case "InstallSnapshotResponse":
      case "TimeoutNow":
        throw new AdapterError(`${from}->${to}: ${m.type} has no counterpart in Raft.tla`);
    }
  }

  /** The spec's `messages` bag from a list of messages in flight (duplicates count twice). */
  bag(messages: Iterable<WireMessage<RaftMessage>>): Value {
    return messageBag(this.spec.model, [...messages].map((m) => this.message(m.from, m.to, m.message)));
  }


  /** The full spec state from every node's abstraction and the network. */
  state(nodes: ReadonlyMap<NodeId, unknown>, messages: Value): State {
    const { values } = this.spec.model;
    const per = <K extends keyof AbstractNode>(k: K): Value =>
      values.fromJS(new Map(this.spec.servers.map((id) => [this.spec.mv(id), (nodes.get(id) as AbstractNode)[k]])));
    const byName: Record<string, Value> = {
      currentTerm: per("currentTerm"),
      state: per("state"),
      votedFor: per("votedFor"),
      log: per("log"),
      commitIndex: per("commitIndex"),
      votesGranted: per("votesGranted"),
      nextIndex: per("nextIndex"),
      matchIndex: per("matchIndex"),
      messages,
    };
    return this.spec.model.variables.map((v) => {
      if (!(v in byName)) throw new AdapterError(`spec variable ${v} has no abstraction`);
      return byName[v];
    });
  }
}

/** The Raft adapter over a {@link SpecCluster}. */
export class RaftAdapter implements Adapter<SpecCluster> {
  private readonly abstraction: RaftAbstraction;
  /** The spec's variables, in slot order. */
  readonly variables: readonly string[];

  /**
   * @param spec - the loaded Raft spec whose states the adapter produces.
   * @param unsafe - the broken variant the implementation nodes run (default: none).
   */
  constructor(
    private readonly spec: RaftSpec,
    private readonly unsafe: UnsafeOptions = {},
  ) {
    this.abstraction = new RaftAbstraction(spec);
    this.variables = spec.model.variables;
  }

  /**
   * Erases dead state of Raft.tla before comparing: a leader's `votesGranted` (only
   * `BecomeLeader` reads it, and only for candidates; the implementation forgets its votes on
   * winning), and each server's own slot in `nextIndex`/`matchIndex` (`AppendEntries` requires
   * `i /= j`, and `AdvanceCommitIndex` counts the leader itself regardless; the implementation
   * tracks no progress for itself).
   */
  observable(state: State): State {
    const { values, variables } = this.spec.model;
    type Fn = { d: unknown[]; r: unknown[] };
    const portable = (name: string): Fn => values.toPortable(state[variables.indexOf(name)]) as Fn;
    const roles = portable("state");
    const leaders = new Set(roles.d.filter((_, n) => roles.r[n] === "Leader").map((d) => JSON.stringify(d)));
    const out = [...state];
    const votes = portable("votesGranted");
    if (leaders.size > 0) {
      out[variables.indexOf("votesGranted")] = values.fromPortable({ d: votes.d, r: votes.r.map((r, n) => (leaders.has(JSON.stringify(votes.d[n])) ? { s: [] } : r)) });
    }
    for (const [name, self] of [["nextIndex", 1], ["matchIndex", 0]] as const) {
      const f = portable(name);
      const r = f.r.map((row, n) => {
        const g = row as Fn;
        const me = JSON.stringify(f.d[n]);
        return { d: g.d, r: g.r.map((x, m) => (JSON.stringify(g.d[m]) === me ? self : x)) };
      });
      out[variables.indexOf(name)] = values.fromPortable({ d: f.d, r });
    }
    return out;
  }

  /** Fresh spec-mode nodes, one per server of the spec. */
  create(): SpecCluster {
    return new SpecCluster(this.spec.servers, this.unsafe);
  }

  /** The abstraction function: every node's `inspect()` and the network, as a spec state. */
  abstract(c: SpecCluster): State {
    const nodes = new Map(this.spec.servers.map((id) => [id, this.abstraction.node(c.node(id).inspect())]));
    return this.abstraction.state(nodes, this.abstraction.bag(c.inflight));
  }

  /** The in-flight message that the spec's `m` denotes. */
  private find(c: SpecCluster, m: Value, what: string): InFlight<RaftMessage> {
    const { values } = this.spec.model;
    const hit = c.inflight.find((x) => values.equals(values.fromJS(this.abstraction.message(x.from, x.to, x.message)), m));
    if (hit === undefined) throw new AdapterError(`${what}: the implementation has no such message in flight: ${values.format(m)}`);
    return hit;
  }

  /** Take the spec action `label` on the implementation (see the table in README.md of packages/raft). */
  apply(c: SpecCluster, label: SpecAction): void {
    const p = new Map(label.params.map(([n, v]) => [n, v]));
    const server = (name: string): NodeId => {
      const v = p.get(name);
      if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${name}`);
      return this.spec.nameOf(v);
    };
    const need = (ok: boolean, what: string): void => {
      if (!ok) throw new AdapterError(`${what}: the implementation refused (not enabled there)`);
    };
    switch (label.action) {
      case "Init":
        return;
      case "Restart":
        return c.restart(server("i"));
      case "Timeout": {
        const i = server("i");
        need(c.node(i).inspect().role !== "leader", `Timeout(${i})`);
        return c.fire(i, "election");
      }
      case "RequestVote":
      case "AppendEntries":
        return need(c.take(server("i"), label.action, { j: server("j") }), `${label.action}(${server("i")}, ${server("j")})`);
      case "BecomeLeader":
      case "AdvanceCommitIndex":
        return need(c.take(server("i"), label.action, {}), `${label.action}(${server("i")})`);
      case "ClientRequest": {
        const v = p.get("v");
        if (v === undefined) throw new AdapterError("ClientRequest: no parameter v");
        return c.put(server("i"), this.spec.nameOf(v));
      }
      case "HandleRequestVoteRequest":
      case "HandleRequestVoteResponse":
      case "HandleAppendEntriesRequest":
      case "HandleAppendEntriesResponse":
      case "DuplicateMessage":
      case "DropMessage": {
        const m = p.get("m");
        if (m === undefined) throw new AdapterError(`${label.action}: no parameter m`);
        const hit = this.find(c, m, label.action);
        if (label.action === "DuplicateMessage") {
          c.duplicate(hit.id);
          return;
        }
        if (label.action === "DropMessage") return c.drop(hit.id);
        return c.deliver(hit.id);
      }
      default:
        throw new AdapterError(`no implementation mapping for spec action ${label.action}`);
    }
  }
}

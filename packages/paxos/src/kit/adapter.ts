/**
 * The Multi-Paxos adapter: spec actions of specs/paxos/MultiPaxos.tla → events on
 * `stepMode: "spec"` nodes, and the abstraction function from node state (`inspect()`) and
 * messages in flight to the spec's variables, as checker values.
 *
 * One implementation message may stand for several spec messages: an Accept carrying a batch is
 * one spec `Accept` per instance, an Accepted one spec `Accepted` per instance, a Learn one spec
 * `Decide` per entry (spec-mode nodes send batches of one, production nodes larger ones).
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { AdapterError, type Adapter, type SpecAction, type State, type Value, type WireMessage } from "@synod/conformance";
import type { PaxosMessage } from "../messages.js";
import type { Ballot, LogValue, MultiPaxosInspect, UnsafeOptions } from "../types.js";
import { SpecCluster, type InFlight } from "./host.js";
import type { MultiPaxosSpec } from "./spec-model.js";

const ROLE: Record<MultiPaxosInspect["role"], string> = { follower: "Follower", candidate: "Candidate", leader: "Leader" };

/** The spec's view of one node's variables, plain JS (model values resolved to checker values). */
export interface AbstractNode {
  promised: Record<string, unknown>;
  accepted: Map<number, Record<string, unknown>>;
  role: string;
  prepared: Set<Value>;
  recovered: Map<number, Record<string, unknown>>;
  proposals: Value[];
  acks: Set<Value>[];
  decided: Map<number, Value>;
  clock: number;
  leaseGrant: Record<string, unknown>;
  grants: Map<Value, number>;
}

/** Maps implementation objects to checker values for one loaded MultiPaxos spec. */
export class MultiPaxosAbstraction {
  constructor(private readonly spec: MultiPaxosSpec) {}

  private server(id: string | null): Value {
    return id === null || id === "" ? this.spec.mv("Nil") : this.spec.mv(id);
  }

  /** A ballot as the spec's `[rnd, ldr]` record. */
  ballot(b: Ballot): Record<string, unknown> {
    return { rnd: b.round, ldr: this.server(b.node) };
  }

  /** A log value as the spec's `Value \cup {NoOp}`: a put of a client value, or NoOp. */
  value(v: LogValue, where: string): Value {
    if (v.type === "noop") return this.spec.mv("NoOp");
    if (v.type === "kv" && v.command.op === "put" && this.spec.values.includes(v.command.value)) return this.spec.mv(v.command.value);
    throw new AdapterError(`${where}: ${JSON.stringify(v)} has no spec counterpart (only puts of ${this.spec.values.join(", ")} and no-ops)`);
  }

  private vote(a: { ballot: Ballot; value: LogValue }, where: string): Record<string, unknown> {
    return { bal: this.ballot(a.ballot), val: this.value(a.value, where) };
  }

  /** One node's spec variables. */
  node(s: MultiPaxosInspect): AbstractNode {
    const mv = this.spec.mv;
    const slots = Object.keys(s.proposals).map(Number).sort((a, b) => a - b);
    slots.forEach((slot, k) => {
      if (slot !== k + 1) throw new AdapterError(`${s.id}: the leader's proposals are not the instances 1..${slots.length} (${slots.join(", ")})`);
    });
    const map = <T, U>(o: Record<number, T>, f: (x: T, slot: number) => U): Map<number, U> =>
      new Map(Object.entries(o).map(([k, x]) => [Number(k), f(x, Number(k))]));
    return {
      promised: this.ballot(s.promised),
      accepted: map(s.accepted, (a, k) => this.vote(a, `${s.id}: accepted[${k}]`)),
      role: ROLE[s.role],
      prepared: new Set(s.promises.map(mv)),
      recovered: map(s.recovered, (a, k) => this.vote(a, `${s.id}: recovered[${k}]`)),
      proposals: slots.map((k) => this.value(s.proposals[k]!.value, `${s.id}: proposals[${k}]`)),
      acks: slots.map((k) => new Set(s.proposals[k]!.acks.map(mv))),
      decided: map(s.chosen, (v, k) => this.value(v, `${s.id}: decided[${k}]`)),
      clock: s.clock,
      leaseGrant: { holder: this.server(s.leaseGrant.holder), until: s.leaseGrant.until },
      grants: new Map(Object.entries(s.grants).map(([j, t]) => [mv(j), t])),
    };
  }

  /** The spec messages an implementation message stands for (see the module comment). */
  messages(from: NodeId, to: NodeId, m: PaxosMessage): Record<string, unknown>[] {
    const ends = { msource: this.spec.mv(from), mdest: this.spec.mv(to) };
    const where = `${from}->${to} ${m.type}`;
    switch (m.type) {
      case "Prepare":
        return [{ mtype: "Prepare", mbal: this.ballot(m.ballot), mtime: m.time, ...ends }];
      case "Promise":
        if (m.fromSlot !== 1) throw new AdapterError(`${where}: a Promise from instance ${m.fromSlot} (the spec's cover every instance)`);
        return [{ mtype: "Promise", mbal: this.ballot(m.ballot), maccepted: new Map(m.accepted.map((a) => [a.slot, this.vote(a, `${where} accepted[${a.slot}]`)])), mtime: m.time, ...ends }];
      case "Accept":
        return m.proposals.map((p) => ({ mtype: "Accept", mbal: this.ballot(m.ballot), mslot: p.slot, mval: this.value(p.value, where), mtime: m.time, ...ends }));
      case "Accepted":
        return m.slots.map((k) => ({ mtype: "Accepted", mbal: this.ballot(m.ballot), mslot: k, mtime: m.time, ...ends }));
      case "Learn":
        return m.entries.map((e) => ({ mtype: "Decide", mslot: e.slot, mval: this.value(e.value, where), ...ends }));
      case "Nack":
        throw new AdapterError(`${where}: Nack has no counterpart in MultiPaxos.tla (refusals are silent there)`);
      case "PreVote":
      case "PreVoteReply":
        throw new AdapterError(`${where}: pre-vote has no counterpart in MultiPaxos.tla (spec-mode nodes never send it)`);
    }
  }

  /** The spec's `messages` bag from a list of messages in flight (duplicates count twice). */
  bag(messages: Iterable<WireMessage<PaxosMessage>>): Value {
    const { values } = this.spec.model;
    const counts: { v: Value; n: number }[] = [];
    for (const m of messages) {
      for (const x of this.messages(m.from, m.to, m.message)) {
        const v = values.fromJS(x);
        const hit = counts.find((c) => values.equals(c.v, v));
        if (hit) hit.n++;
        else counts.push({ v, n: 1 });
      }
    }
    return values.fromJS(new Map(counts.map((c) => [c.v, c.n])));
  }

  /** The full spec state from every node's abstraction and the network. */
  state(nodes: ReadonlyMap<NodeId, unknown>, messages: Value): State {
    const { values } = this.spec.model;
    const per = <K extends keyof AbstractNode>(k: K): Value =>
      values.fromJS(new Map(this.spec.servers.map((id) => [this.spec.mv(id), (nodes.get(id) as AbstractNode)[k]])));
    const byName: Record<string, () => Value> = {
      promised: () => per("promised"),
      accepted: () => per("accepted"),
      role: () => per("role"),
      prepared: () => per("prepared"),
      recovered: () => per("recovered"),
      proposals: () => per("proposals"),
      acks: () => per("acks"),
      decided: () => per("decided"),
      clock: () => per("clock"),
      leaseGrant: () => per("leaseGrant"),
      grants: () => per("grants"),
      messages: () => messages,
    };
    return this.spec.model.variables.map((v) => {
      const f = byName[v];
      if (f === undefined) throw new AdapterError(`spec variable ${v} has no abstraction`);
      return f();
    });
  }
}

/** The Multi-Paxos adapter over a {@link SpecCluster}. */
export class MultiPaxosAdapter implements Adapter<SpecCluster> {
  private readonly abstraction: MultiPaxosAbstraction;
  /** The spec's variables, in slot order. */
  readonly variables: readonly string[];

  /**
   * @param spec - the loaded spec whose states the adapter produces.
   * @param unsafe - the broken variant the implementation nodes run (default: none).
   */
  constructor(
    private readonly spec: MultiPaxosSpec,
    private readonly unsafe: UnsafeOptions = {},
  ) {
    this.abstraction = new MultiPaxosAbstraction(spec);
    this.variables = spec.model.variables;
  }

  /** Fresh spec-mode nodes, one per server of the spec. */
  create(): SpecCluster {
    return new SpecCluster(this.spec.servers, this.spec.bounds, this.unsafe);
  }

  /** The abstraction function: every node's `inspect()` and the network, as a spec state. */
  abstract(c: SpecCluster): State {
    const nodes = new Map(this.spec.servers.map((id) => [id, this.abstraction.node(c.node(id).inspect())]));
    return this.abstraction.state(nodes, this.abstraction.bag(c.inflight));
  }

  /** The in-flight message that the spec's `m` denotes (spec-mode messages stand for one each). */
  private find(c: SpecCluster, m: Value, what: string): InFlight<PaxosMessage> {
    const { values } = this.spec.model;
    const hit = c.inflight.find((x) => {
      const images = this.abstraction.messages(x.from, x.to, x.message);
      return images.length === 1 && values.equals(values.fromJS(images[0]), m);
    });
    if (hit === undefined) throw new AdapterError(`${what}: the implementation has no such message in flight: ${values.format(m)}`);
    return hit;
  }

  /** Take the spec action `label` on the implementation. */
  apply(c: SpecCluster, label: SpecAction): void {
    const p = new Map(label.params.map(([n, v]) => [n, v]));
    const param = (name: string): Value => {
      const v = p.get(name);
      if (v === undefined) throw new AdapterError(`${label.action}: no parameter ${name}`);
      return v;
    };
    const server = (name: string): NodeId => this.spec.nameOf(param(name));
    const need = (ok: boolean, what: string): void => {
      if (!ok) throw new AdapterError(`${what}: the implementation refused (not enabled there)`);
    };
    switch (label.action) {
      case "Init":
        return;
      case "Restart":
        return c.restart(server("i"));
      case "Tick":
        return need(c.take(server("i"), "Tick", {}), `Tick(${server("i")})`);
      case "StartPhase1": {
        const i = server("i");
        const before = c.node(i).inspect().promised.round;
        c.fire(i, "election");
        const s = c.node(i).inspect();
        return need(s.role === "candidate" && s.promised.round === before + 1, `StartPhase1(${i})`);
      }
      case "SendPrepare":
        return need(c.take(server("i"), label.action, { j: server("j") }), `SendPrepare(${server("i")}, ${server("j")})`);
      case "BecomeLeader":
        return need(c.take(server("i"), label.action, {}), `BecomeLeader(${server("i")})`);
      case "SendAccept":
      case "SendDecide": {
        const k = this.spec.model.values.toPortable(param("k"));
        if (typeof k !== "number") throw new AdapterError(`${label.action}: slot k is not a number`);
        return need(c.take(server("i"), label.action, { j: server("j"), k }), `${label.action}(${server("i")}, ${server("j")}, ${k})`);
      }
      case "Propose": {
        const i = server("i");
        const before = Object.keys(c.node(i).inspect().proposals).length;
        c.put(i, this.spec.nameOf(param("v")));
        return need(Object.keys(c.node(i).inspect().proposals).length === before + 1, `Propose(${i})`);
      }
      case "LeaseRead":
        return need(c.read(server("i")), `LeaseRead(${server("i")})`);
      case "HandlePrepare":
      case "HandlePromise":
      case "HandleAccept":
      case "HandleAccepted":
      case "HandleDecide":
      case "DuplicateMessage":
      case "DropMessage": {
        const hit = this.find(c, param("m"), label.action);
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

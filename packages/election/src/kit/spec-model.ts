/**
 * How conformance sees `specs/election/LeaseElection.tla`: the cluster and the clocks the models
 * describe, loading a model, and the abstraction from lease nodes, their clocks and the messages
 * to the spec's variables.
 *
 * Time. The spec counts in clock units; the implementation in ms. Replay runs the nodes with
 * `leaseMs = LEASE_UNITS` and `driftBound = DRIFT / NOMINAL`, so one unit is one ms of a node's
 * clock and the implementation waits exactly the spec's `WaitUnits`. A spec `Tick` advances each
 * node's clock by its rate in units. The countdowns (`roundLeft`, `waitLeft`, `leaseLeft`) are the
 * node's deadlines minus its clock reading, floored at 0.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type State, type Value, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { LeaseView } from "../lease.js";
import type { LeaseMessage } from "../messages.js";

/** The servers of every conformance model (the spec's `Server` model values carry the same names). */
export const NODES = ["n1", "n2", "n3"];
/** The spec folder, relative to the checkout. */
export const SPEC_DIR = "specs/election";
/** Clock units per tick of a perfect clock, the drift bound the protocol assumes, and the lease (the ci models'). */
export const NOMINAL = 3;
export const DRIFT = 1;
export const LEASE_UNITS = 2;
/** TLC's distinct states of `MCLeaseElectionCoverage.cfg`, the coverage model. */
export const COVERAGE_DISTINCT = 2212;

/** The options replay gives lease nodes so that one ms is one spec unit. */
export const REPLAY_OPTIONS = { leaseMs: LEASE_UNITS, driftBound: DRIFT / NOMINAL, renewEveryMs: 1, electionTimeoutMs: { min: 1000, max: 1000 } };

/** Model bounds: generations and rounds. */
export interface Bounds {
  maxGen: number;
  maxRound: number;
  /** The broken model: a new leader does not wait out the old lease. */
  noWait?: boolean;
}

/** Load `MCLeaseElection.tla` with the ci clocks and `bounds`. */
export function loadLeaseElection(bounds: Bounds): Promise<LoadedSpec> {
  const cfg = [
    "CONSTANTS",
    `  Server = {${NODES.join(", ")}}`,
    `  Nominal = ${NOMINAL}`,
    `  Drift = ${DRIFT}`,
    `  ActualDrift = ${DRIFT}`,
    `  LeaseUnits = ${LEASE_UNITS}`,
    `  NoWait = ${bounds.noWait === true ? "TRUE" : "FALSE"}`,
    `  MaxGen = ${bounds.maxGen}`,
    `  MaxRound = ${bounds.maxRound}`,
    "INIT Init",
    "NEXT Next",
    "CONSTRAINT StateBound",
    "",
  ].join("\n");
  return loadSpec({ dir: specDirNear(import.meta.url, SPEC_DIR), module: "MCLeaseElection.tla", cfg, cfgName: `MCLeaseElection (MaxGen ${bounds.maxGen}, MaxRound ${bounds.maxRound})`, servers: NODES });
}

/** One node's part of the spec state: its view, and its clock reading (`null`: countdowns read as 0). */
export interface NodeSpecView {
  view: LeaseView;
  clockMs: number | null;
}

const left = (until: number | null, now: number | null): number => (until === null || now === null ? 0 : Math.max(0, until - now));

/** The spec record a wire message stands for. */
export function specMessage(m: WireMessage<LeaseMessage>): Record<string, unknown> {
  const x = m.message;
  switch (x.type) {
    case "Campaign":
      return { type: "Campaign", gen: x.gen, from: m.from };
    case "Grant":
      return { type: "Grant", gen: x.gen, from: m.from, to: m.to };
    case "Renew":
      return { type: "Renew", gen: x.gen, round: x.round, from: m.from };
    case "Ack":
      return { type: "Ack", gen: x.gen, round: x.round, from: m.from, to: m.to };
  }
}

/** The spec state from every node's view and every message sent (a set). */
export function specState(spec: LoadedSpec, views: ReadonlyMap<NodeId, NodeSpecView>, messages: readonly WireMessage<LeaseMessage>[], leaseUnits = LEASE_UNITS): State {
  const { values } = spec.model;
  const per = <T>(f: (v: NodeSpecView) => T): Value =>
    values.fromJS(
      new Map(
        NODES.map((id) => {
          const v = views.get(id);
          if (v === undefined) throw new Error(`no view of ${id}`);
          return [spec.mv(id), f(v)];
        }),
      ),
    );
  const msgs = new Set<Value>();
  for (const m of messages) {
    const r = specMessage(m);
    const withServers: Record<string, unknown> = { ...r };
    for (const k of ["from", "to"]) if (typeof r[k] === "string") withServers[k] = spec.mv(r[k] as string);
    msgs.add(values.fromJS(withServers));
  }
  const byName: Record<string, Value> = {
    promised: per((v) => v.view.promised),
    role: per((v) => v.view.role),
    gen: per((v) => v.view.gen),
    round: per((v) => v.view.round),
    acks: per((v) => new Set(v.view.acks.map((a) => spec.mv(a)))),
    roundLeft: per((v) => left(v.view.roundStartMs === null ? null : v.view.roundStartMs + leaseUnits, v.clockMs)),
    waitLeft: per((v) => left(v.view.waitUntilMs, v.clockMs)),
    leaseLeft: per((v) => left(v.view.leaseUntilMs, v.clockMs)),
    msgs: values.fromJS(msgs),
  };
  return spec.model.variables.map((name) => {
    const x = byName[name];
    if (x === undefined) throw new Error(`LeaseElection.tla has a variable ${name} the election abstraction does not know`);
    return x;
  });
}

/** The spec's clock countdowns, which trace validation cannot observe (see the kit's module comment). */
export const TIMED_VARIABLES = ["roundLeft", "waitLeft", "leaseLeft"];

/** `state` with the countdowns set to 0 for every server. */
export function eraseCountdowns(spec: LoadedSpec, state: State): State {
  const zero = spec.model.values.fromJS(new Map(NODES.map((id) => [spec.mv(id), 0])));
  return state.map((v, k) => (TIMED_VARIABLES.includes(spec.model.variables[k] as string) ? zero : v));
}

/** Whether spec value `v` of parameter `name` denotes the implementation's `impl`. */
export function paramMatches(spec: LoadedSpec, name: string, v: Value, impl: string | number): boolean {
  if (name === "g" || name === "r") return spec.model.values.toPortable(v) === impl;
  try {
    return spec.nameOf(v) === String(impl);
  } catch {
    return false;
  }
}

/**
 * How conformance sees `specs/election/RingElection.tla` (the ring as `RingNode` runs it):
 * loading a model (servers ranked as in `ranked-spec.ts`, the ring in rank order, `RingNode`'s
 * default) and the abstraction from ring nodes and the messages in flight to the spec's variables.
 *
 * @module
 */
import type { LoadedSpec, State, Value, WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { RingMessage } from "../messages.js";
import type { RingView } from "../ring.js";
import { loadRanked, perServer, rank, rankOrNil } from "./ranked-spec.js";

/** The spec folder, relative to the checkout. */
export const RING_SPEC_DIR = "specs/election";
/** The nodes of the walks and validation models, on the ring n1 → n2 → n3 → n1. */
export const RING_NODES = ["n1", "n2", "n3"];
/** TLC's distinct states of `MCRingElection.cfg` (N = 2, at most 2 messages in flight), which replay covers state by state. */
export const RING_COVERAGE_DISTINCT = 6848;

/**
 * Load `MCRingElection.tla` with `n` nodes, at most `maxMsgs` messages in flight (`null`: no
 * bound, for walks and validation, where the bound must never bind).
 */
export function loadRing(n: number, maxMsgs: number | null): Promise<LoadedSpec> {
  const lines = [`  MaxMsgs = ${maxMsgs ?? 1_000_000}`, "SPECIFICATION Spec", ...(maxMsgs === null ? [] : ["CONSTRAINT StateBound"])];
  return loadRanked(RING_SPEC_DIR, "MCRingElection.tla", n, lines, `MCRingElection (N ${n}${maxMsgs === null ? "" : `, MaxMsgs ${maxMsgs}`})`);
}

/** One node's part of the spec state: its view, or `null` while it is down. */
export type RingSpecView = RingView | null;

/** The spec record a message on the wire stands for: `[type, val, from, to]`. */
export function ringSpecMessage(m: WireMessage<RingMessage>): { type: string; val: number; from: number; to: number } {
  const x = m.message;
  const [type, val] =
    x.type === "Election" ? ["Election", rank(x.candidate)] : x.type === "Elected" ? ["Elected", rank(x.leader)] : x.type === "Ack" ? [`Ack${x.of}`, rank(x.id)] : ["Alive", 0];
  return { type: type as string, val: val as number, from: rank(m.from), to: rank(m.to) };
}

/** The spec state of `views` (every node's, `null` when down) and the messages in flight (a set). */
export function ringState(spec: LoadedSpec, views: ReadonlyMap<NodeId, RingSpecView>, inflight: readonly WireMessage<RingMessage>[]): State {
  const { values } = spec.model;
  const byName: Record<string, Value> = {
    up: perServer(spec, views, (v) => v !== null),
    participant: perServer(spec, views, (v) => v?.participant ?? false),
    leader: perServer(spec, views, (v) => (v === null ? 0 : rankOrNil(v.leader))),
    suspected: perServer(spec, views, (v) => new Set((v?.suspected ?? []).map(rank))),
    unacked: perServer(spec, views, (v) => new Set((v?.unacked ?? []).map((u) => values.fromJS({ to: rank(u.to), type: u.type, val: rank(u.id) })))),
    hb: perServer(spec, views, (v) => v?.heartbeat ?? false),
    msgs: values.fromJS(new Set(inflight.map((m) => values.fromJS(ringSpecMessage(m))))),
  };
  return spec.model.variables.map((name) => {
    const x = byName[name];
    if (x === undefined) throw new Error(`RingElection.tla has a variable ${name} the ring abstraction does not know`);
    return x;
  });
}

/** Whether spec value `v` of parameter `name` denotes the implementation's `impl` (`t` is a message type, the rest nodes). */
export function ringParamMatches(spec: LoadedSpec, name: string, v: Value, impl: string | number): boolean {
  if (name === "t") return spec.model.values.toPortable(v) === impl;
  try {
    return spec.nameOf(v) === String(impl);
  } catch {
    return false;
  }
}

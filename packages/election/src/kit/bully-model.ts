/**
 * How conformance sees `specs/election/Bully.tla`: loading a model (servers ranked as in
 * `ranked-spec.ts`) and the abstraction from Bully nodes and the messages in flight to the spec's
 * variables. The spec's `up` is the set of live nodes: a crashed node is down with no leader,
 * idle, as the spec's `Crash` leaves it.
 *
 * @module
 */
import type { LoadedSpec, State, Value, WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { BullyView } from "../bully.js";
import type { BullyMessage } from "../messages.js";
import { loadRanked, perServer, rank, rankOrNil } from "./ranked-spec.js";

/** The spec folder, relative to the checkout. */
export const BULLY_SPEC_DIR = "specs/election";
/** The servers of the walks and validation models, ranked n1 < n2 < n3. */
export const BULLY_NODES = ["n1", "n2", "n3"];
/** TLC's distinct states of `MCBullyCoverage.cfg` (N = 2, no synchrony), the model replay covers state by state. */
export const BULLY_COVERAGE_DISTINCT = 154;

/**
 * Load `MCBully.tla` with `n` servers. `synchronous: false` is the model every implementation
 * step must fit (its timers fire whatever the others do, messages are lost).
 */
export function loadBully(n: number, synchronous: boolean): Promise<LoadedSpec> {
  return loadRanked(BULLY_SPEC_DIR, "MCBully.tla", n, [`  Synchronous = ${synchronous ? "TRUE" : "FALSE"}`, "SPECIFICATION Spec"], `MCBully (N ${n}, Synchronous ${synchronous})`);
}

/** One node's part of the spec state: its view, or `null` while it is down. */
export type BullySpecView = BullyView | null;

/** The spec record of a message on the wire. */
function specMessage(spec: LoadedSpec, m: WireMessage<BullyMessage>): Value {
  return spec.model.values.fromJS({ type: m.message.type, from: rank(m.from), to: rank(m.to) });
}

/** The spec state of `views` (every server's, `null` when down) and the messages in flight (a set). */
export function bullyState(spec: LoadedSpec, views: ReadonlyMap<NodeId, BullySpecView>, inflight: readonly WireMessage<BullyMessage>[]): State {
  const { values } = spec.model;
  const byName: Record<string, Value> = {
    up: perServer(spec, views, (v) => v !== null),
    leader: perServer(spec, views, (v) => (v === null ? 0 : rankOrNil(v.leader))),
    phase: perServer(spec, views, (v) => (v === null ? "idle" : v.phase)),
    msgs: values.fromJS(new Set(inflight.map((m) => specMessage(spec, m)))),
  };
  return spec.model.variables.map((name) => {
    const x = byName[name];
    if (x === undefined) throw new Error(`Bully.tla has a variable ${name} the Bully abstraction does not know`);
    return x;
  });
}

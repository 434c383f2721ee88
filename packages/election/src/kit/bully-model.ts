/**
 * How conformance sees `specs/election/Bully.tla`: loading a model, the names of its servers, and
 * the abstraction from Bully nodes and the messages in flight to the spec's variables.
 *
 * The spec ranks servers as the numbers `1..N`; the implementation calls them `n1..nN` and ranks
 * them the same way ({@link compareIds}), so `n2` is the spec's `2` and the spec's `Nil` (0) is
 * "no leader". The spec's `up` is the set of live nodes: a crashed node is down with no leader,
 * idle, as the spec's `Crash` leaves it.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type State, type Value, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { BullyView } from "../bully.js";
import type { BullyMessage } from "../messages.js";

/** The spec folder, relative to the checkout. */
export const BULLY_SPEC_DIR = "specs/election";
/** The servers of the walks and validation models, ranked n1 < n2 < n3. */
export const BULLY_NODES = ["n1", "n2", "n3"];
/** TLC's distinct states of `MCBullyCoverage.cfg` (N = 2, no synchrony), the model replay covers state by state. */
export const BULLY_COVERAGE_DISTINCT = 154;

/** The spec number of node `id` (`n3` → 3). */
export function rank(id: NodeId): number {
  const m = /^n([1-9][0-9]*)$/.exec(id);
  if (m === null) throw new Error(`Bully.tla ranks servers n1..nN; ${JSON.stringify(id)} is not one`);
  return Number(m[1]);
}

/**
 * Load `MCBully.tla` with `n` servers. `synchronous: false` is the model every implementation
 * step must fit (its timers fire whatever the others do, messages are lost).
 */
export async function loadBully(n: number, synchronous: boolean): Promise<LoadedSpec> {
  const servers = Array.from({ length: n }, (_, k) => `n${k + 1}`);
  const cfg = ["CONSTANTS", `  N = ${n}`, `  Synchronous = ${synchronous ? "TRUE" : "FALSE"}`, "SPECIFICATION Spec", ""].join("\n");
  const base = await loadSpec({ dir: specDirNear(import.meta.url, BULLY_SPEC_DIR), module: "MCBully.tla", cfg, cfgName: `MCBully (N ${n}, Synchronous ${synchronous})`, servers });
  const { values } = base.model;
  const numbers = new Map(servers.map((id) => [id, values.fromPortable(rank(id))]));
  return {
    ...base,
    mv: (name) => {
      const v = numbers.get(name);
      if (v === undefined) throw new Error(`Bully.tla has no server ${JSON.stringify(name)} (it has ${servers.join(", ")})`);
      return v;
    },
    nameOf: (v) => {
      const x = values.toPortable(v);
      if (typeof x !== "number" || !Number.isInteger(x) || x < 1 || x > n) throw new Error(`not a server of Bully.tla: ${values.format(v)}`);
      return `n${x}`;
    },
  };
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
  const per = (f: (v: BullySpecView) => unknown): Value =>
    values.fromJS(
      new Map(
        spec.servers.map((id) => {
          if (!views.has(id)) throw new Error(`no view of ${id}`);
          return [spec.mv(id), f(views.get(id) ?? null)];
        }),
      ),
    );
  const byName: Record<string, Value> = {
    up: per((v) => v !== null),
    leader: per((v) => (v === null || v.leader === null ? 0 : rank(v.leader))),
    phase: per((v) => (v === null ? "idle" : v.phase)),
    msgs: values.fromJS(new Set(inflight.map((m) => specMessage(spec, m)))),
  };
  return spec.model.variables.map((name) => {
    const x = byName[name];
    if (x === undefined) throw new Error(`Bully.tla has a variable ${name} the Bully abstraction does not know`);
    return x;
  });
}

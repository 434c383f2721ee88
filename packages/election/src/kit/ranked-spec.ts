/**
 * Specs whose servers are the numbers `1..N` ranked by value (`Bully.tla`, `RingElection.tla`):
 * the implementation calls them `n1..nN` and ranks them the same way ({@link compareIds}), so
 * `n2` is the spec's `2`, and the spec's `Nil` (0) is "nobody".
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type Value } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";

/** The spec number of node `id` (`n3` → 3). */
export function rank(id: NodeId): number {
  const m = /^n([1-9][0-9]*)$/.exec(id);
  if (m === null) throw new Error(`the election specs rank servers n1..nN; ${JSON.stringify(id)} is not one`);
  return Number(m[1]);
}

/** The spec number of `id`, or 0 (`Nil`) for nobody. */
export const rankOrNil = (id: NodeId | null): number => (id === null ? 0 : rank(id));

/** The spec function from every server to `f` of its view (`null` while it is down). */
export function perServer<V>(spec: LoadedSpec, views: ReadonlyMap<NodeId, V | null>, f: (v: V | null) => unknown): Value {
  return spec.model.values.fromJS(
    new Map(
      spec.servers.map((id) => {
        if (!views.has(id)) throw new Error(`no view of ${id}`);
        return [spec.mv(id), f(views.get(id) ?? null)];
      }),
    ),
  );
}

/** Load `module` of `specs/election` with `n` ranked servers and the cfg `lines` (N is added). */
export async function loadRanked(dir: string, module: string, n: number, lines: readonly string[], cfgName: string): Promise<LoadedSpec> {
  const servers = Array.from({ length: n }, (_, k) => `n${k + 1}`);
  const cfg = ["CONSTANTS", `  N = ${n}`, ...lines, ""].join("\n");
  const base = await loadSpec({ dir: specDirNear(import.meta.url, dir), module, cfg, cfgName, servers });
  const { values } = base.model;
  const numbers = new Map(servers.map((id) => [id, values.fromPortable(rank(id))]));
  return {
    ...base,
    mv: (name) => {
      const v = numbers.get(name);
      if (v === undefined) throw new Error(`${module} has no server ${JSON.stringify(name)} (it has ${servers.join(", ")})`);
      return v;
    },
    nameOf: (v) => {
      const x = values.toPortable(v);
      if (typeof x !== "number" || !Number.isInteger(x) || x < 1 || x > n) throw new Error(`not a server of ${module}: ${values.format(v)}`);
      return `n${x}`;
    },
  };
}

/**
 * The gossip kit's service: clients update and read a map whose keys hold G-Counters
 * (`counter-<i>`) and OR-Sets (`set-<i>`), in the history vocabulary of the convergence judge
 * (`@synod/conformance`'s `convergence`):
 *
 * - update: invoke `{ node, op }` (the replica that must apply it: a retry elsewhere is sent back
 *   there, and the replica applies a (client, seq) once); ok `{ node, id, seq, applied, deps }`.
 * - read (at any replica): invoke `{ node: null }`; ok `{ node, value, vv }`.
 * - final-read (after healing, restarting every node and a quiet second): one per replica and
 *   key, invoke `{ node }`, ok as a read.
 *
 * @module
 */
import type { Service } from "@synod/conformance";
import { gCounter, orSet, type AnyCrdt } from "@synod/crdt";
import type { Json, NodeId, Rng } from "@synod/protocol";
import type { GossipCommand, GossipResult } from "../messages.js";

/** The key names a workload of `keys` keys uses: counters and sets alternately. */
export function serviceKeys(keys: number): string[] {
  return Array.from({ length: keys }, (_, i) => (i % 2 === 0 ? `counter-${i}` : `set-${i}`));
}

/** The CRDT of a key of the service (by its name). */
export function serviceType(key: string, types: { counter: AnyCrdt; set: AnyCrdt } = { counter: gCounter, set: orSet }): AnyCrdt {
  if (key.startsWith("counter-")) return types.counter;
  if (key.startsWith("set-")) return types.set;
  throw new Error(`key ${JSON.stringify(key)} is neither counter-<i> nor set-<i>`);
}

/** Elements the sets' operations draw from: few, so adds and removes of one element meet. */
const ELEMENTS = ["a", "b", "c"];

/** An update of `key` for a workload. */
function nextUpdate(key: string, rng: Rng): Json {
  if (key.startsWith("counter-")) return { type: "inc", by: rng.nextInt(1, 3) };
  return { type: rng.nextFloat() < 0.6 ? "add" : "remove", elem: ELEMENTS[rng.nextInt(0, ELEMENTS.length - 1)] as string };
}

/** The gossip map service over replicas `nodes`. */
export function gossipService(nodes: readonly NodeId[]): Service<GossipCommand, GossipResult> {
  return {
    name: "crdt-map",
    nextCommand(shape, rng) {
      const keys = serviceKeys(shape.keys);
      const key = keys[rng.nextInt(0, keys.length - 1)] as string;
      if (rng.nextFloat() < shape.readRatio) return { op: "read", key };
      return { op: "update", key, update: nextUpdate(key, rng), at: nodes[rng.nextInt(0, nodes.length - 1)] as NodeId };
    },
    finalCommands: (shape) => nodes.flatMap((at) => serviceKeys(shape.keys).map((key): GossipCommand => ({ op: "read", key, at }))),
    invoke(cmd): { f: string; key: string; value: Json } {
      if (cmd.op === "update") return { f: "update", key: cmd.key, value: { node: cmd.at ?? null, op: cmd.update } };
      return { f: cmd.at === undefined ? "read" : "final-read", key: cmd.key, value: { node: cmd.at ?? null } };
    },
    complete(_cmd, res): Json {
      if (res.op === "update") return { node: res.node, id: `${res.dot.origin}:${res.dot.seq}`, seq: res.dot.seq, applied: res.applied, deps: res.deps as Json };
      return { node: res.node, value: res.value, vv: res.vv as Json };
    },
  };
}

/**
 * Trace validation of PBFT: every replica correct (`Byz = {}`), under partitions, pauses, loss,
 * duplication and reordering; clients put the spec's requests q1..q3, each once.
 *
 * @module
 */
import type { StepAbstraction, ValidatePart } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { State } from "@synod/tla-checker-wasm";
import { createPbftReplica } from "../node.js";
import { PbftAbstraction } from "./abstraction.js";
import { simKeyring } from "./keys.js";
import { specNodeOptions, VALIDATE_BOUNDS, type PbftSpec } from "./spec-model.js";
import type { PbftTypes } from "./types.js";
import type { PbftSpecView } from "../replica.js";

/** Drop `msgs` before comparing: the abstraction rebuilds it from what replicas hold, which shrinks at garbage collection, while the spec's never does; guards still see it in the state before a step. */
function withoutMsgs(spec: PbftSpec): (s: State) => State {
  const k = spec.model.variables.indexOf("msgs");
  const empty = spec.model.values.fromJS(new Set());
  return (s) => s.map((v, i) => (i === k ? empty : v));
}

/** The validation part of PBFT's descriptor. */
export function pbftValidate(): ValidatePart<PbftTypes> {
  // Each spec request is put once per run: the spec's requests are distinct values.
  let next = 0;
  return {
    node: ({ id, peers, rng, variant }) => {
      const replicas = [id, ...peers];
      return createPbftReplica({ id, replicas, keys: simKeyring(replicas).file, rng, options: { ...specNodeOptions(VALIDATE_BOUNDS), viewChangeTimeoutMs: 400, unsafe: variant?.unsafe ?? {} } as never });
    },
    abstraction: (spec) => {
      const abs = new PbftAbstraction(spec as PbftSpec);
      next = 0;
      const a: StepAbstraction<PbftTypes> = {
        node: (n) => n.specView(),
        state: (views, inflight) => abs.state(views as ReadonlyMap<NodeId, PbftSpecView>, inflight),
        observable: withoutMsgs(spec as PbftSpec),
      };
      return a;
    },
    network: "set",
    driven: [],
    request: (spec, rng, node) => {
      const reqs = (spec as PbftSpec).requests;
      // Rarely (one request every half second or so), so faults strike while requests are pending.
      if (next >= reqs.length || rng.nextFloat() > 0.03) return null;
      // Any replica: a backup relays the request to all, so every replica waits for it and a
      // paused or partitioned primary leads to a view change.
      if (!node.summary().active) return null;
      return { op: { op: "put", key: "x", value: reqs[next++]! }, sig: "" };
    },
    seal: (r) => simKeyring(["n1", "n2", "n3", "n4"]).seal(r),
    paramMatches: (spec, _name, specValue, implValue) => {
      if (typeof implValue === "number") return spec.model.values.toPortable(specValue) === implValue;
      try {
        return spec.nameOf(specValue) === implValue;
      } catch {
        return false;
      }
    },
    faults: ["partition", "pause"],
    // Seed 5 of the CI seeds has a primary paused while requests wait: a view change is checked.
    seeds: { ci: 5, full: 30 },
    durationMs: 4000,
  };
}

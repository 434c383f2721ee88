/**
 * Trace validation of PBFT: n1 (the primary of view 0) is Byzantine (`Byz = {n1}`), the other
 * replicas correct, under partitions, pauses, loss, duplication and reordering; clients put the
 * spec's requests q1..q3, each once. Seed s gives n1 the s-th of the behaviours PBFT.tla can
 * express ({@link VALIDATE_BEHAVIOURS}); n1's own steps are not spec steps (the spec has no state
 * for a Byzantine replica), the correct replicas' are, including every reaction to what n1 sends.
 *
 * What the spec cannot express, and so is not in these runs: a view change whose P or Q claims
 * lie. PBFT.tla's view changes carry signed certificates (OSDI'99): a Byzantine replica can only
 * claim certificates that exist (or omit some), while the implementation runs the MAC variant
 * (Castro's thesis), whose view changes carry unverifiable claims; a lie there is defeated by the
 * 2f + 1 / f + 1 rule of view-change.ts, a step the spec has no counterpart for. The equivocating
 * hook below therefore sends n1's view changes unchanged (they are checked by replay and the
 * histories check instead). Lies to clients are not spec-visible at all.
 *
 * @module
 */
import type { StepAbstraction, ValidatePart } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { ByzantineBehaviour, ByzantineHook } from "@synod/sim";
import type { PbftMessage } from "../messages.js";
import type { KvResult } from "../types.js";
import { pbftByzantineHook } from "./byzantine.js";
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

/**
 * The Byzantine behaviours trace validation gives n1, one per seed in this order: equivocating
 * pre-prepares, silence, replayed messages, conflicting prepares and commits, messages in other
 * replicas' names (which fail authentication), malformed messages.
 */
export const VALIDATE_BEHAVIOURS: readonly ByzantineBehaviour[] = ["equivocate", "silent", "replay", "conflict", "forge", "malformed"];

/** The simulator's PBFT hook, with view changes passed through unchanged (see the module comment). */
function specExpressibleHook(nodes: readonly NodeId[]): ByzantineHook<PbftMessage, KvResult> {
  const inner = pbftByzantineHook(nodes);
  return {
    mutate: (behaviour, envelope, rng) => (behaviour === "equivocate" && envelope.message.type === "ViewChange" ? [envelope.message] : inner.mutate(behaviour, envelope, rng)),
  };
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
      // One abstraction per run (validateWith asks once per seed): msgs accumulates over the run.
      const abs = new PbftAbstraction(spec as PbftSpec, true);
      next = 0;
      const a: StepAbstraction<PbftTypes> = {
        node: (n) => n.specView(),
        state: (views, inflight) => abs.state(views as ReadonlyMap<NodeId, PbftSpecView>, inflight),
        observable: withoutMsgs(spec as PbftSpec),
      };
      return a;
    },
    network: "set",
    // A new primary proposes the requests that were pending when it took over (in spec mode it
    // does not on its own: each SendPrePrepare is a step of the spec).
    driven: [{ action: "SendPrePrepare", peer: false }],
    request: (spec, rng, node) => {
      const reqs = (spec as PbftSpec).requests;
      // Rarely (one request every half second or so), so faults strike while requests are pending.
      if (next >= reqs.length || rng.nextFloat() > 0.03) return null;
      // Any replica: a backup relays the request to all, so every replica waits for it and a
      // paused or partitioned primary leads to a view change.
      if (!node.summary().active) return null;
      // Not to the Byzantine replica: a silent one would swallow one of the spec's few requests.
      if ((spec as PbftSpec).bounds.byz.includes(node.id)) return null;
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
    seeds: { ci: 6, full: 30 },
    // 2.5 s: the three requests execute and the view changes happen well before; longer runs add
    // only timeouts (seeds 1-6 check the same steps at 2.5 s as at 3 s, at 2/3 of the CPU).
    durationMs: 2500,
    byzantine: { nodes: (spec) => (spec as PbftSpec).bounds.byz, behaviours: VALIDATE_BEHAVIOURS, hook: specExpressibleHook },
  };
}

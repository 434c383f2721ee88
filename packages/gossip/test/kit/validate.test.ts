/**
 * Trace validation of the gossip node where a delta waits for its causal past. In push mode a
 * node that receives a delta ahead of its causal past, and has nothing hot to send back, takes a
 * step with no spec action that holds the message: the spec still has it in flight. Seed 6 is such
 * a run (regression: before conformance accepted a held message, validation failed there with
 * "the step changed spec-visible state but the node reported no action").
 */
import { validateWith, type ProtocolKit } from "@synod/conformance";
import { orSet } from "@synod/crdt";
import { describe, expect, test } from "vitest";
import { kit, TracedGossipNode, VALIDATE_OPTIONS, type GossipTypes } from "../../src/kit/index.js";

describe("gossip trace validation", () => {
  test("push mode: deltas held for their causal past are still in flight for the spec", async () => {
    const push: ProtocolKit<GossipTypes> = { ...kit, validate: { ...kit.validate, node: ({ id, peers, rng }) => new TracedGossipNode({ id, peers, rng, options: { ...VALIDATE_OPTIONS, mode: "push", payload: orSet } }) } };
    const spec = await push.spec.load("validate", "ci");
    let held = 0;
    const abs = push.validate.abstraction;
    const spied: ProtocolKit<GossipTypes> = {
      ...push,
      validate: {
        ...push.validate,
        abstraction: (s) => {
          const a = abs(s);
          return { ...a, node: (n) => ((held += n.waiting().length), a.node(n)) };
        },
      },
    };
    const r = validateWith(spied, spec, { seed: 6 });
    expect(r.failure?.problem ?? null).toBeNull();
    expect(held).toBeGreaterThan(0);
    expect(r.actions.Lose ?? 0).toBeGreaterThan(0);
  });
});

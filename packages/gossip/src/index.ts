/**
 * `@synod/gossip`: epidemic dissemination of replicated data types. A {@link GossipNode} is a pure
 * per-node state machine (`@synod/protocol`'s `ProtocolNode`) holding a map key → CRDT state, kept
 * in step with its peers by rumor mongering (push, pull, push-pull; feedback / counter stop rule),
 * Merkle anti-entropy that ships only differing ranges, per-key version vectors for causal
 * delivery, and SWIM membership with probes, indirect probes, suspicion and incarnations.
 *
 * @module
 */
export * from "./hash.js";
export * from "./membership.js";
export * from "./merkle.js";
export * from "./messages.js";
export * from "./node.js";
export * from "./options.js";
export * from "./payload.js";
export * from "./peer-sampling.js";
export * from "./rumors.js";
export * from "./store.js";
export * from "./version-vector.js";

/**
 * `@synod/protocol`: what every Synod protocol node, host and simulator share — the step/ready
 * contract ({@link ProtocolNode}), the seeded generator every host uses ({@link SeededRng}), and
 * the optional hooks conformance checks call ({@link Traced}, {@link SpecStepping}).
 *
 * @module
 */
export * from "./node.js";
export * from "./rng.js";
export * from "./trace.js";
export * from "./hosted.js";

/**
 * `@synod/conformance`: checks that Synod's implementations conform to their TLA+ specs — spec
 * traces replayed on implementation nodes, implementation runs validated step by step against
 * the spec, and client histories judged by the linearizability checker.
 *
 * @module
 */
export * from "./adapter.js";
export * from "./replay-spec.js";
export * from "./raft/spec-model.js";
export * from "./raft/adapter.js";
export * from "./raft/host.js";
export * from "./validate-impl.js";
export * from "./histories.js";
export * from "./replay-file.js";
export * from "./run.js";

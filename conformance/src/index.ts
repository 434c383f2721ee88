/**
 * `@synod/conformance`: the protocol kit. One descriptor per protocol ({@link ProtocolKit}), found
 * by the registry ({@link loadKits}); three checks generic over it — spec traces replayed on
 * implementation nodes ({@link randomWalks}, {@link replayCoverage}), implementation runs
 * validated step by step against the spec ({@link validateImplementation}), client histories
 * judged by the protocol's judge ({@link checkHistories}) — and the rows `synod verify` prints
 * ({@link runConformance}).
 *
 * @module
 */
export * from "./adapter.js";
export * from "./kit.js";
export * from "./judge.js";
export * from "./atomic-commit.js";
export * from "./leadership.js";
export * from "./settled-leader.js";
export * from "./mutual-exclusion.js";
export * from "./convergence.js";
export * from "./staleness.js";
export * from "./register-staleness.js";
export * from "./registry.js";
export * from "./spec.js";
export * from "./replay-spec.js";
export * from "./validate-impl.js";
export * from "./histories.js";
export * from "./leader-schedules.js";
export * from "./replay-file.js";
export * from "./run.js";
export { kvService, lostKvWrites } from "./services/kv.js";
export * from "./soak.js";
export * from "./bench.js";
export type { CompiledModel, State, Value } from "@synod/tla-checker-wasm";

/**
 * `@synod/tla-checker-wasm`: a TLA+ model checker for Node and browsers that agrees with TLC.
 *
 * @example
 * ```ts
 * import { checkSpec, toTLCText } from "@synod/tla-checker-wasm";
 * const r = await checkSpec({ spec: { path: "DieHard.tla" } });
 * console.log(r.verdict, r.distinct, r.generated);
 * ```
 *
 * @module
 */
export * from "./model.js";
export { loadModel, type LoadedModel, type LoadOptions, type TemporalFormula, type EnumerationError, type Liveness } from "./load.js";
export type { Cfg, CfgName, CfgConstant, CfgValue } from "./cfg/parse.js";
export type { LiveFormula } from "./eval/temporal.js";
export {
  checkSpec,
  checkModel,
  livenessWarnings,
  SYMMETRY_LIVENESS_WARNING,
  VIEW_LIVENESS_WARNING,
  type CheckOptions,
  type ModelCheckOptions,
  type SearchSettings,
  type CheckResult,
  type CheckError,
  type Progress,
  type TraceStep,
  type Verdict,
  type ModelSource,
  type SourceInput,
  type ContinuedViolation,
  type SearchObserver,
} from "./api.js";
export { simulate, simulateModel, type SimulateOptions, type SimulateResult, type SimulationSettings, type SimulationProgress } from "./api.js";
export { coveringTraces, type CoverOptions } from "./check/cover.js";
export { randomWalks } from "./check/simulate.js";
export { toITF, type ITFTrace, type ITFStateMeta, type ITFOptions } from "./trace/itf.js";
export { toTLCText, tlcStepHeader, diffBase, type TLCTextOptions, type DiffShape } from "./trace/tlc-text.js";
export { toTLCCounterExampleJson, toTLCCounterExampleModule } from "./trace/counterexample.js";
export { searchDfid, type DfidOptions } from "./check/dfid.js";
export type { ShareStats } from "./check/level-share.js";
export { formatLabel } from "./trace/label.js";
export {
  translateModule,
  validateModule,
  PlusCalError,
  type TranslateOptions,
  type Translation,
  type Validation,
  type TranslatorOptions,
} from "./pluscal/index.js";
export { translationWarnings } from "./pluscal/hints.js";

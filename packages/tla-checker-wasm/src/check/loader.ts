/**
 * The engine's handle on the core's loader (`src/load.ts`).
 *
 * The loader is imported lazily so that the engine (and hand-built models in tests) work without
 * loading the parser, and so a browser bundle pulls in the parser only when it loads a spec.
 *
 * @module
 */
import type { LoadedModel, LoadOptions } from "../load.js";

export type { LoadOptions } from "../load.js";

/** Where a spec comes from: a file, or source text with a module name. */
export type SourceInput = LoadOptions["spec"];

type LoadModel = (opts: LoadOptions) => Promise<LoadedModel>;

let cached: LoadModel | undefined;

/** The core's `loadModel`, imported on first use. */
export async function coreLoadModel(): Promise<LoadModel> {
  if (!cached) cached = (await import("../load.js")).loadModel;
  return cached;
}

/**
 * The engine's handle on the core's loader (`src/load.ts`, written by the language core).
 *
 * The loader is imported lazily so that the engine (and hand-built models in tests) work without
 * parsing anything, and so a browser bundle pulls in the parser only when it loads a spec.
 *
 * @module
 */
import type { CompiledModel } from "../model.js";

/** Where a spec or cfg comes from: a file, or source text with a name (for messages). */
export type SourceInput = { path: string } | { name: string; source: string };

/** How to load a spec and its cfg; the contract of the core's `loadModel`. */
export interface LoadOptions {
  /** The root module. */
  spec: SourceInput;
  /** The model configuration; by default the spec's name with `.cfg`. */
  cfg?: { path: string } | { source: string; name?: string };
  /** Directories searched for EXTENDS/INSTANCE modules after the spec's own directory. */
  libDirs?: string[];
  /** Extra modules by name (source text), searched first. */
  modules?: Record<string, string>;
  /** Where `Print`/`PrintT` output goes. */
  print?: (line: string) => void;
}

type LoadModel = (opts: LoadOptions) => Promise<CompiledModel>;

let cached: LoadModel | undefined;

/** The core's `loadModel`, imported on first use. */
export async function coreLoadModel(): Promise<LoadModel> {
  if (cached) return cached;
  // A variable specifier keeps this module compilable while the core's loader is being written.
  const specifier = "../load.js";
  const mod = (await import(specifier)) as { loadModel?: LoadModel };
  if (typeof mod.loadModel !== "function") throw new Error("the core's load.js does not export loadModel");
  cached = mod.loadModel;
  return cached;
}
